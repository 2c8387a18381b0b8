"""What the story is called and when it was reported: its title and first and last publication dates."""

from __future__ import annotations

from collections import Counter

from ..models import Story
from .stage import StoryContext


class StoryStage:
    name = "story"
    requires = ("articles",)
    provides = ("story",)

    def run(self, ctx: StoryContext) -> None:
        dates = sorted(a.published for a in ctx.articles if a.published)
        ctx.report.story = Story(
            title=_title(ctx),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
        )


def _title(ctx: StoryContext) -> str | None:
    # Until the summary stage writes a neutral headline: the headline of an original article (not a snippet or
    # a copy) whose words most other headlines share, so the title is the most typical one, not the first.
    titles = [a.title for a in ctx.articles if a.title and a.kind != "snippet" and not a.duplicate_of]
    if not titles:
        return None
    vocab = [set(w.lower().strip(".,:;’'\"") for w in t.split()) for t in titles]
    counts = Counter(w for words in vocab for w in words)
    def typicality(i: int) -> float:
        return sum(counts[w] - 1 for w in vocab[i]) / max(1, len(vocab[i]))
    return titles[max(range(len(titles)), key=typicality)]
