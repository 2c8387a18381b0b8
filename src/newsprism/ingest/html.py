"""Which part of a saved web page is the article, and what the page says about it: title, date, authors, site.

The text keeps newsprism's clean-text shape: one paragraph per line, paragraphs separated by a blank line.
Quality and speed against trafilatura alone are measured by ``benchmarks/extraction.py`` (docs/benchmarks.md).
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura

from ..errors import InputError
from .clean import is_sentence_like
from .dates import date_from_url, normalise_date
from ..text.words import lower_words
from .decode import decode, normalize_text
from .extracted import Extracted

NO_ARTICLE = "no article text found in the page"
NO_ARTICLE_HINT = "save the article page itself, or paste its text into a .txt file"

# A first result under half the text of the page's main paragraph block has probably lost part of the article.
# The yardstick is the paragraph block, not all visible text: menus and link lists inflate the visible text so
# much that a share of it did not tell truncated extractions from good ones on the benchmark.
SHORT_SHARE = 0.5
# Real article pages have a few thousand elements (at most 3,129 on the benchmark pages); far beyond that is a
# machine-generated page or a dump, for which trafilatura is too slow.
MAX_ELEMENTS = 50_000
# A longer candidate replaces a result only if it also holds this share of the result's word trigrams: it must
# extend the article found, not be a different block (comments, a list of other stories).
KEEPS_SHARE = 0.8
# Elements that never hold the article's prose (the lxml branch drops them before looking for paragraphs).
_NOT_PROSE = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "iframe",
              "button", "select", "textarea")
_COMMENTS = re.compile(r"(?:^|[\s_-])(?:comments?|comment-list|disqus_thread|respond)(?:$|[\s_-])", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Between a headline and the site's name: "Port reopens | Harbour News", "Port reopens - Harbour News".
_TITLE_SEPARATOR = re.compile(r"\s+[|•*·–—-]\s+|\s+::\s+")
# Chinese and Japanese write no spaces, so a sentence there is told by its full stop rather than a word count.
_CJK_SENTENCE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af].{8,}[。！？]$")


def extract_html(html: str | bytes, *, url: str | None = None, source: str | None = None,
                 charset: str | None = None) -> Extracted:
    """The article in a web page: text, title, date (YYYY-MM-DD), authors, site name, and how the text was found.

    Bytes are decoded by ``decode.decode`` (``charset``: the one the HTTP response declared); its warning, if any, is
    the caller's to report, so the load path decodes first and passes the text.

    Raises ``InputError`` when the page holds no article text or cannot be read as HTML.

    >>> page = ("<html><head><title>Port reopens</title><meta property='og:site_name' content='Harbour News'>"
    ...         "</head><body><nav><a href='/'>Home</a></nav><article><h1>Port reopens</h1><p>The port reopened "
    ...         "on Saturday after a nine-day strike by dock workers ended.</p><p>Ships queued outside the "
    ...         "harbour through the night.</p></article></body></html>")
    >>> found = extract_html(page, url="https://example.com/2025/12/14/port")
    >>> print(found.text)
    The port reopened on Saturday after a nine-day strike by dock workers ended.
    <BLANKLINE>
    Ships queued outside the harbour through the night.
    >>> found.title, found.site_name, found.published, found.published_from
    ('Port reopens', 'Harbour News', '2025-12-14', 'url')
    """
    where = source or url
    page = decode(html, where or "<page>", charset, html=True)[0] if isinstance(html, (bytes, bytearray)) else html
    page = _XML_DECLARATION.sub("", page, count=1)  # lxml refuses a str that declares its own encoding
    if not page.strip():
        raise InputError("is empty", source=where, hint="check that the page was saved completely")
    root, too_deep = _parse(page, where)
    # trafilatura takes minutes on pages far larger than any real article page (over a minute per run on a 10 MB
    # page of 600,000 elements); those skip it, and their metadata is read from the <head> alone.
    huge = sum(1 for _ in root.iter()) > MAX_ELEMENTS
    head = lxml.html.tostring(root.head, encoding="unicode") if huge and root.find("head") is not None else ""
    block = _paragraph_block(root)

    # The cascade, written out so each step can be read with the reason it exists.
    # (1) trafilatura as it comes: the best single extractor on the benchmark, and it reads the metadata too.
    document, failure = (None, None) if huge else _trafilatura(page, url, favor_recall=False, with_metadata=True)
    paragraphs = _paragraphs(document.text if document is not None else "")
    method = "trafilatura"

    # (2) trafilatura again, favouring recall, when the first result is no article (a menu) or holds well under
    # the page's paragraph text: its own recall retry only fires below a share of all the page's text, which
    # menus and link lists inflate. The retry must extend what was found, not swap it for another block.
    if not huge and (not _reads_as_article(paragraphs) or _chars(paragraphs) < SHORT_SHARE * _chars(block)):
        recall, recall_failure = _trafilatura(page, url, favor_recall=True, with_metadata=False)
        failure = failure or recall_failure
        candidate = _paragraphs(recall.text if recall is not None else "")
        if _reads_as_article(candidate) and (not _reads_as_article(paragraphs) or (
                _chars(candidate) > _chars(paragraphs) and _extends(candidate, paragraphs))):
            paragraphs, method = candidate, "trafilatura-recall"

    # (3) the page's own paragraphs (lxml): when trafilatura found no article, failed on odd markup or was
    # skipped; or when it stopped early inside the article (an advert or a box of links between two halves),
    # so that the paragraph block holds what it found and at least as much again.
    if _reads_as_article(block) and (not _reads_as_article(paragraphs) or (
            _chars(paragraphs) < SHORT_SHARE * _chars(block) and _extends(block, paragraphs))):
        paragraphs, method = block, "fallback-paragraphs"

    # (4) nothing that reads as reporting (only a menu, only scripts): say so, and why when we know.
    if not _reads_as_article(paragraphs):
        if too_deep:
            raise InputError("the page nests its elements more than 255 levels deep, too deep to read",
                             source=where, hint=NO_ARTICLE_HINT)
        if failure is not None:
            raise InputError(f"{NO_ARTICLE} (the extractor failed: {type(failure).__name__})",
                             source=where, hint=NO_ARTICLE_HINT)
        raise InputError(NO_ARTICLE, source=where, hint=NO_ARTICLE_HINT)

    if document is None:  # trafilatura gave no text (or was skipped), so it has not read the metadata yet
        document = _metadata(f"<html>{head}<body></body></html>" if huge else page, url)
    return _extracted(paragraphs, method, document, url)


def _extracted(paragraphs: list[str], method: str, document: object, url: str | None) -> Extracted:
    page_url = url or getattr(document, "url", None)
    site_name = _clean(getattr(document, "sitename", None) or "") or None
    title = _headline(_clean(getattr(document, "title", None) or ""), site_name, page_url) or None
    removed = []
    # trafilatura keeps the headline when it sits inside the article; the title field already holds it.
    if title and paragraphs and _same(paragraphs[0], title):
        removed.append(paragraphs.pop(0))
    # htmldate (trafilatura's date reader) falls back on the address when the markup has no date, so a date equal
    # to the address's own is credited to the address: the simplest true account of where it came from.
    published, url_date = normalise_date(getattr(document, "date", None)), date_from_url(page_url)
    published_from = "url" if published == url_date else "metadata"
    if not published:
        published, published_from = url_date, "url"
    authors = [_clean(a) for a in (getattr(document, "author", None) or "").split(";")]
    return Extracted(
        text="\n\n".join(paragraphs),
        title=title,
        published=published,
        published_from=published_from if published else None,
        authors=[a for a in authors if a],
        site_name=site_name,
        url=page_url,
        method=method,
        removed=removed,
    )


def _headline(title: str, site_name: str | None, url: str | None) -> str:
    """The page title without the site's name that pages append ("Port reopens | Harbour News").

    The name is recognised from the page's site name or its web address, never from a list of known outlets;
    a short section label just before it ("Port reopens - World | Harbour News") goes with it.
    """
    host = re.sub(r"^www\d*\.", "", urlsplit(url).hostname or "") if url else ""
    names = {_squash(site_name or ""), _squash(host), _squash(host.split(".")[0])} - {""}

    def is_site(part: str) -> bool:
        key = _squash(part)
        return bool(key) and len(part.split()) <= 5 and any(
            key == name or (len(key) >= 5 and key in name) or (len(name) >= 3 and name in key) for name in names)

    separators = list(_TITLE_SEPARATOR.finditer(title))
    for i in range(len(separators) - 1, -1, -1):  # the site's name is nearer the end
        segment_end = separators[i + 1].start() if i + 1 < len(separators) else len(title)
        if is_site(title[separators[i].end():segment_end]):
            end = separators[i].start()
            if i > 0 and len(title[separators[i - 1].end():end].split()) <= 3:
                end = separators[i - 1].start()  # the section label before the name
            return title[:end].strip()
    return title


def _squash(name: str) -> str:
    """A name reduced for comparison: "The Gateway Pundit", "thegatewaypundit.com" -> "gatewaypundit"."""
    key = re.sub(r"[^a-z0-9]", "", name.casefold().removesuffix(".com"))
    return key.removeprefix("the")


def _parse(page: str, where: str | None) -> tuple[lxml.html.HtmlElement, bool]:
    """Parse for the lxml branch. Returns the root, and whether the parser cut the tree at its depth limit."""
    parser = lxml.html.HTMLParser(remove_comments=True)
    try:
        root = lxml.html.document_fromstring(page, parser=parser)
    except (lxml.etree.LxmlError, ValueError) as exc:
        raise InputError(f"cannot be read as HTML ({exc})", source=where, hint=NO_ARTICLE_HINT) from exc
    too_deep = any("Excessive depth" in entry.message for entry in parser.error_log)
    return root, too_deep


def _trafilatura(page: str, url: str | None, *, favor_recall: bool,
                 with_metadata: bool) -> tuple[object, Exception | None]:
    """One trafilatura run. Returns its document (None when it found no text) and the error it raised, if any."""
    try:
        document = trafilatura.bare_extraction(
            page, url=url, with_metadata=with_metadata, include_comments=False, include_tables=False,
            favor_recall=favor_recall, date_extraction_params=_date_params())
    # A third-party extractor meeting hostile markup can fail in ways its authors did not list (recursion on
    # deep trees, parser errors); the lxml branch still gets its turn, and the error is named if it fails too.
    except Exception as exc:  # noqa: BLE001
        return None, exc
    return document, None


def _metadata(page: str, url: str | None) -> object:
    """The page's metadata alone, for pages whose text came from the lxml branch."""
    try:
        return trafilatura.extract_metadata(page, default_url=url, date_config=_date_params())
    except Exception:  # noqa: BLE001 -- as above: metadata is optional, the text was found without it
        return None


