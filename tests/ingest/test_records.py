from newsprism.errors import InputError
from newsprism.ingest.records import Record, iter_records


def test_records_read_good_lines_and_report_bad_ones():
    text = "\n".join([
        '{"id": "r1", "title": "T", "text": "Body one.", "outlet": "Reuters", "published": "2026-03-05"}',
        "{not json",
        '["a list"]',
        '{"title": "no text"}',
        '{"text": 42}',
        '{"id": 7, "text": "Body two.", "authors": "A. Writer; B. Writer"}',
    ])
    items = list(iter_records(text, "in.jsonl", 1000))
    records = [i for i in items if isinstance(i, Record)]
    errors = [i.line() for i in items if isinstance(i, InputError)]
    assert [r.id for r in records] == ["r1", "7"]
    assert records[1].authors == ["A. Writer", "B. Writer"]
    assert errors[0].startswith("error: in.jsonl: line 2 is not valid JSON")
    assert "line 3 is not a JSON object" in errors[1]
    assert errors[2].startswith("error: in.jsonl#4: record has no 'text'")
    assert "field 'text' should be a string, not int" in errors[3]


def test_records_refuse_oversized_fields():
    [item] = list(iter_records('{"text": "' + "x" * 50 + '"}', "in.jsonl", 10))
    assert isinstance(item, InputError) and "over the limit" in item.line()
