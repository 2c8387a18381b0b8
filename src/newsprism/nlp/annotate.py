"""Annotations shared by all analysis stages: each article parsed once, each text embedded once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..lang import DEFAULT, resources
from ..models import Article
from .embed import WORDS, Embedder, load_embedder, thresholds, unit_rows
from . import pieces
from .pipeline import load_pipeline


class Annotations:
    """Lazily parses the story's articles and their titles (in one ``nlp.pipe`` batch per language) and embeds
    texts, caching all three.

    Stages ask for ``doc(article_id)`` or ``embed(texts)``; whichever stage asks first pays, the rest reuse.
    ``parses`` counts how many article texts went through spaCy, so tests can check nothing is parsed twice.
    ``nlp`` (one pipeline for every article) and ``embedder`` may be given, else they load on first use: the
    pipeline of each article's language (articles in a language without resources are read with the default
    language's, when a caller asks for them at all), and the embedder chosen by ``embedder_choice``.
    """

    def __init__(self, articles: Sequence[Article], nlp=None, embedder: Embedder | None = None,
                 embedder_name: str | None = None):
        self._articles = {a.id: a for a in articles}
        self._nlp = nlp
        self._embedder = embedder
        self._embedder_name = embedder_name
        self._docs: dict = {}
        self._title_docs: dict | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self._word_vectors: dict[str, np.ndarray] = {}
        self.parses = 0
        self.cuts: dict[str, list[tuple[int, int, int, int]]] = {}
        """Article id → the stretches of its text cut for parsing (``nlp.pieces.Plan.stretches``)."""

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = load_embedder(self._embedder_name)
        return self._embedder

    @property
    def word_embedder(self) -> Embedder:
        """The embedder of single words (``embed.WORDS``): the sentence embedder itself when it is that one."""
        embedder = self.embedder
        return embedder if embedder.name == load_embedder(WORDS).name else load_embedder(WORDS)

    def threshold(self, name: str) -> float:
        """A stage's cosine threshold for the sentence embedder these annotations use (``embed.thresholds``)."""
        return thresholds(self.embedder)[name]

    def word_threshold(self, name: str) -> float:
        """A cosine threshold between single words, for the word embedder."""
        return thresholds(self.word_embedder)[name]

    def nlp_for(self, article: Article):
        if self._nlp is not None:
            return self._nlp
        return load_pipeline(article.language if resources(article.language) is not None else DEFAULT)

    @property
    def nlp(self):
        """The default language's pipeline (or the one given)."""
        return self._nlp if self._nlp is not None else load_pipeline(DEFAULT)

    def _parse(self, articles: list[Article], text_of, cuts: dict | None = None) -> dict:
        """Parse ``text_of(article)`` for each article, one ``nlp.pipe`` batch per pipeline, in input order; the
        stretches cut for parsing go into ``cuts`` when given."""
        parsed: dict = {}
        by_pipeline: dict[int, tuple[object, list[Article]]] = {}
        for article in articles:
            nlp = self.nlp_for(article)
            by_pipeline.setdefault(id(nlp), (nlp, []))[1].append(article)
        for nlp, members in by_pipeline.values():
            for article, (doc, plan) in zip(members, pieces.parse(nlp, [text_of(a) for a in members])):
                parsed[article.id] = doc
                if plan.stretches and cuts is not None:
                    cuts[article.id] = plan.stretches
        return parsed

    def problems(self) -> list[tuple[str, str]]:
        """(article id, message) for each article whose text had to be parsed with sentence boundaries it does not
        have (``nlp.pieces``: a stretch of words without a sentence end, cut into pieces)."""
        found = []
        for article_id, stretches in self.cuts.items():
            start, end, words, _ = stretches[0]
            more = f" (and {len(stretches) - 1:,} more such stretches)" if len(stretches) > 1 else ""
            found.append((article_id, f"{words:,} words without a sentence end (characters {start:,}–{end:,}){more} "
                                      f"were parsed in pieces of {pieces.MAX_RUN_WORDS} words: sentences there are "
                                      "the pieces, not the text's"))
        return found

    def parse_all(self) -> None:
        todo = [a for a in self._articles.values() if a.id not in self._docs]
        self._docs.update(self._parse(todo, lambda a: a.text, self.cuts))
        self.parses += len(todo)

    def doc(self, article_id: str):
        if article_id not in self._docs:
            self.parse_all()
        return self._docs[article_id]

    def title_doc(self, article_id: str):
        """The parsed headline of an article (all titles parsed in one batch on first use); None if it has none."""
        if self._title_docs is None:
            titled = [a for a in self._articles.values() if a.title and a.title.strip()]
            self._title_docs = self._parse(titled, lambda a: a.title)
        return self._title_docs.get(article_id)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence embeddings of ``texts`` (one row each), computed once per distinct text."""
        return self._embed(texts, self.embedder, self._vectors)

    def embed_words(self, words: Sequence[str]) -> np.ndarray:
        """Unit-length vectors of single words (or short phrases) from the word embedder, computed once each."""
        return self._embed(words, self.word_embedder, self._word_vectors)

    @staticmethod
    def _embed(texts: Sequence[str], embedder: Embedder, cache: dict[str, np.ndarray]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in cache))
        if missing:
            cache.update(zip(missing, unit_rows(embedder.encode(missing))))
        if not texts:
            return np.zeros((0, embedder.dim), dtype=np.float32)
        return np.stack([cache[t] for t in texts])