def _date_params() -> dict:
    # Markup only (meta tags, JSON-LD, <time>): a date in the running text may be an event's, and the cleaning
    # step reads the article's own dateline. The URL is a last resort, so markup wins when both exist.
    return {"original_date": True, "extensive_search": False, "deferred_url_extractor": True,
            "max_date": date.today().isoformat()}


def _paragraph_block(root: lxml.html.HtmlElement) -> list[str]:
    """The paragraphs of the page's main block: its <article>, or the element whose <p> children hold most text."""
    for element in list(root.iter(*_NOT_PROSE)):
        if element.getparent() is not None:
            element.drop_tree()
    # Readers' comments are paragraphs too, often inside the <article>; sites name their containers plainly.
    for element in root.xpath("//*[@class or @id]"):
        names = f"{element.get('class', '')} {element.get('id', '')}"
        if element.getparent() is not None and _COMMENTS.search(names):
            element.drop_tree()
    # ASP.NET pages wrap the whole page in one <form>: drop only forms that hold no paragraphs (search, sign-up).
    for form in list(root.iter("form")):
        if form.getparent() is not None and form.find(".//p") is None:
            form.drop_tree()
    # Readability's rule: a paragraph counts fully for its parent and half for its grandparent, so an article
    # whose paragraphs sit in a few sibling containers is still found as one block.
    score: dict[lxml.html.HtmlElement, float] = defaultdict(float)
    for p in root.iter("p"):
        length = len(_clean(p.text_content()))
        parent = p.getparent()
        if parent is None or not length:
            continue
        score[parent] += length
        if parent.getparent() is not None:
            score[parent.getparent()] += length / 2
    best = max(score, key=score.__getitem__, default=None)
    # An <article> is the page's own word for where the article is; take it when it holds at least as much.
    articles = [(sum(len(_clean(p.text_content())) for p in a.iter("p")), a) for a in root.iter("article")]
    if articles:
        held, article = max(articles, key=lambda pair: pair[0])
        if held and (best is None or held >= score[best]):
            best = article
    if best is None:
        return []
    return _paragraphs("\n".join(p.text_content() for p in best.iter("p")))


