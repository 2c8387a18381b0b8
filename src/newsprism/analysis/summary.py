"""A short neutral account of the story, every sentence taken from a source and citing every source that says it.

Sentences are scored by how central they are (cosine to the story's centroid) and how widely they are
corroborated (how many distinct sources carry an equivalent sentence), chosen without redundancy (maximal
marginal relevance), and put in the order the sources tend to tell the story (relative position in their
articles: what happened first, details and positions later). A sentence only one outlet of a clear lean carries
is marked in ``note``. Which source a sentence counts for is the sources stage's rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ..lang import Resources
from ..models import Evidence, SummarySentence
from ..text.quotations import quoted_share
from .sentences import Sentence
from .sources import Sources
from .stage import StageView

# Cosine thresholds, per embedder (nlp/data/thresholds.json): "summary.same_claim", at which two sentences count as
# saying the same thing (corroboration), and "summary.redundant", above which a candidate repeats a sentence chosen.
MMR_LAMBDA = 0.6
WEIGHTS = (0.3, 0.6, 0.1)
"""How centrality, corroboration (share of sources) and an early position in the article add up to a score."""
MIN_WORDS, MAX_WORDS = 8, 60
_LEAD_MARK = re.compile(r"^[-–•*]\s+")
CLEAR_LEANS = {"left", "right", "lean_left", "lean_right"}


@dataclass
class _Candidate:
    sentence: Sentence
    start: int
    text: str
    source: str
    position: float
    disputed: bool = False
    snippet: bool = False
    """Part of a claim that a conflict names: stated only where the sources' agreement outweighs it."""


def _usable(text: str, start: int, captions: set[str], quotes, lang: Resources) -> bool:
    n = len(text.split())
    if n < MIN_WORDS or n > MAX_WORDS or text.endswith("?") or text in captions or lang.dangling_start.search(text):
        return False
    # A sentence that is mostly someone's quoted words is theirs, not a neutral account.
    return quoted_share(quotes, start, start + len(text)) < 0.5 and not text[:1].islower()


def _contested(ctx: StageView) -> dict[str, list[tuple[int, int]]]:
    # Spans that conflicts name: the summary should state what sources agree on, not one side of a disagreement.
    spans: dict[str, list[tuple[int, int]]] = {}
    for conflict in ctx["conflicts"]:
        for claim in conflict.claims:
            if claim.start is not None and claim.end is not None:
                spans.setdefault(claim.article, []).append((claim.start, claim.end))
    return spans


def candidates(ctx: StageView) -> list[_Candidate]:
    found: list[_Candidate] = []
    sentences = ctx["sentences"]
    sources: Sources = ctx["sources"]
    contested = _contested(ctx)
    for article in sources.read:
        lang = ctx.language(article)
        quotes = ctx["quotations"][article.id]
        own = sentences.get(article.id, [])
        captions = set(article.captions)
        for sentence in own:
            mark = _LEAD_MARK.match(sentence.text)
            text = sentence.text[mark.end():] if mark else sentence.text
            start = sentence.start + (mark.end() if mark else 0)
            if _usable(text, start, captions, quotes, lang) and not any(text in c for c in captions):
                disputed = any(a < start + len(text) and start < b for a, b in contested.get(article.id, ()))
                found.append(_Candidate(sentence, start, text, sources.of[article.id],
                                        sentence.index / max(1, len(own)), disputed, article.kind == "snippet"))
    return found


def summarize(ctx: StageView, max_sentences: int | None = None, max_words: int | None = None
              ) -> list[SummarySentence]:
    """The summary sentences; ``max_words`` (when given) stops once the summary reaches that length."""
    pool = candidates(ctx)
    if not pool:
        return []
    vectors = ctx.annotations.embed([c.text for c in pool])
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = vectors @ centroid
    similarity = vectors @ vectors.T
    sources = sorted({c.source for c in pool})
    index = {s: i for i, s in enumerate(sources)}
    source_of = np.array([index[c.source] for c in pool])
    # support[i] = the distinct sources holding a sentence equivalent to candidate i (its own included): from the
    # facts stage's aligned evidence where the sentence is part of a fact, else from embedding similarity.
    by_fact = _fact_support(ctx, pool)
    same_claim, redundant = (ctx.annotations.threshold(f"summary.{n}") for n in ("same_claim", "redundant"))
    support = [by_fact.get(i) or set(source_of[np.flatnonzero(similarity[i] >= same_claim)]) | {source_of[i]}
               for i in range(len(pool))]
    breadth = np.array([len(s) / len(sources) for s in support])
    position = np.array([c.position for c in pool])
    score = WEIGHTS[0] * centrality + WEIGHTS[1] * breadth + WEIGHTS[2] * (1 - position)
    # An aggregator's snippet is an excerpt, often cut short: the outlet's own full sentence reads better.
    score[[i for i, c in enumerate(pool) if c.snippet]] *= 0.8
    score[[i for i, c in enumerate(pool) if c.disputed]] *= 0.7
    # Prefer the majority's wording: a sentence using a term fewer outlets use than its alternative is kept only
    # when no plainer sentence serves (framing contrasts name the terms).
    loaded = _minority_terms(ctx)
    score[[i for i, c in enumerate(pool) if any(t.search(c.text) for t in loaded)]] *= 0.6
    # A sentence only one outlet of a clear lean carries is kept only when nothing better is left.
    score[[i for i in range(len(pool)) if len(support[i]) == 1 and _clear_lean(ctx, pool[i])]] *= 0.5
    if max_sentences is None:
        max_sentences = int(min(8, max(3, round(1.5 * len(sources)))))
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
        words += len(pool[best].text.split())
    chosen.sort(key=lambda i: (position[i], -breadth[i]))
    return [_sentence(ctx, pool, similarity, i) for i in chosen]


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


