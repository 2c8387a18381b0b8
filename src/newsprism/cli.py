"""The ``newsprism`` command: a thin layer over the library. Library errors become one line each, never a traceback.

Exit codes: 0 all inputs read; 1 some inputs could not be read (the others were processed); 2 nothing could be
read, or the command line was wrong; 3 some inputs failed for now (network, a locked store: a later run may
succeed — ``ingest --retry`` tries the recorded ones again); 70 an internal error (a bug: please report it).
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from ._version import __version__
from .errors import NewsprismError, TransientError
from .options import MiB, OptionError, Options

EXIT_SOME_FAILED = 1
EXIT_NONE_READ = 2
EXIT_RETRY_LATER = 3
EXIT_INTERNAL = 70


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


def _options(allow_private: bool = False, outlets: tuple[str, ...] = (), max_bytes: int = 20,
             max_words: int = Options.max_words, max_chars: int = Options.max_chars, timeout: float = 20.0,
             embedder: str | None = None) -> Options:
    try:
        return Options(allow_private=allow_private, outlet_files=tuple(Path(p) for p in outlets),
                       max_bytes=max_bytes * MiB, max_words=max_words, max_chars=max_chars, timeout=timeout,
                       embedder=embedder)
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None


def _embedder_option(func):
    from .nlp.embed import DEFAULT, EMBEDDERS, ENVIRONMENT

    return click.option("--embedder", type=click.Choice(sorted(EMBEDDERS)), default=None,
                        help=f"The sentence model: minilm (all-MiniLM-L6-v2, better) or potion (potion-base-8M, "
                             f"about 70× faster to embed) (default: ${ENVIRONMENT}, else {DEFAULT}).")(func)


def input_options(func):
    """The options every command that reads articles shares."""
    func = click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True,
                        help="Seconds allowed to connect to and read from a URL.")(func)
    func = click.option("--max-bytes", "max_bytes", type=click.IntRange(min=1), default=20, show_default=True,
                        metavar="MB", help="Largest input accepted, in MB (after decompression).")(func)
    func = click.option("--max-words", "max_words", type=click.IntRange(min=1), default=Options.max_words,
                        show_default=True, metavar="N",
                        help="Most words of one article analysed; a longer text is cut with a warning.")(func)
    func = click.option("--max-chars", "max_chars", type=click.IntRange(min=1), default=Options.max_chars,
                        show_default=True, metavar="N",
                        help="Most characters of one article analysed; a longer text is cut with a warning.")(func)
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


def _exit_code(inputs: int, failed: int, problems: list) -> int:
    """0 all read, 1 some inputs bad, 2 none read, 3 some failed for now (a retry may work: it wins over 1 and 2)."""
    if any(isinstance(p, TransientError) for p in problems):
        return EXIT_RETRY_LATER
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
@_embedder_option
def analyze(inputs, output, fmt, quiet, allow_private, outlets,
            max_bytes, max_words, max_chars, timeout, embedder) -> None:
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

    options = _options(allow_private, outlets, max_bytes, max_words, max_chars, timeout, embedder)
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
        report = analyze_articles(loaded.articles, options=options)
    report.problems = [InputProblem(source=p.source or "", message=str(p)) for p in loaded.problems] \
        + report.problems
    width = min(100, click.get_terminal_size()[0]) if output is None and sys.stdout.isatty() else 100
    _write(output, render(report, fmt, width=width, color=output is None and sys.stdout.isatty()))
    if output and not quiet:
        _err(f"wrote {output} ({len(report.articles)} articles)")
    sys.exit(_exit_code(loaded.inputs, loaded.failed_inputs, loaded.problems))


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", metavar="FILE", help="Write JSON Lines here; default: standard output.")
@input_options
def extract(inputs, output, quiet, allow_private, outlets, max_bytes, max_words, max_chars, timeout) -> None:
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

    options = _options(allow_private, outlets, max_bytes, max_words, max_chars, timeout)
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
    sys.exit(_exit_code(loaded.inputs, loaded.failed_inputs, loaded.problems))


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

def _db_option(func):
    return click.option("--db", default="newsprism.db", show_default=True, metavar="STORE",
                        help="The store: a SQLite file path or sqlite:/// address (created if missing), or a "
                             "postgresql://user@host/database address.")(func)


def shown(db: str) -> str:
    """The store's address as messages show it (a PostgreSQL password left out)."""
    from .store.postgres import redact

    return redact(db)


