"""`newsprism feeds …` and `newsprism watch` as a user runs them (real processes, a real feed farm on loopback),
and `newsprism serve --watch` following a feed while serving."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest
from farm import Farm


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "newsprism", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "NEWSPRISM_EMBEDDER": "potion"})


def test_feeds_add_list_export_import_remove(tmp_path):
    db = str(tmp_path / "feeds.db")
    done = _run("feeds", "add", "https://example.com/rss", "https://example.org/atom.xml", "not-a-url", "--db", db)
    assert done.returncode == 1
    assert "error: not-a-url: is not an http(s) address" in done.stderr and "2 feeds added" in done.stderr
    listed = _run("feeds", "--db", db, "--json")
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [r["url"] for r in rows] == ["https://example.com/rss", "https://example.org/atom.xml"]
    assert {r["status"] for r in rows} == {"not checked yet"}
    opml = tmp_path / "subs.opml"
    assert _run("feeds", "export", "-o", str(opml), "--db", db).returncode == 0
    other = str(tmp_path / "other.db")
    imported = _run("feeds", "import", str(opml), "--db", other)
    assert imported.returncode == 0 and "2 feeds added" in imported.stderr
    again = _run("feeds", "import", str(opml), "--db", other)
    assert "0 feeds added, 2 already followed" in again.stderr
    assert _run("feeds", "remove", "https://example.com/rss", "--db", other).returncode == 0
    gone = _run("feeds", "remove", "https://example.com/rss", "--db", other)
    assert gone.returncode == 1 and "is not a followed feed" in gone.stderr
    table = _run("feeds", "--db", other)
    assert "https://example.org/atom.xml" in table.stdout and "not checked yet" in table.stdout


def test_feeds_import_refuses_bad_lists_with_one_line_each(tmp_path):
    bomb = tmp_path / "bomb.opml"
    bomb.write_text("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'a'>]><opml><body/></opml>")
    feed = tmp_path / "feed.xml"
    feed.write_text("<rss version='2.0'><channel><title>t</title></channel></rss>")
    words = tmp_path / "words.txt"
    words.write_text("hello world\n")
    done = _run("feeds", "import", str(bomb), str(feed), str(words), str(tmp_path / "missing.opml"),
                "--db", str(tmp_path / "x.db"))
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 4 and "Traceback" not in done.stderr
    assert "DOCTYPE" in lines[0] and "not OPML" in lines[1] and "neither OPML" in lines[2]
    assert "cannot be read" in lines[3]


def test_watch_once_reads_the_feeds_into_stories(tmp_path):
    db = str(tmp_path / "w.db")
    with Farm(hosts=2, feeds_per_host=1, items=3, full_text_share=0.5) as farm:
        assert _run("feeds", "add", *farm.feed_urls(), "--db", db).returncode == 0
        done = _run("watch", "--once", "--allow-private", "--host-pause", "0.05", "--db", db)
        assert done.returncode == 0, done.stderr
        assert "2 feeds checked: 2 fetched" in done.stderr and "6 stored" in done.stderr
        stories = _run("stories", "--db", db, "--json")
        assert sum(json.loads(line)["articles"] for line in stories.stdout.splitlines()) == 6
        again = _run("watch", "--once", "--allow-private", "--db", db)
        assert again.returncode == 0 and "0 feeds checked" in again.stderr, "nothing is due yet"
        every = _run("watch", "--once", "--all", "--allow-private", "--db", db)
        assert "2 not modified" in every.stderr
        listed = [json.loads(line) for line in _run("feeds", "--db", db, "--json").stdout.splitlines()]
        assert {r["status"] for r in listed} == {"not modified"} and {r["items"] for r in listed} == {3}
        items = [json.loads(line) for line in _run("feeds", "items", farm.feed_urls()[0], "--db", db,
                                                     "--json").stdout.splitlines()]
        assert len(items) == 3 and {i["state"] for i in items} == {"stored"}


def test_watch_logs_one_line_per_problem_and_exits_3_when_some_failed_for_now(tmp_path):
    db = str(tmp_path / "w.db")
    with Farm(hosts=1, feeds_per_host=1, items=1) as farm:
        _run("feeds", "add", farm.url(0, "/status/503"), *farm.feed_urls(), "--db", db)
        done = _run("watch", "--once", "--allow-private", "--no-analyse", "--db", db)
        assert done.returncode == 3 and "Traceback" not in done.stderr
        problem = [line for line in done.stderr.splitlines() if line.startswith("error:")]
        assert len(problem) == 1 and "/status/503: HTTP 503" in problem[0]
        assert "1 fetched" in done.stderr


def test_watch_without_feeds_says_what_to_do(tmp_path):
    done = _run("watch", "--once", "--db", str(tmp_path / "none.db"))
    assert done.returncode == 2 and "newsprism feeds add URL" in done.stderr


def test_watch_stops_cleanly_on_ctrl_c(tmp_path):
    db = str(tmp_path / "w.db")
    with Farm(hosts=1, feeds_per_host=1, items=2, full_text_share=1) as farm:
        _run("feeds", "add", *farm.feed_urls(), "--db", db)
        proc = subprocess.Popen([sys.executable, "-m", "newsprism", "watch", "--allow-private", "--no-analyse",
                                 "--db", db], stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "NEWSPRISM_EMBEDDER": "potion"})
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            rows = [json.loads(line) for line in _run("feeds", "--db", db, "--json").stdout.splitlines()]
            if rows and rows[0]["items"] == 2 and rows[0]["pending_items"] == 0:
                break
            time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        assert "stopping" in err and "Traceback" not in err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_watch_follows_the_feeds_while_serving(tmp_path):
    db = str(tmp_path / "served.db")
    with Farm(hosts=2, feeds_per_host=1, items=2, full_text_share=1) as farm:
        _run("feeds", "add", *farm.feed_urls(), "--db", db)
        port = _free_port()
        proc = subprocess.Popen([sys.executable, "-m", "newsprism", "serve", "--db", db, "--port", str(port),
                                 "--watch", "--allow-private", "--no-analyse", "-q"],
                                stderr=subprocess.PIPE, text=True, env={**os.environ, "NEWSPRISM_EMBEDDER": "potion"})
        try:
            deadline, stories = time.monotonic() + 90, []
            while time.monotonic() < deadline:
                try:
                    stories = httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=5).json()["stories"]
                except (httpx.HTTPError, ValueError, KeyError):
                    stories = []
                if sum(s["articles"] for s in stories) == 4:
                    break
                time.sleep(0.5)
            assert sum(s["articles"] for s in stories) == 4, "the watcher's articles are served"
        finally:
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
        assert "Traceback" not in err
        assert sum(n for log in farm.logs.values() for p, n in log.paths.items() if p.startswith("/feeds/")) == 2


@pytest.mark.parametrize("args", [["--all"], ["--min-interval", "90", "--max-interval", "30", "--once"]])
def test_watch_refuses_contradictory_options(tmp_path, args):
    done = _run("watch", *args, "--db", str(tmp_path / "x.db"))
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.strip()
