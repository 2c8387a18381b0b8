"""The HTML pages: server-rendered, usable without JavaScript (the script only opens citations and announces new
stories), every value escaped by Jinja2's autoescape, styles and scripts from this server only (see security.py).
"""

from __future__ import annotations

import hmac
import re
from functools import lru_cache
from importlib import resources
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..render.view import LEAN_LABELS, clean, safe_url
from .api import (_error, _state, check_write, hit_json, int_param, outlet_json, parsed_report, reply_bytes,
                  report_digest, search_page, search_words, story_analysis, story_filters)
from .app import ApiError
from .catalog import LEANS, outlet_key, outlet_record
from .openapi import ENDPOINTS
from .security import SESSION_COOKIE, SESSION_SECONDS, make_session, signed_in

LEAN_COLOURS = {"left": "#2f5f98", "lean_left": "#86a9d4", "center": "#9a8fb0", "lean_right": "#dc9a92",
                "right": "#b03a30", "unknown": "#c9c9c9"}


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=ChoiceLoader([PackageLoader("newsprism.serve", "templates"),
                                           PackageLoader("newsprism.render", "templates")]),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["clean"] = clean
    env.globals.update(lean_labels=LEAN_LABELS, lean_colours=LEAN_COLOURS, leans=LEANS, outlet_key=outlet_key,
                       safe_url=safe_url)
    return env


def _base(request: Request) -> dict:
    settings = _state(request).settings
    return {"signed_in": signed_in(request, settings.token, settings.session_key), "writable": bool(settings.token),
            "q": request.query_params.get("q", "") if request.url.path == "/search" else "", "path": request.url.path}


def page(request: Request, template: str, status: int = 200, cache: str = "private, max-age=5",
         cache_key: tuple | None = None, lazy=None, **context) -> Response:
    """A rendered page; with ``cache_key`` (what the page was made from), rendered once and kept. ``lazy()`` gives
    the rest of the context, made only when the page is rendered."""
    base = _base(request)

    def render() -> bytes:
        more = lazy() if lazy else {}
        return environment().get_template(template).render(**base, **context, **more).encode("utf-8")

    body = _state(request).cached(("page", base["signed_in"], *cache_key), render) if cache_key else render()
    return reply_bytes(request, body, "text/html; charset=utf-8", status=status, cache=cache,
                       headers={"Vary": "Cookie"})


def error_page(status: int, message: str, hint: str | None, headers: dict | None = None) -> Response:
    html = environment().get_template("error.html.j2").render(
        signed_in=False, writable=False, q="", path="", status=status, message=message, hint=hint)
    return HTMLResponse(html, status_code=status, headers=headers)


def lean_stack(leans: dict[str, int]) -> list[dict]:
    total = sum(leans.values())
    stack, x = [], 0.0
    for key in (*LEANS, "unknown"):
        n = leans.get(key, 0)
        if n and total:
            width = 100 * n / total
            stack.append({"key": key, "label": LEAN_LABELS.get(key, key), "count": n, "x": round(x, 3),
                          "width": round(width, 3), "colour": LEAN_COLOURS[key]})
            x += width
    return stack


# -- the feeds ------------------------------------------------------------------------------------------------------

def rating_sources(state, outlets: list[str]) -> list[str]:
    """Who published the lean ratings of these outlets (the registry's source column), for the lean bar."""
    found = set()
    for name in outlets:
        if name not in state.rating_source:
            known = state.registry.by_name(name)
            state.rating_source[name] = known.rating_source if known and known.lean else None
        if state.rating_source[name]:
            found.add(state.rating_source[name])
    return sorted(found)


def _feed(request: Request, one_side: bool) -> Response:
    state = _state(request)
    limit = int_param(request, "limit", state.settings.page_size, 1, 200)
    filters = story_filters(request, one_side=one_side)
    snapshot = state.catalog.current()
    entries, cursor = snapshot.page(filters, limit, request.query_params.get("cursor"))
    more = None
    if cursor:
        params = {k: v for k, v in request.query_params.items() if k != "cursor"}
        more = request.url.path + "?" + urlencode({**params, "cursor": cursor})
    return page(request, "feed.html.j2", stories=[(e, lean_stack(e.leans), rating_sources(state, e.outlets))
                                                  for e in entries], more=more,
                blindspots=one_side, params=request.query_params, total=len(snapshot.stories),
                countries=snapshot.countries, first=not request.query_params.get("cursor"))


