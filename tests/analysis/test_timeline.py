"""Timeline: dated events normalised, resolved against publication or story dates, merged across outlets."""

from __future__ import annotations

import re

import pytest

from helpers import stages
from newsprism.api import analyze_articles
from newsprism.models import Article, Outlet

STAGES = stages("story", "timeline")


def article(id_: str, text: str, published: str | None = None, outlet: str | None = None, **kw) -> Article:
    return Article(id=id_, source=id_, text=text, published=published,
                   outlet=Outlet(name=outlet) if outlet else None, **kw)


# 2031-03-19 is a Wednesday; the Sunday before it is 16 March.
STORY = [
    article("a", "Dockers at the port of Karvel walked out on Sunday, March 16, over pay. "
                 "The dockers' union was founded in 1994. Talks will resume on Monday (March 24).",
            "2031-03-19", "Harbour Daily"),
    article("b", "The dockers walked out on Sunday in a dispute over pay. "
                 "Their last strike, in February 2027, lasted nine days.", None, "Port Post"),
    article("c", "Port workers walked out on Mar 16 in a row over wages. "
                 "The previous strike in February 2027 lasted nine days and shut the port.", "2031-03-19", "Quay News"),
]


@pytest.fixture(scope="module")
def timeline():
    return analyze_articles(STORY, stages=STAGES).timeline


def entries_on(timeline, value):
    return [e for e in timeline if e.date == value]


def test_timeline_merges_one_event_across_outlets(timeline):
    (walkout,) = [e for e in entries_on(timeline, "2031-03-16") if "walked out" in e.text]
    assert set(walkout.articles) == {"a", "b", "c"}


def test_timeline_weekday_of_undated_article_uses_story_date(timeline):
    # Article b has no publication date: its "Sunday" counts from the date the other articles establish.
    assert any("b" in e.articles for e in entries_on(timeline, "2031-03-16"))


def test_timeline_marks_background(timeline):
    (founded,) = entries_on(timeline, "1994")
    (last_strike,) = entries_on(timeline, "2027-02")
    assert founded.background and last_strike.background
    assert set(last_strike.articles) == {"b", "c"}
    assert not any(e.background for e in entries_on(timeline, "2031-03-16"))


def test_timeline_weekday_with_written_date_and_future(timeline):
    (talks,) = entries_on(timeline, "2031-03-24")
    assert talks.articles == ["a"] and "resume" in talks.text and not talks.background


def test_timeline_in_date_order(timeline):
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)


def test_timeline_evidence_points_into_article_text(timeline):
    texts = {a.id: a.text for a in STORY}
    for entry in timeline:
        assert entry.evidence
        for ev in entry.evidence:
            assert texts[ev.article][ev.start:ev.end] == ev.text


def test_timeline_no_dates_anywhere_keeps_explicit_dates_only():
    report = analyze_articles([article("x", "Workers walked out on Sunday. The port opened in 1994."),
                               article("y", "Nothing here is dated.")], stages=STAGES)
    assert [e.date for e in report.timeline] == ["1994"]
    assert report.timeline[0].background is False  # no story date to compare with


def test_timeline_nonsense_and_future_dates_do_not_crash():
    report = analyze_articles([article("x", "The vote on February 30 was called off. The line opens on "
                                            "1 January 2040.", "2031-03-19")], stages=STAGES)
    assert [e.date for e in report.timeline] == ["2040-01-01"]


def test_timeline_bounds_are_not_dates():
    report = analyze_articles([article("x", "Wages have fallen since 2022.", "2031-03-19")], stages=STAGES)
    assert report.timeline == []


@pytest.fixture(scope="module")
def seed_report(request):
    from tests.conftest import SEEDS, need_shared
    import newsprism
    paths = sorted(need_shared(SEEDS).glob("*.txt"))
    articles = newsprism.load_articles([str(p) for p in paths]).articles
    return analyze_articles(articles, stages=STAGES)


def test_timeline_seeds_have_background_and_story_days(seed_report):
    dates = {e.date: e for e in seed_report.timeline}
    assert {"1994", "2022-02", "2025-12-14", "2025-12-15"} <= set(dates)
    assert dates["1994"].background and dates["2022-02"].background
    assert not dates["2025-12-14"].background


def test_timeline_seeds_resolve_undated_articles_to_the_14th(seed_report):
    # The seed articles that give the day only as a weekday or a month and day, and have no date of their own.
    undated = {a.id for a in seed_report.articles
               if not a.published and re.search(r"\bSunday\b|\bDec(?:ember)? 14\b(?!, \d)", a.text)}
    on_14th = {a for e in seed_report.timeline if e.date == "2025-12-14" for a in e.articles}
    assert undated and undated <= on_14th


def test_timeline_year_only_mention_joins_the_finer_entry_of_that_year():
    report = analyze_articles([
        article("a", "The previous strike at Karvel began in February 2027 and lasted nine days.", "2031-03-19", "One"),
        article("b", "The previous strike at Karvel began in 2027 and lasted nine days.", "2031-03-19", "Two"),
    ], stages=STAGES)
    assert [(e.date, e.articles) for e in report.timeline] == [("2027-02", ["a", "b"])]


def test_timeline_different_events_on_one_day_stay_apart():
    report = analyze_articles([
        article("a", "Dockers walked out on 16 March 2031 over pay.", "2031-03-19", "One"),
        article("b", "A storm flooded the fish market on 16 March 2031.", "2031-03-19", "Two"),
    ], stages=STAGES)
    assert sorted(e.articles for e in report.timeline) == [["a"], ["b"]]
