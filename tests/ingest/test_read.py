"""Reading inputs: files of each kind, .gz, folders, standard input, and the limits that protect the user."""

import gzip
import io

import pytest

from newsprism.errors import InputError
from newsprism.ingest.read import gunzip_limited, kind_for_name, payloads_for, sniff_kind
from newsprism.options import Options


def test_read_kinds_from_names():
    assert kind_for_name("a.txt") == "text"
    assert kind_for_name("a.htm.gz") == "html"
    assert kind_for_name("a.jsonl") == "jsonl"
    assert kind_for_name("a.pdf") is None


def test_read_sniffs_saved_html_and_records():
    assert sniff_kind(b"<!DOCTYPE html><html>") == "html"
    assert sniff_kind(b'{"text": "x"}\n{"text": "y"}') == "jsonl"
    assert sniff_kind(b"Headline\nBody text.") == "text"


def test_read_gzip_file(tmp_path):
    path = tmp_path / "page.txt.gz"
    path.write_bytes(gzip.compress(b"Headline\nThe body of the article."))
    [payload] = list(payloads_for(str(path), Options()))
    assert payload.kind == "text" and payload.data.startswith(b"Headline")


def test_read_gzip_bomb_stops_at_the_limit():
    bomb = gzip.compress(b"a" * (5 * 1024 * 1024))
    with pytest.raises(InputError, match="expands to more than"):
        gunzip_limited(bomb, 1024 * 1024, "bomb.gz")


def test_read_file_over_the_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * 300_000)
    with pytest.raises(InputError, match="larger than the 1 MB limit") as info:
        list(payloads_for(str(path), Options(max_bytes=1024 * 1024)))
    assert "--max-bytes" in info.value.line()


def test_read_missing_path_names_it():
    with pytest.raises(InputError) as info:
        list(payloads_for("no/such/file.txt", Options()))
    assert info.value.line() == "error: no/such/file.txt: no such file or folder — check the path"


def test_read_folder_recursively_and_reports_bad_members(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("A headline\nSome text.")
    (tmp_path / "sub" / "b.html").write_text("<html><body><p>x</p></body></html>")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    (tmp_path / "sub" / "c.txt.gz").write_bytes(b"not gzip at all")
    items = list(payloads_for(str(tmp_path), Options()))
    good = [p for p in items if not isinstance(p, InputError)]
    bad = [p for p in items if isinstance(p, InputError)]
    assert [p.source.replace(str(tmp_path), "") for p in good] == ["/a.txt", "/sub/b.html"]
    assert len(bad) == 1 and "c.txt.gz" in bad[0].line()


def test_read_empty_folder_says_what_it_reads(tmp_path):
    with pytest.raises(InputError, match="holds no .txt"):
        list(payloads_for(str(tmp_path), Options()))


def test_read_stdin():
    [payload] = list(payloads_for("-", Options(), stdin=io.BytesIO(b"Headline\nBody of the story here.")))
    assert payload.source == "<stdin>" and payload.kind == "text"


def test_read_refuses_other_schemes():
    with pytest.raises(InputError, match="unsupported address scheme 'ftp'"):
        list(payloads_for("ftp://example.com/a.txt", Options()))


def test_read_feed_and_url_list_kinds(tmp_path):
    feed = tmp_path / "news.xml"
    feed.write_bytes(b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    urls = tmp_path / "feeds.txt"
    urls.write_text("# mine\nhttps://a.example/rss\nhttps://b.example/atom.xml\n")
    assert [p.kind for p in payloads_for(str(feed), Options())] == ["feed"]
    assert [p.kind for p in payloads_for(str(urls), Options())] == ["urls"]
    # Inside a folder a list of addresses is a text: a folder is read, never used to fetch.
    assert {p.kind for p in payloads_for(str(tmp_path), Options())} == {"text"}
