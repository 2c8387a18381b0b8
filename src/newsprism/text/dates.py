"""Dates in text, whatever the language: what a date expression is, and the one way an ISO date is read.

The grammar of date phrases is a language's (``lang/en/dates.py`` for English, reached through
``resources(code).find_temporal``); ingest (an article's own date), facts, conflicts and the timeline all use it,
so a phrase means the same date everywhere. Resolution rules are in the grammar's module docstring.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

Qualifier = Literal["exact", "approx", "before", "after"]
NEAR_FUTURE_DAYS = 60
"""A date without a year more than this many days after the reference is last year's: reports talk about the
recent past and the days just ahead ("talks scheduled for December 15")."""

_ISO = re.compile(r"\s*(\d{4})-(\d\d)-(\d\d)")


@dataclass(frozen=True)
class TimeExpr:
    """One date expression: where it is, what it says, and the date it resolves to (None when it cannot)."""

    start: int
    end: int
    text: str
    value: str | None
    qualifier: Qualifier = "exact"
    relative: bool = False

    @property
    def precision(self) -> str | None:
        """'year', 'month' or 'day', following the value's shape."""
        if self.value is None:
            return None
        return {4: "year", 7: "month", 10: "day"}.get(len(self.value))

    def shifted(self, offset: int) -> TimeExpr:
        """The same expression with its offsets moved by ``offset`` (from a sentence's text to its article's)."""
        return TimeExpr(self.start + offset, self.end + offset, self.text, self.value, self.qualifier, self.relative)


def parse_iso(value: object) -> date | None:
    """The calendar date an ISO 8601 value starts with ("2025-12-14", "2025-12-14T09:30:00Z"), or None.

    >>> parse_iso("2025-12-14T09:30:00+01:00"), parse_iso("2025-02-30"), parse_iso(None)
    (datetime.date(2025, 12, 14), None, None)
    """
    if not isinstance(value, str):
        return None
    match = _ISO.match(value)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None  # "2025-02-30": written, but not a day


def as_date(value: str) -> date:
    """A resolved value as one day: a month or a year stands for its middle when something counts from it."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 7, 1)
    if len(parts) == 2:
        return date(parts[0], parts[1], 15)
    return date(parts[0], parts[1], parts[2])


def period_end(value: str) -> date:
    """The last day of a resolved value's period (the year, the month, or the day itself)."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return date(*parts)


def find_temporal(text: str, reference: date | None, language: str | None = None) -> list[TimeExpr]:
    """Every date expression in ``text`` in ``language``'s grammar (default: ``lang.DEFAULT``), resolved against
    ``reference``; [] for a language without resources.

    >>> [(t.text, t.value) for t in find_temporal("On Sunday, Dec 14, talks began; in 1994 too.", date(2025, 12, 16))]
    [('On Sunday, Dec 14', '2025-12-14'), ('in 1994', '1994')]
    """
    from ..lang import resources

    found = resources(language)
    return found.find_temporal(text, reference) if found is not None else []


def find_dates(text: str, language: str | None = None) -> list[tuple[int, str]]:
    """Every full calendar date written in ``text`` (day, month and year), as (offset, YYYY-MM-DD), in order.

    >>> find_dates("Talks on Dec. 14, 2025 and 15 December 2025; not February 30, 2025.")
    [(9, '2025-12-14'), (27, '2025-12-15')]
    """
    return [(t.start, t.value) for t in find_temporal(text, None, language)
            if t.value and t.precision == "day" and not t.relative]


__all__ = ["NEAR_FUTURE_DAYS", "Qualifier", "TimeExpr", "as_date", "find_dates", "find_temporal", "parse_iso",
           "period_end"]
