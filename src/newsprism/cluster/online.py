"""Which story does an article belong to? Incremental clustering of an article stream into event stories.

Three steps, each with a cost that grows with the number of new articles, not with the size of the stream:

1. **Candidates.** Each article is indexed under its heaviest terms; a new article reads, in the posting lists of
   its own heaviest terms, the entries indexed around it (its neighbours in time, within the date window) and keeps
   the articles that share the most weight with it (Miranda et al., EMNLP 2018, retrieve candidate clusters the
   same way).
2. **Pair model.** Each new article is scored against its nearest candidates by a logistic regression fitted on
   development data (``benchmarks/cluster.py --fit``; weights per embedder in data/pair_weights.<embedder>.json):
   the dot product of their TF-IDF vectors over the terms they are indexed under, the cosine of their headlines'
   TF-IDF vectors and of their sentence vectors, and how the pair's similarity compares with the best and the k-th
   best similarity each of the two articles has to anything else. The last features say "these two are each other's closest match", which
   separates one event from a busy topic far better than any absolute threshold (B-cubed F1 +0.06 on the tuning
   split).
3. **Average linkage.** Known stories (as wholes) and the new articles are merged, strongest link first, while the
   mean pair probability between two groups (pairs never scored count 0) stays above the threshold. A new article
   thus joins a known story, starts one with other new articles, or stays alone; two known stories merge only when
   new articles bind them strongly.

Given all articles at once (``cluster_features``), step 3 is plain average-linkage clustering of the candidate
graph, independent of input order. Dates, when known, keep articles more than ``window_days`` apart from being
candidates and lower the pair's score by ``day_penalty`` logits per day (hand-set: the development stories carry
no dates).
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import heapq
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np

from .features import ArticleFeatures, DocumentFrequencies

DATA = Path(__file__).resolve().parent / "data"
FEATURES = ("tokens", "title", "dense", "gap_best_a", "gap_best_b", "gap_kth_a", "gap_kth_b")


def weights_file(embedder: str) -> Path:
    return DATA / f"pair_weights.{embedder}.json"


def check_embedder(embedder) -> None:
    """Fail loudly when no pair model is fitted for ``embedder`` (or its file names another)."""
    pair_weights(embedder.name)


@cache
def pair_weights(embedder: str | None = None) -> dict:
    """The fitted pair model: ``coefficients`` (in the order of ``FEATURES``), ``intercept``, ``threshold``,
    ``background`` (typical k-th best similarity) and ``min_similarity`` (below it no pair is scored)."""
    from ..errors import SetupError
    from ..nlp.embed import embedder_name, fitted_file

    embedder = embedder or embedder_name()
    path = fitted_file(DATA, "pair_weights", embedder)
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("embedder") != embedder:
        raise SetupError(f"{path.name} was fitted for the embedder '{data.get('embedder')}', not '{embedder}'",
                         source=str(path), hint="refit it: python benchmarks/cluster.py --fit")
    data["coefficients"] = np.array([data["coefficients"][name] for name in FEATURES], dtype=np.float64)
    return data


@dataclass(frozen=True)
class ClusterSettings:
    """How candidates are found and pairs merged. The threshold defaults to the one fitted with the pair model on
    the tuning split of the AllSides dev stories; see docs/store-and-clustering.md and benchmarks/cluster.py."""

    threshold: float | None = None
    """Mean pair probability two groups need to merge; None takes the fitted one from its weights file."""
    neighbours: int = 10
    """Pairs scored per new article: its closest candidates."""
    kth: int = 4
    """Which neighbour's similarity is the "k-th best" of the gap features."""
    retrieve: int = 40
    """Candidates (by shared term weight) whose similarity is computed exactly."""
    index_terms: int = 30
    """How many of an article's heaviest tokens index and retrieve it."""
    posting_reads: int = 100
    """Only this many entries of a posting list are read, those that arrived around the article: a common term's
    distant articles are rarely the same event, and the cap bounds the work per article."""
    edge_floor: float = 0.05
    """Pair probabilities below this are dropped from the graph (they could never lift a mean above threshold)."""
    window_days: int = 7
    """Articles further apart than this are never candidates."""
    day_penalty: float = 0.3
    """Logits subtracted from a pair's score per day between the two articles."""

    def __post_init__(self) -> None:
        from ..options import OptionError

        if self.threshold is not None and not self.threshold >= 0.0:
            raise OptionError(f"the cluster threshold is a mean pair probability (0 or more; above 1 nothing merges), "
                              f"not {self.threshold!r} — leave it unset for the fitted one")
        for name in ("neighbours", "kth", "retrieve", "index_terms", "posting_reads"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise OptionError(f"cluster setting {name} must be a whole number of 1 or more, not {value!r}")
        if self.kth > self.retrieve:
            raise OptionError(f"cluster setting kth ({self.kth}) cannot exceed retrieve ({self.retrieve}): the k-th "
                              "best candidate must be among those retrieved")
        if not 0.0 <= self.edge_floor < 1.0:
            raise OptionError(f"cluster setting edge_floor must be in [0, 1), not {self.edge_floor!r}")
        if self.window_days < 0 or self.day_penalty < 0:
            raise OptionError("cluster settings window_days and day_penalty cannot be negative")


def story_id_for(founder: str) -> str:
    """A story's id comes from the article that started it, so it stays the same as the story grows."""
    return "s" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:11]


