"""Facts and conflicts: alignment quality on the hand-labelled pairs, and facts, conflicts and speed on the seeds.

    python benchmarks/facts.py            # print the tables
    python benchmarks/facts.py --fit      # refit the alignment weights on all labelled pairs and save them
    python benchmarks/facts.py --runs 3   # fewer timing runs
    python benchmarks/facts.py --headlines 150 --runs 0   # also: what headlines add on 150 AllSides stories

Alignment is scored with 5-fold cross-validation (the folds are stratified by label; every fold's model is fitted
on the other four), next to an embedding-only baseline whose cosine threshold is tuned on the same training folds,
and on a held-out story: fitted on the AllSides pairs only, scored on the seed pairs.
Timing runs the whole ``newsprism analyze`` process on the seeds, and, in the same run, a process that only loads
spaCy and parses the same texts, each the median of several runs.
Headlines (``--headlines N``): N random AllSides dev stories analysed with and without headline claims (the
baseline), the facts' agreement counted, and every fact a headline lifts printed, to be read.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PAIRS = ROOT / "tests" / "fixtures" / "alignment" / "pairs.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"
ALLSIDES = ROOT.parent / "shared" / "datasets" / "allsides-stories" / "dev.jsonl"


def pair_features(pairs: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, cosines) of labelled sentence pairs, each story's sentences treated as one small story."""
    from newsprism.analysis import alignment, run_story
    from newsprism.analysis.conflicts import quantities
    from newsprism.models import Article
    from newsprism.text.dates import find_temporal

    by_story: dict[str, list[int]] = defaultdict(list)
    for n, pair in enumerate(pairs):
        by_story[pair["story"]].append(n)
    feats = np.zeros((len(pairs), len(alignment.FEATURES)))
    cosines = np.zeros(len(pairs))
    for story, members in by_story.items():
        texts = list(dict.fromkeys(t for n in members for t in (pairs[n]["a"]["text"], pairs[n]["b"]["text"])))
        articles = [Article(id=f"s{i}", source=story, text=t) for i, t in enumerate(texts)]
        ctx = run_story(articles, ["entities"])
        index = ctx.products["entities"]
        infos = []
        for a in articles:
            ents = {e.id for e in index.at(a.id, 0, len(a.text))}
            dates = {t.value for t in find_temporal(a.text, None) if t.value}
            infos.append(alignment.describe(ctx.annotations.doc(a.id), 0, len(a.text), ents, quantities(a.text),
                                            dates))
        terms = alignment.story_terms(infos, ctx.annotations.embed)
        vectors = ctx.annotations.embed(texts)
        pos = {t: i for i, t in enumerate(texts)}
        for n in members:
            i, j = pos[pairs[n]["a"]["text"]], pos[pairs[n]["b"]["text"]]
            cos = float(vectors[i] @ vectors[j])
            cosines[n] = cos
            feats[n] = alignment.pair_features(cos, infos[i], infos[j], terms)
    labels = np.array([p["label"] == "same" for p in pairs], dtype=float)
    return feats, labels, cosines


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & gold).sum())
    p = tp / max(1, pred.sum())
    r = tp / max(1, gold.sum())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    candidates = np.unique(np.round(scores, 3))
    return float(max(candidates, key=lambda t: (prf(scores >= t, gold)[2], -t)))


def cross_validate(x: np.ndarray, y: np.ndarray, cos: np.ndarray, folds: int = 5, seed: int = 0):
    from newsprism.analysis.alignment import fit_logistic

    rng = np.random.default_rng(seed)
    fold_of = np.zeros(len(y), dtype=int)
    for label in (0.0, 1.0):  # stratified
        idx = rng.permutation(np.flatnonzero(y == label))
        fold_of[idx] = np.arange(len(idx)) % folds
    model_pred = np.zeros(len(y), dtype=bool)
    base_pred = np.zeros(len(y), dtype=bool)
    gold = y.astype(bool)
    for f in range(folds):
        train, test = fold_of != f, fold_of == f
        coef, intercept = fit_logistic(x[train], y[train])
        model_pred[test] = 1 / (1 + np.exp(-(x[test] @ coef + intercept))) >= 0.5
        base_pred[test] = cos[test] >= best_threshold(cos[train], gold[train])
    return prf(model_pred, gold), prf(base_pred, gold)


