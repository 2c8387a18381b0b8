"""The SQLite store: WAL journal, one short transaction per article, migrations recorded in the database.

A kill at any moment loses at most the article being written: every committed one survives, and the next run's
upserts skip what is already there. One connection serves every thread of a process (a server's request threads):
it is opened with ``check_same_thread=False`` and every use of it holds the store's lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError
from .base import SearchHit, StoreUnavailable
from .migrations import MIGRATIONS, SCHEMA_VERSION
from .sql import SQLStore, _now

SEARCH_WINDOW = 500
BUSY_TIMEOUT = 5.0
"""Seconds to wait for another process's write lock before reporting the database as locked."""


def _statements(sql: str) -> Iterator[str]:
    """The statements of a migration, split at the semicolons that end one (not those inside a trigger).

    >>> list(_statements("CREATE TABLE t (x); CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END;"))
    ['CREATE TABLE t (x);', 'CREATE TRIGGER g AFTER INSERT ON t BEGIN SELECT 1; END;']
    """
    pending = ""
    for piece in sql.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \n;"):
                yield pending.strip()
            pending = ""


class SQLiteStore(SQLStore):
    def __init__(self, path: str | Path):
        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        self._lock = threading.RLock()
        try:
            self.db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None,
                                      check_same_thread=False)
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
        with self._lock:
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
                for statement in _statements(sql):
                    db.execute(statement)
                self._fill(db, version)
                db.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, _now()))
                db.execute(f"PRAGMA user_version = {int(version)}")

    def _replace_passages(self, db: sqlite3.Connection, owner: str, rows: list[tuple]) -> None:
        """Put ``rows`` in the search index in place of the passages ``owner`` had (kept as one rowid range, so
        neither an article's update nor a story's new analysis scans the index)."""
        old = db.execute("SELECT first, last FROM passage_ranges WHERE owner = ?", (owner,)).fetchone()
        if old:
            db.execute("DELETE FROM passages WHERE rowid BETWEEN ? AND ?", old)
            db.execute("DELETE FROM passage_ranges WHERE owner = ?", (owner,))
        if not rows:
            return
        first = (db.execute("SELECT rowid FROM passages ORDER BY rowid DESC LIMIT 1").fetchone() or (0,))[0] + 1
        db.executemany("INSERT INTO passages (rowid, text, kind, article_id, story_id, fact_id, start, \"end\") "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(first + i, *row) for i, row in enumerate(rows)])
        db.execute("INSERT INTO passage_ranges VALUES (?, ?, ?)", (owner, first, first + len(rows) - 1))

    def search(self, words: Sequence[str], limit: int, offset: int = 0) -> list[SearchHit]:
        """The best matches among the newest ``SEARCH_WINDOW`` (or more, for a deep page) matching passages: a
        common word matches tens of thousands, and ranking them all takes a quarter of a second; taking the newest
        first is a rowid range, which FTS5 reads in a millisecond."""
        if not words:
            return []
        match = " ".join('"' + w.replace('"', '""') + '"' for w in words)
        window = max(SEARCH_WINDOW, 2 * (offset + limit))
        with self._errors():
            cutoff = self.db.execute("SELECT rowid FROM passages WHERE passages MATCH ? ORDER BY rowid DESC "
                                     "LIMIT 1 OFFSET ?", (match, window - 1)).fetchone()
            rows = self.db.execute(
                "SELECT p.kind, COALESCE(p.story_id, s.story_id), p.article_id, p.fact_id, p.text, p.start, "
                "p.\"end\" FROM passages p LEFT JOIN assignments s ON s.article_id = p.article_id "
                "WHERE passages MATCH ? AND p.rowid >= ? ORDER BY rank, p.rowid LIMIT ? OFFSET ?",
                (match, cutoff[0] if cutoff else 0, limit, offset)).fetchall()
        return [SearchHit(*row) for row in rows]

    def data_version(self) -> int:
        with self._errors():
            return self.db.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self.db.close()


__all__ = ["SQLiteStore"]
