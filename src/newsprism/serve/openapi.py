"""The API's OpenAPI 3.1 document (``/openapi.json``) and the table the ``/docs`` page is drawn from."""

from __future__ import annotations

from .._version import __version__

_P = {
    "since": ("An age (12h, 2d, 1w) or a date (YYYY-MM-DD): only stories with an article published or stored since.",
              "string", "2d"),
    "min_outlets": ("Only stories covered by at least this many outlets.", "integer", "3"),
    "lean": ("Only stories covered by an outlet of this lean: left, lean_left, center, lean_right, right.", "string",
             "center"),
    "country": ("Only stories covered by an outlet of this country (ISO 3166-1 alpha-2).", "string", "GB"),
    "outlet": ("Only stories covered by this outlet (its name or key).", "string", "reuters"),
    "one_side": ("Only stories whose rated outlets lean one way (blindspots): 1.", "string", "1"),
    "q": ("Words that must all appear (in a title, a paragraph or a fact).", "string", "ceasefire"),
    "limit": ("Items per page.", "integer", "50"),
    "cursor": ("The cursor of the previous page's reply (its next link carries it).", "string", ""),
    "format": ("json (the report, newsprism.report/1), md or html.", "string", "json"),
}

ENDPOINTS = [
    ("get", "/api/stories", "Stories, newest first", ["since", "min_outlets", "lean", "country", "outlet", "one_side",
                                                     "q", "limit", "cursor"], "200 {ok, stories, next, cursor}"),
    ("get", "/api/stories/{id}", "A story's report (503 while its first analysis is being made)", ["format"],
     "200 the report; header X-Newsprism-Analysis: current or outdated"),
    ("get", "/api/articles/{id}", "One article as stored: clean text, outlet, removed page furniture", [],
     "200 {ok, article, story}"),
    ("get", "/api/outlets", "The outlets in the store", [], "200 {ok, outlets}"),
    ("get", "/api/outlets/{key}", "One outlet: registry entry, stories, corroborated share, single-source facts, "
     "conflicts", [], "200 {ok, outlet}"),
    ("get", "/api/search", "Full-text search over titles, paragraphs and facts", ["q", "limit", "cursor"],
     "200 {ok, results: [{kind, story, article, fact, text, start, end, link}], next}"),
    ("post", "/api/articles", "Ingest article records (a JSON array; only text is required) or {\"urls\": [...]}; "
     "clusters them into stories (needs the token)", [], "201 {ok, articles, stories, added, updated, unchanged}"),
    ("post", "/api/analyze", "Analyse article records as one story without storing them (needs the token)", [],
     "200 the report"),
    ("get", "/api/events", "Server-sent events: story (created or updated) and analysed", [], "text/event-stream"),
    ("get", "/healthz", "Liveness and store size", [], "200 {ok, articles, stories}"),
    ("get", "/metrics", "Prometheus metrics: requests, latency, store size, ingest", [], "text/plain"),
]


def document() -> dict:
    paths: dict = {}
    for method, path, summary, params, returns in ENDPOINTS:
        operation: dict = {"summary": summary, "responses": {returns.split(" ", 1)[0] if returns[0].isdigit() else
                                                             "200": {"description": returns}}}
        parameters = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}] \
            if "{id}" in path else [{"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}] \
            if "{key}" in path else []
        for name in params:
            text, kind, example = _P[name]
            parameters.append({"name": name, "in": "query", "required": False, "description": text,
                               "schema": {"type": kind}, **({"example": example} if example else {})})
        if parameters:
            operation["parameters"] = parameters
        if method == "post":
            operation["security"] = [{"token": []}]
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
                "oneOf": [{"type": "array", "items": {"$ref": "#/components/schemas/ArticleRecord"}},
                          {"type": "object", "properties": {"urls": {"type": "array", "items": {"type": "string"}}}}]
                if path == "/api/articles" else
                {"type": "array", "items": {"$ref": "#/components/schemas/ArticleRecord"}}}}}}
            operation["responses"].update({"401": {"description": "no token"}, "413": {"description": "too large"},
                                           "422": {"description": "bad records"},
                                           "429": {"description": "rate limited"}})
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "newsprism", "version": __version__,
                 "description": "Stories across outlets: facts, conflicts, quotes, framing and coverage. Errors are "
                                "{\"ok\": false, \"error\": …, \"hint\": …} with the HTTP status."},
        "paths": paths,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {"ArticleRecord": {"type": "object", "required": ["text"], "properties": {
                k: {"type": "string"} for k in ("id", "title", "text", "url", "published", "outlet")}}},
        },
    }
