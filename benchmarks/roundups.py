"""The development gold on AllSides roundups: reading the stories, and labelling and checking the gold.

The gold (``benchmarks/gold/facts.jsonl``, ``benchmarks/gold/pairs.jsonl``; format in benchmarks/gold/README.md)
holds labels and patterns only, never article text: the text is read from
``../shared/datasets/allsides-stories/roundups-with-outlets.jsonl`` when a benchmark runs.

    python benchmarks/roundups.py show 5607            # a story's outlets, titles and numbered sentences
    python benchmarks/roundups.py check                # every gold fact's patterns against its story
    python benchmarks/roundups.py check --story 5607   # one story, with the sentences each pattern matches
    python benchmarks/roundups.py pick 48              # the stories drawn for the facts gold (seeded)
    python benchmarks/roundups.py jsonl 5607 > s.jsonl # a story as JSON Lines records (outlet, url, title, text)
    python benchmarks/roundups.py pairs 5607           # cross-outlet sentence pairs by embedding cosine, to label
    python benchmarks/roundups.py check-pairs          # every labelled pair still points at the sentences it names
    python benchmarks/roundups.py show seeds           # the seeds, one "side" per source (needs the package)
    python benchmarks/roundups.py check --file benchmarks/gold/seeds.jsonl --story seeds
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDUPS = ROOT.parent / "shared" / "datasets" / "allsides-stories" / "roundups-with-outlets.jsonl"
SEEDS = ROOT.parent / "shared" / "seeds"
GOLD = Path(__file__).resolve().parent / "gold"
FACTS_GOLD = GOLD / "facts.jsonl"
SEEDS_GOLD = GOLD / "seeds.jsonl"
PAIRS_GOLD = GOLD / "pairs.jsonl"
SIDES = ("left", "center", "right")
PICK_SEED = 2026

# Sentence units for labelling: a fixed, spaCy-free splitter, so that a sentence's number never changes with a
# model. A full stop after these words does not end a sentence.
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "st", "jr", "sr",
                  "no", "vs", "inc", "corp", "co", "ltd", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                  "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "d.c", "a.m", "p.m", "e.g", "i.e", "mt", "ft",
                  "prof", "rev", "adm", "maj", "pres", "supt", "dept", "est", "approx", "fig"}
_BOUNDARY = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Unit:
    """One sentence (or the title) of one outlet's excerpt: ``para`` -1 is the title."""

    side: str
    para: int
    index: int
    text: str

    @property
    def key(self) -> str:
        return f"{self.side}:{'t' if self.para < 0 else self.para}.{self.index}"


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph by punctuation, not after an abbreviation or an initial."""
    pieces, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        before = paragraph[start:m.start()].rstrip("\"”’)")
        word = re.search(r"([A-Za-z.]+)\.$", before)
        if word and (word.group(1).lower().rstrip(".") in _ABBREVIATIONS or len(word.group(1).rstrip(".")) == 1):
            continue
        pieces.append(paragraph[start:m.start() + len(m.group(0)) - len(m.group(0).lstrip("\"”’)"))].strip())
        start = m.end()
    pieces.append(paragraph[start:].strip())
    return [p for p in pieces if p]


@cache
def stories() -> dict[str, dict]:
    """Story id → roundup record, read once from ../shared."""
    if not ROUNDUPS.exists():
        raise SystemExit(f"{ROUNDUPS} not found: the roundups are read from ../shared beside the checkout")
    rows = [json.loads(line) for line in ROUNDUPS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {str(r["id"]): r for r in rows}


@cache
def seed_story() -> dict:
    """The seeds as a story of the same shape as a roundup: one 'side' per source, named by the seed file's number
    ("000" … "004"; "004-s1" for a snippet of the aggregator page that names its outlet), with its clean text
    (as newsprism reads it) as body paragraphs. Needs the package (the seeds are read by newsprism itself)."""
    import newsprism
    from newsprism.analysis.sources import story_sources

    articles = newsprism.load_articles([str(SEEDS)]).articles
    sources = story_sources(articles)
    by_id = {a.id: a for a in articles}
    news: dict[str, dict] = {}
    for article in articles:
        root = by_id.get(article.parent or "", article)
        number = Path(root.source).name[:3]
        key = number if sources.of[article.id] == sources.of[root.id] else f"{number}-{article.id.rsplit('-', 1)[1]}"
        side = news.setdefault(key, {"newsSource": article.outlet.name if article.outlet else key, "newsTitle": None,
                                     "newBody": [], "ids": []})
        side["ids"].append(article.id)
        if article.kind != "snippet" and article.title:
            side["newsTitle"] = article.title
        side["newBody"].extend(p for p in article.text.split("\n\n") if p.strip())
    return {"id": "seeds", "issue": "Ukraine offers to drop its NATO bid (seeds)", "date": "2025-12-14", "news": news}


def sides_of(story: dict) -> list[str]:
    return list(SIDES) if story["id"] != "seeds" else list(story["news"])


def units(story: dict) -> list[Unit]:
    found = []
    for side in sides_of(story):
        news = story["news"].get(side)
        if not news:
            continue
        if news.get("newsTitle"):
            found.append(Unit(side, -1, 0, news["newsTitle"].strip()))
        for p, paragraph in enumerate(news.get("newBody") or []):
            for i, sentence in enumerate(split_sentences(paragraph)):
                found.append(Unit(side, p, i, sentence))
    return found


def records(story: dict) -> list[dict]:
    """The story as newsprism input records: one per outlet, with its outlet name and URL."""
    out = []
    for side in SIDES:
        news = story["news"].get(side)
        if not news or not news.get("newBody"):
            continue
        out.append({"id": f"{story['id']}-{side}", "outlet": news.get("newsSource"), "url": news.get("newsLink"),
                    "title": news.get("newsTitle"), "text": "\n\n".join(news["newBody"]),
                    "published": (story.get("date") or "")[:10] or None})
    return out


def usable(story: dict) -> bool:
    """Three outlets, each with at least two paragraphs of body: a story to label."""
    news = story.get("news") or {}
    return all(news.get(s) and len(news[s].get("newBody") or []) >= 2 for s in SIDES)


def pick(n: int, seed: int = PICK_SEED) -> list[str]:
    """The stories drawn for the gold: ``n`` usable roundups at random (seeded), in the order drawn."""
    ids = sorted((i for i, s in stories().items() if usable(s)), key=int)
    return random.Random(seed).sample(ids, n)


def split_of(story_id: str) -> str:
    """'fit' or 'test', fixed by a hash of the story id (about half each)."""
    return "fit" if int(hashlib.sha1(story_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


# -- patterns -------------------------------------------------------------------------------------------------------

def matches(patterns: list[str], text: str) -> bool:
    """All patterns match ``text`` (case-insensitive regular expressions); one starting with '!' must not match."""
    for pattern in patterns:
        negative = pattern.startswith("!")
        found = re.search(pattern[1:] if negative else pattern, text, re.IGNORECASE) is not None
        if found == negative:
            return False
    return True


def states(fact: dict, side: str, text: str) -> bool:
    """Does ``text`` (an evidence span of outlet ``side``) state the gold fact? Any alternative may match."""
    return any(matches(alt, text) for alt in fact["states"].get(side, ()))


def story_of(story_id: str) -> dict | None:
    return seed_story() if str(story_id) == "seeds" else stories().get(str(story_id))


def load_gold(path: Path = FACTS_GOLD) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def check(gold: list[dict], only: str | None = None, verbose: bool = False) -> int:
    """Problems in the gold: an outlet's patterns that match none of its sentences, or the wrong story."""
    problems = 0
    for entry in gold:
        sid = str(entry["story"])
        if only and sid != only:
            continue
        story = story_of(sid)
        if story is None:
            print(f"{sid}: no such story")
            problems += 1
            continue
        all_units = units(story)
        if verbose:
            print(f"== {sid} ({entry.get('split')}) {story['issue']}")
        for fact in entry["facts"]:
            sides = list(fact["states"])
            if len(sides) < 2:
                print(f"{sid} {fact['id']}: a shared fact needs two or more outlets, has {sides}")
                problems += 1
            if verbose:
                print(f"  {fact['id']}{' (main)' if fact.get('main') else ''}: {fact['gist']}")
            for side in sides:
                hits = [u for u in all_units if u.side == side and states(fact, side, u.text)]
                if not hits:
                    print(f"{sid} {fact['id']} {side}: the patterns match no sentence of this outlet")
                    problems += 1
                if verbose:
                    for u in hits:
                        print(f"    {u.key:10} {u.text[:150]}")
            # Sentences of other outlets that the fact's patterns also match: a hint the list is not exhaustive.
            if verbose:
                for side in sides_of(story):
                    if side in sides:
                        continue
                    hits = [u for u in all_units if u.side == side and any(states(fact, s, u.text) for s in sides)]
                    for u in hits:
                        print(f"    ? {u.key:8} {u.text[:150]}")
    return problems


