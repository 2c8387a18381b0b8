"""Where do the reports disagree: on a number, a date, who did something, whether it happened, or whether at all?

Only claims already aligned as one fact (facts.py) are compared for numbers, certainty, actors and negation, so
two unrelated figures never clash. Dates are compared per event: the noun or verb a date expression is attached
to ("talks ... on Sunday", "talks scheduled for December 15") and a place or body named with it. Figures are
normalised before comparing: "five hours" and "more than five hours" are consistent (intervals that touch), and
relative dates are resolved by temporal.py against each article's publication date or the story's dates.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from functools import cache

from ..lang import Resources, default
from ..models import Conflict, ConflictClaim
from .alignment import FEATURES, value_agreement
from .claims import Claim
from .stage import StageView

RELATED = 0.2  # probability (dates signal left out) above which two dated claims speak of one event
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen", "₹": "rupee"}


@cache
def _quantity_pattern(lang: Resources) -> re.Pattern:
    number = r"\d+(?:,\d{3})*(?:\.\d+)?|" + "|".join(sorted(lang.number_words, key=len, reverse=True))
    modifiers = "|".join(lang.modifiers)
    scales = "|".join(lang.scale_words)
    return re.compile(
        rf"(?:\b(?P<mod>{modifiers})\s+)?\b(?P<num>{number})\b(?:[\s-]+(?P<scale>{scales}))?"
        r"(?:[\s-]+(?P<unit>[A-Za-z%][A-Za-z-]*)(?: (?P<unit2>[a-z][a-z-]*))?)?", re.I)


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float
    low: float
    high: float
    unit: str


def _singular(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def quantities(text: str, lang: Resources | None = None) -> list[Quantity]:
    """Figures in ``text`` as intervals with the noun they count ("about 110" → 93.5–126.5, unit None).

    >>> [(q.value, q.low, q.high, q.unit) for q in quantities("more than five hours of talks")]
    [(5.0, 5.0, inf, 'hour')]
    """
    lang = lang or default()
    stop = lang.words("stopwords.txt")
    found = []
    for m in _quantity_pattern(lang).finditer(text):
        raw = m.group("num").lower()
        before = text[:m.start("num")].rstrip()
        # "Article 5", "World War II", "Dec 14": a number right after a capitalised word is a name or a date (not
        # after a capitalised function word opening a sentence: "The 0.9 percent rise")
        name = re.search(r"\b([A-Z][a-z]*)\.?$", before)
        if raw[0].isdigit() and name and name.group(1).lower() not in stop and not m.group("mod"):
            continue
        value = float(raw.replace(",", "")) if raw[0].isdigit() else float(lang.number_words[raw])
        if m.group("scale"):
            value *= lang.scale_words[m.group("scale").lower()]
        unit = (m.group("unit") or "").lower()
        second = (m.group("unit2") or "").lower()
        if unit and unit not in lang.not_units and second and second not in lang.not_units \
                and second.endswith("s") and not unit.endswith("s"):
            unit = second  # "two support beams" counts beams, "138 attack drones" drones; "2,500 troops remain" troops
        # Signs written onto the number count what they name: "4.2%", "$3.5 trillion".
        start, end = m.start(), m.end()
        if text[m.end("num"):m.end("num") + 1] == "%":
            unit, end = "percent", max(end, m.end("num") + 1)
        elif before[-1:] in _CURRENCY and not m.group("mod"):
            unit, start = _CURRENCY[before[-1]], m.start("num") - 1
        if raw[0].isdigit() and 1900 <= value <= 2100 and not m.group("scale") and unit in ("", *lang.not_units):
            continue  # a year
        low_f, high_f = lang.modifiers.get((m.group("mod") or "").lower(), (1.0, 1.0))
        found.append(Quantity(start, end, text[start:end], value, value * low_f, value * high_f,
                              "" if unit in lang.not_units else _singular(unit)))
    return found


def consistent(a: Quantity, b: Quantity) -> bool:
    """Two figures agree when their intervals meet (with 2% slack for rounding)."""
    return a.low <= b.high * 1.02 and b.low <= a.high * 1.02


@dataclass(frozen=True)
class Certainty:
    mark: str  # 'done' or 'tentative'
    phrase: str  # the words that say so: "relinquished", "has offered to drop"
    about: frozenset[str]  # the nouns of what is done or offered, to tell one action from another


def certainty(doc, start: int, end: int, lang: Resources | None = None) -> Certainty | None:
    """Whether the claim's main event, past any reporting verb, is reported as done or as tentative.

    "said Ukraine relinquished its ambition" → done; "has offered to drop" / "would relinquish … if" → tentative.
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    lang = lang or default()
    lex = lang.lexicon
    reporting, tentative, modal = set(lex["reporting"]), set(lex["tentative"]), set(lex["modal"])
    verb = span.root
    for _ in range(3):  # look through "X said (that) Y did Z"
        if verb.lemma_.lower() not in reporting:
            break
        inner = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp") and c.i < span.end]
        if not inner:
            break
        if inner[0].dep_ == "xcomp" and verb.lemma_.lower() in tentative:
            return Certainty("tentative", doc[verb.i:inner[0].i + 1].text, _about(verb))
        verb = inner[0]
    lemma = verb.lemma_.lower()
    words = {c.lower_ for c in verb.children if c.dep_ in ("aux", "mark", "neg", "advmod")}
    words |= {c.lemma_.lower() for c in verb.children if c.dep_ in ("acomp", "xcomp", "attr")}
    if words & lang.negations:
        return None  # "would not accept" is a refusal, not an offer
    if lemma in tentative or words & tentative or words & modal:
        return Certainty("tentative", _phrase(doc, verb), _about(verb))
    if any(c.dep_ == "advcl" and any(g.lower_ in lang.condition_marks for g in c.children) for c in verb.children):
        return Certainty("tentative", verb.text, _about(verb))
    if verb.tag_ in lang.tags.past and verb.pos_ == "VERB" and lemma not in reporting:
        return Certainty("done", verb.text, _about(verb))
    return None


