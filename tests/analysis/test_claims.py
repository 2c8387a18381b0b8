"""Claims: whole sentences (and those leaning on them), each with its exact span in the article; headlines split
at coordinated verbs."""

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


@pytest.mark.parametrize("text, whole", [
    ("The mayor also rejected the union's offer to end the strike and said the city would not raise wages this "
     "year.", True),
    ("The strike closed the port for three days, while ferry services ran as normal all week.", True),
    ("The union accepted the deal; the employers still have to sign it before Friday.", True),
    # whole as a sentence, but an opening "While" reads as leaning on what came before: it never words a fact
    ("While the deal ends the strike, the union says pay talks will resume in the spring.", False),
    ("The mayor offers to drop the toll for local drivers but rejects calls to close the bridge.", True),
    ("The first ship docked at 11:38 p.m. and the second at 11:43 p.m. local time.", True),
])
def test_claims_are_whole_sentences_never_pieces(text, whole):
    # a piece cut at "and", "while", ";" or a time would not stand on its own ("said the city would not …")
    _, claims = claims_of(text)
    assert [c.text for c in claims] == [text]
    assert claims[0].whole is whole and not claims[0].truncated


def test_claims_keep_one_statement_whole():
    _, claims = claims_of("Dock workers and crane operators walked out on Monday morning.")
    assert [c.text for c in claims] == ["Dock workers and crane operators walked out on Monday morning."]


def test_claims_a_sentence_leaning_back_stays_with_the_one_before():
    text = "The port authority fined the operator two million euros on Monday. He said the fine would be appealed."
    _, claims = claims_of(text)
    assert [c.text for c in claims] == [text]
    # ... also when it opens the next paragraph (the claim then holds the break), never across a caption's line
    article, claims = claims_of(text.replace(" He said", "\n\nHe said"))
    assert [c.text for c in claims] == [text.replace(" He said", "\n\nHe said")] and claims[0].whole
    _, claims = claims_of(text.replace(" He said", "\nHe said"))
    assert [c.text for c in claims] == ["The port authority fined the operator two million euros on Monday.",
                                       "He said the fine would be appealed."]
    assert claims[0].whole and not claims[1].whole


def test_claims_a_quotation_going_on_stays_with_its_sentence():
    text = "“The port will reopen on Friday. Nobody will lose a day's pay,” the mayor said at the harbour."
    _, claims = claims_of(text)
    assert [c.text for c in claims] == [text]
    assert claims[0].whole


def test_claims_a_leading_connective_before_a_capital_is_outside_the_statement():
    text = "The strike ended on Monday. However, Harbour officials said the cranes would stay idle until Friday."
    article, claims = claims_of(text)
    assert [c.text for c in claims] == ["The strike ended on Monday.",
                                       "However, Harbour officials said the cranes would stay idle until Friday."]
    second = claims[1]
    assert second.statement == "Harbour officials said the cranes would stay idle until Friday."
    assert second.whole and article.text[second.start + second.lead:second.end] == second.statement
    # before lower case the connective is needed: the sentence leans back and joins the one before
    _, claims = claims_of("The strike ended on Monday. But the cranes would stay idle until Friday, officials said.")
    assert len(claims) == 1


def test_claims_a_section_label_is_outside_the_statement():
    _, claims = claims_of("Why it matters: The port handles a third of the country's grain exports.")
    assert claims[0].statement == "The port handles a third of the country's grain exports."
    assert claims[0].whole


def test_claims_of_a_cut_off_excerpt_are_truncated():
    _, claims = claims_of("The council voted on Monday to close the bridge to trucks for the whole of the...")
    assert len(claims) == 1 and claims[0].truncated and not claims[0].whole


def test_claims_cover_their_sentences():
    # nothing of a sentence that states something is lost: the claims' spans cover the sentences
    from newsprism.analysis.sentences import article_sentences

    text = ("Rep. Ana Ruiz and Sen. Tom Hale met union leaders on Monday. They agreed to talks, and the port reopened "
            "at 6 a.m. on Tuesday. “We are glad,” Ms. Ruiz said. “The wait was far too long for everyone.” "
            "Officials added that the U.S. Coast "
            "Guard had helped.")
    article, claims = claims_of(text)
    ctx = story([article], "sentences")
    sentences = article_sentences("a", ctx.annotations.doc("a"), text, default())
    covered = "".join(text[c.start:c.end] for c in claims)
    assert covered.replace(" ", "") == "".join(s.text for s in sentences).replace(" ", "")
    assert all(text[c.start:c.end] == c.text for c in claims)


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


@pytest.mark.parametrize("title, expected", [
    ("Council closes Old Mill Bridge to trucks but rejects calls for a ferry",
     ["Council closes Old Mill Bridge to trucks", "rejects calls for a ferry"]),
    # "rejects" parses as coordinated with "drop", but a finite verb belongs to the main verb "offers"
    ("Mayor offers to drop the toll for local drivers but rejects calls to close the bridge",
     ["Mayor offers to drop the toll for local drivers", "rejects calls to close the bridge"]),
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
