"""Who said what, who the actors are, how outlets word it, when, and where they disagree: the development gold of
``benchmarks/gold/story.jsonl`` (the facts gold's 48 AllSides roundups; format in benchmarks/gold/README.md),
scored next to today's method in one run.

    python benchmarks/story_gold.py                 # test split, newsprism and today's method
    python benchmarks/story_gold.py --split fit     # the stories rules may be fitted on
    python benchmarks/story_gold.py --show 5681     # one story: every gold item and what the report gave

Measures (the issue "Who said what, who wants what, how each outlet frames it, and when"):
- **quote speakers**: of the gold quotations whose speaker the text names, the share found (a quote variant of that
  outlet matching the gold words) with that speaker (the report's speaker matches the gold pattern);
- **actors**: of the gold main actors, the share present as one report actor whose name and aliases cover every
  gold spelling, and which holds no spelling of another gold actor;
- **framing**: of the gold contrasts, the share found (a report contrast with a term matching each side's gold
  term); and the share of report contrasts matching no gold contrast (a reader's "meaningless" is not judged here);
- **dates**: of the gold dated events, the share for which a timeline entry of that outlet holding the sentence
  carries the right date; and of the timeline entries holding a gold-dated sentence, the share whose date is none
  of that sentence's gold dates;
- **conflicts**: precision (report conflicts whose claims match a real gold conflict's, over all report conflicts)
  and recall (real gold conflicts found).
"Today's method" is the package at ``BASELINE`` (before this issue's work), imported from git history as the facts
gold does. Nothing of the gold may be written into code or parameters; rules may be fitted on the fit split only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import facts_gold  # noqa: E402
import roundups  # noqa: E402

GOLD = roundups.GOLD / "story.jsonl"
BASELINE = "e560ec9"


def _plain(text: str) -> str:
    """Whitespace of any kind (the excerpts hold no-break spaces) as one space."""
    return re.sub(r"\s+", " ", text)


def _m(pattern: str | None, text: str | None) -> bool:
    return bool(pattern) and bool(text) and re.search(pattern, _plain(text), re.I) is not None


def _names(actor: dict) -> list[str]:
    """The gold spellings that are names of the actor (they share a word of its name, or are an abbreviation):
    descriptions ("the former president", "his company") are coreference, not spellings to merge."""
    words = {w for w in re.findall(r"\w+", actor["name"].casefold()) if len(w) > 2 and w not in ("the", "jr", "sr")}
    return [sp for sp in actor["spellings"]
            if words & set(re.findall(r"\w+", sp.casefold())) or re.fullmatch(r"[A-Z][A-Z.&]+", sp.strip())]


def _same_date(found: str, gold: str) -> bool:
    """The entry's date is the gold's, or lies in the gold's month (a day found where the reader knows the month)."""
    return found == gold or (len(gold) == 7 and found.startswith(gold))


@dataclass
class Scores:
    quotes: int = 0
    quotes_right: int = 0
    actors: int = 0
    actors_right: int = 0
    contrasts: int = 0
    contrasts_found: int = 0
    reported_contrasts: int = 0
    unmatched_contrasts: int = 0
    dates: int = 0
    dates_right: int = 0
    dated_entries: int = 0
    dated_wrong: int = 0
    gold_conflicts: int = 0
    conflicts_found: int = 0
    reported_conflicts: int = 0
    conflicts_true: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Scores) -> None:
        for name in self.__dataclass_fields__:
            if name != "notes":
                setattr(self, name, getattr(self, name) + getattr(other, name))

    def row(self) -> list[str]:
        def share(a: int, b: int) -> str:
            return f"{a / b:.3f}" if b else "–"

        return [share(self.quotes_right, self.quotes), share(self.actors_right, self.actors),
                share(self.contrasts_found, self.contrasts), share(self.unmatched_contrasts, self.reported_contrasts),
                share(self.dates_right, self.dates), share(self.dated_wrong, self.dated_entries),
                share(self.conflicts_true, self.reported_conflicts), share(self.conflicts_found, self.gold_conflicts),
                f"{self.quotes}/{self.actors}/{self.contrasts}/{self.dates}/{self.gold_conflicts}"]


