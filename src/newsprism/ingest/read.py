"""Where the bytes come from: paths, folders, ``.gz`` files, standard input and URLs, each read within limits.

Everything here turns one input the user named into zero or more ``Payload`` objects (the bytes plus how to read
them), or raises an ``InputError`` that names the input and what to do. A URL is fetched once, here; what it
answers with (a page, a feed, text) decides its kind. Reading a payload into articles is ``load.py``'s job.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from ..errors import InputError
from ..options import MiB, Options
from .warc import is_warc

if TYPE_CHECKING:
    from .fetch import Fetched

PayloadKind = Literal["text", "html", "jsonl", "feed", "urls"]
"""``feed``: an RSS/Atom/RDF document; ``urls``: a list of addresses, one a line (a feed list)."""

# Suffixes read when walking a folder; anything else there is skipped (and counted) rather than guessed at.
TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
"""Read as feeds when named on the command line (a folder walk reads only the kinds above)."""
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES


@dataclass
class Payload:
    source: str
    """The input as the user gave it (path or URL)."""
    kind: PayloadKind
    data: bytes
    url: str | None = None
    charset: str | None = None
    published: str | None = None
    """A date the container gives the page (a web archive record's), used when the page gives none."""


def _mb(n: int) -> str:
    return f"{n / MiB:.0f} MB" if n >= MiB else f"{n / 1024:.0f} KB"


def kind_for_name(name: str) -> PayloadKind | None:
    """The kind of a file from its name (``.gz`` looks through to the inner suffix).

    >>> kind_for_name("a/page.HTML.gz"), kind_for_name("x.txt"), kind_for_name("notes.pdf")
    ('html', 'text', None)
    """
    path = Path(name.lower())
    suffix = path.suffix
    if suffix == ".gz":
        suffix = Path(path.stem).suffix
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in FEED_SUFFIXES:
        return "feed"
    return None


def sniff_kind(data: bytes) -> PayloadKind:
    """Guess the kind of unnamed bytes (standard input, a ``.txt`` that is really a saved page or a list of URLs).

    >>> sniff_kind(b'<?xml version="1.0"?><rss version="2.0">'), sniff_kind(b"https://a.example/rss\\n# mine\\n")
    ('feed', 'urls')
    """
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if looks_like_feed(data):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body", b"<article", b"<div", b"<p>")):
        return "html"
    if url_list(data) is not None:
        return "urls"
    if head.startswith(b"{"):
        first_line = data.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first_line), dict):
                return "jsonl"
        except ValueError:
            pass
    return "text"


def read_limited(stream: BinaryIO, limit: int, source: str) -> bytes:
    """Read at most ``limit`` bytes, failing (not truncating) when there is more."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            f"larger than the {_mb(limit)} limit", source=source,
            hint="split it into smaller files, or raise the limit with --max-bytes",
        )
    return data


def gunzip_limited(data: bytes, limit: int, source: str) -> bytes:
    """Decompress gzip data without ever holding more than ``limit`` bytes of output (a gzip bomb stops early)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as exc:
        raise InputError(f"not a valid gzip file ({exc})", source=source,
                         hint="check the file, or save it uncompressed") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise InputError(
            f"expands to more than the {_mb(limit)} limit when decompressed", source=source,
            hint="decompress and split it, or raise the limit with --max-bytes",
        )
    return out


def read_path(path: Path, options: Options, source: str | None = None) -> bytes:
    """The bytes of one file, decompressed when it ends in ``.gz``, checked against the size limit first."""
    source = source or str(path)
    try:
        size = path.stat().st_size
        if not path.name.lower().endswith(".gz") and size > options.max_bytes:
            raise InputError(
                f"file is {_mb(size)}, larger than the {_mb(options.max_bytes)} limit", source=source,
                hint="split it into smaller files, or raise the limit with --max-bytes",
            )
        with path.open("rb") as handle:
            raw = read_limited(handle, options.max_bytes, source)
    except PermissionError:
        raise InputError("permission denied", source=source, hint="check the file's permissions") from None
    except IsADirectoryError:
        raise InputError("is a directory", source=source, hint="name the files in it, or the folder itself") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=source,
                         hint="check the path and the disk") from None
    if path.name.lower().endswith(".gz") or raw[:2] == b"\x1f\x8b":
        if raw[:2] != b"\x1f\x8b":
            raise InputError("named .gz but not gzip-compressed", source=source,
                             hint="rename it without .gz") from None
        raw = gunzip_limited(raw, options.max_bytes, source)
    return raw


