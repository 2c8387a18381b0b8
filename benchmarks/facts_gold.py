"""Facts a fact-checker can trust: the four measures of the development gold, newsprism next to today's method.

    python benchmarks/facts_gold.py                  # held-back (test) roundups and the seeds
    python benchmarks/facts_gold.py --split fit      # the roundups that anything is fitted or tuned on
    python benchmarks/facts_gold.py --show 5681      # one story: every multi-outlet fact and summary sentence judged
    python benchmarks/facts_gold.py --no-baseline    # newsprism only
    python benchmarks/facts_gold.py --embedder minilm   # with the other sentence model
    python benchmarks/facts_gold.py --tune           # choose the support floor on the fit split and save it

The gold (benchmarks/gold/facts.jsonl, seeds.jsonl; format in benchmarks/gold/README.md) lists, per story, every
fact two or more outlets state, with patterns that recognise each outlet's sentence stating it. Each story is fed
as JSON Lines records with outlet and URL (``roundups.records``) through the one load path, and analysed.

- **fact precision**: of the reported facts citing two or more outlets, the share in which every evidence span
  states one and the same gold fact (by that outlet's patterns);
- **shared-fact recall**: for each gold fact, the outlets whose evidence in the best-matching reported fact states
  it, over the gold outlets plus any other outlets that fact cites; averaged (and over the main points alone);
- **whole statements**: the share of fact wordings and summary sentences that stand on their own (``whole``);
- **summary quality**: the share of summary sentences that are whole and stated by every outlet they cite.

The support floor (support.py) is the one number tuned on the gold: ``--tune`` tries floors on the *fit* stories and
the seeds (never the test stories) and writes the lowest whose pooled fact precision reaches ``TUNE_PRECISION`` into
the embedder's alignment weights.

"Today's method" is the package as it was at ``BASELINE`` (before the facts issue), taken from the repository's
history with ``git archive`` and imported under another name, so both run in one process on the same articles.
"""

from __future__ import annotations

import argparse
import importlib
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import roundups  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "8fe3398"
"""The commit whose package is "today's method": the code before the facts issue (its figures are the baseline)."""

TUNE_PRECISION = 0.95
TUNE_FLOORS = (0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)

_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*$")
_CONNECTIVE = re.compile(
    r"^[\"“‘(]*(?:but|and|or|so|yet|while|whereas|although|though|however|meanwhile|still|also|instead|moreover|"
    r"furthermore|nevertheless|he|she|it|they|this|these|that|those|his|her|its|their|we|i|him|them)\b", re.I)


_QUOTED_SPEAKER = re.compile(r"^[\"“‘]+(?:i|we|my|our)\b", re.I)
"""A quotation opening with the speaker's "I" or "we": the attribution that follows says who that is."""


def whole(text: str) -> bool:
    """A statement that stands on its own: ends like a sentence, is not cut off, does not start lower-case or with a
    connective or a pronoun (a quotation's opening "I" or "we" aside: the attribution says who speaks), and has
    balanced quotation marks."""
    text = text.strip()
    if not text or not _TERMINAL.search(text) or text.rstrip("\"'”’)]").endswith(("...", "…")):
        return False
    first = next((ch for ch in text if ch.isalnum()), "")
    if first.islower() or (_CONNECTIVE.match(text) and not _QUOTED_SPEAKER.match(text)):
        return False
    return text.count("“") == text.count("”") and text.count('"') % 2 == 0


