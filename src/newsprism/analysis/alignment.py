"""Do two claims from different outlets state the same thing? The similarity model facts and conflicts share.

Outlets rarely share wording ("willing to abandon its bid to join NATO" / "prepared to forgo NATO membership"), so
a pair of claims is scored on five signals: the cosine of their sentence embeddings, their overlap of content words
weighted by rarity (IDF over the story's claims, so "NATO" in a NATO story counts little and "Article 5" a lot;
a derived word counts as its base, "refusal" as "refuse", and a near-synonym by word vector or by WordNet counts by
its similarity), and whether they name the same entities, numbers and dates. A logistic regression fitted on
hand-labelled pairs (tests/fixtures/alignment/pairs.jsonl and benchmarks/gold/pairs.jsonl, ``benchmarks/facts.py
--fit``) combines them; its weights, fitted per embedder, live in data/alignment_weights.<embedder>.json.
Candidates come from the embedding matrix in blocks (top-k neighbours above a floor), so the cost grows with
claims × k, not with every pair of claims.
"""

from __future__ import annotations

import gzip
import json
import math
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from ..lang import Resources, default
from ..errors import SetupError
from ..nlp.embed import Embedder, fitted_file

DATA = Path(__file__).resolve().parent / "data"
FEATURES = ("cosine", "cosine_words", "lexical", "cover_min", "cover_max", "entities", "numbers", "dates", "status",
            "figures", "predicate", "headline", "length")
"""What the pair model reads of a pair: the sentence embedder's cosine and the word embedder's (a second, static
opinion); the rarity-weighted overlap of content words, and how much of the less and the more covered claim the
other covers; shared entities, numbers and dates; whether the two report a compatible status (support.py) and
whether their figures clash; whether their main predicates are one verb (or near-synonyms); whether one is a
headline; and the ratio of their lengths."""
SOFT_FLOOR = 0.7
"""Word-vector cosine from which two different content words count as one in the lexical overlap (0.4–0.8 compared
on the labelled pairs, ``benchmarks/facts.py``): "territorial"/"territory" 0.78 counts; "refusal"/"reject" 0.65,
"guarantee"/"assurance" 0.52 and "minister"/"bridge" 0.01 do not."""
DERIVATION_FLOOR = 0.3
"""Word-vector cosine a suffix-rule derivation needs to count ("agreement"/"agree" 0.48, "firmly"/"firm" 0.31 count;
"pressure"/"press" 0.29 does not): the rules alone would also read "billion" as "bill"."""
WORDNET_FILE = "wordnet_concepts.tsv.gz"
"""(In the language's folder: English only.) Words of general English that share a WordNet 3.0 concept, built by scripts/build_wordnet_concepts.py (licence:
data/WORDNET_LICENSE.txt). A word's concepts are the synsets of its first WORDNET_SENSES senses per part of speech
and the synsets those senses reach by derivation, pertainym and participle pointers ("refusal" → "refuse", which
shares a synset with "reject"; "concession" → "concede", which shares one with "cede"); words of more than
WORDNET_MAX_SENSES senses are left out, and so are senses in which the word is a name (WordNet's "China" is both the
PRC and Taiwan, its "Europe" the EU; names are the entities feature's business). Leaving names out changed no
cross-validation figure (0.752 / 0.627 / 0.921 with and without, see WORDNET_CREDIT)."""
WORDNET_SENSES = 2
"""Senses per part of speech whose concepts count (WordNet lists them most frequent first). Chosen with
WORDNET_MAX_SENSES and WORDNET_CREDIT by 5-fold cross-validation on the labelled pairs (``benchmarks/facts.py``, mean
F1 over ten fold draws, docs/facts.md): 1 sense (caps 4–8, credits 0.6–0.9) scored 0.741–0.752, 2 senses (caps
4–12) 0.741–0.754, no WordNet 0.750; with 2 the held-out seed pairs score 0.921 instead of 0.919."""
WORDNET_MAX_SENSES = 8
"""Words with more senses than this (all parts of speech together) get no WordNet relations: "say", "state",
"tell", "face", "come", "approach" share a frequent sense with too many words. With 2 senses, mean 5-fold F1 by cap:
4: 0.741–0.744, 5: 0.746–0.748, 6: 0.749–0.752, 7: 0.750–0.752, 8: 0.751–0.753, 9: 0.752–0.754, 10: 0.749, 12:
0.743–0.746; on the AllSides pairs alone 8–10 score 0.623–0.628 (no WordNet 0.627), the others 0.616–0.624. 8 is
the smallest cap on the plateau."""
WORDNET_CREDIT = 0.7
"""How much a WordNet-related word counts for a missing word in the lexical overlap, as a word-vector near-synonym of
that cosine would (a higher word-vector cosine is kept: "buy"/"purchase" 0.79). With 2 senses and a cap of 8,
credits 0.6, 0.7, 0.8, 0.9 scored 0.752, 0.752, 0.751, 0.753 (mean 5-fold F1; no WordNet 0.750), 0.626, 0.627,
0.628, 0.624 on the AllSides pairs alone (0.627) and 0.921 each on the held-out seed pairs (0.919): flat; 0.7, the
near-synonym floor SOFT_FLOOR, is kept. 0 switches the relations off."""
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
    status: str = "present"
    """The status of the main event (support.py)."""
    figures: tuple = ()
    """Its figures that count something (conflicts.Quantity with a unit)."""
    predicate: str = ""
    """The lemma of its main verb, past any verb of saying."""
    title: bool = False
    words: int = 0