def _fact_support(ctx: StageView, pool: list[_Candidate]) -> dict[int, set]:
    """Candidate index → the sources of the fact whose evidence contains it."""
    sources: Sources = ctx["sources"]
    spans: dict[str, list[tuple[int, int, set]]] = {}
    for fact in ctx["facts"]:
        fact_sources = {sources.of[a] for a in fact.articles if a in sources.of}
        for evidence in fact.evidence:
            if evidence.in_title:
                continue
            spans.setdefault(evidence.article, []).append((evidence.start, evidence.end, fact_sources))
    keys = sorted({c.source for c in pool})
    index = {k: i for i, k in enumerate(keys)}
    found: dict[int, set] = {}
    for i, c in enumerate(pool):
        for start, end, fact_sources in spans.get(c.sentence.article, ()):
            if start < c.start + len(c.text) and c.start < end:
                found.setdefault(i, set()).update(index[k] for k in fact_sources if k in index)
    return found


def _clear_lean(ctx: StageView, candidate: _Candidate) -> bool:
    article = next(a for a in ctx.articles if a.id == candidate.sentence.article)
    return article.outlet is not None and article.outlet.lean in CLEAR_LEANS


def _sentence(ctx: StageView, pool: list[_Candidate], similarity: np.ndarray, i: int) -> SummarySentence:
    chosen = pool[i]
    by_article: dict[str, int] = {chosen.sentence.article: i}
    for j in np.flatnonzero(similarity[i] >= ctx.annotations.threshold("summary.same_claim")):
        article = pool[j].sentence.article
        if article not in by_article or similarity[i, j] > similarity[i, by_article[article]]:
            by_article[article] = int(j) if article != chosen.sentence.article else i
    evidence = [Evidence(article=pool[j].sentence.article, text=pool[j].text, start=pool[j].start,
                         end=pool[j].start + len(pool[j].text)) for j in by_article.values()]
    # The facts stage may have aligned the sentence with paraphrases the embedding alone does not find: their
    # evidence is cited too, so that the summary and the fact list name the same sources.
    for fact in ctx["facts"]:
        if any(e.article == chosen.sentence.article and not e.in_title and e.start < chosen.start + len(chosen.text)
               and chosen.start < e.end for e in fact.evidence):
            for e in fact.evidence:
                if e.article not in by_article:
                    by_article[e.article] = -1
                    evidence.append(e.model_copy())
    articles = list(by_article)
    return SummarySentence(text=chosen.text, articles=articles, evidence=evidence, note=_lean_note(ctx, articles))


def _lean_note(ctx: StageView, article_ids: list[str]) -> str | None:
    by_id = {a.id: a for a in ctx.articles}
    sources: Sources = ctx["sources"]
    outlets = {by_id[a].outlet.name: by_id[a].outlet.lean for a in article_ids if by_id[a].outlet is not None}
    if len(outlets) == 1:
        (name, lean), = outlets.items()
        if lean in CLEAR_LEANS and len({sources.of[a] for a in article_ids}) == 1:
            return f"only {name} ({lean.replace('_', '-')}) reports this"
    return None


class SummaryStage:
    name = "summary"
    requires = ("sentences", "quotations", "sources", "facts", "conflicts", "framing")
    provides = ("summary",)

    def __init__(self, max_sentences: int | None = None, max_words: int | None = None):
        self.max_sentences = max_sentences
        self.max_words = max_words

    def run(self, ctx: StageView) -> None:
        ctx["summary"] = summarize(ctx, self.max_sentences, self.max_words)
