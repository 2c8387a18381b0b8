"""Which source does each piece of text count for? One rule, made once per story, used by every stage.

- an ``article`` counts for its outlet (or for itself when its outlet is unknown);
- an ``aggregator`` page counts for its own summary text, as one source (its outlet, or itself);
- a ``snippet`` counts for the outlet it names; an unnamed snippet counts for the aggregator page it was on;
- outlets are one source however their name is cased ("Press TV" / "PRESS TV").

Which articles are *read* is decided here too: a copy (``duplicate_of``) adds no support, an article with no text
left says nothing, and an article in a language newsprism has no resources for is not read by language rules
(``lang.readable``); such articles still count in coverage. Agreement is counted over the sources of the articles
and aggregator pages that are read; snippets of outlets with no article of their own add support but never enlarge
the count.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lang import language_problem, readable
from ..models import Article, InputProblem
from .stage import StageView


def source_key(article: Article, by_id: dict[str, Article]) -> str:
    """The source ``article``'s text counts for (see the module docstring)."""
    if article.kind == "snippet" and article.outlet is None:
        parent = by_id.get(article.parent or "")
        if parent is not None and parent.kind != "snippet":
            return source_key(parent, by_id)
    if article.outlet is not None:
        return "outlet:" + article.outlet.name.casefold()
    return "article:" + article.id


@dataclass
class Sources:
    """The story's sources. ``of`` maps every article id to its source key; ``read`` lists the articles whose text
    counts as support (in input order); ``counted`` holds the sources agreement is counted over."""

    of: dict[str, str]
    read: list[Article]
    counted: set[str]
    names: dict[str, str]
    """Source key → how a reader knows it: the outlet's name as written, or "article <id>"."""

    def is_read(self, article_id: str) -> bool:
        return any(a.id == article_id for a in self.read)

    def name(self, key: str) -> str:
        return self.names.get(key, key)


def story_sources(articles: list[Article]) -> Sources:
    by_id = {a.id: a for a in articles}
    of = {a.id: source_key(a, by_id) for a in articles}
    read = [a for a in articles if not a.duplicate_of and a.text.strip() and readable(a)]
    counted = {of[a.id] for a in read if a.kind != "snippet"} or {of[a.id] for a in read}
    names: dict[str, str] = {}
    for article in articles:
        key = of[article.id]
        if key.startswith("outlet:") and article.outlet is not None and article.outlet.name.casefold() == key[7:]:
            names.setdefault(key, article.outlet.name)
        else:
            names.setdefault(key, f"article {key.split(':', 1)[1]}")
    return Sources(of, read, counted, names)


def language_problems(articles: list[Article]) -> list[InputProblem]:
    """One line for each article the language stages do not read because of its language."""
    return [InputProblem(source=a.source, message=language_problem(a)) for a in articles
            if not a.duplicate_of and not readable(a)]


class SourcesStage:
    name = "sources"
    requires = ("articles",)
    provides = ("sources",)

    def run(self, ctx: StageView) -> None:
        ctx["sources"] = story_sources(ctx.articles)


__all__ = ["Sources", "SourcesStage", "language_problems", "source_key", "story_sources"]
