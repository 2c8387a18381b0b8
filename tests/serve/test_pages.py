"""The server's pages in a real browser (Debian's Chromium via Playwright) against a real ``newsprism serve``: feed →
story → compare → article → back; search; sign in and ingest a file; the blindspot feed; hostile article text inert;
no console error and no CSP violation on any page; each page at desktop and phone width, kept in test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from conftest import TOKEN

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "serve"
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


class Tab:
    """A browser page on the server that records console errors, CSP violations, dialogs and foreign requests."""

    def __init__(self, browser, server, width: str = "desktop", scheme: str = "light") -> None:
        w, h = WIDTHS[width]
        self.context = browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.server, self.width = server, width
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: None if r.url.startswith((server.url, "data:", "about:"))
                     else self.foreign.append(r.url))

    def open(self, path: str) -> None:
        self.page.goto(self.server.url + path)
        self.page.wait_for_load_state("load")

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}-{self.width}.png"), full_page=self.width == "desktop")

    def fits(self) -> bool:
        """No sideways scrolling of the page itself (wide tables scroll in their own box)."""
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    def clean(self) -> None:
        assert self.errors == [] and self.dialogs == [] and self.foreign == [], (self.errors, self.dialogs,
                                                                                  self.foreign)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def tab(browser, server):
    opened = Tab(browser, server)
    yield opened
    opened.close()


def _harbour(server) -> str:
    stories = httpx.get(server.url + "/api/stories?limit=500").json()["stories"]
    return next(s["id"] for s in stories if "Lantern Daily" in s["outlets"] and "Daily Rampart" in s["outlets"]
                and len(s["outlets"]) >= 5)


def test_pages_feed_story_compare_article_and_back(tab, server):
    story = _harbour(server)
    tab.open("/")
    page = tab.page
    assert page.locator("ol.feed > li").count() >= 2
    page.locator(f'a[href="/stories/{story}"]').first.click()
    page.wait_for_url(re.compile(f"/stories/{story}$"))
    for section in ("summary", "facts", "conflicts", "quotes", "actors", "framing", "timeline", "coverage"):
        assert page.locator(f"#{section} h2").is_visible(), section
    cite = page.locator("#summary .cite").first
    cite.locator(".cite-btn").click()
    assert cite.locator(".ev").is_visible()
    page.keyboard.press("Escape")
    page.locator("details.tools summary").click()
    page.locator('select[name="a"]').select_option("Lantern Daily")
    page.locator('select[name="b"]').select_option("Daily Rampart")
    page.locator("details.tools button[type=submit]").click()
    page.wait_for_load_state("load")
    compare = page.locator("#compare")
    assert compare.is_visible() and "Lantern Daily reports, Daily Rampart does not" in compare.inner_text()
    fact = page.locator("#compare a.plainlink").first
    target = fact.get_attribute("href")
    assert target.startswith("#fact-") and page.locator(target).count() == 1, "each fact has a permalink"
    page.locator("a.article-link").first.click()
    page.wait_for_url(re.compile("/articles/"))
    assert page.locator("article.article-text p").count() >= 2
    assert page.locator(".hl-fact").count() >= 1 and page.locator(".hl-quote").count() >= 1
    assert all(len(t) < 40 for t in page.locator(".hl-framing").all_inner_texts()), "a framing term, not a sentence"
    page.go_back()
    page.wait_for_url(re.compile(f"/stories/{story}"))
    assert page.locator("#summary").is_visible()
    tab.clean()


def test_pages_search_leads_to_the_sentence(tab):
    tab.open("/")
    tab.page.locator("#site-q").fill("strike")
    tab.page.locator("form.site-search button").click()
    tab.page.wait_for_url(re.compile(r"/search\?q=strike"))
    results = tab.page.locator("ol.results > li")
    assert results.count() >= 1
    results.first.locator("a.plainlink").click()
    tab.page.wait_for_load_state("load")
    assert re.search(r"/(stories|articles)/", tab.page.url)
    tab.clean()


def test_pages_sign_in_and_ingest_a_file(tab, tmp_path):
    tab.open("/ingest")
    assert "/signin" in tab.page.url, "the ingest page asks to sign in first"
    tab.page.locator("#token").fill("not the token at all")
    tab.page.locator("form.stack button").click()
    assert tab.page.locator("[role=alert]").is_visible()
    assert tab.errors == ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]
    tab.errors.clear()  # that was the page's own status, as it should be
    tab.page.locator("#token").fill(TOKEN)
    tab.page.locator("form.stack button").click()
    tab.page.wait_for_url(re.compile("/ingest$"))
    upload = tmp_path / "ferry.txt"
    upload.write_text("Ferry service to Inch Island resumes\n\nThe ferry to Inch Island resumed service on Saturday "
                      "after a month of repairs, the island council said. Crossings run twice a day.\n")
    tab.page.locator("#files").set_input_files(str(upload))
    tab.page.locator("form.stack button").click()
    tab.page.wait_for_url(re.compile(r"/ingest/[\w-]+$"))
    tab.page.wait_for_selector("#job-status[data-state=done]", timeout=120_000)
    assert "1 added" in tab.page.locator("#job-status").inner_text()
    tab.page.locator("main a[href^='/stories/']").first.click()
    tab.page.wait_for_load_state("load")
    assert "Inch Island" in tab.page.content()
    tab.clean()


def test_pages_blindspot_feed_shows_one_sided_stories(tab):
    tab.open("/blindspots")
    cards = tab.page.locator("ol.feed > li")
    assert cards.count() == 1
    assert "covered by the left only" in cards.first.inner_text().lower()
    assert "State media" in cards.first.inner_text()
    assert "Lean ratings: test rating" in cards.first.inner_text(), "the lean bar names who rated the outlets"
    tab.clean()


def test_pages_hostile_article_text_is_inert(tab, server):
    record = [{"id": "hostile-page", "title": "Council <script>alert('t')</script> vote",
               "text": "The council voted on Tuesday. <img src=x onerror=alert('i')><script>alert('s')</script> "
                       "<img src=\"https://evil.example/p.gif\"> The vote passed, a clerk said."}]
    reply = httpx.post(server.url + "/api/articles", json=record, headers=server.auth(), timeout=120)
    assert reply.status_code in (200, 201), reply.text
    article = reply.json()["articles"][0]
    for path in ("/search?q=council", "/", f"/articles/{article}"):
        tab.open(path)
        tab.page.wait_for_timeout(200)
        assert tab.page.locator("main img").count() == 0
    assert "<script>alert('t')</script>" in tab.page.locator("h1").inner_text(), "shown to the reader as text"
    tab.clean()


PAGES = {"/": "feed", "/blindspots": "blindspots", "/outlets": "outlets", "/outlets/lantern-daily": "outlet",
         "/search?q=union": "search", "/docs": "docs", "/signin": "signin", "/nope": "not-found"}


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_pages_every_page_is_clean_and_fits(browser, server, width):
    story = _harbour(server)
    article = httpx.get(f"{server.url}/api/stories/{story}").json()["articles"][0]["id"]
    pages = {**PAGES, f"/stories/{story}": "story", f"/articles/{article}": "article"}
    for scheme in ("light", "dark"):
        tab = Tab(browser, server, width, scheme)
        try:
            for path, name in pages.items():
                if scheme == "dark" and name not in ("feed", "story", "article"):
                    continue  # dark mode changes colours only: the pages with the most kinds of element suffice
                tab.open(path)
                if path == "/nope":
                    tab.errors = [e for e in tab.errors if "404" not in e]  # the page's own status, not an error
                assert tab.fits() or width == "desktop", f"{path} scrolls sideways at {width} width"
                tab.shot(name if scheme == "light" else f"{name}-dark")
            tab.clean()
        finally:
            tab.close()
