"""`newsprism batch` as a researcher runs it: a web archive we write ourselves and the bundled example through the
whole pipeline, on the inline, local and Ray engines (the same outputs from each), resumed after a kill without
redoing finished parts, loaded into a store, and bad inputs named one line each."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import EXAMPLE, write_warc

pq = pytest.importorskip("pyarrow.parquet", reason="newsprism batch needs pyarrow (pip install 'newsprism[batch]')")
OUTLETS = str(EXAMPLE / "outlets.csv")
ENV = {**os.environ, "NEWSPRISM_EMBEDDER": "potion"}


def _batch(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsprism", "batch", *args, "--outlets", OUTLETS, "-q"],
                          capture_output=True, text=True, timeout=timeout, env=ENV)


def _outputs(out) -> dict:
    """What a run wrote, minus what legitimately differs between runs (report time stamps, timings)."""
    tables = {name: pq.read_table(out / f"{name}.parquet").to_pylist()
              for name in ("articles", "stories", "facts", "quotes", "conflicts")}
    reports = {}
    for path in sorted((out / "reports").glob("*.json")):
        report = json.loads(path.read_text())
        report.pop("generated_at")
        reports[path.name] = report
    return {"tables": tables, "reports": reports}


@pytest.fixture
def corpus(tmp_path):
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, pages=4)
    return [str(EXAMPLE), str(warc)]


def test_batch_runs_the_pipeline_and_writes_its_tables_and_reports(tmp_path, corpus):
    import jsonschema

    from helpers import ROOT

    out = tmp_path / "run"
    done = _batch(*corpus, "--out", str(out), "--engine", "local", "--workers", "2")
    assert done.returncode == 0, done.stderr
    run = json.loads((out / "run.json").read_text())
    assert run["counts"]["pages"] == 9 and run["counts"]["articles"] == 9
    assert run["engine"] == "local" and run["workers"] == 2 and run["embedder"] == "potion"
    outputs = _outputs(out)
    articles = outputs["tables"]["articles"]
    assert {a["url"] for a in articles} >= {"https://news0.example/quay", "https://news3.example/quay"}
    stories = {s["story"]: s for s in outputs["tables"]["stories"]}
    assert {a["story"] for a in articles} == set(stories)
    analysed = [s for s in stories.values() if s["analysed"]]
    assert analysed and all(len(s["outlets"]) >= 2 for s in analysed)
    schema = json.loads((ROOT / "schema" / "report.schema.json").read_text())
    for report in outputs["reports"].values():
        jsonschema.validate({**report, "generated_at": "2026-01-01T00:00:00Z"}, schema)
    assert outputs["tables"]["facts"] and {f["story"] for f in outputs["tables"]["facts"]} <= set(stories)


def test_every_engine_gives_the_same_outputs(tmp_path, corpus):
    runs = {}
    for engine in ("inline", "local"):
        out = tmp_path / engine
        done = _batch(*corpus, "--out", str(out), "--engine", engine)
        assert done.returncode == 0, done.stderr
        runs[engine] = _outputs(out)
    assert runs["inline"] == runs["local"]


def test_ray_engine_smoke(tmp_path, corpus):
    pytest.importorskip("ray", reason="the ray engine needs Ray (pip install 'newsprism[ray]')")
    inline, ray = tmp_path / "inline", tmp_path / "ray"
    assert _batch(*corpus, "--out", str(inline), "--engine", "inline").returncode == 0
    done = _batch(*corpus, "--out", str(ray), "--engine", "ray", "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert _outputs(ray) == _outputs(inline)
    assert json.loads((ray / "run.json").read_text())["engine"] == "ray"


def test_a_killed_run_resumes_without_redoing_finished_parts(tmp_path):
    records = tmp_path / "records.jsonl"
    with records.open("w") as handle:
        for i in range(600):
            handle.write(json.dumps({"id": f"r{i}", "outlet": ["Harbour Herald", "Valmerian Times"][i % 2],
                                     "title": f"Council item {i // 2}", "text": f"The council of town {i // 2} "
                                     f"voted on item {i // 2} on Monday, officials said, after {i} hours."}) + "\n")
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "newsprism", "batch", str(records), "--out", str(out),
                             "--engine", "local", "--workers", "2", "-q", "--min-outlets", "9"], env=ENV,
                            stderr=subprocess.PIPE, text=True)
    parts = out / "parts" / "extract"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(parts.glob("*.parquet")) if parts.exists() else []) < 3:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    made = len(list(parts.glob("*.parquet")))
    assert made >= 3 and not (out / "run.json").exists(), "killed mid-run"
    done = subprocess.run([sys.executable, "-m", "newsprism", "batch", str(records), "--out", str(out), "--engine",
                           "local", "--workers", "2", "-q", "--min-outlets", "9"], env=ENV, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    run = json.loads((out / "run.json").read_text())
    assert run["resumed_parts"]["extract"] >= made - 2 and run["counts"]["articles"] == 600
    fresh = tmp_path / "fresh"
    subprocess.run([sys.executable, "-m", "newsprism", "batch", str(records), "--out", str(fresh), "--engine",
                    "inline", "-q", "--min-outlets", "9"], env=ENV, check=True, capture_output=True, timeout=600)
    assert _outputs(out)["tables"] == _outputs(fresh)["tables"]
    assert not list(out.rglob("*.tmp*")), "no half-written part is left"


def test_batch_loads_its_results_into_a_store(tmp_path, corpus):
    from newsprism.store import open_store

    db = tmp_path / "batch.db"
    for _ in range(2):  # loading twice changes nothing
        done = _batch(*corpus, "--out", str(tmp_path / "run"), "--db", str(db))
        assert done.returncode == 0, done.stderr
    store = open_store(db)
    try:
        assert len(store.articles()) == 9 and not store.unassigned()
        analysed = store.analysed()
        run_reports = {p.stem for p in (tmp_path / "run" / "reports").glob("*.json")}
        assert set(analysed) == run_reports
        story = next(iter(run_reports))
        digest = analysed[story]
        assert store.load_analysis(story, digest) is not None
    finally:
        store.close()


def test_bad_inputs_are_one_line_each_and_the_rest_is_read(tmp_path):
    done = _batch(str(EXAMPLE), "https://example.com/feed", str(tmp_path / "missing.warc.gz"),
                  "--out", str(tmp_path / "run"), "--engine", "inline")
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert done.returncode == 1 and len(errors) == 2 and "Traceback" not in done.stderr
    assert "newsprism batch reads local files" in errors[0] and "missing.warc.gz" in errors[1]
    assert json.loads((tmp_path / "run" / "run.json").read_text())["counts"]["articles"] == 5
    nothing = _batch(str(tmp_path / "missing.warc.gz"), "--out", str(tmp_path / "none"))
    assert nothing.returncode == 2
