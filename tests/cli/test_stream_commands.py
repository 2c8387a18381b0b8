"""ingest / stories / show / cluster as a user runs them: idempotence, kills, feeds, bad input, locked stores."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from helpers import run_cli

BRIDGE = [
    ("Harrow Bridge closed after barge strike", "The Harrow Bridge over the Tessel river was closed on Tuesday "
     "after a grain barge struck one of its piers, the city transport office said. Engineers will inspect it."),
    ("Barge hits Harrow Bridge pier, crossing shut", "A barge loaded with grain hit a pier of Harrow Bridge, "
     "forcing officials to shut the crossing over the Tessel while engineers inspect the damage to the pier."),
]
VOTE = ("Lindvik council votes to ban cars from old town", "Lindvik city council voted 31 to 12 on Monday to ban "
        "private cars from the old town from next spring, Mayor Ellen Saari said after the vote.")


run = run_cli


def _jsonl(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _records():
    return [{"id": "b1", "title": BRIDGE[0][0], "text": BRIDGE[0][1], "outlet": "Tessel Post"},
            {"id": "b2", "title": BRIDGE[1][0], "text": BRIDGE[1][1], "outlet": "River Times"},
            {"id": "v1", "title": VOTE[0], "text": VOTE[1], "outlet": "Lindvik Herald"}]


def test_stream_cluster_one_line_per_id_and_repeated_ids_reported(tmp_path, capsys):
    rows = _records() + [{"id": "b1", "title": "again", "text": "a repeat"}]
    code, out, err = run(["cluster", str(_jsonl(tmp_path / "a.jsonl", rows))], capsys)
    lines = [json.loads(line) for line in out.splitlines()]
    assert [x["id"] for x in lines] == ["b1", "b2", "v1"]
    stories = {x["id"]: x["story"] for x in lines}
    assert stories["b1"] == stories["b2"] != stories["v1"]
    assert code == 1 and "id 'b1' repeats" in err and "a.jsonl#4" in err


def test_stream_ingest_is_idempotent_and_stories_lists_them(tmp_path, capsys):
    db, source = str(tmp_path / "n.db"), str(_jsonl(tmp_path / "a.jsonl", _records()))
    code, _, err = run(["ingest", source, "--db", db], capsys)
    assert code == 0 and "3 added" in err
    code, _, err = run(["ingest", source, "--db", db], capsys)
    assert code == 0 and "0 added, 0 updated, 3 unchanged" in err
    code, out, _ = run(["stories", "--db", db, "--json"], capsys)
    listed = [json.loads(line) for line in out.splitlines()]
    assert sorted(s["articles"] for s in listed) == [1, 2]
    code, out, _ = run(["stories", "--db", db, "--min-outlets", "2"], capsys)
    assert len(out.splitlines()) == 1 and "Harrow Bridge" in out
    code, _, err = run(["stories", "--db", db, "--since", "2x"], capsys)
    assert code == 2 and "12h, 2d or 1w" in err


def test_stream_show_renders_the_same_report_as_analyze(tmp_path, capsys):
    db, source = str(tmp_path / "n.db"), str(_jsonl(tmp_path / "a.jsonl", _records()[:2]))
    run(["ingest", source, "--db", db, "-q"], capsys)
    _, out, _ = run(["stories", "--db", db, "--json"], capsys)
    story = json.loads(out.splitlines()[0])["id"]
    code, _, _ = run(["show", story, "--db", db, "-o", str(tmp_path / "s.json"), "-q"], capsys)
    assert code == 0
    run(["analyze", source, "-o", str(tmp_path / "a.json"), "-q"], capsys)
    shown, analysed = (json.loads((tmp_path / n).read_text()) for n in ("s.json", "a.json"))
    for report in (shown, analysed):
        report.pop("generated_at")
        for article in report["articles"]:
            article.pop("source")
    assert shown == analysed


def test_stream_store_errors_are_one_line(tmp_path, capsys, monkeypatch):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not sqlite at all" * 200)
    code, _, err = run(["stories", "--db", str(bad)], capsys)
    assert code == 2 and err.count("\n") == 1 and "corrupt" in err
    code, _, err = run(["stories", "--db", str(tmp_path / "missing.db")], capsys)
    assert code == 2 and "newsprism ingest" in err
    # A store another process is writing to: reported as locked, not a traceback.
    from newsprism.store import sqlite as store_sqlite

    db = tmp_path / "n.db"
    run(["ingest", str(_jsonl(tmp_path / "a.jsonl", _records()[:1])), "--db", str(db), "-q"], capsys)
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT", 0.1)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = run(["ingest", str(_jsonl(tmp_path / "b.jsonl", _records()[1:])), "--db", str(db)], capsys)
    finally:
        holder.execute("ROLLBACK")
    assert code == 3 and "locked by another process" in err  # a retry later may work


@pytest.mark.slow
def test_stream_ingest_killed_midway_keeps_what_it_committed(tmp_path):
    rows = [{"id": f"r{n}", "title": f"Report {n} on the {n % 97} ward budget",
             "text": f"The council of ward {n % 97} approved a budget of {n} crowns for the year {2000 + n % 50}, "
                     f"its treasurer said in a statement on item {n}."} for n in range(4000)]
    source = _jsonl(tmp_path / "many.jsonl", rows)
    db = tmp_path / "n.db"
    command = [sys.executable, "-m", "newsprism", "ingest", str(source), "--db", str(db), "-v", "-q"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    committed = []
    for line in process.stderr:
        if line.startswith("added "):
            committed.append(line.split()[1])
            if len(committed) == 200:
                process.send_signal(signal.SIGKILL)
                break
    process.wait()
    process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    store = sqlite3.connect(db)
    assert store.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in store.execute("SELECT id FROM articles")}
    assert set(committed) <= stored and len(stored) < len(rows)
    store.close()
    rerun = subprocess.run(command[:-2] + ["-q"], capture_output=True, text=True, env=env)
    assert rerun.returncode == 0, rerun.stderr
    store = sqlite3.connect(db)
    assert store.execute("SELECT COUNT(*), COUNT(DISTINCT id) FROM articles").fetchone() == (len(rows), len(rows))
    assert store.execute("SELECT COUNT(*) FROM assignments").fetchone()[0] == len(rows)
    store.close()


@pytest.fixture
def site(tmp_path):
    """A local web server for feeds and pages (tests never reach the network)."""
    root = tmp_path / "site"
    root.mkdir()

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class _Flaky(SimpleHTTPRequestHandler):
    """Serves files; answers 503 for a path while a file named ``<path>.down`` exists beside it; counts requests."""

    counts: dict[str, int] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).counts[self.path] = type(self).counts.get(self.path, 0) + 1
        if os.path.exists(os.path.join(self.directory, self.path.lstrip("/") + ".down")):
            self.send_response(503)
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture
def flaky_site(tmp_path):
    root = tmp_path / "flaky"
    root.mkdir()
    _Flaky.counts = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Flaky, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}", _Flaky.counts
    server.shutdown()
    server.server_close()


def test_stream_ingest_transient_failure_is_recorded_retried_and_cleared(tmp_path, flaky_site, capsys):
    root, base, counts = flaky_site
    page = "<html><head><title>{0}</title></head><body><article><p>{1}</p><p>{1}</p></article></body></html>"
    (root / "one.html").write_text(page.format(*BRIDGE[0]))
    (root / "one.html.down").write_text("")
    db = str(tmp_path / "n.db")
    code, _, err = run(["ingest", f"{base}/one.html", "--db", db, "--allow-private"], capsys)
    assert code == 3 and "HTTP 503" in err and "1 inputs to retry later" in err
    (root / "one.html.down").unlink()
    code, _, err = run(["ingest", "--retry", "--db", db, "--allow-private"], capsys)
    assert code == 0 and "1 retried; 1 added" in err and "to retry later" not in err
    code, _, err = run(["ingest", "--retry", "--db", db, "--allow-private"], capsys)
    assert code == 0 and "0 retried" in err  # nothing is left waiting
    assert counts["/one.html"] == 2  # each run fetched the page once


def test_stream_a_page_url_is_fetched_once(tmp_path, flaky_site, capsys):
    root, base, counts = flaky_site
    page = "<html><head><title>{0}</title></head><body><article><p>{1}</p></article></body></html>"
    (root / "vote.html").write_text(page.format(*VOTE))
    code, _, err = run(["ingest", f"{base}/vote.html", "--db", str(tmp_path / "n.db"), "--allow-private"], capsys)
    assert code == 0 and "1 added" in err
    assert counts == {"/vote.html": 1}


def test_stream_analyze_and_extract_read_feeds_too(tmp_path, capsys):
    body = " ".join([BRIDGE[0][1]] * 8)
    feed = tmp_path / "feed.rss"
    feed.write_text(_rss(f"<item><title>{BRIDGE[0][0]}</title><link>https://news.invalid/a</link>"
                         f"<description><![CDATA[<p>{body}</p>]]></description></item>"))
    code, out, _ = run(["extract", "-q", str(feed)], capsys)
    (record,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and record["source"] == f"{feed}#item-1" and record["url"] == "https://news.invalid/a"
    assert record["title"] == BRIDGE[0][0]


def _rss(items: str) -> str:
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test</title>{items}</channel></rss>'


def test_stream_ingest_feed_items_fetched_and_a_failing_page_reported(tmp_path, site, capsys):
    root, base = site
    page = ("<html><head><title>{0}</title></head><body><article><h1>{0}</h1><p>{1}</p><p>{1}</p>"
            "</article></body></html>")
    (root / "one.html").write_text(page.format(*BRIDGE[0]))
    (root / "two.html").write_text(page.format(*BRIDGE[1]))
    items = "".join(f"<item><title>t{n}</title><link>{base}/{name}</link>"
                    f"<pubDate>Tue, 04 Mar 2025 10:00:00 GMT</pubDate></item>"
                    for n, name in enumerate(["one.html", "missing.html", "two.html"]))
    (root / "feed.xml").write_text(_rss(items))
    feeds = tmp_path / "feeds.txt"
    feeds.write_text(f"# our feeds\n{base}/feed.xml\n")
    db = str(tmp_path / "n.db")
    code, _, err = run(["ingest", str(feeds), "--db", db, "--allow-private"], capsys)
    assert code == 1 and "missing.html" in err and "2 added" in err
    _, out, _ = run(["stories", "--db", db, "--json"], capsys)
    (story,) = [json.loads(line) for line in out.splitlines()]
    assert story["articles"] == 2 and story["published"] == "2025-03-04"


def test_stream_ingest_feed_full_content_read_from_the_feed(tmp_path, capsys):
    body = " ".join([BRIDGE[0][1]] * 8)
    feed = tmp_path / "feed.rss"
    feed.write_text(_rss(f"<item><title>{BRIDGE[0][0]}</title><link>https://news.invalid/a</link>"
                         f"<description><![CDATA[<p>{body}</p>]]></description></item>"))
    db = str(tmp_path / "n.db")
    code, _, err = run(["ingest", str(feed), "--db", db], capsys)  # no network: the text is in the feed
    assert code == 0 and "1 added" in err


def test_stream_ingest_refuses_bad_feeds_and_goes_on(tmp_path, capsys):
    not_xml = tmp_path / "broken.xml"
    not_xml.write_text("this is { not xml at all")
    bomb = tmp_path / "bomb.xml"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    '<rss version="2.0"><channel><item><title>&b;</title></item></channel></rss>')
    good = _jsonl(tmp_path / "a.jsonl", _records()[:1])
    code, _, err = run(["ingest", str(not_xml), str(bomb), str(good), "--db", str(tmp_path / "n.db")], capsys)
    assert code == 1 and "1 added" in err
    assert "broken.xml: not an RSS or Atom feed" in err
    assert "bomb.xml: the feed declares XML entities" in err


def test_stream_feed_of_many_items_is_cut_with_a_warning():
    from newsprism.ingest.feeds import MAX_ITEMS, parse_feed

    items = "".join(f"<item><title>t{n}</title><link>https://news.invalid/{n}</link></item>"
                    for n in range(MAX_ITEMS + 200))
    warnings: list[str] = []
    parsed = parse_feed(_rss(items).encode(), "big.xml", warnings)
    assert len(parsed) == MAX_ITEMS and parsed[0].link == "https://news.invalid/0"
    assert len(warnings) == 1 and f"{MAX_ITEMS + 200:,} items" in warnings[0]
