"""The commands on a PostgreSQL store, as a newsroom sharing one database would run them: ingest, stories, show,
and serve (its feed, story and search pages) — real processes against the test session's PostgreSQL server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx

from helpers import ROOT

EXAMPLE = ROOT / "src" / "newsprism" / "examples" / "harbour-strike"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsprism", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "NEWSPRISM_EMBEDDER": "potion"})


def test_ingest_stories_show_and_serve_on_postgresql(postgres, tmp_path):
    url = postgres.new_database()
    done = _run("ingest", str(EXAMPLE), "--outlets", str(EXAMPLE / "outlets.csv"), "--db", url)
    assert done.returncode == 0, done.stderr
    again = _run("ingest", str(EXAMPLE), "--outlets", str(EXAMPLE / "outlets.csv"), "--db", url)
    assert "0 added" in again.stderr, "the same articles are stored once"
    stories = [json.loads(line) for line in _run("stories", "--db", url, "--json").stdout.splitlines()]
    biggest = max(stories, key=lambda s: s["articles"])
    assert biggest["articles"] >= 4
    shown = _run("show", biggest["id"], "--db", url, "--format", "json", "-q")
    assert shown.returncode == 0 and json.loads(shown.stdout)["facts"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "newsprism", "serve", "--db", url, "--port", str(port),
                               "--no-analyse", "-q"], stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "NEWSPRISM_EMBEDDER": "potion"})
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        listed = httpx.get(f"{base}/api/stories", timeout=10).json()
        assert {s["id"] for s in listed["stories"]} == {s["id"] for s in stories}
        page = httpx.get(f"{base}/stories/{biggest['id']}", timeout=30)
        assert page.status_code == 200 and "Lisvar" in page.text
        found = httpx.get(f"{base}/api/search", params={"q": "dockworkers"}, timeout=10).json()
        assert found["ok"] and found["results"]
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert "Traceback" not in err
