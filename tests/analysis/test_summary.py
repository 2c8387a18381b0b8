"""The summary: every sentence a fact's statement citing exactly the outlets that state it, not repeated, within its
length, widely carried first, one source's sentences marked."""


from helpers import SEEDS, need_shared, stages
from newsprism.analysis import REPORT_SECTIONS
from newsprism.analysis.summary import SummaryStage
from newsprism import load_articles
from newsprism.api import analyze_articles
from newsprism.models import Article, Outlet


def _check_traceable(report, articles):
    by_id = {a.id: a for a in articles}
    facts = {f.id: f for f in report.facts}
    for sentence in report.summary:
        assert sentence.articles and sentence.evidence
        # a fact's statement, citing exactly the fact's articles, taken from its first evidence (an outlet's
        # evaluation gets ", according to …")
        fact = facts[sentence.fact]
        assert sentence.articles == fact.articles
        core = sentence.text.split(", according to ")[0].rstrip(".")
        assert core and core in sentence.evidence[0].text
        for evidence in sentence.evidence:
            assert by_id[evidence.article].excerpt(evidence) == evidence.text
    texts = [s.text for s in report.summary]
    assert len(texts) == len(set(texts))


def test_summary_small_story_is_cited_and_traceable():
    articles = [
        Article(id="a", source="a", title="Bridge reopens after repairs",
                text="The city reopened the old river bridge on Monday after two years of repairs, officials said.\n\n"
                     "The repairs cost 40 million and were paid for by the regional government, the mayor said."),
        Article(id="b", source="b", title="Old bridge open again",
                text="The old river bridge reopened to traffic on Monday following two years of repair work.\n\n"
                     "Residents lined the banks to watch the first buses cross the river in the morning."),
        Article(id="c", source="c", title="River bridge back in use",
                text="After two years of repairs the river bridge was reopened on Monday, city officials said.\n\n"
                     "Critics said the project ran a year late and far over its first budget of 25 million."),
    ]
    report = analyze_articles(articles)
    assert 1 <= len(report.summary) <= 8
    _check_traceable(report, articles)
    # The event all three report leads, cited by all three.
    assert len(report.summary[0].articles) == 3 and "reopened" in report.summary[0].text
    assert report.story.title in {a.title for a in articles}


def test_summary_marks_single_lean_sentences():
    shared = "The city council voted on Monday to close the Old Mill Bridge to lorries after engineers found cracks."
    articles = [
        Article(id="l", source="l", outlet=Outlet(name="Left Daily", lean="left"), title="Bridge shut", text=(
            f"{shared}\n\nResidents of the east bank collected two thousand signatures for a free ferry service.")),
        Article(id="c", source="c", outlet=Outlet(name="Centre Post", lean="center"), title="Bridge closed", text=(
            f"{shared}\n\nThe regional transport office will publish a detour map for delivery drivers.")),
        Article(id="r", source="r", outlet=Outlet(name="Right Herald", lean="right"), title="Bridge to close",
              text=f"{shared}\n\nShop owners on Mill Street fear losing a third of their customers this winter."),
    ]
    report = analyze_articles(articles, stages=stages(*REPORT_SECTIONS, replace=[SummaryStage(max_sentences=8)]))
    _check_traceable(report, articles)
    by_id = {a.id: a for a in articles}
    lone = []
    for sentence in report.summary:
        outlets = {by_id[a].outlet.name for a in sentence.articles}
        leans = {by_id[a].outlet.lean for a in sentence.articles}
        # a sentence one source states always says so, with the outlet's lean when it is a clear one
        assert bool(sentence.note and sentence.note.startswith("only ")) == (len(outlets) == 1), sentence
        is_lone = len(outlets) == 1 and bool(leans & {"left", "right", "lean_left", "lean_right"})
        lone += [sentence] if is_lone else []
        if len(outlets) == 1 and not is_lone:
            assert sentence.note == "only Centre Post reports this"
    assert {s.articles[0] for s in lone} == {"l", "r"}
    assert any("(left)" in s.note for s in lone) and any("(right)" in s.note for s in lone)


def test_summary_seeds_five_to_eight_sentences_led_by_a_widely_carried_one():
    seeds = sorted(need_shared(SEEDS).glob("*.txt"))
    articles = load_articles([str(p) for p in seeds]).articles
    report = analyze_articles(articles)
    assert 5 <= len(report.summary) <= 8
    _check_traceable(report, articles)
    assert max(len(s.articles) for s in report.summary[:2]) >= 3


def test_summary_prefers_the_majority_wording():
    base = "at the north gate of the port on Tuesday, blocking lorries for six hours before police cleared them."
    # The minority's sentence leads its article, the majority's come second: only the wording tells them apart.
    later = "The port authority said cargo moved again later in the evening, after the gate was reopened."
    articles = [Article(id=f"p{i}", source=f"p{i}", title=f"Port gate blocked {i}",
                        text=f"{later}\n\nDozens of protesters gathered {base}") for i in range(3)]
    articles.append(Article(id="r", source="r", title="Port gate blocked by rioters",
                            text=f"Dozens of rioters gathered {base}\n\n{later}"))
    report = analyze_articles(articles)
    framing = [f for f in report.framing if "rioters" in f.terms]
    assert framing, "the lexicon should contrast rioters with protesters"
    assert report.summary and all("rioters" not in s.text for s in report.summary)
    assert any("protesters" in s.text for s in report.summary)