def describe(doc, start: int, end: int, entity_ids, quantities, dates, status: str = "present",
             predicate: str = "", title: bool = False) -> ClaimInfo:
    """The content words, entity ids, number values and resolved dates of the span ``start:end`` of ``doc``."""
    span = doc.char_span(start, end, alignment_mode="expand")
    lemmas = frozenset(
        t.lemma_.lower() for t in (span or ()) if (t.is_alpha or t.like_num) and not t.is_stop and len(t) > 1)
    return ClaimInfo(lemmas, frozenset(entity_ids), frozenset(q.value for q in quantities),
                     frozenset(d for d in dates if d), status, tuple(q for q in quantities if q.unit), predicate,
                     title, sum(1 for t in (span or ()) if t.is_alpha))


@dataclass
class StoryTerms:
    """What the scorer knows of a story's content words: which derive from another word of the story (``base``:
    "territorial" → "territory"), their rarity (by base), and which bases are near-synonyms of each other by the
    cosine of their model2vec word vectors (a static model: one vector per word) or share a WordNet concept."""

    idf: dict[str, float]
    similar: dict[str, dict[str, float]]
    base: dict[str, str] = field(default_factory=dict)
    _words: dict[frozenset[str], frozenset[str]] = field(default_factory=dict, repr=False)
    _covered: dict[tuple[frozenset[str], frozenset[str]], float] = field(default_factory=dict, repr=False)

    def words(self, lemmas: frozenset[str]) -> frozenset[str]:
        """A claim's content words with each derived word replaced by its base (kept: claims are compared often)."""
        found = self._words.get(lemmas)
        if found is None:
            found = self._words[lemmas] = frozenset(self.base.get(w, w) for w in lemmas)
        return found


