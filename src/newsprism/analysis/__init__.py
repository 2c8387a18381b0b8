"""One module per question a reader asks of a story; ``default_stages`` lists them in the order they run."""

from .entities import EntitiesStage, EntityIndex
from .sentences import SentencesStage
from .stage import Stage, StoryContext, check_order, run_stages
from .story import StoryStage


def default_stages() -> list[Stage]:
    """The stages ``analyze`` runs, registered here and only here."""
    return [StoryStage(), SentencesStage(), EntitiesStage()]


__all__ = ["EntitiesStage", "EntityIndex", "Stage", "StoryContext", "check_order", "default_stages", "run_stages"]
