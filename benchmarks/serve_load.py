"""Load on `newsprism serve`: 20 concurrent clients for 60 s on the feed, the API listing, cached story pages and
search, while 1,000 more articles are POSTed to the API — next to the time SQLite alone takes for the same
listing and search queries, in the same run.

The store: the first 14,000 articles of ../shared/datasets/corpus/allsides-articles/articles-15k.jsonl.gz ingested
and clustered (potion embedder, the fast one, for the clustering), kept in out/bench/serve-load-base.db between runs
(--rebuild makes it again; each run works on a fresh copy); the 12 largest of the newest 200 stories are analysed beforehand (the cached story
pages). The server runs as a child process with --no-analyse (so the background analyst does not compete with the
measured requests for the two cores) and the 1,000 posted articles are the corpus' next ones, in batches of 100.

    python benchmarks/serve_load.py [--clients 20] [--seconds 60] [--rebuild]

Prints per route: requests, errors, p50/p95/p99 in ms; the ingest batches; and the SQLite-only timings.
Loopback only; every loop is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from cluster import CORPUS, corpus  # noqa: E402  (the benchmark scripts share the corpus reader)

BASE_STORE = ROOT / "out" / "bench" / "serve-load-base.db"
STORE = ROOT / "out" / "bench" / "serve-load.db"
BASE_ARTICLES = 14_000
MORE_ARTICLES = 1_000
BATCH = 100
ANALYSED = 12
WORDS = ["president", "court", "tax", "election", "police", "trade", "senate", "border", "health", "vote",
         "climate", "budget", "war", "immigration", "economy"]
ROUTES = [("feed /", 0.25), ("GET /api/stories", 0.25), ("story page", 0.30), ("search page", 0.10),
          ("GET /api/search", 0.10)]


def _arg(name: str, default: int) -> int:
    return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else float("nan")


def fresh_copy() -> None:
    """Each run starts from the same base store (the posted articles are new to it every time)."""
    import sqlite3

    for suffix in ("", "-wal", "-shm"):
        Path(str(STORE) + suffix).unlink(missing_ok=True)
    with sqlite3.connect(BASE_STORE) as source, sqlite3.connect(STORE) as target:
        source.backup(target)
    source.close()
    target.close()


def build_store(data: list[dict]) -> tuple[float, float]:
    from newsprism.store import open_store
    from newsprism.store.ingest import ingest, update_stories

    BASE_STORE.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(BASE_STORE) + suffix).unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []  # files of 1,000 articles: one file of them all would be over the 20 MB input limit
        for start in range(0, len(data), 1000):
            paths.append(Path(tmp) / f"articles-{start:05d}.jsonl")
            paths[-1].write_text("".join(json.dumps(a) + "\n" for a in data[start:start + 1000]), encoding="utf-8")
        store = open_store(BASE_STORE)
        start = time.perf_counter()
        result = ingest(store, [str(p) for p in paths])
        if result.added < len(data) * 0.9:
            sys.exit(f"only {result.added} of {len(data)} articles ingested: {result.problems[:3]}")
        middle = time.perf_counter()
        update_stories(store)
        end = time.perf_counter()
        store.close()
    return middle - start, end - middle


def analyse_some() -> list[str]:
    """The 12 largest of the newest 200 stories, analysed in the base store (once: a copy keeps them)."""
    from newsprism.store import StoryQuery, open_store
    from newsprism.store.ingest import story_report

    store = open_store(BASE_STORE)
    newest = store.stories(StoryQuery(limit=200)).stories
    chosen = [s.id for s in sorted(newest, key=lambda s: -s.articles)[:ANALYSED]]
    for story in chosen:
        story_report(store, story)
    store.close()
    return chosen


def sqlite_alone(runs: int = 50) -> dict[str, list[float]]:
    """The store's own listing query (the first page of 50) and a search, timed on a fresh connection."""
    from newsprism.store import StoryQuery, open_store

    store = open_store(STORE)
    out: dict[str, list[float]] = {"listing (Store.stories, 50)": [], "listing rows (catalog build)": [],
                                   "search (FTS5, 20)": []}
    for i in range(runs):
        start = time.perf_counter()
        store.stories(StoryQuery(limit=50))
        out["listing (Store.stories, 50)"].append(time.perf_counter() - start)
        start = time.perf_counter()
        store.search([WORDS[i % len(WORDS)]], 21)
        out["search (FTS5, 20)"].append(time.perf_counter() - start)
        if i < 10:
            start = time.perf_counter()
            store.listing_rows()
            out["listing rows (catalog build)"].append(time.perf_counter() - start)
    store.close()
    return out


