"""What a reader of one kind of input (HTML, plain text, a JSON record) hands on to cleaning and enrichment."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extracted:
    text: str
    title: str | None = None
    published: str | None = None
    """YYYY-MM-DD when known."""
    published_from: str | None = None
    """'metadata', 'record', 'url' or 'text'."""
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    url: str | None = None
    method: str = "text"
    """How the text was obtained, e.g. 'trafilatura', 'fallback-paragraphs', 'text', 'record'."""
    removed: list[str] = field(default_factory=list)
