"""The HTML report in a real browser: Chromium (the Debian package) driven by Playwright opens the report of the
bundled example and of the seeds, checks the sections render, that a citation reveals its evidence, that hostile
article content opens no dialog and sends no request, and saves a full-page screenshot in test-artifacts/.

The ``browser`` fixture (tests/conftest.py) skips when Chromium or Playwright is missing, unless
NEWSPRISM_REQUIRE_BROWSER=1, as in CI, where a missing browser is a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fictional_story import build_report

from newsprism.api import analyze
from newsprism.models import Report
from newsprism.options import Options
from newsprism.render import render

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "src" / "newsprism" / "examples" / "harbour-strike"
ARTIFACTS = ROOT / "test-artifacts"
SECTIONS = ["summary", "facts", "conflicts", "quotes", "actors", "framing", "headlines", "timeline", "coverage",
            "sources"]
HOSTILE = ("<script>alert('script')</script><img src=x onerror=alert('img')>"
           "<a href=\"javascript:alert('link')\">x</a></textarea><svg onload=alert('svg')>"
           "<img src=\"https://evil.example/pixel.gif\"><link rel=stylesheet href=\"https://evil.example/x.css\">")


class Visit:
    """A page opened on a report file, recording every dialog and every request that is not the file itself.

    The page is offline, so a test never reaches the network even if a request got out; ``blocked`` holds the
    requests the browser refused because of the page's Content-Security-Policy, and ``left`` the others.
    """

    def __init__(self, browser, path: Path) -> None:
        self.url = path.resolve().as_uri()
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.page = browser.new_page(viewport={"width": 1200, "height": 900}, offline=True)
        self.page.on("dialog", self._dialog)
        self.page.on("request", self._request)
        self.page.on("requestfailed", self._failed)
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request) -> None:
        url = request.url
        if url.split("#")[0] != self.url and not url.startswith(("data:", "about:")):
            self.requests.append(url)

    def _failed(self, request) -> None:
        if request.failure == "csp":
            self.blocked.append(request.url)

    @property
    def left(self) -> list[str]:
        return [url for url in self.requests if url not in self.blocked]


def _write(tmp_path: Path, report: Report, name: str) -> Path:
    path = tmp_path / name
    path.write_text(render(report, "html"), encoding="utf-8")
    return path


def _check_sections_and_citation(visit: Visit) -> None:
    page = visit.page
    for section in SECTIONS:
        assert page.locator(f"#{section} h2").is_visible(), section
    assert page.locator("h1").inner_text().strip()
    assert page.locator("#coverage svg.chart").count() >= 1, "the lean chart is drawn"
    # A citation reveals its evidence: hidden at first, shown and marked expanded once clicked.
    in_summary = page.locator("#summary .cite")
    cite = in_summary.first if in_summary.count() else page.locator(".cite").first
    evidence = cite.locator(".ev")
    assert not evidence.is_visible()
    cite.locator(".cite-btn").click()
    assert evidence.is_visible()
    assert cite.locator(".cite-btn").get_attribute("aria-expanded") == "true"
    assert len(evidence.inner_text().strip()) > 10
    page.mouse.move(0, 0)
    page.keyboard.press("Escape")
    assert not evidence.is_visible(), "Escape closes the evidence"


@pytest.fixture(scope="module")
def example_report() -> Report:
    report, _ = analyze([str(EXAMPLE)], Options(outlet_files=(EXAMPLE / "outlets.csv",)))
    return report


def test_browser_example_report_renders_and_cites(browser, example_report, tmp_path):
    visit = Visit(browser, _write(tmp_path, example_report, "example.html"))
    _check_sections_and_citation(visit)
    assert visit.page.locator("#sources ol.sources > li").count() == len(example_report.articles)
    if example_report.facts:
        shown = visit.page.locator("table.matrix tbody tr").count() + visit.page.locator("#facts .card li").count()
        assert shown > 0, "the facts appear in the matrix or under single-source facts"
    assert visit.dialogs == [] and visit.requests == []
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.locator(".cite-btn").first.click()  # the screenshot shows an open citation
    visit.page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert (ARTIFACTS / "report.png").stat().st_size > 10_000


def test_browser_seeds_report_renders_and_cites(browser, seeds, tmp_path):
    report, _ = analyze([str(p) for p in seeds])
    visit = Visit(browser, _write(tmp_path, report, "seeds.html"))
    _check_sections_and_citation(visit)
    assert visit.dialogs == [] and visit.requests == []
    ARTIFACTS.mkdir(exist_ok=True)
    visit.page.screenshot(path=str(ARTIFACTS / "report-seeds.png"), full_page=True)


def test_browser_hostile_article_content_runs_nothing_and_sends_nothing(browser, tmp_path):
    visit = Visit(browser, _write(tmp_path, build_report(HOSTILE), "hostile.html"))
    page = visit.page
    _check_sections_and_citation(visit)
    for button in page.locator(".cite-btn").all()[:20]:
        page.keyboard.press("Escape")  # as a reader closes one piece of evidence before opening the next
        page.mouse.move(0, 0)
        button.click()
    page.locator("#sources a").first.hover()
    page.wait_for_timeout(200)
    assert visit.dialogs == []
    assert visit.requests == []
    assert page.locator("img, iframe, link, textarea").count() == 0
    assert page.locator("script").count() == 1
    assert "<script>alert('script')</script>" in page.locator("h1").inner_text(), "shown to the reader as text"


def test_browser_policy_blocks_markup_that_slipped_through(browser, tmp_path):
    """Defence in depth: if escaping ever failed, the Content-Security-Policy still stops script and requests."""
    html = render(build_report(), "html").replace("<body>", "<body>" + HOSTILE, 1)
    path = tmp_path / "injected.html"
    path.write_text(html, encoding="utf-8")
    visit = Visit(browser, path)
    visit.page.wait_for_timeout(300)
    assert visit.page.locator("img").count() >= 1, "the injected markup is in the page"
    assert visit.dialogs == []
    assert visit.left == []
    assert "https://evil.example/pixel.gif" in visit.blocked, "the policy, not luck, stopped the request"
    # The page's own script still runs (allowed by its hash).
    assert "js" in (visit.page.locator("html").get_attribute("class") or "")
