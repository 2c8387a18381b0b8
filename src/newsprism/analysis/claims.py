"""What each article states: its sentences, split further where one sentence makes several independent statements.

A claim is the unit facts are aligned on. "He rejected the plan and said Kyiv would not cede land" carries two
statements an outlet may report separately, so it becomes two claims. Every claim keeps its exact character span
in the article's clean text (``article.text[start:end] == text``), so evidence can always be found again.
Sentences that state nothing (questions, imperatives, page furniture such as "Share this article") yield no claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lang import Resources
from ..text.words import lower_words
from .sentences import Sentence

_MIN_WORDS = 4  # a piece shorter than this is a fragment, not a statement


@dataclass(frozen=True)
class Claim:
    id: str
    article: str
    sentence: int
    start: int
    end: int
    text: str
    in_title: bool = False  # start/end refer to the article's title, not its text


def _is_furniture(text: str, lang: Resources) -> bool:
    """Page furniture: a line with a word only furniture uses ("subscribe", "cookies"), or a short line of words
    furniture often uses ("Share this article", "Read more") — never a long sentence that happens to say "sources"."""
    words = lower_words(text)
    strong, weak = lang.lexicon["furniture"], lang.lexicon["furniture_weak"]
    if len(words) <= 25 and any(w in strong for w in words):
        return True
    found = sum(w in weak for w in words)
    return len(words) <= 8 and (found >= 2 or (found == 1 and len(words) <= 4))


def _states_something(span, headline: bool = False) -> bool:
    """A statement has a finite verb with a subject and is not a question or a bare list heading. A headline of
    four words or more states something without one: headline-ese drops articles and auxiliaries, and the parser
    often reads "City museum reopens Friday" as a noun phrase."""
    text = span.text.strip()
    if text.rstrip(".").endswith(("?", ":")) or len([t for t in span if t.is_alpha]) < _MIN_WORDS:
        return False
    return headline or any(t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for t in span)


def _coordinated_with(token, root, lang: Resources) -> bool:
    """Is ``token`` coordinated with the main verb? The parser sometimes hangs a finite verb on the infinitive the
    main verb governs ("offers to drop the bid but rejects the push": "rejects" under "drop"); a finite verb cannot
    be coordinated with an infinitive, so it belongs to the main verb."""
    head = token.head
    if head == root:
        return True
    finite = lang.tags.finite
    return (head.dep_ == "xcomp" and head.head == root and head.tag_ == lang.tags.infinitive
            and token.tag_ in finite and root.tag_ in finite)


def _split_points(span, lang: Resources) -> list[int]:
    """Character offsets (in the doc) where an independent statement starts inside the sentence."""
    points = []
    root = span.root
    first = span[0]
    # "While the move aligns with X, officials maintained Y": the opening clause is a statement of its own
    if first.lower_ in lang.concessive_marks and first.dep_ == "mark":
        edge = first.head.right_edge
        if edge.i + 1 < span.end - 3 and edge.nbor(1).text == ",":
            points.append(edge.nbor(1).idx + 1)
    for token in span:
        # a clause coordinated with the main verb: "X rejected Y and said Z", "X did Y, but Z did W"
        if token.dep_ == "conj" and _coordinated_with(token, root, lang) and token.pos_ in ("VERB", "AUX") \
                and token.i > root.i:
            left = [t for t in token.head.children if t.dep_ == "cc" and root.i < t.i < token.i]
            cc = left[-1] if left else None
            if cc is None or cc.lower_ not in lang.split_conjunctions:
                continue
            if len([t for t in token.subtree if t.is_alpha]) < _MIN_WORDS:
                continue
            points.append(cc.idx)
        # an appended clause: "..., while Y did Z", "...; Z"
        elif (token.lower_ in lang.contrast_marks and token.dep_ == "mark" and token.i > span.start + 3
              and token.nbor(-1).text == ","):  # ", while …" adds a statement; "while the bridge is shut" does not
            points.append(token.idx)
        elif (token.lower_ == lang.even_clause[0] and token.i > span.start + 3 and token.i + 1 < span.end
              and token.nbor(-1).text == "," and token.nbor(1).lower_ in lang.even_clause[1]):
            points.append(token.idx)  # ", even as talks intensify …" is a second statement
        elif token.text == ";" and span.start < token.i < span.end - 3:
            points.append(token.idx + 1)
    return sorted(set(points))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past surrounding spaces and dangling commas or conjunction words' punctuation."""
    while start < end and (text[start].isspace() or text[start] in ",;"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;"):
        end -= 1
    return start, end


def split_sentence(doc, sentence: Sentence, lang: Resources, text: str | None = None, headline: bool = False
                   ) -> list[tuple[int, int]]:
    """Spans of the independent statements in one sentence (the whole sentence when it has one).

    ``text`` is the doc's text, passed in because ``doc.text`` is rebuilt from the tokens on every access.
    """
    text = doc.text if text is None else text
    spans = []
    # A line break inside a "sentence" means the parser ran a caption or heading into the text: split there.
    offset = sentence.start
    for line in sentence.text.split("\n"):
        start, end = _trim(text, offset, offset + len(line))
        offset += len(line) + 1
        if end > start:
            spans.extend(_split_line(doc, text, start, end, lang, headline))
    return spans


def _split_line(doc, text: str, start: int, end: int, lang: Resources, headline: bool = False
                ) -> list[tuple[int, int]]:
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not _states_something(span, headline):
        return []
    bounds = [start, *(p for p in _split_points(span, lang) if start < p < end), end]
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        a, b = _trim(text, a, b)
        # a split-off statement reads better without its joining word ("and said …" → "said …")
        joiner = re.match(lang.joiners, text[a:b], re.I) if a > start else None
        if joiner:
            a += joiner.end()
        if b > a:
            pieces.append((a, b))
    # a piece that is only a fragment stays attached to the one before it
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and len(lower_words(text[a:b])) < _MIN_WORDS:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return merged


def title_claims(article_id: str, doc, lang: Resources) -> list[Claim]:
    """The statements of a parsed headline, split like a sentence ("X offers A but rejects B" makes two claims);
    offsets refer to the title. A question or a label ("Live updates:") yields none."""
    text = doc.text
    if not text.strip() or _is_furniture(text, lang):
        return []
    spans = split_sentence(doc, Sentence(article_id, -1, 0, len(text), text), lang, text, headline=True)
    return [Claim(f"{article_id}:t{n}", article_id, -1, a, b, text[a:b], in_title=True)
            for n, (a, b) in enumerate(spans)]


def article_claims(article_id: str, doc, sentences: list[Sentence], lang: Resources) -> list[Claim]:
    claims = []
    text = doc.text
    for sentence in sentences:
        if _is_furniture(sentence.text, lang):
            continue
        for start, end in split_sentence(doc, sentence, lang, text):
            claims.append(Claim(f"{article_id}:{len(claims)}", article_id, sentence.index, start, end,
                                text[start:end]))
    return claims
