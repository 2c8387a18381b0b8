"""The ceiling on what one input may hold (ingest/limits.py) and the bounded parse (nlp/pieces.py): a long text
without sentence punctuation ends in a report or a clear message, within a memory cap the test sets on itself, so a
regression fails the suite rather than the machine."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading

import pytest

from helpers import run_cli
from newsprism.ingest import load_articles
from newsprism.ingest.limits import limit_text
from newsprism.nlp import load_pipeline
from newsprism.nlp.pieces import MAX_RUN_WORDS, PIECE_CHARS, parse, plan
from newsprism.options import Options, OptionError

MEMORY_CAP = 6 * 1024 ** 3
"""Address space the child may take: a regression runs into it (and fails) long before the machine does."""
PEAK_AIM_MB = 1536


def _limited_run(args: list[str], tmp_path, timeout: int) -> tuple[subprocess.CompletedProcess, float]:
    """Run the command as a user would under ``MEMORY_CAP``; (result, the process's peak resident MB)."""
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))

    out, err = tmp_path / "stdout", tmp_path / "stderr"
    with out.open("w") as stdout, err.open("w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "newsprism", *args], stdout=stdout, stderr=stderr,
                                preexec_fn=cap)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak, not the test process's other children
        finally:
            timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out.read_text(), err.read_text())
    return result, usage.ru_maxrss / 1024


def test_ceiling_two_million_words_on_one_line_end_in_a_report_within_the_memory_cap(tmp_path):
    path = tmp_path / "dump.txt"
    path.write_text("word " * 2_000_000, encoding="utf-8")  # 10 MB, one line, no sentence punctuation
    out = tmp_path / "report.json"
    result, peak = _limited_run(["analyze", str(path), "-o", str(out), "--quiet"], tmp_path, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1 and "dump.txt" in warnings[0] and "2,000,000 words" in warnings[0]
    assert "the first 100,000 words" in warnings[0] and "--max-words" in warnings[0]
    report = json.loads(out.read_text(encoding="utf-8"))
    text = report["articles"][0]["text"]
    assert len(text.split()) == 100_000
    assert any("without a sentence end" in p["message"] for p in report["problems"])
    assert peak <= PEAK_AIM_MB, f"peak {peak:.0f} MB"


def test_ceiling_limit_text_cuts_at_a_paragraph_break_and_says_where():
    text = ("One paragraph that stays. " * 30).strip() + "\n\n" + "Another that is cut. " * 30
    kept, warning = limit_text(text, Options(max_words=200), "notes.txt")
    assert text.startswith(kept) and kept.endswith("stays.") and len(kept.split()) == 120
    assert warning.startswith("warning: notes.txt: 240 words") and "the first 120 words" in warning
    assert limit_text(text, Options(), "notes.txt") == (text, None)
    # characters count too: one endless "word"
    kept, warning = limit_text("x" * 5000, Options(max_chars=1000), "blob.txt")
    assert kept == "x" * 1000 and "--max-chars" in warning


def test_ceiling_batch_goes_on_after_a_cut_input(tmp_path):
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text("word " * 5000, encoding="utf-8")
    small.write_text("Port reopens\nThe port reopened on Monday after a strike, the union said.\n", encoding="utf-8")
    loaded = load_articles([str(big), str(small)], Options(max_words=1000))
    assert [len(a.text.split()) for a in loaded.articles] == [1000, 11]
    assert len(loaded.warnings) == 1 and "big.txt" in loaded.warnings[0]
    assert not loaded.problems


def test_ceiling_options_refuse_a_bad_limit(tmp_path, capsys):
    with pytest.raises(OptionError, match="max_words must be a positive whole number"):
        Options(max_words=0)
    path = tmp_path / "a.txt"
    path.write_text("The port reopened on Monday.", encoding="utf-8")
    code, _, err = run_cli(["extract", str(path), "--max-chars", "0"], capsys)
    assert code == 2 and "--max-chars" in err


def test_pieces_cover_the_text_and_cap_every_stretch():
    text = "A sentence ends here. " + "word " * 1000 + "\n\n" + "Short one. " * 3000
    p = plan(text)
    assert p.bounds[0] == 0 and p.bounds[-1] == len(text) and p.bounds == sorted(set(p.bounds))
    assert all(b - a <= PIECE_CHARS for a, b in zip(p.bounds, p.bounds[1:]))
    assert [(s[2], s[3]) for s in p.stretches] == [(1000, 4)]
    for a, b in zip(p.bounds, p.bounds[1:]):
        piece = text[a:b]
        longest = max(len(run.split()) for run in piece.replace("\n", ". ").split(". "))
        assert longest <= MAX_RUN_WORDS


def test_pieces_parse_keeps_the_text_and_the_sentences_of_prose():
    paragraph = ("The council met on Monday to discuss the harbour. Officials said the port would reopen soon, "
                 "and traders welcomed the news. ") * 4
    text = "\n\n".join([paragraph.strip()] * 60)  # about 30,000 characters: parsed in two or more pieces
    assert len(plan(text).bounds) > 2
    nlp = load_pipeline()
    (doc, _), = parse(nlp, [text])
    assert doc.text == text
    whole = nlp(text)
    ours = {(s.start_char, s.end_char) for s in doc.sents}
    theirs = {(s.start_char, s.end_char) for s in whole.sents}
    assert len(ours & theirs) >= 0.98 * len(theirs)
