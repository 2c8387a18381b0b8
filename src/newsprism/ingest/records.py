"""JSON Lines input: one article record per line, ``{"id","title","text","url","published","outlet"}``.

Only ``text`` is required. A bad line is reported with its line number and skipped; the other lines are read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError

FIELDS = ("id", "title", "text", "url", "published", "outlet", "authors", "html")


@dataclass
class Record:
    source: str
    """``<file>#<line number>``."""
    id: str | None
    title: str | None
    text: str | None
    html: str | None
    url: str | None
    published: str | None
    outlet: str | None
    authors: list[str]


def _str_field(obj: dict, name: str, where: str, max_chars: int) -> str | None:
    value = obj.get(name)
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "id":
        return str(value)
    if not isinstance(value, str):
        raise InputError(f"field '{name}' should be a string, not {type(value).__name__}", source=where,
                         hint="fix the record")
    if len(value) > max_chars:
        raise InputError(f"field '{name}' is {len(value):,} characters, over the limit of {max_chars:,}",
                         source=where, hint="split the record, or raise the limit with --max-bytes")
    return value


def iter_records(text: str, source: str, max_chars: int) -> Iterator[Record | InputError]:
    """Each line's record, or the ``InputError`` that says why that line cannot be used."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}#{number}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield InputError(f"line {number} is not valid JSON ({exc.msg})", source=source,
                             hint="fix or remove that line; the other lines were read")
            continue
        if not isinstance(obj, dict):
            yield InputError(f"line {number} is not a JSON object", source=source,
                             hint='each line should be an object like {"title": …, "text": …}')
            continue
        try:
            text_value = _str_field(obj, "text", where, max_chars)
            html_value = _str_field(obj, "html", where, max_chars)
            if not (text_value or "").strip() and not (html_value or "").strip():
                raise InputError("record has no 'text'", source=where, hint="every record needs its article text")
            authors = obj.get("authors") or []
            if isinstance(authors, str):
                authors = [a.strip() for a in authors.replace(";", ",").split(",") if a.strip()]
            if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
                raise InputError("field 'authors' should be a list of names", source=where, hint="fix the record")
            outlet = obj.get("outlet")
            if isinstance(outlet, dict):  # an outlet object as newsprism itself writes it
                outlet = outlet.get("name")
            yield Record(
                source=where,
                id=_str_field(obj, "id", where, 1000),
                title=_str_field(obj, "title", where, 10_000),
                text=text_value,
                html=html_value,
                url=_str_field(obj, "url", where, 10_000),
                published=_str_field(obj, "published", where, 100),
                outlet=outlet if isinstance(outlet, str) else None,
                authors=authors,
            )
        except InputError as exc:
            yield exc
