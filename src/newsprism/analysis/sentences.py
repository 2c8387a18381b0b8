"""Where each article's sentences and quotations are: the units every later question (facts, quotes, timeline) works
on, and whether a sentence is a statement that stands on its own.

The parser's sentences are repaired where it cuts too early: after an abbreviation that never ends a sentence
("Sen.", "Dr."), after one that may ("p.m.", "U.S.") when the next words go on in lower case or with a number, before
a word in lower case, and inside an open quotation or parenthesis. A paragraph break always ends a sentence. A
sentence cut off by its source — ending in "..." or "…", or a paragraph that stops without a full stop — is marked
``truncated``: it may support a fact, but it is never a fact's wording or a summary sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ..lang import Resources
from ..text.quotations import quotations
from .stage import StageView

MAX_MERGED_CHARS = 1200
"""A repaired sentence never grows past this: a run of bad cuts is more likely a list than one sentence."""
_TERMINAL = re.compile(r"[.!?][\"'”’»)\]]*$")
_CUT = re.compile(r"(?:\.\.\.|…)[\"'”’»)\]]*$")
_OPENING = "\"“‘'«(["


@dataclass(frozen=True)
class Sentence:
    article: str
    index: int
    start: int
    end: int
    text: str
    truncated: bool = False
    """Cut off by the source: it ends in an ellipsis, or its paragraph stops without ending it."""
    paragraph: int = 0


def is_truncated(text: str, last_in_paragraph: bool = True) -> bool:
    """Whether a sentence is cut off: an ellipsis at its end, or (when it closes its paragraph) no full stop.

    >>> [is_truncated(s) for s in ("The senator said the bill would...", "The bill passed.", "Bill passes")]
    [True, False, True]
    """
    text = text.rstrip()
    if _CUT.search(text):
        return True
    return last_in_paragraph and not _TERMINAL.search(text)


def leans_back(text: str, lang: Resources) -> bool:
    """Whether a sentence opens with a connective or a pronoun that points back ("But …", "He said …", "These …"),
    so that it does not stand on its own. An opening quotation is the speaker's words: its pronouns are theirs."""
    head = text.lstrip()
    if not head or head[0] in _OPENING:
        return False
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", head[:60])
    if not words:
        return False
    first = words[0].casefold()
    if first in lang.connectives:
        # "Then-President Trump": a hyphen makes the word part of a name, not a connective.
        return not head[len(words[0]):len(words[0]) + 1] == "-"
    if first in lang.anaphors:
        return not (first in ("this", "that", "these", "those") and len(words) > 1
                    and words[1].casefold().rstrip("s") in lang.time_nouns)
    return False


def statement_start(text: str, lang: Resources) -> int:
    """Where the statement of a sentence starts once what only leans on its context is left out: an outlet's section
    label by its shape ("Why it matters: The …") and a connective opening it ("However, Kyiv rejected …") when the
    rest opens with a capital and so reads on its own. 0 when nothing is left out.

    >>> from newsprism.lang import resources
    >>> text = "However, Kyiv has rejected the plan."
    >>> text[statement_start(text, resources("en")):]
    'Kyiv has rejected the plan.'
    """
    start = 0
    label = lang.labels.match(text)
    if label:
        start = label.end()
    head = text[start:]
    words = re.match(r"([^\W\d_]+)(,?\s+)", head)
    if words and words.group(1).casefold() in lang.connectives:
        rest = head[words.end():]
        first = rest.lstrip(_OPENING)[:1]
        if first.isupper() and not leans_back(rest, lang):
            start += words.end()
    return start


def is_whole(text: str, lang: Resources) -> bool:
    """A statement that stands on its own: it ends like a sentence, is not cut off, starts with a capital and not
    with a connective or a pronoun pointing back, and its quotation marks are balanced."""
    text = text.strip()
    if not text or is_truncated(text):
        return False
    first = next((ch for ch in text if ch.isalnum()), "")
    if not first or first.islower() or leans_back(text, lang):
        return False
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


def open_quotation(text: str) -> bool:
    """Whether ``text`` opens a quotation it does not close (a quotation going on into the next sentence)."""
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _open_marks(text: str) -> int:
    """Quotation marks and brackets opened and not closed in ``text``."""
    return (max(0, text.count("“") - text.count("”")) + text.count('"') % 2
            + max(0, text.count("(") - text.count(")")))


def _goes_on(previous: str, following: str, lang: Resources) -> bool:
    """Whether the parser cut a sentence where it goes on (the repair rules of the module docstring)."""
    head = following.lstrip()
    if not head or len(previous) + len(following) > MAX_MERGED_CHARS:
        return False
    first = head.lstrip(_OPENING)[:1]
    last_word = previous.rstrip().rsplit(None, 1)[-1].lower() if previous.strip() else ""
    last_word = last_word.lstrip(_OPENING)
    if last_word in lang.abbreviations:
        return True
    if first.islower() or head[0] in ")]}”’,;:":
        return True
    if last_word in lang.soft_abbreviations and first.isdigit():
        return True
    return _open_marks(previous) > 0 and _open_marks(previous + " " + following) < _open_marks(previous)


def article_sentences(article_id: str, doc, text: str, lang: Resources) -> list[Sentence]:
    """The repaired sentences of one parsed article (see the module docstring)."""
    pieces: list[tuple[int, int, int]] = []  # (start, end, paragraph)
    paragraph_of = {m.start(): n for n, m in enumerate(re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]*)*", text))}
    starts = sorted(paragraph_of)
    for sent in doc.sents:
        # The parser sometimes runs a sentence across a paragraph break (a caption into the lead): a paragraph break
        # always ends a sentence.
        offset = sent.start_char
        for piece in re.split(r"(\n\s*\n)", sent.text):
            stripped = piece.strip()
            if stripped and not piece.startswith("\n"):
                start = offset + (len(piece) - len(piece.lstrip()))
                paragraph = paragraph_of[starts[max(0, bisect_right(starts, start) - 1)]] if starts else 0
                pieces.append((start, start + len(stripped), paragraph))
            offset += len(piece)
    merged: list[list[int]] = []
    for start, end, paragraph in pieces:
        if merged and merged[-1][2] == paragraph and _goes_on(text[merged[-1][0]:merged[-1][1]], text[start:end], lang):
            merged[-1][1] = end
        else:
            merged.append([start, end, paragraph])
    sentences = []
    for n, (start, end, paragraph) in enumerate(merged):
        last = n + 1 == len(merged) or merged[n + 1][2] != paragraph
        sentences.append(Sentence(article_id, n, start, end, text[start:end], is_truncated(text[start:end], last),
                                  paragraph))
    return sentences


class SentencesStage:
    name = "sentences"
    requires = ("articles", "annotations")
    provides = ("sentences",)

    def run(self, ctx: StageView) -> None:
        ctx["sentences"] = {a.id: article_sentences(a.id, ctx.annotations.doc(a.id), a.text, ctx.language(a))
                            for a in ctx.readable}


class QuotationsStage:
    """Every article's quotations (``text.quotations``), found once for the quotes, framing, timeline and summary."""

    name = "quotations"
    requires = ("articles",)
    provides = ("quotations",)

    def run(self, ctx: StageView) -> None:
        ctx["quotations"] = {a.id: quotations(a.text) for a in ctx.articles}


__all__ = ["QuotationsStage", "Sentence", "SentencesStage", "article_sentences", "is_truncated", "is_whole",
           "leans_back", "open_quotation", "statement_start"]
