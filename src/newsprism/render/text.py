"""The terminal view of a report: what was read, from which outlets, and each section of the analysis."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..models import Article, Report

SECTIONS = ("facts", "conflicts", "quotes", "actors", "framing", "timeline", "summary")


def _outlet_cell(article: Article) -> str:
    outlet = article.outlet
    if outlet is None:
        return "unknown"
    details = [d for d in (outlet.country, outlet.ownership) if d]
    return outlet.name + (f" ({', '.join(details)})" if details else "")


def render_text(report: Report, *, width: int = 100, color: bool = False) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system="standard" if color else None,
                      force_terminal=color, highlight=False, soft_wrap=False)
    story = report.story
    console.print(Text(story.title or "(untitled story)", style="bold"))
    span = " to ".join(dict.fromkeys(d for d in (story.first_published, story.last_published) if d))
    main = [a for a in report.articles if a.kind != "snippet"]
    snippets = len(report.articles) - len(main)
    console.print(f"{len(main)} reports" + (f" and {snippets} snippets" if snippets else "")
                  + (f", published {span}" if span else "") + f" · newsprism {report.newsprism_version}")
    console.print()
    table = Table(title="Articles", title_justify="left", show_lines=False, expand=False)
    for column in ("id", "kind", "outlet", "published", "lang", "words", "removed", "title"):
        table.add_column(column, overflow="fold")
    for article in report.articles:
        title = article.title or ""
        if article.duplicate_of:
            title = f"[copy of {article.duplicate_of}] {title}"
        table.add_row(article.id, article.kind, _outlet_cell(article), article.published or "–",
                      article.language or "–", str(len(article.text.split())), str(len(article.removed)), title)
    console.print(table)
    claims = [(a, c) for a in report.articles for c in a.aggregator_claims]
    if claims:
        console.print()
        console.print(Text("Coverage figures stated by aggregator pages (their claims):", style="bold"))
        for article, claim in claims:
            console.print(f"  {article.id}: {claim}")
    for name in SECTIONS:
        items = getattr(report, name)
        console.print()
        console.print(Text(name.capitalize(), style="bold"))
        if not items:
            console.print("  (none)")
        for item in items:
            text = getattr(item, "text", None) or getattr(item, "description", None) or getattr(item, "name", "")
            arts = getattr(item, "articles", None)
            console.print(f"  • {text}" + (f"  [{', '.join(arts)}]" if arts else ""))
    if report.problems:
        console.print()
        console.print(Text("Inputs that could not be read", style="bold"))
        for problem in report.problems:
            console.print(f"  {problem.message}")
    return buffer.getvalue()
