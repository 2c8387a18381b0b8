"""The store's interface: what ingest, clustering and analysis need from any database behind them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from ..errors import TransientError
from ..models import Article

UpsertOutcome = Literal["added", "updated", "unchanged"]


class StoreUnavailable(TransientError):
    """The store cannot be written now (locked, disk full): stop, keeping what was committed; a retry may work."""


@dataclass
class StoredArticle:
    article: Article
    content_hash: str
    story: str | None


@dataclass
class StorySummary:
    id: str
    title: str | None
    articles: int
    outlets: list[str] = field(default_factory=list)
    leans: dict[str, int] = field(default_factory=dict)
    first_published: str | None = None
    last_published: str | None = None
    last_added: str | None = None


class Store(Protocol):
    path: str

    def upsert_article(self, article: Article) -> tuple[str, UpsertOutcome]:
        """Store one article in its own transaction; returns the stored id and what happened."""

    def articles(self, ids: Iterable[str] | None = None) -> list[StoredArticle]:
        """Articles in the order they were first stored (all, or those with these ids)."""

    def assign(self, assignments: dict[str, str]) -> None:
        """Record article id → story id, in one transaction."""

    def stories(self) -> list[StorySummary]: ...

    def story_articles(self, story_id: str) -> list[Article]: ...

    def members_hash(self, story_id: str) -> str:
        """A hash of the story's members and their content: it changes exactly when re-analysis is needed."""

    def save_analysis(self, story_id: str, members_hash: str, report_json: str) -> None: ...

    def load_analysis(self, story_id: str, members_hash: str) -> str | None: ...

    def schema_version(self) -> int: ...

    def close(self) -> None: ...


def content_hash(article: Article) -> str:
    import hashlib

    basis = "\n".join([article.title or "", article.text])
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()


def members_hash(pairs: Sequence[tuple[str, str]]) -> str:
    import hashlib

    return hashlib.sha1("\n".join(f"{i}:{h}" for i, h in sorted(pairs)).encode("utf-8")).hexdigest()
