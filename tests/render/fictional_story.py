"""A small, complete report of a made-up story (a bridge closed in the invented town of Ferrow), written by hand so
every section of every format has something to show. ``payload`` replaces untrusted fields with hostile text."""

from __future__ import annotations

from newsprism.models import (Actor, Article, Conflict, ConflictClaim, Coverage, Detail, Evidence, Fact,
                              FramingContrast, Headline, InputProblem, LeanCounts, Outlet, Position, Quote,
                              QuoteVariant, Report, Story, SummarySentence, TimelineEntry)

TEXTS = {
    "a1": ("Engineers closed the Ferrow river bridge on Monday after finding a crack in a main girder. "
           "About 4,000 vehicles cross the bridge each day. \"We will not reopen it until it is safe,\" "
           "said Mayor Ilsa Brandt. The council called the closure a precaution."),
    "a2": ("The Ferrow river bridge was shut on Monday when inspectors found a crack in a girder. "
           "Around 6,000 vehicles use it daily. \"We will not reopen it until it is completely safe,\" "
           "Mayor Ilsa Brandt said. Repairs are expected to take six weeks. Critics called the closure chaos."),
    "a3": ("Ferrow's bridge closed on Tuesday amid a row over repairs. The bridge was built in 1968. "
           "Mayor Ilsa Brandt said the bridge would reopen \"when it is safe\"."),
}


def _span(article: str, words: str) -> Evidence:
    text = TEXTS[article]
    start = text.index(words)
    return Evidence(article=article, text=words, start=start, end=start + len(words))


