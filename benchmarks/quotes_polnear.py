"""How well newsprism finds direct quotes and their speakers, on PolNeAR's dev split, next to a simple baseline.

PolNeAR (Newell et al., LREC 2018) marks every attribution in 2016 US election news as brat standoff: Source, Cue
and Content spans joined by an Attribution event. It does not mark which attributions are direct quotes, so the
gold set here is every attribution whose Content contains a quoted passage (text between quotation marks). Most
dev articles have one annotator; the two with six use the first annotator's file in name order, consistently.

Matching rule:
- a found quote matches a gold attribution when at least half of the quote's characters lie inside the gold
  Content span;
- its speaker is right when the words the system took as the speaker overlap the gold Source span, or when the
  last word of the resolved speaker's name occurs in the gold Source span (a pronoun resolved to the person that
  the annotator marked by name, or vice versa, is not counted right unless the spans overlap).

Figures: quotes P/R (found quotes matching a gold direct attribution / gold direct attributions found); pairs P/R
((content, speaker) right, over found quotes given a speaker / over gold direct attributions); attributed = share
of found quotes given a speaker. The baseline uses the same quote spans and takes the nearest PERSON entity that
ends before the quote as its speaker.

Run:  python benchmarks/quotes_polnear.py [--split dev|train] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLNEAR_ROOT = ROOT.parent / "shared" / "datasets" / "quotes" / "polnear"
QUOTED = re.compile(r"[“\"][^”\"]+[”\"]")


@dataclass
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]]
    source_text: str


def _spans(field: str) -> list[tuple[int, int]]:
    return [(int(a), int(b)) for a, b in (part.split() for part in field.split(";"))]


def read_gold(ann: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events = []
    for line in ann.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(offsets))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    gold = []
    for event in events:
        content = spans.get(event.get("Content", ""), ("", []))[1]
        if not content:
            continue
        # Direct quotes only: the content holds a passage in quotation marks (a mark may sit just outside).
        window = text[max(0, min(s for s, _ in content) - 2):max(e for _, e in content) + 2]
        if not QUOTED.search(window):
            continue
        source = spans.get(event.get("Source", ""), ("", []))[1]
        gold.append(Gold(content, source, " ".join(text[s:e] for s, e in source)))
    return gold


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> float:
    covered = sum(max(0, min(end, e) - max(start, s)) for s, e in spans)
    return covered / max(1, end - start)


def _speaker_right(pred_span, pred_name: str | None, gold: Gold) -> bool:
    if pred_span and _inside(pred_span[0], pred_span[1], gold.source) > 0:
        return True
    if pred_name and gold.source_text:
        last = pred_name.split()[-1].lower()
        return last in re.findall(r"\w+", gold.source_text.lower())
    return False


def score(predictions, golds) -> dict:
    """predictions: [(start, end, speaker_span, speaker_name)]; golds: [Gold]."""
    found_match = pair_right = given = 0
    gold_found, gold_paired = set(), set()
    for start, end, span, name in predictions:
        attributed = span is not None or name is not None
        given += attributed
        hits = [k for k, g in enumerate(golds) if _inside(start, end, g.content) >= 0.5]
        if hits:
            found_match += 1
            gold_found.update(hits)
        right = [k for k in hits if attributed and _speaker_right(span, name, golds[k])]
        if right:
            pair_right += 1
            gold_paired.update(right)
    return {"preds": len(predictions), "found_match": found_match, "given": given, "pair_right": pair_right,
            "gold": len(golds), "gold_found": len(gold_found), "gold_paired": len(gold_paired)}


def _add(total: dict, part: dict) -> None:
    for key, value in part.items():
        total[key] = total.get(key, 0) + value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles")
    parser.add_argument("--split", default="dev", choices=("dev", "train"), help="which split (default: dev)")
    args = parser.parse_args(argv)
    polnear = POLNEAR_ROOT / args.split
    if not polnear.exists():
        print(f"error: {polnear} not found — PolNeAR is read from ../shared beside the checkout", file=sys.stderr)
        return 2

    from newsprism.analysis import run_story
    from newsprism.analysis.quotes import QuotesStage, find_quotes
    from newsprism.models import Article
    from newsprism.nlp import Annotations, load_pipeline

    nlp = load_pipeline()
    texts = sorted((polnear / "text").glob("*.txt"))[: args.limit]
    ours, baseline, how = {}, {}, {}
    started = time.perf_counter()
    for path in texts:
        anns = sorted((polnear / "attributions").glob(f"{path.stem}_*.ann"))
        if not anns:
            continue
        text = path.read_text(encoding="utf-8")
        golds = read_gold(anns[0], text)
        article = Article(id=path.stem, source=str(path), text=text)
        ctx = run_story([article], ["referents", "quotations"], annotations=Annotations([article], nlp=nlp))
        found = find_quotes(ctx.view(QuotesStage()), ctx.products["referents"], article.id,
                            ctx.products["quotations"][article.id])
        _add(ours, score([(q.start, q.end, q.speaker_span, q.speaker.name if q.speaker else None)
                          for q in found], golds))
        for q in found:
            how[q.how or "none"] = how.get(q.how or "none", 0) + 1
        people = [e for e in ctx.annotations.doc(article.id).ents if e.label_ == "PERSON"]
        base = []
        for q in found:
            before = [e for e in people if e.end_char <= q.start]
            near = before[-1] if before else None
            base.append((q.start, q.end, (near.start_char, near.end_char) if near else None,
                         near.text if near else None))
        _add(baseline, score(base, golds))
    seconds = time.perf_counter() - started

    def pct(a: int, b: int) -> str:
        return f"{100 * a / b:5.1f}" if b else "  n/a"

    print(f"PolNeAR {args.split}: {len(texts)} articles, {ours.get('gold', 0)} gold direct-quote attributions, "
          f"{ours.get('preds', 0)} quotes found, {seconds:.0f} s")
    print(f"{'system':<28} {'quote P':>7} {'quote R':>7} {'pair P':>7} {'pair R':>7} {'pair F1':>7} {'attrib.':>7}")
    for name, s in (("newsprism (parse + resolve)", ours), ("nearest preceding PERSON", baseline)):
        p = s["pair_right"] / s["given"] if s["given"] else 0.0
        r = s["gold_paired"] / s["gold"] if s["gold"] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{name:<28} {pct(s['found_match'], s['preds']):>7} {pct(s['gold_found'], s['gold']):>7} "
              f"{100 * p:7.1f} {100 * r:7.1f} {100 * f1:7.1f} {pct(s['given'], s['preds']):>7}")
    print("speaker rules used:", ", ".join(f"{k} {v}" for k, v in sorted(how.items(), key=lambda kv: -kv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
