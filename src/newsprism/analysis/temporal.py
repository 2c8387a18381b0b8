"""When each text's date phrases point: every date expression of every article and headline, found once per story.

The grammar is the article's language's (``lang/<code>/dates.py``, through ``resources``); what an expression
resolves against is the article's reference date (``story_reference_dates``). Facts, conflicts and the timeline
read this stage's product instead of finding the expressions again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..lang import resources
from ..models import Article
from ..text.dates import TimeExpr, as_date, parse_iso
from .stage import StageView


@dataclass
class Temporal:
    """The story's date expressions: ``text`` and ``titles`` map an article id to its expressions (offsets into its
    text, or its title), ``references`` to the date its relative expressions count from."""

    references: dict[str, date | None]
    text: dict[str, list[TimeExpr]]
    titles: dict[str, list[TimeExpr]]

    def within(self, article: str, start: int, end: int) -> list[TimeExpr]:
        """The expressions inside ``start:end`` of an article's text, with offsets relative to ``start``."""
        return [t.shifted(-start) for t in self.text.get(article, ()) if start <= t.start and t.end <= end]


def _find(article: Article, text: str, reference: date | None) -> list[TimeExpr]:
    found = resources(article.language)
    return found.find_temporal(text, reference) if found is not None else []


def story_reference_dates(articles: Sequence[Article]) -> dict[str, date | None]:
    """The date each article's relative expressions count from.

    An article's own publication date; for a snippet without one, its aggregator page's; otherwise the date the
    story establishes: the most common publication date among its articles (ties → the latest), or, when no
    article has one, the most common full date (with a year) the texts write (ties → the latest).
    """
    own = {a.id: parse_iso(a.published) for a in articles}
    published = Counter(d for d in own.values() if d)
    fallback: date | None = None
    if published:
        fallback = max(published, key=lambda d: (published[d], d))
    else:
        written: Counter[date] = Counter()
        for article in articles:
            if article.duplicate_of:
                continue
            for expr in _find(article, article.text, None):
                if expr.value and expr.precision == "day" and not expr.relative:
                    written[as_date(expr.value)] += 1
        if written:
            fallback = max(written, key=lambda d: (written[d], d))
    result: dict[str, date | None] = {}
    for article in articles:
        result[article.id] = own[article.id] or (own.get(article.parent) if article.parent else None) or fallback
    return result


class TemporalStage:
    name = "temporal"
    requires = ("articles",)
    provides = ("temporal",)

    def run(self, ctx: StageView) -> None:
        references = story_reference_dates(ctx.articles)
        text = {a.id: _find(a, a.text, references[a.id]) for a in ctx.articles}
        titles = {a.id: _find(a, a.title, references[a.id]) for a in ctx.articles if a.title and a.title.strip()}
        ctx["temporal"] = Temporal(references, text, titles)


__all__ = ["Temporal", "TemporalStage", "story_reference_dates"]
