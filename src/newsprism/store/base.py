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


@dataclass
class FeedState:
    """A followed feed as the store keeps it: its address, what its server said last, and when to check it next."""

    url: str
    title: str | None = None
    site: str | None = None
    added_at: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    last_checked: float | None = None
    last_status: str | None = None
    """new items, no new items, not modified, or error."""
    next_check: float = 0.0
    interval: float | None = None
    errors: int = 0
    """Failed checks in a row."""
    last_error: str | None = None
    paused: bool = False
    items: int = 0
    """Items the feed has given (every one is kept, whatever became of it)."""
    failed: int = 0
    """Items whose article could not be read (their title and summary are kept)."""
    pending: int = 0
    """Items not read yet (or to retry)."""
    lease_owner: str | None = None
    """The watcher checking the feed now (``host:pid:…``), if any."""
    lease_until: float | None = None


@dataclass
class FeedCheck:
    """What one check of a feed concluded, saved in one transaction with the items it found."""

    status: str
    """fetched (the store says "new items" or "no new items" from what it kept), not modified, or error."""
    next_check: float
    interval: float | None = None
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    site: str | None = None
    error: str | None = None
    moved_to: str | None = None
    """The feed's new address after a permanent redirect."""
    items: Sequence["FeedItemRow"] = ()


@dataclass
class FeedItemRow:
    """One item of a feed: what the feed said of it, and what became of it."""

    key: str
    link: str | None
    title: str | None
    summary: str | None
    full_text: bool
    published: str | None = None
    stamp: float | None = None
    state: str = "pending"
    article_id: str | None = None
    problem: str | None = None
    attempts: int = 0
    feed: str = ""


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

    # -- followed feeds (``newsprism feeds`` and ``newsprism watch``) ---------------------------------------------

    def add_feed(self, url: str, now: float) -> bool:
        """Follow a feed from now on; False when it is followed already."""

    def remove_feed(self, url: str) -> bool:
        """Stop following a feed (its items' articles stay); False when it was not followed."""

    def feed_states(self) -> list[FeedState]:
        """Every followed feed, in the order added, with its item counts."""

    def claim_feeds(self, owner: str, now: float, lease: float, due_only: bool = True) -> list[FeedState]:
        """Lease to ``owner`` until ``now + lease`` the feeds no other watcher holds that are due (or every one,
        without ``due_only``; never a paused one), and those with items left to read; in one transaction."""

    def save_check(self, url: str, owner: str, check: FeedCheck, now: float, pause_after: int) -> tuple[str, int]:
        """Keep what a check found — the feed's new state and its new items (pending) — in one transaction;
        returns the feed's address (its new one after a permanent redirect) and how many items were new.
        ``pause_after`` failed checks in a row pause the feed."""

    def resume_feed(self, url: str, now: float) -> bool:
        """Un-pause a feed and make it due now (its error count starts again); False when it is not followed."""

    def pending_items(self, url: str) -> list[FeedItemRow]:
        """The feed's items still to read, oldest first."""

    def finish_item(self, url: str, key: str, state: str, article_id: str | None, problem: str | None,
                    owner: str, lease_until: float) -> None:
        """Record what became of one item (and renew the owner's lease on its feed), in one transaction."""

    def release_feed(self, url: str, owner: str) -> None:
        """End ``owner``'s lease on the feed."""

    def feed_items(self, url: str) -> list[FeedItemRow]:
        """Every item the feed gave, in the order first seen."""

    def article_for_url(self, url: str) -> str | None:
        """The id of the article stored under this address (canonical), if any."""

    def close(self) -> None: ...


def members_hash(pairs: Sequence[tuple[str, str]]) -> str:
    return hashlib.sha1("\n".join(f"{i}:{h}" for i, h in sorted(pairs)).encode("utf-8")).hexdigest()


__all__ = ["FeedCheck", "FeedItemRow", "FeedState", "ListingRow", "SearchHit", "Store", "StoreUnavailable", "StoredArticle", "StoryPage", "StoryQuery", "StorySummary", "UpsertOutcome",
           "decode_cursor", "encode_cursor", "members_hash"]
