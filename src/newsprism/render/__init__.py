"""Rendering one report object into the formats a person reads: JSON, and a plain terminal view."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import Report
from .text import render_text

FORMATS = {".json": "json", ".txt": "text", ".text": "text"}


def format_for(path: str | None, explicit: str | None) -> str:
    """The output format: ``--format`` when given, else from the file extension, else the terminal view."""
    if explicit:
        return explicit
    if path is None or path == "-":
        return "text"
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"cannot tell the output format from '{suffix or 'no extension'}'", source=path,
                         hint="use .json or .txt, or pass --format json|text")
    return FORMATS[suffix]


def render(report: Report, fmt: str, *, width: int = 100, color: bool = False) -> str:
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "text":
        return render_text(report, width=width, color=color)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "format_for", "render", "render_text"]
