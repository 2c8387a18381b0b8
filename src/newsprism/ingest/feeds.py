"""RSS and Atom feeds: which articles does a feed point to, read safely.

A feed is XML from a stranger. Documents that declare entities are refused before parsing (the "billion laughs"
expansion bomb and external entities need a declaration to work); feedparser itself parses with external entities
switched off. Reading the items into articles is ``load.py``'s: an item that carries its full text is read from the
feed, otherwise its page is fetched and extracted like any URL.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from ..errors import InputError

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
    """The item's date, YYYY-MM-DD."""
    html: str | None
    guid: str | None = None
    """The item's own id (RSS guid, Atom id), when it gives one."""
    stamp: float | None = None
    """When the item was published or updated, in seconds since the epoch (UTC), when it says."""

    @property
    def key(self) -> str:
        """What names the item within its feed: its id, else its link, else its title."""
        return (self.guid or self.link or self.title or "").strip()


@dataclass
class Feed:
    title: str | None
    site: str | None
    """The site the feed belongs to (its <link>)."""
    ttl: int | None
    """Minutes the feed asks to be cached for (RSS <ttl>)."""
    items: list[FeedItem]
    problem: str | None = None
    """Why the document is not well-formed, when its items had to be recovered from a broken one."""


def parse_feed(data: bytes, source: str, warnings: list[str] | None = None) -> list[FeedItem]:
    """The items of a feed document, or ``InputError`` when it is not a feed or declares entities."""
    return read_feed(data, source, warnings).items


def read_feed(data: bytes, source: str, warnings: list[str] | None = None) -> Feed:
    """The feed document read: its title, site, TTL and items; ``InputError`` when it is not a feed."""
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
    import calendar

    items = []
    for entry in entries[:MAX_ITEMS]:
        html = None
        if entry.get("content"):
            html = entry["content"][0].get("value")
        html = html or entry.get("summary")
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}" if stamp else None
        items.append(FeedItem(entry.get("link"), entry.get("title"), published, html, guid=entry.get("id") or None,
                              stamp=float(calendar.timegm(stamp)) if stamp else None))
    meta = parsed.get("feed") or {}
    ttl = str(meta.get("ttl") or "").strip()
    problem = None
    reason = parsed.get("bozo_exception")
    if parsed.get("bozo") and reason is not None and "Encoding" not in type(reason).__name__:
        problem = f"the feed is not well-formed XML ({reason}); the {len(items)} items that could be read were kept"
    return Feed(title=(meta.get("title") or "").strip() or None, site=meta.get("link") or None,
                ttl=int(ttl) if ttl.isdigit() else None, items=items, problem=problem)


def has_full_text(item: FeedItem) -> bool:
    """Whether the item carries the article itself, not a teaser (then it is read from the feed, not fetched)."""
    return bool(item.html) and len(_TAG.sub(" ", item.html).strip()) >= FULL_CONTENT_CHARS
