"""Aggregator story pages are recognised by their shape and split into own text, snippets and claims."""

from newsprism.ingest.aggregator import aggregator_score, split_aggregator
from newsprism.ingest.clean import classify

PAGE = """Harbour strike ends after pay offer is accepted
Dock workers accepted a pay offer on Friday, ending a nine-day strike at the port.
- Union members voted to accept a 6% raise over two years.
- The port will reopen on Saturday morning, officials said.
48 Articles
48 Articles
Dockers back pay deal (Harbour Gazette)
by A. Writer, Harbour Gazette (Harbour Gazette) – Dock workers voted on Friday to accept the port's offer, ending a strike that had idled cranes for nine days and left dozens of ships waiting offshore for a
Port strike over as workers accept raise
Workers at the port accepted a raise of six percent over two years, the union said in a statement on Friday...
Coverage Details
Bias Distribution
- 52% of the sources are Center
Factuality
To view factuality data please Upgrade to Premium
"""

ARTICLE = """Harbour strike ends after pay offer is accepted
Dock workers accepted a pay offer on Friday, ending a nine-day strike at the port.
The union said members voted by a large margin to accept a 6% raise over two years.
Share this article
"""


def test_aggregator_page_is_recognised():
    assert aggregator_score(classify(PAGE.split("\n"))) >= 3
    assert split_aggregator(classify(PAGE.split("\n"))) is not None


def test_aggregator_ordinary_article_is_not_one():
    assert split_aggregator(classify(ARTICLE.split("\n"))) is None


def test_aggregator_split_own_snippets_and_claims():
    page = split_aggregator(classify(PAGE.split("\n")))
    own = [x.text for x in page.own]
    assert own[0] == "Harbour strike ends after pay offer is accepted"
    assert "- The port will reopen on Saturday morning, officials said." in own
    assert [s.title for s in page.snippets] == ["Dockers back pay deal (Harbour Gazette)",
                                                "Port strike over as workers accept raise"]
    assert page.snippets[1].text.startswith("Workers at the port accepted")
    assert page.claims == ["48 Articles", "52% of the sources are Center"]
    assert "To view factuality data please Upgrade to Premium" in page.removed
    assert "Coverage Details" in page.removed
