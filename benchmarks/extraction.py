"""Article extraction quality and speed on the Scrapinghub article-extraction benchmark (181 real pages).

newsprism's reader (trafilatura + fallback cascade + furniture cleaning) is measured next to plain
``trafilatura.extract`` in the same run. Scoring: per page, precision/recall/F1 of the bag of word tokens of the
extracted body against the hand-annotated ``articleBody``, averaged over pages (the upstream benchmark scores
tokens the same way; published F1 for trafilatura with its scorer: 0.958).

    python benchmarks/extraction.py [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "extraction" / "scrapinghub-aeb"


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", (text or "").lower()))


def prf(predicted: str, gold: str) -> tuple[float, float, float]:
    p, g = tokens(predicted), tokens(gold)
    overlap = sum((p & g).values())
    precision = overlap / max(1, sum(p.values())) if p else 0.0
    recall = overlap / max(1, sum(g.values()))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def newsprism_body(html: bytes, url: str) -> str:
    from newsprism.errors import InputError
    from newsprism.ingest.clean import assemble, classify
    from newsprism.ingest.html import extract_html

    try:
        extracted = extract_html(html, url=url)
    except InputError:
        return ""
    return assemble(classify(extracted.text.split("\n"), positional=False), take_title=False).text


def trafilatura_body(html: bytes, url: str) -> str:
    import trafilatura

    return trafilatura.extract(html, url=url) or ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N pages")
    args = parser.parse_args()
    if not (DATA / "ground-truth.json").exists():
        print(f"skipped: {DATA} not found (third-party data is read from ../shared)")
        return 0
    truth = json.loads((DATA / "ground-truth.json").read_text())
    ids = sorted(truth)[: args.limit or None]
    pages = {i: gzip.decompress((DATA / "html" / f"{i}.html.gz").read_bytes()) for i in ids}
    methods = {"newsprism": newsprism_body, "trafilatura (plain)": trafilatura_body}
    for method in methods.values():  # warm both up so imports are not timed
        method(pages[ids[0]], truth[ids[0]]["url"])
    print(f"Scrapinghub article-extraction benchmark: {len(ids)} pages, 2 cores, same run\n")
    print(f"{'method':<22}{'precision':>10}{'recall':>8}{'F1':>8}{'ms/page median':>16}{'ms/page mean':>14}")
    for name, method in methods.items():
        scores, times = [], []
        for i in ids:
            start = time.perf_counter()
            body = method(pages[i], truth[i]["url"])
            times.append((time.perf_counter() - start) * 1000)
            scores.append(prf(body, truth[i]["articleBody"]))
        p, r, f = (statistics.mean(s[k] for s in scores) for k in range(3))
        print(f"{name:<22}{p:>10.3f}{r:>8.3f}{f:>8.3f}{statistics.median(times):>16.1f}{statistics.mean(times):>14.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
