"""The library's entry points: read inputs into articles, and analyse articles into a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone

from ._version import __version__
from .analysis import Stage, StoryContext, default_stages, run_stages
from .ingest import LoadResult, load_articles
from .models import Article, InputProblem, Report
from .nlp import Annotations
from .options import Options


def analyze_articles(articles: Sequence[Article], *, stages: Sequence[Stage] | None = None,
                     annotations: Annotations | None = None) -> Report:
    """Analyse articles already read (one story) into a report.

    >>> from newsprism.models import Article
    >>> report = analyze_articles([Article(id="a1", source="-", text="The bridge reopened on Monday.")])
    >>> report.schema_, [a.id for a in report.articles]
    ('newsprism.report/1', ['a1'])
    """
    report = Report(newsprism_version=__version__,
                    generated_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                    articles=list(articles))
    ctx = StoryContext(list(articles), annotations or Annotations(articles), report)
    run_stages(stages if stages is not None else default_stages(), ctx)
    return report


def analyze(inputs: Iterable[str], options: Options | None = None, *,
            on_input: Callable[[str], None] | None = None) -> tuple[Report, LoadResult]:
    """Read ``inputs`` (paths, folders, URLs, '-') and analyse them as one story.

    Returns the report and the load result (with the problems met while reading, also listed in the report).
    """
    loaded = load_articles(inputs, options or Options(), on_input=on_input)
    report = analyze_articles(loaded.articles)
    report.problems = [InputProblem(source=p.source or "", message=str(p)) for p in loaded.problems]
    return report, loaded