def score_story(entry: dict, report, side_of: dict[str, str], show: bool = False) -> Scores:
    s = Scores()
    article_of = {side: a for a, side in side_of.items()}
    # quotes
    for q in entry.get("quotes", []):
        if not q.get("speaker"):
            continue
        s.quotes += 1
        article = article_of.get(q["side"])
        found = [quote for quote in report.quotes for v in quote.variants
                 if v.article == article and _m(q["quote"], v.text)]
        right = any(_m(q["speaker"], quote.speaker) for quote in found)
        s.quotes_right += right
        if show and not right:
            s.notes.append(f"  quote [{q['side']}] /{q['quote']}/ speaker /{q['speaker']}/: "
                           f"{[quote.speaker for quote in found] if found else 'quote not found'}")
    # actors: each gold spelling is owned by the report actor with the longest name or alias inside it
    aliases = sorted(((_plain(n).casefold(), k) for k, a in enumerate(report.actors) for n in {a.name, *a.aliases}
                      if n),
                     key=lambda x: -len(x[0]))

    def owner(spelling: str) -> int | None:
        low = _plain(spelling).casefold()
        return next((k for name, k in aliases if re.search(r"(?<!\w)" + re.escape(name) + r"(?!\w)", low)), None)

    gold_actors = [(actor, _names(actor)) for actor in entry.get("actors", [])]
    owners = [{owner(sp) for sp in spellings} for _, spellings in gold_actors]
    for n, (actor, spellings) in enumerate(gold_actors):
        if not spellings:
            continue
        s.actors += 1
        mine = owners[n]
        ok = len(mine) == 1 and None not in mine and not any(mine & o for m, o in enumerate(owners) if m != n)
        s.actors_right += ok
        if show and not ok:
            s.notes.append(f"  actor {actor['name']}: spellings {spellings} → report actors "
                           f"{[report.actors[k].name if k is not None else None for k in mine]}")
    # framing
    matched = set()
    for contrast in entry.get("contrasts", []):
        s.contrasts += 1
        hit = None
        for k, c in enumerate(report.framing):
            terms = list(c.terms)
            if all(any(_m(pattern, t) for t in terms) for pattern in contrast["terms"].values()):
                hit = k
                break
        if hit is not None:
            s.contrasts_found += 1
            matched.add(hit)
        elif show:
            s.notes.append(f"  contrast {contrast['concept']} {contrast['terms']}: not found")
    s.reported_contrasts += len(report.framing)
    s.unmatched_contrasts += len(report.framing) - len(matched)
    if show:
        for k, c in enumerate(report.framing):
            if k not in matched:
                s.notes.append(f"  report contrast not in gold: {c.concept}: {list(c.terms)}")
    # dates: a timeline entry is judged against the gold events of the sentences it holds; it is wrong when its
    # date is none of theirs (an entry of another date phrase of the same sentence is not wrong)
    events = entry.get("dates", [])
    judged: dict[int, list[int]] = {}
    for k, t in enumerate(report.timeline):
        for n, event in enumerate(events):
            article = article_of.get(event["side"])
            if any(e.article == article and _m(event["sentence"], e.text) for e in t.evidence):
                judged.setdefault(k, []).append(n)
    for n, event in enumerate(events):
        s.dates += 1
        mine = [report.timeline[k] for k, ns in judged.items() if n in ns]
        right = any(_same_date(t.date, event["date"]) for t in mine)
        s.dates_right += right
        if show and not right:
            s.notes.append(f"  date [{event['side']}] {event['phrase']!r} = {event['date']}: "
                           f"{[t.date for t in mine] or 'no entry'}")
    for k, ns in judged.items():
        s.dated_entries += 1
        wrong = not any(_same_date(report.timeline[k].date, events[n]["date"]) for n in ns)
        s.dated_wrong += wrong
        if show and wrong:
            s.notes.append(f"  wrong date {report.timeline[k].date}: {report.timeline[k].text[:100]}")
    # conflicts
    real = [c for c in entry.get("conflicts", []) if c.get("real")]
    s.gold_conflicts += len(real)

    def matches(conflict, gold) -> bool:
        sides = {side_of.get(c.article) for c in conflict.claims
                 if _m(gold["claims"].get(side_of.get(c.article, ""), ""), c.text)}
        return len(sides - {None}) >= 2

    found = set()
    for conflict in report.conflicts:
        s.reported_conflicts += 1
        hit = next((k for k, g in enumerate(real) if matches(conflict, g)), None)
        if hit is not None:
            s.conflicts_true += 1
            found.add(hit)
        elif show:
            s.notes.append(f"  report conflict not a real one: {conflict.description[:140]}")
    s.conflicts_found += len(found)
    if show:
        for k, g in enumerate(real):
            if k not in found:
                s.notes.append(f"  gold conflict missed: {g['what']}")
    return s


def load(split: str) -> list[dict]:
    splits = {str(e["story"]): e["split"] for e in roundups.load_gold()}
    entries = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    for e in entries:
        e["split"] = splits.get(str(e["story"]), "fit")
    return [e for e in entries if split == "all" or e["split"] == split]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["fit", "test", "all"], default="test")
    parser.add_argument("--show", metavar="STORY")
    parser.add_argument("--no-baseline", action="store_true", help="newsprism only")
    args = parser.parse_args()
    import newsprism

    entries = load("all" if args.show else args.split)
    if args.show:
        entries = [e for e in entries if str(e["story"]) == args.show]
    methods = [("newsprism", newsprism)]
    if not args.no_baseline:
        today, why = facts_gold.baseline_package(BASELINE)
        if today is None:
            print(f"today's method skipped: {why}")
        else:
            methods.append((f"today's method ({BASELINE})", today))
    header = ["method", "quote speakers", "actors", "framing found", "framing not in gold", "dates right",
              "wrong dates", "conflict P", "conflict R", "gold q/a/f/d/c"]
    rows = []
    for name, api in methods:
        total = Scores()
        for entry in entries:
            articles, side_of = facts_gold.story_articles(entry, api)
            report = api.analyze_articles(articles)
            scores = score_story(entry, report, side_of, show=bool(args.show))
            total.add(scores)
            if args.show:
                print(f"== {name}: story {entry['story']}")
                print("\n".join(scores.notes) or "  (all right)")
        rows.append([name, *total.row()])
    print(f"\nstory gold, {args.show or args.split} ({len(entries)} stories)")
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\naims: quote speakers ≥ 0.85, actors ≥ 0.85, framing found ≥ 0.6 (≤ 1 in 5 meaningless), dates ≥ 0.85 "
          "(wrong ≤ 0.03), conflict precision ≥ 0.8, recall ≥ 0.6")


if __name__ == "__main__":
    main()
