"""What an article looks like to the story clusterer: its words (lead and headline), a dense vector and a date.

After Miranda et al. (EMNLP 2018, "Multilingual clustering of streaming news"): sparse TF-IDF over the words of
the lead, plus a dense sentence embedding (the chosen embedder, ``nlp.embed``). Names as a separate feature space, tried
as capitalised words and pairs of them, added nothing on the tuning split once words are weighted by rarity, and
a full NER pass is far too slow for a stream, so they are not used.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..lang import Resources
from ..text.dates import parse_iso
from ..nlp.embed import unit_rows
from ..text.words import words

LEAD_CHARS = 1500
"""Characters of body text read after the title. The event is told in the lead; the rest is background that
dilutes it (and costs time on 1,000-word articles)."""
DENSE_CHARS = 600
EMBED_CHUNK = 1000



@cache
def stopwords(lang: Resources | None = None) -> frozenset[str]:
    """Function words and news furniture words that say nothing about which event an article covers: the union of
    every supported language's (a stream mixes languages, and clustering runs before any parse)."""
    from ..lang import supported

    if lang is not None:
        return lang.words("stopwords.txt")
    return frozenset().union(*(r.words("stopwords.txt") for r in supported()))


@dataclass
class ArticleFeatures:
    """The clusterer's view of one article (term counts are raw; the clusterer weights them with its IDF)."""

    id: str
    tokens: Counter
    """Content-word counts of the headline and the start of the body."""
    title: Counter
    """Content-word counts of the headline alone."""
    dense: np.ndarray
    """Unit-length embedding of the lead."""
    day: int | None
    """Days since 1970-01-01 of the publication date, or None when unknown."""

    def to_bytes(self) -> bytes:
        """The features as bytes for the store: a JSON header (terms, day, vector size), then the float32 vector."""
        header = json.dumps({"tokens": self.tokens, "title": self.title, "day": self.day,
                             "dim": int(self.dense.shape[0])}, ensure_ascii=False).encode("utf-8")
        return len(header).to_bytes(4, "big") + header + np.asarray(self.dense, dtype="<f4").tobytes()

    @classmethod
    def from_bytes(cls, article_id: str, data: bytes) -> ArticleFeatures:
        size = int.from_bytes(data[:4], "big")
        header = json.loads(data[4:4 + size].decode("utf-8"))
        dense = np.frombuffer(data[4 + size:], dtype="<f4").astype(np.float32)
        if dense.shape[0] != header["dim"]:
            raise ValueError(f"stored features of {article_id} are damaged")
        return cls(article_id, Counter(header["tokens"]), Counter(header["title"]), dense, header["day"])


def _day(published: str | None) -> int | None:
    day = parse_iso(published)
    return day.toordinal() - 719163 if day is not None else None


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
    for word in words(text):
        word = word.lower()
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
    from .online import check_embedder

    check_embedder(embedder)
    dense_inputs = [lead[: DENSE_CHARS] for lead in leads]
    # Encoded in fixed-size chunks so that memory and time per article stay flat however long the stream.
    chunks = [unit_rows(embedder.encode(dense_inputs[i:i + EMBED_CHUNK]))
              for i in range(0, len(dense_inputs), EMBED_CHUNK)]
    vectors = np.concatenate(chunks) if chunks else np.zeros((0, embedder.dim), dtype=np.float32)
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
