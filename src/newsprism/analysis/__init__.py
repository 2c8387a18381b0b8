"""One module per question a reader asks of a story; ``default_stages`` lists them in the order they run."""

from .actors import ActorsStage
from .conflicts import ConflictsStage
from .coverage import CoverageStage
from .entities import EntitiesStage, EntityIndex
from .facts import FactsStage
from .framing import FramingStage
from .headlines import HeadlinesStage
from .quotes import QuotesStage
from .sentences import SentencesStage
from .stage import Stage, StoryContext, check_order, run_stages
from .story import StoryStage
from .summary import SummaryStage
from .timeline import TimelineStage


def default_stages() -> list[Stage]:
    """The stages ``analyze`` runs, registered here and only here."""
    return [StoryStage(), SentencesStage(), EntitiesStage(), QuotesStage(), ActorsStage(),
            FactsStage(), ConflictsStage(),
            CoverageStage(), TimelineStage(), FramingStage(), HeadlinesStage(), SummaryStage()]


__all__ = ["EntitiesStage", "EntityIndex", "Stage", "StoryContext", "check_order", "default_stages", "run_stages"]
