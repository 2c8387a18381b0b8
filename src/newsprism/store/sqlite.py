"""The SQLite store: WAL journal, one short transaction per article, migrations recorded in the database.

A kill at any moment loses at most the article being written: every committed one survives, and the next run's
upserts skip what is already there.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import InputError
from ..models import Article
from .base import StoreUnavailable, StoredArticle, StorySummary, UpsertOutcome, content_hash, members_hash
from .migrations import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT = 5.0
"""Seconds to wait for another process's write lock before reporting the database as locked."""
_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "ref", "cmpid")


def canonical_url(url: str) -> str:
    """The URL with case, default ports, fragments and tracking parameters normalised away.

    >>> canonical_url("HTTPS://Example.com:443/a/?utm_source=x&id=3#top")
    'https://example.com/a?id=3'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not (parts.scheme.lower(), parts.port) in {("http", 80), ("https", 443)}:
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith(_TRACKING)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class SQLiteStore:
    def __init__(self, path: str | Path):
        self.path = str(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(f"cannot open the database ({exc})", source=self.path,
                             hint="check the path and its permissions") from None
        with self._errors():
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")
            self.db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: a commit survives a process kill
            self._migrate()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Database failures as one clear line: locked (retry later), corrupt or full (fix the file)."""
        try:
            yield
        except sqlite3.OperationalError as exc:
            text = str(exc).lower()
            if "locked" in text or "busy" in text:
                raise StoreUnavailable("the database is locked by another process", source=self.path,
                                     hint="wait for the other newsprism command to finish, then retry") from None
            if "full" in text:
                raise StoreUnavailable("the disk is full; what was committed before is kept", source=self.path,
                                     hint="free some space and run the command again") from None
            raise InputError(f"database error ({exc})", source=self.path,
                             hint="check the file; move it aside to start a new store") from None
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a usable newsprism database ({exc})", source=self.path,
                             hint="the file is corrupt or not SQLite; move it aside to start a new store") from None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._errors():
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def _migrate(self) -> None:
        self.db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                        "applied_at TEXT NOT NULL)")
        applied = {row[0] for row in self.db.execute("SELECT version FROM migrations")}
        if applied and max(applied) > SCHEMA_VERSION:
            raise InputError(f"the database has schema version {max(applied)}, newer than this newsprism "
                             f"({SCHEMA_VERSION})", source=self.path, hint="upgrade newsprism")
        for version, name, sql in MIGRATIONS:
            if version in applied:
                continue
            with self._transaction() as db:
                for statement in sql.split(";"):
                    if statement.strip():
                        db.execute(statement)
                db.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, _now()))
                db.execute(f"PRAGMA user_version = {int(version)}")

    def schema_version(self) -> int:
        with self._errors():
            return self.db.execute("SELECT COALESCE(MAX(version), 0) FROM migrations").fetchone()[0]

    def upsert_article(self, article: Article) -> tuple[str, UpsertOutcome]:
        key = canonical_url(article.url) if article.url else None
        digest = content_hash(article)
        key = key or f"sha1:{digest}"
        lean = article.outlet.lean if article.outlet and article.outlet.lean else None
        outlet = article.outlet.name if article.outlet else None
        with self._transaction() as db:
            row = db.execute("SELECT id, content_hash FROM articles WHERE key = ?", (key,)).fetchone()
            if row is None:
                row = db.execute("SELECT id, content_hash FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is not None and row[1] == digest:
                return row[0], "unchanged"
            now = _now()
            if row is not None:
                # The same article, changed (a corrected page): update it in place, keeping its id and story.
                stored = article.model_copy(update={"id": row[0]})
                db.execute("UPDATE articles SET key = ?, content_hash = ?, title = ?, outlet = ?, lean = ?, "
                           "published = ?, data = ?, updated_at = ? WHERE id = ?",
                           (key, digest, stored.title, outlet, lean, stored.published, stored.model_dump_json(),
                            now, row[0]))
                return row[0], "updated"
            db.execute("INSERT INTO articles (id, key, content_hash, title, outlet, lean, published, data, "
                       "added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (article.id, key, digest, article.title, outlet, lean, article.published,
                        article.model_dump_json(), now, now))
            return article.id, "added"

    def articles(self, ids: Iterable[str] | None = None) -> list[StoredArticle]:
        sql = ("SELECT a.data, a.content_hash, s.story_id FROM articles a "
               "LEFT JOIN assignments s ON s.article_id = a.id")
        with self._errors():
            if ids is None:
                rows = self.db.execute(sql + " ORDER BY a.seq").fetchall()
            else:
                wanted = list(ids)
                rows = []
                for start in range(0, len(wanted), 500):
                    chunk = wanted[start:start + 500]
                    rows += self.db.execute(sql + f" WHERE a.id IN ({','.join('?' * len(chunk))}) ORDER BY a.seq",
                                            chunk).fetchall()
        return [StoredArticle(Article.model_validate_json(data), digest, story) for data, digest, story in rows]

    def assign(self, assignments: dict[str, str]) -> None:
        items = list(assignments.items())
        for start in range(0, len(items), 500):
            with self._transaction() as db:
                db.executemany("INSERT INTO assignments (article_id, story_id) VALUES (?, ?) "
                               "ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id",
                               items[start:start + 500])

    def stories(self) -> list[StorySummary]:
        with self._errors():
            rows = self.db.execute(
                "SELECT s.story_id, a.title, a.outlet, a.lean, a.published, a.added_at FROM assignments s "
                "JOIN articles a ON a.id = s.article_id ORDER BY a.seq").fetchall()
        grouped: dict[str, list[tuple]] = defaultdict(list)
        for row in rows:
            grouped[row[0]].append(row[1:])
        summaries = []
        for story_id, members in grouped.items():
            outlets = list(dict.fromkeys(m[1] for m in members if m[1]))
            dates = sorted(m[3] for m in members if m[3])
            summaries.append(StorySummary(
                id=story_id, title=next((m[0] for m in members if m[0]), None), articles=len(members),
                outlets=outlets, leans=dict(Counter(m[2] for m in members if m[2])),
                first_published=dates[0] if dates else None, last_published=dates[-1] if dates else None,
                last_added=max(m[4] for m in members)))
        return summaries

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

    def load_analysis(self, story_id: str, members_hash: str) -> str | None:
        with self._errors():
            row = self.db.execute("SELECT report FROM analyses WHERE story_id = ? AND members_hash = ?",
                                  (story_id, members_hash)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        self.db.close()


def open_store(path: str | Path) -> SQLiteStore:
    """Open (creating and migrating if needed) the store at ``path``."""
    return SQLiteStore(path)
