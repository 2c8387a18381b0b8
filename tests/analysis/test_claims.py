"""Claims: sentences split into independent statements, each with its exact span in the article."""

from __future__ import annotations

import pytest

from helpers import story
from newsprism.analysis.claims import article_claims
from newsprism.lang import default
from newsprism.models import Article


def claims_of(text: str):
    article = Article(id="a", source="a", text=text)
    ctx = story([article], "sentences")
    return article, article_claims("a", ctx.annotations.doc("a"), ctx.products["sentences"]["a"], default())


def test_claims_split_coordinated_statements():
    article, claims = claims_of("The mayor also rejected the union's offer to end the strike and said the city "
                                "would not raise wages this year.")
    assert len(claims) == 2
    assert claims[0].text.startswith("The mayor also rejected")
    assert claims[1].text.startswith("said the city would not raise wages")  # without its joining "and"


def test_claims_keep_one_statement_whole():
    _, claims = claims_of("Dock workers and crane operators walked out on Monday morning.")
    assert [c.text for c in claims] == ["Dock workers and crane operators walked out on Monday morning."]


@pytest.mark.parametrize("text", [
    "The strike closed the port for three days, while ferry services ran as normal all week.",
    "The union accepted the deal; the employers still have to sign it before Friday.",
    "While the deal ends the strike, the union says pay talks will resume in the spring.",
])
def test_claims_split_appended_clauses(text):
    _, claims = claims_of(text)
    assert len(claims) == 2


def test_claims_spans_are_exact():
    text = ("Harbour officials said the strike cost the port two million euros, but the union disputed the "
            "figure.\n\nPhoto: the quay at dawn\nThe talks resume on Tuesday.")
    article, claims = claims_of(text)
    assert claims
    for claim in claims:
        assert article.text[claim.start:claim.end] == claim.text
        assert "\n" not in claim.text


def test_claims_skip_questions_imperatives_and_page_furniture():
    _, claims = claims_of("What happens next for the port? Subscribe to our newsletter for updates. "
                          "Share this article. The port reopened on Thursday after the deal was signed.")
    assert [c.text for c in claims] == ["The port reopened on Thursday after the deal was signed."]


def test_claims_keep_news_sentences_with_furniture_like_words():
    text = "Officials told reporters that more sources would follow the inspectors' report on Monday."
    _, claims = claims_of(text)
    assert [c.text for c in claims] == [text]


def test_claims_empty_text_gives_none():
    _, claims = claims_of("")
    assert claims == []


def test_claims_split_a_finite_verb_the_parser_hangs_on_an_infinitive():
    # "rejects" parses as coordinated with "drop", but a finite verb belongs to the main verb "offers"
    _, claims = claims_of("The mayor offers to drop the toll for local drivers but rejects calls to close the bridge.")
    assert [c.text for c in claims] == ["The mayor offers to drop the toll for local drivers",
                                       "rejects calls to close the bridge."]


@pytest.mark.parametrize("title, expected", [
    ("Council closes Old Mill Bridge to trucks but rejects calls for a ferry",
     ["Council closes Old Mill Bridge to trucks", "rejects calls for a ferry"]),
    ("City museum reopens Friday after two-year renovation",  # parsed as a noun phrase, still a statement
     ["City museum reopens Friday after two-year renovation"]),
    ("Who is the new harbour master?", []),
    ("Live updates:", []),
])
def test_title_claims_keep_their_span_in_the_title(title, expected):
    from newsprism.analysis.claims import title_claims

    article = Article(id="a", source="a", title=title, text="The council met on Monday.")
    from newsprism.nlp import Annotations

    claims = title_claims("a", Annotations([article]).title_doc("a"), default())
    assert [c.text for c in claims] == expected
    assert all(c.in_title and title[c.start:c.end] == c.text for c in claims)
