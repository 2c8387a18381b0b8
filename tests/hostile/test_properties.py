"""Property-based tests (hypothesis) over the text cleaning, decoding, sentence, quote and date code."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.errors import InputError
from newsprism.ingest.clean import clean_text
from newsprism.ingest.decode import decode
from newsprism.text.dates import find_temporal
from newsprism.text.quotations import quotations

# Text made of the pieces that trouble parsers: quotes of every kind, dashes, newlines, digits, scripts, controls.
PIECES = st.sampled_from(["“", "”", '"', "«", "»", "'", "’", " said ", "He said", ".", "?", "\n", "\n\n", " ",
                          "Share", "www.example.com", "42 Comments", "on Sunday", "December 14", "2025", "—",
                          "Kyiv", "Photo:", "(Photo by AFP)", "Забастовка", "انتهاء", "罢工", "\u200b", "\x07",
                          "The minister told reporters the port would reopen next week after repairs."])
TEXT = st.one_of(st.text(max_size=400), st.lists(PIECES, max_size=60).map("".join))


def _squash(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_properties_cleaning_loses_no_line(text):
    cleaned = clean_text(text)
    kept = _squash(cleaned.text)
    removed = {_squash(line) for line in cleaned.removed}
    for line in text.replace("\u00a0", " ").split("\n"):
        line = _squash(line)
        if line:
            assert line in kept or line in removed or line == _squash(cleaned.title or ""), line
    assert "\n\n\n" not in cleaned.text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_properties_decoding_returns_text_or_a_clear_error(data):
    try:
        text, warning = decode(data, "x.txt")
    except InputError as exc:
        assert exc.line().startswith("error: x.txt: ") and " — " in exc.line()
        return
    assert isinstance(text, str)
    assert "\x00" not in text and "\u200b" not in text
    assert warning is None or warning.startswith("warning: x.txt:")


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_properties_quote_spans_stay_inside_the_text_and_bounded(text):
    spans = [(q.start, q.end) for q in quotations(text)]
    previous_end = -1
    for start, end in sorted(spans):
        assert 0 <= start < end <= len(text)
        assert end - start <= 800
        assert start >= previous_end  # quotes never overlap
        previous_end = end


@settings(max_examples=300, deadline=None)
@given(TEXT, st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))))
def test_properties_dates_resolve_or_stay_null(text, reference):
    for expr in find_temporal(text, reference):
        assert 0 <= expr.start < expr.end <= len(text)
        assert expr.text == text[expr.start:expr.end]
        if expr.value is not None:
            parts = expr.value.split("-")
            assert len(parts[0]) == 4 and len(parts) <= 3
            if len(parts) == 3:
                dt.date.fromisoformat(expr.value)


def test_properties_sentences_offsets_are_exact():
    from hypothesis import given as given_

    from newsprism.analysis import run_story
    from newsprism.models import Article

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given_(TEXT.filter(lambda t: t.strip()))
    def check(text):
        from newsprism.ingest.decode import normalize_text

        text = normalize_text(text)
        article = Article(id="a", source="a", text=text)
        ctx = run_story([article], ["sentences"])
        for sentence in ctx.products["sentences"]["a"]:
            assert text[sentence.start:sentence.end] == sentence.text

    check()
