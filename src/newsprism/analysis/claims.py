"""What each article states: its claims, the units facts are aligned on and worded by.

A claim of the text is a whole sentence — never a piece cut at "and", "while" or a time, which would not stand on its
own ("said Kyiv would not cede land", "While the May numbers remain little changed") — except that a sentence that
leans on the one before it ("He added …", "But …") stays with that sentence, up to ``MAX_SENTENCES`` in one claim,
and so does a sentence that goes on with a quotation the one before opened, so a claim reads on its own (a sentence
leaning back that opens a paragraph stays with the last one of the paragraph before: its text then holds the
break). What only leans on context at its start — an outlet's section label ("Why it matters:") or a connective before a capital
("However, Kyiv …") — is outside its ``statement`` (``lead``), which is how facts and the summary word it; such a
sentence stands on its own and is not joined to the one before. A line break inside a parser's sentence (a caption
run into the text) ends a claim.
Nothing of a sentence is lost: the claims of a sentence cover it. A claim of a truncated sentence is ``truncated``.
Every claim keeps its exact character span in the article's clean text (``article.text[start:end] == text``).
Sentences that state nothing (questions, imperatives, page furniture such as "Share this article") yield no claim.

Headlines are split like sentences at coordinated verbs ("X offers A but rejects B" makes two claims): they confirm
facts the texts carry, never word them (facts.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..lang import Resources
from ..text.words import lower_words
from .sentences import Sentence

_MIN_WORDS = 4  # a piece shorter than this is a fragment, not a statement
_PARAGRAPH_BREAK = re.compile(r"[ \t]*\n[ \t]*\n\s*")
MAX_SENTENCES = 3
"""At most this many sentences make one claim (a sentence and those that lean on it)."""


@dataclass(frozen=True)
class Claim:
    id: str
    article: str
    sentence: int
    start: int
    end: int
    text: str
    in_title: bool = False  # start/end refer to the article's title, not its text
    truncated: bool = False  # cut off by the source: may support a fact, never words one
    whole: bool = True  # stands on its own as a statement (``sentences.is_whole``), from ``lead`` on
    lead: int = 0  # where the statement starts in ``text`` past a section label or a connective (statement_start)

    @property
    def statement(self) -> str:
        """The claim as a statement that reads on its own: its text from ``lead`` on."""
        return self.text[self.lead:]


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
    if headline:
        # ... but one that opens with an article and has no verb is a title, not a statement ("A Tale of Two Cities")
        return not (span[0].pos_ == "DET" and not any(t.pos_ in ("VERB", "AUX") for t in span))
    if any(t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for t in span):
        return True
    # the parser often reads "The old bridge reopened on Monday" as a noun with a participle: a statement still
    root = span.root
    return root.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "acl" and c.pos_ == "VERB" and c.i == root.i + 1
                                                  for c in root.children)


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
    return [Claim(f"{article_id}:t{n}", article_id, -1, a, b, text[a:b], in_title=True, whole=False)
            for n, (a, b) in enumerate(spans)]


def _lines(doc, sentence: Sentence, text: str, lang: Resources) -> list[tuple[int, int]]:
    """The statement lines of a sentence: the whole of it, or each line of a caption run into it."""
    spans = []
    offset = sentence.start
    for line in sentence.text.split("\n"):
        start, end = _trim(text, offset, offset + len(line))
        offset += len(line) + 1
        span = doc.char_span(start, end, alignment_mode="expand") if end > start else None
        if span is not None and _states_something(span):
            spans.append((start, end))
    return spans


def article_claims(article_id: str, doc, sentences: list[Sentence], lang: Resources) -> list[Claim]:
    """The claims of an article's text (see the module docstring)."""
    from .sentences import is_whole, leans_back, open_quotation, statement_start

    text = doc.text
    pieces: list[list] = []  # [start, end, sentence index, sentences in it, truncated]
    for sentence in sentences:
        if _is_furniture(sentence.text, lang):
            continue
        for start, end in _lines(doc, sentence, text, lang):
            previous = pieces[-1] if pieces else None
            gap = text[previous[1]:start] if previous is not None else ""
            leaning = leans_back(text[start + statement_start(text[start:end], lang):end], lang)
            joins = (previous is not None and previous[3] < MAX_SENTENCES and not previous[4] and (
                # it goes on with a quotation the sentence before opened, in the same paragraph
                ("\n" not in gap and open_quotation(text[previous[0]:previous[1]]))
                # it leans on the sentence before: in the same paragraph, or opening the next one ("He added …")
                or (leaning and ("\n" not in gap or _PARAGRAPH_BREAK.fullmatch(gap)))))
            if joins:
                previous[1], previous[3] = end, previous[3] + 1
                previous[4] = sentence.truncated
            else:
                pieces.append([start, end, sentence.index, 1, sentence.truncated])
    claims = []
    for n, (start, end, index, _, truncated) in enumerate(pieces):
        lead = statement_start(text[start:end], lang)
        claims.append(Claim(f"{article_id}:{n}", article_id, index, start, end, text[start:end], truncated=truncated,
                            whole=not truncated and is_whole(text[start + lead:end], lang), lead=lead))
    return claims