def _about(verb) -> frozenset[str]:
    """Nouns in the verb's clause outside its subject: what is relinquished, offered, secured."""
    subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    return frozenset(t.lemma_.lower() for t in verb.subtree
                     if t.pos_ in ("NOUN", "PROPN") and t.i not in subject and not t.is_stop)


def _phrase(doc, verb) -> str:
    """The verb with its auxiliaries and the verb it governs: "would relinquish", "was prepared to forgo"."""
    first = min([verb.i, *(c.i for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i)])
    last = verb.i
    for child in verb.children:
        if child.dep_ in ("xcomp", "acomp") and child.i > verb.i:
            last = max(last, child.i, *(g.i for g in child.children if g.dep_ == "xcomp" and g.i - child.i < 4))
    return doc[first:last + 1].text if last - first < 8 else verb.text


def _negated(doc, start: int, end: int, lang: Resources) -> tuple[str, bool, frozenset[str]] | None:
    """(main verb, whether it is negated, what it is about) — not for verbs of saying or thinking."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or span.root.pos_ not in ("VERB", "AUX"):
        return None
    lemma = span.root.lemma_.lower()
    if lemma in lang.lexicon["reporting"] or lemma in lang.lexicon["cognition"]:
        return None
    return lemma, any(c.dep_ == "neg" for c in span.root.children), _about(span.root)


def _subject(doc, start: int, end: int, index, article: str):
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    for child in span.root.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            found = index.at(article, child.left_edge.idx, child.right_edge.idx + len(child.right_edge))
            return (span.root.lemma_.lower(), found[0]) if len(found) == 1 else None
    return None


class ConflictsStage:
    name = "conflicts"
    requires = ("claims", "facts", "entities", "temporal")
    provides = ("conflicts",)

    def run(self, ctx: StageView) -> None:
        al = ctx["claims"]
        docs = {a.id: ctx.annotations.doc(a.id) for a in ctx.readable}
        langs = {a.id: ctx.language(a) for a in ctx.readable}
        found: list[Conflict] = []
        for group in al.groups:
            if len({al.sources[i] for i in group}) < 2:
                continue
            found.extend(_fact_conflicts(group, al, docs, langs, ctx["entities"]))
        found.extend(_date_conflicts(ctx, al, docs))
        for n, conflict in enumerate(found, 1):
            conflict.id = f"c{n}"
        ctx["conflicts"] = found


def _claim(c: Claim, value: str | None = None) -> ConflictClaim:
    return ConflictClaim(article=c.article, text=c.text, value=value, start=c.start, end=c.end)


def _fact_conflicts(group: list[int], al, docs, langs: dict[str, Resources], index) -> list[Conflict]:
    conflicts: list[Conflict] = []
    # Headlines are compared by the headlines stage; here only claims of the articles' text, whose parse is at hand.
    group = [i for i in group if not al.claims[i].in_title]
    claims = [al.claims[i] for i in group]
    # certainty: one outlet reports as done what another reports as offered, proposed or conditional
    marks = {c.id: certainty(docs[c.article], c.start, c.end, langs[c.article]) for c in claims}
    done = [c for c in claims if marks[c.id] and marks[c.id].mark == "done"]
    tentative = [c for c in claims if marks[c.id] and marks[c.id].mark == "tentative"]
    source = {c.id: al.sources[i] for c, i in zip(claims, group)}
    position = {c.id: i for c, i in zip(claims, group)}

    def similarity(d: Claim, t: Claim) -> float:
        i, j = sorted((position[d.id], position[t.id]))
        return al.scores.get((i, j), 0.0)

    # the closest-worded pair names the difference best ("relinquished" vs "offered to drop")
    # and both must speak of the same action: at least two nouns of what is done / offered in common
    pairs = sorted(((d, t) for d in done for t in tentative if source[d.id] != source[t.id]
                    and len(marks[d.id].about & marks[t.id].about) >= 2),
                   key=lambda pair: -similarity(*pair))
    if pairs:
        d, t = pairs[0]
        done = [c for c in done if any(c is x for x, _ in pairs)]
        tentative = [c for c in tentative if any(c is y for _, y in pairs)]
        conflicts.append(Conflict(id="", kind="certainty", claims=[
            *(_claim(c, marks[c.id].phrase) for c in done), *(_claim(c, marks[c.id].phrase) for c in tentative)],
            description=f"One report states as done (\u201c{marks[d.id].phrase}\u201d) what others report as "
                        f"offered or conditional (\u201c{marks[t.id].phrase}\u201d)."))
    figures = {c.id: [q for q in quantities(c.text, langs[c.article]) if q.unit] for c in claims}
    negation = {c.id: _negated(docs[c.article], c.start, c.end, langs[c.article]) for c in claims}
    subject = {c.id: _subject(docs[c.article], c.start, c.end, index, c.article) for c in claims}
    clashes: dict[str, dict[str, tuple[Claim, Quantity]]] = defaultdict(dict)
    seen: set[tuple[str, str]] = set()
    for a, b in combinations(claims, 2):
        if source[a.id] == source[b.id]:
            continue
        # numbers: figures counting the same thing that cannot both be true, one conflict per counted thing
        for qa in figures[a.id]:
            for qb in figures[b.id]:
                if qa.unit == qb.unit and not consistent(qa, qb):
                    clashes[qa.unit].setdefault(a.id, (a, qa))
                    clashes[qa.unit].setdefault(b.id, (b, qb))
        # negation: the same verb asserted by one and denied by the other
        na, nb = negation[a.id], negation[b.id]
        if (na and nb and na[0] == nb[0] and na[1] != nb[1] and len(na[2] & nb[2]) >= 2
                and ("neg", na[0]) not in seen):
            seen.add(("neg", na[0]))
            conflicts.append(Conflict(id="", kind="claim", claims=[_claim(a), _claim(b)],
                                      description=f"One report says \u201c{na[0]}\u201d happened and another "
                                                  "that it did not."))
        # the same action credited to different people
        sa, sb = subject[a.id], subject[b.id]
        if (sa and sb and sa[0] == sb[0] and sa[1].id != sb[1].id and sa[1].kind == sb[1].kind == "person"
                and ("who", sa[0]) not in seen):
            seen.add(("who", sa[0]))
            conflicts.append(Conflict(id="", kind="entity", claims=[_claim(a, sa[1].name), _claim(b, sb[1].name)],
                                      description=f"The reports name different people as the one who did "
                                                  f"\u201c{sa[0]}\u201d: {sa[1].name} and {sb[1].name}."))
    for unit, found in clashes.items():
        values = list(dict.fromkeys(q.text for _, q in found.values()))
        conflicts.append(Conflict(id="", kind="number", claims=[_claim(c, q.text) for c, q in found.values()],
                                  description=f"The reports give different figures for {unit}: "
                                              + " vs ".join(f"\u201c{v}\u201d" for v in values) + "."))
    return conflicts


def _event_dates(ctx: StageView, al, docs) -> dict[str, dict[str, list[tuple[Claim, str, frozenset, int]]]]:
    """Event word → source → [(claim, day, names in the claim, claim index)] for dates attached to an event noun.

    The names (places, bodies, people) tell one event from another with the same noun: talks in Berlin are not
    talks in Geneva."""
    temporal = ctx["temporal"]
    index = ctx["entities"]
    events: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    claims_of: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(al.claims):
        if not c.in_title:
            claims_of[c.article].append(i)
    for article in ctx.articles:
        if article.id not in claims_of:
            continue
        doc = docs[article.id]
        for expr in temporal.text[article.id]:
            if not expr.value or expr.precision != "day":
                continue
            owner = next((i for i in claims_of[article.id]
                          if al.claims[i].start <= expr.start and expr.end <= al.claims[i].end), None)
            word = _event_word(doc, expr.start, expr.end) if owner is not None else None
            event = _singular(word) if word else None
            if event is None:
                continue
            claim = al.claims[owner]
            places = frozenset(e.name for e in index.at(article.id, claim.start, claim.end))
            if places:
                events[event][al.sources[owner]].append((claim, expr.value, places, owner))
    return events


def _event_word(doc, start: int, end: int) -> str | None:
    """The noun a date is attached to ("talks in Berlin on Sunday", "talks scheduled for …" → talks)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    head = span.root.head
    for _ in range(4):  # up through "in Berlin on Sunday" and "scheduled for" to the noun they describe
        if head.pos_ == "NOUN":
            return head.lower_
        if head.pos_ in ("ADP", "PROPN") or (head.pos_ == "VERB" and head.dep_ == "acl"):
            head = head.head
        else:
            return None
    return None