def feed(request: Request) -> Response:
    return _feed(request, one_side=False)


def blindspots(request: Request) -> Response:
    return _feed(request, one_side=True)


# -- a story --------------------------------------------------------------------------------------------------------

def compare(report, a: str, b: str) -> dict:
    """What outlet ``a`` reports that ``b`` does not, the other way round, and what both report (facts)."""
    outlet_of = {x.id: (x.outlet.name if x.outlet else None) for x in report.articles}
    mine_a = {i for i, o in outlet_of.items() if o == a}
    mine_b = {i for i, o in outlet_of.items() if o == b}
    only_a, only_b, both = [], [], []
    for fact in report.facts:
        cited = set(fact.articles)
        in_a, in_b = bool(cited & mine_a), bool(cited & mine_b)
        if in_a and in_b:
            both.append(fact)
        elif in_a:
            only_a.append(fact)
        elif in_b:
            only_b.append(fact)
    return {"a": a, "b": b, "only_a": only_a, "only_b": only_b, "both": both}


def story(request: Request) -> Response:
    from ..render.html import section_context

    state = _state(request)
    story_id = request.path_params["id"]
    entry = state.catalog.current().by_id.get(story_id)
    try:
        _, report_json, digest, current = story_analysis(request, story_id)
    except ApiError as exc:
        if exc.status != 503 or entry is None:
            raise
        return page(request, "story.html.j2", entry=entry, stack=lean_stack(entry.leans), report=None,
                    status_note=exc.message, current=False, comparison=None, outlets=entry.outlets,
                    cache="no-store", refresh=True)
    a, b = request.query_params.get("a"), request.query_params.get("b")

    def context() -> dict:
        report = parsed_report(request, report_json, digest)
        outlets = sorted({x.outlet.name for x in report.articles if x.outlet})
        comparison = None
        if a or b:
            if a not in outlets or b not in outlets or a == b:
                raise _error(400, "compare needs two different outlets of this story", "pick them from the lists")
            comparison = compare(report, a, b)
        return dict(comparison=comparison, outlets=outlets, **section_context(report))

    return page(request, "story.html.j2", cache_key=("story", story_id, digest, current, a, b, entry is None),
                lazy=context, entry=entry, stack=lean_stack(entry.leans) if entry else [],
                status_note=None if current else "This analysis predates the story's newest articles; a new one is "
                "being made.", current=current, refresh=not current, story_id=story_id, a=a, b=b,
                article_links=True)


# -- an article -----------------------------------------------------------------------------------------------------

def highlight(text: str, spans: list[dict]) -> list[dict]:
    """The text as paragraphs of segments, each segment plain or one highlight (overlaps: the earlier one wins).

    >>> [[s["text"] for s in p["segments"]] for p in highlight("Ab cd.\\nEf.", [{"start": 3, "end": 5, "kind": "fact"}])]
    [['Ab ', 'cd', '.'], ['Ef.']]
    """
    chosen, end = [], -1
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        if span["start"] >= end and 0 <= span["start"] < span["end"] <= len(text):
            chosen.append(span)
            end = span["end"]
    paragraphs, start = [], 0
    for line in text.split("\n"):
        stop = start + len(line)
        segments, at = [], start
        for span in chosen:
            s, e = max(span["start"], start), min(span["end"], stop)
            if s >= e:
                continue
            if s > at:
                segments.append({"text": text[at:s], "span": None})
            segments.append({"text": text[s:e], "span": span})
            at = e
        if at < stop:
            segments.append({"text": text[at:stop], "span": None})
        if line.strip():
            paragraphs.append({"start": start, "segments": segments})
        start = stop + 1
    return paragraphs


