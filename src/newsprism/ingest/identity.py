"""Which article is this: its canonical address, its id, and the hashes that tell a changed or copied text.

One module for every notion of identity, so that the id an article gets when it is read, the key the store files it
under and the test for "this is a copy" cannot drift apart:

- ``canonical_url``: the address with case, default ports, fragments and tracking parameters normalised away;
- ``article_id``: the record's own id when it has one, else a hash of the canonical URL, else of the text;
- ``content_hash``: what changes exactly when the article's title or text changes (the store re-analyses then);
- ``text_fingerprint``: the text's words, blind to case, punctuation and spacing (a copy with other quote marks
  or line breaks has the same fingerprint).
"""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..text.words import lower_words

_TRACKING = ("utm_", "fbclid", "gclid", "mc_", "ref", "cmpid")


def canonical_url(url: str) -> str:
    """The URL with case, default ports, fragments and tracking parameters normalised away.

    >>> canonical_url("HTTPS://Example.com:443/a/?utm_source=x&id=3#top")
    'https://example.com/a?id=3'
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and (parts.scheme.lower(), parts.port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not k.lower().startswith(_TRACKING)])
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def article_id(record_id: str | None, url: str | None, text: str) -> str:
    """The record's id, else 12 hex digits of the canonical URL's hash, else of the text's.

    >>> article_id(None, "https://example.com/a/?utm_source=x", "") == article_id(None, "https://EXAMPLE.com/a", "")
    True
    """
    if record_id:
        return record_id
    basis = canonical_url(url) if url else text
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def store_key(url: str | None, title: str | None, text: str) -> str:
    """The key the store files an article under: its canonical URL, or its content hash when it has no URL."""
    return canonical_url(url) if url else f"sha1:{content_hash(title, text)}"


def content_hash(title: str | None, text: str) -> str:
    """A hash of the title and text exactly as stored: it changes whenever either changes."""
    return hashlib.sha1("\n".join([title or "", text]).encode("utf-8")).hexdigest()


def text_fingerprint(words: list[str]) -> str:
    """A hash of a text's case-folded words (``text.words.lower_words``): equal for copies that differ only in
    case, punctuation or spacing."""
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()


def fingerprint_of(text: str) -> str:
    return text_fingerprint(lower_words(text))


__all__ = ["article_id", "canonical_url", "content_hash", "fingerprint_of", "store_key", "text_fingerprint"]
