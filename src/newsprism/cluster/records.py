"""The stateless ``cluster`` command's input: articles read by the one load path, each with a unique id."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import InputError, NewsprismError
from ..ingest import load_articles
from ..ingest.load import rename_warning
from ..models import Article
from ..options import Options


def read_cluster_input(inputs: Iterable[str], options: Options) -> tuple[list[Article], list[NewsprismError],
                                                                       list[str], int]:
    """(articles, problems, warnings, inputs that gave no article). A record whose id repeats an earlier record's is
    a problem and is skipped (its story could not be told apart from the first one's in the output)."""
    loaded = load_articles(inputs, options)
    problems: list[NewsprismError] = list(loaded.problems)
    articles, skipped = [], set()
    for article in loaded.articles:
        if article.id in loaded.renamed:
            wanted = loaded.renamed[article.id]
            skipped.add(rename_warning(article.source, wanted, article.id))
            problems.append(InputError(f"id '{wanted}' repeats the id of an earlier record", source=article.source,
                                       hint="ids must be unique; the repeat was skipped"))
        else:
            articles.append(article)
    warnings = [w for w in loaded.warnings if w not in skipped]
    return articles, problems, warnings, loaded.failed_inputs


def cluster_records(articles: list[Article], settings=None, embedder=None) -> list[str]:
    """The story id of each article, in order."""
    from .features import featurize
    from .online import cluster_features

    from ..nlp import load_embedder

    embedder = embedder or load_embedder()
    items = [(a.id, a.title, a.text, a.published) for a in articles]
    return cluster_features(featurize(items, embedder), settings, embedder.name)
