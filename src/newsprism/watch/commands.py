"""``newsprism feeds`` (the list of followed feeds) and ``newsprism watch`` (following them), for ``cli.py``."""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from pathlib import Path

import click

from ..cli import (EXIT_NONE_READ, EXIT_RETRY_LATER, EXIT_SOME_FAILED, _embedder_option, _err, _open_db, _options,
                   _progress_enabled, _write, cli, shown)
from ..errors import InputError, NewsprismError, TransientError
from ..options import MiB, OptionError
from .schedule import MINUTE, WatchPolicy


def _db(ctx: click.Context, db: str | None) -> str:
    return db or (ctx.obj or {}).get("db") or "newsprism.db"


_db_here = click.option("--db", default=None, metavar="STORE",
                        help="The store: a SQLite file path, a sqlite:/// or a postgresql:// address "
                             "[default: newsprism.db].")


def ago(seconds: float | None, now: float) -> str:
    """How long ago (or, for a future time, how soon), in words a list can show.

    >>> ago(1000.0, 1060.0), ago(1000.0, 1000.0 - 7200), ago(None, 0.0)
    ('1 min ago', 'in 2 h', 'never')
    """
    if seconds is None:
        return "never"
    delta = now - seconds
    span = abs(delta)
    text = (f"{span:.0f} s" if span < 60 else f"{span / 60:.0f} min" if span < 3600 else
            f"{span / 3600:.0f} h" if span < 172800 else f"{span / 86400:.0f} d")
    return f"{text} ago" if delta >= 0 else f"in {text}"


@click.group(invoke_without_command=True)
@_db_here
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed instead of a table.")
@click.pass_context
def feeds(ctx, db, as_json) -> None:
    """The feeds the store follows: list them (the default), add, import, export, remove or resume them.

    Each feed shows its status (new items, no new items, not modified, error, paused), when it was last fetched
    and will next be checked, how many items it gave (and how many could not be read), and its last error.

    \b
    Examples:
      newsprism feeds add https://example.com/rss https://other.org/atom.xml --db news.db
      newsprism feeds import subscriptions.opml --db news.db
      newsprism feeds --db news.db
      newsprism feeds export -o subscriptions.opml
      newsprism feeds remove https://example.com/rss
    """
    ctx.obj = {"db": db}
    if ctx.invoked_subcommand is not None:
        return
    store = _open_db(_db(ctx, db), must_exist=True)
    try:
        states = store.feed_states()
    finally:
        store.close()
    now = time.time()
    if as_json:
        _write(None, "".join(json.dumps({
            "url": f.url, "title": f.title, "status": "paused" if f.paused else f.last_status or "not checked yet",
            "last_checked": f.last_checked, "next_check": None if f.paused else f.next_check, "items": f.items,
            "failed_items": f.failed, "pending_items": f.pending, "errors_in_a_row": f.errors,
            "last_error": f.last_error}) + "\n" for f in states))
        return
    if not states:
        _err("the store follows no feeds — add some with: newsprism feeds add URL")
        return
    lines = []
    for f in states:
        status = "paused" if f.paused else f.last_status or "not checked yet"
        unread = f" ({f.failed} unread)" if f.failed else ""
        pending = f", {f.pending} to read" if f.pending else ""
        lines.append(f"{f.url}  {f.title or ''}".rstrip())
        lines.append(f"    {status} · fetched {ago(f.last_checked, now)} · next "
                     f"{'when resumed' if f.paused else 'due now' if f.next_check <= now else ago(f.next_check, now)} · "
                     f"{f.items} items{unread}{pending}")
        if f.last_error:
            lines.append(f"    last error ({f.errors} in a row): {f.last_error}")
    _write(None, "\n".join(lines) + "\n")


def _add(ctx: click.Context, db: str | None, urls: list[str], source: str) -> None:
    from .opml import check_feed_url

    store = _open_db(_db(ctx, db))
    added = known = bad = 0
    try:
        for url in urls:
            try:
                url = check_feed_url(url)
            except InputError as exc:
                _err(exc.line())
                bad += 1
                continue
            if store.add_feed(url, time.time()):
                added += 1
            else:
                known += 1
    finally:
        store.close()
    _err(f"{shown(_db(ctx, db))}: {added} feeds added, {known} already followed"
         + (f", {bad} refused (see above)" if bad else "") + f" — from {source}; "
         "newsprism watch follows them")
    if bad:
        sys.exit(EXIT_NONE_READ if not (added or known) else EXIT_SOME_FAILED)


