"""The library's entry points: read inputs into articles, and analyse articles into a report."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone

from ._version import __version__
from .analysis import REPORT_SECTIONS, Stage, StoryContext, run_story
from .analysis.sources import language_problems
from .ingest import LoadResult, load_articles
from .models import Article, InputProblem, Report
from .nlp import Annotations
from .options import Options


def report_from(ctx: StoryContext) -> Report:
    """The report of a story whose stages have run: its report sections, as the stages made them."""
    report = Report(newsprism_version=__version__,
                    generated_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                    articles=list(ctx.articles))
    for section in REPORT_SECTIONS:
        if section in ctx.products:
            setattr(report, section, ctx.products[section])
    source_of = {a.id: a.source for a in ctx.articles}
    report.problems = language_problems(ctx.articles) + [
        InputProblem(source=source_of.get(article, article), message=message)
        for article, message in ctx.annotations.problems()]
    return report


def analyze_articles(articles: Sequence[Article], *, stages: Sequence[Stage] | None = None,
                     annotations: Annotations | None = None, options: Options | None = None) -> Report:
    """Analyse articles already read (one story) into a report.

    >>> from newsprism.models import Article
    >>> report = analyze_articles([Article(id="a1", source="-", text="The bridge reopened on Monday.")])
    >>> report.schema_, [a.id for a in report.articles]
    ('newsprism.report/1', ['a1'])
    """
    options = options or Options()
    annotations = annotations or Annotations(articles, embedder_name=options.embedder)
    return report_from(run_story(articles, stages=stages, annotations=annotations))


def analyze(inputs: Iterable[str], options: Options | None = None, *,
            on_input: Callable[[str], None] | None = None) -> tuple[Report, LoadResult]:
    """Read ``inputs`` (paths, folders, URLs, '-') and analyse them as one story.

    Returns the report and the load result (with the problems met while reading, also listed in the report).
    """
    options = options or Options()
    loaded = load_articles(inputs, options, on_input=on_input)
    report = analyze_articles(loaded.articles, options=options)
    report.problems = [InputProblem(source=p.source or "", message=str(p)) for p in loaded.problems] + report.problems
    return report, loaded
