"""The server's background work: keeping stored analyses current, ingest jobs, and the events readers follow.

Readers never write: a story page shows the stored analysis, and the ``Analyst`` thread has a story re-analysed
(and saved) when its members changed. The heavy work — parsing, embedding, clustering, analysis — runs in one
worker *process* (``Worker``), one task at a time, with its own store connection and models: on two cores, work in
the server's own process would hold its interpreter lock and stall every page. Ingest jobs (uploads, URLs, API
posts) send their progress back through a queue; each finished job wakes the analyst for the stories it changed
and publishes an event per story for ``/api/events``.
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
from ..store.ingest import IngestResult, ingest, stale_stories, story_report, update_stories

log = logging.getLogger("newsprism.serve")
KEEP_EVENTS = 500


def log_internal(what: str, exc: BaseException) -> None:
    """A bug met by the server: one line in its log (the traceback only with NEWSPRISM_DEBUG=1), never a crash."""
    if os.environ.get("NEWSPRISM_DEBUG"):
        log.exception("newsprism serve: %s", what)
    else:
        log.error("newsprism serve: %s: internal error: %s: %s — please report it; set NEWSPRISM_DEBUG=1 for the "
                  "traceback", what, type(exc).__name__, exc)


# -- the worker process ---------------------------------------------------------------------------------------------

_progress = None       # the queue progress goes back on (set in the worker process)
_stores: dict = {}     # the worker process' store connections, by address
_embedders: dict = {}  # and its embedders, by name, loaded once


def _start_worker(queue) -> None:
    import signal

    global _progress
    _progress = queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle: it shuts this process down


def _store(db: str) -> Store:
    from ..store import open_store

    if db not in _stores:
        _stores[db] = open_store(db)
    return _stores[db]


def ingest_task(job_id: str, db: str, urls: Sequence[str], uploads: Sequence[tuple[str, bytes]],
                options: Options) -> dict:
    """Ingest and cluster, in the worker process; progress goes back on the queue every half second."""
    from ..nlp import load_embedder

    store = _store(db)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    articles: list[str] = []
    last = [0.0]

    def on_article(article_id: str, outcome: str) -> None:
        counts[outcome] += 1
        articles.append(article_id)
        if _progress is not None and time.monotonic() - last[0] > 0.5:
            last[0] = time.monotonic()
            _progress.put((job_id, dict(counts)))

    result: IngestResult = ingest(store, urls, options, on_article=on_article, uploads=uploads)
    embedder_name = options.embedder or ""
    if embedder_name not in _embedders:
        _embedders[embedder_name] = load_embedder(options.embedder)
    known = {story for _, _, story in store.article_states() if story}
    changed = sorted(update_stories(store, embedder=_embedders[embedder_name]))
    return {**counts, "articles": articles, "problems": [p.line() for p in result.problems] + list(result.warnings),
            "stories": sorted({s.story for s in store.articles(articles) if s.story}),
            "changed": [(story, "updated" if story in known else "created") for story in changed]}


def stale_task(db: str, options: Options) -> list[str]:
    """The stories whose stored analysis is missing or was made for other members (or another embedder)."""
    return stale_stories(_store(db), options)


def analyse_task(db: str, story: str, options: Options) -> tuple[bool, int]:
    """Analyse one story and keep the analysis (if it is not current already): (saved a new one?, facts)."""
    store = _store(db)
    before = store.latest_analysis(story)
    report = story_report(store, story, save=True, options=options)
    return store.latest_analysis(story) != before, len(report.facts)


class Worker:
    """The one worker process, started on first use, restarted if it dies; tasks run one at a time."""

    def __init__(self) -> None:
        import multiprocessing

        self._context = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks inherited
        self.progress = self._context.Queue()
        self._lock = threading.Lock()
        self._pool = None

    def _executor(self):
        from concurrent.futures import ProcessPoolExecutor

        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=self._context, initializer=_start_worker,
                                                 initargs=(self.progress,))
            return self._pool

    def call(self, function, *args):
        """Run ``function(*args)`` in the worker process and return its result (its exception is raised here)."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._executor().submit(function, *args).result()
        except BrokenProcessPool:
            with self._lock:
                self._pool = None  # the next call starts a new process
            raise NewsprismError("the worker process died (out of memory?); the task was not finished",
                                 source="newsprism serve", hint="the server goes on; try again") from None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
        self.progress.close()
        self.progress.cancel_join_thread()


