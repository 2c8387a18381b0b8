"""Summary quality on AllSides: ROUGE of newsprism's summary against the AllSides neutral summary, next to a lead
baseline, a centroid baseline and today's method (the package before the facts issue, ``facts_gold.BASELINE``,
imported from the repository's history) in the same run.

Each story has three excerpts (left, centre, right outlets) and an editor-written neutral summary. Every method
extracts sentences until it reaches the reference's word count (the same length rule for all three). ROUGE-1/2
(unigram/bigram overlap) and ROUGE-L (longest common subsequence) F1 and recall, over lower-cased ``\\w+`` tokens
without stemming, implemented here (no ROUGE package is installed).

    python benchmarks/summary.py [--limit 300]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "allsides-stories" / "dev.jsonl"


def tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _f(overlap: int, predicted: int, gold: int) -> tuple[float, float]:
    precision, recall = overlap / max(1, predicted), overlap / max(1, gold)
    return (2 * precision * recall / (precision + recall) if overlap else 0.0), recall


def rouge_n(pred: list[str], gold: list[str], n: int) -> tuple[float, float]:
    """(F1, recall) of n-gram overlap.

    >>> rouge_n("the cat sat".split(), "the cat ran".split(), 1)[0]
    0.6666666666666666
    """
    grams = lambda ws: Counter(tuple(ws[i:i + n]) for i in range(len(ws) - n + 1))  # noqa: E731
    p, g = grams(pred), grams(gold)
    return _f(sum((p & g).values()), sum(p.values()), sum(g.values()))


def rouge_l(pred: list[str], gold: list[str]) -> tuple[float, float]:
    """(F1, recall) from the longest common subsequence.

    >>> rouge_l("a b c d".split(), "a c d e".split())[0]
    0.75
    """
    if not pred or not gold:
        return 0.0, 0.0
    previous = [0] * (len(gold) + 1)
    for word in pred:
        current = [0]
        for j, other in enumerate(gold):
            current.append(previous[j] + 1 if word == other else max(previous[j + 1], current[j]))
        previous = current
    return _f(previous[-1], len(pred), len(gold))


def take_words(sentences: list[str], budget: int) -> str:
    chosen, words = [], 0
    for sentence in sentences:
        if words >= budget:
            break
        chosen.append(sentence)
        words += len(sentence.split())
    return " ".join(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=300, help="stories sampled (fixed seed); 0 = all 2,759")
    parser.add_argument("--seed", type=int, default=11, help="sample seed (11 = evaluation; tune on another)")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"skipped: {DATA} not found (third-party data is read from ../shared)")
        return 0
    import numpy as np

    from newsprism.analysis import StoryContext, default_stages, run_stages, stages_for
    from newsprism.analysis.summary import SummaryStage, candidates, summarize
    from newsprism.ingest.decode import normalize_text
    from newsprism.models import Article
    from newsprism.nlp import Annotations, load_embedder, load_pipeline

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import facts_gold

    today, why = facts_gold.baseline_package()
    if today is None:
        print(f"today's method skipped: {why}")
    stories = [json.loads(line) for line in DATA.open()]
    if args.limit:
        stories = random.Random(args.seed).sample(stories, min(args.limit, len(stories)))
    load_pipeline(), load_embedder()
    scores: dict[str, list[tuple[float, ...]]] = {"lead": [], "centroid": [], "newsprism": []}
    if today is not None:
        import importlib

        old_analysis = importlib.import_module(f"{today.__name__}.analysis")
        old_summary = importlib.import_module(f"{today.__name__}.analysis.summary")
        old_models = importlib.import_module(f"{today.__name__}.models")
        old_nlp = importlib.import_module(f"{today.__name__}.nlp")
        scores[f"today ({facts_gold.BASELINE})"] = []
        today_upstream = old_analysis.stages_for(["summary"], old_analysis.default_stages())[:-1]
    seconds = 0.0
    upstream = stages_for(["summary"], default_stages())[:-1]  # every stage the summary reads, itself left out
    summary_stage = SummaryStage()
    for story in stories:
        articles = [Article(id=f"a{i}", source=f"a{i}", title=a.get("title"), text=normalize_text(a["text"]))
                    for i, a in enumerate(story["articles"]) if a.get("text", "").strip()]
        if not articles:
            continue
        gold = tokens(story["neutral_summary"])
        ctx = run_stages(upstream, StoryContext(articles, Annotations(articles)))
        view = ctx.view(summary_stage)
        sentences = ctx.products["sentences"]
        # Lead: the articles' sentences in turn (first of each, then second of each, …).
        longest = max(len(s) for s in sentences.values())
        lead = [sentences[a.id][k].text for k in range(longest) for a in articles if k < len(sentences[a.id])]
        # Centroid: the same candidate sentences newsprism uses, ranked by cosine to the story centroid only.
        pool = candidates(view)
        if pool:
            vectors = ctx.annotations.embed([c.text for c in pool])
            centroid = vectors.mean(axis=0)
            centroid_order = [pool[i].text for i in np.argsort(-(vectors @ centroid))]
        else:
            centroid_order = lead
        start = time.perf_counter()
        ours = [s.text for s in summarize(view, max_sentences=20, max_words=len(gold))]
        seconds += time.perf_counter() - start
        methods = [("lead", lead), ("centroid", centroid_order), ("newsprism", ours or lead)]
        if today is not None:
            old = [old_models.Article(**a.model_dump(include={"id", "source", "title", "text"})) for a in articles]
            old_ctx = old_analysis.run_stages(today_upstream, old_analysis.StoryContext(old, old_nlp.Annotations(old)))
            stage = old_summary.SummaryStage()
            theirs = [s.text for s in old_summary.summarize(old_ctx.view(stage), max_sentences=20,
                                                             max_words=len(gold))]
            methods.append((f"today ({facts_gold.BASELINE})", theirs or lead))
        for name, ranked in methods:
            pred = tokens(take_words(ranked, len(gold)))
            r1, r2, rl = rouge_n(pred, gold, 1), rouge_n(pred, gold, 2), rouge_l(pred, gold)
            scores[name].append((r1[0], r2[0], rl[0], r1[1], r2[1], rl[1]))
    n = len(scores["lead"])
    print(f"AllSides neutral summaries: {n} stories (sample seed {args.seed}), 3 excerpts each; "
          "length = reference's words\n")
    print(f"{'method':<16}{'R1 F1':>8}{'R2 F1':>8}{'RL F1':>8}{'R1 rec':>8}{'R2 rec':>8}{'RL rec':>8}")
    for name, rows in scores.items():
        means = [statistics.mean(r[k] for r in rows) for k in range(6)]
        print(f"{name:<16}" + "".join(f"{m:>8.3f}" for m in means))
    print(f"\nnewsprism summary stage: {1000 * seconds / max(1, n):.1f} ms per story (after parsing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
