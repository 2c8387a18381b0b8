"""Web archives as input: the HTML pages of a WARC file (WARC/1.0 and 1.1, plain or gzip per record), read with
warcio as a stream, so a 1 GiB CC-NEWS file is never held in memory.

Each ``response`` record whose HTTP status is 200 and whose body is HTML becomes one payload, named
``file@offset`` and carrying the record's target URI (its address) and date (the page's date when the page gives
none). Other records (requests, metadata, images, redirects) are skipped and counted. A damaged record is one
``InputError`` naming the file, the offset and why, and the rest of the file is read on when it can be.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..options import Options

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
_HTML = ("text/html", "application/xhtml+xml")


def is_warc(name: str) -> bool:
    """Whether the file name is a web archive's.

    >>> is_warc("CC-NEWS-20251214.warc.gz"), is_warc("page.html.gz")
    (True, False)
    """
    return name.lower().endswith(WARC_SUFFIXES)


@dataclass
class WarcPage:
    source: str
    """``file@offset`` of the record."""
    url: str | None
    date: str | None
    """The record's date, YYYY-MM-DD."""
    body: bytes
    charset: str | None


@dataclass
class WarcCounts:
    records: int = 0
    pages: int = 0
    skipped: int = 0
    damaged: int = 0


def warc_pages(path: Path, options: Options, counts: WarcCounts | None = None) -> Iterator[WarcPage | InputError]:
    """The HTML pages of a WARC file, in order, with an ``InputError`` in place of each damaged record."""
    from warcio.exceptions import ArchiveLoadFailed

    _Quiet = _quiet_iterator()

    counts = counts if counts is not None else WarcCounts()
    source = str(path)
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror or exc})", source=source, hint="check the path") from None
    with handle:
        _check_head(handle, source, arc=path.name.lower().endswith(".arc.gz"))
        records = _Quiet(handle, arc2warc=True)
        offset = 0
        while True:
            try:
                record = next(records)
            except StopIteration:
                return
            except (ArchiveLoadFailed, ValueError, OSError, EOFError) as exc:
                counts.damaged += 1
                yield InputError(f"damaged web archive record near offset {offset:,} ({_reason(exc)}); the rest of "
                                 "the file cannot be read", source=source,
                                 hint="the pages before it were read; check or re-download the file")
                return
            counts.records += 1
            try:
                page = _page(record, options)  # read before asking the offset: asking it reads to the record's end
                offset = records.get_record_offset()
            except (ValueError, OSError, EOFError) as exc:
                counts.damaged += 1
                yield InputError(f"damaged record after offset {offset:,} ({_reason(exc)})", source=source,
                                 hint="the record is skipped; the rest of the file is read")
                continue
            if page is None:
                counts.skipped += 1
                continue
            if len(page.body) > options.max_bytes:
                counts.damaged += 1
                yield InputError(f"the page at offset {offset:,} is larger than the {options.max_bytes // 2**20} MB "
                                 "limit", source=source, hint="the record is skipped; raise the limit with --max-bytes")
                continue
            page.source = f"{source}@{offset}"
            counts.pages += 1
            yield page


def _check_head(handle, source: str, arc: bool) -> None:
    """Refuse at once a file that does not begin with a WARC (or ARC) record, rather than parse it as one."""
    import zlib

    head = handle.read(64 * 1024)
    handle.seek(0)
    if head[:2] == b"\x1f\x8b":
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            head = b""
    magic = (b"filedesc://",) if arc else (b"WARC/1.0", b"WARC/1.1", b"WARC/0.")
    if not head.lstrip(b"\r\n").startswith(magic):
        raise InputError("is not a web archive (no WARC record at its start)", source=source,
                         hint="give WARC files (.warc, .warc.gz) as written by crawlers; rename other files")


def _quiet_iterator():
    import logging

    from warcio.archiveiterator import ArchiveIterator

    logging.getLogger("warcio").setLevel(logging.ERROR)  # its warnings would reach the user's terminal

    class Quiet(ArchiveIterator):
        INC_RECORD = ""  # warcio writes this warning to standard error itself; a damaged record is ours to report

    return Quiet


def _page(record, options: Options) -> WarcPage | None:
    """The record as a page (its body read up to one byte past the limit), or None when it is not an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    media, _, params = (record.http_headers.get_header("Content-Type") or "").partition(";")
    if media.strip().lower() not in _HTML:
        return None
    body = record.content_stream().read(options.max_bytes + 1)
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'").lower() or None
    date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    return WarcPage("", record.rec_headers.get_header("WARC-Target-URI"), date, body, charset)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


__all__ = ["WarcCounts", "WarcPage", "is_warc", "warc_pages"]
