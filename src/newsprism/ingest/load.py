"""From the inputs a user names to clean ``Article`` objects: read, decode, extract, clean, and enrich each one.

Each input either becomes articles or an ``InputError`` in ``problems``; one bad input never stops the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING
from dataclasses import dataclass, field
from typing import BinaryIO

from ..errors import InputError, NewsprismError
from ..models import Article, Outlet
from ..options import Options
from .aggregator import split_aggregator
from .clean import assemble, classify
from .dates import date_from_text, date_from_url, normalise_date
from .decode import decode, normalize_text
from .duplicates import find_duplicates
from .extracted import Extracted
from .language import detect_language
from .read import Payload, payloads_for
from .records import Record, iter_records

if TYPE_CHECKING:
    from ..outlets import OutletRegistry


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[NewsprismError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inputs: int = 0
    """How many inputs (command-line arguments) were given."""
    failed_inputs: int = 0
    """How many of them yielded no article at all."""


@dataclass
class _Draft:
    """An article before ids and duplicates are settled across the batch."""

    source: str
    extracted: Extracted
    kind: str = "article"
    record_id: str | None = None
    record_outlet: str | None = None
    captions: list[str] = field(default_factory=list)
    claims: list[str] = field(default_factory=list)
    snippets: list[Extracted] = field(default_factory=list)


def _from_text(source: str, text: str, url: str | None = None) -> _Draft:
    lines = classify(text.split("\n"))
    page = split_aggregator(lines)
    if page is not None:
        own = assemble(page.own, take_title=True)
        draft = _Draft(source, Extracted(own.text, own.title, authors=own.authors, url=url, method="text",
                                         removed=own.removed + page.removed),
                       kind="aggregator", captions=own.captions, claims=page.claims)
        draft.snippets = [Extracted(s.text, s.title, method="aggregator-snippet") for s in page.snippets]
        return draft
    cleaned = assemble(lines, take_title=True)
    published = date_from_text([x.text for x in lines if x.label != "blank"], cleaned.captions)
    return _Draft(source, Extracted(cleaned.text, cleaned.title, published=published,
                                    published_from="text" if published else None, authors=cleaned.authors,
                                    url=url, method="text", removed=cleaned.removed),
                  captions=cleaned.captions)


def _from_html(payload: Payload) -> _Draft:
    from .html import extract_html

    extracted = extract_html(payload.data, url=payload.url, source=payload.source)
    # Extractors keep some furniture (share lines, promos): the same line rules apply to their text.
    lines = classify(extracted.text.split("\n"), positional=False)
    cleaned = assemble(lines, take_title=False)
    extracted.removed = extracted.removed + cleaned.removed
    extracted.text = cleaned.text
    if not extracted.published:
        published = date_from_text([x.text for x in lines if x.label != "blank"], cleaned.captions)
        if published:
            extracted.published, extracted.published_from = published, "text"
    return _Draft(payload.source, extracted, captions=cleaned.captions)


def _from_record(record: Record) -> _Draft:
    if record.html and not (record.text or "").strip():
        from .html import extract_html

        extracted = extract_html(record.html, url=record.url, source=record.source)
        draft = _Draft(record.source, extracted)
    else:
        text = normalize_text(record.text or "")
        lines = classify(text.split("\n"), positional=False)
        cleaned = assemble(lines, take_title=False)
        draft = _Draft(record.source, Extracted(cleaned.text, method="record", removed=cleaned.removed),
                       captions=cleaned.captions)
    extracted = draft.extracted
    extracted.title = record.title.strip() if record.title else extracted.title
    extracted.url = record.url or extracted.url
    extracted.authors = record.authors or extracted.authors
    published = normalise_date(record.published)
    if published:
        extracted.published, extracted.published_from = published, "record"
    draft.record_id = record.id
    draft.record_outlet = record.outlet
    return draft


def _drafts_for(payload: Payload, options: Options, result: LoadResult) -> list[_Draft]:
    if payload.kind == "html":
        return [_from_html(payload)]
    text, warning = decode(payload.data, payload.source, payload.charset)
    if warning:
        result.warnings.append(warning)
    if payload.kind == "jsonl":
        drafts = []
        for item in iter_records(text, payload.source, options.max_bytes):
            if isinstance(item, InputError):
                result.problems.append(item)
                continue
            try:
                drafts.append(_from_record(item))
            except InputError as exc:
                result.problems.append(exc)
        return drafts
    return [_from_text(payload.source, text, payload.url)]


def _outlet(draft: _Draft, extracted: Extracted, registry: "OutletRegistry") -> Outlet | None:
    """The outlet, from the strongest evidence first: the address, the record, the page's site name, the text."""
    if extracted.url:
        found = registry.by_url(extracted.url)
        if found:
            return found
    if draft.record_outlet:
        found = registry.by_name(draft.record_outlet)
        if found:
            return found
        # The user named it; we know nothing more about it, and say only what we were told.
        return Outlet(name=draft.record_outlet.strip(), matched_by="record")
    if extracted.site_name:
        found = registry.by_name(extracted.site_name)
        if found:
            found.matched_by = "site_name"
            return found
    text = "\n".join([extracted.title or "", extracted.text, *extracted.removed])
    return registry.find_in_text(text)


