"""RSS and Atom feeds: which articles does a feed point to, read safely and one item at a time.

A feed is XML from a stranger. Documents that declare entities are refused before parsing (the "billion laughs"
expansion bomb and external entities need a declaration to work); feedparser itself parses with external entities
switched off. An item that carries its full text is read from the feed; otherwise its page is fetched and
extracted like any URL.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..options import Options
from .load import LoadResult, load_articles
from .read import is_url

FEED_SUFFIXES = {".xml", ".rss", ".atom"}
MAX_ITEMS = 1000
"""Items read from one feed; a larger feed is cut with a warning (real feeds carry tens)."""
FULL_CONTENT_CHARS = 800
"""An item whose content has at least this many characters of text is taken from the feed, not fetched."""
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class FeedItem:
    link: str | None
    title: str | None
    published: str | None
    html: str | None


def looks_like_feed(data: bytes) -> bool:
    """True for bytes that start an RSS, Atom or RDF document.

    >>> looks_like_feed(b'<?xml version="1.0"?><rss version="2.0">'), looks_like_feed(b"<html><body>")
    (True, False)
    """
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return False
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def feed_list(path: Path) -> list[str] | None:
    """The URLs of a feed list (a text file of URLs, one a line, '#' comments), or None if ``path`` is not one."""
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    except OSError:
        return None
    urls = [line for line in lines if line and not line.startswith("#")]
    return urls if urls and all(is_url(u) and " " not in u for u in urls) else None


def parse_feed(data: bytes, source: str, warnings: list[str] | None = None) -> list[FeedItem]:
    """The items of a feed document, or ``InputError`` when it is not a feed or declares entities."""
    if _ENTITY.search(data):
        raise InputError("the feed declares XML entities, which are refused (entity expansion attacks)",
                         source=source, hint="ask the publisher for a plain RSS or Atom feed")
    import feedparser

    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=False, resolve_relative_uris=False)
    entries = parsed.get("entries") or []
    if not entries and (parsed.get("bozo") or not parsed.get("version")):
        reason = parsed.get("bozo_exception")
        raise InputError(f"not an RSS or Atom feed{f' ({reason})' if reason else ''}", source=source,
                         hint="check the address; give article pages or feeds")
    if len(entries) > MAX_ITEMS and warnings is not None:
        warnings.append(f"warning: {source}: the feed has {len(entries):,} items; only the first {MAX_ITEMS:,} "
                        "are read")
    items = []
    for entry in entries[:MAX_ITEMS]:
        html = None
        if entry.get("content"):
            html = entry["content"][0].get("value")
        html = html or entry.get("summary")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}" if stamp else None
        items.append(FeedItem(entry.get("link"), entry.get("title"), published, html))
    return items


def _has_full_text(item: FeedItem) -> bool:
    return bool(item.html) and len(_TAG.sub(" ", item.html).strip()) >= FULL_CONTENT_CHARS


def feed_articles(data: bytes, source: str, options: Options, warnings: list[str]) -> Iterator[LoadResult]:
    """One ``LoadResult`` per feed item, as it is read (so the caller can store each before the next fetch)."""
    for number, item in enumerate(parse_feed(data, source, warnings), start=1):
        where = f"{source}#item-{number}"
        if _has_full_text(item):
            record = {"title": item.title, "html": item.html, "url": item.link, "published": item.published}
            result = load_articles(["-"], options, stdin=io.BytesIO(json.dumps(record).encode("utf-8")))
            for article in result.articles:
                article.source = where
        elif item.link and is_url(item.link):
            result = load_articles([item.link], options)
            for article in result.articles:
                article.published = article.published or item.published
                article.title = article.title or item.title
        else:
            result = LoadResult(inputs=1, failed_inputs=1, problems=[InputError(
                "the item has neither a link nor its text", source=where, hint="the item was skipped")])
        yield result
