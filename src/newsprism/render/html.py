"""The report as one self-contained HTML page: the story page a reader opens offline, with citations that reveal
their evidence sentence, a fact × outlet matrix, conflicts side by side, quote variants with the changed words
marked, framing, headlines, a timeline and coverage charts drawn as inline SVG.

Article text is untrusted. The template escapes everything (Jinja2 autoescape), links are kept only when they are
plain http(s) addresses, and a Content-Security-Policy lets the page run nothing but its own inline script
(allowed by hash) and fetch nothing at all, so even markup that slipped through could neither run nor phone home.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..models import Evidence, Report
from .view import CONFLICT_LABELS, LEAN_LABELS, ReportView, clean, safe_url, variant_words

LEAN_COLOURS = {"left": "#2f5f98", "lean_left": "#86a9d4", "center": "#9a8fb0", "lean_right": "#dc9a92",
                "right": "#b03a30", "unknown": "#c9c9c9"}
BAR = "#4d6b8a"
STATE_BAR = "#b7791f"  # state-owned and state-affiliated outlets stand out in the ownership chart
UNKNOWN_BAR = LEAN_COLOURS["unknown"]
MAX_CITATIONS = 12  # citation buttons per statement; the rest are counted (the matrix shows every outlet)


def _script() -> str:
    return resources.files(__package__).joinpath("templates", "report.js").read_text(encoding="utf-8")


def content_security_policy(script: str) -> str:
    """No network at all; styles inline; script only the page's own, pinned by its sha256 hash."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
            f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("newsprism.render", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["clean"] = clean
    return env


class _Cited(list):
    """The citations shown for one statement, and how many more sources carry it."""

    more: int = 0


class _Citations:
    """Citation marks with their evidence; each gets a page-unique id for the button that reveals it."""

    def __init__(self, view: ReportView) -> None:
        self.view, self._ids = view, itertools.count(1)

    def __call__(self, article_ids, evidence: list[Evidence] | None = None) -> _Cited:
        out = _Cited()
        numbers = self.view.numbers(article_ids)
        # A fact in a story of hundreds of articles would otherwise carry hundreds of buttons (and pop-ups).
        out.more = max(0, len(numbers) - MAX_CITATIONS)
        for number in numbers[:MAX_CITATIONS]:
            source = self.view.sources[number - 1]
            sentence = self.view.evidence_for(evidence or [], source.id)
            out.append({"number": number, "label": source.label, "title": source.title,
                        "evidence": sentence, "id": f"ev{next(self._ids)}"})
        return out


def _bars(rows: list[tuple[str, int, str]]) -> dict:
    """A horizontal bar chart as the template draws it in SVG: label, count, colour and bar length per row."""
    top = max((n for _, n, _ in rows), default=0)
    return {"height": 28 * len(rows) + 4,
            "rows": [{"label": label, "count": n, "colour": colour, "y": 28 * i + 2,
                      "width": round(190 * n / top) if top else 0} for i, (label, n, colour) in enumerate(rows)]}


def _coverage(view: ReportView) -> dict:
    c = view.report.coverage
    lean = view.lean_counts()
    total = sum(n for _, _, n in lean)
    stack, x = [], 0.0
    for key, label, n in lean:
        if n and total:
            width = 100 * n / total
            stack.append({"label": label, "count": n, "x": round(x, 3), "width": round(width, 3),
                          "colour": LEAN_COLOURS[key]})
            x += width
    countries = sorted(c.countries.items(), key=lambda kv: (-kv[1], kv[0]))
    ownership = sorted(c.ownership.items(), key=lambda kv: (-kv[1], kv[0]))
    return {
        "lean": _bars([(label, n, LEAN_COLOURS[key]) for key, label, n in lean]),
        "lean_stack": stack,
        "countries": _bars([(clean(k), v, UNKNOWN_BAR if k == "unknown" else BAR) for k, v in countries]),
        "ownership": _bars([(clean(k), v, STATE_BAR if k in ("state-owned", "state-affiliated") else
                             UNKNOWN_BAR if k == "unknown" else BAR) for k, v in ownership]),
    }


def _quote_rows(view: ReportView) -> list[dict]:
    rows = []
    for quote in view.report.quotes:
        variants = []
        for variant in quote.variants:
            words = variant_words(quote.text, variant.text) if variant.differs else []
            variants.append({"variant": variant, "label": view.label(variant.article),
                             "number": view.numbers([variant.article]), "words": words})
        rows.append({"quote": quote, "variants": variants})
    return rows


def section_context(report: Report) -> dict:
    """What the report's sections (report_sections.html.j2) are drawn from: shared by the self-contained page and
    the server's story page."""
    view = ReportView(report)
    return dict(report=report, view=view, cite=_Citations(view), safe_url=safe_url, coverage=_coverage(view),
                matrix=view.matrix(), quotes=_quote_rows(view), conflict_labels=CONFLICT_LABELS,
                lean_labels=LEAN_LABELS, lean_colours=LEAN_COLOURS, value_span=ReportView.value_span)


def render_html(report: Report) -> str:
    """The report as one HTML document that needs no network to open and runs no script but its own."""
    script = _script()
    template = _environment().get_template("report.html.j2")
    return template.render(csp=content_security_policy(script), script=Markup(script), **section_context(report))
