"""Is this page a news aggregator's story page, and if so, which parts are its own and which are other outlets'?

An aggregator page (a story page listing many outlets' coverage) has a recognisable shape: coverage counters
("186 Articles"), statements about the share of sources by lean ("38% of the sources lean Left"), section labels
for coverage and bias, and a run of headline + snippet pairs, snippets often cut off mid-sentence. We score those
signals; a page that shows enough of them is split into the aggregator's own summary, the snippets it quotes
(each to be attributed to the outlet it names), and its coverage figures, which are its claims, not ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.words import words
from .clean import Line, is_sentence_like

_SOURCE_SHARE = re.compile(r"\b\d{1,3}(?:\.\d+)?\s*%\s+of\s+(?:the\s+)?(?:sources|outlets|coverage|articles)\b",
                           re.IGNORECASE)
_COVERAGE_LABEL = re.compile(
    r"^(?:coverage(?: details)?|bias (?:distribution|comparison)|factuality|ownership|blindspot|"
    r"sources?|(?:total )?news sources|media bias|left|center|right|lean (?:left|right))\b",
    re.IGNORECASE,
)
_TRUNCATED = re.compile(r"(?:\.\.\.|…)\s*$")

AGGREGATOR_THRESHOLD = 3


@dataclass
class Snippet:
    title: str | None
    text: str


@dataclass
class AggregatorPage:
    own: list[Line]
    """The aggregator's own headline, summary and bullet points."""
    snippets: list[Snippet] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    """Coverage figures the page states about itself."""
    removed: list[str] = field(default_factory=list)


def _is_counter(line: Line) -> bool:
    return line.label == "furniture" and line.reason == "counter"


def _is_cut_off(line: Line) -> bool:
    # A snippet trimmed by the aggregator: ends in an ellipsis, or a long run of words that stops mid-sentence.
    text = line.text.rstrip()
    return bool(_TRUNCATED.search(text)) or (len(words(text)) >= 30 and text[-1:].isalpha())


def aggregator_score(lines: list[Line]) -> int:
    """How strongly the page looks like an aggregator's story page (0 = not at all)."""
    score = 0
    if any(_is_counter(x) for x in lines):
        score += 2
    if any(_SOURCE_SHARE.search(x.text) for x in lines):
        score += 2
    if sum(1 for x in lines if x.label != "blank" and _COVERAGE_LABEL.match(x.text.strip().lstrip("-• "))
           and len(words(x.text)) <= 4) >= 2:
        score += 1
    if sum(1 for x in lines if x.label == "prose" and _is_cut_off(x)) >= 2:
        score += 1
    pairs = sum(1 for a, b in zip(lines, lines[1:]) if a.label == "title" and b.label == "prose")
    if pairs >= 3:
        score += 1
    return score


def split_aggregator(lines: list[Line]) -> AggregatorPage | None:
    """Split an aggregator page, or return None when the page does not look like one."""
    if aggregator_score(lines) < AGGREGATOR_THRESHOLD:
        return None
    content = [x for x in lines if x.label != "blank"]
    # The page's own part runs up to its first coverage counter; without one, up to the first cut-off snippet.
    start = next((i for i, x in enumerate(content) if _is_counter(x)), None)
    if start is None:
        start = next((i for i, x in enumerate(content) if x.label == "prose" and _is_cut_off(x)), len(content))
        while start > 0 and content[start - 1].label == "title":
            start -= 1
    # The coverage section starts at the first coverage label or source-share line after the snippets.
    end = len(content)
    for i in range(start, len(content)):
        text = content[i].text.strip().lstrip("-• ")
        if _SOURCE_SHARE.search(text) or (_COVERAGE_LABEL.match(text) and len(words(text)) <= 4
                                          and not is_sentence_like(text)):
            end = i
            break
    page = AggregatorPage(own=content[:start])
    pending_title: str | None = None
    for line in content[start:end]:
        text = line.text.strip()
        if line.label == "furniture":
            if _is_counter(line):
                page.claims.append(text)
            page.removed.append(text)
        elif line.label == "title" and not is_sentence_like(text):
            if pending_title is not None:
                page.snippets.append(Snippet(None, pending_title))
            pending_title = text
        else:
            page.snippets.append(Snippet(pending_title, text))
            pending_title = None
    if pending_title is not None:
        page.snippets.append(Snippet(None, pending_title))
    for line in content[end:]:
        text = line.text.strip()
        if re.search(r"\d", text) and not (line.label == "furniture" and line.reason == "upsell"):
            page.claims.append(text.lstrip("-• ").strip())
        page.removed.append(text)
    # Claims stated twice (a counter shown in two places) are one claim.
    page.claims = list(dict.fromkeys(page.claims))
    return page
