"""Actors: one per person or body across spellings, with the role the text gives, and their positions with sources."""

from __future__ import annotations

import pytest

from newsprism.analysis import run_story
from newsprism.analysis.actors import stance_words
from newsprism.analysis.stage import StoryContext
from newsprism.lang import default
from newsprism.models import Article, Outlet


def analyse(*articles: Article) -> StoryContext:
    return run_story(list(articles), ["quotes", "actors"])


def article(id_: str, text: str, outlet: str) -> Article:
    return Article(id=id_, source=id_, text=text, outlet=Outlet(name=outlet))


FIRST = article("a", (
    "Mayor Maria Jensen rejected the plan to sell the harbour on Monday. Jensen said the city would not accept job "
    "cuts. Port director David Brown demanded higher wages for dock workers. Moscow rejects the proposal, and the "
    "Kremlin has called for new talks. Mayor Jensen's office welcomed the offer. Sarah Miller, the union's "
    "spokeswoman, warned of a long strike. The minister said the harbour would not accept the offer."),
    "Harbour Daily")
SECOND = article("b", "David Brown, the port director, demands higher wages for the dock workers. Russia opposes "
                      "the deal.", "Coast Post")


@pytest.fixture(scope="module")
def story() -> StoryContext:
    return analyse(FIRST, SECOND)


def _actor(ctx: StoryContext, name: str):
    [actor] = [a for a in ctx.products["actors"] if a.name == name]
    return actor


def test_actors_spellings_and_possessives_are_one_actor(story):
    jensen = _actor(story, "Maria Jensen")
    assert "Jensen" in jensen.aliases
    assert sum(a.name.endswith("Jensen") for a in story.products["actors"]) == 1


def test_actors_role_from_title_or_apposition(story):
    assert _actor(story, "Maria Jensen").role == "Mayor"
    assert "spokeswoman" in _actor(story, "Sarah Miller").role
    assert "director" in _actor(story, "David Brown").role


def test_actors_positions_carry_exact_evidence(story):
    texts = {"a": FIRST.text, "b": SECOND.text}
    for actor in story.products["actors"]:
        for position in actor.positions:
            assert position.evidence
            for evidence in position.evidence:
                assert texts[evidence.article][evidence.start:evidence.end] == evidence.text
    [rejects] = [p for p in _actor(story, "Maria Jensen").positions if p.stance == "rejects"]
    assert rejects.text.startswith("rejected the plan to sell the harbour")


def test_actors_capital_and_seat_of_government_stand_for_the_country(story):
    russia = _actor(story, "Russia")
    stances = {p.stance: p.text for p in russia.positions}
    assert stances["rejects"] == "rejects the proposal"
    assert stances["demands"] == "called for new talks"
    assert stances["opposes"] == "opposes the deal"
    assert russia.articles == ["a", "b"]


def test_actors_same_position_in_two_outlets_is_merged(story):
    [demand] = _actor(story, "David Brown").positions
    assert demand.stance == "demands" and demand.articles == ["a", "b"]


def test_actors_unresolved_description_takes_no_position(story):
    # "The minister" names no one the story titles minister: nobody gets the position, nobody is guessed.
    held = [p.text for a in story.products["actors"] for p in a.positions]
    assert not any("would not accept the offer" in t for t in held)


def test_actors_negated_stance_is_turned_around():
    ctx = analyse(article("n", "Prime Minister Sarah Miller said she would not accept the new budget rules.",
                          "Harbour Daily"),
                  article("m", "Sarah Miller would not accept the new budget rules, officials said.", "Coast Post"))
    positions = _actor(ctx, "Sarah Miller").positions
    assert positions and {p.stance for p in positions} == {"rejects"}
    assert all("not accept" in p.text for p in positions)


def test_actors_stance_vocabulary_is_general_data():
    stances = {w.stance for w in stance_words(default()).values()}
    assert {"offers", "demands", "wants", "rejects", "proposes", "warns", "welcomes", "opposes"} <= stances


def test_actors_no_entities_no_actors():
    ctx = analyse(article("e", "it rained. then it stopped.", "Harbour Daily"))
    assert ctx.products["actors"] == [] and ctx.products["quotes"] == []


def test_actors_seeds_zelensky_spellings_and_positions(seeds):
    articles = [Article(id=p.stem[:3], source=str(p), text=p.read_text(encoding="utf-8"),
                        outlet=Outlet(name=p.stem)) for p in seeds]
    ctx = analyse(*articles)
    actors = {a.name: a for a in ctx.products["actors"]}
    [zelensky] = [a for a in actors.values() if a.name.endswith(("Zelensky", "Zelenskyy", "Zelenskiy"))]
    spellings = {zelensky.name, *zelensky.aliases}
    assert {"Zelensky", "Zelenskyy", "Zelenskiy"} <= {s.split()[-1] for s in spellings}
    assert len(zelensky.articles) == 5
    stances = {(a.name, p.stance) for a in actors.values() for p in a.positions}
    ukraine_side = {zelensky.name, "Ukraine"}
    assert any(n in ukraine_side and s == "offers" for n, s in stances)
    assert any(n in ukraine_side and s == "rejects" for n, s in stances)
    russia_demands = " ".join(p.text for p in actors["Russia"].positions if p.stance == "demands")
    assert "neutral" in russia_demands and "withdraw" in russia_demands
    rejected = " ".join(p.text for a in actors.values() if a.name in ukraine_side for p in a.positions
                        if p.stance == "rejects")
    assert "territor" in rejected
    pistorius = next(a for a in actors.values() if a.name.endswith("Pistorius"))
    assert any(p.stance == "doubts" and "guarantees" in p.text for p in pistorius.positions)
    offers = [p for a in actors.values() if a.name in ukraine_side for p in a.positions if p.stance == "offers"]
    assert max(len(p.articles) for p in offers) >= 2  # merged across outlets