def _date_conflicts(ctx: StageView, al, docs) -> list[Conflict]:
    """Sources that date the same event (same event noun, a name in common) on days that never meet.

    The two sources' claims must also be the same fact by the alignment model, judged without its dates signal
    (the very disagreement would otherwise count against them), so two elections or two meetings that merely share
    a name and a noun are not taken for one event.
    """
    conflicts = []
    date_weight = al.model.coefficients[FEATURES.index("dates")]

    def same_fact_but_dates(i: int, j: int) -> bool:
        p = al.scores.get((min(i, j), max(i, j)))
        if p is None or not 0.0 < p < 1.0:
            return bool(p)
        dates = value_agreement(al.infos[i].dates, al.infos[j].dates)
        return 1.0 / (1.0 + math.exp(-(math.log(p / (1 - p)) - date_weight * dates))) >= RELATED

    def related(a: str, b: str, per_source) -> bool:
        return any(same_fact_but_dates(i, j) for *_, i in per_source[a] for *_, j in per_source[b])

    for event, per_source in _event_dates(ctx, al, docs).items():
        dates = {src: {d for _, d, _, _ in items} for src, items in per_source.items()}
        places = {src: frozenset().union(*(p for _, _, p, _ in items)) for src, items in per_source.items()}
        clashing = [(a, b) for a, b in combinations(per_source, 2)
                    if not dates[a] & dates[b] and places[a] & places[b] and related(a, b, per_source)]
        if not clashing:
            continue
        involved = list(dict.fromkeys(s for pair in clashing for s in pair))
        shared = sorted(frozenset.intersection(*(places[s] for s in involved)) or places[involved[0]])
        claims = [_claim(c, d) for s in involved for c, d, _, _ in per_source[s]]
        values = " vs ".join(sorted({"/".join(sorted(dates[s])) for s in involved}))
        written = next((m.group(0).lower() for c in claims
                        for m in [re.search(rf"\b{re.escape(event)}\w*", c.text, re.I)] if m), event)
        conflicts.append(Conflict(id="", kind="date", claims=claims,
                                  description=f"The reports give different dates for the {written} "
                                              f"({', '.join(shared)}): {values}."))
    return conflicts


__all__ = ["Certainty", "ConflictsStage", "Quantity", "certainty", "consistent", "quantities"]