def walk_folder(folder: Path) -> tuple[list[Path], int]:
    """Files of known kinds under ``folder`` (sorted, symlinked folders not followed), and how many were skipped."""
    found: list[Path] = []
    skipped = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if kind_for_name(name) not in ("text", "html", "jsonl") and not is_warc(name):  # a feed would fetch
                skipped += 1
                continue
            found.append(Path(root) / name)
    return found, skipped


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def looks_like_feed(data: bytes) -> bool:
    """True for bytes that start an RSS, Atom or RDF document.

    >>> looks_like_feed(b'<?xml version="1.0"?><rss version="2.0">'), looks_like_feed(b"<html><body>")
    (True, False)
    """
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return False
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def url_list(data: bytes) -> list[str] | None:
    """The addresses of a list of URLs (one a line, '#' comments), or None when ``data`` is not such a list."""
    if len(data) > 1_000_000:
        return None
    lines = [line.strip() for line in data.decode("utf-8", errors="replace").splitlines()]
    urls = [line for line in lines if line and not line.startswith("#")]
    return urls if urls and all(is_url(u) and " " not in u for u in urls) else None


def fetched_payload(spec: str, fetched: "Fetched") -> Payload:
    """What a fetched address holds, by its bytes and its media type: a feed, a page or text."""
    kind: PayloadKind
    if looks_like_feed(fetched.body) or any(t in fetched.content_type for t in ("rss", "atom", "rdf")):
        kind = "feed"
    elif fetched.content_type in ("text/html", "application/xhtml+xml") or fetched.content_type.endswith("/xml"):
        kind = "html"
    elif fetched.content_type.startswith("text/"):
        kind = "text"
    else:
        raise InputError(
            f"is {fetched.content_type or 'of unknown type'}, not a web page or text", source=spec,
            hint="give the address of the article page itself",
        )
    return Payload(spec, kind, fetched.body, url=fetched.final_url, charset=fetched.charset)


def payloads_for(spec: str, options: Options, stdin: BinaryIO | None = None) -> Iterator[Payload | InputError]:
    """Every payload one command-line input stands for; a folder yields one per file.

    A bad input raises ``InputError``; a bad file inside a folder is yielded as its ``InputError`` instead, so the
    caller reports it and goes on with the folder's other files.
    """
    if spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = read_limited(stream, options.max_bytes, "<stdin>")
        if data[:2] == b"\x1f\x8b":
            data = gunzip_limited(data, options.max_bytes, "<stdin>")
        yield Payload("<stdin>", sniff_kind(data), data)
        return
    if is_url(spec):
        from .fetch import fetch  # the network stack is imported only when a URL is given

        yield fetched_payload(spec, fetch(spec, options))
        return
    if "://" in spec:
        raise InputError(f"unsupported address scheme '{spec.split('://', 1)[0]}'", source=spec,
                         hint="give a file, a folder, '-' for standard input, or an http(s):// address")
    path = Path(spec)
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except PermissionError:  # a folder on the way may not be entered
        raise InputError("permission denied", source=spec, hint="check the permissions of the path") from None
    except OSError as exc:  # e.g. a symbolic link that points at itself
        raise InputError(f"cannot be reached ({exc.strerror or exc})", source=spec, hint="check the path") from None
    if not exists:
        hint = "check the path" if not path.is_symlink() else "it is a broken or looping symbolic link"
        raise InputError("no such file or folder", source=spec, hint=hint)
    if is_dir:
        files, skipped = walk_folder(path)
        if not files:
            raise InputError(
                "folder holds no .txt, .html, .htm, .jsonl or .warc files (nor .gz of them)"
                + (f"; {skipped} other files skipped" if skipped else ""),
                source=spec, hint="point at a folder of saved articles",
            )
        for member in files:
            if is_warc(member.name):
                yield from _warc_payloads(member, options)
                continue
            kind = kind_for_name(member.name)
            assert kind is not None
            try:
                data = read_path(member, options)
            except InputError as exc:
                yield exc
                continue
            yield Payload(str(member), resniff(kind, data, lists=False), data)
        return
    if is_warc(path.name):
        yield from _warc_payloads(path, options)
        return
    data = read_path(path, options, spec)
    kind = kind_for_name(path.name) or sniff_kind(data)
    yield Payload(spec, resniff(kind, data), data)


def _warc_payloads(path: Path, options: Options) -> Iterator[Payload | InputError]:
    """One html payload per page of a web archive (a damaged record is yielded as its error, the rest go on)."""
    from .warc import warc_pages

    for page in warc_pages(path, options):
        if isinstance(page, InputError):
            yield page
        else:
            yield Payload(page.source, "html", page.body, url=page.url, charset=page.charset, published=page.date)


def resniff(kind: PayloadKind, data: bytes, lists: bool = True) -> PayloadKind:
    # A page saved with "Save as… text" is sometimes really HTML, and a .txt named on the command line may be a list
    # of feed addresses (not one inside a folder: a folder is read, never used to fetch): read each as what it is.
    if kind == "text":
        sniffed = sniff_kind(data)
        return sniffed if sniffed in ("html", "feed") or (sniffed == "urls" and lists) else kind
    return kind

