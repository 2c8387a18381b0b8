"""Rendering one report object into the formats a person reads: JSON, the terminal view, Markdown and HTML.

Every format is drawn from the same ``Report``; ``view.py`` holds what they share (citation numbers, source names,
facts by agreement, quote word differences).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import Report
from .text import render_text

FORMATS = {".json": "json", ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
           ".html": "html", ".htm": "html"}


def format_for(path: str | None, explicit: str | None) -> str:
    """The output format: ``--format`` when given, else from the file extension, else the terminal view."""
    if explicit:
        return explicit
    if path is None or path == "-":
        return "text"
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"cannot tell the output format from '{suffix or 'no extension'}'", source=path,
                         hint="use .json, .txt, .md or .html, or pass --format json|text|markdown|html")
    return FORMATS[suffix]


def render(report: Report, fmt: str, *, width: int = 100, color: bool = False) -> str:
    """``report`` in format ``fmt`` (json, text, markdown or html); ``width`` and ``color`` apply to text."""
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "text":
        return render_text(report, width=width, color=color)
    if fmt == "markdown":
        from .markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        # Imported here so the terminal view does not pay for loading Jinja2.
        from .html import render_html

        return render_html(report)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "format_for", "render", "render_text"]
