"""The SQLite store: idempotent upserts, migrations, clear errors, incremental clustering and analysis."""

from __future__ import annotations

import json
import sqlite3

import pytest

from newsprism.errors import InputError, TransientError
from newsprism.models import Article, Outlet, Report
from newsprism.store import open_store, sqlite as store_sqlite
from newsprism.store.ingest import story_report, update_stories
from newsprism.store.migrations import SCHEMA_VERSION

BRIDGE = [
    "The Harrow Bridge over the Tessel river was closed on Tuesday after a grain barge struck one of its piers.",
    "A barge loaded with grain hit a pier of Harrow Bridge, forcing officials to shut the crossing over the Tessel.",
    "Engineers began inspecting the Harrow Bridge on the Tessel river after the collision with a grain barge.",
]


def _article(n: int, text: str, url: str | None = None, outlet: str = "Tessel Post") -> Article:
    return Article(id=f"a{n}", source="test", title="Harrow Bridge closed", text=text, url=url,
                   outlet=Outlet(name=outlet, lean="center"))


def test_store_same_article_twice_is_stored_once(store_url):
    store = open_store(store_url)
    assert store.upsert_article(_article(1, BRIDGE[0], "https://x.example/a?utm_source=feed")) == ("a1", "added")
    # The same page under a tracking-decorated URL and another id is the same article.
    again = _article(7, BRIDGE[0], "https://X.example/a/#comments")
    assert store.upsert_article(again) == ("a1", "unchanged")
    assert len(store.articles()) == 1


def test_store_changed_article_is_updated_not_duplicated(store_url):
    store = open_store(store_url)
    store.upsert_article(_article(1, BRIDGE[0], "https://x.example/a"))
    assert store.upsert_article(_article(1, BRIDGE[0] + " It reopens Friday.", "https://x.example/a")) == \
        ("a1", "updated")
    (stored,) = store.articles()
    assert stored.article.text.endswith("reopens Friday.")


def test_store_records_migrations_and_uses_wal(tmp_path):
    path = tmp_path / "s.db"
    open_store(path).close()
    store = open_store(path)  # a second open applies nothing twice
    assert store.schema_version() == SCHEMA_VERSION == 4
    db = sqlite3.connect(path)
    assert db.execute("SELECT COUNT(*) FROM migrations").fetchone()[0] == 4
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


def test_store_update_stories_places_only_new_articles(store_url):
    store = open_store(store_url)
    store.upsert_article(_article(1, BRIDGE[0]))
    store.upsert_article(_article(2, BRIDGE[1]))
    first = update_stories(store)
    assert len(first) == 1
    (story,) = first
    assert update_stories(store) == set()  # nothing new: nothing re-clustered
    store.upsert_article(_article(3, BRIDGE[2]))
    assert update_stories(store) == {story}
    assert [a.id for a in store.story_articles(story)] == ["a1", "a2", "a3"]


def test_store_reanalyses_only_a_story_whose_articles_changed(store_url, monkeypatch):
    import newsprism.api

    calls = []

    def fake_analyze(articles, **_):
        calls.append([a.id for a in articles])
        return Report(newsprism_version="test", generated_at="now", articles=list(articles))

    monkeypatch.setattr(newsprism.api, "analyze_articles", fake_analyze)
    store = open_store(store_url)
    store.upsert_article(_article(1, BRIDGE[0]))
    store.upsert_article(_article(2, BRIDGE[1]))
    (story,) = update_stories(store)
    story_report(store, story)
    story_report(store, story)
    assert calls == [["a1", "a2"]]
    store.upsert_article(_article(2, BRIDGE[1] + " Traffic is diverted."))
    assert story_report(store, story).articles[1].text.endswith("diverted.")
    assert len(calls) == 2


def test_store_unknown_story_names_the_fix(store_url):
    store = open_store(store_url)
    with pytest.raises(InputError, match="newsprism stories"):
        story_report(store, "s000")


