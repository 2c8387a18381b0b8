"""Feed lists in and out: OPML (what every feed reader imports and exports) and plain lists of addresses.

An OPML file is XML from wherever the user got it; like feeds, one that declares a DOCTYPE or entities is refused
before parsing, so no expansion bomb or external entity can be smuggled in.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime, timezone
from xml.sax.saxutils import quoteattr

from ..errors import InputError
from ..ingest.read import is_url, url_list
from ..store.base import FeedState

_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def read_feed_list(data: bytes, source: str) -> list[str]:
    """The feed addresses of an OPML file (every outline's ``xmlUrl``, at any depth) or of a plain list.

    >>> read_feed_list(b'<opml version="2.0"><body><outline text="News"><outline type="rss" '
    ...                b'xmlUrl="https://example.com/rss"/></outline></body></opml>', "subs.opml")
    ['https://example.com/rss']
    >>> read_feed_list(b"# mine\\nhttps://example.org/atom.xml\\n", "feeds.txt")
    ['https://example.org/atom.xml']
    """
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        urls = url_list(data)
        if urls is None:
            raise InputError("is neither OPML nor a list of feed addresses (one http(s) address a line)",
                             source=source, hint="export an OPML file from your feed reader, or list one URL a line")
        return urls
    if _DECLARATION.search(data):
        raise InputError("the file declares a DOCTYPE or entities, which are refused", source=source,
                         hint="remove the <!DOCTYPE …> line; OPML needs none")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(f"is not well-formed XML ({exc})", source=source, hint="check the file") from None
    if root.tag.lower() != "opml":
        raise InputError(f"is XML but not OPML (its root is <{root.tag}>)", source=source,
                         hint="give an OPML file of subscriptions (a feed itself is added with: newsprism feeds add URL)")
    urls = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url:
            urls.append(url)
    if not urls:
        raise InputError("the OPML file lists no feeds (no outline with an xmlUrl)", source=source,
                         hint="check that it is a subscription list")
    return list(dict.fromkeys(urls))


def check_feed_url(url: str) -> str:
    """The address, stripped, or ``InputError`` when it cannot be a feed's."""
    url = url.strip()
    if not is_url(url) or " " in url:
        raise InputError("is not an http(s) address", source=url or "(empty)",
                         hint="give the feed's address, e.g. https://example.com/rss.xml")
    return url


def write_opml(feeds: Iterable[FeedState], title: str = "newsprism feeds") -> str:
    """An OPML 2.0 document of the feeds, for any feed reader to import."""
    now = datetime.now(timezone.utc).strftime("%a, %d %b %Y %H:%M:%S GMT")
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<opml version="2.0">', "  <head>",
             f"    <title>{_text(title)}</title>", f"    <dateCreated>{now}</dateCreated>", "  </head>", "  <body>"]
    for feed in feeds:
        name = feed.title or feed.url
        site = f" htmlUrl={quoteattr(feed.site)}" if feed.site else ""
        lines.append(f'    <outline type="rss" text={quoteattr(name)} title={quoteattr(name)} '
                     f"xmlUrl={quoteattr(feed.url)}{site}/>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines)


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["check_feed_url", "read_feed_list", "write_opml"]
