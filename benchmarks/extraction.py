"""Article extraction: how much of a page's real article newsprism's HTML reader keeps, next to plain trafilatura.

    python benchmarks/extraction.py [--limit N]

Third-party pages are read in place from ../shared/datasets/extraction (never copied into the repo):

* scrapinghub-aeb: 181 pages with a hand-annotated ``articleBody``. Scored as the upstream
  article-extraction-benchmark evaluate.py scores (re-implemented here): text is split into ``\\w+`` tokens,
  tokens into overlapping 4-word shingles; per page, true/false positives and false negatives are counted over
  the shingle multisets and normalised so every page weighs the same; precision is averaged over pages with any
  prediction, recall over pages with any gold text, and F1 is the harmonic mean of those two averages.
* fundus: per-publisher test pages with the article fundus's parsers produce (checked by contributors), for
  the pages whose gold body is English (py3langid). Title exact match (spaces collapsed), date match (YYYY-MM-DD)
  and body F1 scored as above; gold body = summary + section headlines + paragraphs.

Rows: newsprism's ``extract_html``; the same followed by newsprism's line cleaning (what ``newsprism extract``
stores); plain ``trafilatura.extract`` with its defaults (comments included), and with ``include_comments=False``
as the upstream benchmark runs it. Times are per page, in one process, after a warm-up page.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "datasets" / "extraction"
AEB = DATA / "scrapinghub-aeb"
FUNDUS = DATA / "fundus" / "test_data"
_TOKEN = re.compile(r"\w+")


@dataclass
class Output:
    body: str
    title: str | None = None
    published: str | None = None
    ms: float = 0.0
    method: str = ""
    """Which branch of newsprism's cascade gave the text ('error' when it raised)."""


# --- scoring: the upstream benchmark's shingle matching ---------------------------------------------------------