@dataclass
class Scores:
    multi: int = 0
    precise: int = 0
    recall: list[float] = field(default_factory=list)
    main_recall: list[float] = field(default_factory=list)
    wordings: int = 0
    whole_wordings: int = 0
    summary: int = 0
    good_summary: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for name in ("multi", "precise", "wordings", "whole_wordings", "summary", "good_summary"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.recall += other.recall
        self.main_recall += other.main_recall
        self.notes += other.notes

    def row(self) -> list[str]:
        def share(a, b):
            return f"{a / b:.3f}" if b else "n/a"

        def mean(xs):
            return f"{sum(xs) / len(xs):.3f}" if xs else "n/a"
        return [share(self.precise, self.multi), mean(self.recall), mean(self.main_recall),
                share(self.whole_wordings, self.wordings), share(self.good_summary, self.summary),
                str(self.multi), str(self.summary)]


def stated_fact(facts: list[dict], spans: list[tuple[str, str]]) -> dict | None:
    """The gold fact that every (side, text) span states, if any."""
    for fact in facts:
        if all(roundups.states(fact, side, text) for side, text in spans):
            return fact
    return None


def score_story(entry: dict, report, side_of: dict[str, str], show: bool = False) -> Scores:
    s = Scores()
    facts = entry["facts"]
    for fact in report.facts:
        sides = {side_of[e.article] for e in fact.evidence if e.article in side_of}
        s.wordings += 1
        s.whole_wordings += whole(fact.text)
        if show and not whole(fact.text):
            s.notes.append(f"  not whole: {fact.text[:140]}")
        if len(sides) < 2:
            continue
        s.multi += 1
        found = stated_fact(facts, [(side_of[e.article], e.text) for e in fact.evidence])
        s.precise += found is not None
        if show and found is None:
            s.notes.append(f"  IMPRECISE {fact.id} [{', '.join(sorted(sides))}] {fact.text[:120]}")
            spans = [(side_of[e.article], e.text) for e in fact.evidence]
            closest = max(facts, key=lambda g: sum(roundups.states(g, side, text) for side, text in spans),
                          default=None)
            if closest is not None:
                s.notes.append(f"      closest gold {closest['id']}: {closest['gist'][:100]}")
            for side, text in spans:
                mark = "ok" if closest is not None and roundups.states(closest, side, text) else "--"
                s.notes.append(f"      {mark} {side:>7}: {text[:130]}")
    for gold in facts:
        outlets = set(gold["states"])
        best = 0.0
        for fact in report.facts:
            cited = {side_of[e.article] for e in fact.evidence if e.article in side_of}
            stating = {side_of[e.article] for e in fact.evidence if e.article in side_of
                       and roundups.states(gold, side_of[e.article], e.text)} & outlets
            if stating:
                best = max(best, len(stating) / len(outlets | cited))
        s.recall.append(best)
        if gold.get("main"):
            s.main_recall.append(best)
        if show and best < 1.0:
            s.notes.append(f"  recall {best:.2f} for {gold['id']}{' (main)' if gold.get('main') else ''}: "
                           f"{gold['gist'][:110]}")
    for sentence in report.summary:
        s.summary += 1
        cited = {side_of[a] for a in sentence.articles if a in side_of}
        # the sentence's own evidence comes first (the text it was taken from, in both methods)
        own = side_of.get(sentence.evidence[0].article) if sentence.evidence else None
        if len(cited) <= 1:
            stated = True
        else:
            spans = [(own, sentence.text)] + [(side_of[e.article], e.text) for e in sentence.evidence]
            stated = own is not None and stated_fact(facts, spans) is not None and cited <= {
                side_of[e.article] for e in sentence.evidence}
        ok = stated and whole(sentence.text)
        s.good_summary += ok
        if show and not ok:
            s.notes.append(f"  summary {'not whole' if stated else 'overcites'} [{', '.join(sorted(cited))}]: "
                           f"{sentence.text[:130]}")
    return s


def story_articles(entry: dict, api) -> tuple[list, dict[str, str]]:
    """The story's articles read by ``api`` (a newsprism package), and article id → side."""
    if str(entry["story"]) == "seeds":
        articles = api.load_articles([str(roundups.SEEDS)]).articles
        story = roundups.seed_story()
        side_of = {i: side for side, news in story["news"].items() for i in news["ids"]}
        return articles, side_of
    import json

    records = roundups.records(roundups.stories()[str(entry["story"])])
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        handle.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    try:
        articles = api.load_articles([handle.name]).articles
    finally:
        Path(handle.name).unlink()
    return articles, {a.id: a.id.rsplit("-", 1)[1] for a in articles}


def baseline_package(commit: str = BASELINE):
    """The package at ``commit``, imported as ``newsprism_today`` (None, with the reason, when git cannot give it)."""
    target = Path(tempfile.gettempdir()) / f"newsprism-baseline-{commit}"
    package = target / "newsprism_today"
    if not package.is_dir():
        try:
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src/newsprism"], check=True,
                                     capture_output=True).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            return None, f"git archive {commit} failed ({exc}); is this a clone with its history?"
        staging = target / "staging"
        staging.mkdir(parents=True, exist_ok=True)
        subprocess.run(["tar", "-x", "-C", str(staging)], input=archive, check=True)
        (staging / "src" / "newsprism").rename(package)
    sys.path.insert(0, str(target))
    return importlib.import_module("newsprism_today"), None


def run(entries: list[dict], api, show: str | None) -> tuple[Scores, Scores]:
    """(scores on the roundups among ``entries``, scores on the seeds)."""
    rounds, seeds = Scores(), Scores()
    for entry in entries:
        articles, side_of = story_articles(entry, api)
        report = api.analyze_articles(articles)
        scores = score_story(entry, report, side_of, show=str(entry["story"]) == show)
        (seeds if entry["story"] == "seeds" else rounds).add(scores)
        if str(entry["story"]) == show:
            print(f"\n== {api.__name__}: story {show}")
            print("\n".join(scores.notes) or "  (nothing to report)")
    return rounds, seeds