@cache
def derivation_rules(lang: Resources | None = None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(suffix, endings of the base) from the language's derivation_suffixes.csv, longest suffix first; () for a
    language without the file."""
    lang = lang or default()
    if not lang.path("derivation_suffixes.csv").is_file():
        return ()
    rules = [(r["suffix"], tuple("" if e == "-" else e for e in r["bases"].split()))
             for r in lang.rows("derivation_suffixes.csv")]
    return tuple(sorted(rules, key=lambda r: -len(r[0])))


def _bases(word: str, lang: Resources | None) -> Iterator[str]:
    """Every word ``word`` may be derived from by removing one suffix (a stem keeps at least three letters)."""
    for suffix, endings in derivation_rules(lang):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3:
            for ending in endings:
                yield stem + ending
            if len(stem) > 3 and stem[-1] == stem[-2]:  # "admittance" -> admit
                yield stem[:-1]


def derivations(words: list[str], vectors: np.ndarray, floor: float = DERIVATION_FLOOR,
                lang: Resources | None = None) -> dict[str, str]:
    """Word → the shortest other word of ``words`` it derives from by one or two suffix rules ("constitutional" →
    "constitution" → "constitute"), counted only when their unit word ``vectors`` have cosine ≥ ``floor``.

    Bases are looked for among the story's own words, so a rule never invents a word, and the vectors veto rule
    matches that are not derivations ("billion" / "bill").
    """
    row = {w: i for i, w in enumerate(words)}
    base: dict[str, str] = {}
    for word in words:
        found = set(_bases(word, lang))
        found |= {c for b in found for c in _bases(b, lang)}
        for b in sorted((b for b in found if b in row and b != word), key=lambda b: (len(b), b)):
            if float(vectors[row[word]] @ vectors[row[b]]) >= floor:
                base[word] = b
                break
    for word in base:  # a base that is itself derived: follow it to the end
        seen = {word}
        while base[word] in base and base[base[word]] not in seen:
            seen.add(base[word])
            base[word] = base[base[word]]
    return base


@cache
def wordnet_lines(lang: Resources | None = None) -> list[str]:
    """The lines of the language's wordnet_concepts.tsv.gz after its comments ("word<TAB>concept numbers"), sorted by
    word ([] for a language without one); read once per process (about 10 ms: words are found by binary search,
    nothing else is parsed)."""
    path = (lang or default()).path(WORDNET_FILE)
    if not path.is_file():
        return []
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    start = 0
    while start < len(lines) and lines[start].startswith("#"):
        start += 1
    return lines[start:]


def wordnet_concepts(word: str, lang: Resources | None = None) -> tuple[str, ...]:
    """The WordNet concepts (numbers as written in the data file) ``word`` shares with some other word; () if none."""
    lines, key = wordnet_lines(lang), word + "\t"
    i = bisect_left(lines, key)
    if i < len(lines) and lines[i].startswith(key):
        return tuple(lines[i][len(key):].split())
    return ()


def wordnet_related(words: list[str], lang: Resources | None = None) -> Iterator[tuple[str, str]]:
    """Ordered pairs of different ``words`` that share a WordNet concept (see ``WORDNET_FILE``)."""
    holders: dict[str, list[str]] = defaultdict(list)
    for word in words:
        for concept in wordnet_concepts(word, lang):
            holders[concept].append(word)
    seen: set[tuple[str, str]] = set()
    for group in holders.values():
        for a in group:
            for b in group:
                if a != b and (a, b) not in seen:
                    seen.add((a, b))
                    yield a, b


def idf_table(infos: list[ClaimInfo], base: dict[str, str] | None = None) -> dict[str, float]:
    base = base or {}
    counts = Counter(w for info in infos for w in {base.get(x, x) for x in info.lemmas})
    n = len(infos) + 1
    return {w: math.log(n / c) + 1.0 for w, c in counts.items()}


def story_terms(infos: list[ClaimInfo], embed, floor: float = SOFT_FLOOR, wordnet: float | None = None,
                lang: Resources | None = None) -> StoryTerms:
    """``embed(words)`` gives unit-length word vectors; pairs of bases at or above ``floor`` are kept as
    near-synonyms, found a block of rows at a time so memory stays at block × words. Bases related by WordNet are
    near-synonyms with weight ``wordnet`` (default ``WORDNET_CREDIT``; 0: none) unless their cosine is higher."""
    words = sorted({w for info in infos for w in info.lemmas})
    if not words:
        return StoryTerms({}, {})
    vectors = np.asarray(embed(words), dtype=np.float32)
    base = derivations(words, vectors, lang=lang)
    idf = idf_table(infos, base)
    keep = [i for i, w in enumerate(words) if w in idf]  # the bases
    kept, vectors = [words[i] for i in keep], vectors[keep]
    similar: dict[str, dict[str, float]] = {}
    for lo in range(0, len(kept), _BLOCK):
        sims = vectors[lo:lo + _BLOCK] @ vectors.T
        for r, c in zip(*np.nonzero(sims >= floor)):
            i = lo + int(r)
            if i != int(c):
                similar.setdefault(kept[i], {})[kept[int(c)]] = float(sims[r, c])
    credit = WORDNET_CREDIT if wordnet is None else wordnet
    if credit > 0:
        for a, b in wordnet_related(kept, lang):
            near = similar.setdefault(a, {})
            if near.get(b, 0.0) < credit:
                near[b] = credit
    return StoryTerms(idf, similar, base)


def lexical_overlap(a: frozenset[str], b: frozenset[str], terms: StoryTerms) -> float:
    """Overlap of two claims' content words weighted by rarity (the geometric mean of the share of each claim's IDF
    weight the other covers). Words are compared by their base ("refusal" meets "refuse"), and a word missing from
    the other claim counts by its closest near-synonym there, weighted by their word-vector cosine or the WordNet
    credit ("concession" / "cede")."""
    ab, ba = coverage(a, b, terms)
    return math.sqrt(ab * ba)


def coverage(a: frozenset[str], b: frozenset[str], terms: StoryTerms) -> tuple[float, float]:
    """(the share of claim a's IDF weight that b covers, the share of b's that a covers); see ``lexical_overlap``."""
    a, b = terms.words(a), terms.words(b)
    if not a or not b:
        return 0.0, 0.0
    idf, similar = terms.idf, terms.similar
    known = terms._covered

    def covered(x: frozenset[str], y: frozenset[str]) -> float:
        if (x, y) in known:
            return known[(x, y)]
        known[(x, y)] = share = _covered(x, y)
        return share

    def _covered(x: frozenset[str], y: frozenset[str]) -> float:
        total = 0.0
        for w in x:
            if w in y:
                total += idf.get(w, 1.0)
            else:
                near = similar.get(w)
                if near:
                    total += idf.get(w, 1.0) * max((s for v, s in near.items() if v in y), default=0.0)
        return total / sum(idf.get(w, 1.0) for w in x)

    return covered(a, b), covered(b, a)


def value_agreement(a: frozenset, b: frozenset) -> float:
    """+1 when two claims share a value, -1 when both carry values and share none, 0 when either has none."""
    if not a or not b:
        return 0.0
    return 1.0 if a & b else -1.0


def _same_predicate(a: ClaimInfo, b: ClaimInfo, terms: StoryTerms) -> float:
    if not a.predicate or not b.predicate:
        return 0.0
    x, y = terms.base.get(a.predicate, a.predicate), terms.base.get(b.predicate, b.predicate)
    return 1.0 if x == y or terms.similar.get(x, {}).get(y, 0.0) >= SOFT_FLOOR else 0.0


def _row(cos: float, a: ClaimInfo, b: ClaimInfo, terms: StoryTerms, cos_words: float | None = None
         ) -> tuple[float, ...]:
    from .support import compatible, figures_clash

    ent = len(a.entities & b.entities) / len(a.entities | b.entities) if a.entities and b.entities else 0.0
    ab, ba = coverage(a.lemmas, b.lemmas, terms)
    lengths = sorted((a.words or 1, b.words or 1))
    return (cos, cos if cos_words is None else cos_words, math.sqrt(ab * ba), min(ab, ba), max(ab, ba), ent,
            value_agreement(a.numbers, b.numbers), value_agreement(a.dates, b.dates),
            1.0 if compatible(a.status, b.status) else 0.0, 1.0 if figures_clash(a.figures, b.figures) else 0.0,
            _same_predicate(a, b, terms), 1.0 if a.title or b.title else 0.0, lengths[0] / lengths[1])


def pair_features(cos: float, a: ClaimInfo, b: ClaimInfo, terms: StoryTerms, cos_words: float | None = None
                  ) -> np.ndarray:
    """The features of one pair, in the order of ``FEATURES`` (``cos_words`` defaults to ``cos``)."""
    return np.array(_row(cos, a, b, terms, cos_words), dtype=np.float64)


@dataclass(frozen=True)
class PairModel:
    """The fitted pair model for one embedder: logistic weights over ``FEATURES``, the linkage threshold facts are
    grouped by, the ``support`` floor a claim must reach to be cited (support.py), and the cosine below which two
    claims are never compared (``candidate_floor``)."""

    embedder: str
    coefficients: np.ndarray
    intercept: float
    threshold: float
    support: float
    candidate_floor: float
    path: Path

    def probability(self, features: np.ndarray) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-(np.atleast_2d(features) @ self.coefficients + self.intercept)))


def weights_file(embedder: str) -> Path:
    return DATA / f"alignment_weights.{embedder}.json"


@cache
def pair_model(embedder: str) -> PairModel:
    """The pair model fitted for ``embedder`` (a model name, ``Embedder.name``); fails loudly when there is none, or
    when the file names another embedder."""
    path = fitted_file(DATA, "alignment_weights", embedder)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("embedder") != embedder:
        raise SetupError(f"{path.name} was fitted for the embedder '{data.get('embedder')}', not '{embedder}'",
                         source=str(path), hint="refit it: python benchmarks/facts.py --fit")
    return PairModel(embedder, np.array([data["coefficients"][f] for f in FEATURES]), float(data["intercept"]),
                     float(data["threshold"]), float(data.get("support", data["threshold"])),
                     float(data.get("candidate_floor", CANDIDATE_FLOOR)), path)


def model_for(embedder: Embedder) -> PairModel:
    """The pair model fitted for the embedder that is running (its cosine feature means nothing for another)."""
    return pair_model(embedder.name)


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


def score(infos: list[ClaimInfo], vectors: np.ndarray, groups: list[str], terms: StoryTerms, model: PairModel,
          word_vectors: np.ndarray | None = None) -> dict[tuple[int, int], float]:
    """Probability that two claims (rows of ``infos`` and ``vectors``) state the same fact, for every candidate pair
    of rows of different ``groups`` (sources)."""
    pairs = candidate_pairs(vectors, groups, floor=model.candidate_floor)
    if not pairs:
        return {}
    keys = list(pairs)
    words = word_vectors if word_vectors is not None else vectors
    feats = np.array([_row(pairs[(i, j)], infos[i], infos[j], terms, float(words[i] @ words[j])) for i, j in keys],
                     dtype=np.float64)
    return dict(zip(keys, model.probability(feats).tolist()))


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
