"""The server's parts on their own: the catalog's paging and filters, sessions, the cross-site and rate checks,
settings, and the command line's clear lines for bad input."""

from __future__ import annotations

import pytest
from helpers import run_cli
from starlette.requests import Request

from newsprism.errors import InputError
from newsprism.serve.catalog import Filters, Snapshot
from newsprism.serve.security import RateLimit, cross_site, make_session, valid_session
from newsprism.serve.settings import ServeSettings, read_token
from newsprism.store.base import ListingRow


def _row(story, article, outlet, lean, published, added="2026-01-01T00:00:00+00:00", country="XA"):
    return ListingRow(story, article, f"title {story}", outlet, lean, country, "private", "article", None, published,
                      added)


ROWS = [_row("s1", "a1", "A", "left", "2026-01-03"), _row("s1", "a2", "B", "lean_left", "2026-01-03"),
        _row("s1", "a3", "C", "left", "2026-01-02"), _row("s2", "b1", "A", "left", "2026-01-05"),
        _row("s2", "b2", "D", "right", "2026-01-05", country="XB"), _row("s3", "c1", "D", "right", "2026-01-04"),
        _row("s4", "d1", "E", None, "2026-01-04")]


def test_catalog_pages_newest_first_and_every_story_once():
    snapshot = Snapshot(ROWS)
    assert [e.id for e in snapshot.stories] == ["s2", "s3", "s4", "s1"]  # ties (s3, s4) by id
    seen, cursor = [], None
    while True:
        page, cursor = snapshot.page(Filters(), 1, cursor)
        seen += [e.id for e in page]
        if cursor is None:
            break
    assert seen == ["s2", "s3", "s4", "s1"]


def test_catalog_filters_and_blindspots():
    snapshot = Snapshot(ROWS)
    ids = lambda **f: [e.id for e in snapshot.page(Filters(**f), 10)[0]]  # noqa: E731
    assert ids(lean="right") == ["s2", "s3"]
    assert ids(country="xb") == ["s2"]
    assert ids(min_outlets=3) == ["s1"]
    assert ids(outlet="the a") == ids(outlet="A") == ["s2", "s1"]
    assert ids(one_side=True) == ["s1"] and snapshot.by_id["s1"].side == "left"
    assert ids(stories=frozenset({"s3"})) == ["s3"]
    assert snapshot.outlets["a"].stories == ["s1", "s2"] and snapshot.outlets["a"].articles == 2


def test_sessions_are_signed_and_expire():
    key, other = b"k" * 32, b"o" * 32
    cookie = make_session(key, now=1000.0)
    assert valid_session(key, cookie, now=2000.0)
    assert not valid_session(other, cookie, now=2000.0)
    assert not valid_session(key, cookie, now=1000.0 + 8 * 24 * 3600)
    assert not valid_session(key, cookie.replace(".", "0."), now=2000.0)
    assert not valid_session(key, None) and not valid_session(key, "garbage")


def _request(headers: dict) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in {"host": "127.0.0.1:8000", **headers}.items()]
    return Request({"type": "http", "method": "POST", "path": "/", "headers": raw, "query_string": b""})


@pytest.mark.parametrize("headers,refused", [
    ({}, False), ({"Origin": "http://127.0.0.1:8000"}, False), ({"Origin": "http://evil.example"}, True),
    ({"Origin": "null"}, True), ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, False),
    ({"Sec-Fetch-Site": "cross-site"}, True), ({"Sec-Fetch-Site": "same-site"}, True),
    ({"Sec-Fetch-Site": "none"}, False),
])
def test_cross_site_posts_are_told_apart(headers, refused):
    assert cross_site(_request(headers)) is refused


def test_rate_limit_refills_over_a_minute():
    limit = RateLimit(per_minute=2)
    assert limit.take("a", now=0) == 0 and limit.take("a", now=0) == 0
    assert limit.take("a", now=0) == pytest.approx(30.0)
    assert limit.take("b", now=0) == 0  # per client
    assert limit.take("a", now=31) == 0


def test_settings_refuse_a_short_token_and_read_the_token_file(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="at least 16"):
        ServeSettings(token="short")
    (tmp_path / "t.txt").write_text("  a-long-enough-token-here \nignored\n")
    assert read_token(str(tmp_path / "t.txt")) == "a-long-enough-token-here"
    (tmp_path / "empty.txt").write_text("\n")
    with pytest.raises(InputError, match="empty"):
        read_token(str(tmp_path / "empty.txt"))
    monkeypatch.setenv("NEWSPRISM_TOKEN", "from-the-environment-123")
    assert read_token(None) == "from-the-environment-123"


def test_cli_serve_bad_store_and_token_are_one_clear_line(tmp_path, capsys):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    code, _, err = run_cli(["serve", "--db", str(bad), "--port", "8999"], capsys)
    assert code != 0 and err.count("\n") == 1 and "not a usable newsprism database" in err
    (tmp_path / "t.txt").write_text("short\n")
    code, _, err = run_cli(["serve", "--db", str(tmp_path / "ok.db"), "--token-file", str(tmp_path / "t.txt")],
                           capsys)
    assert code != 0 and "at least 16" in err and "Traceback" not in err