def watch_process(db: str, options: Options, policy, changes, stop, level: int = logging.INFO) -> None:
    """``serve --watch``: follow the store's feeds in a process of its own (its requests, parsing and clustering
    never run in the answering process); after each round the stories that changed go back on ``changes``, and
    the server's analyst refreshes their analyses."""
    import signal

    from ..nlp import load_embedder
    from ..store import open_store
    from ..watch import Watcher, settle

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's: it sets ``stop``
    logging.basicConfig(level=level, format="%(message)s")
    store = open_store(db)
    watcher = Watcher(store, options, policy, on_problem=lambda p: log.warning("newsprism watch: %s", p.line()))
    threading.Thread(target=lambda: (stop.wait(), watcher.stop.set()), daemon=True).start()
    embedders: list = []

    def after_round(stats) -> None:
        if stats["due"]:
            log.info("newsprism watch: %s", stats.line())
        if stats.articles:
            embedders[:] = embedders or [load_embedder(options.embedder)]
            changes.put(sorted(settle(store, stats, embedders[0], options, analyse=False)))

    try:
        watcher.run(after_round=after_round)
    except NewsprismError as exc:
        log.error("newsprism watch: stopped: %s", exc.line())
    finally:
        store.close()


class FeedWatcher:
    """The watcher process of ``serve --watch``, and the thread that hands its changed stories to the server."""

    def __init__(self, db: str, options: Options, hub: "EventHub", after: Callable[[list[str]], None],
                 policy=None, quiet: bool = False) -> None:
        import multiprocessing

        from ..watch import WatchPolicy

        context = multiprocessing.get_context("spawn")
        self.hub, self.after = hub, after
        self.stop = context.Event()
        self.changes = context.Queue()
        self.process = context.Process(target=watch_process, name="newsprism-watch", daemon=True,
                                       args=(db, options, policy or WatchPolicy(), self.changes, self.stop,
                                             logging.WARNING if quiet else logging.INFO))
        self.rounds = 0

    def start(self) -> None:
        self.process.start()
        threading.Thread(target=self._follow, name="newsprism-watch-changes", daemon=True).start()

    def _follow(self) -> None:
        while True:
            try:
                stories = self.changes.get()
            except (EOFError, OSError, ValueError):
                return
            self.rounds += 1
            for story in stories:
                self.hub.publish("story", {"story": story, "change": "updated", "by": "watch"})
            if stories:
                try:
                    self.after(stories)
                except Exception as exc:  # the server goes on
                    log_internal("after a watch round", exc)

    def close(self) -> None:
        self.stop.set()
        self.process.join(timeout=10)
        if self.process.is_alive():
            self.process.terminate()  # a request in flight: its lease lapses and the next watcher reads it again
            self.process.join(timeout=5)
        self.changes.close()
        self.changes.cancel_join_thread()


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

    def __init__(self, db: str, options: Options, hub: EventHub, worker: Worker,
                 order: Callable[[], Sequence[str]]) -> None:
        super().__init__(name="newsprism-analyst", daemon=True)
        self.db, self.options, self.hub, self.worker, self.order = db, options, hub, worker, order
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
        try:
            stale = set(self.worker.call(stale_task, self.db, self.options))
        except NewsprismError as exc:
            log.error("newsprism serve: cannot look for stories to analyse: %s", exc.line())
            return
        except Exception as exc:  # a bug must not stop the analyst (nor the server)
            log_internal("looking for stories to analyse", exc)
            return
        with self._wake:
            for story in [s for s in self.order() if s in stale] + sorted(stale - set(self.order())):
                self._pending.setdefault(story, None)

    def _analyse(self, story: str) -> None:
        started = time.monotonic()
        try:
            saved, facts = self.worker.call(analyse_task, self.db, story, self.options)
        except NewsprismError as exc:
            self.failed[story] = exc.line()
            log.error("newsprism serve: story %s not analysed: %s", story, exc.line())
            return
        except Exception as exc:  # a bug in one story's analysis must not stop the others' (nor the server)
            self.failed[story] = f"internal error: {type(exc).__name__}: {exc}"
            log_internal(f"story {story} not analysed", exc)
            return
        self.done += 1
        if saved:
            self.hub.publish("analysed", {"story": story, "facts": facts,
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


class Ingester:
    """Ingest jobs, run in the worker process one at a time; the last 100 jobs are kept for their pages."""

    def __init__(self, db: str, options: Options, hub: EventHub, worker: Worker,
                 after: Callable[[list[str]], None]) -> None:
        self.db, self.options, self.hub, self.worker, self.after = db, options, hub, worker, after
        self.jobs: OrderedDict[str, IngestJob] = OrderedDict()
        self._ids = itertools.count(1)
        self.counts = {"added": 0, "updated": 0, "unchanged": 0, "problems": 0}
        threading.Thread(target=self._follow, name="newsprism-ingest-progress", daemon=True).start()

    def _follow(self) -> None:
        """Progress from the worker process onto the jobs their pages show."""
        while True:
            try:
                job_id, counts = self.worker.progress.get()
            except (EOFError, OSError, ValueError):  # the queue was closed: the server is stopping
                return
            job = self.jobs.get(job_id)
            if job is not None and job.state == "running":
                for outcome, n in counts.items():
                    setattr(job, outcome, n)

    def new_job(self, inputs: list[str]) -> IngestJob:
        job = IngestJob(id=f"{int(time.time())}-{next(self._ids)}", inputs=inputs)
        self.jobs[job.id] = job
        while len(self.jobs) > 100:
            self.jobs.popitem(last=False)
        return job

    def run(self, job: IngestJob, urls: Sequence[str] = (), uploads: Sequence[tuple[str, bytes]] = ()) -> IngestJob:
        """Ingest ``urls`` and ``uploads`` into the store, cluster the new articles, and wake the analyst."""
        changed: list[tuple[str, str]] = []
        outcome_state = "failed"
        try:
            done = self.worker.call(ingest_task, job.id, self.db, list(urls), list(uploads), self.options)
            for outcome in ("added", "updated", "unchanged"):
                setattr(job, outcome, done[outcome])
            job.articles, job.stories, job.problems = done["articles"], done["stories"], done["problems"]
            changed = done["changed"]
            outcome_state = "done"
        except NewsprismError as exc:
            job.problems.append(exc.line())
        except Exception as exc:  # one failed job must not take the server down; its reason is kept
            log_internal(f"ingest job {job.id} failed", exc)
            job.problems.append(f"error: internal error: {type(exc).__name__}: {exc} — please report it")
        for outcome in ("added", "updated", "unchanged"):
            self.counts[outcome] += getattr(job, outcome)
        self.counts["problems"] += len(job.problems)
        for story, change in changed:
            self.hub.publish("story", {"story": story, "change": change})
        if changed:
            self.after([story for story, _ in changed])
        # Done only once the listings hold the job's stories: a job page read in between would list none of them
        # and, no longer running, not reload.
        job.finished = time.time()
        job.state = outcome_state
        return job

    def start(self, job: IngestJob, urls: Sequence[str] = (), uploads: Sequence[tuple[str, bytes]] = ()) -> None:
        threading.Thread(target=self.run, args=(job, urls, uploads), name=f"newsprism-ingest-{job.id}",
                         daemon=True).start()
