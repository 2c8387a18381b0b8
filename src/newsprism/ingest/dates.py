"""When was an article published: from its metadata, its URL, or a date the text gives for itself.

Only dates the article states about itself count as its publication date: a dateline ("Published 14 December
2025"), a date line at the top, or a dated photo caption. Dates of the events it reports are not its own date.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: i for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DATE_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
]
_URL_DATE = re.compile(r"/(?P<year>(?:19|20)\d\d)[/-](?P<month>\d{1,2}|[a-z]{3})[/-](?P<day>\d{1,2})(?:/|\b)",
                       re.IGNORECASE)
_URL_COMPACT = re.compile(r"/(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?:/|[-_])")
_SELF_DATE_CUE = re.compile(r"^\s*(?:published|posted|updated|last updated|first published|date)\b[:\s]",
                            re.IGNORECASE)
_CAPTION_CUE = re.compile(r"\b(?:photo|image|picture)s?\b.*\b(?:released|taken|shot|provided)\s+on\b",
                          re.IGNORECASE)


def _make(year: str, month: str, day: str) -> str | None:
    try:
        m = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
        return date(int(year), m, int(day)).isoformat()
    except (KeyError, ValueError):
        return None  # "February 30" and the like are not dates


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every full calendar date written in ``text``, as (offset, YYYY-MM-DD), in order of appearance.

    >>> find_dates("Talks on Dec. 14, 2025 and 15 December 2025; not February 30, 2025.")
    [(9, '2025-12-14'), (27, '2025-12-15')]
    """
    found: dict[int, str] = {}
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _make(match["year"], match["month"], match["day"])
            if value and match.start() not in found:
                found[match.start()] = value
    return sorted(found.items())


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
    for line in lines[:6]:
        dates = find_dates(line)
        if dates and (_SELF_DATE_CUE.match(line) or len(line.split()) <= 8):
            return dates[0][1]
    for caption in captions:
        if _CAPTION_CUE.search(caption):
            dates = find_dates(caption)
            if dates:
                return dates[0][1]
    return None


def normalise_date(value: object) -> str | None:
    """A record's or page's date field as YYYY-MM-DD, or None when it does not hold a real date."""
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*((?:19|20)\d\d)-(\d\d)-(\d\d)", value)
    if match:
        return _make(*match.groups())
    dates = find_dates(value)
    return dates[0][1] if dates else None
