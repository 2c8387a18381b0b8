"""Do two claims from different outlets state the same thing? The similarity model facts and conflicts share.

Outlets rarely share wording ("willing to abandon its bid to join NATO" / "prepared to forgo NATO membership"), so
a pair of claims is scored on five signals: the cosine of their sentence embeddings, their overlap of content words
weighted by rarity (IDF over the story's claims, so "NATO" in a NATO story counts little and "Article 5" a lot;
a near-synonym or derivation by word vector, "territorial" for "territory", counts by its similarity), and whether they name the same entities, numbers and dates. A logistic regression fitted on hand-labelled pairs
(tests/fixtures/alignment/pairs.jsonl, ``benchmarks/facts.py --fit``) combines them; its weights live in
data/alignment_weights.json. Candidates come from the embedding matrix in blocks (top-k neighbours above a floor),
so the cost grows with claims × k, not with every pair of claims.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .claims import Claim

WEIGHTS_FILE = Path(__file__).resolve().parent / "data" / "alignment_weights.json"
FEATURES = ("cosine", "lexical", "entities", "numbers", "dates")
SOFT_FLOOR = 0.7
"""Word-vector cosine from which two different content words count as one in the lexical overlap (0.4–0.8 compared
on the labelled pairs, ``benchmarks/facts.py``): "territorial"/"territory" 0.78 counts; "refusal"/"reject" 0.65,
"guarantee"/"assurance" 0.52 and "minister"/"bridge" 0.01 do not."""
CANDIDATE_FLOOR = 0.35  # embedding cosine below which two claims are never compared further
NEIGHBOURS = 40  # candidates kept per claim; bounds the work on large stories
_BLOCK = 512


@dataclass(frozen=True)
class ClaimInfo:
    """What the scorer needs of one claim."""

    lemmas: frozenset[str]
    entities: frozenset[str]
    numbers: frozenset[float]
    dates: frozenset[str]


def describe(doc, start: int, end: int, entity_ids, quantities, dates) -> ClaimInfo:
    """The content words, entity ids, number values and resolved dates of the span ``start:end`` of ``doc``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    lemmas = frozenset(
        t.lemma_.lower() for t in (span or ()) if (t.is_alpha or t.like_num) and not t.is_stop and len(t) > 1)
    return ClaimInfo(lemmas, frozenset(entity_ids), frozenset(q.value for q in quantities),
                     frozenset(d for d in dates if d))


@dataclass
class StoryTerms:
    """What the scorer knows of a story's content words: their rarity, and which are near-synonyms or derivations
    of each other by the cosine of their model2vec word vectors (a static model: one vector per word)."""

    idf: dict[str, float]
    similar: dict[str, dict[str, float]]


def idf_table(infos: list[ClaimInfo]) -> dict[str, float]:
    counts = Counter(w for info in infos for w in info.lemmas)
    n = len(infos) + 1
    return {w: math.log(n / c) + 1.0 for w, c in counts.items()}


def story_terms(infos: list[ClaimInfo], embed, floor: float = SOFT_FLOOR) -> StoryTerms:
    """``embed(words)`` gives unit-length word vectors; pairs of words at or above ``floor`` are kept, found a block
    of rows at a time so memory stays at block × words."""
    idf = idf_table(infos)
    words = sorted(idf)
    similar: dict[str, dict[str, float]] = {}
    if words:
        vectors = np.asarray(embed(words), dtype=np.float32)
        for lo in range(0, len(words), _BLOCK):
            sims = vectors[lo:lo + _BLOCK] @ vectors.T
            for r, c in zip(*np.nonzero(sims >= floor)):
                i = lo + int(r)
                if i != int(c):
                    similar.setdefault(words[i], {})[words[int(c)]] = float(sims[r, c])
    return StoryTerms(idf, similar)


