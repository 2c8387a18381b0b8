"""The PostgreSQL store (psycopg 3): one database that servers and watchers on several machines share.

The queries are ``sql.py``'s, the same as SQLite's; this module adds the connection (autocommit, with an explicit
transaction per write, so a reader never holds a snapshot open), the migrations of ``POSTGRES_MIGRATIONS`` (under
an advisory lock, so two processes opening a new database do not both apply them), full-text search on a
``tsvector`` column with a GIN index, a counter that tells readers the data changed, an advisory lock per article
key (two writers of one article cannot both insert it), and ``FOR UPDATE SKIP LOCKED`` for feed leases.
``pip install newsprism[postgres]`` brings psycopg.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from ..errors import InputError, SetupError
from .base import SearchHit, StoreUnavailable
from .migrations import POSTGRES_MIGRATIONS, SCHEMA_VERSION
from .sql import SQLStore, _now

SEARCH_WINDOW = 500
CONNECT_TIMEOUT = 10
_MIGRATION_LOCK = 0x6E657773  # "news": the advisory lock held while migrating
_PASSWORD = re.compile(r"(://[^:/@]*):[^@/]*@")


def redact(url: str) -> str:
    """The address without its password, for messages.

    >>> redact("postgresql://news:secret@db.example/newsprism")
    'postgresql://news:***@db.example/newsprism'
    """
    return _PASSWORD.sub(r"\1:***@", url)


@lru_cache(maxsize=512)
def _dialect(sql: str) -> str:
    """``sql`` with the ``?`` placeholders the shared queries use as psycopg's ``%s``."""
    return sql.replace("%", "%%").replace("?", "%s")


class _Connection:
    """The psycopg connection as the shared queries use it: ``execute`` and ``executemany`` with ``?``."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence = ()):
        return self.conn.execute(_dialect(sql), tuple(params))

    def executemany(self, sql: str, rows):
        cursor = self.conn.cursor()
        cursor.executemany(_dialect(sql), [tuple(r) for r in rows])
        return cursor


class PostgresStore(SQLStore):
    _ITEM_ORDER = "seq"
    _SKIP_LOCKED = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise SetupError("PostgreSQL stores need psycopg", source=redact(url),
                             hint="pip install 'newsprism[postgres]'") from None
        self._psycopg = psycopg
        self.url = redact(url)
        self._lock = threading.RLock()
        try:
            conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        except psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
            raise StoreUnavailable(f"cannot connect to the PostgreSQL server ({reason})", source=self.url,
                                   hint="check that the server runs and the address, user and database are right"
                                   ) from None
        except psycopg.Error as exc:
            raise InputError(f"not a usable PostgreSQL address ({exc})", source=self.url,
                             hint="give postgresql://user@host:port/database") from None
        self.db = _Connection(conn)
        with self._errors():
            self._migrate()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        errors = self._psycopg.errors
        with self._lock:
            try:
                yield
            except (errors.SerializationFailure, errors.DeadlockDetected, errors.LockNotAvailable) as exc:
                raise StoreUnavailable(f"the database is busy ({type(exc).__name__})", source=self.url,
                                       hint="retry; another newsprism process was writing the same rows") from None
            except errors.DiskFull:
                raise StoreUnavailable("the database server's disk is full; what was committed before is kept",
                                       source=self.url, hint="free some space on the server, then retry") from None
            except self._psycopg.OperationalError as exc:
                raise StoreUnavailable(f"the PostgreSQL server cannot be reached ({_first_line(exc)})",
                                       source=self.url, hint="check the server, then retry") from None
            except self._psycopg.Error as exc:
                raise InputError(f"database error ({_first_line(exc)})", source=self.url,
                                 hint="check the database; give an empty one to start a new store") from None

    @contextmanager
    def _transaction(self) -> Iterator[_Connection]:
        with self._errors():
            with self.db.conn.transaction():
                yield self.db
                # Only a transaction that wrote has a transaction id: a read-only one leaves readers' caches be.
                self.db.execute("UPDATE data_version SET n = n + 1 WHERE txid_current_if_assigned() IS NOT NULL")

    def _lock_key(self, db, key: str) -> None:
        db.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))

    def _migrate(self) -> None:
        db = self.db
        db.execute("SELECT pg_advisory_lock(?)", (_MIGRATION_LOCK,))
        try:
            db.execute("CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                       "applied_at TEXT NOT NULL)")
            applied = {row[0] for row in db.execute("SELECT version FROM migrations")}
            if applied and max(applied) > SCHEMA_VERSION:
                raise InputError(f"the database has schema version {max(applied)}, newer than this newsprism "
                                 f"({SCHEMA_VERSION})", source=self.url, hint="upgrade newsprism")
            for version, name, sql in POSTGRES_MIGRATIONS:
                if version in applied:
                    continue
                with db.conn.transaction():
                    db.conn.execute(sql)
                    self._fill(db, version)
                    db.execute("INSERT INTO migrations VALUES (?, ?, ?)", (version, name, _now()))
        finally:
            db.execute("SELECT pg_advisory_unlock(?)", (_MIGRATION_LOCK,))

    def _replace_passages(self, db, owner: str, rows: list[tuple]) -> None:
        db.execute("DELETE FROM passages WHERE owner = ?", (owner,))
        if rows:
            db.executemany("INSERT INTO passages (owner, text, kind, article_id, story_id, fact_id, start, \"end\") "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(owner, *row) for row in rows])

    def search(self, words: Sequence[str], limit: int, offset: int = 0) -> list[SearchHit]:
        """The best matches (``ts_rank``) among the newest ``SEARCH_WINDOW`` passages holding every word."""
        if not words:
            return []
        window = max(SEARCH_WINDOW, 2 * (offset + limit))
        with self._errors():
            rows = self.db.execute(
                "WITH q AS (SELECT plainto_tsquery('simple', ?) AS q), "
                "hits AS (SELECT p.* FROM passages p, q WHERE p.words @@ q.q ORDER BY p.id DESC LIMIT ?) "
                "SELECT h.kind, COALESCE(h.story_id, s.story_id), h.article_id, h.fact_id, h.text, h.start, h.\"end\" "
                "FROM hits h CROSS JOIN q LEFT JOIN assignments s ON s.article_id = h.article_id "
                "ORDER BY ts_rank(h.words, q.q) DESC, h.id LIMIT ? OFFSET ?",
                (" ".join(words), window, limit, offset)).fetchall()
        return [SearchHit(*row) for row in rows]

    def data_version(self) -> int:
        with self._errors():
            return self.db.execute("SELECT n FROM data_version").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self.db.conn.close()

    def __del__(self) -> None:
        # A store dropped without close() closes its connection, as a SQLite one does (psycopg would warn).
        conn = getattr(getattr(self, "db", None), "conn", None)
        if conn is not None and not conn.closed:
            conn.close()


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["PostgresStore", "redact"]
