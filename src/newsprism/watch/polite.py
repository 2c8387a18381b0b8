"""Politeness towards the servers we poll: one request at a time per host, a pause between them, a global cap, and
robots.txt for article pages.

Every request the watcher makes goes through ``HostGate.slot(host)``; it is the one place that decides when a
request may start, so "never two requests at once to one host" holds by construction, whatever the threads do.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ..errors import InputError, NewsprismError, TransientError


def host_of(url: str) -> str:
    """The host a request to ``url`` goes to (name and port), lower-case.

    >>> host_of("https://Example.com/feed"), host_of("http://127.0.0.2:8080/a")
    ('example.com', '127.0.0.2:8080')
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port else host


class HostGate:
    """When a request to a host may start: when no other request to it is in flight, ``pause`` seconds after the
    last one ended, and while fewer than ``concurrency`` requests are in flight over all hosts."""

    def __init__(self, pause: float, concurrency: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.pause, self.concurrency, self.clock = pause, concurrency, clock
        self._cond = threading.Condition()
        self._busy: set[str] = set()
        self._free_at: dict[str, float] = {}
        self.requests = 0
        self.waited = 0.0
        """Seconds requests spent waiting for their host (summed over threads)."""

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        started = self.clock()
        with self._cond:
            while True:
                wait = self._free_at.get(host, 0.0) - self.clock()
                if host not in self._busy and len(self._busy) < self.concurrency and wait <= 0:
                    break
                self._cond.wait(timeout=wait if wait > 0 and host not in self._busy else None)
            self._busy.add(host)
            self.requests += 1
            self.waited += self.clock() - started
        try:
            yield
        finally:
            with self._cond:
                self._busy.discard(host)
                self._free_at[host] = self.clock() + self.pause
                self._cond.notify_all()


class Robots:
    """robots.txt of each host, read once a ``ttl`` (RFC 9309): article pages it disallows for us are not fetched.

    As the RFC says: a robots.txt that is missing (4xx) allows everything; one the server could not give (5xx,
    network failure) disallows everything for now, so the item is tried again later.
    """

    def __init__(self, fetch: Callable[[str], "object"], agent: str, ttl: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._fetch, self.agent, self.ttl, self.clock = fetch, agent, ttl, clock
        self._lock = threading.Lock()
        self._rules: dict[str, tuple[float, RobotFileParser | None, str | None]] = {}
        self._host_locks: dict[str, threading.Lock] = {}

    def check(self, url: str) -> None:
        """Nothing when ``url`` may be fetched; ``InputError`` when robots.txt disallows it, ``TransientError``
        when robots.txt could not be read for now."""
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            lock = self._host_locks.setdefault(root, threading.Lock())
        with lock:  # one read of a host's robots.txt, however many of its items wait for it
            cached = self._rules.get(root)
            if cached is None or self.clock() - cached[0] > self.ttl:
                cached = self._rules[root] = (self.clock(), *self._read(root))
        _, rules, failure = cached
        if failure is not None:
            raise TransientError(f"its site's robots.txt could not be read ({failure})", source=url,
                                 hint="the item is tried again on a later round")
        if rules is not None and not rules.can_fetch(self.agent, url):
            raise InputError(f"{root}/robots.txt does not allow fetching it", source=url,
                             hint="the item's title and summary from the feed are kept")

    def _read(self, root: str) -> tuple[RobotFileParser | None, str | None]:
        try:
            fetched = self._fetch(f"{root}/robots.txt")
        except TransientError as exc:
            return None, exc.message
        except InputError as exc:
            if exc.message.startswith("HTTP 4"):
                return None, None  # no robots.txt: everything is allowed
            return None, exc.message
        except NewsprismError as exc:
            return None, exc.message
        rules = RobotFileParser()
        rules.parse(fetched.body.decode("utf-8", errors="replace").splitlines())  # type: ignore[attr-defined]
        return rules, None


__all__ = ["HostGate", "Robots", "host_of"]
