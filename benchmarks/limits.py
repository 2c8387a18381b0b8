"""Peak memory and time against input size: one article of N words (an unpunctuated line, and prose), and stories
of N articles, each next to spaCy's own parse of the same text in the same run.

    python benchmarks/limits.py                       # the issue's sizes: 10k, 30k, 100k, 300k words; 10-500 articles
    python benchmarks/limits.py --words 10000,30000 --stories 10,50 --embedder potion   # a quicker look

Every row is a fresh process: ``newsprism analyze FILE`` (whole process: reading, cutting to the ceiling, parsing,
every stage, writing the JSON report), and beside it a process that loads spaCy and parses the same text as one
document with ``nlp.max_length`` raised (or the story's texts with ``nlp.pipe``). Peak memory is the process's
maximum resident set (``wait4``). The peer runs under a 10 GB address-space limit, so spaCy's own parse of the
largest inputs fails rather than take the machine down ("failed" in the table). Prose is the full text of
articles from ``../shared/datasets/corpus/allsides-articles`` joined by paragraph breaks; the line is "word "
repeated. Inputs beyond ``Options.max_words`` (100,000) are cut to it, with a warning.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "datasets" / "corpus" / "allsides-articles" / "articles-15k.jsonl.gz"
PEER_LIMIT = 10 * 1024 ** 3

PARSE = r"""
import sys, json
from newsprism.nlp import load_pipeline
nlp = load_pipeline()  # spacy.load of the installed English pipeline
nlp.max_length = 50_000_000
path = sys.argv[1]
if path.endswith(".jsonl"):
    texts = [json.loads(line)["text"] for line in open(path, encoding="utf-8")]
    for doc in nlp.pipe(texts):
        pass
else:
    nlp(open(path, encoding="utf-8").read())
"""


def run(argv: list[str], limit: int | None = None) -> tuple[float, float, int]:
    """(seconds, peak RSS in MB, exit status) of one process."""
    def cap():
        if limit:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=cap)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, proc.returncode


def corpus(limit_words: int) -> list[dict]:
    rows, words = [], 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = (row.get("content_original") or "").strip()
            if not text:
                continue
            rows.append({"text": text, "title": row.get("title"), "outlet": row.get("source"),
                         "url": row.get("url")})
            words += len(text.split())
            if words >= limit_words:
                break
    return rows


def prose(n: int, rows: list[dict]) -> str:
    text = "\n\n".join(r["text"] for r in rows)
    count = 0
    for m in re.finditer(r"\S+", text):
        count += 1
        if count == n:
            return text[:m.end()]
    return text


def row(label: str, words: int, analysed: int, ours: tuple, peer: tuple, previous: tuple | None) -> str:
    """A table row; the growth compares time with the previous row's for the words analysed."""
    growth = f"{ours[0] / previous[0]:.2f}× for {analysed / previous[1]:.1f}× words" if previous else ""
    peer_text = f"{peer[0]:.1f} | {peer[1]:,.0f}" if peer[2] == 0 else f"failed ({peer[1]:,.0f} MB) | "
    status = "" if ours[2] == 0 else f" (exit {ours[2]})"
    return f"| {label} | {words:,} | {ours[0]:.1f}{status} | {ours[1]:,.0f} | {peer_text} | {growth} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", default="10000,30000,100000,300000", help="article sizes in words")
    parser.add_argument("--stories", default="10,50,200,500", help="story sizes in articles")
    parser.add_argument("--embedder", default=None, help="minilm (default) or potion")
    args = parser.parse_args()
    sizes = [int(x) for x in args.words.split(",") if x]
    stories = [int(x) for x in args.stories.split(",") if x]
    cli = [sys.executable, "-m", "newsprism", "analyze", "--quiet"]
    if args.embedder:
        cli += ["--embedder", args.embedder]
    if not CORPUS.exists():
        sys.exit(f"{CORPUS} is missing: this benchmark needs ../shared beside the checkout")
    rows = corpus(max(sizes + [0]) + 1000)
    print("| input | words | newsprism s | newsprism peak MB | spaCy parse s | spaCy peak MB | time growth |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in ("line", "prose"):
            previous = None
            for n in sizes:
                path = Path(tmp) / f"{kind}-{n}.txt"
                path.write_text("word " * n if kind == "line" else prose(n, rows), encoding="utf-8")
                ours = run([*cli, str(path), "-o", str(Path(tmp) / "report.json")])
                peer = run([sys.executable, "-c", PARSE, str(path)], PEER_LIMIT)
                analysed = min(n, 100_000)
                print(row(f"one {kind}", n, analysed, ours, peer, previous), flush=True)
                previous = (ours[0], analysed)
        story_rows = corpus(max(stories + [0]) * 2000) if stories else []
        previous = None
        for n in stories:
            path = Path(tmp) / f"story-{n}.jsonl"
            chosen = story_rows[:n]
            path.write_text("".join(json.dumps({**r, "id": f"a{i}"}) + "\n" for i, r in enumerate(chosen)),
                            encoding="utf-8")
            words = sum(len(r["text"].split()) for r in chosen)
            ours = run([*cli, str(path), "-o", str(Path(tmp) / "report.json")])
            peer = run([sys.executable, "-c", PARSE, str(path)], PEER_LIMIT)
            print(row(f"story of {len(chosen)} articles", words, words, ours, peer, previous), flush=True)
            previous = (ours[0], words)


if __name__ == "__main__":
    main()
