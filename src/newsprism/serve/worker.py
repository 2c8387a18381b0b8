"""The server's background work: keeping stored analyses current, ingest jobs, and the events readers follow.

Readers never write: a story page shows the stored analysis, and the ``Analyst`` thread re-analyses a story (and
saves it) when its members changed. Ingest (uploads, URLs, API posts) runs one job at a time under ``WRITE_LOCK``,
on the server's one writing connection; each job then wakes the analyst for the stories it changed and publishes
an event per story for ``/api/events``.
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..errors import NewsprismError
from ..options import Options
from ..store import Store
from ..store.ingest import IngestResult, ingest, story_report, update_stories

log = logging.getLogger("newsprism.serve")
WRITE_LOCK = threading.Lock()
"""One writer at a time in this process: ingest and clustering read then rewrite the story assignments."""
KEEP_EVENTS = 500


def log_internal(what: str, exc: BaseException) -> None:
    """A bug met by the server: one line in its log (the traceback only with NEWSPRISM_DEBUG=1), never a crash."""
    if os.environ.get("NEWSPRISM_DEBUG"):
        log.exception("newsprism serve: %s", what)
    else:
        log.error("newsprism serve: %s: internal error: %s: %s — please report it; set NEWSPRISM_DEBUG=1 for the "
                  "traceback", what, type(exc).__name__, exc)


class EventHub:
    """Story events (created, updated, analysed) for server-sent events; the last ``KEEP_EVENTS`` are kept so a
    reader that reconnects with ``Last-Event-ID`` misses none of them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._events: deque[tuple[int, str, dict]] = deque(maxlen=KEEP_EVENTS)
        self._ids = itertools.count(1)

    def publish(self, kind: str, data: dict) -> None:
        with self._lock:
            self._events.append((next(self._ids), kind, data))

    def since(self, last_id: int) -> list[tuple[int, str, dict]]:
        with self._lock:
            return [e for e in self._events if e[0] > last_id]

    @property
    def last_id(self) -> int:
        with self._lock:
            return self._events[-1][0] if self._events else 0


class Analyst(threading.Thread):
    """Analyses, one at a time and newest first, every story whose stored analysis is missing or out of date."""

    def __init__(self, store: Store, options: Options, hub: EventHub,
                 order: Callable[[], Sequence[str]]) -> None:
        super().__init__(name="newsprism-analyst", daemon=True)
        self.store, self.options, self.hub, self.order = store, options, hub, order
        self._wake = threading.Condition()
        self._pending: OrderedDict[str, None] = OrderedDict()
        self._scan = True
        self._stopped = False
        self.current: str | None = None
        self.failed: dict[str, str] = {}
        self.done = 0

    def wake(self, story_ids: Sequence[str] | None = None) -> None:
        """Queue these stories (None: look at every story) and wake the thread."""
        with self._wake:
            if story_ids is None:
                self._scan = True
            for story in story_ids or ():
                self._pending[story] = None
                self._pending.move_to_end(story, last=False)  # the newest change first
                self.failed.pop(story, None)
            self._wake.notify()

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def queued(self) -> int:
        with self._wake:
            return len(self._pending)

    def state(self, story_id: str) -> str:
        if self.current == story_id:
            return "analysing"
        with self._wake:
            if story_id in self._pending or self._scan:
                return "queued"
        return "failed" if story_id in self.failed else "current"

    def run(self) -> None:
        while True:
            with self._wake:
                while not self._stopped and not self._pending and not self._scan:
                    self._wake.wait()
                if self._stopped:
                    return
                scan, self._scan = self._scan, False
            if scan:
                self._queue_stale()
                continue
            with self._wake:
                if not self._pending:
                    continue
                story, _ = self._pending.popitem(last=False)
                self.current = story
            try:
                self._analyse(story)
            finally:
                self.current = None

    def _queue_stale(self) -> None:
        from ..nlp.embed import embedder_choice

        try:
            analysed = self.store.analysed()
            embedder = embedder_choice(self.options.embedder)
            stale = [s for s in self.order()
                     if analysed.get(s) != f"{self.store.members_hash(s)}:{embedder}"]
        except NewsprismError as exc:
            log.error("newsprism serve: cannot look for stories to analyse: %s", exc.line())
            return
        with self._wake:
            for story in stale:
                self._pending.setdefault(story, None)

    def _analyse(self, story: str) -> None:
        started = time.monotonic()
        try:
            before = self.store.latest_analysis(story)
            report = story_report(self.store, story, save=True, options=self.options)
        except NewsprismError as exc:
            self.failed[story] = exc.line()
            log.error("newsprism serve: story %s not analysed: %s", story, exc.line())
            return
        except Exception as exc:  # a bug in one story's analysis must not stop the others' (nor the server)
            self.failed[story] = f"internal error: {type(exc).__name__}: {exc}"
            log_internal(f"story {story} not analysed", exc)
            return
        self.done += 1
        after = self.store.latest_analysis(story)
        if after != before:
            self.hub.publish("analysed", {"story": story, "facts": len(report.facts),
                                          "seconds": round(time.monotonic() - started, 2)})


