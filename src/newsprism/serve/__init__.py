"""``newsprism serve``: the store as a web app (story feed, story, article, outlet and search pages) and a REST API.

``create_app(settings)`` builds the ASGI application; ``run(settings)`` serves it with uvicorn. Pages are rendered
on the server and work without JavaScript; reports are read from the store (a background analyst keeps them
current), so a page view never runs the analysis. See docs/serve.md.
"""

from __future__ import annotations

from .app import create_app, run
from .settings import ServeSettings

__all__ = ["ServeSettings", "create_app", "run"]
