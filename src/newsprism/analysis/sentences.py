"""Where each article's sentences are: the units every later question (facts, quotes, timeline) works on."""

from __future__ import annotations

from dataclasses import dataclass

from .stage import StoryContext


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

    def run(self, ctx: StoryContext) -> None:
        sentences: dict[str, list[Sentence]] = {}
        for article in ctx.articles:
            doc = ctx.annotations.doc(article.id)
            found = []
            for sent in doc.sents:
                text = sent.text.strip()
                if not text:
                    continue
                start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                found.append(Sentence(article.id, len(found), start, start + len(text), text))
            sentences[article.id] = found
        ctx.products["sentences"] = sentences
