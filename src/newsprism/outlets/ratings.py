"""What lean has a published rating given this outlet? The AllSides ratings (``data/allsides_ratings.csv``, 2019
snapshot, CC BY-NC 4.0, see ``data/ATTRIBUTION.md``) joined onto registry outlets by name or alias.

AllSides rates some outlets twice, news and opinion ("CNN (Web News)" / "CNN - Editorial"). An outlet's news
rating is what describes its reporting, so opinion-section ratings are never used; a plain rating counts when no
news rating exists. Two ratings of the same standing that disagree give no lean: unknown, not a guess.
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass, field

from ..models import Lean
from .registry import ALLSIDES_FILE, ALLSIDES_SOURCE, OutletEntry, name_key

_LEANS: dict[str, Lean | None] = {
    "left": "left",
    "left-center": "lean_left",
    "center": "center",
    "right-center": "lean_right",
    "right": "right",
    "allsides": None,  # AllSides' "mixed" rating: a spread of views, not a lean
}
_NEWS, _PLAIN = 0, 1  # rank: lower is preferred
_QUALIFIER = re.compile(
    r"\s*(?:\((?P<paren>online news|web news|news|opinion|editorial)\)"
    r"|\s-\s(?P<dash>[^-]+)"
    r"|\s(?P<word>online news|editorial|opinion))\s*$",
    re.IGNORECASE,
)


def _split(source: str) -> tuple[str, str | None]:
    """AllSides' name without its section qualifier, and the qualifier ("news", "opinion", or another word)."""
    match = _QUALIFIER.search(source)
    if not match:
        return source, None
    qualifier = (match.group("paren") or match.group("dash") or match.group("word")).strip().lower()
    if qualifier in ("online news", "web news", "news"):
        qualifier = "news"
    elif qualifier in ("opinion", "editorial"):
        qualifier = "opinion"
    return source[: match.start()], qualifier


@dataclass
class Ratings:
    """Ratings by name key: each a list of (rank, lean) from the rows that carry that key."""

    by_key: dict[str, list[tuple[int, Lean | None]]] = field(default_factory=dict)

    def lean_of(self, names: tuple[str, ...]) -> Lean | None:
        found = [rating for name in names for rating in self.by_key.get(name_key(name), [])]
        if not found:
            return None
        best = min(rank for rank, _ in found)
        leans = {lean for rank, lean in found if rank == best}
        return leans.pop() if len(leans) == 1 else None

    def apply(self, entry: OutletEntry) -> OutletEntry:
        """``entry`` with the published lean, unless it carries a rating of its own."""
        if entry.outlet.lean is not None:
            return entry
        lean = self.lean_of(entry.names)
        if lean is None:
            return entry
        outlet = entry.outlet.model_copy(update={"lean": lean, "rating_source": ALLSIDES_SOURCE})
        return OutletEntry(outlet, entry.aliases, entry.domains, entry.notes)


@functools.cache
def allsides_ratings() -> Ratings:
    """The shipped ratings; none when a packager has removed the file (its licence is non-commercial)."""
    ratings = Ratings()
    if not ALLSIDES_FILE.exists():
        return ratings
    with ALLSIDES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "Author" or row["rating"] not in _LEANS:  # people are not outlets
                continue
            source = row["news_source"].strip()
            base, qualifier = _split(source)
            if qualifier == "opinion":
                continue
            rank = _NEWS if qualifier == "news" else _PLAIN
            rating = (rank, _LEANS[row["rating"]])
            for key in {name_key(source), name_key(base)}:
                ratings.by_key.setdefault(key, []).append(rating)
    return ratings
