"""What tests share: where the third-party data lives (../shared, skipped with a reason when absent), running the
command as a user would, and running the analysis stages a test needs."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE = ROOT / "src" / "newsprism" / "examples" / "harbour-strike"


def need_shared(path: Path) -> Path:
    """``path`` under ../shared, or skip the test saying what is missing."""
    if not path.exists():
        pytest.skip(f"{path} not found: third-party test data is read from ../shared beside the checkout")
    return path


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """Run the command in this process as a user would; returns (exit code, stdout, stderr), never a traceback."""
    from newsprism.cli import main

    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return info.value.code, out, err


def story(articles, *wanted: str, annotations=None):
    """The story context after the default stages that make ``wanted`` (and what they need) have run."""
    from newsprism.analysis import run_story

    return run_story(list(articles), list(wanted) or None, annotations=annotations)


def stages(*wanted: str, replace=()):
    """The default stages that make ``wanted``, with the stages in ``replace`` taking the place of those of their
    name (a stage built with other arguments)."""
    from newsprism.analysis import default_stages, stages_for

    by_name = {s.name: s for s in replace}
    return stages_for(list(wanted), [by_name.get(s.name, s) for s in default_stages()])


# Markup a hostile source may carry: none of it may become markup in anything we render.
HOSTILE_PAYLOADS = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "\"><svg onload=alert(1)>",
    "' onmouseover='alert(1)",
    "<a href=\"javascript:alert(1)\">click</a>",
    "</textarea><script>alert(1)</script>",
    "</title></style></script><script>alert(1)</script>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<meta http-equiv=refresh content=\"0;url=https://evil.example\">",
    "{{ 7*7 }}{% raw %}",
    "\u202egnp.exe <b>bold</b>",
]


WARC_PAGE = ("<!doctype html><html><head><title>{title}</title></head><body><nav>Home | World</nav><article>"
        "<h1>{title}</h1><p>{body} The harbour board met on Monday and voted to reopen the northern quay to "
        "ferries after repairs that took three months and cost the city 4 million krel.</p><p>Officials said the "
        "southern quay would stay closed until a second inspection in the spring.</p></article></body></html>")


def write_warc(path, damaged: bool = False, pages: int = 2) -> None:
    """A gzipped WARC file of made-up news pages (``pages`` of them, on news0.example, news1.example, …), with a
    404, an image, a request and (``damaged``) a broken record at the end: what a crawler writes."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)

        def response(url, status, ctype, body, date="2026-03-04T10:00:00Z"):
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                               http_headers=headers, warc_headers_dict={"WARC-Date": date})
            writer.write_record(record)

        info = b"software: newsprism tests\r\n"
        writer.write_record(writer.create_warc_record("https://a.example/", "warcinfo", payload=io.BytesIO(info),
                                                      length=len(info)))
        titles = ["Quay reopens to ferries", "Harbour board votes on quay"]
        for n in range(pages):
            title = titles[n % 2] if n < 2 else f"{titles[n % 2]} ({n})"
            html = WARC_PAGE.format(title=title, body=f"Story {n}.").encode()
            response(f"https://news{n}.example/quay", "200 OK", "text/html; charset=utf-8", html)
        response("https://news0.example/gone", "404 Not Found", "text/html", b"<html>gone</html>")
        response("https://news0.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n")
        request = b"GET /quay HTTP/1.1\r\n\r\n"
        writer.write_record(writer.create_warc_record("https://news0.example/quay", "request",
                                                      payload=io.BytesIO(request), length=len(request)))
        if damaged:  # a gzip member that holds no WARC record
            handle.write(gzip.compress(b"NOT A WARC HEADER\r\n\r\nwhatever follows"))
