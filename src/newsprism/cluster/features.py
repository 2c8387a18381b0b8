"""What an article looks like to the story clusterer: its words (lead and headline), a dense vector and a date.

After Miranda et al. (EMNLP 2018, "Multilingual clustering of streaming news"): sparse TF-IDF over the words of
the lead, plus a dense sentence embedding (the vendored model2vec model). Names as a separate feature space, tried
as capitalised words and pairs of them, added nothing on the tuning split once words are weighted by rarity, and
a full NER pass is far too slow for a stream, so they are not used.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np

LEAD_CHARS = 1500
"""Characters of body text read after the title. The event is told in the lead; the rest is background that
dilutes it (and costs time on 1,000-word articles)."""
DENSE_CHARS = 600
EMBED_CHUNK = 1000

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*\d|\d")
_SENTENCE_END = re.compile(r"[.!?:;\"“”]\s*$")


@cache
def stopwords() -> frozenset[str]:
    text = (Path(__file__).parent / "data" / "stopwords.txt").read_text(encoding="utf-8")
    words = [w for line in text.splitlines() if not line.startswith("#") for w in line.split()]
    return frozenset(words)


@dataclass
class ArticleFeatures:
    """The clusterer's view of one article (term counts are raw; the clusterer weights them with its IDF)."""

    id: str
    tokens: Counter
    """Content-word counts of the headline and the start of the body."""
    title: Counter
    """Content-word counts of the headline alone."""
    dense: np.ndarray
    """Unit-length model2vec vector of the lead."""
    day: int | None
    """Days since 1970-01-01 of the publication date, or None when unknown."""


def _day(published: str | None) -> int | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal() - 719163
    except ValueError:
        return None


def lead_text(title: str | None, text: str, chars: int = LEAD_CHARS) -> str:
    """Title and the start of the body, cut at a word boundary."""
    body = text[:chars]
    if len(text) > chars:
        body = body.rsplit(" ", 1)[0]
    return f"{title or ''}\n{body}".strip()


def terms(text: str) -> Counter:
    """Counts of the lower-cased content words of ``text`` (stop words and possessive 's dropped).

    >>> counts = terms("Kerry's talks with the Foreign Minister in Oslo failed. The talks end.")
    >>> counts["talks"], counts["kerry"], "the" in counts
    (2, 1, False)
    """
    stop = stopwords()
    tokens: Counter = Counter()
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if word not in stop and len(word) > 1:
            tokens[word] += 1
    return tokens


def featurize(items: list[tuple[str, str | None, str, str | None]], embedder=None) -> list[ArticleFeatures]:
    """Features of (id, title, text, published) tuples; embeddings are computed in one batch."""
    leads = [lead_text(title, text) for _, title, text, _ in items]
    if embedder is None:
        from ..nlp import load_embedder

        embedder = load_embedder()
    dense_inputs = [lead[: DENSE_CHARS] for lead in leads]
    # Encoded in fixed-size chunks so that memory and time per article stay flat however long the stream.
    chunks = [np.asarray(embedder.encode(dense_inputs[i:i + EMBED_CHUNK]), dtype=np.float32)
              for i in range(0, len(dense_inputs), EMBED_CHUNK)]
    vectors = np.concatenate(chunks) if chunks else np.zeros((0, 1), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else None
    if norms is not None:
        vectors = vectors / np.maximum(norms, 1e-9)
    features = []
    for (article_id, title, _, published), lead, vector in zip(items, leads, vectors):
        tokens = terms(lead)
        # The headline states the event in the fewest words: its words count twice in the lead's vector, and the
        # pair model compares headlines on their own as well.
        headline = terms(title or "")
        tokens.update(headline)
        features.append(ArticleFeatures(article_id, tokens, headline, vector, _day(published)))
    return features


class DocumentFrequencies:
    """Online document frequencies: IDF as known at the moment an article arrives, as in a real stream."""

    def __init__(self) -> None:
        self.documents = 0
        self.counts: Counter = Counter()

    def add(self, keys) -> None:
        self.documents += 1
        self.counts.update(keys)

    def idf(self, key: str) -> float:
        return math.log((self.documents + 1) / (self.counts.get(key, 0) + 1)) + 1.0

    def weights(self, counts: Counter) -> dict[str, float]:
        """Unit-length TF-IDF weights (sublinear TF)."""
        weights = {k: (1.0 + math.log(c)) * self.idf(k) for k, c in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {k: w / norm for k, w in weights.items()}
