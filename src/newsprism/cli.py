"""The ``newsprism`` command: a thin layer over the library. Library errors become one line each, never a traceback.

Exit codes: 0 all inputs read; 1 some inputs could not be read (the others were processed); 2 nothing could be
read, or the command line was wrong.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ._version import __version__
from .errors import NewsprismError
from .options import MiB, Options

EXIT_SOME_FAILED = 1
EXIT_NONE_READ = 2


def _err(line: str) -> None:
    click.echo(line, err=True)


@contextmanager
def _status(message: str, enabled: bool):
    """A spinner on standard error while something slow runs, shown only to a person at a terminal."""
    if not enabled:
        yield None
        return
    from rich.console import Console

    with Console(stderr=True).status(message) as status:
        yield status


def _progress_enabled(quiet: bool) -> bool:
    return not quiet and sys.stderr.isatty()


def _options(allow_private: bool, outlets: tuple[str, ...], max_bytes: int, timeout: float) -> Options:
    for path in outlets:
        if not Path(path).is_file():
            raise click.BadParameter(f"{path}: no such file — give a CSV with the registry's columns",
                                     param_hint="--outlets")
    return Options(allow_private=allow_private, outlet_files=tuple(Path(p) for p in outlets),
                   max_bytes=max_bytes * MiB, timeout=timeout)


def input_options(func):
    """The options every command that reads articles shares."""
    func = click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True,
                        help="Seconds allowed to connect to and read from a URL.")(func)
    func = click.option("--max-bytes", "max_bytes", type=click.IntRange(min=1), default=20, show_default=True,
                        metavar="MB", help="Largest input accepted, in MB (after decompression).")(func)
    func = click.option("--outlets", multiple=True, metavar="CSV",
                        help="An extra outlet registry file (same columns as the shipped one); repeatable.")(func)
    func = click.option("--allow-private", is_flag=True,
                        help="Allow URLs on private, loopback or link-local addresses (refused by default).")(func)
    func = click.option("-q", "--quiet", is_flag=True, help="No progress display.")(func)
    return func


def _report_problems(problems, warnings) -> None:
    for warning in warnings:
        _err(warning)
    for problem in problems:
        _err(problem.line())


def _exit_code(inputs: int, failed: int, problems: int) -> int:
    if inputs and failed == inputs:
        return EXIT_NONE_READ
    return EXIT_SOME_FAILED if problems else 0


def _write(output: str | None, content: str) -> None:
    if output is None or output == "-":
        click.echo(content, nl=False)
        return
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(content, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        raise NewsprismError(f"cannot write ({exc.strerror or exc})", source=output,
                             hint="choose another output path") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="newsprism")
def cli() -> None:
    """Line up several news reports of one event: what they all say, what only one says, where they differ.

    \b
    Examples:
      newsprism analyze a.txt b.html https://example.com/story -o report.json
      newsprism extract saved-pages/ -o articles.jsonl
      newsprism schema -o report.schema.json
    """


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", metavar="FILE",
              help="Write the report here (.json, .md, .html or .txt); default: the terminal.")
@click.option("--format", "fmt", type=click.Choice(["json", "text", "markdown", "html"]),
              help="Report format (default: from the extension of -o).")
@input_options
def analyze(inputs, output, fmt, quiet, allow_private, outlets, max_bytes, timeout) -> None:
    """Analyse several reports of one event and write the report.

    INPUTS are .txt, .html/.htm (or .gz of them), folders of those, .jsonl files of article records
    ({"id","title","text","url","published","outlet"}; only "text" is required), http(s) URLs, or '-' for
    standard input.

    \b
    Examples:
      newsprism analyze saved/*.txt                     # terminal view
      newsprism analyze a.txt b.html -o report.json     # the JSON report (schema newsprism.report/1)
      newsprism analyze https://example.com/story --allow-private -o r.txt
      cat article.txt | newsprism analyze - other.html
    """
    from .api import analyze_articles
    from .ingest import load_articles
    from .models import InputProblem
    from .render import format_for, render

    options = _options(allow_private, outlets, max_bytes, timeout)
    fmt = format_for(output, fmt)
    show = _progress_enabled(quiet)
    with _status("Reading inputs…", show) as status:
        def on_input(name: str) -> None:
            if status is not None:
                status.update(f"Reading {name}…")
        loaded = load_articles(inputs, options, on_input=on_input)
    _report_problems(loaded.problems, loaded.warnings)
    if not loaded.articles:
        _err("error: no article could be read from the inputs — see the lines above")
        sys.exit(EXIT_NONE_READ)
    with _status(f"Analysing {len(loaded.articles)} articles (loading language models)…", show):
        report = analyze_articles(loaded.articles)
    report.problems = [InputProblem(source=p.source or "", message=str(p)) for p in loaded.problems]
    width = min(100, click.get_terminal_size()[0]) if output is None and sys.stdout.isatty() else 100
    _write(output, render(report, fmt, width=width, color=output is None and sys.stdout.isatty()))
    if output and not quiet:
        _err(f"wrote {output} ({len(report.articles)} articles)")
    sys.exit(_exit_code(loaded.inputs, loaded.failed_inputs, len(loaded.problems)))


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", metavar="FILE", help="Write JSON Lines here; default: standard output.")
@input_options
def extract(inputs, output, quiet, allow_private, outlets, max_bytes, timeout) -> None:
    """Read articles and write one clean JSON record per article (no analysis).

    Each line holds the article as the report's "articles" section does: id, source, kind, outlet, title,
    published, authors, language, text, removed (the furniture lines taken out), duplicate_of.

    \b
    Examples:
      newsprism extract page.html.gz other.html -o articles.jsonl
      newsprism extract ../shared/datasets/extraction/scrapinghub-aeb/html -o aeb.jsonl
      newsprism extract https://example.com/story
    """
    from .ingest import load_articles

    options = _options(allow_private, outlets, max_bytes, timeout)
    show = _progress_enabled(quiet)
    with _status("Reading inputs…", show) as status:
        def on_input(name: str) -> None:
            if status is not None:
                status.update(f"Reading {name}…")
        loaded = load_articles(inputs, options, on_input=on_input)
    _report_problems(loaded.problems, loaded.warnings)
    lines = "".join(a.model_dump_json() + "\n" for a in loaded.articles)
    if loaded.articles:
        _write(output, lines)
        if output and not quiet:
            _err(f"wrote {output} ({len(loaded.articles)} articles)")
    sys.exit(_exit_code(loaded.inputs, loaded.failed_inputs, len(loaded.problems)))


@cli.command()
@click.option("-o", "--output", metavar="FILE", help="Write the schema here; default: standard output.")
def schema(output) -> None:
    """Print the JSON Schema of the report (newsprism.report/1).

    \b
    Example:
      newsprism schema -o schema/report.schema.json
    """
    from .models import report_json_schema

    _write(output, json.dumps(report_json_schema(), indent=2, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the command, turning every error into one line on standard error."""
    try:
        cli.main(args=argv, prog_name="newsprism", standalone_mode=False)
        sys.exit(0)  # --help and --version return here without exiting
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_NONE_READ)
    except click.exceptions.Abort:
        _err("interrupted")
        sys.exit(130)
    except KeyboardInterrupt:
        _err("interrupted")
        sys.exit(130)
    except NewsprismError as exc:
        _err(exc.line())
        sys.exit(EXIT_NONE_READ)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the last guard: a bug must still not print a traceback at the user
        if os.environ.get("NEWSPRISM_DEBUG"):
            raise
        _err(f"error: internal error: {type(exc).__name__}: {exc} — please report it; "
             "set NEWSPRISM_DEBUG=1 to see the traceback")
        sys.exit(3)


if __name__ == "__main__":
    main()
