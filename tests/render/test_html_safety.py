"""The HTML report treats article text as hostile: nothing from a source survives as markup, no link from a source
runs script, and a Content-Security-Policy allows only the page's own script and no network."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest
from fictional_story import build_report
from helpers import HOSTILE_PAYLOADS

from markupsafe import escape

from newsprism.render import render
from newsprism.render.view import clean

PAYLOADS = HOSTILE_PAYLOADS

# The elements and attributes our own template writes; anything else came from a source.
OUR_TAGS = {"html", "head", "meta", "title", "style", "body", "header", "div", "p", "h1", "h2", "h3", "h4", "svg",
            "rect", "text", "span", "i", "nav", "a", "main", "section", "button", "q", "table", "thead", "tbody",
            "tr", "th", "td", "ul", "li", "strong", "article", "mark", "figure", "blockquote", "figcaption", "ins",
            "del", "ol", "time", "br", "footer", "script", "small"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_safety_no_source_markup_survives(payload):
    html = render(build_report(payload), "html")
    parsed = _parse(html)
    assert {tag for tag, _ in parsed.tags} <= OUR_TAGS
    assert len(parsed.scripts) == 1, "only the page's own script"
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            if name in ("href", "src", "action", "xlink:href"):
                assert value.startswith(("#", "https://", "http://")), f"{name}={value!r} on <{tag}>"
    assert "alert" not in parsed.scripts[0]
    # The payload itself is still there for the reader, as escaped text (control characters dropped, as everywhere).
    assert str(escape(clean(payload))) in html


def test_html_safety_javascript_url_is_not_a_link():
    html = render(build_report("<b>x</b>"), "html")
    anchors = [attrs for tag, attrs in _parse(html).tags if tag == "a"]
    external = [a for a in anchors if not a["href"].startswith("#")]
    assert [a["href"] for a in external] == ["https://courier.example/bridge"], "the javascript: URL is dropped"
    assert all(a.get("rel") == "noopener noreferrer nofollow" for a in external)


def test_html_safety_content_security_policy_pins_the_one_script():
    html = render(build_report(), "html")
    parsed = _parse(html)
    metas = [attrs for tag, attrs in parsed.tags
             if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    policy = dict(part.strip().split(" ", 1) for part in metas[0]["content"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    assert "unsafe-inline" not in policy["script-src"]
    digest = base64.b64encode(hashlib.sha256(parsed.scripts[0].encode()).digest()).decode()
    assert policy["script-src"] == f"'sha256-{digest}'", "the hash matches the inline script exactly"
    # The policy comes before anything that could load or run.
    assert html.index("Content-Security-Policy") < html.index("<style>") < html.index("<script>")


def test_html_safety_page_names_no_outside_resource():
    html = render(build_report(), "html")
    for tag, attrs in _parse(html).tags:
        assert "src" not in attrs, f"<{tag}> loads {attrs['src']}"
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html), "no stylesheet fetches"