def _article_id(extracted: Extracted, record_id: str | None) -> str:
    if record_id:
        return record_id
    basis = extracted.url or extracted.text
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def _finish(drafts: list[_Draft], registry: "OutletRegistry") -> list[Article]:
    articles: list[Article] = []
    used: set[str] = set()

    def unique(candidate: str) -> str:
        n, base = 2, candidate
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        return candidate

    for draft in drafts:
        ex = draft.extracted
        published, published_from = ex.published, ex.published_from
        if not published:
            published = date_from_url(ex.url)
            published_from = "url" if published else None
        article = Article(
            id=unique(_article_id(ex, draft.record_id)),
            source=draft.source,
            kind=draft.kind,  # type: ignore[arg-type]
            outlet=_outlet(draft, ex, registry),
            title=ex.title,
            published=published,
            published_from=published_from,  # type: ignore[arg-type]
            authors=ex.authors,
            language=detect_language(ex.text),
            text=ex.text,
            removed=ex.removed,
            captions=draft.captions,
            url=ex.url,
            aggregator_claims=draft.claims,
        )
        articles.append(article)
        for n, snippet in enumerate(draft.snippets, start=1):
            outlet = registry.find_in_text(f"{snippet.title or ''}\n{snippet.text}")
            articles.append(Article(
                id=unique(f"{article.id}-s{n}"), source=f"{draft.source}#snippet-{n}", kind="snippet",
                outlet=outlet, title=snippet.title, published=None, language=detect_language(snippet.text),
                text=snippet.text, parent=article.id,
            ))
    for article, original in zip(articles, find_duplicates([a.text for a in articles])):
        if original is not None:
            article.duplicate_of = articles[original].id
    return articles


def load_articles(
    inputs: Iterable[str],
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
    on_input: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read every input into clean articles. Problems are collected, not raised.

    ``on_input`` is called with each input's name before it is read (for progress display).
    """
    from ..outlets import OutletRegistry, default_registry

    options = options or Options()
    registry = OutletRegistry.load(options.outlet_files) if options.outlet_files else default_registry()
    result = LoadResult()
    drafts: list[_Draft] = []
    for spec in inputs:
        result.inputs += 1
        if on_input:
            on_input(spec)
        before = len(drafts)
        try:
            for payload in payloads_for(spec, options, stdin=stdin):
                if isinstance(payload, InputError):
                    result.problems.append(payload)
                    continue
                try:
                    made = _drafts_for(payload, options, result)
                    drafts.extend(d for d in made if _has_text(d, result))
                except NewsprismError as exc:
                    result.problems.append(exc)
        except NewsprismError as exc:
            result.problems.append(exc)
        if len(drafts) == before:
            result.failed_inputs += 1
    result.articles = _finish(drafts, registry)
    return result


def _has_text(draft: _Draft, result: LoadResult) -> bool:
    if draft.extracted.text.strip() or draft.snippets:
        return True
    result.problems.append(InputError(
        "nothing left after removing page furniture", source=draft.source,
        hint="check that the file holds the article text itself (see 'removed' with newsprism extract)",
    ))
    return False
