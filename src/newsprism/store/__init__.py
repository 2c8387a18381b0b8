"""Where ingested articles, their story assignments and analyses are kept: an embedded SQLite store.

Callers use the ``Store`` protocol only, so a server database can be added beside ``SQLiteStore`` later without
touching ingest, clustering or analysis.
"""

from .base import StoredArticle, Store, StorySummary
from .sqlite import SQLiteStore, open_store

__all__ = ["SQLiteStore", "Store", "StoredArticle", "StorySummary", "open_store"]
