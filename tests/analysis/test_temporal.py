"""Date expressions: explicit, without a year, weekdays, relative phrases — and bad dates that must not crash."""

from __future__ import annotations

from datetime import date

import pytest

from newsprism.analysis.temporal import story_reference_dates
from newsprism.text.dates import find_dates, find_temporal
from newsprism.models import Article

# A Wednesday, chosen so weekday arithmetic is visible: the previous Sunday is the 14th.
REF = date(2031, 3, 19)


def values(text: str, reference: date | None = REF) -> list[tuple[str, str | None]]:
    return [(t.text, t.value) for t in find_temporal(text, reference)]


def only(text: str, reference: date | None = REF):
    (expr,) = find_temporal(text, reference)
    return expr


@pytest.mark.parametrize("text, value", [
    ("The bridge reopened on 14 March 2031.", "2031-03-14"),
    ("The bridge reopened on March 14, 2031.", "2031-03-14"),
    ("The bridge reopened on Mar. 14, 2031.", "2031-03-14"),
    ("The bridge reopened on 2031-03-14.", "2031-03-14"),
    ("The strike began in February 2030.", "2030-02"),
    ("The port was built in 1994.", "1994"),
])
def test_temporal_explicit_dates(text, value):
    expr = only(text)
    assert expr.value == value and expr.qualifier == "exact" and not expr.relative


def test_temporal_date_without_year_takes_reference_year():
    expr = only("Dockers walked out on Mar 14 at dawn.")
    assert (expr.value, expr.relative) == ("2031-03-14", True)


def test_temporal_date_without_year_just_ahead_stays_in_reference_year():
    assert only("Talks are scheduled for March 30.").value == "2031-03-30"


def test_temporal_date_without_year_far_ahead_is_last_year():
    # From March, "November 3" is the November just past, not the one eight months ahead.
    assert only("The contract expired on November 3.").value == "2030-11-03"


def test_temporal_weekday_is_most_recent_on_or_before_reference():
    assert only("The crews met on Sunday.").value == "2031-03-16"
    assert only("The crews met on Wednesday.").value == "2031-03-19"
    assert only("The crews met last Wednesday.").value == "2031-03-12"


def test_temporal_weekday_in_future_tense_looks_ahead():
    assert only("The crews will meet again on Friday.").value == "2031-03-21"
    assert only("They meet next Monday.").value == "2031-03-24"


def test_temporal_weekday_with_bracketed_date_uses_the_date():
    expr = only("Talks resume on Monday (March 10).")
    assert expr.value == "2031-03-10"
    assert expr.text == "on Monday (March 10)"


@pytest.mark.parametrize("text, value, qualifier", [
    ("He spoke yesterday.", "2031-03-18", "exact"),
    ("Plans leaked last month.", "2031-02", "exact"),
    ("Pay was cut last year.", "2030", "exact"),
    ("The union was founded more than three years ago.", "2028", "approx"),
    ("It began two weeks ago.", "2031-03-05", "approx"),
])
def test_temporal_relative_phrases_count_from_reference(text, value, qualifier):
    expr = only(text)
    assert (expr.value, expr.qualifier, expr.relative) == (value, qualifier, True)


def test_temporal_offset_after_counts_from_the_date_in_the_sentence():
    found = find_temporal("The deal came nearly four years after the strike of February 2027.", REF)
    assert [(t.value, t.qualifier) for t in found] == [("2030", "approx"), ("2027-02", "exact")]


def test_temporal_day_before_counts_from_the_date_earlier_in_the_sentence():
    found = values("The crews met on March 3, after five hours of talks the day before.")
    assert found == [("March 3", "2031-03-03"), ("the day before", "2031-03-02")]


def test_temporal_day_before_without_earlier_date_counts_from_reference():
    assert only("Talks had collapsed the day before.").value == "2031-03-18"


@pytest.mark.parametrize("text, qualifier", [
    ("Wages have fallen since 2022.", "after"),
    ("The law was changed after 2014.", "after"),
    ("The line must be finished by 2033.", "before"),
    ("The port was built in 1994.", "exact"),
])
def test_temporal_year_prepositions_set_the_qualifier(text, qualifier):
    assert only(text).qualifier == qualifier


def test_temporal_future_dates_are_kept():
    assert only("The line could open as early as January 1, 2040.").value == "2040-01-01"