@dataclass
class _Article:
    id: str
    title: dict[str, float]
    day: int | None
    keys: dict[str, float]
    """The heaviest terms, which index the article, with their TF-IDF weights."""
    story: str | None = None
    stats: tuple[float, float] | None = None
    """(best, k-th best) similarity to any other article, computed when first needed in a batch."""


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(w * get(k, 0.0) for k, w in a.items())


@dataclass
class _Graph:
    """Groups and the summed pair probabilities between them, for average-linkage merging."""

    sizes: dict[str, int] = field(default_factory=dict)
    links: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))

    def add_edge(self, a: str, b: str, p: float) -> None:
        if a != b:
            self.links[a][b] = self.links[a].get(b, 0.0) + p
            self.links[b][a] = self.links[b].get(a, 0.0) + p

    def merge(self, threshold: float, keep: Callable[[str, str], str]) -> dict[str, str]:
        """Merge greedily, highest mean link first, while it is ≥ ``threshold``; returns group → surviving group.

        ``keep(a, b)`` says which of two merging groups gives the result its name.
        """
        heap = [(-w / (self.sizes[a] * self.sizes[b]), a, b) for a, row in self.links.items() for b, w in row.items()
                if a < b]
        heapq.heapify(heap)
        into: dict[str, str] = {}
        while heap:
            negative, a, b = heapq.heappop(heap)
            if -negative < threshold:
                break
            if a in into or b in into:
                continue
            mean = self.links[a].get(b, 0.0) / (self.sizes[a] * self.sizes[b])
            if not math.isclose(mean, -negative):
                continue  # stale: a fresher entry for this pair is in the heap
            winner = keep(a, b)
            loser = b if winner == a else a
            into[loser] = winner
            self.sizes[winner] += self.sizes.pop(loser)
            for other, w in self.links.pop(loser).items():
                del self.links[other][loser]
                if other != winner:
                    self.links[winner][other] = self.links[winner].get(other, 0.0) + w
                    self.links[other][winner] = self.links[winner][other]
            for other, w in self.links[winner].items():
                x, y = (winner, other) if winner < other else (other, winner)
                heapq.heappush(heap, (-w / (self.sizes[winner] * self.sizes[other]), x, y))
        resolved = {}
        for group in into:
            root = group
            while root in into:
                root = into[root]
            resolved[group] = root
        return resolved


