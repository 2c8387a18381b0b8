"""The three report formats drawn from one report object: every section present, citations consistent, the
terminal view inside 100 columns."""

from __future__ import annotations

import json
import re

import pytest
from fictional_story import build_report

from newsprism.errors import InputError
from newsprism.models import Article, Fact, Report
from newsprism.render import format_for, render
from newsprism.render.view import ReportView, safe_url, variant_words, word_diff

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def report() -> Report:
    return build_report()


def test_render_formats_from_one_report_object(report):
    before = report.model_dump()
    outputs = {fmt: render(report, fmt) for fmt in ("json", "text", "markdown", "html")}
    assert report.model_dump() == before, "rendering must not change the report"
    assert json.loads(outputs["json"])["story"]["title"] == report.story.title
    for fmt in ("text", "markdown", "html"):
        assert "Ferrow river bridge closed after a crack is found" in outputs[fmt], fmt
        # The same fact and the same conflicting figures reach every format.
        assert "Repairs are expected to take six weeks." in outputs[fmt], fmt
        assert "4,000" in outputs[fmt] and "6,000" in outputs[fmt], fmt


@pytest.mark.parametrize(("path", "fmt"), [("r.md", "markdown"), ("r.MARKDOWN", "markdown"), ("r.html", "html"),
                                           ("r.htm", "html"), ("r.json", "json"), ("r.txt", "text"),
                                           (None, "text"), ("-", "text")])
def test_render_format_for_extension(path, fmt):
    assert format_for(path, None) == fmt


def test_render_format_for_unknown_extension_names_the_fix():
    with pytest.raises(InputError, match="cannot tell the output format"):
        format_for("report.pdf", None)


TEXT_SECTIONS = ["Summary", "Facts", "Reported by every outlet", "Reported by one outlet only", "Omissions",
                 "Conflicts", "Quotes", "Actors and positions", "Framing", "Headlines compared", "Timeline",
                 "Coverage", "Inputs that could not be read"]


def test_render_text_has_every_section(report):
    out = render(report, "text")
    for section in TEXT_SECTIONS + ["Articles"]:
        assert section in out, section
    # Single-source facts name their outlet; omissions name the outlet that leaves the fact out.
    assert re.search(r"State Radio Ferrow \[2\]\s*\n\s*• Repairs are expected", out)
    assert "a3.txt [3] does not report:" in out
    assert "State media: State Radio Ferrow" in out
    assert "{+completely+}" in out, "the word an outlet added to the quote is marked"


def test_render_markdown_has_every_section(report):
    out = render(report, "markdown")
    for section in TEXT_SECTIONS + ["Sources"]:
        assert re.search(rf"^#+ .*{section}", out, re.M), section
    assert "[^2]: **State Radio Ferrow**" in out, "every citation resolves to a footnote naming the outlet"
    assert "“We will not reopen it until it is **completely** safe”" in out
    assert "“… **when** it is safe”" in out, "a partial quote shows the cut as an ellipsis"
    assert "[Ferrow bridge closed after crack found in girder](https://courier.example/bridge)" in out


def test_render_text_fits_100_columns(report):
    report.facts.append(Fact(id="long", text="x" * 180 + " https://example.com/" + "a" * 150, articles=["a1", "a2"],
                             agreement="most"))
    for color in (False, True):
        out = render(report, "text", width=100, color=color)
        widths = [len(ANSI.sub("", line)) for line in out.splitlines()]
        assert max(widths) <= 100, max(widths)


def test_render_text_drops_terminal_control_sequences(report):
    report.articles[0].title = "Bridge \x1b[2J\x1b]0;pwned\x07 closed"
    report.facts[0].text = "[bold red]not markup[/] \x1b[31mred"
    report.articles[1].outlet.name = "[red]Radio[/red]"
    out = render(report, "text", color=False)
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold red]not markup[/]" in out, "source text is shown as written, never read as console markup"
    assert "[red]Radio[/red]" in out, "also inside the article table"


def test_render_markdown_source_text_cannot_make_links_or_html(report):
    report.facts[0].text = "see [this](javascript:alert(1)) and <img src=x onerror=alert(1)> | cell"
    out = render(report, "markdown")
    assert "[this](javascript" not in out and "<img" not in out
    assert r"\[this\]" in out and "&lt;img" in out and r"\| cell" in out


