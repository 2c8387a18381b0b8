"""A short neutral account of the story in which every sentence is a fact's wording and cites exactly the outlets
that state it.

The summary is made of the facts stage's facts (facts.py), never of loose sentences: a fact cites an outlet only
when one of its sentences states the fact, so a summary sentence cites no outlet that does not say it. A fact is
eligible when its wording stands on its own (``sentences.is_whole``: not cut off, no dangling "But" or "He", section
labels such as "Why it matters:" left out), is neither very short nor very long, is not mostly someone's quoted words
and is not a caption. Facts are scored by how widely they are stated (the share of the story's sources), how central
they are (cosine to the story's centre, each fact weighted by its sources) and how early their outlets tell them,
chosen without redundancy (maximal marginal relevance). The best one leads; the rest follow in the order the
sources tell the story.

Wording: where the fact's wording carries an outlet's evaluative words ("vehemently", "landmark"), another cited
outlet's plainer sentence of the same fact is used; where none is plainer, the sentence is attributed ("…,
according to X"). A sentence only one source states always says so in ``note``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..lang import Resources
from ..models import Article, Evidence, Fact, SummarySentence
from ..text.quotations import quoted_share
from ..text.words import lower_words, word_count
from .sentences import is_whole, statement_start
from .sources import Sources
from .stage import StageView

# "summary.redundant" (nlp/data/thresholds.json, per embedder): the cosine above which a candidate repeats a sentence
# already chosen.
MMR_LAMBDA = 0.6
WEIGHTS = (0.3, 0.6, 0.1)
"""How centrality, breadth (the share of sources that state the fact) and an early position add up to a score."""
MIN_WORDS, MAX_WORDS = 8, 60
CLEAR_LEANS = {"left", "right", "lean_left", "lean_right"}


@dataclass
class _Candidate:
    fact: Fact
    text: str
    """The sentence as the summary gives it: a cited outlet's statement of the fact."""
    evidence: Evidence
    """The cited evidence the text is taken from."""
    sources: set[str]
    position: float
    disputed: bool = False
    snippet: bool = False
    evaluative: bool = False


def _statement(evidence: Evidence, lang: Resources) -> str:
    """The evidence as a statement that reads on its own (a section label or an opening connective left out, as
    the fact's wording leaves them out)."""
    return evidence.text[statement_start(evidence.text, lang):]


def _evaluative(text: str, lang: Resources) -> bool:
    words = lang.lexicon.get("evaluative", frozenset()) | lang.lexicon["loaded"]
    return any(w in words for w in lower_words(text))


def _eligible(text: str, evidence: Evidence, article: Article, quotes, lang: Resources) -> bool:
    n = word_count(text)
    if evidence.in_title or evidence.truncated or not MIN_WORDS <= n <= MAX_WORDS or not is_whole(text, lang):
        return False
    if text in article.captions or any(text in c for c in article.captions) or lang.dangling_start.search(text):
        return False
    # A sentence that is mostly someone's quoted words is theirs, not a neutral account.
    start = evidence.end - len(text)
    return quoted_share(quotes, start, evidence.end) < 0.5


