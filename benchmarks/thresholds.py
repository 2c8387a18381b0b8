"""The stages' cosine thresholds carried from one embedder to another by matching their selectivity.

    python benchmarks/thresholds.py              # print the mapping from potion-base-8M to every other embedder
    python benchmarks/thresholds.py --write      # and write the entries into src/newsprism/nlp/data/thresholds.json

The thresholds of nlp/data/thresholds.json were read off or tuned for potion-base-8M's vectors. Another embedder
spreads cosines differently (all-MiniLM-L6-v2 puts unrelated sentences near 0.1, potion near 0.3), so a number cannot
be copied. Each threshold is carried over by quantile: on every pair of sentences of the seeds and of the gold's fit
stories, the share of pairs at or above potion's threshold is found, and the other embedder's threshold is the cosine
that leaves the same share of pairs above it. Word-level thresholds stay with the word embedder (potion).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import roundups  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "src" / "newsprism" / "nlp" / "data" / "thresholds.json"
BASE = "potion"
WORD_LEVEL = {"framing.word_sim"}
"""Thresholds between single words: they are the word embedder's, whatever reads the sentences."""
ADDITIVE = {"timeline.shared_name_bonus"}
"""Not a threshold but a bonus added to cosines: carried over by the ratio of the two spreads."""


def sentences() -> list[str]:
    found = []
    for entry in [e for e in roundups.load_gold() if e["split"] == "fit"]:
        found += [u.text for u in roundups.units(roundups.stories()[str(entry["story"])]) if u.para >= 0]
    if roundups.SEEDS.exists():
        found += [u.text for u in roundups.units(roundups.seed_story()) if u.para >= 0]
    return list(dict.fromkeys(t for t in found if len(t.split()) >= 4))


def cosines(texts: list[str], embedder: str) -> np.ndarray:
    from newsprism.nlp import load_embedder
    from newsprism.nlp.embed import unit_rows

    vectors = unit_rows(load_embedder(embedder).encode(texts))
    sims = vectors @ vectors.T
    return sims[np.triu_indices(len(texts), k=1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    from newsprism.nlp.embed import EMBEDDERS

    data = json.loads(FILE.read_text(encoding="utf-8"))
    base_name = EMBEDDERS[BASE].name
    texts = sentences()
    base = cosines(texts, BASE)
    print(f"{len(texts)} sentences, {len(base):,} pairs")
    for option, cls in EMBEDDERS.items():
        if option == BASE:
            continue
        other = cosines(texts, option)
        mapped = {}
        for key, value in data[base_name].items():
            if key in WORD_LEVEL:
                continue
            if key in ADDITIVE:
                mapped[key] = round(value * float(np.std(other) / np.std(base)), 3)
            else:
                share = float((base >= value).mean())
                mapped[key] = round(float(np.quantile(other, 1.0 - share)), 3)
            print(f"{cls.name:>20} {key:<28} potion {value:<6} -> {mapped[key]:<6}")
        data[cls.name] = mapped
    if args.write:
        FILE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {FILE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
