"""From the inputs a user names to clean ``Article`` objects: the one path every command reads through.

``payloads_for`` (read.py) turns an input into bytes of a kind — a page, a text, JSON Lines records, a feed, a list
of URLs — fetching a URL once; this module reads each kind into drafts (extract, clean, split aggregator pages;
a feed's items are read from the feed when it carries their text, else their pages are fetched; a URL list's
addresses are read in turn), then settles ids, outlets and copies (``_finish``). ``load_articles`` reads a batch
into one ``LoadResult`` (``analyze``, ``extract``, ``cluster``); ``stream_articles`` yields one result per input
and per feed item as soon as it is read (``ingest``, and the watcher and batch engine to come).

Each input either becomes articles or an error in ``problems``; one bad input never stops the others. A
``TransientError`` among the problems (a network failure) is one a later run may not meet.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError, NewsprismError, TransientError
from ..models import Article, Outlet
from ..options import Options
from .aggregator import split_aggregator
from .clean import assemble, classify
from .dates import date_from_text, date_from_url, normalise_date
from .decode import decode, normalize_text
from .duplicates import find_duplicates
from .extracted import Extracted
from .feeds import FeedItem, has_full_text, parse_feed
from .identity import article_id
from .language import detect_language
from .limits import limit_text
from .read import (Payload, fetched_payload, gunzip_limited, is_url, kind_for_name, payloads_for, resniff, sniff_kind,
                   url_list)
from .records import Record, iter_records

if TYPE_CHECKING:
    from ..outlets import OutletRegistry
    from .fetch import Fetched

MAX_DEPTH = 2
"""A URL list may name feeds (depth 1) whose items are pages (depth 2); nothing below is expanded further."""


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    problems: list[NewsprismError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    inputs: int = 0
    """How many inputs (command-line arguments) were given."""
    failed_inputs: int = 0
    """How many of them yielded no article at all."""
    renamed: dict[str, str] = field(default_factory=dict)
    """Article id → the record id it was given instead, where a record's id repeated an earlier one."""

    @property
    def transient(self) -> list[NewsprismError]:
        """The problems that may go away on a later run (network failures): retry these."""
        return [p for p in self.problems if isinstance(p, TransientError)]


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
    fallback_title: str | None = None
    """What a feed item said of the page, used when the page itself does not say it."""
    fallback_published: str | None = None
    warnings: list[str] = field(default_factory=list)
    """Warnings about this article (its text cut to the ceiling), passed on to its unit."""


