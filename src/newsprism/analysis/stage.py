"""The shape of an analysis stage, and the runner that checks each stage gets what it needs.

Like spaCy's components, a stage declares what it ``requires`` and what it ``provides`` (report sections such as
``facts``, or intermediate products such as ``sentences``). A stage does no I/O and keeps no global state: it reads
the story context and writes its products back, so the same stage can run in one process or elsewhere later.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..models import Article, Report
from ..nlp import Annotations

GIVEN = frozenset({"articles", "annotations"})


@dataclass
class StoryContext:
    articles: list[Article]
    annotations: Annotations
    report: Report
    products: dict[str, Any] = field(default_factory=dict)
    """Intermediate products by name, e.g. ``sentences``."""


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    provides: tuple[str, ...]

    def run(self, ctx: StoryContext) -> None: ...


def check_order(stages: Sequence[Stage]) -> None:
    """Fail early, naming the stage, when a stage needs something no earlier stage provides."""
    available = set(GIVEN)
    for stage in stages:
        missing = [r for r in stage.requires if r not in available]
        if missing:
            raise ValueError(f"stage '{stage.name}' requires {missing}, which no earlier stage provides")
        available.update(stage.provides)


def run_stages(stages: Sequence[Stage], ctx: StoryContext) -> None:
    check_order(stages)
    for stage in stages:
        stage.run(ctx)
