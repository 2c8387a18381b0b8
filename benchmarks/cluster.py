"""Story clustering: quality on AllSides dev stories (B-cubed) and speed on 15k full-length articles.

Quality: the 8,277 excerpts of ../shared/datasets/allsides-stories/dev.jsonl (2,759 stories × 3 outlets) are
shuffled (seed 13) and clustered as one stream. Split: the first 1,000 stories of the file (3,000 excerpts) are the
TUNING split, on which the weights and threshold are chosen by grid search; figures are reported on the other
1,759 stories (5,277 excerpts, never seen in tuning) and on all 8,277. The baseline (TF-IDF + agglomerative
average linkage, scikit-learn) gets its distance threshold tuned on the same tuning split, in the same run.

Speed: ../shared/datasets/corpus/allsides-articles/articles-15k.jsonl.gz; featurise + cluster 1,000 / 5,000 /
15,000 articles from scratch, articles per second and peak memory; then ingest 1,000 articles into a fresh store
(JSON Lines extraction and cleaning, no spaCy) and cluster them.

Run: python benchmarks/cluster.py [--quick]   (--quick: smaller grid, no 15,000 run)
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "datasets"
DEV = SHARED / "allsides-stories" / "dev.jsonl"
CORPUS = SHARED / "corpus" / "allsides-articles" / "articles-15k.jsonl.gz"
TUNING_STORIES = 1000


def excerpts(stories: list[dict], seed: int = 13) -> list[tuple[str, str | None, str, None, str]]:
    out = []
    for story in stories:
        for n, article in enumerate(story["articles"]):
            out.append((f"{story['story']}-{n}", article.get("title"), article.get("text") or "", None,
                        story["story"]))
    random.Random(seed).shuffle(out)
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def online(items, settings):
    from newsprism.cluster import bcubed, cluster_features, featurize

    feats = featurize([x[:4] for x in items])
    return bcubed(cluster_features(feats, settings), [x[4] for x in items])


def tune_online(items, quick: bool):
    from newsprism.cluster import ClusterSettings, bcubed, cluster_features, featurize

    feats = featurize([x[:4] for x in items])
    gold = [x[4] for x in items]
    weights = [(0.5, 0.0, 0.5), (0.35, 0.15, 0.5), (0.4, 0.1, 0.5), (0.3, 0.1, 0.6)]
    thresholds = [0.45, 0.5, 0.55] if quick else [0.4, 0.45, 0.5, 0.55, 0.6]
    best = None
    for (wt, we, wd), th in itertools.product(weights, thresholds):
        settings = ClusterSettings(token_weight=wt, entity_weight=we, dense_weight=wd, threshold=th)
        score = bcubed(cluster_features(feats, settings), gold)
        if best is None or score[2] > best[0][2]:
            best = (score, settings)
    return best


def baseline_labels(items, threshold: float):
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [f"{x[1] or ''}\n{x[2]}" for x in items]
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts)
    distances = 1.0 - (matrix @ matrix.T).toarray()  # rows are unit-length: cosine distance
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=threshold)
    return [str(x) for x in model.fit_predict(distances)]


def baseline(tune_items, test_sets):
    from newsprism.cluster import bcubed

    try:
        import sklearn  # noqa: F401
    except ImportError:
        return None, {}
    gold = [x[4] for x in tune_items]
    best = max(((bcubed(baseline_labels(tune_items, t), gold), t) for t in (0.6, 0.7, 0.75, 0.8, 0.85, 0.9)),
               key=lambda s: s[0][2])
    return best, {name: bcubed(baseline_labels(items, best[1]), [x[4] for x in items])
                  for name, items in test_sets.items()}


def corpus(n: int) -> list[dict]:
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            out.append({"id": f"c{len(out)}", "title": row.get("title"), "text": row.get("content") or
                        row.get("content_original") or "", "published": row.get("date"), "outlet": row.get("source")})
            if len(out) == n:
                break
    return out


def throughput(sizes):
    from newsprism.cluster import cluster_features, featurize
    from newsprism.nlp import load_embedder

    load_embedder()
    rows = []
    for n in sizes:
        data = corpus(n)
        start = time.perf_counter()
        labels = cluster_features(featurize([(a["id"], a["title"], a["text"], a["published"]) for a in data]))
        seconds = time.perf_counter() - start
        rows.append((n, seconds, n / seconds, len(set(labels)), peak_mb()))
    return rows


def ingest_throughput(n: int):
    from newsprism.store import open_store
    from newsprism.store.ingest import ingest, update_stories

    data = corpus(n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(a) + "\n" for a in data), encoding="utf-8")
        store = open_store(Path(tmp) / "bench.db")
        start = time.perf_counter()
        result = ingest(store, [str(path)])
        middle = time.perf_counter()
        update_stories(store)
        end = time.perf_counter()
        store.close()
    return result.stored, middle - start, end - middle


def main() -> None:
    quick = "--quick" in sys.argv
    if not DEV.exists():
        sys.exit(f"{DEV} not found: the benchmark reads ../shared beside the checkout")
    # Speed first, so that peak memory is the clustering's own (the baseline's distance matrix comes later).
    speed = throughput((1000, 5000) if quick else (1000, 5000, 15000)) if CORPUS.exists() else []
    stories = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    tune_items = excerpts(stories[:TUNING_STORIES])
    test_sets = {"held-out 1,759 stories": excerpts(stories[TUNING_STORIES:]), "all 2,759 stories": excerpts(stories)}
    (tune_score, settings) = tune_online(tune_items, quick)
    print(f"chosen on tuning split (first {TUNING_STORIES} stories): token {settings.token_weight}, entity "
          f"{settings.entity_weight}, dense {settings.dense_weight}, threshold {settings.threshold}; "
          f"tuning B-cubed F1 {tune_score[2]:.3f}")
    base_tune, base_scores = baseline(tune_items, test_sets)
    print("\n| method | split | excerpts | B3 precision | B3 recall | B3 F1 |\n|---|---|---|---|---|---|")
    for name, items in test_sets.items():
        p, r, f = online(items, settings)
        print(f"| newsprism online | {name} | {len(items):,} | {p:.3f} | {r:.3f} | {f:.3f} |")
        if name in base_scores:
            p, r, f = base_scores[name]
            print(f"| TF-IDF + average linkage (threshold {base_tune[1]}) | {name} | {len(items):,} | {p:.3f} | "
                  f"{r:.3f} | {f:.3f} |")
    if not speed:
        return
    print("\n| articles | seconds | articles/s | stories | peak RSS MB |\n|---|---|---|---|---|")
    for n, seconds, rate, clusters, mb in speed:
        print(f"| {n:,} | {seconds:.1f} | {rate:.0f} | {clusters:,} | {mb:.0f} |")
    stored, ingest_s, cluster_s = ingest_throughput(1000)
    print(f"\ningest (JSONL → clean articles → SQLite, no spaCy): {stored} articles in {ingest_s:.1f} s "
          f"= {stored / ingest_s:.0f}/s; clustering them in the store: {cluster_s:.1f} s; peak RSS {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
