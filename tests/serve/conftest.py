"""A real ``newsprism serve`` on a free loopback port, over a store made from the bundled example and a small
one-sided story we wrote (fictional outlets), for the API and browser tests."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "src" / "newsprism" / "examples" / "harbour-strike"
TOKEN = "test-token-0123456789abcdef"

# Three fictional outlets, all rated left-leaning: their story is a blindspot (covered by one side only).
OUTLETS_CSV = """name,aliases,domains,country,ownership,owner,lean,rating_source,notes
Kestrel Weekly,,kestrel.example,XC,private,,left,test rating,FICTIONAL outlet for newsprism's tests
Morrow Herald,,morrow.example,XC,private,,lean_left,test rating,FICTIONAL outlet for newsprism's tests
Tallis Courier,,tallis.example,XC,state-owned,,left,test rating,FICTIONAL outlet for newsprism's tests
"""
ONE_SIDED = [
    {"id": "lib-1", "outlet": "Kestrel Weekly", "published": "2026-04-02", "url": "https://kestrel.example/library",
     "title": "Fire destroys Brannock city library archive",
     "text": "A fire destroyed the archive wing of the Brannock city library on Wednesday night, the fire service "
             "said. About 40,000 historical records were lost, according to the library's director, Mara Ilves. "
             "\"We have lost two centuries of the city's memory,\" Ilves said. No one was hurt in the fire."},
    {"id": "lib-2", "outlet": "Morrow Herald", "published": "2026-04-02", "url": "https://morrow.example/fire",
     "title": "Brannock library archive burns; 40,000 records lost",
     "text": "Fire tore through the archive wing of Brannock's city library late on Wednesday, the fire service "
             "said. Director Mara Ilves said about 40,000 historical records were lost. The cause of the fire is "
             "not yet known, and nobody was injured."},
    {"id": "lib-3", "outlet": "Tallis Courier", "published": "2026-04-03", "url": "https://tallis.example/lib",
     "title": "City library archive lost in overnight fire",
     "text": "The archive wing of the Brannock city library was destroyed by fire on Wednesday night. The library "
             "director, Mara Ilves, said about 40,000 records were lost. \"We have lost two centuries of the "
             "city's memory,\" she said. The fire service is investigating the cause."},
]


def copy_store(source: Path, target: Path) -> Path:
    """A consistent copy of a store another process may be writing (SQLite's backup, WAL included)."""
    import sqlite3

    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``newsprism serve`` in a child process; ``stop()`` ends it (Ctrl-C) and returns its log."""

    def __init__(self, db: Path, *args: str, token: str | None = TOKEN, env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.db = db
        self.log_path = db.parent / f"serve-{self.port}.log"
        command = [sys.executable, "-m", "newsprism", "serve", "--db", str(db), "--port", str(self.port), *args]
        if token:
            token_file = db.parent / "token.txt"
            token_file.write_text(token + "\n")
            command += ["--token-file", str(token_file)]
        self.token = token
        with self.log_path.open("w") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, **(env or {})})
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process.wait()
                raise RuntimeError("newsprism serve exited: " + self.log_path.read_text())
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("newsprism serve did not start: " + self.log_path.read_text())

    def auth(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}

    def wait_analysed(self, timeout: float = 180) -> list[str]:
        """Wait until every story has a current analysis; returns the story ids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ids = [s["id"] for s in httpx.get(self.url + "/api/stories?limit=500").json()["stories"]]
            if ids and httpx.get(self.url + "/healthz").json()["analyses_queued"] == 0 and all(
                    httpx.get(f"{self.url}/api/stories/{i}").headers.get("x-newsprism-analysis") == "current"
                    for i in ids):
                return ids
            time.sleep(0.5)
        raise RuntimeError("stories not analysed in time: " + self.log_path.read_text())

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(2)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.log_path.read_text()


@pytest.fixture(scope="session")
def served_store(tmp_path_factory) -> Path:
    """The bundled example and the one-sided story, ingested and clustered by the command line."""
    folder = tmp_path_factory.mktemp("served")
    (folder / "outlets.csv").write_text(OUTLETS_CSV)
    (folder / "library.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ONE_SIDED))
    db = folder / "store.db"
    subprocess.run([sys.executable, "-m", "newsprism", "ingest", str(EXAMPLE), str(folder / "library.jsonl"),
                    "--outlets", str(EXAMPLE / "outlets.csv"), "--outlets", str(folder / "outlets.csv"),
                    "--db", str(db), "--quiet"], check=True)
    return db


@pytest.fixture(scope="session")
def server(served_store):
    server = Server(served_store, "--allow-private", "--writes-per-minute", "1000",
                    "--outlets", str(EXAMPLE / "outlets.csv"), "--outlets", str(served_store.parent / "outlets.csv"))
    try:
        server.stories = server.wait_analysed()
        yield server
    finally:
        log = server.stop()
        assert "Traceback" not in log, log
