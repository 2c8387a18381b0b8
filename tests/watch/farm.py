"""A farm of real feed servers on loopback addresses (127.0.0.2, 127.0.0.3, …), for the watcher's tests and its
benchmark: generated RSS feeds and article pages, conditional GET honoured, every request counted and timed per
host, and a set of hostile endpoints. Everything it serves is made up here; no third-party text.
"""

from __future__ import annotations

import gzip
import hashlib
import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

PLACES = ["Lisvaro", "Tessen", "Aldmark", "Corvane", "Ostrel", "Valmeria", "Rampart", "Brezik", "Solvik", "Marrow"]
THINGS = ["harbour", "bridge", "school", "rail line", "hospital", "dam", "market", "airport", "library", "stadium"]
VERBS = ["approved", "delayed", "rejected", "reopened", "funded", "inspected", "closed", "expanded"]


def article_text(seed: str, paragraphs: int = 4) -> tuple[str, list[str]]:
    """A made-up news item: (title, paragraphs), the same for the same seed."""
    rng = random.Random(seed)
    place, thing, verb = rng.choice(PLACES), rng.choice(THINGS), rng.choice(VERBS)
    title = f"{place} council {verb} the {thing} plan ({seed})"
    body = []
    for n in range(paragraphs):
        body.append(f"Officials in {place} said on day {rng.randint(1, 28)} that the {thing} project, which "
                    f"would cost {rng.randint(2, 90)} million, had been {verb} after a vote of {rng.randint(5, 30)} "
                    f"to {rng.randint(0, 4)}. Residents told reporters in paragraph {n} of item {seed} that the "
                    f"{thing} had waited {rng.randint(2, 9)} years, and the mayor promised a public hearing.")
    return title, body


def page_html(seed: str) -> bytes:
    title, body = article_text(seed)
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(title)}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{paragraphs}</article>"
            f"<footer>Copyright Example</footer></body></html>").encode("utf-8")


@dataclass
class FeedSpec:
    host: int
    number: int
    items: int
    full_text: bool
    wire: int = 0
    """The first ``wire`` items carry the same wire text as the same items of every other feed (other links)."""
    ttl: int | None = None
    max_age: int | None = None


@dataclass
class HostLog:
    """What one host saw: requests by path, and every request's start and end (to check politeness)."""

    paths: Counter = field(default_factory=Counter)
    conditional: Counter = field(default_factory=Counter)
    """Requests per path that carried If-None-Match or If-Modified-Since."""
    not_modified: int = 0
    spans: list[tuple[float, float]] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    agents: set = field(default_factory=set)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up (a watcher giving up on a hostile answer) is expected here


