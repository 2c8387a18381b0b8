"""Support, not similarity: the status of a claim's main event, and what keeps one claim from stating another."""

from __future__ import annotations

import pytest

from newsprism.analysis.alignment import ClaimInfo
from newsprism.analysis.conflicts import quantities
from newsprism.analysis.support import agrees, compatible, figures_clash, status, supports
from newsprism.lang import default
from newsprism.nlp import load_pipeline


@pytest.mark.parametrize("text, expected", [
    ("The defence secretary told lawmakers on Tuesday that they had recommended 2,500 troops remain.", "past"),
    ("The defence secretary will face lawmakers on Tuesday.", "planned"),
    ("The secretary is set to testify before the committee next week.", "planned"),
    ("Biden said the United States would end its combat mission in Iraq.", "planned"),
    ("Zelensky has offered to drop Ukraine's bid to join NATO.", "tentative"),
    ("Zelensky has expressed readiness to forgo the bid to join NATO.", "tentative"),
    ("The union could accept the offer this week.", "tentative"),
    ("The union has accepted a 9 per cent pay offer.", "past"),
    ("The union has not accepted the pay offer.", "negated"),
    ("Will the union accept the offer?", "question"),
    ("Court rules for cheerleader in free-speech case.", "present"),
])
def test_support_status_of_the_main_event(text, expected):
    doc = load_pipeline()(text)
    assert status(doc, 0, len(text), text, default()) == expected


def test_support_statuses_that_can_state_one_fact():
    assert compatible("past", "present") and compatible("planned", "tentative") and compatible("present", "planned")
    assert not compatible("past", "planned")  # a preview does not state that it happened
    assert not compatible("past", "tentative")  # an offer does not state that it was done
    assert not compatible("past", "negated") and not compatible("question", "past")


def info(text: str, state: str = "past", dates=()) -> ClaimInfo:
    figures = tuple(q for q in quantities(text, default()) if q.unit)
    return ClaimInfo(frozenset(), frozenset(), frozenset(), frozenset(dates), state, figures)


def test_support_a_clashing_figure_or_day_is_a_conflict_not_support():
    two = info("cracks in two support beams")
    four = info("cracks in four support beams")
    assert figures_clash(two.figures, four.figures) and not agrees(two, four)
    assert agrees(two, info("cracks in 2 support beams"))
    assert not agrees(info("met", dates=["2025-12-14"]), info("met", dates=["2025-12-15"]))
    assert supports(two, two, 0.9, 0.85) and not supports(two, two, 0.8, 0.85)
    assert not supports(info("x", "past"), info("x", "planned"), 0.99, 0.85)
