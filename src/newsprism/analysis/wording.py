"""How a fact is worded: the evidence sentence that is true for every outlet cited, with its extra details marked.

The wording is chosen among the fact's text claims that stand on their own (``Claim.whole``: never a truncated
excerpt, a headline, or a sentence leaning on one before it): first the one the most sources support, then the one
whose details the other cited outlets cover best, then the most central and plainly worded. A detail of the wording
— a figure, a date, a name, a qualifier ("nearly", "reportedly") — that not every cited outlet carries is listed in
``Fact.details`` with the articles that do carry it, so a reader sees what the outlets agree on and what only some
of them say.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..lang import Resources
from ..models import Detail
from ..text.words import word_spans
from .claims import Claim
from .conflicts import Quantity, consistent


def plainness(claim: Claim, lang: Resources, kind: str) -> float:
    """How plainly a claim words a fact, for the last tie-break: no quotation, no loaded or hedging word, a
    report's own text rather than a snippet's, neither very short nor very long."""
    words = claim.text.split()
    loaded = lang.lexicon["loaded"] | lang.lexicon["hedge_words"]
    score = -0.3 * any(q in claim.text for q in "\"“”")  # a quotation is a speaker's wording, not neutral
    score -= 0.2 * any(w.lower().strip(".,;:") in loaded for w in words)
    score -= 0.15 * (kind != "article")
    score -= 0.1 * (len(words) < 8) + 0.1 * (len(words) > 45)
    return score


def choose_wording(candidates: Sequence[int], supporters: Callable[[int], set[str]],
                   affinity: Callable[[int], float], uncovered: Callable[[int], int],
                   plain: Callable[[int], float]) -> int | None:
    """The wording among ``candidates``: most sources supporting it, then the one the other sources' claims state
    most surely (``affinity``: the mean pair probability), then fewest details the others leave out, then the
    plainest. None when there is no candidate."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    ranked = sorted(((len(supporters(i)), round(affinity(i) + plain(i), 3), -uncovered(i), -k), i)
                    for k, i in enumerate(candidates))
    return ranked[-1][1]


def _figure_carried(figure: Quantity, others: Sequence[Quantity]) -> bool:
    return any((q.unit == figure.unit or not (q.unit and figure.unit)) and consistent(q, figure) for q in others)


def details(wording: Claim, wording_figures: Sequence[Quantity], carriers: dict[str, dict], lang: Resources,
            names: Sequence[tuple[int, int, str]], days: Sequence[tuple[int, int, str]],
            statements: Sequence[tuple[int, int, list[str]]] = ()) -> list[Detail]:
    """The details of ``wording`` that not every cited article carries.

    ``carriers`` maps each cited article to what its supporting claims hold: ``figures`` (quantities), ``names``
    (entity ids), ``days`` (resolved dates) and ``words`` (lower-case words). ``names`` and ``days`` are the
    wording's own (start, end, key) spans, offsets into its article's text. ``statements`` are whole statements
    of the wording the fact is not about — (start, end) in the wording, the articles that state them — and are
    details as a whole (what lies inside one is not listed again).
    """
    found: list[tuple[int, int, list[str]]] = []
    base = wording.start

    def keep(start: int, end: int, carried_by: list[str]) -> None:
        if len(carried_by) < len(carriers) and not any(s <= start and end <= e for s, e, _ in found):
            found.append((start, end, carried_by))

    for start, end, carried_by in statements:
        keep(start, end, carried_by)
    for figure in wording_figures:
        if not figure.unit and not any(ch.isdigit() for ch in figure.text):
            continue  # "a serious one", "one of them": a number word that counts nothing is no detail
        keep(figure.start, figure.end, [a for a, held in carriers.items() if _figure_carried(figure, held["figures"])])
    for start, end, key in days:
        keep(start - base, end - base, [a for a, held in carriers.items() if key in held["days"]])
    for start, end, key in names:
        keep(start - base, end - base, [a for a, held in carriers.items() if key in held["names"]])
    # Qualifiers of certainty ("reportedly", "allegedly"); those of figures ("nearly 250") are the figure's own.
    for start, end, word in word_spans(wording.text):
        word = word.casefold()
        if word in lang.lexicon["hedge_words"]:
            keep(start, end, [a for a, held in carriers.items() if word in held["words"]])
    found.sort()
    return [Detail(text=wording.text[s:e], start=s, end=e, articles=articles) for s, e, articles in found]


__all__ = ["choose_wording", "details", "plainness"]