def held_out_story(x: np.ndarray, y: np.ndarray, cos: np.ndarray, test: np.ndarray):
    """Fit on the pairs of other stories, score on one held-out story (the seeds): a story never seen."""
    from newsprism.analysis.alignment import fit_logistic

    gold = y.astype(bool)
    coef, intercept = fit_logistic(x[~test], y[~test])
    model = 1 / (1 + np.exp(-(x[test] @ coef + intercept))) >= 0.5
    base = cos[test] >= best_threshold(cos[~test], gold[~test])
    return prf(model, gold[test]), prf(base, gold[test])


def fit_and_save(x: np.ndarray, y: np.ndarray) -> None:
    from newsprism.analysis import alignment
    from newsprism.nlp import load_embedder

    coef, intercept = alignment.fit_logistic(x, y)
    data = {
        "embedder": load_embedder().name,
        "_about": "Logistic regression over alignment.FEATURES, fitted by benchmarks/facts.py --fit on "
                  "tests/fixtures/alignment/pairs.jsonl; threshold is the probability for 'same fact'.",
        "coefficients": {f: round(float(c), 4) for f, c in zip(alignment.FEATURES, coef)},
        "intercept": round(float(intercept), 4),
        "threshold": 0.5,
        "pairs": int(len(y)),
    }
    alignment.WEIGHTS_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"saved {alignment.WEIGHTS_FILE}: {data['coefficients']} intercept {data['intercept']}")


def seed_report() -> None:
    import newsprism
    from newsprism.api import analyze_articles

    articles = newsprism.load_articles([str(SEEDS)]).articles
    report = analyze_articles(articles)
    counts = Counter(f.agreement for f in report.facts)
    by_id = {a.id: a for a in articles}
    verbatim = all(by_id[e.article].excerpt(e) == e.text for f in report.facts for e in f.evidence)
    print(f"\nSeeds ({len(articles)} articles incl. snippets): {len(report.facts)} facts — "
          + ", ".join(f"{k} {counts.get(k, 0)}" for k in ("all", "most", "some", "single"))
          + f"; evidence verbatim at offsets: {verbatim}")
    for fact in report.facts:
        if fact.agreement in ("all", "most"):
            print(f"  [{fact.agreement}] {fact.text[:110]}")
    print(f"Conflicts: {len(report.conflicts)} ({dict(Counter(c.kind for c in report.conflicts))})")
    for conflict in report.conflicts:
        print(f"  [{conflict.kind}] {conflict.description}")


def headlines(n: int, seed: int = 11) -> None:
    """Agreement of the facts of ``n`` random AllSides stories with and without headline claims."""
    import random

    from newsprism.analysis import facts as facts_module
    from newsprism.api import analyze_articles
    from newsprism.models import Article

    rows = [json.loads(line) for line in ALLSIDES.read_text(encoding="utf-8").splitlines() if line.strip()]
    stories = random.Random(seed).sample(rows, min(n, len(rows)))
    title_claims = facts_module.title_claims
    counts: dict[str, Counter] = {}
    lifted: list[tuple[str, list[str]]] = []
    confirming = 0
    for label in ("texts only (baseline)", "texts + headlines"):
        if label.startswith("texts only"):
            facts_module.title_claims = lambda article_id, doc, lang: []
        counts[label] = Counter()
        for k, row in enumerate(stories):
            articles = [Article(id=f"s{k}a{i}", source=f"story{k}#{i}", title=a.get("title"), text=a["text"])
                        for i, a in enumerate(row["articles"])]
            for fact in analyze_articles(articles).facts:
                counts[label][fact.agreement] += 1
                heads = [e for e in fact.evidence if e.in_title]
                confirming += len(heads)
                body = {e.article for e in fact.evidence if not e.in_title}
                new = [e.text for e in heads if e.article not in body]
                if new:
                    lifted.append((fact.text, new))
        facts_module.title_claims = title_claims
    print(f"\nHeadlines on {len(stories)} random AllSides dev stories (3 outlets each; seed {seed})")
    print("| facts from | all | most | some | single |\n|---|---|---|---|---|")
    for label, c in counts.items():
        print(f"| {label} | {c['all']} | {c['most']} | {c['some']} | {c['single']} |")
    print(f"Headline claims in facts: {confirming}; facts a headline adds a source to: {len(lifted)}")
    for text, heads in lifted:
        print(f"  {text[:100]}\n    + headline: {' | '.join(h[:100] for h in heads)}")


