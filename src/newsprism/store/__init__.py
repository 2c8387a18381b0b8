"""Where ingested articles, their story assignments and analyses are kept.

``open_store(url)`` picks the backend from the address: ``sqlite:///path/to/file.db`` (or a plain path) opens the
embedded SQLite store, ``postgresql://user@host:port/database`` a PostgreSQL one that several machines share.
Callers use the ``Store`` protocol only; both backends run the same queries (``sql.py``).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .base import Store, StoredArticle, StoreUnavailable, StoryPage, StoryQuery, StorySummary
from .sqlite import SQLiteStore


def store_path(url: str | Path) -> tuple[str, str]:
    """(backend, location) of a store address.

    >>> store_path("sqlite:///data/news.db"), store_path("news.db"), store_path("sqlite:////srv/news.db")
    (('sqlite', 'data/news.db'), ('sqlite', 'news.db'), ('sqlite', '/srv/news.db'))
    >>> store_path("postgresql://news@db/newsprism")
    ('postgresql', 'postgresql://news@db/newsprism')
    """
    text = str(url)
    if "://" not in text:
        return "sqlite", text
    scheme, rest = text.split("://", 1)
    if scheme.lower() == "sqlite":
        if not rest.startswith("/") or rest == "/":
            raise InputError("a SQLite address is sqlite:///relative/path or sqlite:////absolute/path", source=text,
                             hint="or give the file's path alone")
        return "sqlite", rest[1:]
    if scheme.lower() in ("postgresql", "postgres"):
        return "postgresql", text
    raise InputError(f"no store backend for '{scheme}://' addresses", source=text,
                     hint="give a file path, a sqlite:/// address or a postgresql:// one")


def open_store(url: str | Path) -> Store:
    """Open (creating and migrating if needed) the store at ``url``."""
    backend, location = store_path(url)
    if backend == "sqlite":
        return SQLiteStore(location)
    if backend == "postgresql":
        from .postgres import PostgresStore

        return PostgresStore(location)
    raise AssertionError(backend)  # store_path refuses every other scheme


__all__ = ["SQLiteStore", "Store", "StoreUnavailable", "StoredArticle", "StoryPage", "StoryQuery", "StorySummary",
           "open_store", "store_path"]