@feeds.command()
@click.argument("urls", nargs=-1, required=True)
@_db_here
@click.pass_context
def add(ctx, urls, db) -> None:
    """Follow these feeds (RSS, Atom or RDF addresses). The first check is due at once.

    \b
    Example:
      newsprism feeds add https://example.com/rss https://other.org/atom.xml
    """
    _add(ctx, db, list(urls), "the command line")


@feeds.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@_db_here
@click.pass_context
def import_(ctx, files, db) -> None:
    """Follow every feed of OPML files (a feed reader's export) or plain lists (one address a line).

    \b
    Example:
      newsprism feeds import subscriptions.opml more-feeds.txt
    """
    from .opml import read_feed_list

    urls: list[str] = []
    failed = 0
    for name in files:
        try:
            data = Path(name).read_bytes()
            if len(data) > 20 * MiB:
                raise InputError("is larger than 20 MB", source=name, hint="split the list")
            urls += read_feed_list(data, name)
        except OSError as exc:
            _err(InputError(f"cannot be read ({exc.strerror or exc})", source=name, hint="check the path").line())
            failed += 1
        except InputError as exc:
            _err(exc.line())
            failed += 1
    if urls:
        _add(ctx, db, urls, ", ".join(files))
    if failed:
        sys.exit(EXIT_NONE_READ if failed == len(files) else EXIT_SOME_FAILED)


@feeds.command()
@click.option("-o", "--output", metavar="FILE", help="Write the OPML here; default: standard output.")
@_db_here
@click.pass_context
def export(ctx, output, db) -> None:
    """Write the followed feeds as OPML, for a feed reader (or another store) to import.

    \b
    Example:
      newsprism feeds export -o subscriptions.opml
    """
    from .opml import write_opml

    store = _open_db(_db(ctx, db), must_exist=True)
    try:
        text = write_opml(store.feed_states())
    finally:
        store.close()
    _write(output, text)


def _each_feed(ctx: click.Context, db: str | None, urls, action) -> None:
    """``action(store, url)`` for each followed feed named; one line for each that is not followed (exit 1)."""
    store = _open_db(_db(ctx, db), must_exist=True)
    missing = 0
    try:
        for url in urls:
            if not action(store, url.strip()):
                _err(InputError("is not a followed feed", source=url, hint="list them with: newsprism feeds").line())
                missing += 1
    finally:
        store.close()
    if missing:
        sys.exit(EXIT_SOME_FAILED)


@feeds.command()
@click.argument("urls", nargs=-1, required=True)
@_db_here
@click.pass_context
def remove(ctx, urls, db) -> None:
    """Stop following these feeds. The articles they gave stay in the store.

    \b
    Example:
      newsprism feeds remove https://example.com/rss
    """
    _each_feed(ctx, db, urls, lambda store, url: store.remove_feed(url))


@feeds.command()
@click.argument("urls", nargs=-1, required=True)
@_db_here
@click.pass_context
def resume(ctx, urls, db) -> None:
    """Follow paused feeds again (a feed is paused after failing too many checks in a row), checking them now."""
    _each_feed(ctx, db, urls, lambda store, url: store.resume_feed(url, time.time()))


@feeds.command()
@click.argument("url")
@_db_here
@click.option("--json", "as_json", is_flag=True, help="One JSON object per item.")
@click.pass_context
def items(ctx, url, db, as_json) -> None:
    """Every item a feed gave and what became of it: stored (with its article id), already stored, unread (with
    the problem; the item's title and summary are kept), or still to read.

    \b
    Example:
      newsprism feeds items https://example.com/rss --json
    """
    store = _open_db(_db(ctx, db), must_exist=True)
    try:
        if not any(f.url == url for f in store.feed_states()):
            raise InputError("is not a followed feed", source=url, hint="list them with: newsprism feeds")
        rows = store.feed_items(url)
    finally:
        store.close()
    if as_json:
        _write(None, "".join(json.dumps({"key": r.key, "link": r.link, "title": r.title, "published": r.published,
                                         "state": r.state, "article": r.article_id, "problem": r.problem,
                                         "summary": r.summary}) + "\n" for r in rows))
        return
    _write(None, "".join(f"{r.state:8} {r.article_id or '-':14} {r.title or r.link or r.key}"
                         + (f"\n         {r.problem}" if r.problem else "") + "\n" for r in rows))


