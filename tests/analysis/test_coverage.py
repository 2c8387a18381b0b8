"""Coverage: reports and outlets counted, lean/country/ownership by outlet, blindspots, aggregator claims."""

from __future__ import annotations

import pytest

from helpers import stages
from newsprism.analysis.coverage import coverage_of
from newsprism.models import Article, Outlet


def outlet(name: str, lean=None, country=None, ownership=None, rating_source=None) -> Outlet:
    return Outlet(name=name, lean=lean, country=country, ownership=ownership, rating_source=rating_source)


def article(id_: str, out: Outlet | None = None, published: str | None = None, **kw) -> Article:
    return Article(id=id_, source=id_, text=kw.pop("text", "Dockers walked out."), outlet=out, published=published,
                   **kw)


def test_coverage_counts_outlets_once_and_skips_aggregators_and_copies():
    daily = outlet("Harbour Daily", lean="lean_left", country="GB", rating_source="Rater (2030)")
    articles = [
        article("a", daily, "2031-03-18"), article("b", daily, "2031-03-19"),
        article("c", outlet("Port Post", lean="center", country="GB")),
        article("d", daily, duplicate_of="a"),
        article("page", kind="aggregator", published="2031-03-20"),
        article("page-s1", kind="snippet", parent="page"),
    ]
    cov = coverage_of(articles)
    assert (cov.articles, cov.outlets) == (4, 2)
    assert (cov.lean.lean_left, cov.lean.center, cov.lean.unknown) == (1, 1, 1)
    assert cov.countries == {"GB": 2}
    assert (cov.first_published, cov.last_published) == ("2031-03-18", "2031-03-20")
    assert cov.rating_sources == ["Rater (2030)"]


def test_coverage_names_state_media():
    cov = coverage_of([article("a", outlet("State Voice", country="ZZ", ownership="state-owned")),
                       article("b", outlet("Free Press", ownership="private"))])
    assert cov.state_media == ["State Voice"]
    assert cov.ownership == {"state-owned": 1, "private": 1}


def test_coverage_blindspot_when_one_side_dominates():
    articles = [article(str(i), outlet(f"Left {i}", lean="left")) for i in range(3)]
    articles.append(article("r", outlet("Right 1", lean="right")))
    assert "3 of 4 rated outlets lean left" in coverage_of(articles).blindspot


def test_coverage_no_blindspot_when_balanced():
    articles = [article(str(i), outlet(f"O{i}", lean=lean, country=c))
                for i, (lean, c) in enumerate([("left", "GB"), ("right", "US"), ("center", "FR"), ("lean_left", "DE")])]
    assert coverage_of(articles).blindspot is None


def test_coverage_blindspot_when_one_country_dominates():
    articles = [article(str(i), outlet(f"O{i}", country="US")) for i in range(4)]
    articles.append(article("x", outlet("Other", country="CA")))
    assert coverage_of(articles).blindspot == "4 of 5 outlets of known country are from US."


def test_coverage_single_outlet_story_says_so():
    daily = outlet("Harbour Daily")
    cov = coverage_of([article("a", daily), article("b", daily)])
    assert cov.outlets == 1 and "Only one outlet (Harbour Daily)" in cov.blindspot


def test_coverage_articles_without_dates_or_outlets():
    cov = coverage_of([article("a"), article("b")])
    assert (cov.articles, cov.outlets, cov.lean.unknown) == (2, 0, 2)
    assert cov.first_published is None and cov.blindspot is None


def test_coverage_aggregator_claims_are_attributed_to_the_page():
    page = article("page", kind="aggregator", text="Summary. 40 Articles", aggregator_claims=["40 Articles",
                                                                                              "55% lean Right"])
    claims = coverage_of([page]).aggregator_claims
    assert [(c.article, c.text, c.value) for c in claims] == [("page", "40 Articles", "40"),
                                                               ("page", "55% lean Right", "55%")]
    assert page.text[claims[0].start:claims[0].end] == "40 Articles"
    assert claims[1].start is None


def test_coverage_stage_fills_report():
    from newsprism.api import analyze_articles
    report = analyze_articles([article("a", outlet("Harbour Daily"))], stages=stages("coverage"))
    assert report.coverage.outlets == 1


@pytest.fixture
def seed_articles(seeds):
    import newsprism
    return newsprism.load_articles([str(p) for p in seeds]).articles


def test_coverage_seeds_name_state_owned_outlet(seed_articles):
    cov = coverage_of(seed_articles)
    assert "Press TV" in cov.state_media
    press_tv = next(a.outlet for a in seed_articles if a.outlet and a.outlet.name == "Press TV")
    assert (press_tv.country, press_tv.ownership) == ("IR", "state-owned")
    assert cov.countries.get("IR") == 1
    assert cov.aggregator_claims and all(c.article for c in cov.aggregator_claims)
