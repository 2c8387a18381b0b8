"""The SQLite store: idempotent upserts, migrations, clear errors, incremental clustering and analysis."""

from __future__ import annotations

import sqlite3

import pytest

from newsprism.errors import InputError, TransientError
from newsprism.models import Article, Outlet, Report
from newsprism.store import open_store, sqlite as store_sqlite
from newsprism.store.ingest import story_report, update_stories

BRIDGE = [
    "The Harrow Bridge over the Tessel river was closed on Tuesday after a grain barge struck one of its piers.",
    "A barge loaded with grain hit a pier of Harrow Bridge, forcing officials to shut the crossing over the Tessel.",
    "Engineers began inspecting the Harrow Bridge on the Tessel river after the collision with a grain barge.",
]


def _article(n: int, text: str, url: str | None = None, outlet: str = "Tessel Post") -> Article:
    return Article(id=f"a{n}", source="test", title="Harrow Bridge closed", text=text, url=url,
                   outlet=Outlet(name=outlet, lean="center"))


def test_store_same_article_twice_is_stored_once(tmp_path):
    store = open_store(tmp_path / "s.db")
    assert store.upsert_article(_article(1, BRIDGE[0], "https://x.example/a?utm_source=feed")) == ("a1", "added")
    # The same page under a tracking-decorated URL and another id is the same article.
    again = _article(7, BRIDGE[0], "https://X.example/a/#comments")
    assert store.upsert_article(again) == ("a1", "unchanged")
    assert len(store.articles()) == 1


def test_store_changed_article_is_updated_not_duplicated(tmp_path):
    store = open_store(tmp_path / "s.db")
    store.upsert_article(_article(1, BRIDGE[0], "https://x.example/a"))
    assert store.upsert_article(_article(1, BRIDGE[0] + " It reopens Friday.", "https://x.example/a")) == \
        ("a1", "updated")
    (stored,) = store.articles()
    assert stored.article.text.endswith("reopens Friday.")


def test_store_records_migrations_and_uses_wal(tmp_path):
    path = tmp_path / "s.db"
    open_store(path).close()
    store = open_store(path)  # a second open applies nothing twice
    assert store.schema_version() == 1
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_corrupt_file_is_one_clear_error(tmp_path):
    path = tmp_path / "s.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="not a usable newsprism database"):
        open_store(path)


def test_store_locked_database_is_reported_as_locked(tmp_path, monkeypatch):
    path = tmp_path / "s.db"
    open_store(path).close()
    monkeypatch.setattr(store_sqlite, "BUSY_TIMEOUT", 0.1)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(TransientError, match="locked"):
            open_store(path).upsert_article(_article(1, BRIDGE[0]))
    finally:
        holder.execute("ROLLBACK")


def test_store_update_stories_places_only_new_articles(tmp_path):
    store = open_store(tmp_path / "s.db")
    store.upsert_article(_article(1, BRIDGE[0]))
    store.upsert_article(_article(2, BRIDGE[1]))
    first = update_stories(store)
    assert len(first) == 1
    (story,) = first
    assert update_stories(store) == set()  # nothing new: nothing re-clustered
    store.upsert_article(_article(3, BRIDGE[2]))
    assert update_stories(store) == {story}
    assert [a.id for a in store.story_articles(story)] == ["a1", "a2", "a3"]


def test_store_reanalyses_only_a_story_whose_articles_changed(tmp_path, monkeypatch):
    import newsprism.api

    calls = []

    def fake_analyze(articles, **_):
        calls.append([a.id for a in articles])
        return Report(newsprism_version="test", generated_at="now", articles=list(articles))

    monkeypatch.setattr(newsprism.api, "analyze_articles", fake_analyze)
    store = open_store(tmp_path / "s.db")
    store.upsert_article(_article(1, BRIDGE[0]))
    store.upsert_article(_article(2, BRIDGE[1]))
    (story,) = update_stories(store)
    story_report(store, story)
    story_report(store, story)
    assert calls == [["a1", "a2"]]
    store.upsert_article(_article(2, BRIDGE[1] + " Traffic is diverted."))
    assert story_report(store, story).articles[1].text.endswith("diverted.")
    assert len(calls) == 2


def test_store_unknown_story_names_the_fix(tmp_path):
    store = open_store(tmp_path / "s.db")
    with pytest.raises(InputError, match="newsprism stories"):
        story_report(store, "s000")
