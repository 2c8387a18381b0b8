"""Following feeds: one round checks every due feed (conditionally), keeps its new items, and reads each into the
store; ``run`` repeats rounds until stopped.

What is committed when, so that a kill at any moment loses nothing and stores nothing twice:

1. a check's outcome — the feed's new ETag, Last-Modified and next check time, *and* its new items (as pending) — is
   one transaction (``Store.save_check``): a conditional GET can never hide items we did not keep;
2. each item is read (from the feed when it carries the text, else its page is fetched) and its article upserted
   (one transaction, deduplicated by canonical URL and content), then its state is recorded (another): a kill in
   between leaves it pending, and reading it again finds the stored article and adds nothing;
3. a feed is leased to one watcher while it is checked, so two watchers on one store never fetch it both; the
   lease is renewed with every item and lapses on its own if the watcher is killed.

Every request goes through ``HostGate`` (one at a time per host, a pause between, a global cap) and the safe
fetcher (no private addresses unless allowed; size, time and redirect limits).
"""

from __future__ import annotations

import itertools
import os
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from ..errors import InputError, NewsprismError, TransientError
from ..ingest.feeds import FeedItem, has_full_text, read_feed
from ..ingest.identity import canonical_url
from ..ingest.load import read_item, read_page, registry_for
from ..ingest.read import is_url
from ..options import Options
from ..store import Store
from ..store.base import FeedCheck, FeedItemRow, FeedState, StoreUnavailable
from .polite import HostGate, Robots, host_of
from .schedule import WatchPolicy, backoff, next_interval, server_asks, clamp

EVENTS = ("due", "fetched", "not modified", "new items", "stored", "seen", "failed", "retry", "errors", "requests")


@dataclass
class RoundStats:
    """What one round did: feeds checked, how their servers answered, what became of the items."""

    counts: Counter = field(default_factory=Counter)
    problems: list[NewsprismError] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    """Ids of the articles added or updated."""
    seconds: float = 0.0

    def __getitem__(self, name: str) -> int:
        return self.counts[name]

    def line(self) -> str:
        c = self.counts
        return (f"{c['due']} feeds checked: {c['fetched']} fetched, {c['not modified']} not modified, "
                f"{c['errors']} errors; {c['new items']} new items: {c['stored']} stored, {c['seen']} already "
                f"stored, {c['failed']} kept unread, {c['retry']} to retry; {c['requests']} requests in "
                f"{self.seconds:.1f} s")


def interleaved(feeds: list[FeedState]) -> list[FeedState]:
    """The feeds ordered one host after another (a, b, c, a, b, c…), so concurrent checks go to different hosts.

    >>> [f.url for f in interleaved([FeedState(u) for u in ("http://a/1", "http://a/2", "http://b/1")])]
    ['http://a/1', 'http://b/1', 'http://a/2']
    """
    by_host: dict[str, list[FeedState]] = defaultdict(list)
    for feed in feeds:
        by_host[host_of(feed.url)].append(feed)
    rounds = itertools.zip_longest(*by_host.values())
    return [feed for batch in rounds for feed in batch if feed is not None]


