"""Web pages: trafilatura first, a written-out fallback, metadata, and a clear error for pages without an article."""

import gzip
import json

import pytest

from conftest import SHARED, need_shared
from newsprism.errors import InputError
from newsprism.ingest.html import extract_html

BODY = "".join(f"<p>Paragraph {i}: dock workers at the port said the strike would go on until the authority "
               f"improved its offer, and union leaders met officials again on day {i}.</p>" for i in range(1, 6))
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Strike goes on | Harbour Times</title>
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2026-03-05T08:00:00Z">
<meta name="author" content="Jane Doe"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Strike goes on</h1>{BODY}</article>
<footer>© 2026 Harbour Times. All rights reserved.</footer></body></html>"""


def test_html_extracts_text_and_metadata():
    extracted = extract_html(PAGE, url="https://www.harbourtimes.example/world/strike")
    assert extracted.title == "Strike goes on"
    assert extracted.text.startswith("Paragraph 1: dock workers")
    assert extracted.text.count("\n\n") == 4  # one paragraph per line, blank line between
    assert "Home" not in extracted.text and "All rights reserved" not in extracted.text
    assert extracted.published == "2026-03-05" and extracted.published_from == "metadata"
    assert extracted.authors == ["Jane Doe"]
    assert extracted.site_name == "Harbour Times"


def test_html_date_from_url_when_metadata_has_none():
    page = f"<html><body><article>{BODY}</article></body></html>"
    extracted = extract_html(page, url="https://x.example/2026/03/05/strike-goes-on")
    assert extracted.published == "2026-03-05"  # trafilatura (htmldate) reads the URL too


def test_html_windows_1252_smart_quotes():
    page = ("<html><head><meta charset='windows-1252'></head><body><article>" + BODY +
            "<p>“We will not go back,” the union leader said on Thursday after the long meeting.</p>"
            "</article></body></html>").encode("cp1252")
    assert "“We will not go back,” the union leader said" in extract_html(page).text


@pytest.mark.parametrize("page", [
    "<html><body><nav><a href='/'>Home</a><a href='/w'>World</a></nav></body></html>",
    "<html><head><script>var x = 1;</script><style>p {color: red}</style></head><body><script>go()</script></body></html>",
    "   ",
], ids=["menu-only", "scripts-only", "blank"])
def test_html_without_an_article_is_a_clear_error(page):
    with pytest.raises(InputError) as info:
        extract_html(page, source="page.html")
    assert info.value.line().startswith("error: page.html: ")
    assert " — " in info.value.line()


def test_html_scrapinghub_quality_floor():
    # A guard against regressions on real pages: token F1 on the first 20 pages of the benchmark.
    data = need_shared(SHARED / "datasets" / "extraction" / "scrapinghub-aeb")
    from benchmarks_extraction import prf  # noqa: E402  (helper module path set below)

    truth = json.loads((data / "ground-truth.json").read_text())
    scores = []
    for page_id in sorted(truth)[:20]:
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes())
        try:
            text = extract_html(html, url=truth[page_id]["url"]).text
        except InputError:
            text = ""
        scores.append(prf(text, truth[page_id]["articleBody"])[2])
    assert sum(scores) / len(scores) >= 0.90
