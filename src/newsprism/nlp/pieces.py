"""Parsing a long text in bounded pieces, so no input can make the parse grow faster than the text.

spaCy's cost is linear in a text's tokens only while its sentences stay short: one long line without sentence
punctuation (a transcript, a scraped page without markup, a data dump) becomes one "sentence" of every word, and
parsing 300,000 such words took 105 s and 5 GB. A text is therefore parsed in pieces (``pieces``): it is cut after
paragraph breaks and sentence ends into pieces of at most ``PIECE_CHARS`` characters, and a stretch of more than
``MAX_RUN_WORDS`` words without any sentence end is cut every ``MAX_RUN_WORDS`` words (a *cut*: a sentence boundary
that is not the text's, which ``Plan.stretches`` records and the report names). The pieces are parsed as separate
documents and joined back into one ``Doc`` whose text is the original exactly, so every offset holds. A text shorter
than ``PIECE_CHARS`` without long stretches is parsed whole, as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

PIECE_CHARS = 10_000
"""The largest piece parsed as one document (about 1,700 words of prose); a longer article is parsed in pieces cut
after paragraph breaks, which changes almost nothing (on 30,000 words of news, 99.99% of the dependency arcs and
all but one of 1,255 sentences are the whole parse's)."""
MAX_RUN_WORDS = 200
"""The longest stretch of words without a sentence end parsed as it is. Real sentences stay far below it (the
longest sentence in the seeds has 72 words)."""
PIPE_BATCH = 8
"""Texts and pieces parsed per batch, so the parser's working memory is bounded by ``PIPE_BATCH × PIECE_CHARS``
characters (30,000 words: 297 MB peak in pieces of 10,000 characters, 4 per batch; 681 MB with 20,000 and 32)."""

_SOFT = re.compile(r"\n+|[.!?…]+[\"'”’)\]]*\s+")
_WORD = re.compile(r"\S+")


@dataclass
class Plan:
    """Where a text is cut for parsing: ``bounds`` (0, …, len(text)), and the ``stretches`` without a sentence end
    that were cut inside, as (start, end, words, cuts)."""

    bounds: list[int]
    stretches: list[tuple[int, int, int, int]] = field(default_factory=list)


def _run_cuts(text: str, start: int, end: int) -> tuple[list[int], int]:
    """Cut points every ``MAX_RUN_WORDS`` words of ``text[start:end]`` (and every ``PIECE_CHARS`` characters inside
    a 'word' longer than that), and the stretch's length in words."""
    cuts, words = [], 0
    for m in _WORD.finditer(text, start, end):
        words += 1
        cuts.extend(range(m.start() + PIECE_CHARS, m.end(), PIECE_CHARS))
        if words % MAX_RUN_WORDS == 0:
            after = m.end()
            while after < end and text[after].isspace():
                after += 1
            if after < end:
                cuts.append(after)
    return cuts, words


def plan(text: str) -> Plan:
    """Where to cut ``text`` for parsing (see the module docstring).

    >>> plan("A short text. It stays whole.").bounds
    [0, 29]
    >>> p = plan("word " * 450)
    >>> p.bounds, p.stretches
    ([0, 1000, 2000, 2250], [(0, 2250, 450, 2)])
    """
    n = len(text)
    soft = [m.end() for m in _SOFT.finditer(text)]
    hard: set[int] = set()
    stretches = []
    previous = 0
    for point in [*soft, n]:
        if point - previous > MAX_RUN_WORDS:  # cheap filter: fewer characters than words cannot be too many words
            cuts, words = _run_cuts(text, previous, point)
            if cuts:
                hard.update(cuts)
                stretches.append((previous, point, words, len(cuts)))
        previous = point
    if n <= PIECE_CHARS and not hard:
        return Plan([0, n])
    events = sorted({*soft, *hard})
    bounds, last_soft = [0], 0
    for point in events:
        if point >= n:
            break
        if point in hard:
            bounds.append(point)
        elif point - bounds[-1] > PIECE_CHARS and last_soft > bounds[-1]:
            bounds.append(last_soft)
        last_soft = point
    if n - bounds[-1] > PIECE_CHARS and bounds[-1] < last_soft < n:
        bounds.append(last_soft)
    bounds.append(n)
    return Plan(bounds, stretches)


def parse(nlp, texts: list[str]) -> list[tuple[object, Plan]]:
    """Each text parsed (in pieces where ``plan`` cuts it), with its plan; the docs' texts equal the inputs."""
    from spacy.tokens import Doc

    plans = [plan(t) for t in texts]
    whole = [i for i, p in enumerate(plans) if len(p.bounds) == 2]
    docs: list[object] = [None] * len(texts)
    for i, doc in zip(whole, nlp.pipe((texts[i] for i in whole), batch_size=PIPE_BATCH)):
        docs[i] = doc
    for i, p in enumerate(plans):
        if docs[i] is not None:
            continue
        text = texts[i]
        parts = [text[a:b] for a, b in zip(p.bounds, p.bounds[1:])]
        docs[i] = Doc.from_docs(list(nlp.pipe(parts, batch_size=PIPE_BATCH)), ensure_whitespace=False)
    return list(zip(docs, plans))


__all__ = ["MAX_RUN_WORDS", "PIECE_CHARS", "Plan", "parse", "plan"]