def test_store_opens_by_address_and_refuses_unknown_backends(tmp_path):
    from newsprism.store import store_path

    store = open_store(f"sqlite:///{tmp_path / 'u.db'}")
    assert store.url == f"sqlite:///{tmp_path / 'u.db'}" and (tmp_path / "u.db").is_file()
    assert store_path("news.db") == ("sqlite", "news.db")
    with pytest.raises(InputError, match="no store backend for 'mysql://'"):
        open_store("mysql://news@db/newsprism")


def test_store_listing_filters_and_pages_in_the_store(store_url):
    from newsprism.store import StoryQuery

    store = open_store(store_url)
    for n in range(5):
        store.upsert_article(_article(n, f"Story number {n} about the quay at {n} o'clock.", outlet=f"Outlet {n % 2}")
                             .model_copy(update={"published": f"2026-03-0{n + 1}"}))
    store.assign({f"a{n}": f"s{n}" for n in range(5)})
    store.assign({"a4": "s3"})  # story s3 now has two outlets
    first = store.stories(StoryQuery(limit=2))
    assert [s.id for s in first.stories] == ["s3", "s2"] and first.next_cursor
    second = store.stories(StoryQuery(limit=2, cursor=first.next_cursor))
    assert [s.id for s in second.stories] == ["s1", "s0"] and second.next_cursor is None
    assert [s.id for s in store.stories(StoryQuery(min_outlets=2)).stories] == ["s3"]
    assert [s.id for s in store.stories(StoryQuery(since="2026-03-03T00:00:00+00:00")).stories][:1] == ["s3"]
    assert store.stories().stories[0].model_dump()["outlets"] == ["Outlet 1", "Outlet 0"]
    with pytest.raises(InputError, match="not a cursor this store made"):
        store.stories(StoryQuery(cursor="bm9wZQ=="))


def test_store_one_connection_serves_many_threads(store_url):
    from concurrent.futures import ThreadPoolExecutor

    store = open_store(store_url)
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda n: store.upsert_article(_article(n, f"Text {n} about the barge.")),
                                 range(40)))
        counts = list(pool.map(lambda _: len(store.articles()), range(8)))
    assert {o for _, o in outcomes} == {"added"} and len(store.articles()) == 40 and all(c <= 40 for c in counts)


def test_store_keeps_clustering_features_so_placed_articles_are_not_embedded_again(store_url):
    from newsprism.nlp import load_embedder

    real = load_embedder()

    class Counting:
        """The real embedder, counting the texts it is asked to embed."""

        name, dim = real.name, real.dim
        texts = 0

        def encode(self, texts):
            Counting.texts += len(texts)
            return real.encode(texts)

    store = open_store(store_url)
    store.upsert_article(_article(1, BRIDGE[0]))
    store.upsert_article(_article(2, BRIDGE[1]))
    (story,) = update_stories(store, embedder=Counting())
    assert Counting.texts == 2
    store.upsert_article(_article(3, BRIDGE[2]))
    assert update_stories(store, embedder=Counting()) == {story}
    assert Counting.texts == 3  # only the new article was embedded


def test_store_records_and_clears_inputs_to_retry(store_url):
    store = open_store(store_url)
    store.record_failure("https://x.example/a", "timed out")
    store.record_failure("https://x.example/a", "HTTP 503")
    assert store.failures() == [("https://x.example/a", "HTTP 503", 2)]
    store.clear_failure("https://x.example/a")
    assert store.failures() == []


def test_store_reads_a_report_without_writing_it(store_url):
    store = open_store(store_url)
    store.upsert_article(_article(1, BRIDGE[0]))
    store.upsert_article(_article(2, BRIDGE[1]))
    (story,) = update_stories(store)
    report = story_report(store, story, save=False)
    assert report.articles and store.db.execute("SELECT COUNT(*) FROM analyses").fetchone()[0] == 0


