"""The watcher at scale: 500 feeds on 20 loopback hosts with 20,000 items (half carry their full text; the other
half have their pages fetched), served by a feed farm in another process (tests/watch/farm.py).

Printed, in one run: the first round (every item new), a second round of every feed (all answered 304), and — the
peer — ``ingest`` reading a sample of the same feeds twice, as a cron job of ``newsprism ingest feeds.txt`` would:
time, requests per item, items per second, CPU seconds of this process, peak memory, and the most requests any
host saw at once (must be 1). Clustering and analysis are not part of a round and are not timed here.

    python benchmarks/watch_load.py                       # the issue's size
    python benchmarks/watch_load.py --feeds-per-host 5 --items 10    # a quick look
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def _farm_stats(urls: list[str]) -> list[dict]:
    return [httpx.get(u, timeout=30).json() for u in urls]


def _delta(after: list[dict], before: list[dict], key: str) -> int:
    return sum(a[key] for a in after) - sum(b[key] for b in before)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--feeds-per-host", type=int, default=25)
    parser.add_argument("--items", type=int, default=40, help="items per feed")
    parser.add_argument("--host-pause", type=float, default=0.05,
                        help="seconds between requests to one host (the default of watch is 1; loopback hosts "
                             "answer in a millisecond, so the benchmark measures the watcher, not the pause)")
    parser.add_argument("--sample", type=int, default=20, help="feeds the ingest peer reads (twice)")
    args = parser.parse_args()

    from newsprism.options import Options
    from newsprism.store import open_store
    from newsprism.store.ingest import ingest
    from newsprism.watch import WatchPolicy, Watcher

    farm = subprocess.Popen([sys.executable, str(ROOT / "tests" / "watch" / "farm.py"), "--hosts", str(args.hosts),
                             "--feeds-per-host", str(args.feeds_per_host), "--items", str(args.items)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert farm.stdout is not None and farm.stdin is not None
    layout = json.loads(farm.stdout.readline())
    feeds, stats_urls = layout["feeds"], layout["stats"]
    items = len(feeds) * args.items
    rows = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "watch.db")
            for url in feeds:
                store.add_feed(url, time.time())
            policy = WatchPolicy(host_pause=args.host_pause)
            for name, every in (("watch: first round", False), ("watch: second round (--all)", True)):
                before, cpu, started = _farm_stats(stats_urls), time.process_time(), time.monotonic()
                done = Watcher(store, Options(allow_private=True), policy).round(every=every)
                seconds, cpu = time.monotonic() - started, time.process_time() - cpu
                after = _farm_stats(stats_urls)
                requests = _delta(after, before, "requests")
                rows.append((name, len(feeds), items, seconds, requests, requests / items, done["stored"] / seconds,
                             cpu, max(a["max_in_flight"] for a in after), _delta(after, before, "not_modified"),
                             done["errors"]))
            store.close()
            sample = feeds[:args.sample]
            peer = open_store(Path(tmp) / "ingest.db")
            for name in ("ingest: first run (sample)", "ingest: second run (sample)"):
                before, cpu, started = _farm_stats(stats_urls), time.process_time(), time.monotonic()
                result = ingest(peer, sample, Options(allow_private=True))
                seconds, cpu = time.monotonic() - started, time.process_time() - cpu
                after = _farm_stats(stats_urls)
                requests = _delta(after, before, "requests")
                n = len(sample) * args.items
                rows.append((name, len(sample), n, seconds, requests, requests / n, result.added / seconds, cpu,
                             max(a["max_in_flight"] for a in after), 0, len(result.problems)))
            peer.close()
    finally:
        farm.stdin.close()
        farm.wait(timeout=30)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{len(feeds)} feeds on {args.hosts} loopback hosts, {items:,} items ({args.items} a feed, half with full "
          f"text); host pause {args.host_pause:g} s, concurrency {policy.concurrency}\n")
    print(f"{'run':30} {'feeds':>6} {'items':>7} {'seconds':>8} {'requests':>9} {'req/item':>9} "
          f"{'stored/s':>9} {'CPU s':>7} {'max/host':>9} {'304s':>6} {'errors':>7}")
    for row in rows:
        print(f"{row[0]:30} {row[1]:>6} {row[2]:>7,} {row[3]:>8.1f} {row[4]:>9,} {row[5]:>9.3f} {row[6]:>9.1f} "
              f"{row[7]:>7.1f} {row[8]:>9} {row[9]:>6} {row[10]:>7}")
    print(f"\npeak memory of this process (watcher and peer): {peak:.0f} MB; 'max/host' is the most requests any "
          "one host saw in flight at once over the run so far")


if __name__ == "__main__":
    main()