def _policy(**values) -> WatchPolicy:
    try:
        return WatchPolicy(**values)
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None


@click.command()
@_db_here
@click.option("--once", is_flag=True, help="One round over the feeds that are due, then exit (for cron and tests).")
@click.option("--all", "every", is_flag=True,
              help="With --once: every feed, due or not (conditional requests still apply).")
@click.option("--no-analyse", "no_analyse", is_flag=True,
              help="Only store and group the articles; do not refresh the analyses of changed stories.")
@click.option("--min-outlets", default=2, show_default=True, type=click.IntRange(min=1), metavar="N",
              help="Refresh the analysis of a changed story only when at least N outlets cover it.")
@click.option("--concurrency", default=WatchPolicy.concurrency, show_default=True, type=click.IntRange(1, 64),
              metavar="N", help="Requests in flight at once, over all hosts (one at a time per host, always).")
@click.option("--host-pause", default=WatchPolicy.host_pause, show_default=True, type=click.FloatRange(min=0),
              metavar="SECONDS", help="Pause between two requests to one host.")
@click.option("--min-interval", default=WatchPolicy.min_interval / MINUTE, show_default=True,
              type=click.FloatRange(min=0.01), metavar="MINUTES", help="Check no feed more often than this.")
@click.option("--max-interval", default=WatchPolicy.max_interval / MINUTE, show_default=True,
              type=click.FloatRange(min=0.01), metavar="MINUTES", help="Check every feed at least this often.")
@click.option("--pause-after", default=WatchPolicy.pause_after, show_default=True, type=click.IntRange(min=1),
              metavar="N", help="Pause a feed after N failed checks in a row.")