def article(request: Request) -> Response:
    state = _state(request)
    article_id = request.path_params["id"]
    found = state.reader().articles([article_id])
    if not found:
        raise _error(404, f"no article with id '{article_id}'", "search for it from the box above")
    stored = found[0]
    spans: list[dict] = []
    report = None
    if stored.story:
        latest = state.reader().latest_analysis(stored.story)
        if latest:
            report = parsed_report(request, latest[1], report_digest(latest[1]))
    if report is not None:
        for fact in report.facts:
            for ev in fact.evidence:
                if ev.article == article_id and not ev.in_title:
                    spans.append({"start": ev.start, "end": ev.end, "kind": "fact",
                                  "href": f"/stories/{stored.story}#fact-{fact.id}",
                                  "title": f"fact carried by {len(set(fact.articles))} article(s)"})
        for quote in report.quotes:
            for v in quote.variants:
                if v.article == article_id and v.start is not None and v.end is not None:
                    spans.append({"start": v.start, "end": v.end, "kind": "quote", "href": None,
                                  "title": f"quote: {quote.speaker or 'unattributed'}"})
        text = stored.article.text
        for contrast in report.framing:
            terms = [t for t, ids in contrast.terms.items() if article_id in ids]
            for ev in contrast.evidence:
                if ev.article != article_id or ev.in_title:
                    continue
                for term in terms:  # the term itself, not the whole sentence it is in
                    found = re.search(re.escape(term), text[ev.start:ev.end], re.IGNORECASE)
                    if found:
                        spans.append({"start": ev.start + found.start(), "end": ev.start + found.end(),
                                      "kind": "framing", "href": None,
                                      "title": f"framing: {contrast.concept} — “{term}”"})
    # Quotes and framing terms are short: shown inside a fact's sentence, they win over it.
    spans.sort(key=lambda s: {"quote": 0, "framing": 1, "fact": 2}[s["kind"]])
    inner = [s for s in spans if s["kind"] != "fact"]
    facts = [s for s in spans if s["kind"] == "fact" and not any(s["start"] < i["end"] and i["start"] < s["end"]
                                                                  for i in inner)]
    paragraphs = highlight(stored.article.text, inner + facts)
    return page(request, "article.html.j2", article=stored.article, story=stored.story, paragraphs=paragraphs,
                counts={k: sum(s["kind"] == k for s in spans) for k in ("fact", "quote", "framing")},
                analysed=report is not None, url=safe_url(stored.article.url))


# -- outlets, search ------------------------------------------------------------------------------------------------

def outlets(request: Request) -> Response:
    registry = _state(request).registry
    return page(request, "outlets.html.j2", outlets=[outlet_json(o, registry)
                                                     for o in _state(request).catalog.current().ranked_outlets()])


def outlet(request: Request) -> Response:
    state = _state(request)
    snapshot = state.catalog.current()
    entry = snapshot.outlets.get(request.path_params["key"])
    if entry is None:
        raise _error(404, f"no outlet '{request.path_params['key']}' in this store", "see the list at /outlets")
    record = outlet_record(state.reader(), entry)
    stories = [snapshot.by_id[s] for s in record["story_ids"] if s in snapshot.by_id][:50]
    return page(request, "outlet.html.j2", outlet=outlet_json(entry, state.registry), record=record,
                stories=stories)


def search(request: Request) -> Response:
    q = request.query_params.get("q", "")
    words = search_words(q)
    results, more = [], None
    if words:
        hits, cursor = search_page(request, words, 20)
        snapshot = _state(request).catalog.current()
        results = [(hit_json(h), snapshot.by_id.get(h.story)) for h in hits]
        more = "/search?" + urlencode({"q": q, "cursor": cursor}) if cursor else None
    return page(request, "search.html.j2", results=results, more=more, words=words, query=q)


# -- signing in, ingest ---------------------------------------------------------------------------------------------