def _open_db(url: str, must_exist: bool = False):
    from .store import open_store, store_path

    backend, location = store_path(url)
    if must_exist and backend == "sqlite" and not Path(location).is_file():
        raise NewsprismError("no such store", source=url,
                             hint="ingest articles first (newsprism ingest …) or pass --db")
    return open_store(url)


@cli.command()
@click.argument("inputs", nargs=-1)
@_db_option
@click.option("--retry", is_flag=True,
              help="Also read again the inputs an earlier run could not read for now (network failures).")
@click.option("-v", "--verbose", is_flag=True, help="Print one line per article as it is committed.")
@input_options
@_embedder_option
def ingest(inputs, db, retry, verbose, quiet, allow_private, outlets,
           max_bytes, max_words, max_chars, timeout, embedder) -> None:
    """Read articles and feeds into the store, then group the new articles into stories.

    INPUTS are everything 'extract' reads, plus RSS/Atom feeds (http(s) URLs or .xml/.rss/.atom files) and feed
    lists (a .txt file of feed URLs, one a line). Each article is committed as soon as it is read: the same
    article twice is stored once, a changed one is updated, and an interrupted run keeps what it committed. An
    input that fails for now (the network) is recorded in the store; --retry reads those again (exit status 3
    says some input should be retried).

    \b
    Examples:
      newsprism ingest feeds.txt articles.jsonl saved-pages/ --db news.db
      newsprism ingest https://example.com/rss.xml
      newsprism ingest --retry --db news.db
    """
    from .nlp import load_embedder
    from .store.ingest import ingest as ingest_inputs, update_stories

    if not inputs and not retry:
        raise click.UsageError("give inputs to read, or --retry to read again those that failed for now")
    options = _options(allow_private, outlets, max_bytes, max_words, max_chars, timeout, embedder)
    store = _open_db(db)
    show = _progress_enabled(quiet)
    progress = None
    try:
        if show:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                TextColumn("{task.completed} articles"), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=True)
            progress.start()
            task = progress.add_task("Reading…", total=None)

        def on_input(name: str) -> None:
            if progress is not None:
                progress.update(task, description=f"Reading {name}")

        def on_article(article_id: str, outcome: str) -> None:
            if progress is not None:
                progress.advance(task)
            if verbose:
                _err(f"{outcome} {article_id}")

        result = ingest_inputs(store, inputs, options, on_input=on_input, on_article=on_article, retry=retry)
        if progress is not None:
            progress.update(task, description="Grouping into stories")
        changed = update_stories(store, embedder=load_embedder(options.embedder))
        waiting = len(store.failures())
    finally:
        if progress is not None:
            progress.stop()
        store.close()
    _report_problems(result.problems, result.warnings)
    if not quiet:
        retried = f"{result.retried} retried; " if retry else ""
        pending = f"; {waiting} inputs to retry later (newsprism ingest --retry)" if waiting else ""
        _err(f"{shown(db)}: {retried}{result.added} added, {result.updated} updated, {result.unchanged} unchanged; "
             f"{len(changed)} stories gained articles{pending}")
    sys.exit(_exit_code(result.inputs, result.failed_inputs, result.problems))


def _since_days(value: str | None) -> float | None:
    if value is None:
        return None
    units = {"d": 1.0, "h": 1 / 24, "w": 7.0}
    number, unit = value[:-1], value[-1:].lower()
    try:
        if unit not in units:
            raise ValueError
        return float(number) * units[unit]
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a duration — write e.g. 12h, 2d or 1w",
                                 param_hint="--since") from None


@cli.command()
@_db_option
@click.option("--since", metavar="AGE", help="Only stories with an article published or added within this age "
              "(12h, 2d, 1w).")
@click.option("--min-outlets", type=click.IntRange(min=1), metavar="N",
              help="Only stories covered by at least N known outlets.")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N stories (a page).")
