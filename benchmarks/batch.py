"""`newsprism batch` on this machine: the same results from every engine, and what each engine buys in speed;
and the two store backends side by side.

1. Full articles: the first 2,000 of ../shared/datasets/corpus/allsides-articles/articles-15k.jsonl.gz (outlet,
   title, date, text), through the whole pipeline on the single process (``--engine inline``), the process pool
   (``--engine local``, 2 workers) and Ray (2 actors, a local Ray instance), and the single process held to one
   thread as each worker is (``inline-1t``: what one worker does alone): seconds and articles per second for
   extraction + embedding + clustering and for analysis (stories with ``--min-outlets`` outlets); story
   assignments compared between engines and with ``newsprism cluster`` (B-cubed F1; 1.0 = identical); reports
   compared story by story.
2. AllSides excerpts: the 8,277 excerpts of dev.jsonl clustered by each engine (no analysis): B-cubed F1 between
   their assignments, and against the gold stories.
3. Stores: the 2,000 articles upserted into SQLite and into PostgreSQL (a throw-away server, tests/pgserver.py),
   then the story listing (a page of 50) and the catalog rows read, in the same run.

    python benchmarks/batch.py [--articles 2000] [--min-outlets 3] [--embedder minilm|potion] [--skip-ray]
                               [--excerpts-embedder potion|minilm]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "datasets"
CORPUS = SHARED / "corpus" / "allsides-articles" / "articles-15k.jsonl.gz"
DEV = SHARED / "allsides-stories" / "dev.jsonl"


def _records(n: int) -> list[dict]:
    rows = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            item = json.loads(line)
            rows.append({"id": f"c{len(rows):05d}", "outlet": item.get("source"), "title": item.get("title"),
                         "published": item.get("date"), "url": item.get("url"),
                         "text": item.get("content_original") or item.get("content") or ""})
            if len(rows) >= n:
                break
    return rows


def _excerpts() -> tuple[list[dict], list[str]]:
    rows, gold = [], []
    with DEV.open(encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            for n, article in enumerate(story["articles"]):
                rows.append({"id": f"{story['story']}-{n}", "title": article.get("title"),
                             "text": article.get("text") or ""})
                gold.append(story["story"])
    return rows, gold


def _write(rows: list[dict], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row) + "\n")
    return path


def _batch(inputs: list[Path], out: Path, engine: str, args, min_outlets: int, embedder: str | None = None) -> dict:
    """One run of `newsprism batch`; ``inline-1t`` is the single process held to one thread (as each worker is)."""
    import os

    env = dict(os.environ)
    if engine == "inline-1t":
        env.update(NEWSPRISM_THREADS="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    command = [sys.executable, "-m", "newsprism", "batch", *map(str, inputs), "--out", str(out), "--engine",
               engine.split("-")[0], "--min-outlets", str(min_outlets), "-q"]
    if not engine.startswith("inline"):
        command += ["--workers", "2"]
    if embedder or args.embedder:
        command += ["--embedder", embedder or args.embedder]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    wall = time.monotonic() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"batch on {engine} failed: {done.stderr[-2000:]}")
    run = json.loads((out / "run.json").read_text())
    run["wall"] = wall
    return run


def _assignments(out: Path) -> dict[str, str]:
    import pyarrow.parquet as pq

    return {row["id"]: row["story"] for row in pq.read_table(out / "articles.parquet").to_pylist()}


def _agreement(a: dict[str, str], b: dict[str, str]) -> float:
    from newsprism.cluster import bcubed

    ids = sorted(set(a) & set(b))
    return bcubed([a[i] for i in ids], [b[i] for i in ids])[2]


def _reports_equal(a: Path, b: Path) -> tuple[int, int]:
    same = total = 0
    for path in (a / "reports").glob("*.json"):
        other = b / "reports" / path.name
        total += 1
        if other.exists():
            x, y = json.loads(path.read_text()), json.loads(other.read_text())
            x.pop("generated_at"), y.pop("generated_at")
            same += x == y
    return same, total


def _cluster_command(records: Path, args) -> dict[str, str]:
    command = [sys.executable, "-m", "newsprism", "cluster", str(records), "-q"]
    if args.embedder:
        command += ["--embedder", args.embedder]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return {json.loads(line)["id"]: json.loads(line)["story"] for line in done.stdout.splitlines()}


def _stores(rows: list[dict], tmp: Path) -> list[tuple]:
    sys.path.insert(0, str(ROOT / "tests"))
    import pgserver

    from newsprism.ingest.load import stream_bytes
    from newsprism.store import open_store
    from newsprism.store.ingest import update_stories

    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    articles = [a for result in stream_bytes("corpus.jsonl", data) for a in result.articles]
    server = pgserver.Server()
    out = []
    try:
        for name, url in (("SQLite", str(tmp / "store.db")), ("PostgreSQL", server.new_database())):
            store = open_store(url)
            started = time.monotonic()
            for article in articles:
                store.upsert_article(article)
            upsert = time.monotonic() - started
            update_stories(store, embedder=_embedder())
            listing, rows_read = [], []
            for _ in range(20):
                t = time.perf_counter()
                store.stories(__import__("newsprism.store", fromlist=["StoryQuery"]).StoryQuery(limit=50))
                listing.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                store.listing_rows()
                rows_read.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            for word in ("president", "court", "election", "tax", "police"):
                store.search([word], limit=20)
            search = (time.perf_counter() - t) * 1000 / 5
            out.append((name, len(articles), len(articles) / upsert, statistics.median(listing),
                        statistics.median(rows_read), search))
            store.close()
    finally:
        server.stop()
    return out


_EMBEDDER = []


def _embedder():
    from newsprism.nlp import load_embedder

    if not _EMBEDDER:
        _EMBEDDER.append(load_embedder("potion"))
    return _EMBEDDER[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--min-outlets", type=int, default=3)
    parser.add_argument("--embedder", choices=["minilm", "potion"])
    parser.add_argument("--skip-ray", action="store_true")
    parser.add_argument("--excerpts-embedder", choices=["minilm", "potion"], default="potion",
                        help="the embedder of part 2 (only the engines' agreement is measured there)")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"skipped: {CORPUS} is not there (../shared beside the checkout)")
    engines = ["inline", "inline-1t", "local"] + ([] if args.skip_ray else ["ray"])
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = _records(args.articles)
        records = _write(rows, tmp / "corpus.jsonl")
        runs = {e: _batch([records], tmp / f"full-{e}", e, args, args.min_outlets) for e in engines}
        single = _cluster_command(records, args)
        print(f"\n1. {len(rows):,} full articles ({CORPUS.name}), embedder "
              f"{runs['inline']['embedder']}, stories with ≥ {args.min_outlets} outlets analysed; 2 cores\n")
        print(f"{'engine':9} {'workers':>7} {'wall s':>7} {'extract s':>9} {'embed s':>8} {'cluster s':>9} "
              f"{'art/s (ex+em+cl)':>17} {'stories':>8} {'analysed':>8} {'analyse s':>9} {'stories/s':>9} "
              f"{'B3 vs inline':>12} {'B3 vs cluster':>13} {'same reports':>12}")
        base = _assignments(tmp / "full-inline")
        for engine, run in runs.items():
            t = run["timings_seconds"]
            front = t["read and extract"] + t["embed"] + t["cluster"]
            mine = _assignments(tmp / f"full-{engine}")
            same, total = _reports_equal(tmp / "full-inline", tmp / f"full-{engine}")
            analysed = run["counts"]["stories analysed"]
            print(f"{engine:9} {run['workers']:>7} {run['wall']:>7.1f} {t['read and extract']:>9.1f} "
                  f"{t['embed']:>8.1f} {t['cluster']:>9.1f} {run['counts']['articles'] / front:>17.1f} "
                  f"{run['counts']['stories']:>8} {analysed:>8} {t['analyse']:>9.1f} "
                  f"{analysed / t['analyse'] if t['analyse'] else 0:>9.2f} {_agreement(mine, base):>12.4f} "
                  f"{_agreement(mine, single):>13.4f} {f'{same}/{total}':>12}")
        inline = runs["inline"]["timings_seconds"]
        for engine in engines[1:]:
            t = runs[engine]["timings_seconds"]
            print(f"  {engine} vs inline (every thread): ×{(inline['read and extract'] + inline['embed']) / (t['read and extract'] + t['embed']):.2f} "
                  f"extraction + embedding, ×{inline['analyse'] / t['analyse'] if t['analyse'] else 0:.2f} analysis, "
                  f"×{runs['inline']['wall'] / runs[engine]['wall']:.2f} wall (with start-up)")

        excerpts, gold = _excerpts()
        ex = _write(excerpts, tmp / "excerpts.jsonl")
        ex_engines = [e for e in engines if e != "inline-1t"]
        ex_runs = {e: _batch([ex], tmp / f"ex-{e}", e, args, 99, embedder=args.excerpts_embedder) for e in ex_engines}
        print(f"\n2. {len(excerpts):,} AllSides excerpts ({DEV.name}) clustered by each engine (no analysis; embedder "
              f"{ex_runs['inline']['embedder']})\n")
        print(f"{'engine':8} {'wall s':>7} {'B3 F1 vs inline':>16} {'B3 F1 vs gold':>14}")
        ex_base = _assignments(tmp / "ex-inline")
        gold_of = {row["id"]: g for row, g in zip(excerpts, gold)}
        for engine, run in ex_runs.items():
            mine = _assignments(tmp / f"ex-{engine}")
            print(f"{engine:8} {run['wall']:>7.1f} {_agreement(mine, ex_base):>16.4f} {_agreement(mine, gold_of):>14.4f}")

        print(f"\n3. The stores: {len(rows):,} articles upserted one transaction each, clustered (potion), then read\n")
        print(f"{'store':11} {'articles':>8} {'upserts/s':>10} {'listing p50 ms':>15} {'catalog rows ms':>16} "
              f"{'search ms':>10}")
        for name, n, rate, listing, catalog, search in _stores(rows, tmp):
            print(f"{name:11} {n:>8,} {rate:>10.1f} {listing:>15.1f} {catalog:>16.1f} {search:>10.1f}")


if __name__ == "__main__":
    main()
