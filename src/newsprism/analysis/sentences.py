"""Where each article's sentences and quotations are: the units every later question (facts, quotes, timeline) works
on."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.quotations import quotations
from .stage import StageView


@dataclass(frozen=True)
class Sentence:
    article: str
    index: int
    start: int
    end: int
    text: str


class SentencesStage:
    name = "sentences"
    requires = ("articles", "annotations")
    provides = ("sentences",)

    def run(self, ctx: StageView) -> None:
        sentences: dict[str, list[Sentence]] = {}
        for article in ctx.readable:
            doc = ctx.annotations.doc(article.id)
            found = []
            for sent in doc.sents:
                # The parser sometimes runs a sentence across a paragraph break (a caption into the lead):
                # a paragraph break always ends a sentence.
                offset = sent.start_char
                for piece in re.split(r"(\n\s*\n)", sent.text):
                    text = piece.strip()
                    if text and not piece.startswith("\n"):
                        start = offset + (len(piece) - len(piece.lstrip()))
                        found.append(Sentence(article.id, len(found), start, start + len(text), text))
                    offset += len(piece)
            sentences[article.id] = found
        ctx["sentences"] = sentences


class QuotationsStage:
    """Every article's quotations (``text.quotations``), found once for the quotes, framing, timeline and summary."""

    name = "quotations"
    requires = ("articles",)
    provides = ("quotations",)

    def run(self, ctx: StageView) -> None:
        ctx["quotations"] = {a.id: quotations(a.text) for a in ctx.articles}
