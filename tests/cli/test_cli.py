"""The command as a user runs it: outputs, one-line errors, exit codes, and help with examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import jsonschema

from helpers import ROOT, SHARED, need_shared, run_cli
from newsprism.cli import cli

SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text())
GOOD = ("Port workers end strike\nDock workers at the harbour ended their strike on Friday after the port "
        "authority raised its pay offer, the union said.\nThe port will reopen on Saturday, officials said.\n")


run = run_cli


def test_cli_every_command_has_help_with_an_example(capsys):
    for name in cli.commands:
        code, out, _ = run([name, "--help"], capsys)
        assert code == 0 and "Example" in out, name
    code, out, _ = run(["--help"], capsys)
    assert "analyze" in out and "extract" in out and "Example" in out


def test_cli_analyze_writes_a_valid_report(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD)
    report_path = tmp_path / "r.json"
    code, _, err = run(["analyze", str(tmp_path / "a.txt"), "-o", str(report_path), "-q"], capsys)
    assert code == 0, err
    report = json.loads(report_path.read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["articles"][0]["title"] == "Port workers end strike"


def test_cli_analyze_terminal_view(tmp_path, capsys):
    (tmp_path / "a.txt").write_text(GOOD)
    code, out, _ = run(["analyze", str(tmp_path / "a.txt"), "-q"], capsys)
    assert code == 0
    assert "Port workers end strike" in out and "Articles" in out
    assert max(len(line) for line in out.splitlines()) <= 100


def test_cli_bad_inputs_get_one_line_each_and_the_rest_goes_on(tmp_path, capsys):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "latin.txt").write_bytes(GOOD.replace("strike", "grève").encode("cp1252"))
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav>"
                                       "</body></html>")
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:  # a sparse 100 MB file: refused by its size before it is read
        handle.truncate(100 * 1024 * 1024)
    args = ["analyze", "-q", "-o", str(tmp_path / "r.json")] + [
        str(tmp_path / n) for n in ("good.txt", "empty.txt", "binary.txt", "latin.txt", "nav.html", "huge.txt")
    ] + [str(tmp_path / "missing.txt")]
    code, _, err = run(args, capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith(("error:", "warning:"))]
    by_input = {name: [line for line in lines if name in line] for name in
                ("empty.txt", "binary.txt", "latin.txt", "nav.html", "huge.txt", "missing.txt")}
    for name, found in by_input.items():
        assert len(found) == 1, (name, lines)
        assert " — " in found[0], found[0]  # says what to do
    assert by_input["latin.txt"][0].startswith("warning:")
    report = json.loads((tmp_path / "r.json").read_text())
    assert sorted(a["source"].rsplit("/", 1)[-1] for a in report["articles"]) == ["good.txt", "latin.txt"]
    assert "grève" in next(a["text"] for a in report["articles"] if a["source"].endswith("latin.txt"))
    assert len(report["problems"]) == 5


def test_cli_nothing_readable_exits_2(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("   ")
    code, _, err = run(["analyze", "-q", str(tmp_path / "empty.txt"), str(tmp_path / "nope.html")], capsys)
    assert code == 2
    assert "empty.txt: is empty" in err and "nope.html: no such file" in err


def test_cli_urls_refused_on_private_addresses_and_unreachable_hosts(capsys):
    code, _, err = run(["extract", "-q", "http://127.0.0.1:9/story"], capsys)
    assert code == 2  # refused: the input is bad, a retry will not help
    assert "127.0.0.1" in err and "--allow-private" in err
    code, _, err = run(["extract", "-q", "http://127.0.0.1:9/story", "http://nonexistent.invalid/story"], capsys)
    assert code == 3  # a host that does not resolve may resolve later: retry
    assert "127.0.0.1" in err and "nonexistent.invalid" in err


def test_cli_reads_stdin_and_jsonl(tmp_path, capsys, monkeypatch):
    records = tmp_path / "in.jsonl"
    records.write_text(json.dumps({"id": "r1", "title": "Strike ends", "text": GOOD, "outlet": "Reuters",
                                   "published": "2026-03-06"}) + "\n{broken\n")
    code, out, err = run(["extract", "-q", str(records)], capsys)
    assert code == 1 and "line 2 is not valid JSON" in err
    [record] = [json.loads(line) for line in out.splitlines()]
    assert record["id"] == "r1" and record["published"] == "2026-03-06"
    assert record["outlet"]["name"] == "Reuters" and record["outlet"]["country"] == "GB"


def test_cli_process_prints_no_traceback_on_bad_input(tmp_path):
    # The real process, as a user starts it.
    result = subprocess.run([sys.executable, "-m", "newsprism", "extract", str(tmp_path / "missing.txt")],
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "NEWSPRISM_DEBUG": ""})
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'missing.txt'}: no such file or folder — check the path"


def test_cli_seeds_report(tmp_path, seeds, capsys):
    report_path = tmp_path / "r.json"
    code, _, err = run(["analyze", "-q", *map(str, seeds), "-o", str(report_path)], capsys)
    assert code == 0, err
    report = json.loads(report_path.read_text())
    jsonschema.validate(report, SCHEMA)
    main_articles = [a for a in report["articles"] if a["kind"] != "snippet"]
    assert len(main_articles) == 5
    by_file = {a["source"].rsplit("/", 1)[-1][:3]: a for a in main_articles}
    assert by_file["004"]["kind"] == "aggregator"
    assert all(by_file[k]["kind"] == "article" for k in ("000", "001", "002", "003"))
    press = by_file["002"]["outlet"]
    assert press and press["country"] == "IR" and press["ownership"] == "state-owned"
    for article in report["articles"]:
        assert article["language"] == "en"
        for line in article["removed"]:
            assert line not in article["text"]
        assert "\n\n\n" not in article["text"]
    snippets = [a for a in report["articles"] if a["kind"] == "snippet"]
    assert snippets and all(s["parent"] == by_file["004"]["id"] for s in snippets)


def test_cli_extract_scrapinghub_one_record_per_page(tmp_path, capsys):
    pages = need_shared(SHARED / "datasets" / "extraction" / "scrapinghub-aeb" / "html")
    out = tmp_path / "aeb.jsonl"
    code, _, err = run(["extract", "-q", str(pages), "-o", str(out)], capsys)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == len(list(pages.glob("*.html.gz"))), err
    assert code == 0, err
    assert all(r["text"].strip() for r in records)


def test_cli_seeds_furniture_is_removed_and_reporting_kept(tmp_path, seeds, capsys):
    code, out, err = run(["extract", "-q", *map(str, seeds)], capsys)
    assert code == 0, err
    by_file = {r["source"].rsplit("/", 1)[-1][:3]: r for r in map(json.loads, out.splitlines())
               if r["kind"] != "snippet"}
    assert {"Know something we missed? Have a correction or additional information?", "Submit a Tip"} <= set(
        by_file["000"]["removed"])
    assert {"SHARE THIS ARTICLE", "www.presstv.co.uk"} <= set(by_file["002"]["removed"])
    assert "News" in by_file["002"]["removed"][0]
    aggregator = by_file["004"]
    assert "186 Articles" in aggregator["removed"] and "186 Articles" in aggregator["aggregator_claims"]
    assert "Upgrade to Premium" not in aggregator["text"] and "186 Articles" not in aggregator["text"]
    assert any("38%" in claim for claim in aggregator["aggregator_claims"])
    # Reporting is kept whole: every seed paragraph of more than a few words is in the clean text.
    for seed in seeds:
        record = by_file[seed.name[:3]]
        if record["kind"] == "aggregator":
            continue
        for line in seed.read_text().splitlines():
            line = " ".join(line.replace("\u00a0", " ").split())
            if len(line.split()) >= 12 and line not in record["removed"] and line != record["title"]:
                assert line in " ".join(record["text"].split()), line[:80]
    assert by_file["002"]["captions"] and by_file["002"]["published"] == "2025-12-14"
    assert by_file["000"]["title"].startswith("Zelenskiy Offers")
    assert by_file["003"]["title"] is None
