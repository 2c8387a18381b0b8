"""Story clustering: quality on AllSides dev stories (B-cubed) and speed on 15k full-length articles.

Quality: the 8,277 excerpts of ../shared/datasets/allsides-stories/dev.jsonl (2,759 stories × 3 outlets) are
shuffled (seed 13) and clustered as one batch. Split: the first 1,000 stories of the file (3,000 excerpts) are the
TUNING split, on which ``--fit`` fits the pair model and chooses its threshold (written to
src/newsprism/cluster/data/pair_weights.<embedder>.json, one file per sentence model); figures are reported
on the other 1,759 stories (5,277 excerpts, never seen in fitting) and on all 8,277. The baseline (TF-IDF + agglomerative
average linkage, scikit-learn) gets its distance threshold tuned on the same tuning split, in the same run.

Speed: ../shared/datasets/corpus/allsides-articles/articles-15k.jsonl.gz; featurise + cluster 1,000 / 5,000 /
15,000 articles from scratch, articles per second and peak memory; then ingest 1,000 articles into a fresh store
(JSON Lines extraction and cleaning, no spaCy) and cluster them.

Quality is printed for every embedder in the same run (``--embedder NAME``: that one only); speed for potion at
every size and for MiniLM on 1,000 articles.

Run: python benchmarks/cluster.py [--quick | --fit] [--embedder potion|minilm]
     (--quick: no 15,000 run; --fit: refit the pair model of the embedder, NEWSPRISM_EMBEDDER or --embedder)
"""

from __future__ import annotations

import gzip
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


def online(items, settings=None):
    from newsprism.cluster import bcubed, cluster_features, featurize

    feats = featurize([x[:4] for x in items])
    start = time.perf_counter()
    labels = cluster_features(feats, settings)
    return bcubed(labels, [x[4] for x in items]), time.perf_counter() - start


def batches(stories: list[dict], size: int, count: int, seed: int) -> list[list[tuple]]:
    """``count`` random batches of ``size`` stories each, their excerpts shuffled: small inputs, as users give."""
    rng = random.Random(seed)
    return [excerpts(rng.sample(stories, size), seed=seed + n) for n in range(count)]


def mean_f1(groups: list[list[tuple]], settings=None) -> float:
    from newsprism.cluster import bcubed, cluster_features, featurize

    return sum(bcubed(cluster_features(featurize([x[:4] for x in g]), settings), [x[4] for x in g])[2]
               for g in groups) / len(groups)


