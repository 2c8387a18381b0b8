"""Which story does a new article belong to? Online clustering of an article stream into event stories.

Each article is compared with a few candidate stories only — those sharing its rarest, heaviest terms, found in an
inverted index — so the cost per article stays flat as the stream grows. The similarity to a candidate combines
the cosine to the story's token centroid, to its name centroid, to its dense (model2vec) centroid, and the days
between the article and the story. Below the threshold the article starts a new story (Miranda et al. 2018).
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .features import ArticleFeatures, DocumentFrequencies


@dataclass(frozen=True)
class ClusterSettings:
    """Weights and threshold of the similarity model. The defaults were chosen on the tuning split of the AllSides
    dev stories (the first 1,000 stories) only; see docs/store-and-clustering.md and benchmarks/cluster.py."""

    token_weight: float = 0.5
    entity_weight: float = 0.0
    """Names add nothing beyond the tokens on the tuning split (the capitalised-word proxy repeats them); kept as a
    feature for text where it helps (weight 0 costs nothing but the counting)."""
    dense_weight: float = 0.5
    threshold: float = 0.50
    day_penalty: float = 0.02
    """Subtracted per day between the article and the story's mean date (no dates in the tuning data: set by hand
    so that a week apart costs about as much as a weak shared term)."""
    window_days: int = 7
    """Stories whose mean date is further than this from the article are not candidates at all."""
    index_terms: int = 12
    """How many of an article's heaviest tokens (and as many names) index and retrieve stories."""
    candidates: int = 30
    max_posting: int = 400
    """A term already shared by this many stories is too common to find candidates with (its list is not read)."""


@dataclass
class _Sparse:
    weights: dict[str, float] = field(default_factory=dict)
    squared_norm: float = 0.0

    def cosine(self, vector: dict[str, float]) -> float:
        if not self.squared_norm:
            return 0.0
        get = self.weights.get
        dot = sum(w * get(k, 0.0) for k, w in vector.items())
        return dot / math.sqrt(self.squared_norm)  # ``vector`` is unit-length

    def add(self, vector: dict[str, float]) -> None:
        get = self.weights.get
        dot = sum(w * get(k, 0.0) for k, w in vector.items())
        self.squared_norm += 2 * dot + sum(w * w for w in vector.values())
        for k, w in vector.items():
            self.weights[k] = get(k, 0.0) + w


@dataclass
class Story:
    id: str
    members: list[str] = field(default_factory=list)
    tokens: _Sparse = field(default_factory=_Sparse)
    entities: _Sparse = field(default_factory=_Sparse)
    dense: np.ndarray | None = None
    day_sum: int = 0
    dated: int = 0
    indexed: set[str] = field(default_factory=set)

    @property
    def day(self) -> float | None:
        return self.day_sum / self.dated if self.dated else None


def story_id_for(founder: str) -> str:
    """A story's id comes from the article that started it, so it stays the same as the story grows."""
    return "s" + hashlib.sha1(founder.encode("utf-8")).hexdigest()[:11]


