"""The REST API against a real ``newsprism serve`` on a loopback port, with a real HTTP client."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import jsonschema
import pytest
from conftest import TOKEN, Server, copy_store
from helpers import HOSTILE_PAYLOADS as PAYLOADS

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text())
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert('img')>"


def _stories(server, **params) -> list[dict]:
    reply = httpx.get(server.url + "/api/stories", params={"limit": 500, **params})
    assert reply.status_code == 200, reply.text
    return reply.json()["stories"]


def test_serve_listing_pages_walk_every_story_exactly_once(server):
    everything = [s["id"] for s in _stories(server)]
    assert len(everything) >= 2
    seen, url = [], server.url + "/api/stories?limit=1"
    while url:
        reply = httpx.get(url)
        body = reply.json()
        assert body["ok"] is True and len(body["stories"]) <= 1
        seen += [s["id"] for s in body["stories"]]
        url = body["next"]
        assert (reply.headers.get("link") is not None) == (url is not None)
        if url:
            assert reply.headers["link"] == f'<{url}>; rel="next"'
    assert seen == everything


def test_serve_story_report_is_valid_against_the_schema(server):
    story = server.stories[0]
    reply = httpx.get(f"{server.url}/api/stories/{story}")
    assert reply.status_code == 200 and reply.headers["x-newsprism-analysis"] == "current"
    report = reply.json()
    jsonschema.validate(report, SCHEMA)
    assert report["schema"] == "newsprism.report/1" and report["facts"]
    markdown = httpx.get(f"{server.url}/api/stories/{story}", params={"format": "md"})
    assert markdown.status_code == 200 and markdown.text.startswith("# ")
    html = httpx.get(f"{server.url}/api/stories/{story}", params={"format": "html"})
    assert html.status_code == 200 and "script-src 'sha256-" in html.headers["content-security-policy"]
    assert httpx.get(f"{server.url}/api/stories/{story}", params={"format": "pdf"}).status_code == 400


def test_serve_reads_carry_an_etag_and_answer_304(server):
    first = httpx.get(server.url + "/api/stories")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "max-age=5"
    again = httpx.get(server.url + "/api/stories", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert "access-control-allow-origin" not in first.headers  # CORS is off unless --cors


@pytest.mark.parametrize("path,status", [
    ("/api/stories?limit=abc", 400), ("/api/stories?limit=0", 400), ("/api/stories?lean=purple", 400),
    ("/api/stories?since=yesterday", 400), ("/api/stories?cursor=bm90IGEgY3Vyc29y", 400),
    ("/api/search", 400), ("/api/search?q=x&cursor=%%%", 400), ("/api/stories/nope", 404),
    ("/api/articles/nope", 404), ("/api/outlets/nope", 404), ("/api/nothing", 404),
])
def test_serve_bad_requests_get_a_json_error_with_a_hint(server, path, status):
    reply = httpx.get(server.url + path)
    assert reply.status_code == status
    body = reply.json()
    assert body["ok"] is False and body["error"] and body["hint"]
    assert "Traceback" not in reply.text


def test_serve_writes_need_the_token_and_a_same_site_origin(server):
    before = httpx.get(server.url + "/healthz").json()["articles"]
    record = [{"text": "A tram derailed in Oslen on Monday; nobody was hurt, the operator said."}]
    assert httpx.post(server.url + "/api/articles", json=record).status_code == 401
    wrong = httpx.post(server.url + "/api/articles", json=record, headers={"Authorization": "Bearer wrong"})
    assert wrong.status_code == 401 and wrong.json()["ok"] is False
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        reply = httpx.post(server.url + "/api/articles", json=record, headers={**server.auth(), **headers})
        assert reply.status_code == 403, headers
    assert httpx.get(server.url + "/healthz").json()["articles"] == before  # nothing was written


def _events(server, into: list, stop: threading.Event) -> None:
    with httpx.stream("GET", server.url + "/api/events", timeout=30) as reply:
        assert reply.headers["content-type"].startswith("text/event-stream")
        for line in reply.iter_lines():
            if line.startswith("event:"):
                into.append(line.split(":", 1)[1].strip())
            if stop.is_set() or "story" in into:
                return


def test_serve_post_articles_ingests_clusters_and_announces(server):
    got: list[str] = []
    stop = threading.Event()
    listener = threading.Thread(target=_events, args=(server, got, stop), daemon=True)
    listener.start()
    time.sleep(1.0)
    records = [
        {"id": "tram-1", "title": "Tram derails in Oslen", "outlet": "Lantern Daily", "published": "2026-05-04",
         "text": "A tram derailed in central Oslen on Monday morning, the city transport operator said. Nobody was "
                 "hurt. The operator said a broken rail was the likely cause and that the line would reopen on "
                 "Wednesday."},
        {"id": "tram-2", "title": "Oslen tram comes off the rails", "outlet": "Daily Rampart",
         "published": "2026-05-04",
         "text": "A tram came off the rails in central Oslen on Monday morning, according to the transport "
                 "operator. No one was injured. A broken rail is the likely cause, the operator said; the line "
                 "reopens on Wednesday."},
    ]
    reply = httpx.post(server.url + "/api/articles", json=records, headers=server.auth(), timeout=120)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["ok"] is True and len(body["articles"]) == 2 and len(body["stories"]) == 1
    article = httpx.get(f"{server.url}/api/articles/{body['articles'][0]}").json()
    assert article["story"] == body["stories"][0] and "derail" in article["article"]["text"]
    assert body["stories"][0] in [s["id"] for s in _stories(server)]
    again = httpx.post(server.url + "/api/articles", json=records, headers=server.auth(), timeout=120)
    assert again.status_code == 200 and again.json()["unchanged"] == 2  # the same articles are stored once
    deadline = time.monotonic() + 60
    while "story" not in got and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    listener.join(timeout=20)
    assert "story" in got


@pytest.mark.parametrize("body,status,words", [
    ([], 422, "non-empty JSON array"), ([{"title": "no text"}], 422, "record 1 has no text"),
    ([{"text": "x", "colour": "red"}], 422, "unknown fields: colour"), ([1], 422, "record 1 is not"),
    ({"urls": ["ftp://example.com/x"]}, 422, "http(s) addresses"), ({"urls": []}, 422, "http(s) addresses"),
])
def test_serve_bad_records_are_refused_with_what_to_fix(server, body, status, words):
    reply = httpx.post(server.url + "/api/articles", json=body, headers=server.auth())
    assert reply.status_code == status and words in reply.json()["error"]


def test_serve_a_body_that_is_not_json_is_a_400(server):
    reply = httpx.post(server.url + "/api/articles", content=b"{not json", headers=server.auth())
    assert reply.status_code == 400 and "not JSON" in reply.json()["error"]


class _Page(BaseHTTPRequestHandler):
    body = (b"<html><head><title>Ferry resumes service</title></head><body><article><h1>Ferry resumes service"
            b"</h1><p>The Tessel ferry resumed service on Thursday after a two-week repair, its operator said. "
            b"Crossings run every hour again, the operator said, and fares are unchanged.</p><p>The ferry had "
            b"been out of service since a collision with a jetty on March 3.</p></article></body></html>")

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def page_server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_serve_fetches_posted_urls_with_the_safe_fetcher(server, page_server):
    reply = httpx.post(server.url + "/api/articles", json={"urls": [page_server + "/ferry.html"]},
                       headers=server.auth(), timeout=120)
    assert reply.status_code == 201, reply.text
    (article_id,) = reply.json()["articles"]
    assert "resumed service on Thursday" in httpx.get(f"{server.url}/api/articles/{article_id}").json()["article"]["text"]


def test_serve_analyze_returns_a_report_and_stores_nothing(server):
    before = httpx.get(server.url + "/healthz").json()["articles"]
    records = [{"title": "Bridge shut", "outlet": "Lantern Daily", "text": "The Ferrow bridge was closed on Monday "
                "after engineers found a crack, the city said."},
               {"title": "Crack closes bridge", "outlet": "Daily Rampart", "text": "Engineers found a crack in the "
                "Ferrow bridge, which the city closed on Monday."}]
    reply = httpx.post(server.url + "/api/analyze", json=records, headers=server.auth(), timeout=120)
    assert reply.status_code == 200, reply.text
    jsonschema.validate(reply.json(), SCHEMA)
    assert len(reply.json()["articles"]) == 2
    assert httpx.get(server.url + "/healthz").json()["articles"] == before


def test_serve_search_finds_passages_with_their_offsets(server):
    reply = httpx.get(server.url + "/api/search", params={"q": "records lost"})
    body = reply.json()
    assert body["ok"] and body["results"]
    for hit in body["results"]:
        text = httpx.get(f"{server.url}/api/articles/{hit['article']}").json()["article"]
        source = text["title"] if hit["kind"] == "title" else text["text"]
        assert source[hit["start"]:hit["end"]] == hit["text"] or hit["kind"] == "fact"
        assert hit["link"].startswith(("/stories/", "/articles/"))
    assert any(h["kind"] == "fact" for h in body["results"])
    first = httpx.get(server.url + "/api/search", params={"q": "archive", "limit": 1}).json()
    assert len(first["results"]) == 1 and first["next"]
    second = httpx.get(first["next"]).json()
    assert second["results"] and second["results"][0] != first["results"][0]


def test_serve_filters_the_feed(server):
    library = next(s for s in _stories(server) if "library" in (s["title"] or "").lower())
    harbour = next(s for s in _stories(server) if "State" in " ".join(s["outlets"]))
    assert [s["id"] for s in _stories(server, one_side=1)] == [library["id"]]
    assert library["one_side"] == "left" and library["state_media"] == ["Tallis Courier"]
    ids = lambda **p: {s["id"] for s in _stories(server, **p)}  # noqa: E731
    assert library["id"] in ids(country="XC") and harbour["id"] not in ids(country="XC")
    assert ids(min_outlets=5) == {harbour["id"]}
    assert harbour["id"] in ids(lean="right") and library["id"] not in ids(lean="right")
    # since: published that day or later, or stored since then (these were all stored just now)
    assert ids(since="2099-01-01") == set() and {library["id"], harbour["id"]} <= ids(since="2d")
    assert ids(q="archive") == {library["id"]}
    assert harbour["id"] in ids(outlet="Lantern Daily")


def test_serve_outlets_show_registry_and_corroboration(server):
    outlets = httpx.get(server.url + "/api/outlets").json()["outlets"]
    lantern = next(o for o in outlets if o["name"] == "Lantern Daily")
    assert (lantern["key"], lantern["lean"], lantern["rating_source"]) == ("lantern-daily", "left",
                                                                           "fictional example rating")
    detail = httpx.get(server.url + "/api/outlets/lantern-daily").json()["outlet"]
    assert detail["facts"] > 0 and 0 < detail["corroborated_share"] <= 1
    assert detail["corroborated"] + len(detail["single_source"]) == detail["facts"]
    assert detail["story_ids"]


def test_serve_health_metrics_and_openapi(server):
    health = httpx.get(server.url + "/healthz").json()
    assert health["ok"] and health["schema_version"] == 4 and health["articles"] >= 8
    metrics = httpx.get(server.url + "/metrics").text
    assert 'newsprism_http_requests_total{route="/api/stories",method="GET",status="200"}' in metrics
    assert "newsprism_store_articles" in metrics and "newsprism_http_request_seconds_bucket" in metrics
    spec = httpx.get(server.url + "/openapi.json").json()
    assert spec["openapi"].startswith("3.") and "/api/stories/{id}" in spec["paths"]
    assert httpx.get(server.url + "/docs").status_code == 200


def test_serve_pages_escape_hostile_article_text(server):
    records = [{"id": "hostile-1", "title": "Mayor " + HOSTILE, "text": "The mayor of Tessel resigned on Friday. "
                + HOSTILE + " The council will choose a successor next week, a spokesman said."}]
    reply = httpx.post(server.url + "/api/articles", json=records, headers=server.auth(), timeout=120)
    assert reply.status_code == 201, reply.text
    article_id, story_id = reply.json()["articles"][0], reply.json()["stories"][0]
    for path in (f"/articles/{article_id}", "/", "/search?q=mayor"):
        page = httpx.get(server.url + path).text
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;" in page or path == "/search?q=mayor", path
    server.wait_analysed()
    page = httpx.get(f"{server.url}/stories/{story_id}").text
    assert "&lt;script&gt;" in page and "<script>alert" not in page


def test_serve_reads_never_write(server):
    server.wait_analysed()
    time.sleep(1)
    files = [server.db, Path(str(server.db) + "-wal")]
    before = [(f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists()]
    for path in ["/", "/blindspots", "/outlets", "/outlets/lantern-daily", "/search?q=strike", "/docs",
                 *[f"/stories/{s}" for s in server.stories], "/api/stories", "/api/search?q=strike", "/metrics"]:
        assert httpx.get(server.url + path).status_code == 200, path
    assert [(f.stat().st_size, f.stat().st_mtime_ns) for f in files if f.exists()] == before


def test_serve_limits_rate_body_size_and_private_addresses(served_store, page_server, tmp_path):
    db = copy_store(served_store, tmp_path / "small.db")
    small = Server(db, "--writes-per-minute", "4", "--max-body", "1", "--no-analyse")
    try:
        big = [{"text": "word " * 300_000}]
        reply = httpx.post(small.url + "/api/articles", json=big, headers=small.auth())
        assert reply.status_code == 413 and "limit" in reply.json()["error"]

        def chunks():  # no Content-Length: the limit is kept as the bytes arrive
            for _ in range(40):
                yield b"x" * 65_536

        chunked = httpx.post(small.url + "/api/articles", content=chunks(), headers=small.auth())
        assert chunked.status_code == 413
        upload = httpx.post(small.url + "/ingest", files={"files": ("big.txt", b"y" * 2_000_000)},
                            headers=small.auth())
        assert upload.status_code == 413
        private = httpx.post(small.url + "/api/articles", json={"urls": [page_server + "/ferry.html"]},
                             headers=small.auth(), timeout=60)
        assert private.status_code == 422 and "allow-private" in private.text.lower().replace("_", "-"), private.text
        limited = httpx.post(small.url + "/api/articles", json=[], headers=small.auth())
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    finally:
        assert "Traceback" not in small.stop()


def test_serve_without_a_token_takes_no_writes(served_store, tmp_path):
    db = copy_store(served_store, tmp_path / "ro.db")
    readonly = Server(db, "--no-analyse", token=None, env={"NEWSPRISM_TOKEN": ""})
    try:
        reply = httpx.post(readonly.url + "/api/articles", json=[{"text": "x"}],
                           headers={"Authorization": f"Bearer {TOKEN}"})
        assert reply.status_code == 401 and "--token-file" in reply.json()["hint"]
        assert httpx.get(readonly.url + "/api/stories").json()["stories"]
    finally:
        readonly.stop()


def test_serve_pages_keep_hostile_payloads_inert(server):
    """The HTML-safety suite's payloads in every field of an article: no page of the server gets markup from them."""
    joined = " ".join(PAYLOADS)
    records = [{"id": f"payload-{i}", "title": f"Harbour vote {p}", "outlet": p, "url": "javascript:alert(1)",
                "text": f"The harbour board voted on Monday to close the north quay. {joined} The quay closes in "
                        f"June, the board said."} for i, p in enumerate(PAYLOADS[:3])]
    reply = httpx.post(server.url + "/api/articles", json=records, headers=server.auth(), timeout=120)
    assert reply.status_code == 201, reply.text
    body = reply.json()
    server.wait_analysed()
    pages = ["/", "/search?q=quay", "/outlets", *[f"/articles/{a}" for a in body["articles"]],
             *[f"/stories/{s}" for s in body["stories"]]]
    for path in pages:
        page = httpx.get(server.url + path).text
        for tag in ("<script>alert", "<img src=x", "<svg onload", "<iframe", "<link rel=stylesheet href=https",
                    "<meta http-equiv=refresh", 'href="javascript:', "<b>bold</b>"):
            assert tag not in page, (path, tag)
        assert "49" not in page.split("7*7")[0][-5:], "no template ran"


def test_serve_a_request_that_fails_inside_is_a_500_and_the_server_goes_on(server, tmp_path):
    import sqlite3

    server.wait_analysed()
    db = copy_store(server.db, tmp_path / "broken.db")
    with sqlite3.connect(db) as conn:  # a damaged analysis row, as a failing disk or a hand edit leaves it
        assert conn.execute("UPDATE analyses SET report = '{\"not\": \"a report\"}'").rowcount > 0
    conn.close()
    broken = Server(db, "--no-analyse")
    try:
        story = httpx.get(broken.url + "/api/stories").json()["stories"][0]["id"]
        reply = httpx.get(f"{broken.url}/api/stories/{story}", params={"format": "md"})
        assert reply.status_code == 500 and reply.json()["ok"] is False and "Traceback" not in reply.text
        page = httpx.get(f"{broken.url}/stories/{story}")
        assert page.status_code == 500 and "text/html" in page.headers["content-type"]
        assert httpx.get(broken.url + "/healthz").status_code == 200
    finally:
        log = broken.stop()
    assert "internal error: ValidationError" in log and "Traceback" not in log
