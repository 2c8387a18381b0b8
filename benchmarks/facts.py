"""Facts and conflicts: alignment quality on the hand-labelled pairs, and facts, conflicts and speed on the seeds.

    python benchmarks/facts.py            # print the tables, for every embedder
    python benchmarks/facts.py --fit      # refit the alignment weights of every embedder on all labelled pairs
    python benchmarks/facts.py --runs 3   # fewer timing runs
    python benchmarks/facts.py --headlines 150 --runs 0   # also: what headlines add on 150 AllSides stories

Alignment is scored, for each embedder in the same run, with 5-fold cross-validation grouped by story (no story's
pairs are on both sides of a fold: a model is always scored on stories it was not fitted on), next to an
embedding-only baseline whose cosine threshold is tuned on the same training folds, and on a held-out story: fitted
on the AllSides pairs only, scored on the seed pairs. The support floor (support.py: the probability from which a
claim is cited) is tuned on facts, not pairs (``facts_gold.py --tune``); ``--fit`` keeps the one in the file, and
the table shows the out-of-fold pairs at it.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
PAIRS = ROOT / "tests" / "fixtures" / "alignment" / "pairs.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"
ALLSIDES = ROOT.parent / "shared" / "datasets" / "allsides-stories" / "dev.jsonl"


def load_pairs() -> list[dict]:
    """The labelled pairs: the first 206 (tests/fixtures/alignment, with their texts) and the development gold's
    (benchmarks/gold/pairs.jsonl, texts read from ../shared; never from a test story of the facts gold)."""
    import roundups

    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    if roundups.ROUNDUPS.exists():
        for pair in roundups.load_pairs():
            pairs.append({"story": f"roundup-{pair['story']}", "label": pair["label"], "kind": pair["kind"],
                          "conflict": pair.get("conflict"),
                          "a": {"source": pair["a"], "text": pair["a_text"]},
                          "b": {"source": pair["b"], "text": pair["b_text"]}})
    return pairs


EMBEDDERS = ("potion", "minilm")


def pair_features(pairs: list[dict], embedder: str = "potion") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(features, labels, cosines) of labelled sentence pairs, each story's sentences treated as one small story."""
    from newsprism.analysis import alignment, run_story
    from newsprism.analysis.conflicts import quantities
    from newsprism.models import Article
    from newsprism.analysis.support import main_event
    from newsprism.lang import default
    from newsprism.nlp import Annotations
    from newsprism.text.dates import find_temporal

    by_story: dict[str, list[int]] = defaultdict(list)
    for n, pair in enumerate(pairs):
        by_story[pair["story"]].append(n)
    feats = np.zeros((len(pairs), len(alignment.FEATURES)))
    cosines = np.zeros(len(pairs))
    for story, members in by_story.items():
        texts = list(dict.fromkeys(t for n in members for t in (pairs[n]["a"]["text"], pairs[n]["b"]["text"])))
        articles = [Article(id=f"s{i}", source=story, text=t) for i, t in enumerate(texts)]
        ctx = run_story(articles, ["entities"], annotations=Annotations(articles, embedder_name=embedder))
        index = ctx.products["entities"]
        infos = []
        for a in articles:
            ents = {e.id for e in index.at(a.id, 0, len(a.text))}
            dates = {t.value for t in find_temporal(a.text, None) if t.value}
            doc = ctx.annotations.doc(a.id)
            event, predicate = main_event(doc, 0, len(a.text), a.text, default())
            infos.append(alignment.describe(doc, 0, len(a.text), ents, quantities(a.text), dates, event, predicate))
        terms = alignment.story_terms(infos, ctx.annotations.embed_words)
        vectors = ctx.annotations.embed(texts)
        words = ctx.annotations.embed_words(texts)
        pos = {t: i for i, t in enumerate(texts)}
        for n in members:
            i, j = pos[pairs[n]["a"]["text"]], pos[pairs[n]["b"]["text"]]
            cos = float(vectors[i] @ vectors[j])
            cosines[n] = cos
            feats[n] = alignment.pair_features(cos, infos[i], infos[j], terms, float(words[i] @ words[j]))
    labels = np.array([p["label"] == "same" for p in pairs], dtype=float)
    return feats, labels, cosines