def fit(stories: list[dict]) -> dict:
    """Fit the pair model on the candidate pairs of the tuning stories — all at once and in small random batches,
    since "closest match" means less in a batch of 30 than in one of 3,000 — then its threshold by grid search on
    the mean of the two F1s."""
    import numpy as np

    from newsprism.analysis.alignment import fit_logistic
    from newsprism.cluster import StoryClusterer, bcubed, cluster_features, featurize
    from newsprism.cluster import online as model
    from newsprism.nlp import load_embedder

    embedder = load_embedder().name  # the weights name the embedder they are fitted for
    whole = excerpts(stories)
    # Two data-derived constants come first: the background (the median k-th best similarity of an article in the
    # whole tuning split) and the floor (the 1st percentile of the similarity of same-story candidate pairs).
    zeros = dict.fromkeys(model.FEATURES, 0.0)
    model.weights_file(embedder).write_text(json.dumps({"embedder": embedder, "coefficients": zeros,
                                              "intercept": 0.0, "threshold": 1.0, "background": 0.0,
                                              "min_similarity": 0.0}), encoding="utf-8")
    model.pair_weights.cache_clear()
    clusterer = StoryClusterer()
    new = clusterer._index(featurize([x[:4] for x in whole]))
    background = float(np.median([clusterer._stats(i)[1] for i in new]))
    same = [sim for i in new for j, sim, *_ in clusterer._candidates(i)[:clusterer.settings.neighbours]
            if whole[i][4] == whole[j][4]]
    floor = float(np.percentile(same, 1))
    zeros = dict.fromkeys(model.FEATURES, 0.0)
    model.weights_file(embedder).write_text(json.dumps({"embedder": embedder, "coefficients": zeros,
                                              "intercept": 0.0, "threshold": 1.0, "background": background,
                                              "min_similarity": floor}), encoding="utf-8")
    model.pair_weights.cache_clear()
    small = batches(stories, 10, 60, seed=101) + batches(stories, 100, 6, seed=202)
    xs, ys = [], []
    for items in [whole] + small:
        gold = [x[4] for x in items]
        clusterer = StoryClusterer()
        rows = clusterer.pair_rows(clusterer._index(featurize([x[:4] for x in items])))
        xs.extend(r[2] for r in rows)
        ys.extend(gold[i] == gold[j] for i, j, _ in rows)
    x, y = np.stack(xs), np.array(ys, dtype=np.float64)
    coef, intercept = fit_logistic(x, y, steps=20000, rate=1.0)
    weights = {"embedder": embedder, "coefficients": dict(zip(model.FEATURES, (round(c, 4) for c in coef.tolist()))),
               "intercept": round(intercept, 4), "threshold": None, "background": round(background, 4),
               "min_similarity": round(floor, 4),
               "fitted_on": f"candidate pairs of the first {TUNING_STORIES} stories of allsides-stories/dev.jsonl, "
                            f"clustered whole and in 66 random batches of 10 or 100 stories: {len(y):,} pairs, "
                            f"{int(y.sum()):,} same-story",
               "command": "python benchmarks/cluster.py --fit"}
    feats = featurize([x[:4] for x in whole])
    best = None
    for threshold in (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        weights["threshold"] = threshold
        model.weights_file(embedder).write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
        model.pair_weights.cache_clear()
        f1_whole = bcubed(cluster_features(feats), [x[4] for x in whole])[2]
        f1_small = mean_f1(small[:30])
        print(f"threshold {threshold}: tuning B-cubed F1 whole {f1_whole:.3f}, batches of 10 stories {f1_small:.3f}")
        if best is None or f1_whole + f1_small > best[0]:
            best = (f1_whole + f1_small, threshold, f1_whole, f1_small)
    weights["threshold"] = best[1]
    weights["tuning_bcubed_f1"] = {"whole": round(best[2], 4), "batches_of_10_stories": round(best[3], 4)}
    model.weights_file(embedder).write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    model.pair_weights.cache_clear()
    return weights


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


def throughput(sizes, embedder_name: str = "potion"):
    """Features plus clustering of the first ``n`` corpus articles, models loaded. potion for every size; MiniLM,
    which embeds full articles two orders of magnitude slower, is timed on the smallest only."""
    from newsprism.cluster import cluster_features, featurize
    from newsprism.nlp import load_embedder

    embedder = load_embedder(embedder_name)
    rows = []
    for n in sizes:
        data = corpus(n)
        start = time.perf_counter()
        labels = cluster_features(featurize([(a["id"], a["title"], a["text"], a["published"]) for a in data],
                                            embedder), embedder=embedder.name)
        seconds = time.perf_counter() - start
        rows.append((f"{n:,} ({embedder_name})", seconds, n / seconds, len(set(labels)), peak_mb()))
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
    import os

    if "--embedder" in sys.argv:
        os.environ["NEWSPRISM_EMBEDDER"] = sys.argv[sys.argv.index("--embedder") + 1]
    from newsprism.cluster import bcubed
    from newsprism.nlp.embed import EMBEDDERS, embedder_choice

    quick = "--quick" in sys.argv
    if not DEV.exists():
        sys.exit(f"{DEV} not found: the benchmark reads ../shared beside the checkout")
    stories = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    tune_items = excerpts(stories[:TUNING_STORIES])
    if "--fit" in sys.argv:
        weights = fit(stories[:TUNING_STORIES])
        print(json.dumps(weights, indent=1))
        return
    # Speed first, so that peak memory is the clustering's own (the baseline's distance matrix comes later).
    speed = (throughput((1000, 5000) if quick else (1000, 5000, 15000)) + throughput((1000,), "minilm")
             if CORPUS.exists() else [])
    test_sets = {"tuning 1,000 stories": tune_items, "held-out 1,759 stories": excerpts(stories[TUNING_STORIES:]),
                 "all 2,759 stories": excerpts(stories)}
    base_tune, base_scores = baseline(tune_items, test_sets)
    chosen = embedder_choice()
    embedders = [chosen] if "--embedder" in sys.argv else sorted(EMBEDDERS, key=lambda e: e != chosen)
    print("pair model and threshold: src/newsprism/cluster/data/pair_weights.<embedder>.json (fitted on the tuning "
          "split by --fit); baseline threshold chosen on the tuning split in this run")
    quality = ["| method | split | excerpts | B3 precision | B3 recall | B3 F1 | cluster s |\n"
               "|---|---|---|---|---|---|---|"]
    batch_rows = ["| method | held-out batches | mean B3 F1 |\n|---|---|---|"]
    for embedder in embedders:
        os.environ["NEWSPRISM_EMBEDDER"] = embedder
        for name, items in test_sets.items():
            (p, r, f), seconds = online(items)
            quality.append(f"| newsprism ({embedder}) | {name} | {len(items):,} | {p:.3f} | {r:.3f} | {f:.3f} | "
                           f"{seconds:.1f} |")
        for size, count in ((10, 40), (100, 10)):
            groups = batches(stories[TUNING_STORIES:], size, count, seed=303 + size)
            batch_rows.append(f"| newsprism ({embedder}) | {count} × {size} stories | {mean_f1(groups):.3f} |")
    os.environ["NEWSPRISM_EMBEDDER"] = chosen
    for name, items in test_sets.items():
        if name in base_scores:
            p, r, f = base_scores[name]
            quality.append(f"| TF-IDF + average linkage (threshold {base_tune[1]}) | {name} | {len(items):,} | "
                           f"{p:.3f} | {r:.3f} | {f:.3f} | |")
    if base_tune is not None:
        for size, count in ((10, 40), (100, 10)):
            groups = batches(stories[TUNING_STORIES:], size, count, seed=303 + size)
            mean = sum(bcubed(baseline_labels(g, base_tune[1]), [x[4] for x in g])[2] for g in groups) / count
            batch_rows.append(f"| TF-IDF + average linkage (threshold {base_tune[1]}) | {count} × {size} stories | "
                              f"{mean:.3f} |")
    print("\n" + "\n".join(quality))
    print("\n" + "\n".join(batch_rows))
    if not speed:
        return
    print("\n| articles | seconds | articles/s | stories | peak RSS MB |\n|---|---|---|---|---|")
    for n, seconds, rate, clusters, mb in speed:
        print(f"| {n} | {seconds:.1f} | {rate:.0f} | {clusters:,} | {mb:.0f} |")
    stored, ingest_s, cluster_s = ingest_throughput(1000)
    print(f"\ningest (JSONL → clean articles → SQLite, no spaCy): {stored} articles in {ingest_s:.1f} s "
          f"= {stored / ingest_s:.0f}/s; clustering them in the store: {cluster_s:.1f} s; peak RSS {peak_mb():.0f} MB")
    from newsprism.nlp import load_pipeline

    nlp = load_pipeline()
    texts = [a["text"] for a in corpus(100)]
    start = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    print(f"for comparison, spaCy en_core_web_sm parsing the first 100 of those articles: "
          f"{len(texts) / (time.perf_counter() - start):.1f} articles/s")


if __name__ == "__main__":
    main()