@click.option("--cursor", metavar="TOKEN", help="The page after the one whose --json listing ended with this token.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story instead of a table.")
def stories(db, since, min_outlets, limit, cursor, as_json) -> None:
    """List the stories in the store: id, title, outlets and their lean mix, newest first.

    \b
    Examples:
      newsprism stories --since 2d --min-outlets 3
      newsprism stories --db news.db --json --limit 20
    """
    from datetime import datetime, timedelta, timezone

    from .store import StoryQuery

    days = _since_days(since)
    cutoff = (datetime.now(timezone.utc) - timedelta(days=days)).replace(microsecond=0).isoformat() \
        if days is not None else None
    store = _open_db(db, must_exist=True)
    try:
        page = store.stories(StoryQuery(since=cutoff, min_outlets=min_outlets, limit=limit, cursor=cursor))
    finally:
        store.close()
    found = page.stories
    if as_json:
        lines = "".join(json.dumps({"id": s.id, "title": s.title, "articles": s.articles, "outlets": s.outlets,
                                    "leans": s.leans, "published": s.last_published}) + "\n" for s in found)
        if page.next_cursor:
            lines += json.dumps({"next_cursor": page.next_cursor}) + "\n"
        _write(None, lines)
        return
    lines = []
    for s in found:
        mix = ", ".join(f"{lean} {n}" for lean, n in sorted(s.leans.items())) or "lean unknown"
        articles = "article " if s.articles == 1 else "articles"
        outlets = "outlet " if len(s.outlets) == 1 else "outlets"
        lines.append(f"{s.id}  {s.last_published or '          '}  {s.articles:>3} {articles}  "
                     f"{len(s.outlets)} {outlets} ({mix})  {s.title or '(untitled)'}")
    _write(None, "\n".join(lines) + ("\n" if lines else ""))
    if page.next_cursor:
        _err(f"more stories: newsprism stories --cursor {page.next_cursor}")
    if not found:
        _err("no stories match — ingest more articles or relax --since / --min-outlets")


@cli.command()
@click.argument("story_id")
@_db_option
@click.option("-o", "--output", metavar="FILE",
              help="Write the report here (.json, .md, .html or .txt); default: the terminal.")
@click.option("--format", "fmt", type=click.Choice(["json", "text", "markdown", "html"]),
              help="Report format (default: from the extension of -o).")
@click.option("--no-save", is_flag=True, help="Do not keep a new analysis in the store (read it only).")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@_embedder_option
def show(story_id, db, output, fmt, no_save, quiet, embedder) -> None:
    """Write the full analysis of one story of the store (the same report 'analyze' makes of its articles).

    The analysis is saved in the store and reused until the story's articles change.

    \b
    Examples:
      newsprism show s1a2b3c4d5e6 -o story.html
      newsprism show s1a2b3c4d5e6 --db news.db --format json
    """
    from .render import format_for, render
    from .store.ingest import story_report

    options = _options(embedder=embedder)
    fmt = format_for(output, fmt)
    store = _open_db(db, must_exist=True)
    try:
        with _status(f"Analysing story {story_id}…", _progress_enabled(quiet)):
            report = story_report(store, story_id, save=not no_save, options=options)
    finally:
        store.close()
    width = min(100, click.get_terminal_size()[0]) if output is None and sys.stdout.isatty() else 100
    _write(output, render(report, fmt, width=width, color=output is None and sys.stdout.isatty()))
    if output and not quiet:
        _err(f"wrote {output} ({len(report.articles)} articles)")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", metavar="FILE", help="Write JSON Lines here; default: standard output.")
@input_options
@_embedder_option
def cluster(inputs, output, quiet, allow_private, outlets,
            max_bytes, max_words, max_chars, timeout, embedder) -> None:
    """Group articles into stories without a store: one {"id","story","source"} line for every article.

    INPUTS are everything 'extract' reads; JSON Lines records ({"id","title","text"}, with optional "published"
    — dates keep far-apart articles in different stories — "url" and "outlet") keep their own ids, other inputs
    get one from their address or text. A record whose id repeats an earlier one is reported and skipped.

    \b
    Examples:
      newsprism cluster articles.jsonl -o assignments.jsonl
      cat articles.jsonl | newsprism cluster -
    """
    from .cluster import cluster_records, read_cluster_input
    from .nlp import load_embedder

    options = _options(allow_private, outlets, max_bytes, max_words, max_chars, timeout, embedder)
    with _status("Grouping articles into stories…", _progress_enabled(quiet)):
        articles, problems, warnings, failed = read_cluster_input(inputs, options)
        stories_of = cluster_records(articles, embedder=load_embedder(options.embedder)) if articles else []
    _report_problems(problems, warnings)
    if not articles:
        _err("error: no article could be read from the inputs — see the lines above")
        sys.exit(EXIT_RETRY_LATER if any(isinstance(p, TransientError) for p in problems) else EXIT_NONE_READ)
    _write(output, "".join(json.dumps({"id": a.id, "story": s, "source": a.source}) + "\n"
                           for a, s in zip(articles, stories_of)))
    if output and not quiet:
        _err(f"wrote {output} ({len(articles)} articles in {len(set(stories_of))} stories)")
    sys.exit(_exit_code(len(inputs), failed, problems))


