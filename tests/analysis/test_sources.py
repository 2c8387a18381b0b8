"""Sources: one rule for which source a text counts for, used alike by facts, summary, quotes, framing, coverage."""

from __future__ import annotations

from newsprism.analysis.sources import source_key, story_sources
from newsprism.api import analyze_articles
from newsprism.models import Article, Outlet


def _page_with_snippets() -> list[Article]:
    page = Article(id="agg", source="p", kind="aggregator", text="x")
    named = Article(id="agg-s1", source="p#1", kind="snippet", parent="agg", outlet=Outlet(name="Daily"), text="x")
    unnamed = Article(id="agg-s2", source="p#2", kind="snippet", parent="agg", text="x")
    daily = Article(id="d1", source="d", outlet=Outlet(name="DAILY"), text="x")
    copy = Article(id="d2", source="d2", outlet=Outlet(name="Other"), duplicate_of="d1", text="x")
    french = Article(id="fr", source="fr", language="fr", outlet=Outlet(name="Le Quotidien"), text="x")
    return [page, named, unnamed, daily, copy, french]


def test_sources_snippets_duplicates_aggregators_and_languages():
    sources = story_sources(_page_with_snippets())
    assert sources.of["agg-s1"] == sources.of["d1"]  # a snippet counts for the outlet it names, whatever the case
    assert sources.of["agg-s2"] == sources.of["agg"]  # an unnamed snippet counts for its page
    assert [a.id for a in sources.read] == ["agg", "agg-s1", "agg-s2", "d1"]  # no copy, no unreadable language
    assert sources.counted == {sources.of["agg"], sources.of["d1"]}
    assert sources.name(sources.of["d1"]) == "Daily" and sources.name(sources.of["agg-s2"]) == "article agg"


def test_sources_key_is_the_outlet_or_the_article():
    by_id = {a.id: a for a in _page_with_snippets()}
    assert source_key(by_id["d1"], by_id) == "outlet:daily"
    assert source_key(by_id["agg"], by_id) == "article:agg"


def test_sources_every_stage_counts_an_unnamed_snippet_under_its_page():
    # Three sources: an outlet's article, and an aggregator page quoting the same report twice without naming
    # whose. Facts, summary, quotes and coverage must all see two sources, not three or four.
    said = 'The port reopened on Monday after a nine-day strike, the harbour master said. "We are open," he said.'
    articles = [
        Article(id="post", source="post", outlet=Outlet(name="Harbour Post", lean="left"), title="Port reopens",
                text=said),
        Article(id="agg", source="agg", kind="aggregator", title="Port reopens after strike", text=said),
        Article(id="agg-s1", source="agg#1", kind="snippet", parent="agg", text=said),
        Article(id="agg-s2", source="agg#2", kind="snippet", parent="agg", text=said),
    ]
    report = analyze_articles(articles)
    reopened = next(f for f in report.facts if "reopened" in f.text)
    assert reopened.agreement == "all" and set(reopened.articles) >= {"post", "agg"}
    assert report.coverage.lean.unknown == 1 and report.coverage.lean.left == 1
    quote = next(q for q in report.quotes if "We are open" in q.text)
    assert quote.single_outlet is False
    # The summary never says "only Harbour Post reports this" of a sentence the page carries too.
    assert all(s.note is None for s in report.summary if set(s.articles) & {"agg", "agg-s1", "agg-s2"})


def test_sources_unreadable_language_is_reported_and_counted_in_coverage_only():
    english = Article(id="en", source="en", outlet=Outlet(name="Post"),
                      text="The council closed the Old Mill Bridge on Monday after engineers found cracks.")
    french = Article(id="fr", source="fr.txt", language="fr", outlet=Outlet(name="Le Quotidien"),
                     text="Le conseil a fermé le pont du Vieux Moulin lundi après la découverte de fissures.")
    report = analyze_articles([english, french])
    assert report.coverage.outlets == 2
    assert all("fr" not in f.articles for f in report.facts) and not report.quotes
    assert all(e.article != "fr" for t in report.timeline for e in t.evidence)
    assert [p.source for p in report.problems] == ["fr.txt"] and "'fr'" in report.problems[0].message