def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i:i + n])


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """True positives, false positives, false negatives over one page's shingles, normalised to sum to 1."""
    truth, pred = shingles(gold), shingles(predicted)
    tp, fp, fn = sum((truth & pred).values()), sum((pred - truth).values()), sum((truth - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def summary(counts: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Precision and recall averaged over pages, and F1 of the two averages (as upstream)."""
    def precision(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fp == 0 else tp / (tp + fp))

    def recall(tp, fp, fn):
        return 1.0 if fp == fn == 0 else (0.0 if tp == fn == 0 else tp / (tp + fn))

    p = statistics.mean([precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --- the methods compared ---------------------------------------------------------------------------------------

def run_newsprism(html: bytes, url: str | None) -> tuple[Output, Output]:
    """``extract_html`` alone, and followed by the line cleaning the loader applies to extracted HTML."""
    from newsprism.errors import InputError
    from newsprism.ingest.clean import assemble, classify
    from newsprism.ingest.html import extract_html

    start = time.perf_counter()
    try:
        found = extract_html(html, url=url)
    except InputError:
        empty = Output("", ms=(time.perf_counter() - start) * 1000, method="error")
        return empty, empty
    extracted = Output(found.text, found.title, found.published, (time.perf_counter() - start) * 1000, found.method)
    # As ingest/load.py does for HTML: the text is already cut to the article, so lines are judged one by one.
    cleaned = assemble(classify(found.text.split("\n"), positional=False), take_title=False)
    return extracted, Output(cleaned.text, found.title, found.published, (time.perf_counter() - start) * 1000,
                             found.method)


def run_trafilatura(html: bytes, url: str | None, *, metadata: bool, **options) -> Output:
    import trafilatura

    start = time.perf_counter()
    body = trafilatura.extract(html, url=url, **options) or ""
    ms = (time.perf_counter() - start) * 1000
    if not metadata:
        return Output(body, ms=ms)
    found = trafilatura.extract_metadata(html, default_url=url)
    return Output(body, found.title if found else None, found.date if found else None, ms)


METHODS = ["newsprism extract_html", "newsprism + line cleaning", "trafilatura.extract (defaults)",
           "trafilatura.extract (no comments)"]


def run_all(html: bytes, url: str | None, *, metadata: bool) -> dict[str, Output]:
    extracted, cleaned = run_newsprism(html, url)
    return {
        METHODS[0]: extracted,
        METHODS[1]: cleaned,
        METHODS[2]: run_trafilatura(html, url, metadata=metadata),
        METHODS[3]: run_trafilatura(html, url, metadata=False, include_comments=False),
    }


# --- data sets --------------------------------------------------------------------------------------------------

def aeb_pages(limit: int | None):
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth)[:limit]:
        html = gzip.decompress((AEB / "html" / f"{page_id}.html.gz").read_bytes())
        yield html, truth[page_id]["url"], truth[page_id]["articleBody"]


def fundus_pages(limit: int | None):
    """(html, url, gold) for fundus pages whose gold body is English. Files pair with the JSON's parser versions
    in order (both sort oldest first; checked against the gold titles)."""
    from newsprism.ingest.language import detect_language

    pages = []
    for gold_file in sorted(FUNDUS.glob("*/*.json")):
        versions = json.loads(gold_file.read_text(encoding="utf-8"))
        meta_file = gold_file.parent / "meta.info"
        meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        html_files = sorted(gold_file.parent.glob(f"{gold_file.stem}_*.html.gz"))
        for html_file, gold in zip(html_files, versions.values()):
            body = gold.get("body") or {}
            parts = list(body.get("summary") or [])
            for section in body.get("sections") or []:
                parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
            text = "\n".join(parts)
            if not text or detect_language(text) != "en":
                continue
            pages.append((html_file, meta.get(html_file.name, {}).get("url"), {
                "body": text, "title": gold.get("title"), "date": (gold.get("publishing_date") or "")[:10] or None}))
    for html_file, url, gold in pages[:limit]:
        yield gzip.decompress(html_file.read_bytes()), url, gold


def _same_title(found: str | None, gold: str | None) -> bool:
    return bool(found and gold) and " ".join(found.split()) == " ".join(gold.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each data set")
    args = parser.parse_args()
    if not (AEB / "ground-truth.json").exists():
        print(f"skipped: {AEB} not found (third-party data is read from ../shared beside the checkout)")
        return 0

    # Warm up imports and caches so the first timed page is not charged for them.
    first = next(aeb_pages(1))
    run_all(first[0], first[1], metadata=True)

    counts: dict[str, list] = {m: [] for m in METHODS}
    times: dict[str, list] = {m: [] for m in METHODS}
    branches: Counter = Counter()
    for html, url, gold in aeb_pages(args.limit):
        outputs = run_all(html, url, metadata=False)
        branches[outputs[METHODS[0]].method] += 1
        for method, out in outputs.items():
            counts[method].append(page_counts(gold, out.body))
            times[method].append(out.ms)
    pages = len(counts[METHODS[0]])
    print(f"### Scrapinghub article-extraction benchmark ({pages} pages)\n")
    print("| method | precision | recall | F1 | ms/page median | ms/page mean |")
    print("|---|---|---|---|---|---|")
    for method in METHODS:
        p, r, f = summary(counts[method])
        print(f"| {method} | {p:.3f} | {r:.3f} | {f:.3f} | {statistics.median(times[method]):.0f} "
              f"| {statistics.mean(times[method]):.0f} |")
    print("\nnewsprism branches taken: " + ", ".join(f"{name} {n}" for name, n in branches.most_common()))

    if not FUNDUS.exists():
        print(f"\nfundus skipped: {FUNDUS} not found")
        return 0
    fundus_methods = METHODS[:3]
    counts = {m: [] for m in fundus_methods}
    titles: dict[str, list] = {m: [] for m in fundus_methods}
    dates: dict[str, list] = {m: [] for m in fundus_methods}
    for html, url, gold in fundus_pages(args.limit):
        outputs = run_all(html, url, metadata=True)
        for method in fundus_methods:
            out = outputs[method]
            counts[method].append(page_counts(gold["body"], out.body))
            titles[method].append(_same_title(out.title, gold["title"]))
            if gold["date"]:
                dates[method].append(out.published == gold["date"])
    pages = len(counts[fundus_methods[0]])
    print(f"\n### fundus, English-language publishers ({pages} pages, {len(dates[fundus_methods[0]])} with a date)\n")
    print("| method | title exact | date (YYYY-MM-DD) | body precision | body recall | body F1 |")
    print("|---|---|---|---|---|---|")
    for method in fundus_methods:
        p, r, f = summary(counts[method])
        title_rate = sum(titles[method]) / max(1, len(titles[method]))
        date_rate = sum(dates[method]) / max(1, len(dates[method]))
        print(f"| {method} | {title_rate:.3f} | {date_rate:.3f} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
