"""Web archives as input: a WARC file we write ourselves (warcio's writer, our own made-up pages), read by
`newsprism extract` and `ingest` like any other input — its HTML responses become articles with the record's
address and date, everything else is skipped, and a damaged record is one line while the pages before it stay."""

from __future__ import annotations

import json

import pytest

from helpers import run_cli, write_warc as _write_warc

def test_extract_reads_the_pages_of_a_web_archive(tmp_path, capsys):
    warc = tmp_path / "crawl.warc.gz"
    _write_warc(warc)
    code, out, err = run_cli(["extract", str(warc), "-q"], capsys)
    assert code == 0, err
    articles = [json.loads(line) for line in out.splitlines()]
    assert [a["url"] for a in articles] == ["https://news0.example/quay", "https://news1.example/quay"]
    assert {a["published"] for a in articles} == {"2026-03-04"}, "the record's date when the page gives none"
    assert all("northern quay" in a["text"] and "Home | World" not in a["text"] for a in articles)
    assert articles[0]["source"].startswith(f"{warc}@")


def test_a_damaged_record_is_one_line_and_the_pages_before_it_are_kept(tmp_path, capsys):
    warc = tmp_path / "broken.warc.gz"
    _write_warc(warc, damaged=True)
    code, out, err = run_cli(["extract", str(warc), "-q"], capsys)
    assert code == 1 and len(out.splitlines()) == 2
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and str(warc) in lines[0] and "offset" in lines[0]


def test_ingest_reads_a_folder_of_web_archives(tmp_path, capsys):
    folder = tmp_path / "crawl"
    folder.mkdir()
    _write_warc(folder / "a.warc.gz")
    code, _, err = run_cli(["ingest", str(folder), "--db", str(tmp_path / "s.db"), "-q",
                            "--embedder", "potion"], capsys)
    assert code == 0, err
    code, _, err = run_cli(["ingest", str(folder), "--db", str(tmp_path / "s.db"), "--embedder", "potion"], capsys)
    assert "0 added" in err and "2 unchanged" in err


@pytest.mark.parametrize("name", ["x.warc", "y.warc.gz"])
def test_an_empty_or_foreign_file_named_warc_is_one_clear_line(tmp_path, capsys, name):
    bad = tmp_path / name
    bad.write_bytes(b"this is not a web archive\n" * 10)
    code, out, err = run_cli(["extract", str(bad), "-q"], capsys)
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.count("error:") == 1 and str(bad) in err