def test_render_html_citations_reveal_their_evidence_sentence(report):
    out = render(report, "html")
    match = re.search(r'aria-controls="(ev\d+)"[^>]*>1</button>'
                      r'<span class="ev" id="\1" role="note">(.*?)</span></span>', out)
    assert match, "the first citation carries its evidence"
    evidence = "Engineers closed the Ferrow river bridge on Monday after finding a crack in a main girder."
    assert evidence in match.group(2)
    assert "[1] Ferrow Courier" in match.group(2)


def test_render_html_matrix_marks_omission(report):
    out = render(report, "html")
    rows = re.findall(r'<tr class="agree-\w+" id="fact-[^"]+">(.*?)</tr>', out, re.S)
    assert len(rows) == 2, "one matrix row per fact carried by more than one outlet"
    mayor = next(r for r in rows if "Mayor Ilsa Brandt" in r)
    assert re.findall(r'<td class="cell (\w+)"', mayor) == ["carries", "carries", "omits"]
    assert 'title="a3.txt leaves this out"' in mayor


def test_render_view_word_diff_marks_changed_words():
    words = word_diff("Every day this port stands still, we lose money", "Every day this port stands idle, we lose")
    assert [(w.text, w.change) for w in words if w.change != "same"] == [
        ("still,", "removed"), ("idle,", "added"), ("money", "removed")]


def test_render_view_variant_words_elides_a_partial_quote():
    words = variant_words("We will not let a minority hold the country hostage today",
                          "a minority hold the nation hostage")
    assert [(w.text, w.change) for w in words] == [("…", "elided"), ("a minority hold the", "same"),
                                                   ("country", "removed"), ("nation", "added"), ("hostage", "same"),
                                                   ("…", "elided")]


@pytest.mark.parametrize(("url", "kept"), [("https://a.example/x?y=1", True), ("http://a.example", True),
                                           ("javascript:alert(1)", False), ("JaVaScRiPt:alert(1)", False),
                                           (" javascript:alert(1)", False), ("java\tscript:alert(1)", False),
                                           ("data:text/html,<script>", False), ("//evil.example/x", False),
                                           ("https:///nohost", False), (None, False)])
def test_render_view_safe_url_keeps_only_http_links(url, kept):
    assert (safe_url(url) is not None) == kept


def test_render_every_format_handles_an_empty_report():
    report = Report(newsprism_version="0", generated_at="2026-01-01T00:00:00+00:00",
                    articles=[Article(id="x", source="x.txt", text="One sentence.")])
    for fmt in ("text", "markdown", "html"):
        out = render(report, fmt)
        assert "Untitled story" in out, fmt
    assert ReportView(report).dateline() == "1 report"


def test_render_html_caps_citations_per_statement():
    articles = [Article(id=f"a{i}", source=f"a{i}.txt", text="The bridge closed.") for i in range(30)]
    report = Report(newsprism_version="0", generated_at="2026-01-01T00:00:00+00:00", articles=articles,
                    facts=[Fact(id="f1", text="The bridge closed.", articles=[a.id for a in articles],
                                agreement="all")])
    out = render(report, "html")
    row = re.search(r'<tr class="agree-all" id="fact-[^"]+">(.*?)</tr>', out, re.S).group(1)
    assert row.count('class="cite-btn"') == 12 and "+18 more" in row
    assert row.count('class="cell carries"') == 30, "the matrix still shows every outlet"


def test_render_view_evidence_prefers_the_text_and_labels_a_headline():
    from newsprism.models import Evidence

    view = ReportView(Report(newsprism_version="-", generated_at="-"))
    title = Evidence(article="a", text="Bridge shut after crack found", start=0, end=29, in_title=True)
    body = Evidence(article="a", text="Engineers closed the bridge.", start=0, end=28)
    assert view.evidence_for([title], "a") == "Headline: Bridge shut after crack found"
    assert view.evidence_for([title, body], "a") == "Engineers closed the bridge."


def test_render_details_only_some_cited_outlets_give_are_marked_in_every_format(report):
    fact = next(f for f in report.facts if f.details)
    detail = fact.details[0]
    assert fact.text[detail.start:detail.end] == detail.text
    marks = ReportView(report).marks(detail.articles)
    line = f"“{detail.text}” (only in {marks})"
    assert line in render(report, "text", width=200)
    assert line.replace("[", "\\[").replace("]", "\\]") in render(report, "markdown")
    html = render(report, "html")
    assert f'<mark class="detail" title="only in {marks}">{detail.text}</mark>' in html
    assert "Not every cited outlet gives" in html
