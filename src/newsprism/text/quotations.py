"""Where the quotations are: the one finder of text between quotation marks, used by quotes, framing, timeline and
the summary.

Double marks (straight or curly, and « » „) open quotations of speech or scare quotes; single curly marks
(‘…’) are found too, for short scare quotes, but never span more than ``MAX_SINGLE_CHARS`` — the same mark is the
apostrophe. Quotations stay within one paragraph, except that one left open at a paragraph's end runs to that
end when the next paragraph opens with a quotation mark (the convention for quotes over several paragraphs).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

OPENERS, CLOSERS, AMBIGUOUS = "“„«", "”»", '"'
MAX_QUOTE_CHARS = 800
"""A span between marks longer than this is taken for a mismatched pair of marks and dropped rather than let it
swallow the article. Quotes in news run to a few sentences: in PolNeAR's train split 19 of 7,167 quoted passages
within one paragraph are longer (mostly transcripts), a price paid for never swallowing an article."""
MAX_SINGLE_CHARS = 80
_SINGLE = re.compile(r"(?<![\w’'])‘([^’\n]{1,%d})’(?!\w)" % MAX_SINGLE_CHARS)


@dataclass(frozen=True)
class Quotation:
    """One quotation: ``start:end`` are the quoted words (without the marks or trailing commas); ``single`` when
    its marks are single quotation marks."""

    start: int
    end: int
    single: bool = False

    def holds(self, start: int, end: int) -> bool:
        """Whether the span ``start:end`` lies inside the quoted words."""
        return self.start <= start and end <= self.end


def _is_opener(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def _double(text: str) -> list[tuple[int, int]]:
    spans = []
    paragraphs = [(m.start(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    for k, (offset, para) in enumerate(paragraphs):
        open_at = None
        for i, ch in enumerate(para):
            # A second opening mark before a closing one restarts the quote (an unbalanced or nested mark: the
            # later one is nearer its closer); a stray closing mark is ignored.
            if ch in OPENERS or (ch in AMBIGUOUS and (open_at is None or _is_opener(para, i))):
                if ch in AMBIGUOUS and open_at is None and not _is_opener(para, i):
                    continue  # a closing straight mark with nothing open: stray
                open_at = i + 1
            elif ch in CLOSERS or ch in AMBIGUOUS:
                if open_at is not None:
                    spans.append((offset + open_at, offset + i))
                    open_at = None
        if open_at is not None and k + 1 < len(paragraphs):
            following = paragraphs[k + 1][1].lstrip()
            if following[:1] and following[0] in OPENERS + AMBIGUOUS:
                spans.append((offset + open_at, offset + len(para.rstrip())))
    return spans


def quotations(text: str) -> list[Quotation]:
    """Every quotation in ``text``, in text order.

    >>> t = 'He said "no". Then “yes,” she said, and called it a ‘deal’ — and "maybe'
    >>> [(t[q.start:q.end], q.single) for q in quotations(t)]
    [('no', False), ('yes', False), ('deal', True)]
    """
    found = []
    for start, end in _double(text):
        while end > start and text[end - 1] in " ,;:\t":
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if 0 < end - start <= MAX_QUOTE_CHARS and re.search(r"[^\W\d_]", text[start:end]):
            found.append(Quotation(start, end))
    for m in _SINGLE.finditer(text):
        overlaps = any(q.start < m.end() and m.start() < q.end for q in found)
        if re.search(r"[^\W\d_]", m.group(1)) and not overlaps:
            found.append(Quotation(m.start(1), m.end(1), single=True))
    return sorted(found, key=lambda q: q.start)


def quoted_share(found: list[Quotation], start: int, end: int) -> float:
    """The share of the span ``start:end`` that lies inside quotations (``found`` in text order, as
    ``quotations`` gives them: they never overlap, so their ends are in order too)."""
    if end <= start:
        return 0.0
    inside = 0
    for k in range(bisect_right(found, start, key=lambda q: q.end), len(found)):
        q = found[k]
        if q.start >= end:
            break
        inside += max(0, min(end, q.end) - max(start, q.start))
    return inside / (end - start)


__all__ = ["CLOSERS", "MAX_QUOTE_CHARS", "OPENERS", "Quotation", "quotations", "quoted_share"]
