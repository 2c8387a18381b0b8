"""Facts: claims aligned across outlets, their agreement, single-source facts and omissions."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from helpers import story
from newsprism.analysis import default_stages, stages_for
from newsprism.analysis.alignment import NEIGHBOURS, candidate_pairs
from newsprism.analysis.facts import agreement
from newsprism.api import analyze_articles
from newsprism.models import Article, Outlet
from newsprism.nlp import Annotations

STAGES = stages_for(["story", "facts", "conflicts"], default_stages())


def bridge_articles(fixtures) -> list[Article]:
    data = json.loads((fixtures / "facts" / "bridge.json").read_text(encoding="utf-8"))
    return [Article(id=a["id"], source=a["id"], outlet=Outlet(name=a["outlet"]), published=a["published"],
                    text=a["text"]) for a in data["articles"]]


def analyze(articles):
    return analyze_articles(articles, stages=STAGES)


@pytest.fixture(scope="module")
def bridge_report():
    articles = bridge_articles(Path(__file__).resolve().parent.parent / "fixtures")
    return articles, analyze(articles)


def test_facts_cite_only_outlets_whose_sentence_states_the_fact(bridge_report):
    _, report = bridge_report
    closing = [f for f in report.facts if "Old Mill Bridge" in f.text and "heavy traffic" in f.text]
    # the Ledger closes the bridge after cracks in *four* beams, not two: that is a conflict, not support
    assert closing and closing[0].agreement == "most"
    assert set(closing[0].articles) == {"gazette", "post"}
    assert any(c.kind == "number" and "four support beams" in c.description for c in report.conflicts)
    ledger = [f for f in report.facts if f.articles == ["ledger"] and "four support beams" in f.text]
    assert ledger and ledger[0].agreement == "single"
    # "has secured state funding" is done, "has offered to seek" is offered: the Ledger does not support the offer
    offer = next(f for f in report.facts if "seek state fund" in f.text and len(f.articles) > 1)
    assert "ledger" not in offer.articles and any(c.kind == "certainty" for c in report.conflicts)


def test_facts_single_source_fact_names_its_one_article(bridge_report):
    _, report = bridge_report
    bakery = [f for f in report.facts if "Bakery" in f.text]
    assert len(bakery) == 1 and bakery[0].agreement == "single" and bakery[0].articles == ["gazette"]


def test_facts_evidence_is_verbatim_at_offsets(bridge_report):
    articles, report = bridge_report
    by_id = {a.id: a for a in articles}
    assert report.facts
    for fact in report.facts:
        assert fact.evidence[0].text.endswith(fact.text)  # the wording is its first evidence's statement
        for e in fact.evidence:
            assert by_id[e.article].excerpt(e) == e.text


def test_facts_omissions_list_majority_facts_an_article_lacks(bridge_report):
    _, report = bridge_report
    majority = {f.id for f in report.facts if f.agreement in ("all", "most")}
    for article, missing in report.omissions.items():
        assert set(missing) <= majority
        for fact_id in missing:
            assert article not in next(f for f in report.facts if f.id == fact_id).articles


def test_facts_omission_named_for_the_article_that_lacks_a_majority_fact():
    closing = "The city council voted on Monday to close the Old Mill Bridge to heavy traffic."
    cracks = "Engineers found deep cracks in two of the bridge's steel support beams during an inspection."
    ferry = "A free ferry across the river will run every thirty minutes until the bridge reopens."
    articles = [Article(id="a", source="a", outlet=Outlet(name="A"), text=f"{closing} {cracks}"),
                Article(id="b", source="b", outlet=Outlet(name="B"), text=f"{closing} {cracks}".replace(
                    "voted on Monday", "decided on Monday")),
                Article(id="c", source="c", outlet=Outlet(name="C"), text=f"{closing} {ferry}")]
    report = analyze(articles)
    cracks_fact = next(f for f in report.facts if "cracks" in f.text)
    assert cracks_fact.agreement == "most"
    assert report.omissions == {"c": [cracks_fact.id]}


def test_facts_agreement_levels():
    counted = {"a", "b", "c", "d"}
    assert agreement({"a", "b", "c", "d"}, counted) == "all"
    assert agreement({"a", "b", "c"}, counted) == "most"
    assert agreement({"a", "b"}, counted) == "some"
    assert agreement({"a"}, counted) == "single"
    assert agreement({"a", "outlet:elsewhere"}, counted) == "some"  # a snippet's outlet adds support


def test_facts_single_article_gives_single_facts():
    report = analyze([Article(id="a", source="a", text="The council closed the bridge on Monday. "
                                                     "Engineers found cracks in two beams.")])
    assert report.facts and {f.agreement for f in report.facts} == {"single"}
    assert report.omissions == {}


def test_facts_identical_articles_do_not_corroborate_each_other():
    text = "The council closed the bridge on Monday after engineers found cracks in two beams."
    report = analyze([Article(id="a", source="a", text=text),
                      Article(id="b", source="b", text=text, duplicate_of="a")])
    assert [f.articles for f in report.facts] == [["a"]]
    assert report.facts[0].agreement == "single"


def test_facts_empty_and_foreign_articles_do_not_crash(fixtures):
    articles = bridge_articles(fixtures)
    articles.append(Article(id="empty", source="e", text=""))
    articles.append(Article(id="de", source="de", language="de", text="Der Stadtrat hat die Brücke gesperrt, "
                            "nachdem Ingenieure Risse in zwei Trägern gefunden hatten."))
    report = analyze(articles)
    # agreement is over the reports it could read: two of three is "most" (of five it would be "some")
    closing = next(f for f in report.facts if "Old Mill Bridge" in f.text and "heavy traffic" in f.text)
    assert closing.agreement == "most" and len(closing.articles) == 2
    assert all("empty" not in f.articles and "de" not in f.articles for f in report.facts)
    assert "de" not in report.omissions


def test_lexical_overlap_counts_derivations_and_near_synonyms_but_not_unrelated_words():
    from newsprism.analysis.alignment import ClaimInfo, lexical_overlap, story_terms

    def info(*words):
        return ClaimInfo(frozenset(words), frozenset(), frozenset(), frozenset())

    council = info("council", "refusal", "territorial", "car")
    paraphrase = info("council", "refuse", "territory", "vehicle")
    unrelated = info("council", "refuse", "bridge", "minister")
    terms = story_terms([council, paraphrase, unrelated], Annotations([]).embed_words)
    assert terms.base["refusal"] == "refuse" and terms.base["territorial"] == "territory"
    assert "vehicle" in terms.similar["car"] and "bridge" not in terms.similar.get("car", {})
    exact = lexical_overlap(council.lemmas, council.lemmas, terms)
    near = lexical_overlap(council.lemmas, paraphrase.lemmas, terms)
    apart = lexical_overlap(council.lemmas, unrelated.lemmas, terms)
    assert exact == pytest.approx(1.0) and apart < near < exact


def test_derivations_need_a_base_in_the_story_and_agreeing_word_vectors():
    from newsprism.analysis.alignment import derivations

    words = sorted(["agreement", "agree", "closure", "close", "refusal", "billion", "bill"])
    base = derivations(words, np.asarray(Annotations([]).embed_words(words)))
    # "refusal" has no base among the story's words; "billion" is not derived from "bill" (their vectors disagree)
    assert base == {"agreement": "agree", "closure": "close"}


def test_facts_candidate_pairs_grow_linearly_with_claims():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(3000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    pairs = candidate_pairs(vectors, [str(i % 200) for i in range(3000)], floor=-1.0, k=10)
    assert len(pairs) <= 3000 * 10


def test_facts_two_hundred_articles_give_a_report(fixtures):
    # Speed is measured in benchmarks; here: the work is bounded by claims × neighbours, not claims².
    sentences = [s.strip() + "." for a in bridge_articles(fixtures) for s in a.text.split(". ") if s.strip()]
    rng = random.Random(1)
    articles = [Article(id=f"n{i}", source=f"n{i}", outlet=Outlet(name=f"Outlet {i}"), published="2026-03-10",
                        text=" ".join(rng.sample(sentences, 5)).replace("..", "."))
                for i in range(200)]
    ctx = story(articles, "facts")
    claims, facts = ctx.products["claims"], ctx.products["facts"]
    assert len(claims.scores) <= len(claims.claims) * NEIGHBOURS
    assert facts and all(len(f.articles) <= 200 for f in facts)
    assert any(f.agreement == "some" for f in facts)


def test_facts_seeds_agreement_and_single_sources(seeds):
    import newsprism
    articles = newsprism.load_articles([str(p) for p in seeds]).articles
    report = analyze(articles)
    by_id = {a.id: a for a in articles}
    # the offer to drop the NATO bid: stated by every source
    top = [f for f in report.facts if f.agreement == "all"]
    offer = next(f for f in top if "nato" in f.text.lower() and "drop" in f.text.lower())
    texts = " ".join(e.text for e in offer.evidence).lower()
    assert "legally binding" in texts and "relinquish" in texts
    # Article 5-like guarantees and the refusal to cede territory are cited only where an outlet's sentence states
    # them surely enough for the support test (today's method, which cited by similarity, had both from all five;
    # the other sentences score below the support floor: docs/facts.md)
    guarantees = [f for f in report.facts if len(f.articles) >= 4 and any("Article 5" in e.text for e in f.evidence)]
    territory = [f for f in report.facts
                 if len(f.articles) >= 3 and any("cede territory" in e.text for e in f.evidence)]
    assert guarantees and territory
    singles = [f for f in report.facts if f.agreement == "single"]
    assert singles and all(len({by_id[a].outlet.name if by_id[a].outlet else a for a in f.articles}) == 1
                           for f in singles if all(by_id[a].kind == "article" for a in f.articles))
    for fact in report.facts:
        for e in fact.evidence:
            assert by_id[e.article].excerpt(e) == e.text


def _museum(title: str | None) -> list[Article]:
    def article(i: str, text: str, title: str | None = None) -> Article:
        return Article(id=i, source=i, outlet=Outlet(name=i.upper()), title=title, text=text)

    return [article("a", "The city museum will reopen on Friday after a two-year renovation. Tickets will be free for "
                         "the first week of the reopening."),
            article("b", "After a renovation lasting two years, the city museum reopens on Friday. The new wing holds "
                         "the regional art collection."),
            article("c", "The new wing of the museum holds the regional art collection. Parking near the museum "
                         "remains limited, the council said.", title=title)]


def test_facts_a_headline_confirms_a_fact_only_its_texts_leave_out():
    without = analyze(_museum(None))
    reopening = next(f for f in without.facts if "reopen on Friday" in f.text)
    assert reopening.agreement == "most" and reopening.id in without.omissions["c"]

    articles = _museum("City museum reopens Friday after two-year renovation")
    report = analyze(articles)
    reopening = next(f for f in report.facts if "reopen on Friday" in f.text)
    assert reopening.agreement == "all" and set(reopening.articles) == {"a", "b", "c"}
    headline = [e for e in reopening.evidence if e.in_title]
    assert [e.article for e in headline] == ["c"] and articles[2].excerpt(headline[0]) == headline[0].text
    assert reopening.id not in report.omissions.get("c", [])
    assert not reopening.text.startswith("City museum reopens")  # worded as a text words it


def test_facts_a_headline_never_makes_a_fact_or_lifts_a_single_source_one(fixtures):
    titles = {"gazette": "Riverton council closes Old Mill Bridge to heavy traffic but rejects calls for a new ferry",
              "post": "Bakery owners fear losing customers over the bridge closure"}
    articles = [a.model_copy(update={"title": titles.get(a.id)}) for a in bridge_articles(fixtures)]
    report = analyze(articles)
    by_id = {a.id: a for a in articles}
    closing = next(f for f in report.facts if "Old Mill Bridge" in f.text and "heavy traffic" in f.text)
    assert any(e.in_title and e.article == "gazette" for e in closing.evidence)
    bakery = next(f for f in report.facts if "Bakery" in f.text)
    assert bakery.agreement == "single" and bakery.articles == ["gazette"]
    assert all(any(not e.in_title for e in f.evidence) for f in report.facts)
    assert not any("ferry" in e.text for f in report.facts for e in f.evidence if e.in_title)
    for fact in report.facts:
        for e in fact.evidence:
            assert by_id[e.article].excerpt(e) == e.text