@pytest.mark.parametrize("text", ["The vote on February 30 was cancelled.", "It happened on 31 April 2031.",
                                  "It happened on February 45."])
def test_temporal_nonsense_dates_have_no_value(text):
    found = find_temporal(text, REF)
    assert found and all(t.value is None for t in found)


@pytest.mark.parametrize("reference", [date(1, 1, 1), date(9999, 12, 31)])
def test_temporal_counts_past_the_calendar_give_no_value(reference):
    found = find_temporal("Ten years ago, on Sunday, the day before, next year, Dec 31.", reference)
    assert found and all(t.value is None or len(t.value) in (4, 7, 10) for t in found)


def test_temporal_without_reference_relative_is_unresolved_but_explicit_is_not():
    found = values("On Sunday, a year after 12 May 2030, they met again; prices rose last month.", None)
    assert ("12 May 2030", "2030-05-12") in found
    assert ("On Sunday", None) in found and ("last month", None) in found


def test_temporal_numbers_that_are_not_years_are_skipped():
    assert find_temporal("About 2000 workers and 138 drones; costs rose 12%; the 2020s were hard.", REF) == []


def test_temporal_month_words_in_lower_case_are_not_months():
    assert find_temporal("Workers may 5 times march 10 miles.", REF) == []


def test_temporal_offsets_point_at_the_expression():
    text = "Dockers walked out on Sunday, then again on 2 April 2031."
    for expr in find_temporal(text, REF):
        assert text[expr.start:expr.end] == expr.text


def article(id_: str, published: str | None = None, text: str = "Nothing dated here.", **kw) -> Article:
    return Article(id=id_, source=id_, text=text, published=published, **kw)


def test_temporal_story_reference_dates_prefer_own_date_then_most_common():
    refs = story_reference_dates([article("a", "2031-03-19"), article("b", "2031-03-19"), article("c", "2031-03-10"),
                                  article("d")])
    assert refs == {"a": date(2031, 3, 19), "b": date(2031, 3, 19), "c": date(2031, 3, 10), "d": date(2031, 3, 19)}


def test_temporal_story_reference_dates_snippet_uses_its_page():
    refs = story_reference_dates([article("page", "2031-03-01"), article("other", "2031-03-19"),
                                  article("page-s1", kind="snippet", parent="page")])
    assert refs["page-s1"] == date(2031, 3, 1)


def test_temporal_story_reference_dates_fall_back_to_dates_the_texts_write():
    refs = story_reference_dates([
        article("a", text="The strike began on Sunday, March 16, 2031, and a vote was set for 1 May 2032."),
        article("b", text="Pickets formed on 16 March 2031."),
        article("c", text="Dockers walked out on Sunday."),
    ])
    assert set(refs.values()) == {date(2031, 3, 16)}
    assert only("Dockers walked out on Sunday.", refs["c"]).value == "2031-03-16"


def test_temporal_story_reference_dates_bad_published_value_is_ignored():
    assert story_reference_dates([article("a", "2031-02-30"), article("b")]) == {"a": None, "b": None}


def test_temporal_one_grammar_for_article_dates_and_event_dates():
    # The dateline reader (ingest) and the event dates (analysis) read a phrase the same way, case included.
    from newsprism.ingest.dates import date_from_text, normalise_date

    for phrase, day in (("december 14, 2025", "2025-12-14"), ("14th December 2025", "2025-12-14"),
                        ("Sunday, Dec. 14, 2025", "2025-12-14"), ("2025-12-14", "2025-12-14")):
        assert find_dates(phrase) == [(0, day)] or [d for _, d in find_dates(phrase)] == [day]
        assert [t.value for t in find_temporal(phrase, None) if t.value] == [day]
        assert date_from_text([f"Published {phrase}"], []) == day
        assert normalise_date(phrase) == day
    assert find_dates("dec 14, 2025") == []  # an abbreviation must be capitalised: "mar", "dec" are words too


def test_temporal_a_noun_plan_is_no_cue_of_the_future():
    from datetime import date

    from newsprism.lang.en.dates import find_temporal

    monday = date(2021, 9, 27)
    past = find_temporal("The plan, outlined in a statement on Saturday, would allow her to act.", monday)
    future = find_temporal("The governor plans to announce it on Saturday.", monday)
    assert [t.value for t in past] == ["2021-09-25"] and [t.value for t in future] == ["2021-10-02"]