@dataclass
class _Unit:
    """What one input (or one item of a feed) gave: drafts, problems and warnings."""

    spec: str
    drafts: list[_Draft] = field(default_factory=list)
    problems: list[NewsprismError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _from_text(source: str, text: str, url: str | None, options: Options) -> _Draft:
    text, warning = limit_text(text, options, source)
    warnings = [warning] if warning else []
    lines = classify(text.split("\n"))
    page = split_aggregator(lines)
    if page is not None:
        own = assemble(page.own, take_title=True)
        draft = _Draft(source, Extracted(own.text, own.title, authors=own.authors, url=url, method="text",
                                         removed=own.removed + page.removed),
                       kind="aggregator", captions=own.captions, claims=page.claims, warnings=warnings)
        draft.snippets = [Extracted(s.text, s.title, method="aggregator-snippet") for s in page.snippets]
        return draft
    cleaned = assemble(lines, take_title=True)
    published = date_from_text([x.text for x in lines if x.label != "blank"], cleaned.captions)
    return _Draft(source, Extracted(cleaned.text, cleaned.title, published=published,
                                    published_from="text" if published else None, authors=cleaned.authors,
                                    url=url, method="text", removed=cleaned.removed),
                  captions=cleaned.captions, warnings=warnings)


def _limited(extracted: Extracted, options: Options, source: str, warnings: list[str]) -> Extracted:
    extracted.text, warning = limit_text(extracted.text, options, source)
    warnings += [warning] if warning else []
    return extracted


def _from_html(source: str, page: str, url: str | None, options: Options) -> _Draft:
    from .html import extract_html

    warnings: list[str] = []
    extracted = _limited(extract_html(page, url=url, source=source), options, source, warnings)
    # Extractors keep some furniture (share lines, promos): the same line rules apply to their text.
    lines = classify(extracted.text.split("\n"), positional=False)
    cleaned = assemble(lines, take_title=False)
    extracted.removed = extracted.removed + cleaned.removed
    extracted.text = cleaned.text
    if not extracted.published:
        published = date_from_text([x.text for x in lines if x.label != "blank"], cleaned.captions)
        if published:
            extracted.published, extracted.published_from = published, "text"
    return _Draft(source, extracted, captions=cleaned.captions, warnings=warnings)


def _from_record(record: Record, options: Options) -> _Draft:
    warnings: list[str] = []
    if record.html and not (record.text or "").strip():
        from .html import extract_html

        extracted = _limited(extract_html(record.html, url=record.url, source=record.source), options,
                             record.source, warnings)
        draft = _Draft(record.source, extracted)
    else:
        text, warning = limit_text(record.text or "", options, record.source)
        warnings += [warning] if warning else []
        text = normalize_text(text)
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
    draft.warnings = warnings
    return draft


def _units(spec: str, options: Options, stdin: BinaryIO | None = None, depth: int = 0) -> Iterator[_Unit]:
    """The units one input stands for (one per payload, and one per feed item); errors become problems."""
    try:
        for payload in payloads_for(spec, options, stdin=stdin):
            if isinstance(payload, InputError):  # a bad file inside a folder: the folder's other files go on
                yield _Unit(spec, problems=[payload])
                continue
            yield from _payload_units(spec, payload, options, depth)
    except NewsprismError as exc:
        yield _Unit(spec, problems=[exc])


def _payload_units(spec: str, payload: Payload, options: Options, depth: int) -> Iterator[_Unit]:
    if payload.kind == "feed":
        yield from _feed_units(spec, payload, options, depth)
        return
    if payload.kind == "urls":
        if depth > 0:
            yield _Unit(spec, problems=[InputError("is a list of addresses inside another input, not an article",
                                                   source=payload.source, hint="name the list itself")])
            return
        for url in url_list(payload.data) or []:
            yield from _units(url, options, depth=depth + 1)
        return
    unit = _Unit(spec)
    try:
        text, warning = decode(payload.data, payload.source, payload.charset, html=payload.kind == "html")
        if warning:
            unit.warnings.append(warning)
        if payload.kind == "html":
            draft = _from_html(payload.source, text, payload.url, options)
            draft.fallback_published = payload.published
            unit.drafts.append(draft)
        elif payload.kind == "jsonl":
            for item in iter_records(text, payload.source, options.max_bytes):
                if isinstance(item, InputError):
                    unit.problems.append(item)
                    continue
                try:
                    unit.drafts.append(_from_record(item, options))
                except InputError as exc:
                    unit.problems.append(exc)
        else:
            unit.drafts.append(_from_text(payload.source, text, payload.url, options))
    except NewsprismError as exc:
        unit.problems.append(exc)
    unit.drafts = [d for d in unit.drafts if _has_text(d, unit)]
    yield unit


def _feed_units(spec: str, payload: Payload, options: Options, depth: int) -> Iterator[_Unit]:
    """One unit per item: from the feed when it carries the item's text, else from the item's page."""
    if depth >= MAX_DEPTH:
        yield _Unit(spec, problems=[InputError("is a feed where an article page was expected", source=payload.source,
                                               hint="give the feed itself, not a feed's item")])
        return
    warnings: list[str] = []
    try:
        items = parse_feed(payload.data, payload.source, warnings)
    except NewsprismError as exc:
        yield _Unit(spec, problems=[exc], warnings=warnings)
        return
    if warnings:
        yield _Unit(spec, warnings=warnings)
    for number, item in enumerate(items, start=1):
        where = f"{payload.source}#item-{number}"
        if has_full_text(item):
            yield _item_unit(spec, where, item, options)
        elif item.link and is_url(item.link):
            for unit in _units(item.link, options, depth=depth + 1):
                for draft in unit.drafts:
                    draft.fallback_title, draft.fallback_published = item.title, item.published
                yield unit
        else:
            yield _Unit(spec, problems=[InputError("the item has neither a link nor its text", source=where,
                                                   hint="the item was skipped")])


def _item_unit(spec: str, where: str, item: FeedItem, options: Options) -> _Unit:
    """An item that carries its full text, read from the feed."""
    record = Record(source=where, id=None, title=item.title, text=None, html=item.html, url=item.link,
                    published=item.published, outlet=None, authors=[])
    unit = _Unit(spec)
    try:
        unit.drafts = [d for d in [_from_record(record, options)] if _has_text(d, unit)]
    except NewsprismError as exc:
        unit.problems.append(exc)
    return unit


def read_item(where: str, item: FeedItem, options: Options, registry: "OutletRegistry") -> LoadResult:
    """A feed item that carries its full text (``has_full_text``), read into an article without fetching."""
    return next(_results([_item_unit(where, where, item, options)], registry))


def read_page(spec: str, fetched: "Fetched", options: Options, registry: "OutletRegistry", *,
              item: FeedItem | None = None) -> LoadResult:
    """A page already fetched (the watcher fetches politely itself) read into articles, as ``ingest`` reads a URL.

    With ``item``, what the feed said of the page (title, date) fills in what the page does not say. A page that
    is itself a feed or a list of addresses is refused: a feed's item must be an article.
    """
    units: list[_Unit] = []
    try:
        units = list(_payload_units(spec, fetched_payload(spec, fetched), options, depth=MAX_DEPTH))
    except NewsprismError as exc:
        units = [_Unit(spec, problems=[exc])]
    if item is not None:
        for unit in units:
            for draft in unit.drafts:
                draft.fallback_title, draft.fallback_published = item.title, item.published
    merged = _Unit(spec, [d for u in units for d in u.drafts], [p for u in units for p in u.problems],
                   [w for u in units for w in u.warnings])
    return next(_results([merged], registry))


def read_payload(payload: Payload, options: Options, registry: "OutletRegistry") -> LoadResult:
    """One payload (bytes already read: a file's, a web archive record's) into articles, as every command reads
    it; a feed or a list of addresses among them is refused (nothing is fetched)."""
    units: list[_Unit] = []
    try:
        units = list(_payload_units(payload.source, payload, options, depth=MAX_DEPTH))
    except NewsprismError as exc:
        units = [_Unit(payload.source, problems=[exc])]
    merged = _Unit(payload.source, [d for u in units for d in u.drafts], [p for u in units for p in u.problems],
                   [w for u in units for w in u.warnings])
    return next(_results([merged], registry))


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


def _finish(drafts: list[_Draft], registry: "OutletRegistry", result: LoadResult) -> list[Article]:
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
        if not published and normalise_date(draft.fallback_published):
            published, published_from = normalise_date(draft.fallback_published), "record"
        wanted = article_id(draft.record_id, ex.url, ex.text)
        given = unique(wanted)
        if draft.record_id and given != wanted:
            result.renamed[given] = wanted
            result.warnings.append(rename_warning(draft.source, wanted, given))
        article = Article(
            id=given,
            source=draft.source,
            kind=draft.kind,  # type: ignore[arg-type]
            outlet=_outlet(draft, ex, registry),
            title=ex.title or draft.fallback_title,
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


def rename_warning(source: str, wanted: str, given: str) -> str:
    return (f"warning: {source}: the id '{wanted}' repeats an earlier record's; this one is '{given}' — give every "
            "record its own id")


def registry_for(options: Options) -> "OutletRegistry":
    """The outlet registry for these options: the shipped lists, plus the --outlets files when given."""
    from ..outlets import OutletRegistry, default_registry

    return OutletRegistry.load(options.outlet_files) if options.outlet_files else default_registry()


def load_articles(
    inputs: Iterable[str],
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
    on_input: Callable[[str], None] | None = None,
) -> LoadResult:
    """Read every input into clean articles, as one batch (ids unique and copies found across all of it). Problems
    are collected, not raised.

    ``on_input`` is called with each input's name before it is read (for progress display).
    """
    options = options or Options()
    result = LoadResult()
    drafts: list[_Draft] = []
    for spec in inputs:
        result.inputs += 1
        if on_input:
            on_input(spec)
        before = len(drafts)
        for unit in _units(spec, options, stdin):
            drafts.extend(unit.drafts)
            result.problems.extend(unit.problems)
            result.warnings.extend(unit.warnings)
        if len(drafts) == before:
            result.failed_inputs += 1
    result.articles = _finish(drafts, registry_for(options), result)
    return result


def stream_articles(
    inputs: Iterable[str],
    options: Options | None = None,
    *,
    stdin: BinaryIO | None = None,
) -> Iterator[tuple[str, LoadResult]]:
    """(input, result) as soon as each input — or each item of a feed — is read, so a caller can keep each article
    before the next page is fetched. Ids are unique and copies found within one result."""
    options = options or Options()
    registry = registry_for(options)
    for spec in inputs:
        for result in _results(_units(spec, options, stdin), registry):
            yield spec, result


def stream_bytes(name: str, data: bytes, options: Options | None = None) -> Iterator[LoadResult]:
    """Like ``stream_articles``, for bytes a caller already holds (an uploaded file, a request body) and names
    ``name`` in the articles' sources. The kind comes from the name's extension, else from the bytes; a list of
    addresses among them is read as text, never fetched (a caller that wants URLs read gives them as inputs)."""
    options = options or Options()
    yield from _results(_byte_units(name, data, options), registry_for(options))


def _byte_units(name: str, data: bytes, options: Options) -> Iterator[_Unit]:
    try:
        if data[:2] == b"\x1f\x8b":
            data = gunzip_limited(data, options.max_bytes, name)
        kind = resniff(kind_for_name(name) or sniff_kind(data), data, lists=False)
        yield from _payload_units(name, Payload(name, "text" if kind == "urls" else kind, data), options, depth=0)
    except NewsprismError as exc:
        yield _Unit(name, problems=[exc])


def _results(units: Iterable[_Unit], registry: "OutletRegistry") -> Iterator[LoadResult]:
    """One result per unit as soon as it is read: ids settled, outlets found and copies marked within it."""
    for unit in units:
        result = LoadResult(problems=unit.problems, warnings=unit.warnings)
        result.articles = _finish(unit.drafts, registry, result)
        yield result


def _has_text(draft: _Draft, unit: _Unit) -> bool:
    unit.warnings.extend(draft.warnings)
    if draft.extracted.text.strip() or draft.snippets:
        return True
    unit.problems.append(InputError(
        "nothing left after removing page furniture", source=draft.source,
        hint="check that the file holds the article text itself (see 'removed' with newsprism extract)",
    ))
    return False
