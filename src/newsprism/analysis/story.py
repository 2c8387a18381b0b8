"""What the story is called and when it was reported: its title and first and last publication dates.

The title is one of the original articles' headlines (never a snippet's or a copy's): the one closest to the
centroid of their embeddings, so the most typical wording rather than the first or the most loaded.
"""

from __future__ import annotations

import numpy as np

from ..models import Story
from .stage import StageView


class StoryStage:
    name = "story"
    requires = ("articles", "annotations")
    provides = ("story",)

    def run(self, ctx: StageView) -> None:
        dates = sorted(a.published for a in ctx.articles if a.published)
        ctx["story"] = Story(
            title=neutral_headline(ctx),
            first_published=dates[0] if dates else None,
            last_published=dates[-1] if dates else None,
        )


def neutral_headline(ctx: StageView) -> str | None:
    """The original articles' headline closest to what the story's headlines share (an existing title)."""
    titles = list(dict.fromkeys(a.title for a in ctx.articles
                                if a.title and a.kind != "snippet" and not a.duplicate_of))
    if len(titles) < 2:
        return titles[0] if titles else None
    vectors = ctx.annotations.embed(titles)
    centroid = vectors.mean(axis=0)
    return titles[int(np.argmax(vectors @ centroid))]


__all__ = ["StoryStage", "neutral_headline"]