def lexical_overlap(a: frozenset[str], b: frozenset[str], terms: StoryTerms) -> float:
    """Overlap of two claims' content words weighted by rarity (the geometric mean of the share of each claim's IDF
    weight the other covers), where a word missing from the other claim counts by its closest near-synonym or
    derivation there ("territorial" ~ "territory")."""
    if not a or not b:
        return 0.0
    idf, similar = terms.idf, terms.similar

    def covered(x: frozenset[str], y: frozenset[str]) -> float:
        total = 0.0
        for w in x:
            if w in y:
                total += idf.get(w, 1.0)
            else:
                near = similar.get(w)
                if near:
                    total += idf.get(w, 1.0) * max((s for v, s in near.items() if v in y), default=0.0)
        return total / sum(idf.get(w, 1.0) for w in x)

    return math.sqrt(covered(a, b) * covered(b, a))


def value_agreement(a: frozenset, b: frozenset) -> float:
    """+1 when two claims share a value, -1 when both carry values and share none, 0 when either has none."""
    if not a or not b:
        return 0.0
    return 1.0 if a & b else -1.0


def _row(cos: float, a: ClaimInfo, b: ClaimInfo, terms: StoryTerms) -> tuple[float, ...]:
    ent = len(a.entities & b.entities) / len(a.entities | b.entities) if a.entities and b.entities else 0.0
    return (cos, lexical_overlap(a.lemmas, b.lemmas, terms), ent,
            value_agreement(a.numbers, b.numbers), value_agreement(a.dates, b.dates))


def pair_features(cos: float, a: ClaimInfo, b: ClaimInfo, terms: StoryTerms) -> np.ndarray:
    """The features of one pair, in the order of ``FEATURES``."""
    return np.array(_row(cos, a, b, terms), dtype=np.float64)


@cache
def weights() -> tuple[np.ndarray, float, float]:
    """(coefficients, intercept, threshold) of the fitted model."""
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return np.array([data["coefficients"][f] for f in FEATURES]), float(data["intercept"]), float(data["threshold"])


def probability(features: np.ndarray) -> np.ndarray:
    coef, intercept, _ = weights()
    return 1.0 / (1.0 + np.exp(-(np.atleast_2d(features) @ coef + intercept)))


def candidate_pairs(vectors: np.ndarray, groups: list[str], floor: float = CANDIDATE_FLOOR,
                    k: int = NEIGHBOURS) -> dict[tuple[int, int], float]:
    """(i, j) with i < j → cosine, for claims of different groups (outlets) among each other's top-k neighbours.

    Works through the similarity matrix a block of rows at a time, so memory stays at block × claims.
    """
    n = len(vectors)
    group_ids = np.array([hash(g) for g in groups])
    pairs: dict[tuple[int, int], float] = {}
    for lo in range(0, n, _BLOCK):
        sims = vectors[lo:lo + _BLOCK] @ vectors.T
        for r, row in enumerate(sims):
            i = lo + r
            row = np.where(group_ids == group_ids[i], -1.0, row)
            top = np.argpartition(-row, min(k, n - 1))[:k] if n > k else np.arange(n)
            for j in top:
                if row[j] >= floor:
                    pairs[(min(i, int(j)), max(i, int(j)))] = float(row[j])
    return pairs


def score(claims: list[Claim], infos: list[ClaimInfo], vectors: np.ndarray, groups: list[str], terms: StoryTerms
          ) -> dict[tuple[int, int], float]:
    """Probability that two claims state the same fact, for every candidate pair."""
    pairs = candidate_pairs(vectors, groups)
    if not pairs:
        return {}
    keys = list(pairs)
    feats = np.array([_row(pairs[(i, j)], infos[i], infos[j], terms) for i, j in keys], dtype=np.float64)
    return dict(zip(keys, probability(feats).tolist()))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.0, steps: int = 5000, rate: float = 0.5
                 ) -> tuple[np.ndarray, float]:
    """Plain gradient-descent logistic regression (no scikit-learn needed for five features)."""
    coef = np.zeros(x.shape[1])
    intercept = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ coef + intercept)))
        grad = p - y
        coef -= rate * (x.T @ grad / len(y) + l2 * coef)
        intercept -= rate * grad.mean()
    return coef, intercept
