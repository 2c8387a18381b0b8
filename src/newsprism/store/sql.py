"""What the SQL stores share: every query the ``Store`` protocol needs, written once in SQL both SQLite and
PostgreSQL run (``?`` placeholders; the PostgreSQL store's connection turns them into its own).

A backend (``sqlite.py``, ``postgres.py``) adds its connection, its transactions and their errors, its migrations,
its full-text search and how it tells that the data changed. Everything else — upserts and their copy check, story
listings, analyses, features, retries, feeds and their items and leases — is here, so the two cannot drift apart.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime, timezone

from ..ingest.identity import canonical_url, content_hash, fingerprint_of, store_key
from ..models import Article
from .base import (FeedCheck, FeedItemRow, FeedState, ListingRow, StoredArticle, StoryPage, StoryQuery, StorySummary,
                   UpsertOutcome, decode_cursor, encode_cursor, members_hash)

_CHUNK = 500


def _listed(article: Article) -> tuple:
    """The columns listings filter on: kind, country, ownership, duplicate_of."""
    outlet = article.outlet
    return (article.kind, outlet.country if outlet else None, outlet.ownership if outlet else None,
            article.duplicate_of)


def passages(article: Article) -> Iterator[tuple[str, str, int, int]]:
    """(kind, text, start, end) of what search finds in an article: its title, then each paragraph of its text.

    >>> from newsprism.models import Article
    >>> list(passages(Article(id="a", source="-", title="Bridge", text="One.\\n\\nTwo here.")))
    [('title', 'Bridge', 0, 6), ('paragraph', 'One.', 0, 4), ('paragraph', 'Two here.', 6, 15)]
    """
    if article.title and article.title.strip():
        yield "title", article.title, 0, len(article.title)
    start = 0
    for line in article.text.split("\n"):
        if line.strip():
            yield "paragraph", line, start, start + len(line)
        start += len(line) + 1


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class SQLStore:
    """The queries; a subclass gives ``db`` (a connection whose ``execute``/``executemany`` take ``?``), and
    ``_errors``, ``_transaction``, ``_replace_passages``, ``search``, ``data_version`` and ``close``."""

    url: str
    db: object
    _ITEM_ORDER = "rowid"
    """How a feed's items are ordered as they were first seen."""
    _SKIP_LOCKED = ""
    """What makes a claim skip feeds another transaction is claiming (SQLite's writes are serialised already)."""

    def _errors(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager:
        raise NotImplementedError

    def _replace_passages(self, db, owner: str, rows: list[tuple]) -> None:
        raise NotImplementedError

    def _lock_key(self, db, key: str) -> None:
        """Serialise upserts of one key across connections (SQLite's writes are serialised already)."""

    def _fill(self, db, version: int) -> None:
        """What a migration's SQL cannot do for the rows an older store holds, in the migration's transaction."""
        if version == 3:  # split the stored articles into searchable paragraphs; index the stored facts
            for (data,) in db.execute("SELECT data FROM articles ORDER BY seq").fetchall():
                self._index(db, Article.model_validate_json(data))
            for story_id, report in db.execute("SELECT story_id, report FROM analyses").fetchall():
                self._index_facts(db, story_id, report)
        if version == 4:  # the copy check's fingerprints
            rows = db.execute("SELECT id, data FROM articles").fetchall()
            db.executemany("UPDATE articles SET fingerprint = ? WHERE id = ?",
                           [(fingerprint_of(Article.model_validate_json(data).text), i) for i, data in rows])

    def schema_version(self) -> int:
        with self._errors():
            return self.db.execute("SELECT COALESCE(MAX(version), 0) FROM migrations").fetchone()[0]

    # -- articles -------------------------------------------------------------------------------------------------

    def upsert_article(self, article: Article) -> tuple[str, UpsertOutcome]:
        key = store_key(article.url, article.title, article.text)
        digest = content_hash(article.title, article.text)
        lean = article.outlet.lean if article.outlet and article.outlet.lean else None
        outlet = article.outlet.name if article.outlet else None
        with self._transaction() as db:
            self._lock_key(db, key)
            row = db.execute("SELECT id, content_hash FROM articles WHERE key = ?", (key,)).fetchone()
            if row is None:
                row = db.execute("SELECT id, content_hash FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is not None and row[1] == digest:
                return row[0], "unchanged"
            now = _now()
            fingerprint = fingerprint_of(article.text)
            if article.duplicate_of is None and article.text.strip():
                # The same text stored under another address (a wire copy read from another feed or input).
                original = db.execute("SELECT id FROM articles WHERE fingerprint = ? AND key != ? AND id != ? "
                                      "AND duplicate_of IS NULL ORDER BY seq LIMIT 1",
                                      (fingerprint, key, row[0] if row else article.id)).fetchone()
                if original is not None:
                    article = article.model_copy(update={"duplicate_of": original[0]})
            if row is not None:
                # The same article, changed (a corrected page): update it in place, keeping its id and story.
                stored = article.model_copy(update={"id": row[0]})
                db.execute("UPDATE articles SET key = ?, content_hash = ?, title = ?, outlet = ?, lean = ?, "
                           "published = ?, data = ?, updated_at = ?, kind = ?, country = ?, ownership = ?, "
                           "duplicate_of = ?, fingerprint = ? WHERE id = ?",
                           (key, digest, stored.title, outlet, lean, stored.published, stored.model_dump_json(),
                            now, *_listed(stored), fingerprint, row[0]))
                self._index(db, stored)
                return row[0], "updated"
            db.execute("INSERT INTO articles (id, key, content_hash, title, outlet, lean, published, data, "
                       "added_at, updated_at, kind, country, ownership, duplicate_of, fingerprint) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (article.id, key, digest, article.title, outlet, lean, article.published,
                        article.model_dump_json(), now, now, *_listed(article), fingerprint))
            self._index(db, article)
            return article.id, "added"

    def _index(self, db, article: Article) -> None:
        """The article's title and paragraphs as search passages (replacing those of an earlier version)."""
        rows = [(text, kind, article.id, None, None, start, end) for kind, text, start, end in passages(article)]
        self._replace_passages(db, f"article:{article.id}", rows)

    def _index_facts(self, db, story_id: str, report_json: str) -> None:
        rows = []
        for fact in json.loads(report_json).get("facts", []):
            evidence = next((e for e in fact.get("evidence", []) if not e.get("in_title")), None)
            if evidence:
                rows.append((fact["text"], "fact", evidence["article"], story_id, fact["id"], evidence["start"],
                             evidence["end"]))
        self._replace_passages(db, f"facts:{story_id}", rows)

    def articles(self, ids: Iterable[str] | None = None) -> list[StoredArticle]:
        sql = ("SELECT a.data, a.content_hash, s.story_id FROM articles a "
               "LEFT JOIN assignments s ON s.article_id = a.id")
        with self._errors():
            if ids is None:
                rows = self.db.execute(sql + " ORDER BY a.seq").fetchall()
            else:
                wanted = list(ids)
                rows = []
                for start in range(0, len(wanted), _CHUNK):
                    chunk = wanted[start:start + _CHUNK]
                    rows += self.db.execute(sql + f" WHERE a.id IN ({','.join('?' * len(chunk))}) ORDER BY a.seq",
                                            chunk).fetchall()
        return [StoredArticle(Article.model_validate_json(data), digest, story) for data, digest, story in rows]

    def article_states(self) -> list[tuple[str, str, str | None]]:
        with self._errors():
            return [tuple(r) for r in self.db.execute(
                "SELECT a.id, a.content_hash, s.story_id FROM articles a LEFT JOIN assignments s "
                "ON s.article_id = a.id ORDER BY a.seq").fetchall()]

    def unassigned(self) -> bool:
        with self._errors():
            return self.db.execute("SELECT 1 FROM articles a LEFT JOIN assignments s ON s.article_id = a.id "
                                   "WHERE s.article_id IS NULL LIMIT 1").fetchone() is not None

    # -- stories --------------------------------------------------------------------------------------------------

    def assign(self, assignments: dict[str, str]) -> None:
        items = list(assignments.items())
        for start in range(0, len(items), _CHUNK):
            with self._transaction() as db:
                db.executemany("INSERT INTO assignments (article_id, story_id) VALUES (?, ?) "
                               "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id",
                               items[start:start + _CHUNK])

    def stories(self, query: StoryQuery | None = None) -> StoryPage:
        """A page of stories newest first, filtered and paged in SQL (keyset paging: a cursor names the last story
        of the previous page by its sort key, so pages stay stable while stories are added)."""
        query = query or StoryQuery()
        having: list[str] = []
        params: list = []
        order_key = "COALESCE(MAX(a.published), '')", "COALESCE(MAX(a.added_at), '')"
        if query.since:
            having.append(f"({order_key[1]} >= ? OR {order_key[0]} >= ?)")
            params += [query.since, query.since[:10]]
        if query.min_outlets:
            having.append("COUNT(DISTINCT a.outlet) >= ?")
            params.append(query.min_outlets)
        if query.cursor:
            published, added, story = decode_cursor(query.cursor)
            having.append(f"({order_key[0]} < ? OR ({order_key[0]} = ? AND ({order_key[1]} < ? OR "
                          f"({order_key[1]} = ? AND s.story_id > ?))))")
            params += [published, published, added, added, story]
        sql = (f"SELECT s.story_id, {order_key[0]}, {order_key[1]} FROM assignments s "
               "JOIN articles a ON a.id = s.article_id GROUP BY s.story_id " + (f"HAVING {' AND '.join(having)} " if having else "")
               + f"ORDER BY {order_key[0]} DESC, {order_key[1]} DESC, s.story_id ASC")
        if query.limit:
            sql += " LIMIT ?"
            params.append(query.limit + 1)
        with self._errors():
            keys = self.db.execute(sql, params).fetchall()
        more = query.limit is not None and len(keys) > query.limit
        keys = keys[:query.limit] if query.limit else keys
        summaries = self._summaries([k[0] for k in keys])
        return StoryPage(stories=[summaries[k[0]] for k in keys],
                         next_cursor=encode_cursor([keys[-1][1], keys[-1][2], keys[-1][0]]) if more else None)

    def _summaries(self, story_ids: Sequence[str]) -> dict[str, StorySummary]:
        members: dict[str, list[tuple]] = defaultdict(list)
        with self._errors():
            for start in range(0, len(story_ids), _CHUNK):
                chunk = list(story_ids[start:start + _CHUNK])
                rows = self.db.execute(
                    "SELECT s.story_id, a.title, a.outlet, a.lean, a.published, a.added_at FROM assignments s "
                    f"JOIN articles a ON a.id = s.article_id WHERE s.story_id IN ({','.join('?' * len(chunk))}) "
                    "ORDER BY a.seq", chunk).fetchall()
                for row in rows:
                    members[row[0]].append(row[1:])
        found = {}
        for story_id, rows in members.items():
            dates = sorted(m[3] for m in rows if m[3])
            found[story_id] = StorySummary(
                id=story_id, title=next((m[0] for m in rows if m[0]), None), articles=len(rows),
                outlets=list(dict.fromkeys(m[1] for m in rows if m[1])),
                leans=dict(Counter(m[2] for m in rows if m[2])),
                first_published=dates[0] if dates else None, last_published=dates[-1] if dates else None,
                last_added=max(m[4] for m in rows))
        return found

    def story_articles(self, story_id: str) -> list[Article]:
        with self._errors():
            rows = self.db.execute("SELECT a.data FROM assignments s JOIN articles a ON a.id = s.article_id "
                                   "WHERE s.story_id = ? ORDER BY a.seq", (story_id,)).fetchall()
        return [Article.model_validate_json(row[0]) for row in rows]

    def members_hash(self, story_id: str) -> str:
        with self._errors():
            rows = self.db.execute("SELECT a.id, a.content_hash FROM assignments s JOIN articles a "
                                   "ON a.id = s.article_id WHERE s.story_id = ?", (story_id,)).fetchall()
        return members_hash(rows)

    def save_analysis(self, story_id: str, members_hash: str, report_json: str) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO analyses VALUES (?, ?, ?, ?) ON CONFLICT(story_id) DO UPDATE SET "
                       "members_hash = excluded.members_hash, report = excluded.report, "
                       "created_at = excluded.created_at", (story_id, members_hash, report_json, _now()))
            self._index_facts(db, story_id, report_json)

    def latest_analysis(self, story_id: str) -> tuple[str, str] | None:
        with self._errors():
            row = self.db.execute("SELECT members_hash, report FROM analyses WHERE story_id = ?",
                                  (story_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def analysed(self) -> dict[str, str]:
        with self._errors():
            return dict(self.db.execute("SELECT story_id, members_hash FROM analyses").fetchall())

    # -- what the server reads ------------------------------------------------------------------------------------

    def listing_rows(self) -> list[ListingRow]:
        with self._errors():
            rows = self.db.execute(
                "SELECT s.story_id, a.id, a.title, a.outlet, a.lean, a.country, a.ownership, a.kind, a.duplicate_of, "
                "a.published, a.added_at FROM assignments s JOIN articles a ON a.id = s.article_id "
                "ORDER BY a.seq").fetchall()
        return [ListingRow(*row) for row in rows]

    def load_analysis(self, story_id: str, members_hash: str) -> str | None:
        with self._errors():
            row = self.db.execute("SELECT report FROM analyses WHERE story_id = ? AND members_hash = ?",
                                  (story_id, members_hash)).fetchone()
        return row[0] if row else None

    # -- clustering features --------------------------------------------------------------------------------------

    def features(self, embedder: str) -> dict[str, tuple[str, bytes]]:
        with self._errors():
            rows = self.db.execute("SELECT article_id, content_hash, data FROM features WHERE embedder = ?",
                                   (embedder,)).fetchall()
        return {article: (digest, bytes(data)) for article, digest, data in rows}

    def save_features(self, embedder: str, rows: Sequence[tuple[str, str, bytes]]) -> None:
        for start in range(0, len(rows), _CHUNK):
            with self._transaction() as db:
                db.executemany("INSERT INTO features VALUES (?, ?, ?, ?) ON CONFLICT(article_id, embedder) DO "
                               "UPDATE SET content_hash = excluded.content_hash, data = excluded.data",
                               [(a, embedder, h, d) for a, h, d in rows[start:start + _CHUNK]])

    # -- inputs to retry ------------------------------------------------------------------------------------------

    def record_failure(self, source: str, message: str) -> None:
        now = _now()
        with self._transaction() as db:
            db.execute("INSERT INTO retries VALUES (?, ?, 1, ?, ?) ON CONFLICT(source) DO UPDATE SET "
                       "message = excluded.message, attempts = retries.attempts + 1, last_failed = excluded.last_failed",
                       (source, message, now, now))

    def clear_failure(self, source: str) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM retries WHERE source = ?", (source,))

    def failures(self) -> list[tuple[str, str, int]]:
        with self._errors():
            return [tuple(r) for r in self.db.execute(
                "SELECT source, message, attempts FROM retries ORDER BY first_failed, source").fetchall()]

    # -- followed feeds -------------------------------------------------------------------------------------------

    _FEED_COLUMNS = ("url, title, site, added_at, etag, last_modified, last_checked, last_status, next_check, "
                     "interval, errors, last_error, paused, lease_owner, lease_until")

    def add_feed(self, url: str, now: float) -> bool:
        with self._transaction() as db:
            cursor = db.execute("INSERT INTO feeds (url, added_at, next_check) VALUES (?, ?, ?) "
                                "ON CONFLICT (url) DO NOTHING", (url, now, now))
            return cursor.rowcount == 1

    def remove_feed(self, url: str) -> bool:
        with self._transaction() as db:
            return db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount == 1

    def _feed_rows(self, db, where: str = "", args: tuple = ()) -> list[FeedState]:
        counts: dict[str, Counter] = defaultdict(Counter)
        for feed, state, n in db.execute("SELECT feed_url, state, COUNT(*) FROM feed_items GROUP BY feed_url, state"):
            counts[feed][state] = n
        feeds = []
        for row in db.execute(f"SELECT {self._FEED_COLUMNS} FROM feeds {where} ORDER BY added_at, url", args):
            state = FeedState(*row[:12], paused=bool(row[12]), lease_owner=row[13], lease_until=row[14])
            tally = counts.get(state.url, Counter())
            state.items, state.failed = sum(tally.values()), tally["failed"]
            state.pending = tally["pending"] + tally["retry"]
            feeds.append(state)
        return feeds

    def feed_states(self) -> list[FeedState]:
        with self._errors():
            return self._feed_rows(self.db)

    def claim_feeds(self, owner: str, now: float, lease: float, due_only: bool = True) -> list[FeedState]:
        with self._transaction() as db:
            due = "AND (next_check <= ? OR url IN (SELECT feed_url FROM feed_items WHERE state IN " \
                  "('pending', 'retry')))" if due_only else ""
            urls = [r[0] for r in db.execute(
                f"SELECT url FROM feeds WHERE paused = 0 AND (lease_until IS NULL OR lease_until <= ?) {due} "
                f"ORDER BY url{self._SKIP_LOCKED}", (now, now) if due_only else (now,))]
            db.executemany("UPDATE feeds SET lease_owner = ?, lease_until = ? WHERE url = ?",
                           [(owner, now + lease, url) for url in urls])
            # The feeds this claim leased, and no others (the owner's earlier leases ended another time).
            return self._feed_rows(db, "WHERE lease_owner = ? AND lease_until = ?", (owner, now + lease))

    def save_check(self, url: str, owner: str, check: FeedCheck, now: float, pause_after: int) -> tuple[str, int]:
        with self._transaction() as db:
            if check.moved_to and check.moved_to != url:
                if db.execute("SELECT 1 FROM feeds WHERE url = ?", (check.moved_to,)).fetchone():
                    # The feed moved to an address already followed: the two are one feed from now on.
                    db.execute("DELETE FROM feed_items WHERE feed_url = ? AND key IN "
                               "(SELECT key FROM feed_items WHERE feed_url = ?)", (url, check.moved_to))
                    db.execute("UPDATE feed_items SET feed_url = ? WHERE feed_url = ?", (check.moved_to, url))
                    db.execute("DELETE FROM feeds WHERE url = ?", (url,))
                else:
                    db.execute("UPDATE feeds SET url = ? WHERE url = ?", (check.moved_to, url))
                url = check.moved_to
            if check.status == "error":
                db.execute("UPDATE feeds SET last_checked = ?, last_status = 'error', next_check = ?, interval = ?, "
                           "errors = errors + 1, last_error = ?, paused = CASE WHEN errors + 1 >= ? THEN 1 ELSE 0 END "
                           "WHERE url = ?",
                           (now, check.next_check, check.interval, check.error, pause_after, url))
            else:
                db.execute("UPDATE feeds SET last_checked = ?, last_status = ?, next_check = ?, interval = ?, "
                           "errors = 0, last_error = ?, etag = COALESCE(?, etag), "
                           "last_modified = COALESCE(?, last_modified), title = COALESCE(?, title), "
                           "site = COALESCE(?, site) WHERE url = ?",
                           (now, check.status, check.next_check, check.interval, check.error, check.etag,
                            check.last_modified, check.title, check.site, url))
            new = 0
            for i in check.items:
                new += db.execute(
                    "INSERT INTO feed_items (feed_url, key, link, title, summary, full_text, published, stamp, state, "
                    "first_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (feed_url, key) DO NOTHING",
                    (url, i.key, i.link, i.title, i.summary, int(i.full_text), i.published, i.stamp, now)).rowcount
            if check.status == "fetched":
                db.execute("UPDATE feeds SET last_status = ? WHERE url = ?",
                           ("new items" if new else "no new items", url))
            return url, new

    def resume_feed(self, url: str, now: float) -> bool:
        with self._transaction() as db:
            return db.execute("UPDATE feeds SET paused = 0, errors = 0, next_check = ? WHERE url = ?",
                              (now, url)).rowcount == 1

    _ITEM_COLUMNS = "key, link, title, summary, full_text, published, stamp, state, article_id, problem, attempts, " \
                    "feed_url"

    def _items(self, url: str, where: str = "") -> list[FeedItemRow]:
        with self._errors():
            rows = self.db.execute(f"SELECT {self._ITEM_COLUMNS} FROM feed_items WHERE feed_url = ? {where} "
                                   f"ORDER BY {self._ITEM_ORDER}", (url,)).fetchall()
        return [FeedItemRow(*r[:4], bool(r[4]), *r[5:]) for r in rows]

    def pending_items(self, url: str) -> list[FeedItemRow]:
        return self._items(url, "AND state IN ('pending', 'retry')")

    def feed_items(self, url: str) -> list[FeedItemRow]:
        return self._items(url)

    def finish_item(self, url: str, key: str, state: str, article_id: str | None, problem: str | None,
                    owner: str, lease_until: float) -> None:
        with self._transaction() as db:
            db.execute("UPDATE feed_items SET state = ?, article_id = ?, problem = ?, attempts = attempts + 1 "
                       "WHERE feed_url = ? AND key = ?", (state, article_id, problem, url, key))
            db.execute("UPDATE feeds SET lease_until = ? WHERE url = ? AND lease_owner = ?", (lease_until, url, owner))

    def release_feed(self, url: str, owner: str) -> None:
        with self._transaction() as db:
            db.execute("UPDATE feeds SET lease_owner = NULL, lease_until = NULL WHERE url = ? AND lease_owner = ?",
                       (url, owner))

    def article_for_url(self, url: str) -> str | None:
        with self._errors():
            row = self.db.execute("SELECT id FROM articles WHERE key = ?", (canonical_url(url),)).fetchone()
            # A page read under another address (it redirected) is known by the item link it was read for.
            row = row or self.db.execute("SELECT article_id FROM feed_items WHERE link = ? AND article_id IS NOT NULL "
                                         "LIMIT 1", (url,)).fetchone()
        return row[0] if row else None



__all__ = ["SQLStore", "passages"]
