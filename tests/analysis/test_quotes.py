"""Quotes: found in any marks, attributed to the right named speaker, merged across outlets, robust to bad input."""

from __future__ import annotations

import pytest

from helpers import story
from newsprism.analysis.stage import StoryContext
from newsprism.models import Article, Outlet
from newsprism.text.quotations import MAX_QUOTE_CHARS, quotations


def quote_spans(text: str) -> list[tuple[int, int]]:
    return [(q.start, q.end) for q in quotations(text) if not q.single]


def analyse(*articles: Article) -> StoryContext:
    return story(articles, "quotes", "actors")


def article(id_: str, text: str, outlet: str | None = None) -> Article:
    return Article(id=id_, source=id_, text=text, outlet=Outlet(name=outlet) if outlet else None)


HARBOUR = article("h1", (
    "Dock strike enters second week\n"
    "Mayor Maria Jensen met union leaders on Monday. \"We will not let the harbour close for good,\" "
    "Jensen said after the meeting.\n"
    "Port director David Brown said on Tuesday: “The cranes will stay idle until the contract is signed.”\n"
    "“Nobody wins a long strike,” he added. The mayor described the talks as “difficult but honest.”\n"
    "\"It is over,\" a source close to the talks said.\n"), outlet="Harbour Daily")


@pytest.fixture(scope="module")
def harbour() -> StoryContext:
    return analyse(HARBOUR)


def _speaker_of(ctx: StoryContext, words: str) -> str | None:
    [quote] = [q for q in ctx.products["quotes"] if words in q.text]
    return quote.speaker


def test_quotes_spans_in_straight_and_curly_marks():
    text = 'He said "no". Then “yes, fine,” she said.'
    assert [text[s:e] for s, e in quote_spans(text)] == ["no", "yes, fine"]


def test_quotes_speaker_after_the_quote(harbour):
    assert _speaker_of(harbour, "harbour close") == "Maria Jensen"


def test_quotes_speaker_before_the_quote_with_colon(harbour):
    assert _speaker_of(harbour, "cranes will stay idle") == "David Brown"


def test_quotes_pronoun_and_description_resolve_to_the_named_person(harbour):
    # "he" is the person named just before; "the mayor" is the one person the story titles mayor.
    assert _speaker_of(harbour, "Nobody wins") == "David Brown"
    assert _speaker_of(harbour, "difficult but honest") == "Maria Jensen"


def test_quotes_unresolved_speaker_stays_null(harbour):
    assert _speaker_of(harbour, "It is over") is None


def test_quotes_offsets_point_at_the_quoted_words(harbour):
    variants = [v for q in harbour.products["quotes"] for v in q.variants]
    assert len(variants) == 5  # every quote of the article, each checked
    for variant in variants:
        assert HARBOUR.text[variant.start:variant.end] == variant.text


def test_quotes_same_quote_across_outlets_is_one_quote_with_variants():
    first = article("a", "“We will keep the port open for every ship that needs it,” Mayor Maria Jensen said on "
                         "Monday. “The budget is fine,” Jensen added.", outlet="Harbour Daily")
    second = article("b", "Maria Jensen, the city's mayor, said \"we will keep the port open for every ship\" "
                          "in a speech on Monday.", outlet="Coast Post")
    ctx = analyse(first, second)
    shared = [q for q in ctx.products["quotes"] if "keep the port open" in q.text]
    assert len(shared) == 1
    [quote] = shared
    assert quote.speaker == "Maria Jensen"
    assert {v.article for v in quote.variants} == {"a", "b"}
    assert quote.single_outlet is False
    assert [v.differs for v in quote.variants if v.article == "b"] == [True]  # the shortened wording
    [budget] = [q for q in ctx.products["quotes"] if "budget" in q.text]
    assert budget.single_outlet is True


def test_quotes_unbalanced_mark_does_not_swallow_the_article():
    text = ('The council met. "We will decide soon, the chair said.\n'
            + "The rest of the article runs on without any quotation marks at all. " * 30
            + '\nLater she said "yes" to the plan.')
    spans = quote_spans(text)
    assert [text[s:e] for s, e in spans] == ["yes"]
    ctx = analyse(article("u", text))
    assert all(len(q.text) <= MAX_QUOTE_CHARS and "\n" not in q.text for q in ctx.products["quotes"])


def test_quotes_nested_and_stray_marks_do_not_crash():
    text = ('“He told me “never again” and left,” the clerk said. A stray ” mark. '
            'Another \'single\' quote and a lone " mark.\n“Never”')
    spans = quote_spans(text)
    assert all(e - s < 40 for s, e in spans)
    analyse(article("n", text))


def test_quotes_headline_quote_and_article_without_quotes():
    ctx = analyse(article("t", "Jensen: “We will not back down”\nMayor Maria Jensen spoke on Monday."),
                  article("q", "The harbour was quiet on Monday. Ships waited outside."))
    [quote] = ctx.products["quotes"]
    assert quote.text == "We will not back down" and quote.articles == ["t"]


def test_quotes_fifty_quotes_in_one_article():
    body = " ".join(f'"Point number {k} stands," Mayor Maria Jensen said.' for k in range(50))
    ctx = analyse(article("f", body))
    assert len(ctx.products["quotes"]) == 50
    assert {q.speaker for q in ctx.products["quotes"]} == {"Maria Jensen"}


def test_quotes_seeds_every_direct_quote_has_its_speaker(seeds):
    articles = [Article(id=p.stem[:3], source=str(p), text=p.read_text(encoding="utf-8"),
                        outlet=Outlet(name=p.stem)) for p in seeds]
    ctx = analyse(*articles)
    speeches = [q for q in ctx.products["quotes"] if len(q.text.split()) >= 5]
    assert speeches
    speakers = {q.speaker for q in speeches}
    assert None not in speakers
    assert {s.split()[-1] for s in speakers} >= {"Zelensky", "Pistorius", "Witkoff"}
    shared = [q for q in ctx.products["quotes"] if not q.single_outlet]
    assert any("compromise on our part" in q.text for q in shared)
    for quote in shared:
        assert len({v.article for v in quote.variants}) >= 2


def test_quotes_news_conventions_continued_according_to_and_dash():
    ctx = analyse(article("c", (
        "Port director David Brown spoke to workers on Monday.\n"
        "\"We will not give up,\" Brown said. \"Nobody can stop a port that works together.\"\n"
        "According to Mayor Maria Jensen, the deal is \"a good start for everyone\".\n"
        "“The harbour is our home and we will fight for it.” ― Sarah Miller\n")))
    assert _speaker_of(ctx, "Nobody can stop") == "David Brown"
    assert _speaker_of(ctx, "a good start") == "Maria Jensen"
    assert _speaker_of(ctx, "harbour is our home") == "Sarah Miller"