def gold_pairs(embedder: str, split: str = "fit", floor: float = 0.2):
    """(features, labels, cosines, stories) of the cross-outlet claim pairs of the gold's ``split`` stories (and the
    seeds, for the fit split), labelled by the gold's patterns: two claims state the same fact when one gold fact's
    patterns recognise both; pairs of embedding cosine below ``floor`` are left out (never candidates)."""
    import roundups

    from newsprism.analysis import alignment, stages_for, default_stages
    from newsprism.analysis.facts import claim_table
    from newsprism.analysis.stage import StoryContext, run_stages
    from newsprism.nlp import Annotations
    import facts_gold

    entries = [e for e in roundups.load_gold() if e["split"] == split]
    if split == "fit" and roundups.SEEDS_GOLD.exists():
        entries += roundups.load_gold(roundups.SEEDS_GOLD)
    before = stages_for(["sentences", "entities", "temporal", "sources"], default_stages())
    feats, labels, cosines, stories = [], [], [], []
    import newsprism

    facts_stage = next(s for s in default_stages() if s.name == "facts")
    for entry in entries:
        articles, side_of = facts_gold.story_articles(entry, newsprism)
        ctx = run_stages(before, StoryContext(articles, Annotations(articles, embedder_name=embedder)))
        table = claim_table(ctx.view(facts_stage))
        stated = [{g["id"] for g in entry["facts"] if roundups.states(g, side_of[c.article], c.text)}
                  for c in table.claims]
        n = len(table.claims)
        sims = table.vectors @ table.vectors.T
        for i in range(n):
            for j in range(i + 1, n):
                if table.sources[i] == table.sources[j] or sims[i, j] < floor:
                    continue
                feats.append(alignment.pair_features(float(sims[i, j]), table.infos[i], table.infos[j], table.terms,
                                                     float(table.word_vectors[i] @ table.word_vectors[j])))
                labels.append(1.0 if stated[i] & stated[j] else 0.0)
                cosines.append(float(sims[i, j]))
                stories.append(f"gold-{entry['story']}")
    return np.array(feats), np.array(labels), np.array(cosines), stories


def prf(pred: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    tp = float((pred & gold).sum())
    p = tp / max(1, pred.sum())
    r = tp / max(1, gold.sum())
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores: np.ndarray, gold: np.ndarray) -> float:
    candidates = np.unique(np.round(scores, 3))
    return float(max(candidates, key=lambda t: (prf(scores >= t, gold)[2], -t)))


def story_folds(stories: list[str], folds: int = 5, seed: int = 0) -> np.ndarray:
    """A fold for each pair, by its story: every story's pairs fall in one fold."""
    names = sorted(set(stories))
    order = np.random.default_rng(seed).permutation(len(names))
    fold_of_story = {names[k]: n % folds for n, k in enumerate(order)}
    return np.array([fold_of_story[s] for s in stories])


def out_of_fold(x: np.ndarray, y: np.ndarray, cos: np.ndarray, fold_of: np.ndarray):
    """(out-of-fold probabilities of the logistic model, out-of-fold predictions of the cosine baseline)."""
    from newsprism.analysis.alignment import fit_logistic

    probs = np.zeros(len(y))
    base_pred = np.zeros(len(y), dtype=bool)
    gold = y.astype(bool)
    for f in sorted(set(fold_of)):
        train, test = fold_of != f, fold_of == f
        coef, intercept = fit_logistic(x[train], y[train])
        probs[test] = 1 / (1 + np.exp(-(x[test] @ coef + intercept)))
        base_pred[test] = cos[test] >= best_threshold(cos[train], gold[train])
    return probs, base_pred


def cross_validate(x: np.ndarray, y: np.ndarray, cos: np.ndarray, stories: list[str]):
    probs, base_pred = out_of_fold(x, y, cos, story_folds(stories))
    gold = y.astype(bool)
    return prf(probs >= 0.5, gold), prf(base_pred, gold), probs


def current_support(embedder: str) -> float:
    """The support floor in the embedder's weights file (tuned by ``facts_gold.py --tune``; 0.85 before any)."""
    from newsprism.analysis import alignment
    from newsprism.nlp.embed import embedder_name

    path = alignment.weights_file(embedder_name(embedder))
    return float(json.loads(path.read_text(encoding="utf-8")).get("support", 0.85)) if path.exists() else 0.85


def held_out_story(x: np.ndarray, y: np.ndarray, cos: np.ndarray, test: np.ndarray):
    """Fit on the pairs of other stories, score on one held-out story (the seeds): a story never seen."""
    from newsprism.analysis.alignment import fit_logistic

    gold = y.astype(bool)
    coef, intercept = fit_logistic(x[~test], y[~test])
    model = 1 / (1 + np.exp(-(x[test] @ coef + intercept))) >= 0.5
    base = cos[test] >= best_threshold(cos[~test], gold[~test])
    return prf(model, gold[test]), prf(base, gold[test])


