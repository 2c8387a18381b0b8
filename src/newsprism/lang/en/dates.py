"""English date phrases: the grammar of date expressions, resolved to YYYY, YYYY-MM or YYYY-MM-DD.

Resolution rules (see docs/framing-timeline-coverage.md):

- Explicit dates ("14 December 2025", "Dec. 14, 2025", "2025-12-14") and months ("February 2022") are exact.
  A full month name followed by a day or a year is read whatever its case ("december 14, 2025"); abbreviations
  and a month named alone ("in May") must be capitalised: "may", "mar" and "march" are common words.
- A date without a year ("Dec 14") takes the reference date's year, unless that puts it more than
  ``NEAR_FUTURE_DAYS`` after the reference, in which case it is last year's: reports talk about the recent past
  and the days just ahead ("talks scheduled for December 15").
- A weekday ("on Sunday") is the most recent such day on or before the reference; after "next", or when the words
  just before it speak of the future ("will", "scheduled", "due"), the next such day on or after it. A weekday
  followed by a date in brackets ("Monday (December 15)") takes the written date.
- "the day before" / "the next day" count from the last day-precise date earlier in the same sentence, else from
  the reference; "yesterday", "last month", "last year", "three years ago" count from the reference.
- "nearly four years after February 2022" counts from the next date written in the same sentence; numerical
  offsets are ``approx``; "nearly"/"more than" shift the offset a little (5%, at most two months) down or up.
- Years: "in 1994" exact; "since 2022" / "after 2014" → ``after``; "before 2014" / "until 2014" / "by 2027" → ``before``.
- A calendar date that does not exist ("February 30") is kept with ``value=None``; so is anything relative when
  there is no reference date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ...text.dates import NEAR_FUTURE_DAYS, Qualifier, TimeExpr, as_date as _as_date

MONTHS = {
    name: i for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")], start=1)
    for name in names
}
"""Month names and abbreviations → 1–12."""

_MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|December")
_ABBREVIATIONS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
# A month with a day or a year after it: full names in any case, abbreviations capitalised or in capitals.
_MONTH = rf"(?:(?i:{_MONTH_NAMES})|(?:{_ABBREVIATIONS}|{_ABBREVIATIONS.upper()})\.?)"
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9]|[4-9]\d)"  # 4x-9x kept so "February 45" is seen (and rejected), not half-read
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
            "thirty": 30, "a couple of": 2, "a dozen": 12}
_NUMBER = r"(?:\d{1,3}|a couple of|a dozen|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|" \
          r"fifteen|twenty|thirty)"
_LESS = r"(?:nearly|almost|just under|less than|under)"
_MORE = r"(?:more than|over|just over|at least)"
_ABOUT = r"(?:about|around|roughly|some|approximately)"

_FLAGS = re.IGNORECASE


def _rx(pattern: str, flags: int = 0) -> re.Pattern:
    return re.compile(pattern, flags)


# Patterns in priority order; an earlier pattern's match claims its characters.
_WEEKDAY_WITH_DATE = _rx(
    rf"\b(?:(?i:on)\s+)?(?P<weekday>{_WEEKDAY}),?\s*\(?(?P<month>{_MONTH})\s+(?P<day>{_DAY})(?:st|nd|rd|th)?"
    rf"(?:,?\s+(?P<year>{_YEAR}))?\)?(?!\d)")
_ISO = _rx(rf"\b(?P<year>{_YEAR})-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")
_MONTH_DAY = _rx(rf"\b(?P<month>{_MONTH})\s+(?P<day>{_DAY})(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<year>{_YEAR})\b)?")
_DAY_MONTH = _rx(rf"\b(?P<day>{_DAY})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH})(?![a-z])"
                 rf"(?:,?\s+(?P<year>{_YEAR})\b)?")
_MONTH_YEAR = _rx(rf"\b(?:(?P<prep>since|after|before|until|by|in|from|of|during)\s+)?(?:(?-i:early|mid|late)[- ])?"
                  rf"(?P<month>{_MONTH}),?\s+(?P<year>{_YEAR})\b", 0)
_MONTH_ALONE = _rx(r"\b(?P<lead>(?:(?:at\s+)?the\s+(?:end|start|beginning|middle)\s+of|(?i:in|since|until|by|early|"
                   r"late|mid-?|last|this|next))\s+)(?P<month>January|February|March|April|May|June|July|August|"
                   r"September|October|November|December)\b(?!\s*\d)")
_OFFSET = _rx(rf"\b(?:(?P<mod>{_LESS}|{_MORE}|{_ABOUT})\s+)?(?P<n>{_NUMBER})\s+(?P<unit>year|month|week|day)s?"
              rf"\s+(?P<dir>ago|earlier|later|before|after)\b", _FLAGS)
_FIXED = _rx(r"\b(?P<phrase>yesterday|today|tomorrow|(?:the\s+)?(?:day|night)\s+before|(?:the\s+)?(?:previous|"
             r"following|next)\s+day|the\s+day\s+after|(?:last|this|next|earlier\s+this|later\s+this)\s+"
             r"(?:week|month|year)|(?:last|this)\s+weekend|over\s+the\s+weekend)\b", _FLAGS)
_WEEKDAY_ALONE = _rx(rf"\b(?:(?P<prep>(?i:on|last|this|next|since|until|by))\s+)?(?P<weekday>{_WEEKDAY})\b"
                     r"(?:\s+(?P<part>morning|afternoon|evening|night))?")
_YEAR_ALONE = _rx(rf"(?<![\d$€£.,/-])\b(?:(?P<prep>[Ii]n|[Ss]ince|[Aa]fter|[Bb]efore|[Uu]ntil|[Bb]y|[Ff]rom|[Oo]f|"
                  rf"[Dd]uring|[Tt]hrough)\s+)?(?:(?P<early>early|mid|late)[- ])?(?P<year>{_YEAR})\b"
                  r"(?!s\b|-\d|\s*%|,\d|\.\d|\s+(?:people|troops|soldiers|men|women|votes|km|miles|tonnes|"
                  r"dollars|euros))")
_NEXT_WORD = re.compile(r"\s+([a-z]+)\b")
_NOT_PLURAL = {"as", "was", "is", "has", "its", "his", "this", "does", "thus", "plus", "across", "us", "towards"}
# "plan" and "expected" speak of the future as verbs ("plans to", "is expected to"), not as nouns ("The plan,
# outlined on Saturday, ...") or adjectives.
_FUTURE_CUE = re.compile(r"\b(?:will|would|shall|to be|scheduled|due|set to|expected to|planned (?:to|for)|"
                         r"plans to|going to|resumes?|upcoming)\b[^.!?]{0,60}$", re.IGNORECASE)
_AFTER_PREP = {"since", "after", "from"}
_BEFORE_PREP = {"before", "until", "by"}


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None  # "February 30": a written date that does not exist


def _year_for(month: int, day: int, reference: date | None) -> int | None:
    if reference is None:
        return None
    candidate = _safe_date(reference.year, month, day)
    if candidate is None:
        # Only 29 February can fail in one year and not another: try the nearest leap years.
        for year in (reference.year - 1, reference.year - 2, reference.year - 3):
            if _safe_date(year, month, day):
                return year
        return reference.year
    if candidate - reference > timedelta(days=NEAR_FUTURE_DAYS):
        return reference.year - 1
    return reference.year


def _weekday_near(weekday: int, reference: date, forward: bool, strictly: bool = False) -> date:
    if forward:
        delta = (weekday - reference.weekday()) % 7
        return reference + timedelta(days=delta or (7 if strictly else 0))
    delta = (reference.weekday() - weekday) % 7
    return reference - timedelta(days=delta or (7 if strictly else 0))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _fmt(day: date, precision: str) -> str:
    return {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}", "day": day.isoformat()}[precision]


def _shift(anchor: date, n: int, unit: str, sign: int, mod: str | None) -> date:
    days = {"year": 365.25, "month": 30.44, "week": 7.0, "day": 1.0}[unit] * n
    if mod:
        nudge = min(days * 0.05, 60.0)
        if re.fullmatch(_LESS, mod, _FLAGS):
            days -= nudge
        elif re.fullmatch(_MORE, mod, _FLAGS):
            days += nudge
    return anchor + timedelta(days=sign * days)


def _same_sentence_prefix(text: str, start: int) -> str:
    cut = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start), text.rfind("? ", 0, start))
    return text[cut + 1:start]


class _Finder:
    def __init__(self, text: str, reference: date | None):
        self.text = text
        self.reference = reference
        self.taken = [False] * len(text)
        self.found: list[TimeExpr] = []

    def claim(self, match: re.Match, value: str | None, qualifier: Qualifier = "exact",
              relative: bool = False, start: int | None = None) -> bool:
        start = match.start() if start is None else start
        end = match.end()
        if any(self.taken[start:end]):
            return False
        self.taken[start:end] = [True] * (end - start)
        self.found.append(TimeExpr(start, end, self.text[start:end], value, qualifier, relative))
        return True

    def free(self, match: re.Match) -> bool:
        return not any(self.taken[match.start():match.end()])


def _uncertain_month(match: re.Match) -> bool:
    return match["month"][:1].islower() and not match["year"]


def find_temporal(text: str, reference: date | None) -> list[TimeExpr]:
    """Every date expression in ``text``, resolved against ``reference`` (the article's date), in text order.

    >>> [(t.text, t.value) for t in find_temporal("On Sunday, Dec 14, talks began; in 1994 too.", date(2025, 12, 16))]
    [('On Sunday, Dec 14', '2025-12-14'), ('in 1994', '1994')]
    """
    f = _Finder(text, reference)

    for m in _WEEKDAY_WITH_DATE.finditer(text):
        if _uncertain_month(m):
            continue
        year = int(m["year"]) if m["year"] else _year_for(_month(m["month"]), int(m["day"]), reference)
        day = _safe_date(year, _month(m["month"]), int(m["day"])) if year else None
        f.claim(m, day.isoformat() if day else None, relative=not m["year"])
    for m in _ISO.finditer(text):
        day = _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))
        f.claim(m, day.isoformat() if day else None)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        for m in pattern.finditer(text):
            if _uncertain_month(m):
                continue  # "about 5 may be hurt": a lower-case month needs a year to be one
            month, dd = _month(m["month"]), int(m["day"])
            year = int(m["year"]) if m["year"] else _year_for(month, dd, reference)
            day = _safe_date(year, month, dd) if year else None
            f.claim(m, day.isoformat() if day else None, relative=not m["year"])
    for m in _MONTH_YEAR.finditer(text):
        prep = (m["prep"] or "").lower()
        qualifier: Qualifier = "after" if prep in _AFTER_PREP else "before" if prep in _BEFORE_PREP else "exact"
        start = m.start("month") if prep in ("in", "of", "during", "") else m.start()
        if f.free(m):
            f.claim(m, f"{int(m['year']):04d}-{_month(m['month']):02d}", qualifier, start=start)
    for m in _YEAR_ALONE.finditer(text):
        prep = (m["prep"] or "").lower()
        following = _NEXT_WORD.match(text, m.end())
        if not prep and following and following[1].endswith("s") and following[1] not in _NOT_PLURAL:
            continue  # "2000 workers": a count, not a year
        qualifier = "after" if prep in _AFTER_PREP else "before" if prep in _BEFORE_PREP else "exact"
        if m["early"] and qualifier == "exact":
            qualifier = "approx"
        f.claim(m, m["year"], qualifier)
    for m in _MONTH_ALONE.finditer(text):
        f.claim(m, None, relative=True)
    # Relative expressions last: they may count from the absolute dates found above.
    for m in _OFFSET.finditer(text):
        f.claim(m, None, "approx", relative=True)
    for m in _FIXED.finditer(text):
        f.claim(m, None, relative=True)
    for m in _WEEKDAY_ALONE.finditer(text):
        f.claim(m, None, relative=True)
    found = sorted(f.found, key=lambda t: t.start)
    return _resolve_relative(text, found, reference)


def _resolve_relative(text: str, found: list[TimeExpr], reference: date | None) -> list[TimeExpr]:
    resolved: list[TimeExpr] = []
    for i, expr in enumerate(found):
        if expr.value is None and expr.relative:
            try:
                value, qualifier = _relative_value(text, expr, found, i, resolved, reference)
            except (OverflowError, ValueError):
                value, qualifier = None, expr.qualifier  # counts past year 1 or 9999: no calendar date
            if value is not None and not re.fullmatch(r"\d{4}(?:-\d\d){0,2}", value):
                value = None  # "next year" from 9999
            expr = TimeExpr(expr.start, expr.end, expr.text, value, qualifier, True)
        resolved.append(expr)
    return resolved


def _previous_day(text: str, expr: TimeExpr, resolved: list[TimeExpr]) -> date | None:
    sentence_start = expr.start - len(_same_sentence_prefix(text, expr.start))
    for earlier in reversed(resolved):
        if earlier.start < sentence_start:
            break
        if earlier.precision == "day":
            return _as_date(earlier.value)
    return None


def _relative_value(text: str, expr: TimeExpr, found: list[TimeExpr], i: int, resolved: list[TimeExpr],
                    reference: date | None) -> tuple[str | None, Qualifier]:
    phrase = " ".join(expr.text.lower().split())
    offset = _OFFSET.fullmatch(expr.text)
    if offset:
        n = _NUMBERS.get(offset["n"].lower()) or (int(offset["n"]) if offset["n"].isdigit() else None)
        unit, direction = offset["unit"].lower(), offset["dir"].lower()
        precision = {"year": "year", "month": "month"}.get(unit, "day")
        anchor: date | None = reference
        if direction in ("after", "before"):
            # "four years after Russia launched its invasion in February 2022": the next date in the sentence.
            anchor = None
            for later in found[i + 1:]:
                gap = text[expr.end:later.start]
                if len(gap) > 120 or re.search(r"[.!?]\s", gap):
                    break
                if later.value and not later.relative:
                    anchor = _as_date(later.value)
                    break
        elif direction in ("earlier", "later"):
            anchor = _previous_day(text, expr, resolved) or reference
        if anchor is None or n is None:
            return None, "approx"
        sign = -1 if direction in ("ago", "earlier", "before") else 1
        return _fmt(_shift(anchor, n, unit, sign, offset["mod"]), precision), "approx"
    if reference is None and not phrase.startswith(("the ", "day", "night", "previous", "following", "next day")):
        return None, "exact"
    month_alone = _MONTH_ALONE.fullmatch(expr.text)
    if month_alone:
        return _month_without_year(month_alone, reference)
    weekday = _WEEKDAY_ALONE.fullmatch(expr.text)
    if weekday:
        if reference is None:
            return None, "exact"
        prep = (weekday["prep"] or "").lower()
        index = _WEEKDAYS.index(weekday["weekday"].lower())
        future = prep == "next" or bool(_FUTURE_CUE.search(_same_sentence_prefix(text, expr.start)))
        day = _weekday_near(index, reference, forward=future, strictly=prep in ("last", "next"))
        qualifier: Qualifier = "after" if prep == "since" else "before" if prep in ("until", "by") else "exact"
        return day.isoformat(), qualifier
    if "before" in phrase or "previous" in phrase or "after" in phrase or "following" in phrase \
            or phrase.endswith("next day"):
        anchor = _previous_day(text, expr, resolved) or reference
        if anchor is None:
            return None, "exact"
        sign = -1 if ("before" in phrase or "previous" in phrase) else 1
        return (anchor + timedelta(days=sign)).isoformat(), "exact"
    assert reference is not None
    if phrase == "yesterday":
        return (reference - timedelta(days=1)).isoformat(), "exact"
    if phrase == "today":
        return reference.isoformat(), "exact"
    if phrase == "tomorrow":
        return (reference + timedelta(days=1)).isoformat(), "exact"
    if phrase.endswith("weekend"):
        saturday = _weekday_near(5, reference, forward=False, strictly=phrase.startswith("last"))
        return saturday.isoformat(), "approx"
    step = -1 if phrase.startswith("last") else 1 if phrase.startswith("next") else 0
    if phrase.endswith("year"):
        return f"{reference.year + step:04d}", "exact"
    if phrase.endswith("month"):
        return _fmt(_add_months(reference, step), "month"), "exact"
    if phrase.endswith("week"):
        return (reference + timedelta(days=7 * step)).isoformat(), "approx"
    return None, "exact"


def _month_without_year(match: re.Match, reference: date | None) -> tuple[str | None, Qualifier]:
    """"at the end of December", "in May", "last March": the month's nearest past-or-near occurrence."""
    if reference is None:
        return None, "exact"
    lead = match["lead"].lower().split()[0]
    month = _month(match["month"])
    year = _year_for(month, 1, reference)
    if lead == "last" and date(year, month, 1) > reference - timedelta(days=28):
        year -= 1
    elif lead == "next" and date(year, month, 1) <= reference:
        year += 1
    qualifier: Qualifier = ("after" if lead == "since" else "before" if lead in ("until", "by") else
                            "approx" if lead in ("early", "late", "mid", "mid-") else "exact")
    return f"{year:04d}-{month:02d}", qualifier


__all__ = ["MONTHS", "find_temporal"]
