"""From inputs to stored, clustered, analysed stories: the store's three jobs, each incremental.

``ingest`` commits each article as soon as it is read; ``update_stories`` places only the articles without a story
(replaying the stored assignments to rebuild the clusterer); ``story_report`` re-analyses a story only when its
members or their text changed since the stored analysis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, NewsprismError
from ..ingest import LoadResult, load_articles
from ..ingest.feeds import FEED_SUFFIXES, feed_articles, feed_list, looks_like_feed
from ..ingest.read import is_url
from ..models import Report
from ..options import Options
from .base import Store, StoreUnavailable


@dataclass
class IngestResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[NewsprismError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inputs: int = 0
    failed_inputs: int = 0

    @property
    def stored(self) -> int:
        return self.added + self.updated + self.unchanged


def _from_url(url: str, options: Options, warnings: list[str]) -> Iterator[LoadResult]:
    from ..ingest.fetch import fetch

    fetched = fetch(url, options)
    if "xml" in fetched.content_type or "rss" in fetched.content_type or looks_like_feed(fetched.body):
        if looks_like_feed(fetched.body) or "rss" in fetched.content_type or "atom" in fetched.content_type:
            yield from feed_articles(fetched.body, url, options, warnings)
            return
    # An article page: read through the normal pipeline (it fetches again; pages are small and this keeps one
    # extraction path for every URL).
    yield load_articles([url], options)


def _results_for(spec: str, options: Options, warnings: list[str]) -> Iterator[LoadResult]:
    """The load results one input stands for: a feed list, a feed (URL or file), or anything ``extract`` reads."""
    if is_url(spec):
        yield from _from_url(spec, options, warnings)
        return
    path = Path(spec)
    if path.is_file() and path.suffix.lower() in FEED_SUFFIXES:
        from ..ingest.read import read_path

        yield from feed_articles(read_path(path, options, spec), spec, options, warnings)
        return
    if path.is_file() and path.suffix.lower() in {".txt", ".list"}:
        urls = feed_list(path)
        if urls is not None:
            for url in urls:
                try:
                    yield from _from_url(url, options, warnings)
                except NewsprismError as exc:
                    yield LoadResult(problems=[exc], inputs=1, failed_inputs=1)
            return
    yield load_articles([spec], options)


def ingest(store: Store, inputs: Iterable[str], options: Options | None = None, *,
           on_input: Callable[[str], None] | None = None,
           on_article: Callable[[str, str], None] | None = None) -> IngestResult:
    """Read every input into the store, one committed transaction per article. Problems are collected.

    ``on_article(id, outcome)`` is called after each commit (outcome: added, updated or unchanged).
    """
    options = options or Options()
    result = IngestResult()
    for spec in inputs:
        result.inputs += 1
        if on_input:
            on_input(spec)
        before = result.stored
        try:
            for loaded in _results_for(spec, options, result.warnings):
                result.problems += loaded.problems
                result.warnings += loaded.warnings
                for article in loaded.articles:
                    stored_id, outcome = store.upsert_article(article)
                    setattr(result, outcome, getattr(result, outcome) + 1)
                    if on_article:
                        on_article(stored_id, outcome)
        except StoreUnavailable:
            raise  # the store itself failed: nothing more can be kept, and what was committed stays
        except NewsprismError as exc:
            result.problems.append(exc)
        if result.stored == before:
            result.failed_inputs += 1
    return result


def update_stories(store: Store, settings=None) -> set[str]:
    """Give every article without a story one; returns the ids of the stories that gained or changed members.

    Stored assignments are replayed (they are never re-decided), then the new articles are clustered as one batch
    against them: a new article joins a known story, starts one, or binds two known stories into one (their
    members are then re-assigned to the older story).
    """
    from ..cluster import StoryClusterer, featurize

    stored = store.articles()
    if all(s.story for s in stored):
        return set()
    clusterer = StoryClusterer(settings)
    features = featurize([(s.article.id, s.article.title, s.article.text, s.article.published) for s in stored])
    fresh = []
    for item, feature in zip(stored, features):
        if item.story:
            clusterer.add_to(item.story, feature)
        else:
            fresh.append(feature)
    changed = clusterer.add_batch(fresh)
    store.assign(changed)
    return set(changed.values())


def story_report(store: Store, story_id: str) -> Report:
    """The analysis of one story: from the store when its members are unchanged, else analysed now and saved."""
    from ..api import analyze_articles

    articles = store.story_articles(story_id)
    if not articles:
        raise InputError(f"no story with id '{story_id}'", source=store.path,
                         hint="list the stories with: newsprism stories")
    digest = store.members_hash(story_id)
    saved = store.load_analysis(story_id, digest)
    if saved is not None:
        return Report.model_validate_json(saved)
    report = analyze_articles(articles)
    store.save_analysis(story_id, digest, report.to_json())
    return report