async def load(url: str, stories: list[str], clients: int, seconds: float, token: str, more: list[dict]):
    """``clients`` readers for ``seconds``; while they read, ``more`` is POSTed in batches (none when empty)."""
    import httpx

    results: dict[str, list[tuple[float, int]]] = {name: [] for name, _ in ROUTES}
    ingest_batches: list[tuple[int, float, int]] = []
    names, weights = zip(*ROUTES)
    deadline = time.monotonic() + seconds

    def target(name: str, rng: random.Random) -> str:
        word = rng.choice(WORDS)
        return {"feed /": "/", "GET /api/stories": "/api/stories?limit=50", "story page":
                f"/stories/{rng.choice(stories)}", "search page": f"/search?q={word}",
                "GET /api/search": f"/api/search?q={word}&limit=20"}[name]

    async def client(number: int) -> None:
        rng = random.Random(number)
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while time.monotonic() < deadline:
                name = rng.choices(names, weights)[0]
                start = time.perf_counter()
                try:
                    status = (await http.get(target(name, rng))).status_code
                except httpx.HTTPError:
                    status = 0
                results[name].append((time.perf_counter() - start, status))

    async def ingester() -> None:
        async with httpx.AsyncClient(base_url=url, timeout=600,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            for start in range(0, len(more), BATCH):
                if time.monotonic() > deadline + 600:
                    break
                batch = [{k: a[k] for k in ("id", "title", "text", "published", "outlet") if a.get(k)}
                         for a in more[start:start + BATCH]]
                began = time.perf_counter()
                reply = await http.post("/api/articles", json=batch)
                ingest_batches.append((len(batch), time.perf_counter() - began, reply.status_code))

    feeding = asyncio.create_task(ingester()) if more else None
    await asyncio.gather(*(client(i) for i in range(clients)))
    during = len(ingest_batches)
    if feeding is not None:
        await feeding
    return results, ingest_batches, during


def table(title: str, results: dict, seconds: float) -> None:
    print(f"\n{title}")
    print(f"{'route':<32}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    total = errors = 0
    for name, rows in results.items():
        times = [t * 1000 for t, _ in rows]
        bad = sum(1 for _, status in rows if status != 200)
        total += len(rows)
        errors += bad
        print(f"{name:<32}{len(rows):>9,}{bad:>8}{percentile(times, .5):>9.1f}{percentile(times, .95):>9.1f}"
              f"{percentile(times, .99):>9.1f}")
    print(f"{'all':<32}{total:>9,}{errors:>8}   ({total / seconds:.0f} requests/s)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    import httpx

    os.environ["NEWSPRISM_EMBEDDER"] = "potion"
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} not found: the benchmark reads ../shared beside the checkout")
    clients, seconds = _arg("--clients", 20), _arg("--seconds", 60)
    data = corpus(BASE_ARTICLES + MORE_ARTICLES)
    base, more = data[:BASE_ARTICLES], data[BASE_ARTICLES:]
    if "--rebuild" in sys.argv or not BASE_STORE.exists():
        ingest_s, cluster_s = build_store(base)
        print(f"store: {len(base):,} articles ingested in {ingest_s:.0f} s, clustered in {cluster_s:.0f} s")
    started = time.perf_counter()
    stories = analyse_some()
    print(f"{len(stories)} stories analysed beforehand ({time.perf_counter() - started:.0f} s)")
    fresh_copy()
    baseline = sqlite_alone()
    token = secrets.token_urlsafe(24)
    token_file = STORE.parent / "token.txt"
    token_file.write_text(token + "\n")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (STORE.parent / "serve.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "newsprism", "serve", "--db", str(STORE), "--port", str(port),
                               "--token-file", str(token_file), "--no-analyse", "--writes-per-minute", "100000",
                               "--quiet"], stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        health = httpx.get(url + "/healthz").json()
        for path in ["/", "/api/stories?limit=50", "/search?q=tax", *[f"/stories/{s}" for s in stories]]:
            httpx.get(url + path, timeout=60)  # warm: the catalog is built, the reports parsed once
        quiet, _, _ = asyncio.run(load(url, stories, clients, seconds / 2, token, []))
        results, batches, during = asyncio.run(load(url, stories, clients, seconds, token, more))
        peak = next((line.split()[1] for line in Path(f"/proc/{server.pid}/status").read_text().splitlines()
                     if line.startswith("VmHWM")), "?")
        after = httpx.get(url + "/healthz").json()
    finally:
        server.send_signal(2)
        server.wait(timeout=30)
        log.close()
    print(f"\nstore: {health['articles']:,} articles in {health['stories']:,} stories; {clients} clients; server "
          f"process peak RSS {int(peak) // 1024 if peak.isdigit() else peak} MB (the worker process apart)")
    table(f"reads only, {seconds // 2} s:", quiet, seconds / 2)
    table(f"reads while 1,000 articles are POSTed, {seconds} s:", results, seconds)
    print("\nSQLite alone, same store, same run (no HTTP, one connection):")
    for name, times in baseline.items():
        ms = [t * 1000 for t in times]
        print(f"{name:<32}{len(ms):>9}{'':>8}{percentile(ms, .5):>9.2f}{percentile(ms, .95):>9.2f}"
              f"{percentile(ms, .99):>9.2f}")
    posted = sum(n for n, _, _ in batches)
    ok = sum(1 for _, _, status in batches if status in (200, 201))
    print(f"\ningest during the load: {posted:,} articles POSTed in {len(batches)} batches of {BATCH} ({ok} answered "
          f"2xx, {during} finished within the load window); per batch p50 "
          f"{statistics.median(t for _, t, _ in batches):.1f} s, max {max(t for _, t, _ in batches):.1f} s; "
          f"store after: {after['articles']:,} articles, {after['stories']:,} stories")


if __name__ == "__main__":
    main()
