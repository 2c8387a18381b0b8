"""The REST API: JSON in datasette's manner — an ``ok`` envelope, errors as ``{"ok": false, "error": …}`` with the
right status, cursor pagination with a ``Link: rel="next"`` header, ETag and a short Cache-Control on reads."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from ..errors import InputError
from .app import ApiError
from .catalog import LEANS, Filters, outlet_record, parse_since
from .security import bearer_ok, cross_site, signed_in

MAX_WORDS = 10
MAX_URLS = 100
RECORD_KEYS = {"id", "title", "text", "html", "url", "published", "outlet", "authors"}


def _state(request: Request):
    return request.app.state.serve


def _error(status: int, message: str, hint: str | None = None, headers: dict | None = None) -> ApiError:
    return ApiError(status, message, hint, headers)


# -- replies --------------------------------------------------------------------------------------------------------

def reply_bytes(request: Request, body: bytes, media_type: str, *, status: int = 200, headers: dict | None = None,
                cache: str = "max-age=5") -> Response:
    """A response with an ETag; a GET whose ``If-None-Match`` names it gets an empty 304."""
    headers = dict(headers or {})
    if request.method == "GET" and status == 200:
        etag = '"' + hashlib.sha1(body).hexdigest()[:24] + '"'
        headers.update({"ETag": etag, "Cache-Control": cache})
        if etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=headers)
    if _state(request).settings.cors and request.url.path.startswith("/api/") and request.method == "GET":
        headers["Access-Control-Allow-Origin"] = "*"
    return Response(body, status_code=status, media_type=media_type, headers=headers)


def reply(request: Request, data: dict, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return reply_bytes(request, body, "application/json", status=status, headers=headers)


def _next(request: Request, cursor: str | None) -> tuple[str | None, dict]:
    if not cursor:
        return None, {}
    url = str(request.url.include_query_params(cursor=cursor))
    return url, {"Link": f'<{url}>; rel="next"'}


# -- parameters -----------------------------------------------------------------------------------------------------

def int_param(request: Request, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _error(400, f"{name}={raw!r} is not a whole number", f"give {name} as a number from {low} to {high}")
    if not low <= value <= high:
        raise _error(400, f"{name}={value} is out of range", f"give {name} as a number from {low} to {high}")
    return value


def story_filters(request: Request, one_side: bool = False) -> Filters:
    q = request.query_params
    lean = q.get("lean") or None
    if lean and lean not in LEANS:
        raise _error(400, f"lean={lean!r} is not a lean", "give one of: " + ", ".join(LEANS))
    try:
        since = parse_since(q.get("since"))
    except InputError as exc:
        raise _error(400, f"since: {exc.message}", exc.hint)
    stories = None
    if q.get("q"):
        words = search_words(q["q"])
        hits = _state(request).reader().search(words, limit=1000)
        stories = frozenset(h.story for h in hits if h.story)
    return Filters(since=since, min_outlets=int_param(request, "min_outlets", None, 1, 10_000), lean=lean,
                   country=q.get("country") or None, outlet=q.get("outlet") or None,
                   one_side=one_side or q.get("one_side") in ("1", "true", "yes"), stories=stories)


def search_words(text: str) -> list[str]:
    """The words of a search box, as plain words (no query syntax), at most ``MAX_WORDS``.

    >>> search_words('Zelensky "NATO" OR-bid')
    ['Zelensky', 'NATO', 'OR', 'bid']
    """
    return re.findall(r"\w+", text)[:MAX_WORDS]


def search_page(request: Request, words: list[str], limit: int) -> tuple[list, str | None]:
    """One page of search hits after the request's ``cursor`` (an offset), and the cursor of the next page."""
    cursor = request.query_params.get("cursor")
    try:
        offset = int(base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")) if cursor else 0
    except ValueError:
        raise _error(400, "not a cursor this server made", "start again from the first page")
    hits = _state(request).reader().search(words, limit + 1, offset)
    following = base64.urlsafe_b64encode(str(offset + limit).encode()).decode() if len(hits) > limit else None
    return hits[:limit], following


# -- reads ----------------------------------------------------------------------------------------------------------

def list_stories(request: Request) -> Response:
    state = _state(request)
    limit = int_param(request, "limit", 50, 1, 500)
    filters = story_filters(request)
    try:
        entries, cursor = state.catalog.current().page(filters, limit, request.query_params.get("cursor"))
    except InputError as exc:
        raise _error(400, exc.message, exc.hint)
    url, headers = _next(request, cursor)
    return reply(request, {"ok": True, "stories": [e.as_json() for e in entries], "next": url, "cursor": cursor},
                 headers=headers)


def story_analysis(request: Request, story_id: str):
    """(entry, report JSON, its digest, current?) of a story, or the right error: 404 unknown, 503 not analysed
    yet. The digest names the report in the caches."""
    from ..nlp.embed import embedder_choice

    state = _state(request)
    entry = state.catalog.current().by_id.get(story_id)
    store = state.reader()
    if entry is None and not store.story_articles(story_id):
        raise _error(404, f"no story with id '{story_id}'", "list the stories at /api/stories")
    latest = store.latest_analysis(story_id)
    if latest is None:
        where = state.analyst.state(story_id) if state.settings.analyse else "off"
        raise _error(503, f"the story has not been analysed yet ({where})",
                     "try again in a few seconds" if where != "off" else
                     "this server does not analyse stories; run: newsprism show STORY_ID --db STORE",
                     {"Retry-After": "5"})
    members = f"{store.members_hash(story_id)}:{embedder_choice(state.options.embedder)}"
    return entry, latest[1], report_digest(latest[1]), latest[0] == members


def report_digest(report_json: str) -> str:
    return hashlib.sha1(report_json.encode("utf-8")).hexdigest()


def parsed_report(request: Request, report_json: str, digest: str):
    from ..models import Report

    return _state(request).cached(("report", digest), lambda: Report.model_validate_json(report_json))


def get_story(request: Request) -> Response:
    from ..render import render

    story_id = request.path_params["id"]
    fmt = request.query_params.get("format", "json")
    if fmt not in ("json", "md", "markdown", "html"):
        raise _error(400, f"format={fmt!r} is not a format", "give format=json, md or html")
    _, report_json, digest, current = story_analysis(request, story_id)
    headers = {"X-Newsprism-Analysis": "current" if current else "outdated"}
    if fmt == "json":
        return reply_bytes(request, report_json.encode("utf-8"), "application/json", headers=headers)
    report = parsed_report(request, report_json, digest)
    if fmt == "html":
        from ..render.html import content_security_policy, _script

        body = _state(request).cached(("html", digest), lambda: render(report, "html"))
        headers["Content-Security-Policy"] = content_security_policy(_script())
        return reply_bytes(request, body.encode("utf-8"), "text/html; charset=utf-8", headers=headers)
    body = render(report, "markdown")
    headers["Content-Disposition"] = f'inline; filename="story-{story_id}.md"'
    return reply_bytes(request, body.encode("utf-8"), "text/markdown; charset=utf-8", headers=headers)


def get_article(request: Request) -> Response:
    article_id = request.path_params["id"]
    found = _state(request).reader().articles([article_id])
    if not found:
        raise _error(404, f"no article with id '{article_id}'", "search for it at /api/search?q=…")
    stored = found[0]
    return reply(request, {"ok": True, "article": json.loads(stored.article.model_dump_json()),
                           "story": stored.story})


def outlet_json(entry, registry) -> dict:
    known = registry.by_name(entry.name)
    return {"key": entry.key, "name": entry.name, "lean": entry.lean, "country": entry.country,
            "ownership": entry.ownership, "owner": known.owner if known else None,
            "domain": known.domain if known else None, "rating_source": known.rating_source if known else None,
            "articles": entry.articles, "stories": len(entry.stories)}


def list_outlets(request: Request) -> Response:
    registry = _state(request).registry
    return reply(request, {"ok": True, "outlets": [outlet_json(o, registry)
                                                   for o in _state(request).catalog.current().ranked_outlets()]})


def get_outlet(request: Request) -> Response:
    state = _state(request)
    key = request.path_params["key"]
    entry = state.catalog.current().outlets.get(key)
    if entry is None:
        raise _error(404, f"no outlet '{key}' in this store", "list the outlets at /api/outlets")
    record = outlet_record(state.reader(), entry)
    return reply(request, {"ok": True, "outlet": {**outlet_json(entry, state.registry), **record}})


def search(request: Request) -> Response:
    q = request.query_params.get("q", "")
    words = search_words(q)
    if not words:
        raise _error(400, "nothing to search for", "give words to search for: /api/search?q=ceasefire")
    hits, cursor = search_page(request, words, int_param(request, "limit", 20, 1, 100))
    url, headers = _next(request, cursor)
    return reply(request, {"ok": True, "results": [hit_json(h) for h in hits], "next": url, "cursor": cursor},
                 headers=headers)


def hit_json(hit) -> dict:
    link = (f"/stories/{hit.story}#fact-{hit.fact}" if hit.kind == "fact" and hit.story
            else f"/articles/{hit.article}#at-{hit.start}")
    return {"kind": hit.kind, "story": hit.story, "article": hit.article, "fact": hit.fact, "text": hit.text,
            "start": hit.start, "end": hit.end, "link": link}


def healthz(request: Request) -> Response:
    state = _state(request)
    snapshot = state.catalog.current()
    return reply(request, {"ok": True, "store": state.settings.db, "schema_version": state.reader().schema_version(),
                           "articles": snapshot.articles, "stories": len(snapshot.stories),
                           "analyses_queued": state.analyst.queued()})


def metrics(request: Request) -> Response:
    state = _state(request)
    snapshot = state.catalog.current()
    text = state.metrics.text(
        {"newsprism_store_articles": ("Articles with a story in the store.", snapshot.articles),
         "newsprism_store_stories": ("Stories in the store.", len(snapshot.stories)),
         "newsprism_analyses_queued": ("Stories waiting for their analysis.", state.analyst.queued()),
         "newsprism_analyses_made": ("Analyses made since the server started.", state.analyst.done)},
        {"newsprism_ingested_articles_total": ("Articles ingested through this server.",
                                               dict(state.ingester.counts))})
    return Response(text, media_type="text/plain; version=0.0.4; charset=utf-8")


async def events(request: Request) -> Response:
    """Server-sent events: ``story`` (created or updated by an ingest) and ``analysed`` (a new analysis stored)."""
    hub = _state(request).hub
    raw = request.headers.get("last-event-id") or request.query_params.get("since")
    last = int(raw) if raw and raw.isdigit() else hub.last_id

    async def stream():
        nonlocal last
        yield "retry: 3000\n\n"
        quiet = 0.0
        while not await request.is_disconnected():
            for number, kind, data in hub.since(last):
                yield f"id: {number}\nevent: {kind}\ndata: {json.dumps(data)}\n\n"
                last, quiet = number, 0.0
            await asyncio.sleep(0.5)
            quiet += 0.5
            if quiet >= 15:
                yield ": still here\n\n"
                quiet = 0.0

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


# -- writes ---------------------------------------------------------------------------------------------------------

def check_write(request: Request) -> None:
    """403 from another site, 429 past the rate limit, 401 without the token: before anything is read or written."""
    state = _state(request)
    settings = state.settings
    if cross_site(request):
        raise _error(403, "a write from another site is refused", "send it from this server's own pages or a client")
    # The rate limit comes before the token check, so guessing the token is as slow as any other write.
    wait = state.rate.take(request.client.host if request.client else "unknown")
    if wait:
        raise _error(429, "too many writes from this client", f"wait {wait:.0f} s and try again",
                     {"Retry-After": str(max(1, round(wait)))})
    if not (bearer_ok(request, settings.token) or signed_in(request, settings.token, settings.session_key)):
        hint = ("send the server's token: Authorization: Bearer <token>" if settings.token else
                "this server was started without a token, so it takes no writes; start it with --token-file FILE")
        raise _error(401, "a write needs the token", hint, {"WWW-Authenticate": 'Bearer realm="newsprism"'})


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _error(413, f"the body is {int(declared):,} bytes, over this server's limit of {limit:,}",
                     "send fewer articles per request")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _error(413, f"the body is over this server's limit of {limit:,} bytes",
                         "send fewer articles per request")
        chunks.append(chunk)
    return b"".join(chunks)


async def _json_body(request: Request):
    data = await read_body(request, _state(request).settings.max_body)
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _error(400, f"the body is not JSON ({exc})", "send a JSON array of article records")


def records_jsonl(records) -> bytes:
    """Article records checked up front (422 naming the first bad one), as JSON Lines for the record reader."""
    if not isinstance(records, list) or not records:
        raise _error(422, "the body must be a non-empty JSON array of article records",
                     'send [{"text": "…", "title": "…", "url": "…", "outlet": "…", "published": "YYYY-MM-DD"}]')
    lines = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise _error(422, f"record {number} is not a JSON object", "send each article as an object")
        unknown = sorted(set(record) - RECORD_KEYS)
        if unknown:
            raise _error(422, f"record {number} has unknown fields: {', '.join(unknown)}",
                         "use only: " + ", ".join(sorted(RECORD_KEYS)))
        if not isinstance(record.get("text") or record.get("html"), str) or not (record.get("text") or
                                                                                 record.get("html")).strip():
            raise _error(422, f"record {number} has no text", 'give each record a non-empty "text"')
        lines.append(json.dumps(record, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


async def post_articles(request: Request) -> Response:
    check_write(request)
    state = _state(request)
    body = await _json_body(request)
    urls: list[str] = []
    uploads: list[tuple[str, bytes]] = []
    if isinstance(body, dict) and "urls" in body:
        urls = body["urls"]
        if (not isinstance(urls, list) or not urls or len(urls) > MAX_URLS
                or not all(isinstance(u, str) and re.match(r"https?://", u) for u in urls)):
            raise _error(422, f'"urls" must be a list of 1 to {MAX_URLS} http(s) addresses',
                         'send {"urls": ["https://example.com/news/1"]}')
    else:
        uploads = [("api-request.jsonl", records_jsonl(body))]
    job = state.ingester.new_job(urls or ["api-request.jsonl"])
    await run_in_threadpool(state.ingester.run, job, urls, uploads)
    if job.state == "failed" or not job.articles:
        raise _error(422, "no article could be stored: " + ("; ".join(job.problems[:5]) or "nothing was read"),
                     "fix the records or addresses named above and send them again")
    return reply(request, {"ok": True, "articles": list(dict.fromkeys(job.articles)), "stories": job.stories,
                           "added": job.added, "updated": job.updated, "unchanged": job.unchanged,
                           "problems": job.problems}, status=201 if job.added else 200)


async def post_analyze(request: Request) -> Response:
    check_write(request)
    state = _state(request)
    body = await _json_body(request)
    if isinstance(body, list) and len(body) > state.settings.max_analyze_records:
        raise _error(413, f"{len(body)} records; this server analyses at most {state.settings.max_analyze_records} "
                     "at once", "send one story's articles")
    data = records_jsonl(body)
    report = await run_in_threadpool(_analyze, data, state.options)
    return reply_bytes(request, report.to_json().encode("utf-8"), "application/json")


def _analyze(data: bytes, options):
    from ..api import analyze_articles
    from ..ingest import stream_bytes
    from ..models import InputProblem

    articles, problems = [], []
    for loaded in stream_bytes("api-request.jsonl", data, options):
        articles += loaded.articles
        problems += loaded.problems
    if not articles:
        raise _error(422, "no article could be read: " + "; ".join(p.line() for p in problems[:5]),
                     "fix the records named above")
    report = analyze_articles(articles, options=options)
    report.problems = [InputProblem(source=p.source or "", message=str(p)) for p in problems] + report.problems
    return report


def openapi(request: Request) -> Response:
    from .openapi import document

    return reply(request, document())


def routes() -> list[Route]:
    return [
        Route("/api/stories", list_stories),
        Route("/api/stories/{id}", get_story),
        Route("/api/articles", post_articles, methods=["POST"]),
        Route("/api/articles/{id}", get_article),
        Route("/api/outlets", list_outlets),
        Route("/api/outlets/{key}", get_outlet),
        Route("/api/search", search),
        Route("/api/analyze", post_analyze, methods=["POST"]),
        Route("/api/events", events),
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        Route("/openapi.json", openapi),
    ]
