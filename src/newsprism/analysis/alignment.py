"""Do two claims from different outlets state the same thing? The similarity model facts and conflicts share.

Outlets rarely share wording ("willing to abandon its bid to join NATO" / "prepared to forgo NATO membership"), so
a pair of claims is scored on five signals: the cosine of their sentence embeddings, their overlap of content words
weighted by rarity (IDF over the story's claims, so "NATO" in a NATO story counts little and "Article 5" a lot),
and whether they name the same entities, numbers and dates. A logistic regression fitted on hand-labelled pairs
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


def idf_table(infos: list[ClaimInfo]) -> dict[str, float]:
    counts = Counter(w for info in infos for w in info.lemmas)
    n = len(infos) + 1
    return {w: math.log(n / c) + 1.0 for w, c in counts.items()}


def _weighted_overlap(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    shared = sum(idf.get(w, 1.0) for w in a & b)
    norm = math.sqrt(sum(idf.get(w, 1.0) for w in a) * sum(idf.get(w, 1.0) for w in b))
    return shared / norm if norm else 0.0


def value_agreement(a: frozenset, b: frozenset) -> float:
    """+1 when two claims share a value, -1 when both carry values and share none, 0 when either has none."""
    if not a or not b:
        return 0.0
    return 1.0 if a & b else -1.0


def _row(cos: float, a: ClaimInfo, b: ClaimInfo, idf: dict[str, float]) -> tuple[float, ...]:
    ent = len(a.entities & b.entities) / len(a.entities | b.entities) if a.entities and b.entities else 0.0
    return (cos, _weighted_overlap(a.lemmas, b.lemmas, idf), ent,
            value_agreement(a.numbers, b.numbers), value_agreement(a.dates, b.dates))


def pair_features(cos: float, a: ClaimInfo, b: ClaimInfo, idf: dict[str, float]) -> np.ndarray:
    """The features of one pair, in the order of ``FEATURES``."""
    return np.array(_row(cos, a, b, idf), dtype=np.float64)


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


def score(claims: list[Claim], infos: list[ClaimInfo], vectors: np.ndarray, groups: list[str]
          ) -> dict[tuple[int, int], float]:
    """Probability that two claims state the same fact, for every candidate pair."""
    idf = idf_table(infos)
    pairs = candidate_pairs(vectors, groups)
    if not pairs:
        return {}
    keys = list(pairs)
    feats = np.array([_row(pairs[(i, j)], infos[i], infos[j], idf) for i, j in keys], dtype=np.float64)
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