def _paragraphs(text: str) -> list[str]:
    """Lines to paragraphs: spaces collapsed, invisible characters gone, lines with no letters or digits dropped."""
    kept = (_clean(line) for line in normalize_text(text).split("\n"))
    return [line for line in kept if any(ch.isalnum() for ch in line)]


def _clean(text: str) -> str:
    return " ".join(normalize_text(text).split())


def _chars(paragraphs: list[str]) -> int:
    return sum(len(p) for p in paragraphs)


def _trigrams(paragraphs: list[str]) -> set[tuple[str, ...]]:
    words = lower_words(" ".join(paragraphs))
    return {tuple(words[i:i + 3]) for i in range(max(1, len(words) - 2))}


def _extends(candidate: list[str], found: list[str]) -> bool:
    """Does ``candidate`` hold most of what was ``found`` (so it is the same article, longer)?"""
    if not found:
        return True
    ours = _trigrams(found)
    return len(ours & _trigrams(candidate)) >= KEEPS_SHARE * len(ours)


def _reads_as_article(paragraphs: list[str]) -> bool:
    """At least one paragraph reads as a sentence of reporting, not a menu item or a label."""
    return any(is_sentence_like(p) or _CJK_SENTENCE.search(p) for p in paragraphs)


def _same(a: str, b: str) -> bool:
    return lower_words(a) == lower_words(b)