class Farm:
    """``hosts`` servers, each with ``feeds_per_host`` feeds of ``items`` items."""

    def __init__(self, hosts: int = 2, feeds_per_host: int = 2, items: int = 5, full_text_share: float = 0.5,
                 wire: int = 0, robots: bytes | None = None, first_address: int = 2,
                 epoch: float | None = None) -> None:
        self.lock = threading.Lock()
        # Items are dated an hour apart, the newest an hour ago (so the feed's rhythm is an item an hour).
        self.epoch = epoch if epoch is not None else time.time() // 3600 * 3600 - 3600 * items
        self.robots = robots
        self.logs: dict[str, HostLog] = defaultdict(HostLog)
        self.feeds: dict[tuple[int, int], FeedSpec] = {}
        self.servers: list[_Server] = []
        self.hosts: list[str] = []
        for h in range(hosts):
            server = _Server((f"127.0.0.{first_address + h}", 0), _handler(self, h))
            self.servers.append(server)
            self.hosts.append(f"127.0.0.{first_address + h}:{server.server_address[1]}")
            threading.Thread(target=server.serve_forever, daemon=True).start()
        n = 0
        for f in range(feeds_per_host):
            for h in range(hosts):
                full = int((n + 1) * full_text_share) > int(n * full_text_share)  # the share, spread evenly
                self.feeds[(h, f)] = FeedSpec(h, f, items, full_text=full, wire=wire)
                n += 1

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def __enter__(self) -> "Farm":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- addresses ------------------------------------------------------------------------------------------------

    def url(self, host: int, path: str) -> str:
        return f"http://{self.hosts[host]}{path}"

    def feed_urls(self) -> list[str]:
        return [self.url(h, f"/feeds/{f}.xml") for (h, f) in self.feeds]

    def item_links(self) -> set[str]:
        return {self.url(s.host, f"/a/{s.host}-{s.number}-{i}.html") for s in self.feeds.values()
                for i in range(s.items)}

    # -- what the servers saw ---------------------------------------------------------------------------------------

    def requests(self) -> int:
        return sum(sum(log.paths.values()) for log in self.logs.values())

    def max_in_flight(self) -> int:
        return max((log.max_in_flight for log in self.logs.values()), default=0)

    def min_gap(self) -> float:
        """The shortest time between one request's end and the next one's start on any host."""
        gaps = []
        for log in self.logs.values():
            spans = sorted(log.spans)
            gaps += [b[0] - a[1] for a, b in zip(spans, spans[1:])]
        return min(gaps, default=float("inf"))

    # -- documents ---------------------------------------------------------------------------------------------------

    def feed_xml(self, spec: FeedSpec) -> bytes:
        host = spec.host
        entries = []
        for i in range(spec.items):
            seed = f"wire-{i}" if i < spec.wire else f"{host}-{spec.number}-{i}"
            title, body = article_text(seed)
            link = self.url(host, f"/a/{host}-{spec.number}-{i}.html")
            stamp = self.epoch + 3600 * i
            if spec.full_text:
                content = "".join(f"<p>{escape(p)}</p>" for p in body)
                extra = f"<content:encoded><![CDATA[{content}]]></content:encoded>"
            else:
                extra = ""
            entries.append(f"<item><title>{escape(title)}</title><link>{link}</link>"
                           f"<guid isPermaLink='false'>{host}-{spec.number}-{i}</guid>"
                           f"<pubDate>{formatdate(stamp, usegmt=True)}</pubDate>"
                           f"<description>{escape(body[0][:120])}</description>{extra}</item>")
        ttl = f"<ttl>{spec.ttl}</ttl>" if spec.ttl else ""
        return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
                "xmlns:content='http://purl.org/rss/1.0/modules/content/'><channel>"
                f"<title>Feed {host}-{spec.number}</title><link>{self.url(host, '/')}</link>{ttl}"
                f"{''.join(entries)}</channel></rss>").encode("utf-8")


HOSTILE_FEEDS = {
    "/hostile/malformed.xml": (b"<?xml version='1.0'?><rss version='2.0'><channel><title>Broken</title><item>"
                               b"<title>broken</title><guid>b1</guid></item><item><title>cut off</titl"),
    "/hostile/entities.xml": (b"<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>"
                              b"<rss version='2.0'><channel><title>&b;</title></channel></rss>"),
    "/hostile/html.xml": b"<!doctype html><html><head><title>Not a feed</title></head><body><p>Hello</p></body></html>",
    "/hostile/latin1.xml": ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Caf\u00e9 news"
                            "</title><item><title>Caf\u00e9 r\u00e9ouvert</title><guid>l1</guid><link>"
                            "http://127.0.0.1/none</link></item></channel></rss>").encode("latin-1"),
}


