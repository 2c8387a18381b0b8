"""What every report format shows, worked out once from the report: which number cites which article, how each
source is named, facts grouped by how many outlets carry them, and which words of a quote an outlet changed.

The terminal, Markdown and HTML views all read this, so the three formats number and name sources the same way.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..models import Article, Evidence, Fact, Report

AGREEMENT_HEADINGS = {
    "all": "Reported by every outlet",
    "most": "Reported by most outlets",
    "some": "Reported by some outlets",
    "single": "Reported by one outlet only",
}
LEAN_LABELS = {"left": "Left", "lean_left": "Lean left", "center": "Center", "lean_right": "Lean right",
               "right": "Right", "unknown": "Not rated"}
CONFLICT_LABELS = {"number": "Numbers differ", "date": "Dates differ", "entity": "Names differ",
                   "certainty": "How settled it is", "claim": "Claims differ"}

# Article text is written by strangers: control characters could move a terminal's cursor or hide text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: str | None, *, strip: bool = True) -> str:
    """``text`` with control and direction-override characters removed and runs of white space made one space
    (kept at the ends when not ``strip``, for the parts of a sentence split around a highlighted value)."""
    if not text:
        return ""
    text = re.sub(r"\s+", " ", _CONTROL.sub("", text))
    return text.strip() if strip else text


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) address a reader may follow, else None (never a javascript: link)."""
    if not url:
        return None
    url = url.strip()
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


@dataclass(frozen=True)
class Source:
    """One article as cited in a report: ``[number]`` and the name a reader knows it by."""

    number: int
    article: Article

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def outlet(self) -> str:
        outlet = self.article.outlet
        return clean(outlet.name) if outlet and clean(outlet.name) else "Unknown outlet"

    @property
    def label(self) -> str:
        """The outlet's name; for an unrecognised outlet, the web site or file it came from, so a reader can
        still tell two sources apart and find them."""
        if self.article.outlet and clean(self.article.outlet.name):
            return self.outlet
        url = safe_url(self.article.url)
        if url:
            host = urlsplit(url).hostname or ""
            return host.removeprefix("www.") or f"Source {self.number}"
        name, _, part = clean(self.article.source).rpartition("/")[2].partition("#")
        if len(name) > 28:
            name = name[:27] + "…"
        if not name or name == "-":
            return f"Source {self.number}"
        return f"{name} ({part.replace('-', ' ')})" if part else name

    @property
    def title(self) -> str:
        return clean(self.article.title)

    @property
    def details(self) -> list[str]:
        """Kind, country, ownership and lean of the outlet, as far as they are known."""
        out = []
        if self.article.kind != "article":
            out.append("aggregator page" if self.article.kind == "aggregator" else "snippet on an aggregator page")
        outlet = self.article.outlet
        if not outlet:
            out.append("outlet not recognised")
        else:
            out += [clean(x) for x in (outlet.country, outlet.ownership) if x]
            if outlet.lean:
                rated = f" ({clean(outlet.rating_source)})" if outlet.rating_source else ""
                out.append(f"{LEAN_LABELS[outlet.lean].lower()}{rated}")
        return out


@dataclass
class Word:
    """One word of a quote variant compared with the quote's main wording."""

    text: str
    change: str = "same"  # "same", "added" (only in this outlet's wording) or "removed" (cut by this outlet)


def word_diff(main: str, variant: str) -> list[Word]:
    """Runs of words of ``variant`` against ``main``: kept, added by this outlet, or cut by it, in reading order."""
    a, b = clean(main).split(), clean(variant).split()
    key = [w.strip(".,;:!?\"'“”‘’").lower() for w in a], [w.strip(".,;:!?\"'“”‘’").lower() for w in b]
    words: list[Word] = []

    def add(run: list[str], change: str) -> None:
        if run:
            words.append(Word(" ".join(run), change))

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, key[0], key[1], autojunk=False).get_opcodes():
        if op == "equal":
            add(b[j1:j2], "same")
        else:
            add(a[i1:i2], "removed")
            add(b[j1:j2], "added")
    return words


