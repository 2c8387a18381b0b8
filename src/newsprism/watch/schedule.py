"""When to check a feed next: from its own rhythm, never sooner than its server asks, backing off on errors.

Pure functions of what a check saw (the items' dates, the response headers, the feed's ``<ttl>``), so the schedule
is tested without a clock. The numbers are the ``WatchPolicy`` defaults; docs/watch.md gives their sources.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .._version import __version__
from ..options import MiB, OptionError

MINUTE, HOUR, DAY, WEEK = 60.0, 3600.0, 86400.0, 7 * 86400.0
RHYTHM_WINDOW = 4 * WEEK
"""Items published within this window before a check give the feed's rhythm; older ones say nothing of it."""
_MAX_AGE = re.compile(r"(?:^|,)\s*(?:s-)?max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class WatchPolicy:
    """How politely feeds are followed (every number configurable; ``newsprism watch --help`` names the options)."""

    min_interval: float = 15 * MINUTE
    """No feed is checked more often than this, whatever its rhythm."""
    max_interval: float = DAY
    """Every feed is checked at least this often, however quiet."""
    error_step: float = HOUR
    """After N failed checks in a row the next is N × this later (at most ``max_backoff``)."""
    max_backoff: float = DAY
    pause_after: int = 30
    """A feed failing this many checks in a row is paused (shown in ``newsprism feeds``; ``feeds resume`` restarts)."""
    host_pause: float = 1.0
    """Seconds between the end of one request to a host and the start of the next (never two at once)."""
    concurrency: int = 8
    """Requests in flight at once, over all hosts."""
    timeout: float = 20.0
    max_bytes: int = 15 * MiB
    lease: float = 10 * MINUTE
    """How long a watcher holds a feed it is checking; renewed with every item, so a live watcher keeps it and a
    killed one's feeds are free again after this long."""
    item_attempts: int = 5
    """Tries to read an item's page that failed for now (network) before it is kept as failed."""
    robots_ttl: float = DAY
    user_agent: str = f"newsprism-watch/{__version__} (+https://pypi.org/project/newsprism/)"

    def __post_init__(self) -> None:
        for name in ("min_interval", "max_interval", "error_step", "max_backoff", "timeout", "lease", "robots_ttl"):
            if not getattr(self, name) > 0:
                raise OptionError(f"{name} must be a positive number of seconds, not {getattr(self, name)!r}")
        if self.min_interval > self.max_interval:
            raise OptionError(f"the shortest interval ({self.min_interval:g} s) is longer than the longest "
                              f"({self.max_interval:g} s) — give --min-interval below --max-interval")
        if self.host_pause < 0:
            raise OptionError(f"host_pause must be 0 or more seconds, not {self.host_pause!r}")
        for name in ("concurrency", "pause_after", "item_attempts", "max_bytes"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise OptionError(f"{name} must be a whole number of 1 or more, not {getattr(self, name)!r}")


def rhythm(stamps: Iterable[float | None], now: float, policy: WatchPolicy = WatchPolicy()) -> float:
    """Seconds between checks that the feed's own rhythm calls for: the mean gap between its items of the last
    four weeks (a feed with fewer than two recent items is checked ``max_interval`` apart), clamped.

    >>> rhythm([0, 3600, 7200, 10800], now=10800)          # an item an hour: checked hourly
    3600.0
    >>> rhythm([0, 60, 120], now=120)                       # an item a minute: never more than every 15 minutes
    900.0
    >>> rhythm([0], now=60), rhythm([], now=0)              # one item, none: once a day
    (86400.0, 86400.0)
    """
    recent = sorted(s for s in stamps if s is not None and now - RHYTHM_WINDOW <= s <= now + HOUR)
    if len(recent) < 2:
        return policy.max_interval
    gap = (recent[-1] - recent[0]) / (len(recent) - 1)
    return clamp(gap, policy)


def server_asks(headers: Mapping[str, str], ttl_minutes: int | None, now: float) -> float:
    """The longest wait the server asked for, in seconds: ``Cache-Control: max-age``, ``Expires``, RSS ``<ttl>``
    and ``Retry-After``; 0 when it asked for none.

    >>> server_asks({"cache-control": "public, max-age=1800"}, None, now=0)
    1800.0
    >>> server_asks({"expires": "Thu, 01 Jan 1970 02:00:00 GMT"}, 30, now=0)
    7200.0
    >>> server_asks({"cache-control": "no-cache"}, 60, now=0)
    3600.0
    """
    from email.utils import parsedate_to_datetime

    from ..ingest.fetch import retry_after

    asked = [0.0]
    match = _MAX_AGE.search(headers.get("cache-control", ""))
    if match:
        asked.append(float(match.group(1)))
    elif headers.get("expires"):
        try:
            asked.append(parsedate_to_datetime(headers["expires"]).timestamp() - now)
        except (TypeError, ValueError, IndexError):
            pass  # "Expires: 0" and other invalid dates mean "already expired"
    if ttl_minutes:
        asked.append(ttl_minutes * MINUTE)
    wait = retry_after(headers.get("retry-after"), now=now)
    if wait:
        asked.append(wait)
    return max(asked)


def clamp(seconds: float, policy: WatchPolicy = WatchPolicy()) -> float:
    return float(min(policy.max_interval, max(policy.min_interval, seconds)))


def next_interval(stamps: Iterable[float | None], headers: Mapping[str, str], ttl_minutes: int | None, now: float,
                  policy: WatchPolicy = WatchPolicy()) -> float:
    """Seconds to the next check after a successful one: the feed's rhythm, or longer if the server asked.

    >>> next_interval([0, 3600, 7200], {"cache-control": "max-age=10800"}, None, now=7200)
    10800.0
    """
    return clamp(max(rhythm(stamps, now, policy), server_asks(headers, ttl_minutes, now)), policy)


def backoff(errors: int, retry_after: float | None = None, policy: WatchPolicy = WatchPolicy()) -> float:
    """Seconds to the next check after ``errors`` failed checks in a row: an hour per error, at most a day, and
    never sooner than the server's ``Retry-After``.

    >>> backoff(1), backoff(3), backoff(40), backoff(1, retry_after=7200)
    (3600.0, 10800.0, 86400.0, 7200.0)
    """
    return float(max(min(policy.error_step * max(1, errors), policy.max_backoff), retry_after or 0.0))


def now() -> float:
    return time.time()


__all__ = ["WatchPolicy", "backoff", "clamp", "next_interval", "rhythm", "server_asks"]
