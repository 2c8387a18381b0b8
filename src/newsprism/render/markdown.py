"""The report as Markdown, for pasting into a newsroom document or an issue: the same sections as the terminal view,
with citations as footnotes ``[^n]`` that resolve to the numbered list of sources at the end.

Source text is escaped so it cannot open a link, an image, raw HTML or a table cell of its own.
"""

from __future__ import annotations

import re

from ..models import Report
from .view import CONFLICT_LABELS, ReportView, clean, safe_url, variant_words

# Characters that start Markdown syntax inside a line (every line starts with our own markup, so line-start syntax
# such as '#', '-' or '>' cannot take effect); '<' and '&' become entities so no raw HTML gets through.
_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def md(text: str | None, *, strip: bool = True) -> str:
    """Untrusted text made inert in Markdown: one line, syntax characters escaped, no raw HTML."""
    text = clean(text, strip=strip).replace("&", "&amp;").replace("<", "&lt;")
    return _SPECIAL.sub(r"\\\1", text)


def _link(url: str | None) -> str | None:
    url = safe_url(url)
    if url is None:
        return None
    return re.sub(r"[()<>\[\] ]", lambda m: "%{:02X}".format(ord(m.group())), url)


class _Doc:
    def __init__(self, view: ReportView) -> None:
        self.view, self.lines = view, []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def blank(self) -> None:
        """One empty line before a block, never two."""
        if self.lines and self.lines[-1]:
            self.lines.append("")

    def heading(self, title: str, level: int = 2) -> None:
        self.blank()
        self.lines += [f"{'#' * level} {title}", ""]

    def cite(self, article_ids) -> str:
        return "".join(f"[^{n}]" for n in self.view.numbers(article_ids))

    def note(self, text: str | None) -> str:
        """A note another stage wrote, escaped, with the article ids in it turned into footnote citations."""
        return self.view.with_citations(md(text), "[^{}]")

    def none(self, what: str) -> None:
        self.lines.append(f"_{what}_")


def _summary(d: _Doc, report: Report) -> None:
    d.heading("Summary")
    if not report.summary:
        d.none("No summary.")
    for sentence in report.summary:
        note = f" _({md(sentence.note)})_" if sentence.note else ""
        d.add(f"- {md(sentence.text)}{d.cite(sentence.articles)}{note}")


def _facts(d: _Doc, report: Report) -> None:
    d.heading("Facts")
    groups = d.view.facts_by_agreement()
    if not groups:
        d.none("No fact is carried by more than one outlet.")
    for heading, facts in groups:
        d.heading(heading, 3)
        for f in facts:
            d.add(f"- {md(f.text)}{d.cite(f.articles)}")
            details = d.view.detail_lines(f)
            if details:
                d.add("  - details not every cited outlet gives: "
                      + "; ".join(f"“{md(text)}” ({md(note)})" for text, note in details))
    single = d.view.single_source_facts()
    if single:
        d.heading("Reported by one outlet only", 3)
    for source, facts in single:
        d.add(f"- **{md(source.label) if source else 'Unknown source'}**{d.cite([source.id]) if source else ''}")
        d.add(*(f"  - {md(f.text)}" for f in facts))
    d.heading("Omissions")
    omissions = d.view.omissions()
    if not omissions:
        d.none("No outlet leaves out a widely reported fact.")
    for source, facts in omissions:
        d.add(f"- **{md(source.label) if source else 'Unknown source'}** does not report:")
        d.add(*(f"  - {md(f.text)}{d.cite(f.articles)}" for f in facts))


def _conflicts(d: _Doc, report: Report) -> None:
    d.heading("Conflicts")
    if not report.conflicts:
        d.none("No conflicts found.")
    for conflict in report.conflicts:
        d.add(f"- **{CONFLICT_LABELS.get(conflict.kind, md(conflict.kind))}:** {d.note(conflict.description)}")
        for claim in conflict.claims:
            before, value, after = ReportView.value_span(claim.text, claim.value)
            value = f"**{md(value)}**" if value else ""
            sentence = f"{md(before, strip=False)}{value}{md(after, strip=False)}"
            d.add(f"  - _{md(d.view.label(claim.article))}:_ {sentence}{d.cite([claim.article])}")


def _quotes(d: _Doc, report: Report) -> None:
    d.heading("Quotes")
    if not report.quotes:
        d.none("No quotes found.")
    for quote in report.quotes:
        only = " _(one outlet only)_" if quote.single_outlet else ""
        d.add(f"- **{md(quote.speaker) or 'Unattributed'}:** “{md(quote.text)}”{d.cite(quote.articles)}{only}")
        for variant in quote.variants:
            if not variant.differs:
                continue
            words = []
            for word in variant_words(quote.text, variant.text):
                text = md(word.text)
                words.append(f"**{text}**" if word.change == "added" else f"~~{text}~~" if word.change == "removed"
                             else text)
            d.add(f"  - _{md(d.view.label(variant.article))} has:_ “{' '.join(words)}”{d.cite([variant.article])}")
    if any(v.differs for q in report.quotes for v in q.variants):
        d.add("", "_In a variant, **bold** words are only in that outlet's wording and ~~struck~~ words are left "
                  "out by it._")