def timing(runs: int) -> None:
    """Whole-process times, the two commands interleaved so load from other processes hits both alike."""
    cli = [sys.executable, "-m", "newsprism", "analyze", str(SEEDS)]
    parse_only = [sys.executable, "-c",
                  "import newsprism; from newsprism.nlp import load_pipeline; "
                  f"arts = newsprism.load_articles([{str(SEEDS)!r}]).articles; "
                  "nlp = load_pipeline(); list(nlp.pipe(a.text for a in arts))"]
    times: dict[str, list[float]] = {"cli": [], "parse": []}
    for _ in range(runs):
        for name, cmd in (("cli", cli), ("parse", parse_only)):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[name].append(time.perf_counter() - start)
    full, parse = statistics.median(times["cli"]), statistics.median(times["parse"])
    print(f"\nTiming (median of {runs}, whole process): newsprism analyze {full:.2f} s; "
          f"load + spaCy parse only {parse:.2f} s; difference {full - parse:+.2f} s "
          f"({(full - parse) / parse:+.0%} of the parse process)")
    in_process()


def in_process() -> None:
    """Inside one process: spaCy parse of the seeds vs the facts and conflicts stages (model loads excluded)."""
    import newsprism
    from newsprism.analysis import StoryContext, default_stages, run_stages, stages_for
    from newsprism.nlp import Annotations, load_pipeline

    articles = newsprism.load_articles([str(SEEDS)]).articles
    load_pipeline()
    ann = Annotations(articles)
    ann.embed(["warm-up"])
    start = time.perf_counter()
    ann.parse_all()
    parse = time.perf_counter() - start
    *before, facts_stage, conflicts_stage = stages_for(["conflicts"], default_stages())
    ctx = run_stages(before, StoryContext(articles, ann))
    start = time.perf_counter()
    facts_stage.run(ctx.view(facts_stage))
    facts = time.perf_counter() - start
    start = time.perf_counter()
    conflicts_stage.run(ctx.view(conflicts_stage))
    conflicts = time.perf_counter() - start
    print(f"In process: spaCy parse {parse:.2f} s; facts stage {facts:.2f} s; conflicts stage {conflicts:.2f} s "
          f"(facts + conflicts = {(facts + conflicts) / parse:.0%} of the parse)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="refit and save the alignment weights")
    parser.add_argument("--runs", type=int, default=5, help="timing runs (median reported)")
    parser.add_argument("--headlines", type=int, default=0, metavar="N",
                        help="also compare facts with and without headlines on N random AllSides stories")
    args = parser.parse_args()
    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    x, y, cos = pair_features(pairs)
    if args.fit:
        fit_and_save(x, y)
    (mp, mr, mf), (bp, br, bf) = cross_validate(x, y, cos)
    print(f"Alignment on {len(pairs)} labelled pairs ({int(y.sum())} same), 5-fold cross-validation")
    print("| method | precision | recall | F1 |\n|---|---|---|---|")
    print(f"| embedding + lexical + entities + numbers + dates (logistic) | {mp:.3f} | {mr:.3f} | {mf:.3f} |")
    print(f"| embedding cosine only (threshold tuned per fold) | {bp:.3f} | {br:.3f} | {bf:.3f} |")
    seeds = np.array([p["story"] == "seeds" for p in pairs])
    (mp, mr, mf), (bp, br, bf) = held_out_story(x, y, cos, seeds)
    print(f"\nHeld-out story: fitted on the {int((~seeds).sum())} AllSides pairs, scored on the "
          f"{int(seeds.sum())} seed pairs")
    print("| method | precision | recall | F1 |\n|---|---|---|---|")
    print(f"| logistic, all features | {mp:.3f} | {mr:.3f} | {mf:.3f} |")
    print(f"| embedding cosine only (threshold tuned on AllSides pairs) | {bp:.3f} | {br:.3f} | {bf:.3f} |")
    if SEEDS.exists():
        seed_report()
        if args.runs > 0:
            timing(args.runs)
    else:
        print(f"\n{SEEDS} not found: seed figures skipped")
    if args.headlines:
        if ALLSIDES.exists():
            headlines(args.headlines)
        else:
            print(f"\n{ALLSIDES} not found: headline figures skipped")


if __name__ == "__main__":
    main()