def fit_and_save(x: np.ndarray, y: np.ndarray, embedder: str, support: float, candidate_floor: float) -> None:
    from newsprism.analysis import alignment
    from newsprism.nlp.embed import embedder_name

    coef, intercept = alignment.fit_logistic(x, y)
    name = embedder_name(embedder)
    data = {
        "embedder": name,
        "_about": "Logistic regression over alignment.FEATURES, fitted by benchmarks/facts.py --fit on "
                  "tests/fixtures/alignment/pairs.jsonl, benchmarks/gold/pairs.jsonl and the claim pairs of the "
                  "gold's fit stories and the seeds; threshold is the probability for 'same fact' (the linkage facts "
                  "are grouped by), support the probability from which a claim is cited (tuned on the fit stories "
                  "and the seeds by benchmarks/facts_gold.py --tune), candidate_floor the cosine below which two "
                  "claims are never compared (the 1st percentile of same-fact pairs).",
        "coefficients": {f: round(float(c), 4) for f, c in zip(alignment.FEATURES, coef)},
        "intercept": round(float(intercept), 4),
        "threshold": 0.5,
        "support": support,
        "candidate_floor": candidate_floor,
        "pairs": int(len(y)),
    }
    path = alignment.weights_file(name)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    alignment.pair_model.cache_clear()
    print(f"saved {path.name}: {data['coefficients']} intercept {data['intercept']} support {support}")


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
    """Whole-process times, every command interleaved so load from other processes hits all alike: newsprism
    analyze with each embedder, and a process that only loads spaCy and parses the same texts."""
    import os

    cli = [sys.executable, "-m", "newsprism", "analyze", str(SEEDS)]
    parse_only = [sys.executable, "-c",
                  "import newsprism; from newsprism.nlp import load_pipeline; "
                  f"arts = newsprism.load_articles([{str(SEEDS)!r}]).articles; "
                  "nlp = load_pipeline(); list(nlp.pipe(a.text for a in arts))"]
    commands = [(f"analyze ({e})", cli, e) for e in EMBEDDERS] + [("parse", parse_only, None)]
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for name, cmd, embedder in commands:
            env = dict(os.environ, **({"NEWSPRISM_EMBEDDER": embedder} if embedder else {}))
            start = time.perf_counter()
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
            times[name].append(time.perf_counter() - start)
    parse = statistics.median(times["parse"])
    print(f"\nTiming (median of {runs}, whole process, the seeds): load + spaCy parse only {parse:.2f} s")
    for name, _, _ in commands[:-1]:
        full = statistics.median(times[name])
        print(f"  newsprism {name}: {full:.2f} s = {full / parse:.2f}× the parse process")
    in_process()
    if ALLSIDES.exists():
        big_story()


def big_story(n: int = 200) -> None:
    """One story of ``n`` articles (AllSides excerpts, in file order) analysed in process with each embedder."""
    import os

    import newsprism
    from newsprism.models import Article

    rows = [json.loads(line) for line in ALLSIDES.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [a for story in rows for a in story["articles"] if (a.get("text") or "").strip()][:n]
    articles = [Article(id=f"x{i}", source=f"x{i}", title=a.get("title"), text=a["text"])
                for i, a in enumerate(texts)]
    newsprism.analyze_articles(articles[:3])  # models loaded outside the timing
    for embedder in EMBEDDERS:
        os.environ["NEWSPRISM_EMBEDDER"] = embedder
        newsprism.analyze_articles(articles[:3])
        start = time.perf_counter()
        report = newsprism.analyze_articles(articles)
        print(f"  a {len(articles)}-article story ({embedder}): {time.perf_counter() - start:.1f} s in process, "
              f"{len(report.facts)} facts")
    os.environ.pop("NEWSPRISM_EMBEDDER", None)


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
    pairs = load_pairs()
    hand_stories = [p["story"] for p in pairs]
    seeds = np.array([p["story"] == "seeds" for p in pairs])
    rows, held = [], []
    for embedder in EMBEDDERS:
        x, y, cos = pair_features(pairs, embedder)
        gx, gy, gcos, gstories = gold_pairs(embedder)
        # fitted on the hand-labelled pairs and the fit stories' claim pairs; scored out of fold, by story
        ax, ay, acos = np.vstack([x, gx]), np.concatenate([y, gy]), np.concatenate([cos, gcos])
        stories = hand_stories + gstories
        (mp, mr, mf), (bp, br, bf), probs = cross_validate(ax, ay, acos, stories)
        floor = current_support(embedder)
        sp, sr, _ = prf(probs >= floor, ay.astype(bool))
        candidate_floor = round(float(np.percentile(cos[y == 1], 1)), 2)
        if args.fit:
            fit_and_save(ax, ay, embedder, floor, candidate_floor)
        rows.append(f"| {embedder} | logistic, all features | {mp:.3f} | {mr:.3f} | {mf:.3f} | "
                    f"{floor:.2f}: P {sp:.3f} R {sr:.3f} |")
        rows.append(f"| {embedder} | embedding cosine only (threshold tuned per fold) | {bp:.3f} | {br:.3f} | "
                    f"{bf:.3f} | |")
        (mp, mr, mf), (bp, br, bf) = held_out_story(x, y, cos, seeds)
        held.append(f"| {embedder} | logistic, all features | {mp:.3f} | {mr:.3f} | {mf:.3f} |")
        held.append(f"| {embedder} | embedding cosine only (threshold tuned on AllSides pairs) | {bp:.3f} | "
                    f"{br:.3f} | {bf:.3f} |")
    print(f"Alignment on {len(pairs)} hand-labelled pairs and {len(gy):,} claim pairs of the gold's fit stories "
          f"({int(ay.sum()):,} same in all), 5-fold cross-validation grouped by story")
    print("| embedder | method | precision | recall | F1 | pairs at the support floor (out-of-fold) |\n"
          "|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\nHeld-out story: fitted on the {int((~seeds).sum())} hand-labelled AllSides pairs, scored on the "
          f"{int(seeds.sum())} seed pairs")
    print("| embedder | method | precision | recall | F1 |\n|---|---|---|---|---|")
    print("\n".join(held))
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