class StoryClusterer:
    """Incremental clusterer. ``add_batch`` places new articles; ``add_to`` replays a known assignment.

    >>> import numpy as np
    >>> from collections import Counter
    >>> from newsprism.cluster.features import ArticleFeatures
    >>> c = StoryClusterer()
    >>> v = np.ones(4, dtype=np.float32) / 2
    >>> a = c.add(ArticleFeatures("a", Counter(quake=2, tokyo=1), Counter(quake=1), v, None))
    >>> b = c.add(ArticleFeatures("b", Counter(quake=1, tokyo=1), Counter(quake=1), v, None))
    >>> a == b
    True
    """

    def __init__(self, settings: ClusterSettings | None = None, embedder: str | None = None):
        self.settings = settings or ClusterSettings()
        model = pair_weights(embedder)
        self.coefficients, self.intercept = model["coefficients"], model["intercept"]
        self.background, self.min_similarity = model["background"], model["min_similarity"]
        self.threshold = model["threshold"] if self.settings.threshold is None else self.settings.threshold
        self.token_df = DocumentFrequencies()
        self.title_df = DocumentFrequencies()
        self.articles: list[_Article] = []
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        """Dense vectors, one row per article; grown by doubling so that adding one article costs O(1) amortised."""
        self.postings: dict[str, list[tuple[int, float, int | None]]] = defaultdict(list)
        """Term → (article, the term's weight in it, its day), in index order."""
        self.stories: dict[str, list[int]] = {}
        self.founded: dict[str, int] = {}
        """Position in the stream of each story's first article: the older of two merging stories keeps its id."""

    # -- indexing -------------------------------------------------------------------------------------------------

    def _index(self, features: Sequence[ArticleFeatures]) -> range:
        """Add articles to the index (document frequencies first, so a batch sees its own terms)."""
        for f in features:
            self.token_df.add(f.tokens.keys())
            self.title_df.add(f.title.keys())
        first = len(self.articles)
        if features:
            needed = first + len(features)
            if needed > len(self._vectors):
                grown = np.zeros((max(needed, 2 * len(self._vectors)), len(features[0].dense)), dtype=np.float32)
                if first:
                    grown[:first] = self._vectors[:first]
                self._vectors = grown
            self._vectors[first:needed] = np.stack([f.dense for f in features])
        n = self.settings.index_terms
        for offset, f in enumerate(features):
            tokens = self.token_df.weights(f.tokens)
            keys = {k: tokens[k] for k in sorted(tokens, key=tokens.__getitem__, reverse=True)[:n]}
            self.articles.append(_Article(f.id, self.title_df.weights(f.title), f.day, keys))
            for key, weight in keys.items():
                self.postings[key].append((first + offset, weight, f.day))
        return range(first, len(self.articles))

    def _candidates(self, i: int) -> list[tuple[int, float, float, float]]:
        """(j, similarity, token similarity, dense cosine) of ``i``'s closest candidates, best first.

        The token similarity is the dot product of the two TF-IDF vectors over the terms both are indexed under
        (their heaviest): read off the posting lists, it needs no second pass over the articles' words.
        """
        s = self.settings
        me = self.articles[i]
        votes: dict[int, float] = defaultdict(float)
        half = s.posting_reads // 2
        day, window = me.day, s.window_days
        for key, weight in me.keys.items():
            posting = self.postings[key]
            # Walk outwards from this article's place in the list (the list is in index order, and a batch is
            # indexed in date order): at most ``half`` entries each way, and, for a dated article, only until an
            # entry falls outside the window — so the work follows the stream's density, not its length.
            at = bisect.bisect_left(posting, (i,))
            for j, theirs, when in reversed(posting[max(0, at - half):at]):
                if day is not None and when is not None and day - when > window:
                    break
                votes[j] += weight * theirs
            for j, theirs, when in posting[at:at + half]:
                if day is not None and when is not None and when - day > window:
                    break
                votes[j] += weight * theirs
        votes.pop(i, None)
        if not votes:
            return []
        ranked = [(j, votes[j]) for j in heapq.nlargest(s.retrieve, votes, key=votes.__getitem__)]
        dense = self._vectors[[j for j, _ in ranked]] @ self._vectors[i]
        scored = [(j, (t + d) / 2, t, d) for (j, t), d in zip(ranked, dense.tolist())]
        scored.sort(key=lambda x: -x[1])
        return scored

    def _stats(self, i: int, candidates=None) -> tuple[float, float]:
        me = self.articles[i]
        if me.stats is None:
            sims = [c[1] for c in (candidates if candidates is not None else self._candidates(i))]
            k = self.settings.kth
            # In a small batch an article may have fewer than k neighbours, and "closest match" says little: the
            # missing k-th best is taken to be the typical one of a large stream (the background, fitted with the
            # model).
            me.stats = (sims[0] if sims else 0.0, sims[k - 1] if len(sims) >= k else self.background)
        return me.stats

    # -- scoring --------------------------------------------------------------------------------------------------

    def pair_rows(self, new: Iterable[int]) -> list[tuple[int, int, np.ndarray]]:
        """(i, j, features) of every pair the new articles form with their closest candidates (each pair once)."""
        new = list(new)
        lists = {i: self._candidates(i) for i in new}
        known = {j for i in new for j, *_ in lists[i][: self.settings.neighbours]} - set(new)
        for j in known:
            self.articles[j].stats = None  # the new articles may be closer than anything it had
        for i in new:
            self._stats(i, lists[i])
        rows: dict[tuple[int, int], np.ndarray] = {}
        for i in new:
            for j, sim, t, d in lists[i][: self.settings.neighbours]:
                key = (min(i, j), max(i, j))
                if key in rows or sim < self.min_similarity:
                    continue
                best_i, kth_i = self._stats(i)
                best_j, kth_j = self._stats(j)
                title = _cosine(self.articles[i].title, self.articles[j].title)
                rows[key] = np.array([t, title, d, sim - best_i, sim - best_j, sim - kth_i, sim - kth_j])
        return [(i, j, x) for (i, j), x in rows.items()]

    def probabilities(self, rows: list[tuple[int, int, np.ndarray]]) -> list[tuple[int, int, float]]:
        if not rows:
            return []
        x = np.stack([r[2] for r in rows])
        logits = x @ self.coefficients + self.intercept
        days = np.array([abs(self.articles[i].day - self.articles[j].day)
                         if self.articles[i].day is not None and self.articles[j].day is not None else 0
                         for i, j, _ in rows], dtype=np.float64)
        # Clipped: articles years apart give logits far below -700, where exp overflows (p is 0 either way).
        p = 1.0 / (1.0 + np.exp(-np.clip(logits - self.settings.day_penalty * days, -500.0, 500.0)))
        return [(i, j, float(q)) for (i, j, _), q in zip(rows, p)]

    # -- clustering -----------------------------------------------------------------------------------------------

    def add_batch(self, features: Sequence[ArticleFeatures]) -> dict[str, str]:
        """Place new articles; returns article id → story id for every article whose story is new or changed
        (the new articles, and the members of a known story that merged into another)."""
        return self._place(features)[0]

    def _place(self, features: Sequence[ArticleFeatures]) -> tuple[dict[str, str], list[int]]:
        """``add_batch``, also giving the index each input got: a batch is indexed in date order (undated last),
        so that an article's neighbours in the posting lists are its neighbours in time."""
        if not features:
            return {}, []
        order = sorted(range(len(features)), key=lambda k: (features[k].day is None, features[k].day or 0))
        new = self._index([features[k] for k in order])
        positions = [0] * len(features)
        for rank, k in enumerate(order):
            positions[k] = new[rank]
        graph = _Graph()
        group_of = {}
        for i in new:
            group_of[i] = f"n{i}"
            graph.sizes[f"n{i}"] = 1
        floor = self.settings.edge_floor
        for i, j, p in self.probabilities(self.pair_rows(new)):
            if p < floor:
                continue
            for k in (i, j):
                if k not in group_of:
                    story = self.articles[k].story
                    group_of[k] = f"s{story}"
                    graph.sizes[f"s{story}"] = len(self.stories[story])
            graph.add_edge(group_of[i], group_of[j], p)

        def first(group: str) -> int:
            return self.founded[group[1:]] if group[0] == "s" else int(group[1:])

        into = graph.merge(self.threshold, lambda a, b: a if first(a) <= first(b) else b)
        changed: dict[str, str] = {}
        for i in new:
            root = into.get(group_of[i], group_of[i])
            if root[0] == "s":
                story = root[1:]
            else:
                story = story_id_for(self.articles[int(root[1:])].id)
                while story in self.stories and self.founded[story] != int(root[1:]):
                    story = story_id_for(story)  # the same article id given twice still starts a new story
                self.founded.setdefault(story, int(root[1:]))
            self._assign(i, story)
            changed[self.articles[i].id] = story
        for group, root in into.items():
            if group[0] == "s" and root[0] == "s":
                for k in self.stories.pop(group[1:]):
                    self._assign(k, root[1:])
                    changed[self.articles[k].id] = root[1:]
        return changed, positions

    def _assign(self, i: int, story: str) -> None:
        self.articles[i].story = story
        self.stories.setdefault(story, []).append(i)
        self.founded.setdefault(story, i)

    def add(self, features: ArticleFeatures) -> str:
        """Place one article; returns its story id."""
        return self.add_batch([features])[features.id]

    def add_to(self, story_id: str, features: ArticleFeatures) -> None:
        """Put an article into a story already decided (replaying a store)."""
        (i,) = self._index([features])
        self._assign(i, story_id)


def cluster_features(features: Iterable[ArticleFeatures], settings: ClusterSettings | None = None,
                     embedder: str | None = None) -> list[str]:
    """The story id of each article, in order, clustering them all as one batch (``embedder``: the model name the
    features' vectors come from; default: the chosen embedder's)."""
    features = list(features)
    clusterer = StoryClusterer(settings, embedder)
    # The clusterer builds millions of small, acyclic objects; the cyclic collector would rescan them all again
    # and again, so it is paused for the work and resumed as it was.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        _, positions = clusterer._place(features)
    finally:
        if was_enabled:
            gc.enable()
    return [clusterer.articles[i].story for i in positions]
