"""The batch pipeline's stages, engine-neutral: each is a class built from a plain config dict, loading its models
in ``__init__`` (once per worker process or Ray actor), called on an Arrow table and returning one. Nothing but
Arrow tables (of strings, numbers and bytes) goes in or out — never a spaCy ``Doc``, a model or an ``Article``
object — so the same classes run in a process pool (``--engine local``), in Ray actors (``--engine ray``) or
inline (one process).
"""

from __future__ import annotations

import json
from typing import Any

from ..options import Options

STAGES = ("extract", "embed", "analyse")


def _options(config: dict[str, Any]) -> Options:
    from pathlib import Path

    return Options(outlet_files=tuple(Path(p) for p in config.get("outlet_files", ())),
                   max_bytes=config.get("max_bytes", Options.max_bytes), embedder=config.get("embedder"))


class ExtractStage:
    """Pages and files (their bytes) → articles. In: ``source, kind, url, published, charset, data``. Out: one row
    per article or problem: ``source, article`` (the Article as JSON, or null) ``, problem`` (one line, or null)."""

    def __init__(self, config: dict[str, Any]) -> None:
        from ..ingest.load import registry_for

        self.options = _options(config)
        self.registry = registry_for(self.options)

    def __call__(self, table):
        import pyarrow as pa

        from ..ingest.load import read_payload
        from ..ingest.read import Payload

        sources, articles, problems = [], [], []
        for row in table.to_pylist():
            payload = Payload(row["source"], row["kind"], row["data"], url=row["url"], charset=row["charset"],
                              published=row["published"])
            result = read_payload(payload, self.options, self.registry)
            for article in result.articles:
                sources.append(row["source"])
                articles.append(article.model_dump_json())
                problems.append(None)
            for problem in result.problems:
                sources.append(row["source"])
                articles.append(None)
                problems.append(problem.line())
        return pa.table({"source": pa.array(sources, pa.string()), "article": pa.array(articles, pa.string()),
                         "problem": pa.array(problems, pa.string())})


class EmbedStage:
    """Articles → the clustering features of each. In: ``id, title, text, published``. Out: ``id, features``
    (``cluster.features.ArticleFeatures`` serialised)."""

    def __init__(self, config: dict[str, Any]) -> None:
        from ..nlp import load_embedder

        self.embedder = load_embedder(config.get("embedder"))

    def __call__(self, table):
        import pyarrow as pa

        from ..cluster.features import featurize

        rows = table.to_pylist()
        made = featurize([(r["id"], r["title"], r["text"], r["published"]) for r in rows], self.embedder)
        return pa.table({"id": pa.array([f.id for f in made], pa.string()),
                         "features": pa.array([f.to_bytes() for f in made], pa.binary())})


class AnalyseStage:
    """Stories → their reports. In: ``story, articles`` (a JSON list of the story's Articles). Out: ``story,
    report`` (the ``newsprism.report/1`` JSON, or null) ``, problem``. One story per row; spaCy and the embedder
    are loaded once per worker."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.options = _options(config)

    def __call__(self, table):
        import pyarrow as pa

        from ..api import analyze_articles
        from ..errors import NewsprismError
        from ..models import Article

        stories, reports, problems = [], [], []
        for row in table.to_pylist():
            members = [Article.model_validate(a) for a in json.loads(row["articles"])]
            stories.append(row["story"])
            try:
                reports.append(analyze_articles(members, options=self.options).to_json())
                problems.append(None)
            except NewsprismError as exc:
                reports.append(None)
                problems.append(exc.line())
        return pa.table({"story": pa.array(stories, pa.string()), "report": pa.array(reports, pa.string()),
                         "problem": pa.array(problems, pa.string())})


def stage_class(name: str):
    return {"extract": ExtractStage, "embed": EmbedStage, "analyse": AnalyseStage}[name]


__all__ = ["AnalyseStage", "EmbedStage", "ExtractStage", "STAGES", "stage_class"]