@dataclass
class IngestJob:
    id: str
    inputs: list[str]
    state: str = "running"
    """running, done or failed."""
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    articles: list[str] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    finished: float | None = None

    def as_json(self) -> dict:
        return {"id": self.id, "state": self.state, "inputs": self.inputs, "added": self.added,
                "updated": self.updated, "unchanged": self.unchanged, "articles": self.articles,
                "stories": self.stories, "problems": self.problems}


class Ingester:
    """Ingest jobs on the server's writing connection, one at a time; the last 100 jobs are kept for their pages."""

    def __init__(self, store: Store, options: Options, hub: EventHub, after: Callable[[list[str]], None]) -> None:
        self.store, self.options, self.hub, self.after = store, options, hub, after
        self.jobs: OrderedDict[str, IngestJob] = OrderedDict()
        self._ids = itertools.count(1)
        self._embedder = None
        self.counts = {"added": 0, "updated": 0, "unchanged": 0, "problems": 0}

    def new_job(self, inputs: list[str]) -> IngestJob:
        job = IngestJob(id=f"{int(time.time())}-{next(self._ids)}", inputs=inputs)
        self.jobs[job.id] = job
        while len(self.jobs) > 100:
            self.jobs.popitem(last=False)
        return job

    def run(self, job: IngestJob, urls: Sequence[str] = (), uploads: Sequence[tuple[str, bytes]] = ()) -> IngestJob:
        """Ingest ``urls`` and ``uploads`` into the store, cluster the new articles, and wake the analyst."""
        from ..nlp import load_embedder

        def on_article(article_id: str, outcome: str) -> None:
            setattr(job, outcome, getattr(job, outcome) + 1)
            job.articles.append(article_id)

        try:
            with WRITE_LOCK:
                result: IngestResult = ingest(self.store, urls, self.options, on_article=on_article,
                                              uploads=uploads)
                if self._embedder is None:
                    self._embedder = load_embedder(self.options.embedder)
                known = {row.story for row in self.store.listing_rows()}
                changed = sorted(update_stories(self.store, embedder=self._embedder))
            job.problems = [p.line() for p in result.problems] + list(result.warnings)
            job.stories = sorted({s.story for s in self.store.articles(job.articles) if s.story})
            job.state = "done"
        except NewsprismError as exc:
            job.problems.append(exc.line())
            job.state = "failed"
            changed, known = [], set()
        except Exception as exc:  # one failed job must not take the server down; its reason is kept
            log_internal(f"ingest job {job.id} failed", exc)
            job.problems.append(f"error: internal error: {type(exc).__name__}: {exc} — please report it")
            job.state = "failed"
            changed, known = [], set()
        job.finished = time.time()
        for outcome in ("added", "updated", "unchanged"):
            self.counts[outcome] += getattr(job, outcome)
        self.counts["problems"] += len(job.problems)
        for story in changed:
            self.hub.publish("story", {"story": story, "change": "updated" if story in known else "created"})
        if changed:
            self.after(changed)
        return job

    def start(self, job: IngestJob, urls: Sequence[str] = (), uploads: Sequence[tuple[str, bytes]] = ()) -> None:
        threading.Thread(target=self.run, args=(job, urls, uploads), name=f"newsprism-ingest-{job.id}",
                         daemon=True).start()
