"""The one path from an input to articles: ids from canonical addresses, and a result per input or feed item."""

from __future__ import annotations

import json

from newsprism.ingest import load_articles, stream_articles
from newsprism.ingest.identity import article_id, canonical_url, content_hash, fingerprint_of

TEXT = "The Harrow Bridge was closed on Tuesday after a grain barge struck one of its piers, officials said."


def test_load_article_id_comes_from_the_canonical_address_the_store_keys_on(tmp_path):
    rows = [{"title": "Bridge shut", "text": TEXT, "url": "https://EXAMPLE.com/a/?utm_source=feed#top"},
            {"title": "Bridge shut", "text": TEXT + " Again.", "url": "https://example.com/a"}]
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    first, second = load_articles([str(path)]).articles
    assert canonical_url(rows[0]["url"]) == canonical_url(rows[1]["url"]) == "https://example.com/a"
    assert first.id == article_id(None, "https://example.com/a", "") and second.id == f"{first.id}-2"


def test_load_identity_hashes():
    assert content_hash("T", "a b") != content_hash("T", "a  b")  # the stored text changed: re-analyse
    assert fingerprint_of("A copy, said he.") == fingerprint_of("a copy said  he")  # but it is the same words


def test_load_repeated_record_ids_are_renamed_with_a_warning(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"id": "x", "text": TEXT}) + "\n" + json.dumps({"id": "x", "text": TEXT[:60]}) + "\n")
    loaded = load_articles([str(path)])
    assert [a.id for a in loaded.articles] == ["x", "x-2"] and loaded.renamed == {"x-2": "x"}
    assert any("the id 'x' repeats an earlier record's" in w for w in loaded.warnings)


def test_load_stream_yields_each_input_as_it_is_read(tmp_path):
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    one.write_text(f"Bridge shut\n{TEXT}\n")
    two.write_text("")
    seen = [(spec, [a.title for a in result.articles], [p.message for p in result.problems])
            for spec, result in stream_articles([str(one), str(two)])]
    assert seen == [(str(one), ["Bridge shut"], []), (str(two), [], ["is empty"])]
