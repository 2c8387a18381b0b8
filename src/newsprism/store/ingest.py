"""From inputs to stored, clustered, analysed stories: the store's three jobs, each incremental.

``ingest`` commits each article as soon as it is read (through the one load path, ``ingest.stream_articles``),
and remembers inputs that failed for now (a ``TransientError``) so that ``ingest(retry=True)`` tries them again;
``update_stories`` places only the articles without a story (replaying the stored assignments, with the clustering
features kept in the store, so nothing already placed is embedded again); ``story_report`` re-analyses a story only
when its members or their text changed since the stored analysis.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..errors import InputError, NewsprismError, TransientError
from ..ingest import LoadResult, stream_articles, stream_bytes
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
    retried: int = 0
    """How many inputs recorded as failed for now were tried again."""
    ids: list[str] = field(default_factory=list)
    """The stored ids of the articles read, in order (an article read twice is listed twice)."""

    @property
    def stored(self) -> int:
        return self.added + self.updated + self.unchanged

    @property
    def transient(self) -> list[NewsprismError]:
        """Problems that may go away on a later run; each was recorded in the store for ``--retry``."""
        return [p for p in self.problems if isinstance(p, TransientError)]


def ingest(store: Store, inputs: Iterable[str], options: Options | None = None, *,
           on_input: Callable[[str], None] | None = None,
           on_article: Callable[[str, str], None] | None = None,
           retry: bool = False, uploads: Sequence[tuple[str, bytes]] = ()) -> IngestResult:
    """Read every input into the store, one committed transaction per article. Problems are collected.

    ``on_article(id, outcome)`` is called after each commit (outcome: added, updated or unchanged). With ``retry``,
    the inputs the store recorded as failed for now are read again after ``inputs``. ``uploads`` are (name, bytes)
    pairs a caller already holds (the server's uploads and request bodies), read after the inputs.
    """
    options = options or Options()
    result = IngestResult()
    specs = list(inputs)
    if retry:
        waiting = [source for source, _, _ in store.failures() if source not in specs]
        result.retried = len(waiting)
        specs += waiting
    for spec in specs:
        if on_input:
            on_input(spec)
        failed_for_now = _keep(store, (loaded for _, loaded in stream_articles([spec], options)), spec, result,
                               on_article)
        if spec not in failed_for_now:
            store.clear_failure(spec)
    for name, data in uploads:
        if on_input:
            on_input(name)
        _keep(store, stream_bytes(name, data, options), name, result, on_article, remember=False)
    return result


def _keep(store: Store, results: Iterable[LoadResult], spec: str, result: IngestResult,
          on_article: Callable[[str, str], None] | None, remember: bool = True) -> set[str]:
    """Commit the articles of one input; returns the sources that failed for now (recorded for a retry when the
    input can be read again, which bytes held by the caller cannot)."""
    result.inputs += 1
    before = result.stored
    failed_for_now: set[str] = set()
    for loaded in results:
        result.problems += loaded.problems
        result.warnings += loaded.warnings
        for problem in loaded.transient:
            failed_for_now.add(problem.source or spec)
            if remember:
                store.record_failure(problem.source or spec, problem.message)
        for article in loaded.articles:
            try:
                stored_id, outcome = store.upsert_article(article)
            except StoreUnavailable:
                raise  # the store itself failed: nothing more can be kept, and what was committed stays
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.ids.append(stored_id)
            if on_article:
                on_article(stored_id, outcome)
    if result.stored == before:
        result.failed_inputs += 1
    return failed_for_now


def update_stories(store: Store, settings=None, embedder=None) -> set[str]:
    """Give every article without a story one; returns the ids of the stories that gained or changed members.

    Stored assignments are replayed (they are never re-decided), then the new articles are clustered as one batch
    against them: a new article joins a known story, starts one, or binds two known stories into one (their
    members are then re-assigned to the older story).
    """
    from ..cluster import ArticleFeatures, StoryClusterer, featurize
    from ..cluster.online import check_embedder
    from ..nlp import load_embedder

    if not store.unassigned():
        return set()
    embedder = embedder or load_embedder()
    check_embedder(embedder)
    states = store.article_states()
    clusterer = StoryClusterer(settings, embedder.name)
    # Features are kept in the store per embedder and content: only new or changed articles are read and embedded.
    kept = store.features(embedder.name)
    todo = store.articles([i for i, digest, _ in states if kept.get(i, ("",))[0] != digest])
    made = featurize([(s.article.id, s.article.title, s.article.text, s.article.published) for s in todo], embedder)
    store.save_features(embedder.name, [(f.id, s.content_hash, f.to_bytes()) for s, f in zip(todo, made)])
    fresh_of = {f.id: f for f in made}
    fresh = []
    for article_id, _, story in states:
        feature = fresh_of.get(article_id) or ArticleFeatures.from_bytes(article_id, kept[article_id][1])
        if story:
            clusterer.add_to(story, feature)
        else:
            fresh.append(feature)
    changed = clusterer.add_batch(fresh)
    store.assign(changed)
    return set(changed.values())


def stale_stories(store: Store, options: Options | None = None) -> list[str]:
    """The stories whose stored analysis is missing or was made for other members (or another embedder), the most
    recently stored article's story first."""
    from ..nlp.embed import embedder_choice
    from .base import members_hash

    embedder = embedder_choice((options or Options()).embedder)
    analysed = store.analysed()
    members: dict[str, list[tuple[str, str]]] = {}
    for article_id, digest, story in store.article_states():
        if story:
            members.setdefault(story, []).append((article_id, digest))
            members[story] = members.pop(story)  # the latest article's story moves to the end
    stale = [s for s, pairs in members.items() if analysed.get(s) != f"{members_hash(pairs)}:{embedder}"]
    return stale[::-1]


def story_report(store: Store, story_id: str, *, save: bool = True, options: Options | None = None) -> Report:
    """The analysis of one story: from the store when its members are unchanged, else analysed now — and saved,
    unless ``save`` is False (a reader that must not write, such as a read-only server)."""
    from ..api import analyze_articles

    articles = store.story_articles(story_id)
    if not articles:
        raise InputError(f"no story with id '{story_id}'", source=store.url,
                         hint="list the stories with: newsprism stories")
    from ..nlp.embed import embedder_choice

    # The analysis depends on the members' content and on the embedder that aligned them.
    digest = f"{store.members_hash(story_id)}:{embedder_choice((options or Options()).embedder)}"
    saved = store.load_analysis(story_id, digest)
    if saved is not None:
        return Report.model_validate_json(saved)
    report = analyze_articles(articles, options=options)
    if save:
        store.save_analysis(story_id, digest, report.to_json())
    return report