def _local(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


async def signin(request: Request) -> Response:
    state = _state(request)
    settings = state.settings
    if request.method == "GET":
        return page(request, "signin.html.j2", failed=False, next=_local(request.query_params.get("next")),
                    cache="no-store")
    from .security import cross_site

    if cross_site(request):
        raise _error(403, "a sign-in from another site is refused", "sign in from this server's own page")
    wait = state.rate.take(request.client.host if request.client else "unknown")
    if wait:
        raise _error(429, "too many attempts", f"wait {wait:.0f} s and try again", {"Retry-After": str(round(wait))})
    form = await request.form(max_files=0, max_fields=5, max_part_size=4096)
    token = str(form.get("token", ""))
    target = _local(str(form.get("next", "/")))
    if not settings.token or not hmac.compare_digest(token.encode("utf-8"), settings.token.encode("utf-8")):
        return page(request, "signin.html.j2", status=401, failed=True, next=target, cache="no-store")
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, make_session(settings.session_key), max_age=SESSION_SECONDS,
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


async def signout(request: Request) -> Response:
    from .security import cross_site

    if cross_site(request):
        raise _error(403, "a sign-out from another site is refused", "sign out from this server's own page")
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


async def ingest_page(request: Request) -> Response:
    state = _state(request)
    settings = state.settings
    if request.method == "GET":
        if not signed_in(request, settings.token, settings.session_key):
            return RedirectResponse("/signin?next=/ingest", status_code=303)
        jobs = list(state.ingester.jobs.values())[::-1][:10]
        return page(request, "ingest.html.j2", jobs=jobs, cache="no-store")
    check_write(request)
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > settings.max_body:
        raise _error(413, f"the upload is over this server's limit of {settings.max_body:,} bytes",
                     "upload fewer or smaller files at a time")
    form = await request.form(max_files=200, max_fields=10, max_part_size=settings.max_body)
    urls = [line.strip() for line in str(form.get("urls", "")).splitlines() if line.strip()]
    bad = [u for u in urls if not u.startswith(("http://", "https://"))]
    if bad:
        raise _error(422, f"not a web address: {bad[0][:200]}", "give one http(s) address a line")
    uploads = []
    for item in form.getlist("files"):
        if hasattr(item, "read") and item.filename:
            uploads.append((f"upload:{item.filename}", await item.read()))
    if not urls and not uploads:
        raise _error(422, "nothing to ingest", "paste addresses or choose files")
    job = state.ingester.new_job(urls + [name for name, _ in uploads])
    await run_in_threadpool(state.ingester.start, job, urls, uploads)
    return RedirectResponse(f"/ingest/{job.id}", status_code=303)


def ingest_job(request: Request) -> Response:
    state = _state(request)
    settings = state.settings
    if not signed_in(request, settings.token, settings.session_key):
        return RedirectResponse(f"/signin?next=/ingest/{request.path_params['id']}", status_code=303)
    job = state.ingester.jobs.get(request.path_params["id"])
    if job is None:
        raise _error(404, "no such ingest job (the server keeps its last 100)", "start one at /ingest")
    snapshot = state.catalog.current()
    return page(request, "job.html.j2", job=job, cache="no-store",
                stories=[snapshot.by_id[s] for s in job.stories if s in snapshot.by_id])


def docs(request: Request) -> Response:
    from .openapi import _P

    return page(request, "docs.html.j2", endpoints=ENDPOINTS, params=_P)


def static_report(request: Request) -> Response:
    """The report's own style and script, shared with the self-contained report (one copy in the package)."""
    name = request.path_params["name"]
    if name not in ("report.css", "report.js"):
        raise _error(404, "not found", "check the address")
    text = resources.files("newsprism.render").joinpath("templates", name).read_text(encoding="utf-8")
    media = "text/css" if name.endswith(".css") else "text/javascript"
    return reply_bytes(request, text.encode("utf-8"), f"{media}; charset=utf-8", cache="public, max-age=3600")


def favicon(request: Request) -> Response:
    icon = resources.files(__package__).joinpath("static", "favicon.svg").read_bytes()
    return reply_bytes(request, icon, "image/svg+xml", cache="public, max-age=86400")


def routes() -> list[Route]:
    return [
        Route("/favicon.ico", favicon),
        Route("/", feed),
        Route("/blindspots", blindspots),
        Route("/stories/{id}", story),
        Route("/articles/{id}", article),
        Route("/outlets", outlets),
        Route("/outlets/{key}", outlet),
        Route("/search", search),
        Route("/signin", signin, methods=["GET", "POST"]),
        Route("/signout", signout, methods=["POST"]),
        Route("/ingest", ingest_page, methods=["GET", "POST"]),
        Route("/ingest/{id}", ingest_job),
        Route("/docs", docs),
        Route("/static/report/{name}", static_report),
    ]


__all__ = ["compare", "environment", "error_page", "highlight", "routes"]