class StoryClusterer:
    """Online clusterer. ``add`` decides an article's story; ``add_to`` replays a known assignment.

    >>> import numpy as np
    >>> from collections import Counter
    >>> from newsprism.cluster.features import ArticleFeatures
    >>> c = StoryClusterer()
    >>> v = np.ones(4, dtype=np.float32) / 2
    >>> a = c.add(ArticleFeatures("a", Counter(quake=2, tokyo=1), Counter(tokyo=1), v, None))
    >>> b = c.add(ArticleFeatures("b", Counter(quake=1, tokyo=1), Counter(tokyo=1), v, None))
    >>> a == b
    True
    """

    def __init__(self, settings: ClusterSettings | None = None):
        self.settings = settings or ClusterSettings()
        self.token_df = DocumentFrequencies()
        self.entity_df = DocumentFrequencies()
        self.stories: dict[str, Story] = {}
        self.postings: dict[str, list[str]] = defaultdict(list)

    def _vectors(self, features: ArticleFeatures) -> tuple[dict[str, float], dict[str, float]]:
        self.token_df.add(features.tokens.keys())
        self.entity_df.add(features.entities.keys())
        return self.token_df.weights(features.tokens), self.entity_df.weights(features.entities)

    def _keys(self, tokens: dict[str, float], entities: dict[str, float]) -> list[str]:
        n = self.settings.index_terms
        top_tokens = sorted(tokens, key=tokens.__getitem__, reverse=True)[:n]
        top_entities = sorted(entities, key=entities.__getitem__, reverse=True)[:n]
        return [f"t:{k}" for k in top_tokens] + [f"e:{k}" for k in top_entities]

    def _candidates(self, keys: list[str], tokens: dict[str, float], entities: dict[str, float]) -> list[str]:
        votes: dict[str, float] = defaultdict(float)
        for key in keys:
            posting = self.postings.get(key)
            if not posting or len(posting) > self.settings.max_posting:
                continue
            weight = tokens.get(key[2:], 0.0) if key[0] == "t" else entities.get(key[2:], 0.0)
            for story in posting:
                votes[story] += weight
        return sorted(votes, key=votes.__getitem__, reverse=True)[: self.settings.candidates]

    def similarity(self, story: Story, tokens, entities, features: ArticleFeatures) -> float | None:
        """The combined score, or None when the dates are too far apart for the same event."""
        s = self.settings
        days = 0.0
        if features.day is not None and story.day is not None:
            days = abs(features.day - story.day)
            if days > s.window_days:
                return None
        dense = 0.0
        if story.dense is not None:
            norm = float(np.linalg.norm(story.dense))
            dense = float(features.dense @ story.dense) / norm if norm else 0.0
        return (s.token_weight * story.tokens.cosine(tokens) + s.entity_weight * story.entities.cosine(entities)
                + s.dense_weight * dense - s.day_penalty * days)

    def best(self, features: ArticleFeatures) -> tuple[str | None, float, dict, dict, list[str]]:
        tokens, entities = self._vectors(features)
        keys = self._keys(tokens, entities)
        best_id, best_score = None, -math.inf
        for story_id in self._candidates(keys, tokens, entities):
            score = self.similarity(self.stories[story_id], tokens, entities, features)
            if score is not None and score > best_score:
                best_id, best_score = story_id, score
        return best_id, best_score, tokens, entities, keys

    def add(self, features: ArticleFeatures) -> str:
        """Place the article in its best story, or start a new one; returns the story id."""
        best_id, score, tokens, entities, keys = self.best(features)
        if best_id is None or score < self.settings.threshold:
            best_id = story_id_for(features.id)
            while best_id in self.stories:  # the same id given twice still starts a distinct story
                best_id = story_id_for(best_id)
        self._join(best_id, features, tokens, entities, keys)
        return best_id

    def add_to(self, story_id: str, features: ArticleFeatures) -> None:
        """Put an article into a story already decided (replaying a store), updating centroids and index."""
        tokens, entities = self._vectors(features)
        self._join(story_id, features, tokens, entities, self._keys(tokens, entities))

    def _join(self, story_id: str, features: ArticleFeatures, tokens, entities, keys) -> None:
        story = self.stories.get(story_id)
        if story is None:
            story = self.stories[story_id] = Story(story_id)
        story.members.append(features.id)
        story.tokens.add(tokens)
        story.entities.add(entities)
        story.dense = features.dense.copy() if story.dense is None else story.dense + features.dense
        if features.day is not None:
            story.day_sum += features.day
            story.dated += 1
        for key in keys:
            if key not in story.indexed:
                story.indexed.add(key)
                self.postings[key].append(story_id)


def cluster_features(features: Iterable[ArticleFeatures], settings: ClusterSettings | None = None) -> list[str]:
    """The story id of each article, in order, clustering them as a stream."""
    clusterer = StoryClusterer(settings)
    # The clusterer builds millions of small, acyclic objects; the cyclic collector would rescan them all again
    # and again (cost growing with the stream), so it is paused for the loop and resumed as it was.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return [clusterer.add(f) for f in features]
    finally:
        if was_enabled:
            gc.enable()