def _contested(ctx: StageView) -> dict[str, list[tuple[int, int]]]:
    """Spans that conflicts name: the summary states what sources agree on, not one side of a disagreement."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for conflict in ctx["conflicts"]:
        for claim in conflict.claims:
            if claim.start is not None and claim.end is not None:
                spans.setdefault(claim.article, []).append((claim.start, claim.end))
    return spans


def candidates(ctx: StageView) -> list[_Candidate]:
    """One candidate per fact whose wording (or a plainer cited statement of it) can stand in a summary."""
    sources: Sources = ctx["sources"]
    by_id = {a.id: a for a in ctx.articles}
    contested = _contested(ctx)
    minority = _minority_terms(ctx)
    found: list[_Candidate] = []
    for fact in ctx["facts"]:
        options = []
        for evidence in fact.evidence:
            article = by_id[evidence.article]
            lang = ctx.language(article)
            text = _statement(evidence, lang)
            if _eligible(text, evidence, article, ctx["quotations"][article.id], lang):
                options.append((text, evidence, _evaluative(text, lang), any(t.search(text) for t in minority)))
        # the fact's own wording, unless it carries evaluative words or a term fewer outlets use than its
        # alternative (framing) and another cited outlet's statement of the fact does not (a fact whose wording
        # cannot stand in a summary for other reasons is left out: the others are cited as stating the wording)
        if not options or options[0][1] is not fact.evidence[0]:
            continue
        text, evidence, evaluative, _ = min(options, key=lambda o: o[2] + o[3])
        article = by_id[evidence.article]
        disputed = any(a < evidence.end and evidence.start < b for a, b in contested.get(article.id, ()))
        found.append(_Candidate(fact, text, evidence, {sources.of[a] for a in fact.articles if a in sources.of},
                                evidence.start / max(1, len(article.text)), disputed, article.kind == "snippet",
                                evaluative))
    return found


def summarize(ctx: StageView, max_sentences: int | None = None, max_words: int | None = None
              ) -> list[SummarySentence]:
    """The summary sentences; ``max_words`` (when given) stops once the summary reaches that length."""
    pool = candidates(ctx)
    if not pool:
        return []
    sources: Sources = ctx["sources"]
    counted = sources.counted or {s for c in pool for s in c.sources}
    vectors = ctx.annotations.embed([c.text for c in pool])
    breadth = np.array([len(c.sources & counted) / max(1, len(counted)) for c in pool])
    # the story's centre: what many outlets state weighs more than what one does
    weights = np.array([len(c.sources) for c in pool], dtype=np.float64)
    centroid = (vectors * weights[:, None]).sum(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = vectors @ centroid
    similarity = vectors @ vectors.T
    position = np.array([c.position for c in pool])
    score = WEIGHTS[0] * centrality + WEIGHTS[1] * breadth + WEIGHTS[2] * (1 - position)
    # An aggregator's snippet is an excerpt, often cut short: the outlet's own full sentence reads better.
    score[[i for i, c in enumerate(pool) if c.snippet]] *= 0.8
    score[[i for i, c in enumerate(pool) if c.disputed]] *= 0.7
    score[[i for i, c in enumerate(pool) if c.evaluative]] *= 0.8
    # Prefer the majority's wording: a sentence using a term fewer outlets use than its alternative is kept only
    # when no plainer sentence serves (framing contrasts name the terms).
    minority = _minority_terms(ctx)
    score[[i for i, c in enumerate(pool) if any(t.search(c.text) for t in minority)]] *= 0.6
    # A sentence only one outlet of a clear lean carries is kept only when nothing better is left.
    score[[i for i, c in enumerate(pool) if len(c.sources) == 1 and _clear_lean(ctx, c)]] *= 0.5
    if max_sentences is None:
        max_sentences = int(min(8, max(3, round(1.5 * len(counted)))))
    redundant = ctx.annotations.threshold("summary.redundant")
    chosen: list[int] = []
    words = 0
    while len(chosen) < max_sentences and (max_words is None or words < max_words):
        if chosen:
            redundancy = similarity[:, chosen].max(axis=1)
            mmr = MMR_LAMBDA * score - (1 - MMR_LAMBDA) * redundancy
            mmr[redundancy >= redundant] = -np.inf
        else:
            mmr = score.copy()
        mmr[chosen] = -np.inf
        best = int(np.argmax(mmr))
        if not np.isfinite(mmr[best]):
            break
        chosen.append(best)
        words += word_count(pool[best].text)
    # the main fact leads; the rest in the order the sources tell the story
    lead, rest = chosen[0], sorted(chosen[1:], key=lambda i: (position[i], -breadth[i]))
    return [_sentence(ctx, pool[i]) for i in [lead, *rest]]


def _minority_terms(ctx: StageView) -> list[re.Pattern]:
    """Terms of a framing contrast that fewer articles use than the contrast's most common term."""
    terms = []
    for contrast in ctx["framing"]:
        counts = {term: len(set(ids)) for term, ids in contrast.terms.items()}
        if len(counts) < 2:
            continue
        top = max(counts.values())
        terms += [re.compile(rf"\b{re.escape(term)}\b", re.IGNORECASE) for term, n in counts.items() if n < top]
    return terms


def _clear_lean(ctx: StageView, candidate: _Candidate) -> bool:
    article = next(a for a in ctx.articles if a.id == candidate.evidence.article)
    return article.outlet is not None and article.outlet.lean in CLEAR_LEANS


def _name(article: Article) -> str:
    """How a note or an attribution names an article's source: its outlet, else its id (renderers turn an id into
    a citation mark)."""
    return article.outlet.name if article.outlet is not None else article.id


def _sentence(ctx: StageView, candidate: _Candidate) -> SummarySentence:
    fact = candidate.fact
    by_id = {a.id: a for a in ctx.articles}
    names = list(dict.fromkeys(_name(by_id[a]) for a in fact.articles))
    text = candidate.text
    if candidate.evaluative and text.endswith(".") and not any(q in text for q in "\"“”"):
        # an outlet's evaluation is theirs: say whose
        according = " ".join(ctx.language(by_id[candidate.evidence.article]).according)
        text = f"{text[:-1]}, {according} {_join(names)}."
    evidence = [candidate.evidence, *(e for e in fact.evidence if e is not candidate.evidence)]
    return SummarySentence(text=text, articles=list(fact.articles), evidence=[e.model_copy() for e in evidence],
                           fact=fact.id, note=_note(ctx, fact, names))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _note(ctx: StageView, fact: Fact, names: list[str]) -> str | None:
    """That only one source states the sentence, naming it (and its lean when it is a clear one)."""
    sources: Sources = ctx["sources"]
    if len({sources.of.get(a, a) for a in fact.articles}) != 1:
        return None
    article = next(a for a in ctx.articles if a.id == fact.articles[0])
    lean = article.outlet.lean if article.outlet is not None else None
    who = f"{names[0]} ({lean.replace('_', '-')})" if lean in CLEAR_LEANS else names[0]
    return f"only {who} reports this"


class SummaryStage:
    name = "summary"
    requires = ("quotations", "sources", "facts", "conflicts", "framing")
    provides = ("summary",)

    def __init__(self, max_sentences: int | None = None, max_words: int | None = None):
        self.max_sentences = max_sentences
        self.max_words = max_words

    def run(self, ctx: StageView) -> None:
        ctx["summary"] = summarize(ctx, self.max_sentences, self.max_words)
