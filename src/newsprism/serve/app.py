"""The ASGI application: its shared state, the middleware every request passes, and the routes.

Requests are answered by plain functions (``api.py`` for JSON, ``pages.py`` for HTML) that read from a store
connection of their own thread (SQLite in WAL mode: readers are never blocked by the writer). Writes — ingest
jobs and analyses — run in the one worker process (``worker.Worker``); the ``Analyst`` thread keeps every story's
analysis current.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from ..errors import InputError, NewsprismError
from ..options import OptionError, Options
from ..store import Store, open_store
from .catalog import Catalog
from .security import HEADERS, Metrics, RateLimit
from .settings import ServeSettings
from .worker import Analyst, EventHub, FeedWatcher, Ingester, Worker, log_internal

log = logging.getLogger("newsprism.serve")
CACHE_ENTRIES = 128


class ApiError(Exception):
    """A request we cannot answer as asked: its status, what is wrong and what to do."""

    def __init__(self, status: int, message: str, hint: str | None = None, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.hint, self.headers = status, message, hint, headers or {}


class State:
    """Everything the handlers share: settings, the store connections, the catalog and the background workers."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings
        self.options = Options(allow_private=settings.allow_private, embedder=settings.embedder,
                               outlet_files=tuple(Path(p) for p in settings.outlet_files))
        self._local = threading.local()
        self._readers: list[Store] = []
        self._readers_lock = threading.Lock()
        self.catalog = Catalog(open_store(settings.db))
        self.hub = EventHub()
        self.metrics = Metrics()
        self.rate = RateLimit(settings.writes_per_minute)
        self.worker = Worker()
        self.analyst = Analyst(settings.db, self.options, self.hub, self.worker,
                               order=lambda: [e.id for e in self.catalog.current().stories])
        self.ingester = Ingester(settings.db, self.options, self.hub, self.worker, after=self._after_ingest)
        self.watcher = FeedWatcher(settings.db, self.options, self.hub, after=self._after_ingest,
                                   policy=settings.watch_policy, quiet=settings.quiet) if settings.watch else None
        self.cache: OrderedDict = OrderedDict()
        self.rating_source: dict[str, str | None] = {}
        self.cache_lock = threading.Lock()
        self._registry = None

    @property
    def registry(self):
        """The outlet registry: the shipped lists and the server's --outlets files."""
        if self._registry is None:
            from ..ingest.load import registry_for

            self._registry = registry_for(self.options)
        return self._registry

    def reader(self) -> Store:
        """This thread's own read connection."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = open_store(self.settings.db)
            with self._readers_lock:
                self._readers.append(store)
        return store

    def _after_ingest(self, stories: list[str]) -> None:
        self.catalog.refresh()
        if self.settings.analyse:
            self.analyst.wake(stories)

    def cached(self, key, make):
        """Rendered pages and parsed reports, keyed by what they were made from; the least recently used of more
        than ``CACHE_ENTRIES`` are dropped."""
        with self.cache_lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                return self.cache[key]
        value = make()
        with self.cache_lock:
            self.cache[key] = value
            while len(self.cache) > CACHE_ENTRIES:
                self.cache.popitem(last=False)
        return value

    def close(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
        self.analyst.stop()
        self.worker.close()
        for store in [self.catalog.store, *self._readers]:
            try:
                store.close()
            except NewsprismError:
                pass


class _TooLarge(Exception):
    """A request body grew past ``--max-body``."""


class Guard:
    """The first thing every request meets: security headers on every response, timing for /metrics, and the
    last line of defence — an error no handler caught becomes a 500 with one plain sentence, never a traceback."""

    def __init__(self, app, state: State) -> None:
        self.app, self.state = app, state

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500, "sent": False}
        limit, received = self.state.settings.max_body, {"bytes": 0}

        async def receive_limited():
            # Every body is counted as it arrives, whatever Content-Length said (or did not say): a request past
            # the limit ends in a 413 before its bytes pile up, uploads included.
            message = await receive()
            if message["type"] == "http.request":
                received["bytes"] += len(message.get("body", b""))
                if received["bytes"] > limit:
                    raise _TooLarge()
            return message

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["sent"] = message["status"], True
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in names]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive_limited, send_with_headers)
        except _TooLarge:
            if not status["sent"]:
                response = error_response(scope.get("path", ""), 413, f"the body is over this server's limit of "
                                          f"{limit:,} bytes", "send less at a time (the limit is --max-body)")
                await response(scope, receive, send_with_headers)
        except Exception as exc:
            log_internal(f"{scope.get('method')} {scope.get('path')}", exc)
            if not status["sent"]:
                response = error_response(scope.get("path", ""), 500, "internal error: the request could not "
                                          "be answered", "try again; if it keeps failing, report it with the "
                                          "server's log")
                await response(scope, receive, send_with_headers)
        finally:
            route = scope.get("route")
            label = getattr(route, "path", None) or ("/static" if scope.get("path", "").startswith("/static/")
                                                     else "unmatched")
            self.state.metrics.observe(label, scope.get("method", ""), status["code"],
                                       time.perf_counter() - started)


def error_response(path: str, status: int, message: str, hint: str | None = None,
                   headers: dict | None = None) -> Response:
    if path.startswith("/api/") or path in ("/openapi.json", "/healthz", "/metrics"):
        body = {"ok": False, "error": message, "status": status}
        if hint:
            body["hint"] = hint
        return JSONResponse(body, status_code=status, headers=headers)
    from .pages import error_page

    return error_page(status, message, hint, headers)


def _handlers():
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request.url.path, exc.status, exc.message, exc.hint, exc.headers)

    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = {404: "not found", 405: "method not allowed"}.get(exc.status_code, exc.detail or "error")
        hint = {404: "check the address; the story feed is at /", 405: "see /docs for what each address accepts"}
        return error_response(request.url.path, exc.status_code, message, hint.get(exc.status_code))

    async def input_error(request: Request, exc: NewsprismError) -> Response:
        return error_response(request.url.path, 422 if isinstance(exc, InputError) else 503, exc.message,
                              getattr(exc, "hint", None))

    async def option_error(request: Request, exc: OptionError) -> Response:
        return error_response(request.url.path, 400, str(exc), "see /docs for the parameters")

    return {ApiError: api_error, HTTPException: http_error, NewsprismError: input_error, OptionError: option_error}


def create_app(settings: ServeSettings) -> Starlette:
    """The application over the store ``settings.db`` (created and migrated if needed)."""
    from . import api, pages

    state = State(settings)

    @asynccontextmanager
    async def lifespan(app):
        if settings.analyse:
            state.analyst.start()
        if state.watcher is not None:
            state.watcher.start()
        try:
            yield
        finally:
            state.close()

    static = StaticFiles(directory=str(resources.files(__package__).joinpath("static")))
    routes = api.routes() + pages.routes() + [Mount("/static", app=static, name="static")]
    app = Starlette(routes=routes, exception_handlers=_handlers(), lifespan=lifespan)
    app.state.serve = state
    app.add_middleware(Guard, state=state)
    return app


def run(settings: ServeSettings, *, log_level: str = "info") -> None:
    """Serve until interrupted (Ctrl-C stops cleanly: requests in flight finish, the store is closed)."""
    import uvicorn

    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=log_level, access_log=False,
                server_header=False, proxy_headers=False, timeout_graceful_shutdown=5,
                limit_concurrency=int(os.environ.get("NEWSPRISM_MAX_CONNECTIONS", "200")))


__all__ = ["ApiError", "State", "create_app", "error_response", "run"]
