"""When was an article published: from its metadata, its URL, or a date the text gives for itself.

Dates written in the text are read with the one date grammar (``text.dates.find_dates``); a record's or page's date
field with ``text.dates.parse_iso``.

Only dates the article states about itself count as its publication date: a dateline ("Published 14 December
2025"), a date line at the top, or a dated photo caption. Dates of the events it reports are not its own date.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from ..lang import default, supported
from ..text.dates import find_dates, parse_iso

_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>\d{1,2}|[a-z]{3})[/-](?P<day>\d{1,2})(?:/|\b)",
                       re.IGNORECASE)
_URL_COMPACT = re.compile(r"/(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?:/|[-_])")


@cache
def _cues() -> tuple[re.Pattern, re.Pattern]:
    """(a line announcing the article's own date, a photo caption giving the day the photo was taken): the phrases of
    every language with resources, as for furniture (cleaning runs before the language is known)."""
    tables = [lang.furniture for lang in supported()]
    self_date = "|".join(dict.fromkeys(f for t in tables for f in t["self_date"]))
    dated = "|".join(dict.fromkeys(f for t in tables for f in t["dated_caption"]))
    return (re.compile(rf"^\s*(?:{self_date})\b[:\s]", re.IGNORECASE), re.compile(rf"(?:{dated})", re.IGNORECASE))


def _make(year: str, month: str, day: str) -> str | None:
    try:
        m = int(month) if month.isdigit() else default().months[month.lower().rstrip(".")]
        return date(int(year), m, int(day)).isoformat()
    except (KeyError, ValueError):
        return None  # "February 30" and the like are not dates


def date_from_url(url: str | None) -> str | None:
    """A publication date written into an article's address (``/2025/12/14/``, ``/20251214-``).

    >>> date_from_url("https://example.com/world/2025/dec/14/story")
    '2025-12-14'
    """
    if not url:
        return None
    for pattern in (_URL_DATE, _URL_COMPACT):
        match = pattern.search(url)
        if match:
            value = _make(match["year"], match["month"], match["day"])
            if value:
                return value
    return None


def date_from_text(lines: list[str], captions: list[str]) -> str | None:
    """A date the text gives for itself: a dateline near the top, or a dated photo caption."""
    self_date, dated_caption = _cues()
    for line in lines[:6]:
        dates = find_dates(line)
        if dates and (self_date.match(line) or len(line.split()) <= 8):
            return dates[0][1]
    for caption in captions:
        if dated_caption.search(caption):
            dates = find_dates(caption)
            if dates:
                return dates[0][1]
    return None


def normalise_date(value: object) -> str | None:
    """A record's or page's date field as YYYY-MM-DD, or None when it does not hold a real date."""
    if not isinstance(value, str):
        return None
    day = parse_iso(value)
    if day is not None:
        return day.isoformat()
    dates = find_dates(value)
    return dates[0][1] if dates else None
