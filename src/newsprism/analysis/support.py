"""Does an outlet's sentence state a fact? Support, not similarity: same event, same action, same status.

Facts are grouped by similarity (facts.py); a group's claims only support its wording when this check passes, per
claim:

- the pair model (alignment.py) gives the claim and the wording a probability of stating the same fact of at least
  ``SUPPORT`` (fitted for precision on the labelled pairs, ``benchmarks/facts.py``; in alignment_weights.json);
- both report a compatible **status** of the main event, past any verb of saying: ``past`` (it happened),
  ``present`` (it is, it is happening: "rules", "is ending"), ``planned`` (it will; "said it would", it is set to,
  scheduled, expected, plans to), ``tentative`` (it may, could, might; offered, proposed, considered), ``negated``
  (it did not), ``question``. A preview does not state that the thing happened (``planned`` or ``tentative`` against
  ``past``), an offer does not state that it was done, a denial does not state it. The present goes with the past
  (a headline's "Court rules" reports the ruling) and with what is planned ("is ending its mission" / "would end its
  mission"); ``planned`` and ``tentative`` go together ("may vote Wednesday" / "will vote as early as Wednesday");
- no **figure** of one contradicts a figure of the other counting the same thing, and no day one gives for an event
  contradicts the other's: a mismatch there is a conflict (conflicts.py), not support.
"""

from __future__ import annotations

from ..lang import Resources
from .conflicts import Quantity, consistent

STATUSES = ("past", "present", "planned", "tentative", "negated", "question")
_KINDRED = {frozenset({"planned", "tentative"}), frozenset({"past", "present"}), frozenset({"present", "planned"}),
            frozenset({"present", "tentative"})}
_FUTURE = {"will", "shall", "'ll", "wo", "gon"}
_MAX_DEPTH = 3


def status(doc, start: int, end: int, text: str, lang: Resources) -> str:
    """The status of a claim's main event (see the module docstring); ``present`` when nothing marks another."""
    return main_event(doc, start, end, text, lang)[0]


def main_event(doc, start: int, end: int, text: str, lang: Resources) -> tuple[str, str]:
    """(the status of a claim's main event, the lemma of its verb).

    The main verb is the root of the claim's first sentence; a verb of saying ("said", "told") hands on to the clause
    it reports ("X said Y would vote" is ``planned``: what is reported is a vote to come).
    """
    found, verb = _main_event(doc, start, end, text, lang)
    return found, verb.lemma_.lower() if verb is not None else ""


def _main_event(doc, start: int, end: int, text: str, lang: Resources):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return ("question" if text.rstrip(" \"'”’)").endswith("?") else "present"), None
    try:
        verb = next(iter(span.sents)).root
    except (ValueError, StopIteration):  # a doc without sentence boundaries
        verb = span.root
    if text.rstrip(" \"'”’)").endswith("?"):
        return "question", verb
    lex = lang.lexicon
    reporting, tentative, modal = lex["reporting"], lex["tentative"], lex["modal"]
    reported_past = False
    for _ in range(_MAX_DEPTH):
        if verb.lemma_.lower() not in reporting:
            break
        inner = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and span.start <= c.i < span.end]
        if not inner:
            break
        if inner[0].dep_ == "xcomp" and verb.lemma_.lower() in tentative:
            return "tentative", inner[0]  # "offered to drop", "signalled readiness to"
        reported_past = reported_past or verb.tag_ in lang.tags.past
        verb = inner[0]
    children = list(verb.children)
    words = {c.lower_ for c in children if c.dep_ in ("aux", "auxpass", "neg", "advmod", "mark")}
    if any(c.dep_ == "neg" for c in children) or words & lang.negations:
        return "negated", verb
    if any(c.dep_ == "advcl" and any(g.lower_ in lang.condition_marks for g in c.children) for c in children):
        return "tentative", verb
    if words & _FUTURE or any(c.lower_ == "going" and c.dep_ == "aux" for c in children):
        return "planned", verb
    if reported_past and words & lang.reported_future:
        return "planned", verb  # "said the US would end its mission": the future as told in the past
    lemma = verb.lemma_.lower()
    # "was prepared to forgo", "expressed readiness to forgo": the offer is in the word the verb governs (an
    # object only when it is such a word: "accepted the offer" is done)
    governed = {c.lemma_.lower() for c in children if c.dep_ in ("xcomp", "acomp")}
    governed |= {c.lemma_.lower() for c in children if c.dep_ in ("dobj", "attr")} & lang.certainty_nouns
    if lemma in lang.plan_words and (any(c.dep_ == "xcomp" for c in children) or lemma in lang.schedule_words):
        return "planned", verb  # "plans to", "is set to", "is expected to", "scheduled for"
    if words & modal or lemma in tentative or words & tentative or governed & tentative:
        return "tentative", verb
    if verb.tag_ in lang.tags.past or any(c.dep_ == "aux" and c.lemma_.lower() in lang.perfect_aux
                                          for c in children):
        return "past", verb
    return "present", verb


def compatible(a: str, b: str) -> bool:
    """Whether two statuses can state one fact."""
    return a == b or frozenset({a, b}) in _KINDRED


def figures_clash(a: tuple[Quantity, ...], b: tuple[Quantity, ...]) -> bool:
    """Whether the two claims give figures for the same counted thing that cannot both be true."""
    for qa in a:
        same_unit = [qb for qb in b if qb.unit and qb.unit == qa.unit]
        if qa.unit and same_unit and not any(consistent(qa, qb) for qb in same_unit):
            return True
    return False


def agrees(claim, wording) -> bool:
    """Whether nothing in two claims (``ClaimInfo``) keeps one from stating the other: compatible statuses, no
    clashing figure, no other day."""
    if not compatible(claim.status, wording.status) or figures_clash(claim.figures, wording.figures):
        return False
    days, other = ({d for d in x.dates if len(d) == 10} for x in (claim, wording))
    return not (days and other and not days & other)


def supports(claim, wording, probability: float, floor: float) -> bool:
    """Whether a claim states the fact a wording states (see the module docstring); both are ``ClaimInfo``."""
    return probability >= floor and agrees(claim, wording)


__all__ = ["STATUSES", "agrees", "compatible", "figures_clash", "main_event", "status", "supports"]