@cli.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 listens on every interface (put it behind TLS then).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--token-file", metavar="FILE", type=click.Path(dir_okay=False),
              help="File whose first line is the token every write needs (else NEWSPRISM_TOKEN; without either the "
                   "server takes no writes).")
@click.option("--cors", is_flag=True, help="Let pages on other sites read the API (GET only; writes never).")
@click.option("--allow-private", is_flag=True,
              help="Let URLs given to the server resolve to private or loopback addresses (refused by default).")
@click.option("--max-body", default=20, show_default=True, type=click.IntRange(min=1), metavar="MB",
              help="Largest request body or upload.")
@click.option("--writes-per-minute", default=30, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="POST requests one client may make per minute (then 429).")
@click.option("--no-analyse", "no_analyse", is_flag=True,
              help="Do not analyse stories in the background (pages show stories analysed before).")
@click.option("--outlets", multiple=True, type=click.Path(exists=True, dir_okay=False), metavar="CSV",
              help="Extra outlet list for what is ingested through the server (repeatable), as in ingest.")
@click.option("--watch", "watch_feeds", is_flag=True,
              help="Also follow the store's feeds (as newsprism watch does, with its defaults), in a process of "
                   "its own; new articles appear in the feed and their stories are analysed.")
@click.option("-q", "--quiet", is_flag=True, help="Log only problems.")
@_embedder_option
def serve(db, host, port, token_file, cors, allow_private, max_body, writes_per_minute, no_analyse, outlets,
          watch_feeds, quiet, embedder) -> None:
    """Serve the store as a web app and a REST API: the story feed, story, article, outlet and search pages,
    and JSON at /api (OpenAPI at /openapi.json, documentation at /docs).

    Pages and API reads need nothing; every write (POST, the ingest page) needs the token. Stories are analysed
    in the background as they change, so a page view never waits on the analysis. Ctrl-C stops cleanly.

    \b
    Examples:
      newsprism serve                                   # http://127.0.0.1:8000, the store ./newsprism.db
      newsprism serve --db stories.db --host 0.0.0.0 --port 8080 --token-file token.txt
      NEWSPRISM_TOKEN=$(cat token.txt) newsprism serve --db stories.db
      newsprism serve --db news.db --watch               # and follow the feeds of: newsprism feeds add URL
      curl http://127.0.0.1:8000/api/stories?since=2d&min_outlets=3
    """
    from .serve import ServeSettings, run
    from .serve.settings import read_token

    settings = ServeSettings(db=db, host=host, port=port, token=read_token(token_file), cors=cors,
                             allow_private=allow_private, max_body=max_body * 1024 * 1024,
                             writes_per_minute=writes_per_minute, analyse=not no_analyse, embedder=embedder,
                             outlet_files=tuple(outlets), watch=watch_feeds, quiet=quiet)
    _open_db(db).close()  # a bad path or a corrupt file is one clear line now, not a failing server later
    if not quiet:
        writes = "writes need the token" if settings.token else "no token: read-only"
        following = " · following its feeds" if watch_feeds else ""
        _err(f"newsprism serve: http://{host}:{port} · store {shown(db)} · {writes}{following} · Ctrl-C stops")
    run(settings, log_level="warning" if quiet else "info")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", "out", required=True, metavar="FOLDER",
              help="Where the outputs (and the finished parts a rerun resumes from) go.")
@click.option("--engine", type=click.Choice(["local", "ray", "inline"]), default="local", show_default=True,
              help="local: a process per core of this machine; ray: a Ray cluster (--address) or a local Ray; "
                   "inline: this process only.")