def build_report(payload: str | None = None) -> Report:
    """The Ferrow bridge report; with ``payload``, every field a source controls carries that text too."""
    hostile = payload or ""
    outlets = {
        "a1": Outlet(name="Ferrow Courier" + hostile, domain="courier.example", country="XA", ownership="private",
                     lean="center", rating_source="fictional rating"),
        "a2": Outlet(name="State Radio Ferrow", domain="radio.example", country="XA", ownership="state-owned",
                     lean="lean_right", rating_source="fictional rating"),
        "a3": None,
    }
    urls = {"a1": "https://courier.example/bridge", "a2": "javascript:alert(document.domain)" if payload else
            "https://radio.example/news/bridge", "a3": None}
    titles = {"a1": "Ferrow bridge closed after crack found in girder" + hostile,
              "a2": "Ferrow bridge shut for six weeks", "a3": "Bridge row: Ferrow crossing closes"}
    articles = [Article(id=a, source=f"{a}.txt", outlet=outlets[a], title=titles[a], url=urls[a],
                        published="2026-04-06" if a != "a3" else "2026-04-07", language="en",
                        text=TEXTS[a] + (" " + hostile if hostile else "")) for a in TEXTS]
    return Report(
        newsprism_version="0.0-test", generated_at="2026-04-08T10:00:00+00:00",
        story=Story(title="Ferrow river bridge closed after a crack is found" + hostile,
                    first_published="2026-04-06", last_published="2026-04-07"),
        articles=articles,
        summary=[
            SummarySentence(text="Engineers closed the Ferrow river bridge after finding a crack in a main girder."
                            + hostile, articles=["a1", "a2"],
                            evidence=[_span("a1", "Engineers closed the Ferrow river bridge on Monday after finding "
                                                  "a crack in a main girder."),
                                      _span("a2", "The Ferrow river bridge was shut on Monday when inspectors found "
                                                  "a crack in a girder.")]),
            SummarySentence(text="Repairs are expected to take six weeks.", articles=["a2"],
                            evidence=[_span("a2", "Repairs are expected to take six weeks.")],
                            note="Only one outlet reports this."),
        ],
        facts=[
            Fact(id="f1", text="The bridge was closed after a crack was found." + hostile, articles=["a1", "a2", "a3"],
                 agreement="all", evidence=[_span("a1", "Engineers closed the Ferrow river bridge on Monday"),
                                            _span("a2", "The Ferrow river bridge was shut on Monday"),
                                            _span("a3", "Ferrow's bridge closed on Tuesday")]),
            Fact(id="f2", text="Mayor Ilsa Brandt said it would reopen only when safe.", articles=["a1", "a2"],
                 agreement="most", evidence=[_span("a1", "said Mayor Ilsa Brandt"),
                                             _span("a2", "Mayor Ilsa Brandt said")],
                 details=[Detail(text="only when safe", start=39, end=53, articles=["a1"])]),
            Fact(id="f3", text="Repairs are expected to take six weeks.", articles=["a2"], agreement="single",
                 evidence=[_span("a2", "Repairs are expected to take six weeks.")]),
            Fact(id="f4", text="The bridge was built in 1968.", articles=["a3"], agreement="single",
                 evidence=[_span("a3", "The bridge was built in 1968.")]),
        ],
        omissions={"a3": ["f2"]},
        conflicts=[
            Conflict(id="c1", kind="number", description="How many vehicles cross the bridge each day.",
                     claims=[ConflictClaim(article="a1", text="About 4,000 vehicles cross the bridge each day."
                                           + hostile, value="4,000"),
                             ConflictClaim(article="a2", text="Around 6,000 vehicles use it daily.", value="6,000")]),
            Conflict(id="c2", kind="date", description="The day the bridge closed.",
                     claims=[ConflictClaim(article="a1", text="closed the Ferrow river bridge on Monday",
                                           value="Monday"),
                             ConflictClaim(article="a3", text="Ferrow's bridge closed on Tuesday", value="Tuesday")]),
        ],
        quotes=[
            Quote(id="q1", speaker="Ilsa Brandt" + hostile, text="We will not reopen it until it is safe" + hostile,
                  articles=["a1", "a2", "a3"],
                  variants=[QuoteVariant(article="a1", text="We will not reopen it until it is safe" + hostile),
                            QuoteVariant(article="a2", text="We will not reopen it until it is completely safe",
                                         differs=True),
                            QuoteVariant(article="a3", text="when it is safe", differs=True)]),
            Quote(id="q2", speaker=None, text="a precaution", articles=["a1"], single_outlet=True,
                  variants=[QuoteVariant(article="a1", text="a precaution")]),
        ],
        actors=[
            Actor(id="p1", name="Ilsa Brandt" + hostile, kind="person", role="Mayor", articles=["a1", "a2", "a3"],
                  positions=[Position(stance="insists", text="the bridge stays shut until it is safe",
                                      articles=["a1", "a2"])]),
            Actor(id="o1", name="Ferrow council", kind="organization", articles=["a1"],
                  positions=[Position(stance="calls", text="the closure a precaution", articles=["a1"])]),
        ],
        framing=[
            FramingContrast(id="fr1", concept="what the closure is called",
                            terms={"precaution" + hostile: ["a1"], "chaos": ["a2"], "row": ["a3"]},
                            note="precaution presents the closure as prudent; chaos and row as disorder",
                            quoted={"chaos": ["a2"]}, distancing={}),
        ],
        headlines=[
            Headline(article="a1", title=titles["a1"], verb="closed", certainty="done"),
            Headline(article="a2", title=titles["a2"], verb="shut", certainty="done"),
            Headline(article="a3", title=titles["a3"], verb="closes", certainty="reported"),
        ],
        timeline=[
            TimelineEntry(date="1968", text="The bridge was built.", articles=["a3"], background=True),
            TimelineEntry(date="2026-04-06", text="Engineers closed the bridge after finding a crack." + hostile,
                          articles=["a1", "a2"]),
        ],
        coverage=Coverage(articles=3, outlets=2, lean=LeanCounts(center=1, lean_right=1, unknown=1),
                          countries={"XA": 2}, ownership={"private": 1, "state-owned": 1},
                          first_published="2026-04-06", last_published="2026-04-07",
                          state_media=["State Radio Ferrow"], rating_sources=["fictional rating"],
                          blindspot="No outlet rated left reported this story.",
                          aggregator_claims=[ConflictClaim(article="a3", text="12 sources" + hostile, value="12")]),
        problems=[InputProblem(source="broken.html" + hostile, message="error: broken.html: not readable" + hostile)],
    )