def _handler(farm: Farm, host: int):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):
            pass

        def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body and self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            if self.path == "/_stats":  # the farm's own figures, not a request of the watcher's
                self._send(200, _stats_json(farm, host), Content_Type="application/json")
                return
            log = farm.logs[farm.hosts[host]]
            started = time.monotonic()
            with farm.lock:
                log.in_flight += 1
                log.max_in_flight = max(log.max_in_flight, log.in_flight)
                log.paths[self.path] += 1
                log.agents.add(self.headers.get("User-Agent", ""))
                if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                    log.conditional[self.path] += 1
            try:
                self._answer(log)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with farm.lock:
                    log.in_flight -= 1
                    log.spans.append((started, time.monotonic()))

        def _answer(self, log: HostLog) -> None:
            path = self.path
            if path == "/robots.txt":
                if farm.robots is None:
                    self._send(404, b"not found")
                else:
                    self._send(200, farm.robots, Content_Type="text/plain")
                return
            if path.startswith("/feeds/"):
                number = int(path.rsplit("/", 1)[1].split(".")[0])
                spec = farm.feeds.get((host, number))
                if spec is None:
                    self._send(404, b"no such feed")
                    return
                body = farm.feed_xml(spec)
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                modified = formatdate(farm.epoch + 3600 * spec.items, usegmt=True)
                headers = {"ETag": etag, "Last_Modified": modified}
                if spec.max_age:
                    headers["Cache_Control"] = f"max-age={spec.max_age}"
                if self.headers.get("If-None-Match") == etag:
                    with farm.lock:
                        log.not_modified += 1
                    self._send(304, **headers)
                    return
                self._send(200, body, Content_Type="application/rss+xml; charset=utf-8", **headers)
                return
            if path.startswith("/a/"):
                seed = path[3:].rsplit(".", 1)[0]
                h, f, i = (int(x) for x in seed.split("-"))
                spec = farm.feeds.get((h, f))
                if spec is not None and i < spec.wire:
                    seed = f"wire-{i}"
                self._send(200, page_html(seed), Content_Type="text/html; charset=utf-8")
                return
            if path in HOSTILE_FEEDS:
                self._send(200, HOSTILE_FEEDS[path], Content_Type="application/rss+xml")
                return
            if path == "/hostile/hang":
                time.sleep(30)
                self._send(200, b"late")
                return
            if path == "/hostile/trickle":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(200):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
                return
            if path == "/hostile/gzip-bomb":
                body = gzip.compress(b"<rss>" + b" " * (64 * 1024 * 1024))
                self._send(200, body, Content_Type="application/rss+xml", Content_Encoding="gzip")
                return
            if path == "/hostile/huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("Content-Length", str(500 * 1024 * 1024))
                self.end_headers()
                chunk = b"<rss>" + b" " * (1024 * 1024 - 5)
                for _ in range(500):
                    self.wfile.write(chunk)
                return
            if path.startswith("/hostile/loop/"):
                n = int(path.rsplit("/", 1)[1])
                self._send(302, Location=f"/hostile/loop/{n + 1}")
                return
            if path.startswith("/moved/"):
                self._send(301, Location=f"/feeds/{path.rsplit('/', 1)[1]}")
                return
            if path.startswith("/status/"):
                code = int(path.rsplit("/", 1)[1])
                self._send(code, b"busy", Retry_After="7200")
                return
            self._send(404, b"not found")

    return Handler


def _stats_json(farm: Farm, host: int) -> bytes:
    import json

    log = farm.logs[farm.hosts[host]]
    spans = sorted(log.spans)
    gaps = [b[0] - a[1] for a, b in zip(spans, spans[1:])]
    return json.dumps({"requests": sum(log.paths.values()), "max_in_flight": log.max_in_flight,
                       "min_gap": min(gaps) if gaps else None, "not_modified": log.not_modified,
                       "conditional": sum(log.conditional.values()),
                       "pages": sum(n for p, n in log.paths.items() if p.startswith("/a/"))}).encode()


def main() -> None:
    """Serve a farm until standard input closes (for the benchmark, so its servers do not share its process):
    prints {"feeds": [...], "stats": [...]} — the feed addresses and each host's statistics address."""
    import argparse
    import json
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--feeds-per-host", type=int, default=25)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--full-text", type=float, default=0.5)
    args = parser.parse_args()
    with Farm(args.hosts, args.feeds_per_host, args.items, args.full_text) as farm:
        print(json.dumps({"feeds": farm.feed_urls(), "stats": [farm.url(h, "/_stats") for h in range(args.hosts)]}),
              flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