class Watcher:
    """Checks a store's feeds and reads their items into it, politely. One ``Watcher`` per process; several
    processes (or machines, with a shared store) may watch one store: leases keep them off each other's feeds."""

    def __init__(self, store: Store, options: Options | None = None, policy: WatchPolicy | None = None, *,
                 on_event: Callable[[str, int], None] | None = None,
                 on_problem: Callable[[NewsprismError], None] | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.policy = policy or WatchPolicy()
        base = options or Options()
        # The watcher's own limits for what it fetches (a feed reader's, not ingest's): timeout, size, agent.
        self.options = replace(base, timeout=self.policy.timeout, max_bytes=self.policy.max_bytes,
                               user_agent=self.policy.user_agent)
        self.registry = registry_for(self.options)
        self.gate = HostGate(self.policy.host_pause, self.policy.concurrency)
        self.robots = Robots(self._get, self.policy.user_agent, self.policy.robots_ttl)
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.on_event, self.on_problem, self.clock = on_event, on_problem, clock
        self.stop = threading.Event()
        self._lock = threading.Lock()
        self._links: dict[str, threading.Lock] = {}
        self._stats = RoundStats()

    # -- one round ----------------------------------------------------------------------------------------------

    def round(self, every: bool = False) -> RoundStats:
        """Check the due feeds (``every``: all of them, due or not), read their new items; returns what it did."""
        started = time.monotonic()
        requests_before = self.gate.requests
        self._stats = stats = RoundStats()
        self._break_dead_leases()
        now = self.clock()
        feeds = self.store.claim_feeds(self.owner, now, self.policy.lease, due_only=not every)
        due = {f.url for f in feeds if every or f.next_check <= now}
        self._count("due", len(due))
        try:
            with ThreadPoolExecutor(max_workers=self.policy.concurrency, thread_name_prefix="newsprism-watch") as pool:
                for _ in pool.map(lambda f: self._follow(f, f.url in due), interleaved(feeds)):
                    pass
        finally:
            for feed in feeds:
                self._release(feed.url)
        stats.counts["requests"] = self.gate.requests - requests_before
        stats.seconds = time.monotonic() - started
        return stats

    def _break_dead_leases(self) -> None:
        """Free the feeds leased by watchers of this machine that are no longer running (killed, crashed): a
        restarted watcher goes on at once instead of waiting for their leases to lapse."""
        here = socket.gethostname()
        for feed in self.store.feed_states():
            host, _, rest = (feed.lease_owner or "").partition(":")
            pid = rest.partition(":")[0]
            if host == here and pid.isdigit() and feed.lease_owner != self.owner and not _alive(int(pid)):
                self.store.release_feed(feed.url, feed.lease_owner or "")

    def _release(self, url: str) -> None:
        try:
            self.store.release_feed(url, self.owner)
        except NewsprismError:
            pass  # the lease lapses on its own

    def _count(self, event: str, n: int = 1) -> None:
        if not n:
            return
        with self._lock:
            self._stats.counts[event] += n
        if self.on_event:
            self.on_event(event, n)

    def _problem(self, problem: NewsprismError) -> None:
        with self._lock:
            self._stats.problems.append(problem)
        if self.on_problem:
            self.on_problem(problem)

    def _follow(self, feed: FeedState, due: bool) -> None:
        """Check one feed (when due) and read its pending items; a failure is recorded, never raised."""
        url = feed.url
        try:
            if self.stop.is_set():
                return
            if due:
                url = self._check(feed)
            for item in self.store.pending_items(url):
                if self.stop.is_set():
                    return
                self._read(url, item)
        except StoreUnavailable as exc:
            self._problem(exc)  # the store is locked or full: this feed waits for the next round
        except Exception as exc:  # a bug with one feed must not stop the others (nor the watcher)
            if os.environ.get("NEWSPRISM_DEBUG"):
                raise
            self._problem(NewsprismError(f"internal error: {type(exc).__name__}: {exc}", source=url,
                                         hint="please report it; set NEWSPRISM_DEBUG=1 for the traceback"))

    def _get(self, url: str, headers: dict[str, str] | None = None):
        from ..ingest.fetch import fetch

        with self.gate.slot(host_of(url)):
            return fetch(url, self.options, headers=headers)

    def _check(self, feed: FeedState) -> str:
        """Fetch the feed conditionally and keep what it says; returns its address (new after a permanent move)."""
        headers = {}
        if feed.etag:
            headers["If-None-Match"] = feed.etag
        if feed.last_modified:
            headers["If-Modified-Since"] = feed.last_modified
        now = self.clock()
        try:
            fetched = self._get(feed.url, headers)
            if fetched.status == 304:
                wait = clamp(max(feed.interval or self.policy.min_interval, server_asks(fetched.headers, None, now)),
                             self.policy)
                check = FeedCheck("not modified", next_check=now + wait, interval=wait, moved_to=fetched.moved_to)
                self._count("not modified")
            else:
                parsed = read_feed(fetched.body, feed.url)
                rows = [_row(item) for item in parsed.items if item.key]
                wait = next_interval([i.stamp for i in parsed.items], fetched.headers, parsed.ttl, now, self.policy)
                check = FeedCheck("fetched", next_check=now + wait, interval=wait,
                                  etag=fetched.headers.get("etag"), last_modified=fetched.headers.get("last-modified"),
                                  title=parsed.title, site=parsed.site, moved_to=fetched.moved_to, items=rows,
                                  error=None)
                if parsed.problem:
                    problem = InputError(parsed.problem, source=feed.url, hint="tell the publisher; the feed is "
                                         "still followed")
                    check.error = problem.line()
                    self._problem(problem)
                self._count("fetched")
        except NewsprismError as exc:
            wait = backoff(feed.errors + 1, getattr(exc, "retry_after", None), self.policy)
            check = FeedCheck("error", next_check=now + wait, interval=wait, error=exc.line())
            failures = feed.errors + 1
            if failures >= self.policy.pause_after:
                exc.hint = (f"the feed failed {failures} checks in a row and is paused; fix it and run: newsprism "
                            f"feeds resume {feed.url}")
            self._count("errors")
            self._problem(exc)
        url, new = self.store.save_check(feed.url, self.owner, check, now, self.policy.pause_after)
        self._count("new items", new)
        return url

    def _read(self, url: str, item: FeedItemRow) -> None:
        """Read one item into the store and record what became of it."""
        state, article, problem = self._article(url, item)
        if state == "retry" and item.attempts + 1 >= self.policy.item_attempts:
            state = "failed"
        self.store.finish_item(url, item.key, state, article, problem, self.owner, self.clock() + self.policy.lease)
        self._count(state)

    def _article(self, url: str, item: FeedItemRow) -> tuple[str, str | None, str | None]:
        """(state, article id, problem) for one item: stored, seen (already stored), failed or retry."""
        feed_item = FeedItem(item.link, item.title, item.published, item.summary, guid=item.key, stamp=item.stamp)
        where = item.link or f"{url}#{item.key}"
        if not item.full_text:
            if not item.link or not is_url(item.link):
                return "failed", None, "the item has neither a link nor its full text; its title and summary are kept"
            with self._reading(item.link):  # another feed's thread reading the same page: wait, then reuse it
                known = self.store.article_for_url(item.link)
                if known:
                    return "seen", known, None
                return self._read_article(url, item, feed_item, where)
        return self._read_article(url, item, feed_item, where)

    @contextmanager
    def _reading(self, link: str) -> Iterator[None]:
        key = canonical_url(link)
        with self._lock:
            lock = self._links.setdefault(key, threading.Lock())
        try:
            with lock:
                yield
        finally:
            with self._lock:
                self._links.pop(key, None)

    def _read_article(self, url: str, item: FeedItemRow, feed_item: FeedItem,
                      where: str) -> tuple[str, str | None, str | None]:
        try:
            if item.full_text:
                result = read_item(where, feed_item, self.options, self.registry)
            else:
                assert item.link is not None
                self.robots.check(item.link)
                result = read_page(item.link, self._get(item.link), self.options, self.registry, item=feed_item)
        except NewsprismError as exc:
            self._problem(_about_item(exc, url))
            return ("retry" if isinstance(exc, TransientError) else "failed"), None, exc.line()
        for problem in result.problems:
            self._problem(_about_item(problem, url))
        stored: list[tuple[str, str]] = [self.store.upsert_article(a) for a in result.articles]
        if not stored:
            reason = result.problems[0].line() if result.problems else "no article could be read from it"
            return ("retry" if result.transient else "failed"), None, reason
        first, outcome = stored[0]
        with self._lock:
            self._stats.articles += [i for i, o in stored if o != "unchanged"]
        return ("stored" if any(o != "unchanged" for _, o in stored) else "seen"), first, None

    # -- rounds until stopped ------------------------------------------------------------------------------------

    def next_due(self) -> float | None:
        """When the earliest feed that is not paused is due (None: there is none)."""
        times = [f.next_check for f in self.store.feed_states() if not f.paused]
        return min(times) if times else None

    def run(self, after_round: Callable[[RoundStats], None] | None = None, idle: float = 60.0) -> None:
        """Rounds until ``stop`` is set: each one checks the feeds due, then waits for the next to fall due (at
        most ``idle`` seconds, so feeds added meanwhile are picked up)."""
        while not self.stop.is_set():
            stats = self.round()
            if after_round:
                after_round(stats)
            due = self.next_due()
            wait = idle if due is None else min(idle, max(0.0, due - self.clock()))
            self.stop.wait(max(wait, 0.5))


def settle(store: Store, stats: RoundStats, embedder=None, options: Options | None = None,
           analyse: bool = True, min_outlets: int = 2, stop: threading.Event | None = None,
           on_story: Callable[[str], None] | None = None) -> set[str]:
    """After a round: place its new articles in stories, then refresh the stored analysis of every story whose
    members changed since it was analysed and that at least ``min_outlets`` outlets cover (the newest change
    first; unchanged stories are not analysed again). Stops between two stories when ``stop`` is set: the stories
    left are still out of date, so the next round does them. Returns the stories the round changed."""
    from ..store.ingest import stale_stories, story_report, update_stories

    changed = update_stories(store, embedder=embedder) if stats.articles else set()
    if not analyse:
        return changed
    outlets: dict[str, set[str]] = defaultdict(set)
    for row in store.listing_rows():
        if row.outlet:
            outlets[row.story].add(row.outlet)
    for story in stale_stories(store, options):
        if stop is not None and stop.is_set():
            break
        if len(outlets[story]) >= min_outlets:
            story_report(store, story, save=True, options=options)
            if on_story:
                on_story(story)
    return changed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _row(item: FeedItem) -> FeedItemRow:
    return FeedItemRow(key=item.key[:2000], link=item.link, title=item.title, summary=item.html,
                       full_text=has_full_text(item), published=item.published, stamp=item.stamp)


def _about_item(problem: NewsprismError, feed: str) -> NewsprismError:
    """The problem, naming the feed it came from."""
    if problem.source and feed not in problem.source:
        problem.source = f"{problem.source} (an item of {feed})"
    return problem


__all__ = ["EVENTS", "RoundStats", "Watcher", "interleaved", "settle"]
