"""Sentences: the parser's cuts repaired, cut-off excerpts marked, and what stands on its own as a statement."""

from __future__ import annotations

import pytest

from helpers import story
from newsprism.analysis.sentences import is_truncated, is_whole, leans_back, statement_start
from newsprism.lang import default
from newsprism.models import Article


def sentences_of(text: str) -> list[str]:
    ctx = story([Article(id="a", source="a", text=text)], "sentences")
    return ctx.products["sentences"]["a"]


@pytest.mark.parametrize("text", [
    "The California Democrat told reporters on Thursday that Reps. Jim Banks and Jim Jordan would not serve.",
    "The vote took place at 12:43 p.m. local time on Friday in the capital.",
    "Sen. Joe Manchin and Gov. Jim Justice met Dr. Ana Ruiz in the U.S. capital on Monday.",
    "“The 2020 presidential election was not stolen. Anyone who claims it was is spreading the big lie,” she said.",
])
def test_sentences_never_end_at_abbreviations_times_or_inside_a_quotation(text):
    assert [s.text for s in sentences_of(text)] == [text]


def test_sentences_a_paragraph_break_always_ends_one_and_an_excerpt_cut_off_is_truncated():
    found = sentences_of("The council met on Monday and voted to close the bridge for the whole of...\n\n"
                         "Residents were told on Tuesday\n\nThe bridge reopens in May.")
    assert [s.truncated for s in found] == [True, True, False]
    assert len({s.paragraph for s in found}) == 3


@pytest.mark.parametrize("text, whole", [
    ("The bridge reopens in May.", True),
    ("But the bridge stays shut until May.", False),
    ("He said the bridge would stay shut.", False),
    ("These repairs will take until May.", False),
    ("This week the council voted to close the bridge.", True),  # a time, not a pointer back
    ("“We will reopen it in May,” the mayor said.", True),  # the speaker's own words
    ("the bridge reopens in May.", False),
    ("The mayor said the bridge would reopen in…", False),
    ("The mayor called it “a scandal.", False),
    ("Then-President Trump signed the bill.", True),
])
def test_sentences_whole_statements(text, whole):
    assert is_whole(text, default()) is whole


def test_sentences_statement_start_leaves_out_labels_and_a_connective_before_a_capital():
    lang = default()
    for text, rest in [("However, Kyiv has rejected the plan.", "Kyiv has rejected the plan."),
                       ("Why it matters: The port handles a third of exports.", "The port handles a third of exports."),
                       ("But the port stays shut.", "But the port stays shut."),  # the rest leans back too
                       ("The port stays shut.", "The port stays shut.")]:
        assert text[statement_start(text, lang):] == rest
    assert leans_back("Meanwhile, the port stays shut.", lang) and not leans_back("The port stays shut.", lang)
    assert is_truncated("The senator said the bill would...") and not is_truncated("The bill passed.")