def tune_support(entries: list[dict], embedder: str) -> float:
    """The lowest support floor whose fact precision on ``entries`` (the fit stories) reaches ``TUNE_PRECISION``.

    The stages before the facts are run once per story; the facts stage is rerun for each floor tried."""
    import dataclasses
    import json

    import newsprism
    from newsprism.analysis import alignment, default_stages, stages_for
    from newsprism.analysis.stage import StoryContext, run_stages
    from newsprism.models import Report
    from newsprism.nlp import Annotations
    from newsprism.nlp.embed import embedder_name

    stages = default_stages()
    facts_stage = next(s for s in stages if s.name == "facts")
    before = stages_for(list(facts_stage.requires), stages)
    prepared = []
    for entry in entries:
        articles, side_of = story_articles(entry, newsprism)
        ctx = run_stages(before, StoryContext(articles, Annotations(articles, embedder_name=embedder)))
        prepared.append((entry, ctx, side_of))
    fitted = alignment.model_for
    chosen = None
    print("| support floor | fact precision | shared-fact recall | main-point recall |\n|---|---|---|---|")
    try:
        for floor in TUNE_FLOORS:
            alignment.model_for = lambda e, floor=floor: dataclasses.replace(fitted(e), support=floor)
            scores = Scores()
            for entry, ctx, side_of in prepared:
                facts_stage.run(ctx.view(facts_stage))
                report = Report(newsprism_version="-", generated_at="-", articles=ctx.articles,
                                facts=ctx.products["facts"])
                scores.add(score_story(entry, report, side_of))
            row = scores.row()
            print(f"| {floor:.2f} | {row[0]} | {row[1]} | {row[2]} |")
            if chosen is None and scores.multi and scores.precise / scores.multi >= TUNE_PRECISION:
                chosen = floor
    finally:
        alignment.model_for = fitted
    chosen = chosen if chosen is not None else TUNE_FLOORS[-1]
    model = alignment.pair_model(embedder_name(embedder))
    data = json.loads(model.path.read_text(encoding="utf-8"))
    data["support"] = chosen
    model.path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    alignment.pair_model.cache_clear()
    print(f"saved support {chosen} in {model.path.name} (the lowest floor with fit precision ≥ {TUNE_PRECISION})")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["test", "fit", "all"], default="test")
    parser.add_argument("--show", metavar="STORY", help="print the judgements of one story ('seeds' for the seeds)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--support", type=float, metavar="P",
                        help="try another support floor than the fitted one (for tuning on the fit split)")
    parser.add_argument("--tune", action="store_true",
                        help="choose the support floor on the fit split and save it in the alignment weights")
    parser.add_argument("--embedder", choices=["potion", "minilm"],
                        help="the sentence model (default: NEWSPRISM_EMBEDDER, else the package default)")
    args = parser.parse_args()
    if args.embedder:
        import os

        os.environ["NEWSPRISM_EMBEDDER"] = args.embedder
    import newsprism

    if args.tune:
        fit = [e for e in roundups.load_gold() if e["split"] == "fit"]
        if roundups.SEEDS.exists():
            fit += roundups.load_gold(roundups.SEEDS_GOLD)
        tune_support(fit, args.embedder)
        return

    if args.support is not None:
        import dataclasses

        from newsprism.analysis import alignment

        fitted = alignment.model_for
        alignment.model_for = lambda embedder: dataclasses.replace(fitted(embedder), support=args.support)
    gold = [e for e in roundups.load_gold() if args.split == "all" or e["split"] == args.split]
    if args.show:
        gold = [e for e in roundups.load_gold() if str(e["story"]) == args.show]
    seeds = roundups.load_gold(roundups.SEEDS_GOLD) if roundups.SEEDS.exists() else []
    entries = gold + ([] if args.show and args.show != "seeds" else seeds)
    methods = [("newsprism", newsprism)]
    if not args.no_baseline:
        today, why = baseline_package()
        if today is None:
            print(f"today's method skipped: {why}")
        else:
            methods.append((f"today's method ({BASELINE})", today))
    header = ["gold", "method", "fact precision", "shared-fact recall", "main-point recall", "whole statements",
              "summary quality", "facts ≥2 outlets", "summary sentences"]
    rows = []
    for name, api in methods:
        rounds, seed_scores = run(entries, api, args.show)
        if gold:
            rows.append([f"roundups {args.split} ({len(gold)} stories)", name, *rounds.row()])
        if seeds and (not args.show or args.show == "seeds"):
            rows.append(["seeds", name, *seed_scores.row()])
    print("\n| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in sorted(rows, key=lambda r: r[0]):
        print("| " + " | ".join(row) + " |")
    print("\naims: fact precision ≥ 0.95, shared-fact recall ≥ 0.80 (main points ≥ 0.90), whole statements ≥ 0.97, "
          "summary quality ≥ 0.90")


if __name__ == "__main__":
    main()