@click.option("--workers", type=click.IntRange(min=1), metavar="N", help="Worker processes or Ray actors "
              "(default: every core; on a Ray cluster, its CPUs).")
@click.option("--address", metavar="ADDRESS", help="The Ray cluster to run on (auto, or ray://host:10001).")
@click.option("--db", "db", metavar="STORE", help="Also load the articles, stories and analyses into this store.")
@click.option("--min-outlets", default=2, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Analyse the stories at least N outlets cover.")
@click.option("--max-bytes", "max_bytes", type=click.IntRange(min=1), default=20, show_default=True, metavar="MB",
              help="Largest page or record accepted.")
@click.option("--outlets", multiple=True, metavar="CSV",
              help="An extra outlet registry file (same columns as the shipped one); repeatable.")
@click.option("-q", "--quiet", is_flag=True, help="No progress display.")
@_embedder_option
def batch(inputs, out, engine, workers, address, db, min_outlets, max_bytes, outlets, quiet, embedder) -> None:
    """A corpus through the whole pipeline on all cores, or on a Ray cluster: web archives (.warc, .warc.gz),
    JSON Lines, Parquet, pages and folders → articles, copies, stories, analyses, as Parquet tables and one report
    per story under --out. Interrupted, run it again with the same --out: finished parts are not redone.

    \b
    Examples:
      newsprism batch CC-NEWS-20251214*.warc.gz exports/*.jsonl --out run1/
      newsprism batch corpus/ --out run1/ --engine ray --address auto
      newsprism batch corpus.parquet --out run1/ --db postgresql://news@db/newsprism
    """
    from .batch import BatchSettings, run_batch

    if address and engine != "ray":
        raise click.UsageError("--address goes with --engine ray")
    _options(outlets=outlets, embedder=embedder)  # a bad --outlets file or embedder: one line now
    settings = BatchSettings(out=Path(out), engine=engine, workers=workers, address=address, db=db,
                             min_outlets=min_outlets, embedder=embedder, outlet_files=tuple(outlets),
                             max_bytes=max_bytes * MiB)
    show = _progress_enabled(quiet)
    import time

    began: dict[str, tuple[float, int]] = {}
    with _status("Starting the engine…", show) as status:
        def progress(stage: str, done: int, total: int | None) -> None:
            if status is None:
                return
            start, first = began.setdefault(stage, (time.monotonic(), done))
            elapsed = time.monotonic() - start
            rate = (done - first) / elapsed if elapsed > 0.5 and done > first else None
            line = f"{stage}: {done:,}" + (f" of {total:,}" if total else "")
            if rate:
                line += f" · {rate:,.1f}/s"
                if total and total > done:
                    line += f" · about {(total - done) / rate:,.0f} s left"
            status.update(line)

        result = run_batch(list(inputs), settings, progress)
    for line in result.problems:
        _err(line)
    if not quiet:
        c = result.counts
        resumed = sum(result.resumed.values())
        _err(f"{out}: {c.get('pages', 0):,} pages → {c.get('articles', 0):,} articles in {c.get('stories', 0):,} "
             f"stories, {c.get('stories analysed', 0):,} analysed; {result.timings['total']:.1f} s on "
             f"{engine}" + (f"; {resumed} parts resumed from an earlier run" if resumed else ""))
    if not result.counts.get("articles"):
        sys.exit(EXIT_NONE_READ)
    sys.exit(EXIT_SOME_FAILED if result.problems else 0)


from .watch import commands as _watch_commands  # noqa: E402,F401 — adds `feeds` and `watch` to the group


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
    except TransientError as exc:
        _err(exc.line())
        sys.exit(EXIT_RETRY_LATER)
    except NewsprismError as exc:
        _err(exc.line())
        sys.exit(EXIT_NONE_READ)
    except OptionError as exc:
        _err(f"error: {exc}")
        sys.exit(EXIT_NONE_READ)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # the last guard: a bug must still not print a traceback at the user
        if os.environ.get("NEWSPRISM_DEBUG"):
            raise
        _err(f"error: internal error: {type(exc).__name__}: {exc} — please report it; "
             "set NEWSPRISM_DEBUG=1 to see the traceback")
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