def unit_map(story: dict) -> dict[str, Unit]:
    return {u.key: u for u in units(story)}


def pair_digest(a: str, b: str) -> str:
    """A short hash of a pair's two texts: it tells when the data under a labelled pair has changed."""
    return hashlib.sha1(f"{a}\n{b}".encode("utf-8")).hexdigest()[:8]


def load_pairs(path: Path = PAIRS_GOLD) -> list[dict]:
    """Labelled pairs with their texts filled in from ../shared (``a_text``, ``b_text``)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else ():
        if not line.strip():
            continue
        pair = json.loads(line)
        found = unit_map(stories()[str(pair["story"])])
        a, b = found.get(pair["a"]), found.get(pair["b"])
        if a is None or b is None or pair_digest(a.text, b.text) != pair["digest"]:
            raise SystemExit(f"pair {pair} no longer matches the story's sentences")
        out.append({**pair, "a_text": a.text, "b_text": b.text})
    return out


def candidate_pairs(story_id: str) -> list[tuple[float, Unit, Unit]]:
    """Every cross-outlet pair of body sentences (and titles) with the cosine of their potion-base-8M vectors."""
    import numpy as np
    from model2vec import StaticModel

    model = StaticModel.from_pretrained(str(ROOT / "src" / "newsprism" / "nlp" / "vendor" / "potion-base-8M"))
    found = [u for u in units(stories()[story_id]) if len(u.text.split()) >= 4]
    vectors = np.asarray(model.encode([u.text for u in found]), dtype=np.float32)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    sims = vectors @ vectors.T
    pairs = [(float(sims[i, j]), found[i], found[j]) for i in range(len(found)) for j in range(i + 1, len(found))
             if found[i].side != found[j].side]
    return sorted(pairs, key=lambda p: -p[0])


def show(story_id: str) -> None:
    story = story_of(story_id)
    split = split_of(story_id) if story_id != "seeds" else "seeds"
    print(f"story {story_id}: {story['issue']} ({story.get('date', '')[:10]}; split {split})")
    for side in sides_of(story):
        news = story["news"].get(side)
        if not news:
            continue
        print(f"\n[{side}] {news.get('newsSource')} — {news.get('newsLink')}")
        for u in units(story):
            if u.side == side:
                print(f"  {u.key:10} {u.text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("show").add_argument("story")
    checking = sub.add_parser("check")
    checking.add_argument("--story")
    checking.add_argument("--file", type=Path, default=FACTS_GOLD)
    sub.add_parser("pick").add_argument("n", type=int)
    sub.add_parser("jsonl").add_argument("story")
    sub.add_parser("pairs").add_argument("story")
    sub.add_parser("check-pairs")
    args = parser.parse_args()
    if args.command == "show":
        show(args.story)
    elif args.command == "check":
        problems = check(load_gold(args.file), args.story, verbose=bool(args.story))
        print(f"{problems} problem(s)")
        sys.exit(1 if problems else 0)
    elif args.command == "pick":
        for sid in pick(args.n):
            print(sid, split_of(sid), stories()[sid]["issue"])
    elif args.command == "pairs":
        for cos, a, b in candidate_pairs(args.story):
            print(f"{cos:.3f}  {a.key} | {b.key}  digest {pair_digest(a.text, b.text)}")
            print(f"    A: {a.text}\n    B: {b.text}")
    elif args.command == "check-pairs":
        pairs = load_pairs()
        print(f"{len(pairs)} pairs, {sum(p['label'] == 'same' for p in pairs)} same: all match their sentences")
    elif args.command == "jsonl":
        for record in records(stories()[args.story]):
            print(json.dumps(record, ensure_ascii=False))


if __name__ == "__main__":
    main()
