"""The shape of an analysis stage, the runner, and the view that holds each stage to what it declared.

Like spaCy's components, a stage declares what it ``requires`` and what it ``provides``: report sections such as
``facts``, or intermediate products such as ``sentences``. A stage does no I/O and keeps no global state: it reads
the story context and writes its products back, so the same stage can run in one process or elsewhere later.

Each stage runs on a ``StageView`` of the context, which raises ``UndeclaredProduct`` when the stage reads a
product it did not require or writes one it does not provide (as spaCy's ``analyze_pipes`` checks what components
assign), and the runner fails when a stage did not write all it provides. Products whose names are report sections
(``REPORT_SECTIONS``) make up the report; the rest stay in the context for whoever wants them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..lang import Resources, default, readable, resources
from ..models import Article
from ..nlp import Annotations

GIVEN = frozenset({"articles", "annotations"})
REPORT_SECTIONS = ("story", "facts", "conflicts", "quotes", "actors", "framing", "timeline", "coverage", "summary",
                   "omissions", "headlines")


class UndeclaredProduct(RuntimeError):
    """A stage read a product it did not declare in ``requires``, or wrote one it does not ``provide``."""


@dataclass
class StoryContext:
    """What the stages of one story share: the articles, their annotations, and the products made so far."""

    articles: list[Article]
    annotations: Annotations
    products: dict[str, Any] = field(default_factory=dict)

    def view(self, stage: Stage) -> StageView:
        return StageView(self, stage)


class StageView:
    """One stage's window on the context: ``articles``, ``annotations``, and the products it declared."""

    def __init__(self, ctx: StoryContext, stage: Stage):
        self._ctx = ctx
        self._stage = stage
        self.articles = ctx.articles
        self.annotations = ctx.annotations
        self.written: set[str] = set()

    @property
    def readable(self) -> list[Article]:
        """The articles language rules may read (``lang.readable``: a language newsprism has resources for)."""
        return [a for a in self.articles if readable(a)]

    @staticmethod
    def language(article: Article) -> Resources:
        """The resources of ``article``'s language (only asked of readable articles)."""
        found = resources(article.language)
        if found is None:
            raise UndeclaredProduct(f"article {article.id} is in '{article.language}', which has no resources: "
                                    "iterate over the view's readable articles")
        return found

    @property
    def story_language(self) -> Resources:
        """The resources rules across articles use (word rarity, derivations): the most common language among the
        readable articles, else the default one."""
        counts = Counter(resources(a.language).code for a in self.readable)
        return resources(counts.most_common(1)[0][0] if counts else None) or default()

    def __getitem__(self, name: str) -> Any:
        if name not in self._stage.requires:
            raise UndeclaredProduct(f"stage '{self._stage.name}' reads '{name}', which it does not require — "
                                    f"add '{name}' to its requires")
        return self._ctx.products[name]

    def __setitem__(self, name: str, value: Any) -> None:
        if name not in self._stage.provides:
            raise UndeclaredProduct(f"stage '{self._stage.name}' writes '{name}', which it does not provide — "
                                    f"add '{name}' to its provides")
        self._ctx.products[name] = value
        self.written.add(name)


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def run(self, ctx: StageView) -> None: ...


def check_order(stages: Sequence[Stage]) -> None:
    """Fail early, naming the stage, when a stage needs something no earlier stage provides."""
    available = set(GIVEN)
    for stage in stages:
        missing = [r for r in stage.requires if r not in available]
        if missing:
            raise ValueError(f"stage '{stage.name}' requires {missing}, which no earlier stage provides")
        available.update(stage.provides)


def run_stages(stages: Sequence[Stage], ctx: StoryContext) -> StoryContext:
    """Run ``stages`` in order on ``ctx``, each on its own view; returns ``ctx``."""
    check_order(stages)
    for stage in stages:
        view = ctx.view(stage)
        stage.run(view)
        missing = [p for p in stage.provides if p not in view.written]
        if missing:
            raise UndeclaredProduct(f"stage '{stage.name}' did not write {missing}, which it provides")
    return ctx


def stages_for(wanted: Sequence[str], available: Sequence[Stage]) -> list[Stage]:
    """The stages of ``available`` (in their order) needed to make the products ``wanted``, with what they need."""
    provider = {p: s for s in available for p in s.provides}
    needed: set[int] = set()

    def need(product: str) -> None:
        if product in GIVEN:
            return
        if product not in provider:
            raise ValueError(f"no stage provides '{product}'")
        stage = provider[product]
        if id(stage) not in needed:
            needed.add(id(stage))
            for requirement in stage.requires:
                need(requirement)

    for product in wanted:
        need(product)
    return [s for s in available if id(s) in needed]


__all__ = ["GIVEN", "REPORT_SECTIONS", "Stage", "StageView", "StoryContext", "UndeclaredProduct", "check_order",
           "run_stages", "stages_for"]
