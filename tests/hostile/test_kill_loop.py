"""kill -9 during ingest at random points, 20 times (10 on PostgreSQL): after each, the store opens, passes its
integrity check (SQLite), holds every article whose ingest reported success, and a re-run completes the rest.
(make test-slow)"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing

import pytest

RUNS = 20
ARTICLES = 300
TOPICS = ["harbour", "bridge", "school", "rail line", "hospital", "dam", "market", "airport", "library", "stadium"]
PLACES = ["Lisvaro", "Tessen", "Aldmark", "Corvane", "Ostrel", "Valmeria", "Rampart", "Lantern", "Brezik", "Solvik"]


def _records(path):
    rng = random.Random(7)
    with path.open("w") as handle:
        for i in range(ARTICLES):
            topic, place = rng.choice(TOPICS), rng.choice(PLACES)
            text = (f"Officials in {place} said on day {i} that the {topic} project would cost {rng.randint(2, 90)} "
                    f"million, after a council vote of {rng.randint(5, 30)} to {rng.randint(0, 4)}.\n\n"
                    f"Residents of {place} told reporters the {topic} had been delayed for {rng.randint(2, 9)} years.")
            handle.write(json.dumps({"id": f"k{i:04d}", "title": f"{place} {topic} vote {i}", "text": text}) + "\n")


def _ingest(data, db, kill_after: int | None, rng: random.Random) -> tuple[set[str], int]:
    """Run ingest; with ``kill_after``, SIGKILL it once that many articles were reported committed."""
    committed: set[str] = set()
    with subprocess.Popen([sys.executable, "-m", "newsprism", "ingest", "-v", "-q", str(data), "--db", str(db)],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            assert "Traceback" not in line, line
            outcome, _, article_id = line.strip().partition(" ")
            if outcome in ("added", "updated", "unchanged"):
                committed.add(article_id)
            if kill_after is not None and len(committed) >= kill_after:
                time.sleep(rng.random() * 0.05)  # a random point between commits, not only right after one
                proc.send_signal(signal.SIGKILL)
                break
        proc.wait(timeout=300)
    return committed, proc.returncode


def _stored_ids(db) -> set[str]:
    if str(db).startswith("postgresql://"):
        import psycopg

        with psycopg.connect(str(db)) as connection:
            ids = [row[0] for row in connection.execute("SELECT id FROM articles")]
        assert len(ids) == len(set(ids))
        return set(ids)
    with closing(sqlite3.connect(db)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {row[0] for row in connection.execute("SELECT id FROM articles")}


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_kill_loop_store_loses_nothing_committed(tmp_path, backend, request):
    data = tmp_path / "articles.jsonl"
    _records(data)
    rng = random.Random(2026)
    figures = []
    runs = RUNS if backend == "sqlite" else RUNS // 2
    for run in range(runs):
        db = tmp_path / f"run{run}.db" if backend == "sqlite" else request.getfixturevalue("postgres").new_database()
        kill_after = rng.randint(1, ARTICLES - 1)
        committed, code = _ingest(data, db, kill_after, rng)
        assert code == -signal.SIGKILL, f"run {run}: ingest ended before it could be killed (exit {code})"
        stored = _stored_ids(db)
        missing = committed - stored
        assert not missing, f"run {run}: committed articles lost: {sorted(missing)[:5]}"
        _, code = _ingest(data, db, None, rng)
        assert code == 0
        assert len(_stored_ids(db)) == ARTICLES
        figures.append((kill_after, len(committed), len(stored)))
    print(f"\n{runs} kill -9 runs on {backend}: killed after {min(f[0] for f in figures)}–{max(f[0] for f in figures)} "
          f"reported commits; 0 committed articles lost; every re-run completed to {ARTICLES}")