def variant_words(main: str, variant: str) -> list[Word]:
    """``word_diff`` for showing a variant: words cut at the start or end (a partial quote) become one '…'
    instead of a run of struck-out words, so only the changes inside the quoted words stand out."""
    words = word_diff(main, variant)
    if words and words[0].change == "removed":
        words[0] = Word("…", "elided")
    if len(words) > 1 and words[-1].change == "removed":
        words[-1] = Word("…", "elided")
    return words


@dataclass
class Matrix:
    """Which outlet carries which fact: one row per fact, one column per source, omissions marked."""

    sources: list[Source]
    rows: list[tuple[Fact, list[str]]] = field(default_factory=list)  # cell: "carries", "omits" or ""


class ReportView:
    """The report as the formats show it. Sources are numbered in the report's article order, from 1."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.sources = [Source(n, a) for n, a in enumerate(report.articles, start=1)]
        self._by_id = {s.id: s for s in self.sources}

    def source(self, article_id: str) -> Source | None:
        return self._by_id.get(article_id)

    def numbers(self, article_ids) -> list[int]:
        """Citation numbers for ``article_ids``, each once, in order; ids not in the report are left out."""
        return sorted({self._by_id[i].number for i in article_ids if i in self._by_id})

    def marks(self, article_ids) -> str:
        """Citation marks like ``[1][3]``."""
        return "".join(f"[{n}]" for n in self.numbers(article_ids))

    def label(self, article_id: str) -> str:
        source = self._by_id.get(article_id)
        return source.label if source else clean(article_id)

    def labels(self, article_ids) -> list[str]:
        """Distinct outlet names for ``article_ids``, in citation order."""
        return list(dict.fromkeys(self._by_id[i].label for i in sorted(
            (i for i in article_ids if i in self._by_id), key=lambda i: self._by_id[i].number)))

    def with_citations(self, text: str | None, mark: str = "[{}]") -> str:
        """``text`` (a note another stage wrote) with article ids replaced by citation marks a reader can follow."""
        text = clean(text)
        for source in sorted(self.sources, key=lambda s: -len(s.id)):
            if len(source.id) >= 4 and source.id in text:
                text = re.sub(rf"(?<![\w-]){re.escape(source.id)}(?![\w-])", mark.format(source.number), text)
        return text

    def evidence_for(self, evidence: list[Evidence], article_id: str) -> str:
        """The first evidence sentence ``article_id`` gives, for a citation that reveals it."""
        for item in sorted(evidence, key=lambda e: e.in_title):  # the text's own sentence first
            if item.article == article_id:
                return f"Headline: {clean(item.text)}" if item.in_title else clean(item.text)
        return ""

    @property
    def main_sources(self) -> list[Source]:
        """The reports themselves: not copies of another article."""
        return [s for s in self.sources if not s.article.duplicate_of]

    def facts_by_agreement(self) -> list[tuple[str, list[Fact]]]:
        """Facts more than one outlet carries, grouped under 'every', 'most' and 'some' outlets."""
        groups = []
        for agreement in ("all", "most", "some"):
            facts = [f for f in self.report.facts if f.agreement == agreement]
            if facts:
                groups.append((AGREEMENT_HEADINGS[agreement], facts))
        return groups

    def single_source_facts(self) -> list[tuple[Source | None, list[Fact]]]:
        """Facts only one outlet carries, grouped by that outlet in citation order."""
        by_source: dict[str, list[Fact]] = {}
        for fact in self.report.facts:
            if fact.agreement == "single":
                by_source.setdefault(fact.articles[0] if fact.articles else "", []).append(fact)
        order = sorted(by_source, key=lambda i: self._by_id[i].number if i in self._by_id else 10**9)
        return [(self._by_id.get(i), by_source[i]) for i in order]

    def omissions(self) -> list[tuple[Source | None, list[Fact]]]:
        """For each article, the widely reported facts it leaves out."""
        facts = {f.id: f for f in self.report.facts}
        out = []
        for article_id, fact_ids in self.report.omissions.items():
            missing = [facts[i] for i in fact_ids if i in facts]
            if missing:
                out.append((self._by_id.get(article_id), missing))
        out.sort(key=lambda pair: pair[0].number if pair[0] else 10**9)
        return out

    def matrix(self) -> Matrix:
        """The fact × outlet grid of every fact carried by more than one outlet."""
        omitted = {(a, f) for a, facts in self.report.omissions.items() for f in facts}
        cited = {a for fact in self.report.facts for a in fact.articles} | {a for a, _ in omitted}
        sources = [s for s in self.main_sources if s.id in cited]
        matrix = Matrix(sources)
        for _, facts in self.facts_by_agreement():
            for fact in facts:
                cells = ["carries" if s.id in fact.articles else "omits" if (s.id, fact.id) in omitted else ""
                         for s in sources]
                matrix.rows.append((fact, cells))
        return matrix

    def fact_pieces(self, fact: Fact) -> list[tuple[str, str | None]]:
        """The fact's wording cut around its details: (text, None) for what every cited article carries, and
        (text, "only in [1][3]") for a detail only some of them carry."""
        pieces: list[tuple[str, str | None]] = []
        at = 0
        for detail in sorted(fact.details, key=lambda d: d.start):
            if detail.start < at or detail.end > len(fact.text):
                continue
            pieces.append((fact.text[at:detail.start], None))
            pieces.append((fact.text[detail.start:detail.end], self.detail_note(detail)))
            at = detail.end
        pieces.append((fact.text[at:], None))
        return [(clean(text, strip=False), note) for text, note in pieces if text]

    def detail_note(self, detail) -> str:
        """'only in [1][3]': the cited articles that carry a detail."""
        return f"only in {self.marks(detail.articles)}"

    def detail_lines(self, fact: Fact) -> list[tuple[str, str]]:
        """(detail, 'only in [1][3]') for each detail of the fact, for renderers that list them under it."""
        return [(clean(d.text), self.detail_note(d)) for d in sorted(fact.details, key=lambda d: d.start)]

    @staticmethod
    def value_span(text: str, value: str | None) -> tuple[str, str, str]:
        """``text`` split around the first occurrence of ``value`` so the differing figure can be highlighted."""
        text, value = clean(text), clean(value)
        at = text.lower().find(value.lower()) if value else -1
        if at < 0:
            return text, "", ""
        return text[:at], text[at:at + len(value)], text[at + len(value):]

    def headline(self) -> str:
        return clean(self.report.story.title) or "Untitled story"

    def dateline(self) -> str:
        """'5 reports from 4 outlets, published 2026-03-05 to 2026-03-06'."""
        main = [s for s in self.sources if s.article.kind != "snippet"]
        snippets = len(self.sources) - len(main)
        outlets = {s.outlet for s in self.sources if s.article.outlet}
        story = self.report.story
        span = " to ".join(dict.fromkeys(d for d in (story.first_published, story.last_published) if d))
        parts = [f"{len(main)} report{'s' if len(main) != 1 else ''}"]
        if snippets:
            parts.append(f"{snippets} snippet{'s' if snippets != 1 else ''}")
        text = " and ".join(parts)
        if outlets:
            text += f" from {len(outlets)} named outlet{'s' if len(outlets) != 1 else ''}"
        if span:
            text += f", published {span}"
        return text

    def lean_counts(self) -> list[tuple[str, str, int]]:
        """(key, label, count) for each lean bucket, in left-to-right order, unknown last."""
        lean = self.report.coverage.lean
        return [(k, LEAN_LABELS[k], getattr(lean, k)) for k in LEAN_LABELS]