def _actors(d: _Doc, report: Report) -> None:
    d.heading("Actors and positions")
    if not report.actors:
        d.none("No actors found.")
    for actor in report.actors:
        details = ", ".join(md(x) for x in (actor.role, actor.kind) if x)
        aliases = ", ".join(md(a) for a in actor.aliases if clean(a))
        d.add(f"- **{md(actor.name)}** ({details}{'; also ' + aliases if aliases else ''}){d.cite(actor.articles)}")
        for position in actor.positions:
            d.add(f"  - {md(position.stance)}: {md(position.text)}{d.cite(position.articles)}")


def _framing(d: _Doc, report: Report) -> None:
    d.heading("Framing: the same thing in different words")
    if not report.framing:
        d.none("No contrasts found.")
    for contrast in report.framing:
        d.blank()
        d.add(f"**{md(contrast.concept)}**", "", "| term | used by | note |", "| --- | --- | --- |")
        for term, ids in contrast.terms.items():
            notes = []
            if contrast.quoted.get(term):
                notes.append("inside a quotation in " + ", ".join(md(x) for x in d.view.labels(contrast.quoted[term])))
            if contrast.distancing.get(term):
                notes.append("in scare quotes in " + ", ".join(md(x) for x in d.view.labels(contrast.distancing[term])))
            users = ", ".join(md(x) for x in d.view.labels(ids))
            d.add(f"| “{md(term)}” | {users}{d.cite(ids)} | {'; '.join(notes)} |")
        if contrast.note:
            d.add("", f"_{d.note(contrast.note)}_")


def _headlines(d: _Doc, report: Report) -> None:
    d.heading("Headlines compared")
    if not report.headlines:
        d.none("No headlines.")
        return
    d.add("| outlet | headline | verb | how settled |", "| --- | --- | --- | --- |")
    for h in report.headlines:
        d.add(f"| {md(d.view.label(h.article))}{d.cite([h.article])} | {md(h.title)} | {md(h.verb)} "
              f"| {md(h.certainty)} |")


def _timeline(d: _Doc, report: Report) -> None:
    d.heading("Timeline")
    if not report.timeline:
        d.none("No dated events.")
    for entry in report.timeline:
        background = " _(background)_" if entry.background else ""
        d.add(f"- **{md(entry.date)}** {md(entry.text)}{d.cite(entry.articles)}{background}")


def _coverage(d: _Doc, report: Report) -> None:
    c = report.coverage
    d.heading("Coverage")
    span = f", {md(c.first_published)} to {md(c.last_published)}" if c.first_published else ""
    d.add(f"{c.articles} articles from {c.outlets} outlets{span}.", "")
    ratings = f" (ratings: {', '.join(md(s) for s in c.rating_sources)})" if c.rating_sources else ""
    d.add(f"| lean{ratings} | outlets |", "| --- | ---: |")
    d.add(*(f"| {label} | {n} |" for _, label, n in d.view.lean_counts()))
    for title, counts in (("country", c.countries), ("ownership", c.ownership)):
        if counts:
            d.add("", f"| {title} | outlets |", "| --- | ---: |")
            d.add(*(f"| {md(k)} | {v} |" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])))
    if c.state_media:
        d.add("", f"**State media:** {', '.join(md(s) for s in c.state_media)}")
    if c.blindspot:
        d.add("", f"**Blindspot:** {md(c.blindspot)}")
    for claim in c.aggregator_claims:
        d.add("", f"Aggregator's own figure: {md(claim.text)}{d.cite([claim.article])}")


def _sources(d: _Doc) -> None:
    d.heading("Sources")
    for source in d.view.sources:
        title = md(source.title) or "_untitled_"
        link = _link(source.article.url)
        if link:
            title = f"[{title}]({link})"
        details = ", ".join(md(x) for x in [source.article.published or ""] + source.details if x)
        d.add(f"[^{source.number}]: **{md(source.label)}** — {title}" + (f" ({details})" if details else ""))


def render_markdown(report: Report) -> str:
    """The report as one Markdown document (GitHub-flavoured: tables, strike-through and footnotes)."""
    view = ReportView(report)
    d = _Doc(view)
    d.add(f"# {md(view.headline())}", "", f"_{md(view.dateline())} · newsprism {md(report.newsprism_version)}_")
    for section in (_summary, _facts, _conflicts, _quotes, _actors, _framing, _headlines, _timeline, _coverage):
        section(d, report)
    if report.problems:
        d.heading("Inputs that could not be read")
        d.add(*(f"- {md(p.message)}" for p in report.problems))
    _sources(d)
    return "\n".join(d.lines) + "\n"
