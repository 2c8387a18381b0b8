"""Conflicts: where aligned claims disagree on a figure, a date or certainty — and where they only seem to."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import stages
from newsprism.analysis.conflicts import certainty, consistent, quantities
from newsprism.api import analyze_articles
from newsprism.models import Article, Outlet
from newsprism.nlp import Annotations

STAGES = stages("story", "facts", "conflicts")
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def one(text: str):
    (q,) = quantities(text)
    return q


def test_conflicts_quantities_normalise_words_and_modifiers():
    assert (one("five hours").value, one("five hours").unit) == (5.0, "hour")
    assert one("about 110 intercepts").low < 110 < one("about 110 intercepts").high
    assert one("138 attack drones").unit == "drone"
    assert one("two million euros").value == 2_000_000


def test_conflicts_quantities_skip_years_and_names():
    assert quantities("Russia invaded in 2014 and called for Article 5 guarantees") == []


@pytest.mark.parametrize("a, b, agree", [
    ("five hours of talks", "more than five hours of talks", True),
    ("nearly four years", "more than three years", True),
    ("about 110 intercepts", "112 intercepts", True),
    ("two support beams", "four support beams", False),
    ("at least six weeks", "less than four weeks", False),
])
def test_conflicts_consistent_figures(a, b, agree):
    assert consistent(one(a), one(b)) is agree


@pytest.fixture(scope="module")
def annotate():
    def parse(text: str):
        article = Article(id="x", source="x", text=text)
        return Annotations([article]).doc("x")
    return parse


@pytest.mark.parametrize("text, mark", [
    ("The minister said the country relinquished its claim to the island.", "done"),
    ("The minister has offered to drop the country's claim to the island.", "tentative"),
    ("The minister said he would drop the claim if the talks succeed.", "tentative"),
    ("The minister was prepared to forgo the claim.", "tentative"),
    ("The minister said the country would not accept the terms.", None),
])
def test_conflicts_certainty_of_main_event(annotate, text, mark):
    found = certainty(annotate(text), 0, len(text) - 1)
    assert (found.mark if found else None) == mark
    if found:
        assert "claim" in found.about


@pytest.fixture(scope="module")
def bridge():
    data = json.loads((FIXTURES / "facts" / "bridge.json").read_text(encoding="utf-8"))
    articles = [Article(id=a["id"], source=a["id"], outlet=Outlet(name=a["outlet"]), published=a["published"],
                        text=a["text"]) for a in data["articles"]]
    return articles, analyze_articles(articles, stages=STAGES)


def test_conflicts_number_flagged_once_with_all_claims(bridge):
    _, report = bridge
    numbers = [c for c in report.conflicts if c.kind == "number"]
    assert len(numbers) == 1 and "beam" in numbers[0].description
    assert {c.article for c in numbers[0].claims} == {"gazette", "post", "ledger"}
    assert not any("week" in c.description for c in report.conflicts)  # at least / more than / about six


def test_conflicts_relative_dates_resolved_against_publication(bridge):
    _, report = bridge
    dates = [c for c in report.conflicts if c.kind == "date"]
    assert len(dates) == 1
    assert {c.value for c in dates[0].claims} == {"2026-03-09", "2026-03-08"}  # Monday vs Sunday before 10 March


def test_conflicts_certainty_done_vs_offered(bridge):
    _, report = bridge
    found = [c for c in report.conflicts if c.kind == "certainty"]
    assert len(found) == 1
    assert "as done (“secured”)" in found[0].description and "(“has offered to seek”)" in found[0].description
    assert {c.article for c in found[0].claims} >= {"ledger"}


def test_conflicts_claims_point_at_their_text(bridge):
    articles, report = bridge
    by_id = {a.id: a for a in articles}
    claims = [claim for conflict in report.conflicts for claim in conflict.claims]
    assert len(report.conflicts) >= 2 and len(claims) >= 4  # every conflict's claims are checked
    for conflict in report.conflicts:
        assert conflict.description.endswith(".")
    for claim in claims:
        assert by_id[claim.article].text[claim.start:claim.end] == claim.text


def test_conflicts_consistent_durations_across_years_not_flagged():
    articles = [
        Article(id="a", source="a", outlet=Outlet(name="A"), published="2025-12-15",
                text="The war began more than three years ago, when troops crossed the border in February 2022."),
        Article(id="b", source="b", outlet=Outlet(name="B"), published="2025-12-15",
                text="The talks come nearly four years after troops crossed the border in February 2022."),
    ]
    report = analyze_articles(articles, stages=STAGES)
    assert [c for c in report.conflicts if c.kind in ("date", "number")] == []


def test_conflicts_seeds_certainty_and_talks_date(seeds):
    import newsprism
    articles = newsprism.load_articles([str(p) for p in seeds]).articles
    report = analyze_articles(articles, stages=STAGES)
    kinds = {c.kind for c in report.conflicts}
    assert "certainty" in kinds and "date" in kinds
    certainty_conflict = next(c for c in report.conflicts if c.kind == "certainty")
    assert "relinquish" in certainty_conflict.description
    date_conflict = next(c for c in report.conflicts if c.kind == "date")
    assert "Berlin" in date_conflict.description and len({c.value for c in date_conflict.claims}) >= 2


def test_conflicts_negation_of_the_same_action():
    articles = [
        Article(id="a", source="a", outlet=Outlet(name="A"), published="2026-03-10",
                text="The dock workers' union accepted the harbour company's pay offer on Monday evening."),
        Article(id="b", source="b", outlet=Outlet(name="B"), published="2026-03-10",
                text="The dock workers' union did not accept the harbour company's pay offer on Monday evening."),
    ]
    report = analyze_articles(articles, stages=STAGES)
    found = [c for c in report.conflicts if c.kind == "claim"]
    assert len(found) == 1 and "accept" in found[0].description
    assert {c.article for c in found[0].claims} == {"a", "b"}
