"""The terminal view of a report: the story at a glance in a 100-column terminal, every statement with citation
marks [n] that point into the numbered table of articles.

Source text only ever reaches the console as ``rich.text.Text`` (never as console markup), with control characters
removed, so an article cannot style, move or hide anything on the reader's terminal.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ..models import Report
from .view import CONFLICT_LABELS, ReportView, Source, clean, variant_words

BAR = "█"
SINGLE_SHOWN = 5  # single-source facts listed per outlet; a long article can have dozens


def _outlet_cell(source: Source) -> str:
    outlet = source.article.outlet
    details = [clean(x) for x in (outlet.country, outlet.ownership) if x] if outlet else []
    return ", ".join([source.label] + details)


class _Writer:
    def __init__(self, console: Console, view: ReportView, color: bool) -> None:
        self.console, self.view, self.color = console, view, color

    def heading(self, title: str) -> None:
        self.console.print()
        self.console.print(Rule(Text(title, style="bold"), align="left", style="dim"))

    def item(self, text: Text, indent: int = 0, bullet: str = "•") -> None:
        """One entry with a hanging indent, so wrapped lines line up under its text."""
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=len(bullet), no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_row(Text(bullet, style="dim"), text)
        self.console.print(Padding(grid, (0, 0, 0, indent)))

    def cited(self, text: str, article_ids, *, prefix: str = "", style: str = "") -> Text:
        out = Text()
        if prefix:
            out.append(prefix, style="bold")
        out.append(clean(text), style=style)
        marks = self.view.marks(article_ids)
        if marks:
            out.append(" " + marks, style="cyan")
        return out

    def none(self, what: str) -> None:
        self.console.print(Text(f"  ({what})", style="dim"))


def _articles(w: _Writer) -> None:
    table = Table(title="Articles", title_justify="left", title_style="bold", show_lines=False, expand=True,
                  box=box.SIMPLE_HEAD, padding=(0, 0), pad_edge=False)
    for column in ("#", "id", "kind", "date", "lang", "words", "cut"):
        # Short values: never wrapped, so the outlet and the title get the room.
        table.add_column(column, no_wrap=column != "id", overflow="fold")
    table.add_column("outlet", ratio=2, overflow="fold")
    table.add_column("title", ratio=3, overflow="fold")
    for source in w.view.sources:
        article = source.article
        title = clean(article.title)
        if article.duplicate_of:
            title = f"[copy of {clean(article.duplicate_of)}] {title}"
        table.add_row(str(source.number), clean(article.id), article.kind, article.published or "–",
                      clean(article.language) or "–", str(len(article.text.split())), str(len(article.removed)),
                      _outlet_cell(source), title)
    w.console.print(table)
    w.console.print(Text("date: published; cut: lines removed as page furniture", style="dim"))
    claims = [(s, c) for s in w.view.sources for c in s.article.aggregator_claims]
    if claims:
        w.console.print(Text("Coverage figures stated by aggregator pages (their claims):", style="bold"))
        for source, claim in claims:
            w.item(Text(f"{clean(claim)} [{source.number}]"))


def _summary(w: _Writer, report: Report) -> None:
    w.heading("Summary")
    if not report.summary:
        w.none("no summary")
    for sentence in report.summary:
        text = w.cited(sentence.text, sentence.articles)
        if sentence.note:
            text.append(f" ({clean(sentence.note)})", style="italic yellow")
        w.item(text)


def _facts(w: _Writer, report: Report) -> None:
    w.heading("Facts")
    groups = w.view.facts_by_agreement()
    if not groups:
        w.none("no fact carried by more than one outlet")
    for heading, facts in groups:
        w.console.print(Text(heading, style="bold"))
        for fact in facts:
            w.item(w.cited(fact.text, fact.articles))
            details = w.view.detail_lines(fact)
            if details:
                w.item(Text("details not every cited outlet gives: "
                            + "; ".join(f"“{text}” ({note})" for text, note in details), style="dim"), indent=2,
                       bullet="–")
    single = w.view.single_source_facts()
    if single:
        w.console.print(Text("Reported by one outlet only", style="bold"))
    for source, facts in single:
        name = f"{source.label} [{source.number}]" if source else "Unknown source"
        w.console.print(Text("  " + name, style="italic"))
        for fact in facts[:SINGLE_SHOWN]:
            w.item(Text(clean(fact.text)), indent=2)
        if len(facts) > SINGLE_SHOWN:
            w.console.print(Text(f"    … and {len(facts) - SINGLE_SHOWN} more (all are in the Markdown, HTML and "
                                 "JSON reports)", style="dim"))
    omissions = w.view.omissions()
    w.heading("Omissions: widely reported facts an outlet leaves out")
    if not omissions:
        w.none("none")
    for source, facts in omissions:
        name = f"{source.label} [{source.number}]" if source else "Unknown source"
        w.console.print(Text("  " + name + " does not report:", style="italic"))
        for fact in facts:
            w.item(w.cited(fact.text, fact.articles), indent=2)


def _conflicts(w: _Writer, report: Report) -> None:
    w.heading("Conflicts")
    if not report.conflicts:
        w.none("none found")
    for conflict in report.conflicts:
        w.item(Text.assemble((CONFLICT_LABELS.get(conflict.kind, conflict.kind) + ": ", "bold"),
                             w.view.with_citations(conflict.description)))
        for claim in conflict.claims:
            before, value, after = ReportView.value_span(claim.text, claim.value)
            source = w.view.source(claim.article)
            text = Text.assemble((f"{w.view.label(claim.article)}: ", "italic"), before,
                                 (value, "bold reverse" if w.color else "bold"), after)
            if source:
                text.append(f" [{source.number}]", style="cyan")
            w.item(text, indent=4, bullet="–")


def _quotes(w: _Writer, report: Report) -> None:
    w.heading("Quotes")
    if not report.quotes:
        w.none("no quotes found")
    for quote in report.quotes:
        speaker = clean(quote.speaker) or "Unattributed"
        text = w.cited(f"“{clean(quote.text)}”", quote.articles, prefix=f"{speaker}: ")
        if quote.single_outlet:
            text.append(" (one outlet only)", style="italic yellow")
        w.item(text)
        for variant in quote.variants:
            if not variant.differs:
                continue
            line = Text.assemble((f"{w.view.label(variant.article)} has: ", "italic"), "“")
            for n, word in enumerate(variant_words(quote.text, variant.text)):
                if n:
                    line.append(" ")
                if word.change in ("same", "elided"):
                    line.append(word.text)
                elif word.change == "added":
                    line.append(word.text if w.color else "{+" + word.text + "+}", style="bold green")
                else:
                    line.append(word.text if w.color else "[-" + word.text + "-]", style="strike red")
            line.append("”")
            line.append(" " + w.view.marks([variant.article]), style="cyan")
            w.item(line, indent=4, bullet="–")
    if any(v.differs for q in report.quotes for v in q.variants) and not w.color:
        w.console.print(Text("  {+word+} only in that outlet's wording; [-word-] left out by it", style="dim"))


def _actors(w: _Writer, report: Report) -> None:
    w.heading("Actors and positions")
    if not report.actors:
        w.none("no actors found")
    for actor in report.actors:
        details = ", ".join(x for x in (clean(actor.role), actor.kind) if x)
        aliases = [clean(a) for a in actor.aliases if clean(a)]
        if aliases:
            details += "; also " + ", ".join(aliases)
        w.item(w.cited(f"({details})", actor.articles, prefix=clean(actor.name) + " "))
        for position in actor.positions:
            w.item(w.cited(f"{clean(position.stance)}: {clean(position.text)}", position.articles),
                   indent=4, bullet="–")


def _framing(w: _Writer, report: Report) -> None:
    w.heading("Framing: the same thing in different words")
    if not report.framing:
        w.none("no contrasts found")
    for contrast in report.framing:
        w.item(Text(clean(contrast.concept), style="bold"))
        for term, ids in contrast.terms.items():
            text = Text.assemble((f"“{clean(term)}”", "bold"), " – ", ", ".join(w.view.labels(ids)),
                                 (" " + w.view.marks(ids), "cyan"))
            quoted = contrast.quoted.get(term)
            if quoted:
                text.append(f" (inside a quotation in {', '.join(w.view.labels(quoted))})", style="italic")
            distancing = contrast.distancing.get(term)
            if distancing:
                text.append(f" (in scare quotes in {', '.join(w.view.labels(distancing))})", style="italic")
            w.item(text, indent=4, bullet="–")
        if contrast.note:
            w.console.print(Padding(Text(w.view.with_citations(contrast.note), style="dim italic"), (0, 0, 0, 4)))


def _headlines(w: _Writer, report: Report) -> None:
    w.heading("Headlines compared")
    if not report.headlines:
        w.none("no headlines")
    for headline in report.headlines:
        tag = f" ({clean(headline.certainty)})" if headline.certainty else ""
        w.item(Text.assemble((f"{w.view.label(headline.article)}{tag}: ", "italic"), clean(headline.title),
                             (" " + w.view.marks([headline.article]), "cyan")))


def _timeline(w: _Writer, report: Report) -> None:
    w.heading("Timeline")
    if not report.timeline:
        w.none("no dated events")
    width = max((len(e.date) for e in report.timeline), default=4)
    for entry in report.timeline:
        text = w.cited(entry.text, entry.articles, style="dim" if entry.background else "")
        if entry.background:
            text.append(" (background)", style="italic")
        w.item(text, bullet=clean(entry.date).ljust(width))


def _bars(w: _Writer, rows: list[tuple[str, int]]) -> None:
    total = max((n for _, n in rows), default=0)
    width = max((len(label) for label, _ in rows), default=0)
    for label, count in rows:
        bar = BAR * round(30 * count / total) if total else ""
        w.console.print(Text.assemble("  ", label.ljust(width), " ", (bar, "cyan"), f" {count}"))


def _coverage(w: _Writer, report: Report) -> None:
    coverage = report.coverage
    w.heading("Coverage")
    w.console.print(Text(f"{coverage.articles} articles from {coverage.outlets} outlets"
                         + (f", {coverage.first_published} to {coverage.last_published}"
                            if coverage.first_published else "")))
    w.console.print(Text("Lean of the outlets" + (f" (ratings: {', '.join(clean(s) for s in coverage.rating_sources)})"
                                                  if coverage.rating_sources else ""), style="bold"))
    _bars(w, [(label, n) for _, label, n in w.view.lean_counts()])
    if coverage.countries:
        w.console.print(Text("Countries", style="bold"))
        _bars(w, [(clean(k), v) for k, v in sorted(coverage.countries.items(), key=lambda kv: -kv[1])])
    if coverage.ownership:
        w.console.print(Text("Ownership", style="bold"))
        _bars(w, [(clean(k), v) for k, v in sorted(coverage.ownership.items(), key=lambda kv: -kv[1])])
    if coverage.state_media:
        w.console.print(Text.assemble(("State media: ", "bold yellow"),
                                      ", ".join(clean(s) for s in coverage.state_media)))
    if coverage.blindspot:
        w.console.print(Text.assemble(("Blindspot: ", "bold"), clean(coverage.blindspot)))
    for claim in coverage.aggregator_claims:
        w.console.print(Text(f"Aggregator's own figure: {clean(claim.text)} {w.view.marks([claim.article])}"))


def render_text(report: Report, *, width: int = 100, color: bool = False) -> str:
    """The report as terminal text no wider than ``width`` columns (ANSI styles only when ``color``)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      force_terminal=color, highlight=False, soft_wrap=False, emoji=False, markup=False)
    view = ReportView(report)
    w = _Writer(console, view, color)
    console.print(Text(view.headline(), style="bold"))
    console.print(Text(f"{view.dateline()} · newsprism {clean(report.newsprism_version)}", style="dim"))
    console.print()
    _articles(w)
    for section in (_summary, _facts, _conflicts, _quotes, _actors, _framing, _headlines, _timeline, _coverage):
        section(w, report)
    if report.problems:
        w.heading("Inputs that could not be read")
        for problem in report.problems:
            w.item(Text(clean(problem.message)))
    # The hanging-indent grids pad every line to the full width; trailing blanks only get in the way of pasting.
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


__all__ = ["render_text"]
