"""The store's interface: what ingest, clustering, analysis and (later) the server need from any database behind it.

Callers use the ``Store`` protocol only; ``open_store(url)`` chooses the backend from the address, so another
database (PostgreSQL) is added beside ``SQLiteStore`` without touching ingest, clustering or analysis.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError, TransientError
from ..models import Article

UpsertOutcome = Literal["added", "updated", "unchanged"]


class StoreUnavailable(TransientError):
    """The store cannot be written now (locked, disk full): stop, keeping what was committed; a retry may work."""


@dataclass
class StoredArticle:
    article: Article
    content_hash: str
    story: str | None


class ListingRow(NamedTuple):
    """One article of a story as listings see it: what the feed, its filters and the outlet pages read."""

    story: str
    article: str
    title: str | None
    outlet: str | None
    lean: str | None
    country: str | None
    ownership: str | None
    kind: str | None
    duplicate_of: str | None
    published: str | None
    added_at: str


class SearchHit(NamedTuple):
    """A passage that matched a search: an article's title or paragraph, or a fact of a story's analysis."""

    kind: str
    story: str | None
    article: str
    fact: str | None
    text: str
    start: int
    end: int


class StorySummary(BaseModel):
    """One story as a listing shows it (``newsprism stories``, and the server's feed)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str | None = None
    articles: int
    outlets: list[str] = Field(default_factory=list)
    leans: dict[str, int] = Field(default_factory=dict, description="Lean → number of articles with that lean")
    first_published: str | None = None
    last_published: str | None = None
    last_added: str | None = Field(None, description="When the story's newest article was stored (UTC, ISO 8601)")


class StoryPage(BaseModel):
    """A page of a story listing; ``next_cursor`` asks for the page after it (None: this is the last)."""

    stories: list[StorySummary]
    next_cursor: str | None = None


@dataclass(frozen=True)
class StoryQuery:
    """Which stories a listing holds, newest first (by last publication date, then by when last added).

    ``since``: an ISO 8601 UTC timestamp — only stories with an article published (that day or later) or stored
    since then; ``min_outlets``: covered by at least that many named outlets; ``limit``: stories per page;
    ``cursor``: the ``next_cursor`` of the previous page.
    """

    since: str | None = None
    min_outlets: int | None = None
    limit: int | None = None
    cursor: str | None = None

    def __post_init__(self) -> None:
        from ..options import OptionError

        if self.limit is not None and self.limit < 1:
            raise OptionError(f"a listing's limit must be 1 or more, not {self.limit}")
        if self.min_outlets is not None and self.min_outlets < 1:
            raise OptionError(f"min_outlets must be 1 or more, not {self.min_outlets}")


def encode_cursor(key: Sequence[str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode("utf-8")).decode("ascii")


def decode_cursor(cursor: str) -> list[str]:
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except ValueError:
        key = None
    if not isinstance(key, list) or len(key) != 3 or not all(isinstance(k, str) for k in key):
        raise InputError("not a cursor this store made", source=cursor, hint="start again from the first page")
    return key


class Store(Protocol):
    url: str
    """The address the store was opened with (``sqlite:///path``)."""

    def upsert_article(self, article: Article) -> tuple[str, UpsertOutcome]:
        """Store one article in its own transaction; returns the stored id and what happened."""

    def articles(self, ids: Iterable[str] | None = None) -> list[StoredArticle]:
        """Articles in the order they were first stored (all, or those with these ids)."""

    def article_states(self) -> list[tuple[str, str, str | None]]:
        """(id, content hash, story or None) of every article, in the order first stored: what clustering needs
        of the articles it does not embed again (no text is read)."""

    def unassigned(self) -> bool:
        """Whether some article has no story yet."""

    def assign(self, assignments: dict[str, str]) -> None:
        """Record article id → story id, in one transaction."""

    def stories(self, query: StoryQuery | None = None) -> StoryPage:
        """A page of the story listing (all stories, newest first, when no query is given)."""

    def story_articles(self, story_id: str) -> list[Article]: ...

    def members_hash(self, story_id: str) -> str:
        """A hash of the story's members and their content: it changes exactly when re-analysis is needed."""

    def save_analysis(self, story_id: str, members_hash: str, report_json: str) -> None: ...

    def load_analysis(self, story_id: str, members_hash: str) -> str | None: ...

    def latest_analysis(self, story_id: str) -> tuple[str, str] | None:
        """(members hash, report JSON) of the newest stored analysis of the story, current or not."""

    def analysed(self) -> dict[str, str]:
        """Story id → the members hash its stored analysis was made for."""

    def listing_rows(self) -> list[ListingRow]:
        """Every article that has a story, in the order stored."""

    def search(self, words: Sequence[str], limit: int, offset: int = 0) -> list[SearchHit]:
        """Passages holding every one of ``words``, best match first."""

    def data_version(self) -> int:
        """A number that changes when another connection has committed a change since the last call."""

    def features(self, embedder: str) -> dict[str, tuple[str, bytes]]:
        """Article id → (content hash, clustering features) stored for ``embedder``."""

    def save_features(self, embedder: str, rows: Sequence[tuple[str, str, bytes]]) -> None:
        """Keep (article id, content hash, features) for ``embedder``, in one transaction."""

    def record_failure(self, source: str, message: str) -> None:
        """Remember an input that failed for now (a ``TransientError``), for a later retry."""

    def clear_failure(self, source: str) -> None: ...

    def failures(self) -> list[tuple[str, str, int]]:
        """(source, last message, attempts) of the inputs waiting for a retry."""

    def schema_version(self) -> int: ...

    def close(self) -> None: ...


def members_hash(pairs: Sequence[tuple[str, str]]) -> str:
    return hashlib.sha1("\n".join(f"{i}:{h}" for i, h in sorted(pairs)).encode("utf-8")).hexdigest()


__all__ = ["ListingRow", "SearchHit", "Store", "StoreUnavailable", "StoredArticle", "StoryPage", "StoryQuery", "StorySummary", "UpsertOutcome",
           "decode_cursor", "encode_cursor", "members_hash"]
