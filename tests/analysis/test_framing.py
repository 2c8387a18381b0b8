"""Framing: contrasting terms for the same thing, quoted and scare-quoted terms, and the headline comparison."""

from __future__ import annotations

import pytest

from helpers import stages
from newsprism.analysis.framing import FramingStage, load_lexicon, log_odds_z
from newsprism.text.quotations import quotations
from newsprism.api import analyze_articles
from newsprism.models import Article, Outlet
from collections import Counter


def article(id_: str, text: str, outlet: str | None = None, title: str | None = None) -> Article:
    return Article(id=id_, source=id_, text=text, title=title, outlet=Outlet(name=outlet) if outlet else None)


STORY = [
    article("a", "Police in Kiev said the rioters blocked the bridge. The regime called the move a “special "
                 "operation” and said it would end soon.", "Daily One"),
    article("b", "Police in Kyiv said protesters blocked the bridge. The government described the move as an "
                 "invasion of the old town.", "Daily Two"),
    article("c", "Officials in Kyiv said: “The rioters must go home before dark, all of them, tonight.” "
                 "Protesters stayed on the bridge.", "Daily Three"),
]


def run(articles, **kw):
    return analyze_articles(articles, stages=stages("story", "framing", replace=[FramingStage(**kw)]))


@pytest.fixture(scope="module")
def framing():
    return {c.concept: c for c in run(STORY).framing}


def test_framing_lexicon_contrast_lists_articles_per_term(framing):
    capital = framing["name of Ukraine's capital"]
    assert capital.terms == {"Kiev": ["a"], "Kyiv": ["b", "c"]}
    assert capital.source == "lexicon" and capital.note


def test_framing_scare_quotes_mark_distancing(framing):
    attack = framing["what an armed attack is called"]
    assert attack.distancing == {"special operation": ["a"]}
    assert set(attack.terms) == {"special operation", "invasion"}


def test_framing_term_only_inside_a_quotation_is_the_speakers(framing):
    crowd = framing["label for people protesting"]
    assert crowd.terms["rioters"] == ["a", "c"]
    assert crowd.quoted == {"rioters": ["c"]}


def test_framing_evidence_points_into_article_text(framing):
    texts = {a.id: a.text for a in STORY}
    evidence = [ev for contrast in framing.values() for ev in contrast.evidence]
    assert len(evidence) >= 2 * len(framing) > 0  # each contrast has evidence from two articles at least
    for ev in evidence:
        assert texts[ev.article][ev.start:ev.end] == ev.text


def test_framing_single_term_is_no_contrast():
    report = run([article("a", "Police in Kyiv spoke.", "One"), article("b", "Kyiv was calm.", "Two")])
    assert not [c for c in report.framing if c.source == "lexicon"]


def test_framing_user_lexicon_extends_the_bundled_one(tmp_path):
    extra = tmp_path / "mine.csv"
    extra.write_text("concept,term,variants,note\nname of the port,Karvelo,Karvelo,local spelling\n"
                     "name of the port,Karvel,Karvel|Karvel's,\n", encoding="utf-8")
    assert any(t.term == "Kyiv" for t in load_lexicon(extra)) and any(t.term == "Karvel" for t in load_lexicon(extra))
    report = run([article("a", "Ships left Karvelo at dawn.", "One"), article("b", "Ships left Karvel at dawn.", "Two")],
                 lexicon=extra)
    (port,) = [c for c in report.framing if c.concept == "name of the port"]
    assert port.terms == {"Karvelo": ["a"], "Karvel": ["b"]} and port.note == "local spelling"


def test_framing_bad_user_lexicon_names_the_fix(tmp_path):
    extra = tmp_path / "bad.csv"
    extra.write_text("concept,term,variants,note\nport,,Karvel,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="variants"):
        load_lexicon(extra)


def test_framing_quotation_spans_cover_curly_straight_and_single_quotes():
    text = 'He said "go home" and “stay”, a ‘deal’ that isn’t one.'
    assert [(text[q.start:q.end], q.single) for q in quotations(text)] == [
        ("go home", False), ("stay", False), ("deal", True)]


def test_framing_log_odds_favour_a_groups_own_words():
    z = log_odds_z({"one": Counter({"lisvaro": 5, "port": 5}), "two": Counter({"lisvar": 5, "port": 5})})
    assert z["one"]["lisvaro"] > 1 > 0 > z["two"]["lisvaro"]
    assert abs(z["one"]["port"]) < 0.5


def test_framing_statistic_pairs_spellings_of_one_name():
    one = ("Ships left Lisvaro at dawn. The port of Lisvaro was quiet. Lisvaro dockers voted on pay.")
    two = ("Ships left Lisvar at dawn. The port of Lisvar was quiet. Lisvar dockers voted on pay.")
    report = run([article("a", one, "One"), article("b", two, "Two"), article("c", two.replace("Ships", "Boats"), "Three")])
    pairs = [c for c in report.framing if c.source == "statistic"]
    assert any(set(c.terms) == {"Lisvaro", "Lisvar"} and c.terms["Lisvaro"] == ["a"] for c in pairs)


def test_framing_statistic_skips_different_topics():
    report = run([article("a", "Ships left the harbour at dawn. The harbour was quiet. Harbour cranes stood still.", "One"),
                  article("b", "Farmers sold apples at noon. Apples were cheap. Apples filled the market.", "Two")])
    assert not [c for c in report.framing if c.source == "statistic"]


@pytest.mark.parametrize("title, label", [
    ("Union accepts pay offer", "done"),
    ("Union signals willingness to accept pay offer", "willing"),
    ("Union weighs pay offer", "considering"),
    ("Union offers to end strike", "offered"),
    ("Union rejects pay offer", "denied"),
    ("Minister says strike is over", "reported"),
])
def test_headlines_certainty(title, label):
    report = analyze_articles([article("a", "Text.", title=title)], stages=stages("headlines"))
    (headline,) = report.headlines
    assert headline.certainty == label and headline.verb and headline.title == title


def test_headlines_articles_without_title_are_left_out():
    report = analyze_articles([article("a", "Text."), article("b", "Text.", title="Union accepts offer")],
                              stages=stages("headlines"))
    assert [h.article for h in report.headlines] == ["b"]


@pytest.fixture(scope="module")
def seed_report():
    from tests.conftest import SEEDS, need_shared
    import newsprism
    paths = sorted(need_shared(SEEDS).glob("*.txt"))
    articles = newsprism.load_articles([str(p) for p in paths]).articles
    return analyze_articles(articles, stages=stages("story", "framing", "headlines"))


def test_framing_seeds_kiev_kyiv_and_special_operation(seed_report):
    by_outlet = {a.id: a.outlet.name if a.outlet else None for a in seed_report.articles}
    framing = {c.concept: c for c in seed_report.framing}
    capital = framing["name of Ukraine's capital"]
    assert [by_outlet[a] for a in capital.terms["Kiev"]] == ["Press TV"]
    assert len(capital.terms["Kyiv"]) >= 3
    attack = framing["what an armed attack is called"]
    assert [by_outlet[a] for a in attack.distancing["special operation"]] == ["Press TV"]
    assert len(attack.terms["invasion"]) >= 2


def test_headlines_seeds_show_certainty_difference(seed_report):
    labels = {h.certainty for h in seed_report.headlines if h.article in {a.id for a in seed_report.articles
                                                                           if a.kind == "article"}}
    assert {"offered", "willing"} <= labels
