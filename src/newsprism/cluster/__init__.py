"""Grouping a stream of articles into event stories (online, incremental)."""

from .evaluate import bcubed
from .features import ArticleFeatures, featurize
from .online import ClusterSettings, StoryClusterer, cluster_features, story_id_for
from .records import cluster_records, read_cluster_input

__all__ = ["ArticleFeatures", "ClusterSettings", "StoryClusterer", "bcubed", "cluster_articles", "cluster_features",
           "cluster_records", "featurize", "read_cluster_input", "story_id_for"]


def cluster_articles(articles, settings: ClusterSettings | None = None) -> list[str]:
    """The story id of each ``Article`` (or object with id, title, text, published), in input order."""
    from ..nlp import load_embedder

    embedder = load_embedder()
    items = [(a.id, a.title, a.text, a.published) for a in articles]
    return cluster_features(featurize(items, embedder), settings, embedder.name)
