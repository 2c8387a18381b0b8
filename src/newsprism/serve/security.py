"""Who may write, from where, how often; the headers every response carries; and the numbers /metrics shows.

- A write needs the token: ``Authorization: Bearer <token>``, or the session cookie the sign-in page sets (signed
  with a key derived from the token, so changing the token signs every session out). A server started without a
  token accepts no write at all.
- A browser's cross-site POST is refused (``Sec-Fetch-Site: cross-site``, or an ``Origin`` that is not this
  server), so a page elsewhere cannot use a signed-in reader's cookie; the cookie is also ``SameSite=Strict``.
- POSTs are rate limited per client address (a token bucket refilled each minute).
- Every response carries a strict Content-Security-Policy: this server's own script and style files only, no
  inline script, no other origin, no framing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections import defaultdict
from urllib.parse import urlsplit

from starlette.requests import Request

SESSION_COOKIE = "newsprism_session"
SESSION_SECONDS = 7 * 24 * 3600
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY"),
           (b"cross-origin-opener-policy", b"same-origin"), (b"cross-origin-resource-policy", b"same-origin"),
           (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()")]


def make_session(key: bytes, now: float | None = None) -> str:
    expires = str(int((now or time.time()) + SESSION_SECONDS))
    return expires + "." + _sign(key, expires)


def valid_session(key: bytes, value: str | None, now: float | None = None) -> bool:
    if not value or "." not in value:
        return False
    expires, signature = value.split(".", 1)
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return False
    return hmac.compare_digest(signature, _sign(key, expires))


def _sign(key: bytes, text: str) -> str:
    return base64.urlsafe_b64encode(hmac.new(key, text.encode("ascii"), hashlib.sha256).digest()).decode().rstrip("=")


def bearer_ok(request: Request, token: str | None) -> bool:
    header = request.headers.get("authorization", "")
    if not token or not header.lower().startswith("bearer "):
        return False
    return hmac.compare_digest(header[7:].strip().encode("utf-8"), token.encode("utf-8"))


def signed_in(request: Request, token: str | None, key: bytes) -> bool:
    return bool(token) and valid_session(key, request.cookies.get(SESSION_COOKIE))


def cross_site(request: Request) -> bool:
    """Whether a browser says this request comes from another site (a form or script on someone else's page).

    Browsers send ``Sec-Fetch-Site``: only ``same-origin`` (our own pages) and ``none`` (typed by the user) pass.
    Without it, an ``Origin`` must name this server; our pages' no-referrer policy makes a browser send
    ``Origin: null`` on their own form posts, which passes only with ``Sec-Fetch-Site: same-origin``. A request
    with neither header is not from a browser page (curl, a script) and is judged by its token alone.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower()


class RateLimit:
    """A token bucket per client address: ``per_minute`` requests, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go ahead, else the seconds to wait before the next one may."""
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / rate


BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    """Requests by route and status and their latency, in Prometheus' text format."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests: dict[tuple[str, str, int], int] = defaultdict(int)
        self.latency: dict[str, list[float]] = {}
        self.latency_sum: dict[str, float] = defaultdict(float)

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        with self._lock:
            self.requests[(route, method, status)] += 1
            counts = self.latency.setdefault(route, [0.0] * (len(BUCKETS) + 1))
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1
            self.latency_sum[route] += seconds

    def text(self, gauges: dict[str, tuple[str, float]], counters: dict[str, tuple[str, dict[str, float]]]) -> str:
        lines = ["# HELP newsprism_http_requests_total HTTP requests by route, method and status.",
                 "# TYPE newsprism_http_requests_total counter"]
        with self._lock:
            for (route, method, status), n in sorted(self.requests.items()):
                lines.append(f'newsprism_http_requests_total{{route="{route}",method="{method}",status="{status}"}} {n}')
            lines += ["# HELP newsprism_http_request_seconds Time to answer a request, by route.",
                      "# TYPE newsprism_http_request_seconds histogram"]
            for route, counts in sorted(self.latency.items()):
                for bound, n in zip(BUCKETS, counts):
                    lines.append(f'newsprism_http_request_seconds_bucket{{route="{route}",le="{bound}"}} {int(n)}')
                lines.append(f'newsprism_http_request_seconds_bucket{{route="{route}",le="+Inf"}} {int(counts[-1])}')
                lines.append(f'newsprism_http_request_seconds_sum{{route="{route}"}} {self.latency_sum[route]:.6f}')
                lines.append(f'newsprism_http_request_seconds_count{{route="{route}"}} {int(counts[-1])}')
        for name, (help_text, value) in gauges.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name} {value:g}"]
        for name, (help_text, values) in counters.items():
            lines += [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
            lines += [f'{name}{{outcome="{k}"}} {v:g}' for k, v in values.items()]
        return "\n".join(lines) + "\n"