@click.option("--timeout", default=WatchPolicy.timeout, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds allowed to connect and for each read (a whole request: three times this).")
@click.option("--max-bytes", default=WatchPolicy.max_bytes // MiB, show_default=True, type=click.IntRange(min=1),
              metavar="MB", help="Largest feed or page accepted (after decompression).")
@click.option("--outlets", multiple=True, metavar="CSV",
              help="An extra outlet registry file (same columns as the shipped one); repeatable.")
@click.option("--allow-private", is_flag=True,
              help="Allow feeds and pages on private, loopback or link-local addresses (refused by default).")
@click.option("-q", "--quiet", is_flag=True, help="No progress display and no summary; problems are still logged.")
@click.option("-v", "--verbose", is_flag=True, help="A summary line for every round, also when no feed was due.")
@_embedder_option
def watch(db, once, every, no_analyse, min_outlets, concurrency, host_pause, min_interval, max_interval,
          pause_after, timeout, max_bytes, outlets, allow_private, quiet, verbose, embedder) -> None:
    """Follow every feed of the store: check each when due (conditionally, politely), read its new items into the
    store, group them into stories and refresh the analyses of the stories that changed. Until Ctrl-C, or one
    round with --once.

    Each feed is checked again after its own rhythm (the mean gap between its recent items), never sooner than
    its server asks (Cache-Control, Expires, <ttl>, Retry-After), between --min-interval and --max-interval;
    failures back off an hour per failure (up to a day). One request at a time per host. A problem is logged as
    one line naming the feed; everything a feed gave is kept, even items whose page could not be read
    (newsprism feeds items URL shows them). Killed at any moment, a watcher loses nothing: run it again.

    \b
    Examples:
      newsprism feeds add https://example.com/rss --db news.db
      newsprism watch --db news.db                  # until Ctrl-C
      newsprism watch --once --db news.db           # one round (cron: */15 * * * *)
      newsprism watch --once --all -q               # every feed now; exit status 3: some failed for now
    """
    from ..nlp import load_embedder
    from .watcher import Watcher, settle

    if every and not once:
        raise click.UsageError("--all goes with --once (a watcher that runs on checks each feed when it is due)")
    policy = _policy(concurrency=concurrency, host_pause=host_pause, min_interval=min_interval * MINUTE,
                     max_interval=max_interval * MINUTE, pause_after=pause_after, timeout=timeout,
                     max_bytes=max_bytes * MiB)
    options = _options(allow_private, outlets, embedder=embedder)
    db = db or "newsprism.db"
    store = _open_db(db)
    if not store.feed_states():
        store.close()
        raise NewsprismError("the store follows no feeds", source=db,
                             hint="add some first: newsprism feeds add URL (or feeds import subscriptions.opml)")
    show = _progress_enabled(quiet)
    progress = _Progress(show)
    watcher = Watcher(store, options, policy, on_event=progress.event, on_problem=lambda p: progress.log(p.line()))
    embedders: dict = {}
    problems: list[NewsprismError] = []

    caught_up = {"analyses": no_analyse}

    def after_round(stats) -> None:
        problems.extend(stats.problems)
        # The first round also analyses the stories left out of date before (an earlier run stopped between two);
        # after it, only a round that stored articles can put a story out of date.
        if stats.articles or not caught_up["analyses"]:
            caught_up["analyses"] = no_analyse or not watcher.stop.is_set()
            progress.status("Grouping new articles into stories")
            if stats.articles and "e" not in embedders:
                embedders["e"] = load_embedder(options.embedder)
            changed = settle(store, stats, embedders.get("e"), options, analyse=not no_analyse,
                             min_outlets=min_outlets, stop=watcher.stop,
                             on_story=lambda s: progress.status(f"Analysed story {s}"))
            stats.counts["stories"] = len(changed)
        if not quiet and (once or verbose or stats["due"]):
            progress.log(f"{shown(db)}: {stats.line()}" + (f"; {stats['stories']} stories changed" if stats["stories"]
                                                     else ""))
        progress.reset()

    stopping = threading.Event()

    def on_signal(signum, frame) -> None:
        if stopping.is_set():
            raise KeyboardInterrupt
        stopping.set()
        watcher.stop.set()
        progress.log("stopping after the requests in flight (Ctrl-C again to stop now)")

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        progress.start()
        if once:
            after_round(watcher.round(every=every))
        else:
            watcher.run(after_round=after_round)
    finally:
        progress.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
        store.close()
    if once:
        if any(isinstance(p, TransientError) for p in problems):
            sys.exit(EXIT_RETRY_LATER)
        sys.exit(EXIT_SOME_FAILED if problems else 0)


class _Progress:
    """The watcher's terminal display: a live line of counts (feeds due, fetched, not modified, new items,
    errors), and problem lines printed above it."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._live = None
        self._note = ""

    def start(self) -> None:
        if self.enabled:
            from rich.console import Console

            self._live = Console(stderr=True).status(self._text())
            self._live.start()

    def stop(self) -> None:
        if self._live is not None:
            self._live.stop()

    def reset(self) -> None:
        with self._lock:
            self.counts.clear()
            self._note = ""
        self._refresh()

    def event(self, name: str, n: int) -> None:
        with self._lock:
            self.counts[name] = self.counts.get(name, 0) + n
        self._refresh()

    def status(self, note: str) -> None:
        self._note = note
        self._refresh()

    def log(self, line: str) -> None:
        if self._live is not None:
            self._live.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            _err(line)

    def _text(self) -> str:
        c = self.counts
        done = c.get("fetched", 0) + c.get("not modified", 0) + c.get("errors", 0)
        line = (f"Feeds {done}/{c.get('due', 0)} · {c.get('fetched', 0)} fetched · {c.get('not modified', 0)} not "
                f"modified · {c.get('new items', 0)} new items · {c.get('stored', 0)} stored · "
                f"{c.get('errors', 0)} errors")
        return f"{line} · {self._note}" if self._note else line

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._text())


cli.add_command(feeds)
cli.add_command(watch)

__all__ = ["feeds", "watch"]
