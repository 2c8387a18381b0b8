"""One module per question a reader asks of a story; ``default_stages`` lists them in the order they run."""

from .actors import ActorsStage
from .conflicts import ConflictsStage
from .coverage import CoverageStage
from .entities import EntitiesStage, EntityIndex
from .facts import FactsStage
from .framing import FramingStage
from .headlines import HeadlinesStage
from .quotes import QuotesStage
from .referents import ReferentsStage
from .sentences import QuotationsStage, SentencesStage
from .sources import SourcesStage
from .stage import (REPORT_SECTIONS, Stage, StageView, StoryContext, UndeclaredProduct, check_order, run_stages,
                    stages_for)
from .story import StoryStage
from .summary import SummaryStage
from .temporal import TemporalStage
from .timeline import TimelineStage


def default_stages() -> list[Stage]:
    """The stages ``analyze`` runs, registered here and only here."""
    return [StoryStage(), SourcesStage(), SentencesStage(), QuotationsStage(), TemporalStage(), EntitiesStage(),
            ReferentsStage(), QuotesStage(), ActorsStage(), FactsStage(), ConflictsStage(), CoverageStage(),
            TimelineStage(), FramingStage(), HeadlinesStage(), SummaryStage()]


def run_story(articles, wanted=None, *, stages=None, annotations=None) -> StoryContext:
    """Run the stages that make the products ``wanted`` (default: every stage) on one story's articles.

    >>> from newsprism.models import Article
    >>> ctx = run_story([Article(id="a", source="-", text="The bridge reopened on Monday.")], ["sentences"])
    >>> [s.text for s in ctx.products["sentences"]["a"]]
    ['The bridge reopened on Monday.']
    """
    from ..nlp import Annotations

    available = stages if stages is not None else default_stages()
    chosen = stages_for(wanted, available) if wanted is not None else list(available)
    ctx = StoryContext(list(articles), annotations or Annotations(articles))
    return run_stages(chosen, ctx)


__all__ = ["REPORT_SECTIONS", "EntitiesStage", "EntityIndex", "Stage", "StageView", "StoryContext",
           "UndeclaredProduct", "check_order", "default_stages", "run_stages", "run_story", "stages_for"]
