"""Who covered the story: how many reports and outlets, their lean, country and ownership, and what is missing.

What counts (see docs/framing-timeline-coverage.md):

- Reports are articles and snippets (a snippet is an outlet's own report, only excerpted on an aggregator page);
  aggregator pages are summaries of coverage, not coverage, and copies (``duplicate_of``) are not counted again.
- Lean, country and ownership count distinct outlets, not articles: ten pieces from one outlet are one voice.
  A source whose outlet is not known (the sources stage's rule: an unnamed article, or the aggregator page its
  unnamed snippets were on) counts once under ``unknown`` lean (it may be any outlet).
- Blindspot: with at least ``MIN_RATED`` rated outlets, when ``SIDE_SHARE`` or more of them lean one way (left and
  lean-left together, likewise right); with at least ``MIN_COUNTRY_OUTLETS`` outlets of known country, when one country has
  ``COUNTRY_SHARE`` or more; and a story covered by a single outlet says so.
- Figures an aggregator page states about its own coverage are carried as that page's claims, never as ours.
"""

from __future__ import annotations

import re
from collections import Counter

from ..models import Article, ConflictClaim, Coverage, LeanCounts, Outlet
from .sources import Sources, story_sources
from .stage import StageView

SIDE_SHARE = 0.75
MIN_RATED = 3
COUNTRY_SHARE = 0.8
MIN_COUNTRY_OUTLETS = 3
STATE_OWNERSHIP = ("state-owned", "state-affiliated")
_LEFT = ("left", "lean_left")
_RIGHT = ("right", "lean_right")
_FIGURE = re.compile(r"\d[\d,.]*\s*%?")


class CoverageStage:
    name = "coverage"
    requires = ("articles", "sources")
    provides = ("coverage",)

    def run(self, ctx: StageView) -> None:
        ctx["coverage"] = coverage_of(ctx.articles, ctx["sources"])


def _counted(articles: list[Article]) -> list[Article]:
    return [a for a in articles if a.kind != "aggregator" and not a.duplicate_of]


def coverage_of(articles: list[Article], sources: Sources | None = None) -> Coverage:
    """The coverage section for a story's articles (pure: no registry look-ups, the outlets are on the articles)."""
    sources = sources or story_sources(articles)
    reports = _counted(articles)
    outlets: dict[str, Outlet] = {}
    unnamed: set[str] = set()
    for article in reports:
        if article.outlet is None:
            unnamed.add(sources.of[article.id])
        else:
            outlets.setdefault(sources.of[article.id], article.outlet)
    lean = Counter(o.lean or "unknown" for o in outlets.values())
    lean["unknown"] += len(unnamed)
    countries = Counter(o.country or "unknown" for o in outlets.values())
    ownership = Counter(o.ownership or "unknown" for o in outlets.values())
    dates = sorted(a.published for a in articles if a.published and not a.duplicate_of)
    return Coverage(
        articles=len(reports),
        outlets=len(outlets),
        lean=LeanCounts(**lean),
        countries=dict(countries.most_common()),
        ownership=dict(ownership.most_common()),
        blindspot=blindspot(list(outlets.values())),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
        state_media=sorted({o.name for o in outlets.values() if o.ownership in STATE_OWNERSHIP}),
        rating_sources=sorted({o.rating_source for o in outlets.values() if o.lean and o.rating_source}),
        aggregator_claims=_aggregator_claims(articles),
    )


def lean_side(outlets: list[Outlet]) -> tuple[str, int, int, int] | None:
    """(side, outlets leaning that way, the other way, rated) when the rated outlets lean one way (a blindspot).

    >>> lean_side([Outlet(name=n, lean=l) for n, l in (("A", "left"), ("B", "lean_left"), ("C", "left"))])
    ('left', 3, 0, 3)
    """
    rated = [o for o in outlets if o.lean]
    if len(rated) < MIN_RATED:
        return None
    left = sum(o.lean in _LEFT for o in rated)
    right = sum(o.lean in _RIGHT for o in rated)
    for side, count, other in (("left", left, right), ("right", right, left)):
        if count / len(rated) >= SIDE_SHARE:
            return side, count, other, len(rated)
    return None


def blindspot(outlets: list[Outlet]) -> str | None:
    """What is missing from a story's coverage by these (distinct) outlets, in one or two sentences, or None."""
    if len(outlets) == 1:
        return f"Only one outlet ({outlets[0].name}) covers this story: there is nothing to compare it with."
    lines = []
    side = lean_side(outlets)
    if side:
        lines.append(f"{side[1]} of {side[3]} rated outlets lean {side[0]}; only {side[2]} the other way.")
    located = [o.country for o in outlets if o.country]
    if len(located) >= MIN_COUNTRY_OUTLETS:
        country, count = Counter(located).most_common(1)[0]
        if count / len(located) >= COUNTRY_SHARE:
            lines.append(f"{count} of {len(located)} outlets of known country are from {country}.")
    return " ".join(lines) or None


def _aggregator_claims(articles: list[Article]) -> list[ConflictClaim]:
    claims = []
    for article in articles:
        if article.duplicate_of:
            continue
        for claim in article.aggregator_claims:
            figure = _FIGURE.search(claim)
            start = article.text.find(claim)
            claims.append(ConflictClaim(
                article=article.id, text=claim, value=figure.group().strip() if figure else None,
                start=start if start >= 0 else None, end=start + len(claim) if start >= 0 else None,
            ))
    return claims


__all__ = ["CoverageStage", "coverage_of"]
