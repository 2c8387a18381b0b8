"""newsprism: line up several news reports of one event.

Public API: :func:`analyze`, :func:`analyze_articles`, :func:`load_articles`, :class:`Options` and the report
models (:class:`Report`, :class:`Article`, …).
"""

from ._version import __version__
from .api import analyze, analyze_articles
from .errors import InputError, NewsprismError, TransientError
from .ingest import LoadResult, load_articles
from .models import Article, Outlet, Report
from .options import Options

__all__ = [
    "Article", "InputError", "LoadResult", "NewsprismError", "Options", "Outlet", "Report", "TransientError",
    "__version__", "analyze", "analyze_articles", "load_articles",
]