def test_store_search_finds_paragraphs_and_titles_with_offsets(store_url):
    store = open_store(store_url)
    text = "The ferry resumed service.\n\nHarbour workers ended the strike on Friday."
    store.upsert_article(Article(id="a1", source="-", title="Strike over", text=text))
    (hit,) = store.search(["strike", "friday"], limit=10)
    assert (hit.kind, hit.article, text[hit.start:hit.end]) == ("paragraph", "a1", hit.text)
    assert hit.text == "Harbour workers ended the strike on Friday."
    assert sorted(h.kind for h in store.search(["strike"], limit=10)) == ["paragraph", "title"]
    # A changed article replaces its passages; quotes and FTS operators in the words are only words.
    store.upsert_article(Article(id="a1", source="-", title="Strike over", text="Ferries sail again."))
    assert store.search(["friday"], limit=10) == []
    assert store.search(['"NEAR(', "OR"], limit=10) == []
    # A story's facts are searchable, and a new analysis replaces them.
    fact = {"id": "f1", "text": "Ferries sail again.", "articles": ["a1"],
            "evidence": [{"article": "a1", "text": "Ferries sail again.", "start": 0, "end": 19}]}
    store.save_analysis("s1", "h1", json.dumps({"facts": [fact]}))
    assert {(h.kind, h.story, h.fact) for h in store.search(["ferries"], limit=10)} >= {("fact", "s1", "f1")}
    store.save_analysis("s1", "h2", json.dumps({"facts": []}))
    assert [h.kind for h in store.search(["ferries"], limit=10)] == ["paragraph"]


def test_store_migrations_3_and_4_index_what_an_older_store_holds(tmp_path):
    path = tmp_path / "s.db"
    store = open_store(path)
    store.upsert_article(Article(id="a1", source="-", title="Bridge shut", outlet=Outlet(name="Tessel Times",
                                 country="GB"), text="The bridge was closed on Tuesday."))
    store.close()
    db = sqlite3.connect(path)  # make it a version-2 store, as 0.2.0 left it
    db.executescript("DROP TABLE passages; DROP TABLE passage_ranges; DROP INDEX articles_by_outlet; ALTER TABLE articles DROP COLUMN kind; "
                     "ALTER TABLE articles DROP COLUMN country; ALTER TABLE articles DROP COLUMN ownership; "
                     "ALTER TABLE articles DROP COLUMN duplicate_of; DROP TABLE feed_items; DROP TABLE feeds; "
                     "DROP INDEX articles_by_fingerprint; ALTER TABLE articles DROP COLUMN fingerprint; "
                     "DELETE FROM migrations WHERE version >= 3;")
    db.close()
    store = open_store(path)
    assert store.schema_version() == 4
    assert store.feed_states() == []
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT fingerprint IS NOT NULL FROM articles").fetchone() == (1,)
    assert [h.article for h in store.search(["tuesday"], limit=5)] == ["a1"]
    update_stories(store)
    (row,) = store.listing_rows()
    assert (row.article, row.outlet, row.country, row.kind) == ("a1", "Tessel Times", "GB", "article")


def test_store_postgresql_has_the_same_migrations_and_says_when_it_cannot_connect(postgres):
    from newsprism.errors import NewsprismError
    from newsprism.store.migrations import MIGRATIONS, POSTGRES_MIGRATIONS

    assert [(v, n) for v, n, _ in POSTGRES_MIGRATIONS] == [(v, n) for v, n, _ in MIGRATIONS]
    url = postgres.new_database()
    open_store(url).close()
    store = open_store(url)  # a second open applies nothing twice
    assert store.schema_version() == SCHEMA_VERSION
    store.close()
    with pytest.raises(NewsprismError) as caught:
        open_store(f"postgresql://news:hunter2@127.0.0.1:{_closed_port()}/none")
    line = caught.value.line()
    assert "cannot connect to the PostgreSQL server" in line and "hunter2" not in line and "\n" not in line


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_store_two_writers_of_one_article_store_it_once(store_url):
    import threading

    stores = [open_store(store_url) for _ in range(4)]
    outcomes = []
    barrier = threading.Barrier(len(stores))

    def write(store):
        barrier.wait()
        outcomes.append(store.upsert_article(_article(1, BRIDGE[0], "https://x.example/a")))

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o for _, o in outcomes) == ["added", "unchanged", "unchanged", "unchanged"]
    assert len(stores[0].articles()) == 1
    for s in stores:
        s.close()
