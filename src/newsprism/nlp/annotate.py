"""Annotations shared by all analysis stages: each article parsed once, each sentence embedded once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..models import Article
from .embed import load_embedder
from .pipeline import load_pipeline


class Annotations:
    """Lazily parses the story's articles and their titles (each in one ``nlp.pipe`` batch) and embeds texts,
    caching all three.

    Stages ask for ``doc(article_id)`` or ``embed(texts)``; whichever stage asks first pays, the rest reuse.
    ``parses`` counts how many article texts went through spaCy, so tests can check nothing is parsed twice.
    """

    def __init__(self, articles: Sequence[Article], nlp=None, embedder=None):
        self._articles = {a.id: a for a in articles}
        self._nlp = nlp
        self._embedder = embedder
        self._docs: dict = {}
        self._title_docs: dict | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self.parses = 0

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_pipeline()
        return self._nlp

    def parse_all(self) -> None:
        todo = [a for a in self._articles.values() if a.id not in self._docs]
        for article, doc in zip(todo, self.nlp.pipe(a.text for a in todo)):
            self._docs[article.id] = doc
            self.parses += 1

    def doc(self, article_id: str):
        if article_id not in self._docs:
            self.parse_all()
        return self._docs[article_id]

    def title_doc(self, article_id: str):
        """The parsed headline of an article (all titles parsed in one batch on first use); None if it has none."""
        if self._title_docs is None:
            titled = [a for a in self._articles.values() if a.title and a.title.strip()]
            self._title_docs = dict(zip((a.id for a in titled), self.nlp.pipe(a.title for a in titled)))
        return self._title_docs.get(article_id)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings of ``texts`` (one row each), computed once per distinct text."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            if self._embedder is None:
                self._embedder = load_embedder()
            vectors = np.asarray(self._embedder.encode(missing), dtype=np.float32)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = vectors / np.where(norms == 0, 1, norms)
            self._vectors.update(zip(missing, vectors))
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        return np.stack([self._vectors[t] for t in texts])
