"""When did things happen: every dated event the articles mention, merged across outlets, in date order.

Rules (see docs/framing-timeline-coverage.md):

- Dates come from the temporal stage (the article language's date grammar), resolved against each article's
  reference date (``story_reference_dates``: its own publication date, else the date the story establishes).
- Only dates that say when something happened count: ``exact`` and ``approx`` ones. "since 2022" and "after 2014"
  bound an event rather than date it, so they are left out; so are expressions that cannot be resolved.
- What happened is the clause the date belongs to: the verb the date expression hangs from, with its subtree,
  without coordinated or adverbial clauses that do not hold the date.
- Mentions with the same date are one entry when their clauses, without the date words, are similar (cosine of
  embeddings ≥ ``timeline.same_event``; ≥ ``timeline.same_day_event`` for one calendar day, which rarely holds two unrelated
  events of one story) — across outlets and within one; a year-only mention joins a more precise entry of that
  year it matches (``in 2022`` / ``February 2022``). Two clauses that name the same entity (``entities``) get
  ``timeline.shared_name_bonus`` added to their similarity. Thresholds read off the seed story's similarity matrix, per
  embedder (nlp/data/thresholds.json).
- "four years after February 2022" dates the story's own event only roughly: the anchor (February 2022) is kept,
  the offset expression is not.
- A relative expression inside a quotation ("today", "last week" in someone's words) is left out: it counts
  from when the speaker spoke, which the text does not say.
- Background: an entry whose date ends more than ``BACKGROUND_DAYS`` before the story's earliest reference date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from ..models import Evidence, TimelineEntry
from ..text.dates import TimeExpr, period_end
from ..text.quotations import Quotation
from .stage import StageView

BACKGROUND_DAYS = 30
MAX_CLAUSE_TOKENS = 30
_SPLIT_DEPS = {"conj", "cc", "advcl", "parataxis", "relcl", "acl", "appos"}
_NESTED_CLAUSE_DEPS = {"advcl", "parataxis", "relcl"}


@dataclass
class _Mention:
    article: str
    value: str
    clause: Evidence
    order: int
    gist: str = ""
    names: frozenset[str] = frozenset()
    caption: bool = False


class TimelineStage:
    name = "timeline"
    requires = ("articles", "annotations", "sentences", "temporal", "quotations", "entities")
    provides = ("timeline",)

    def run(self, ctx: StageView) -> None:
        references = ctx["temporal"].references
        mentions = _mentions(ctx)
        entries = _merge(ctx, mentions)
        known = [d for d in references.values() if d]
        story_start = min(known) if known else None
        cutoff = story_start - timedelta(BACKGROUND_DAYS) if story_start and story_start.year > 1 else None
        timeline = []
        for group in entries:
            best = _central(ctx, group)
            value = max((m.value for m in group), key=len)
            articles = list(dict.fromkeys(m.article for m in sorted(group, key=lambda m: m.order)))
            timeline.append(TimelineEntry(
                date=value, text=best.clause.text, articles=articles,
                background=cutoff is not None and period_end(value) < cutoff,
                evidence=[m.clause for m in sorted(group, key=lambda m: m.order)],
            ))
        timeline.sort(key=lambda e: (e.date, -len(e.articles)))
        ctx["timeline"] = timeline


def _quoted(quotes: list[Quotation], offset: int) -> bool:
    return any(q.start <= offset < q.end for q in quotes)


def _mentions(ctx: StageView) -> list[_Mention]:
    found: list[_Mention] = []
    index = ctx["entities"]  # names in common make two mentions more alike
    temporal = ctx["temporal"]
    for order, article in enumerate(ctx.articles):
        if article.duplicate_of:
            continue
        doc = None
        seen: set[tuple[int, str]] = set()
        quotes = ctx["quotations"][article.id]
        for sentence in ctx["sentences"].get(article.id, []):
            exprs = temporal.within(article.id, sentence.start, sentence.end)
            for expr in exprs:
                if expr.value is None or expr.qualifier not in ("exact", "approx"):
                    continue
                if expr.relative and expr.text.lower().endswith(("after", "before")):
                    continue
                if expr.relative and _quoted(quotes, sentence.start + expr.start):
                    continue  # a speaker's "today" counts from when they spoke, which the text does not say
                if (sentence.index, expr.value) in seen:
                    continue
                seen.add((sentence.index, expr.value))
                doc = doc if doc is not None else ctx.annotations.doc(article.id)
                clause = _clause(doc, article.id, article.text, sentence.start, sentence.end, expr, sentence.start)
                gist = _gist(clause, sentence, exprs)
                if not any(ch.isalpha() for ch in gist.replace(expr.text, "")) or gist == clause.text == expr.text:
                    continue  # "In 2023, …": a date with nothing said about it
                names = frozenset(e.id for e in index.at(article.id, clause.start, clause.end))
                in_caption = any(c and c in article.text[sentence.start:sentence.end] or
                                 sentence.text in c for c in article.captions)
                found.append(_Mention(article.id, expr.value, clause, order, gist, names, in_caption))
    return found


def _gist(clause: Evidence, sentence, exprs: list[TimeExpr]) -> str:
    """The clause without its date words: what the similarity of two mentions should be about."""
    chars = list(clause.text)
    for expr in exprs:
        lo, hi = sentence.start + expr.start - clause.start, sentence.start + expr.end - clause.start
        for i in range(max(lo, 0), min(hi, len(chars))):
            chars[i] = " "
    return " ".join("".join(chars).split()) or clause.text


def _clause(doc, article_id: str, text: str, sent_start: int, sent_end: int, expr: TimeExpr,
            offset: int) -> Evidence:
    """The clause the date expression belongs to, as exact evidence in the article's text."""
    start, end = offset + expr.start, offset + expr.end
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return Evidence(article=article_id, text=text[sent_start:sent_end], start=sent_start, end=sent_end)
    head = span.root
    while head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
        head = head.head
    inside = {t.i for t in span}
    keep = set()
    for token in head.subtree:
        keep.add(token.i)
    # Clauses hanging anywhere below the verb are other events unless they hold the date.
    for token in head.subtree:
        split = token.dep_ in _SPLIT_DEPS if token.head.i == head.i else (
            token.dep_ in _NESTED_CLAUSE_DEPS or (token.dep_ == "conj" and token.pos_ in ("VERB", "AUX")))
        if token.i != head.i and split and not inside & {t.i for t in token.subtree}:
            keep -= {t.i for t in token.subtree}
    # The contiguous run of kept tokens around the date, capped so a long sentence gives a short "what happened".
    lo = min(span.start, head.i)
    if head.dep_ in ("acl", "relcl") and head.head.i < head.i:
        lo = head.head.left_edge.i  # "talks in Berlin scheduled for December 15": the talks are the event
    keep.update(range(lo, head.i + 1))
    while lo - 1 in keep and doc[lo - 1].idx >= sent_start:
        lo -= 1
    hi = max(span.end - 1, head.i)
    while hi + 1 in keep and doc[hi + 1].idx < sent_end:
        hi += 1
    if hi - lo + 1 > MAX_CLAUSE_TOKENS:
        lo = max(lo, min(head.i, span.start) - MAX_CLAUSE_TOKENS // 3)
        hi = min(hi, max(head.i, span.end - 1) + MAX_CLAUSE_TOKENS // 2)
    while lo < hi and (doc[lo].is_punct or doc[lo].dep_ in ("cc", "mark") and lo < span.start):
        lo += 1
    while hi > lo and doc[hi].is_punct and doc[hi].text not in ")”\"'":
        hi -= 1
    c_start, c_end = max(doc[lo].idx, sent_start), min(doc[hi].idx + len(doc[hi].text), sent_end)
    return Evidence(article=article_id, text=text[c_start:c_end], start=c_start, end=c_end)


def _similarity(ctx: StageView, a: list[_Mention], b: list[_Mention]) -> np.ndarray:
    """Cosine of the clauses' gists, plus the shared-name bonus where two clauses name the same entity."""
    sims = _vectors(ctx, a) @ _vectors(ctx, b).T
    shared = np.array([[bool(x.names & y.names) for y in b] for x in a], dtype=float).reshape(sims.shape)
    return sims + ctx.annotations.threshold("timeline.shared_name_bonus") * shared


def _vectors(ctx: StageView, group: list[_Mention]) -> np.ndarray:
    return ctx.annotations.embed([m.gist for m in group])


def _merge(ctx: StageView, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Same date and similar clause → one entry; year-only entries join a matching finer entry of that year."""
    by_value: dict[str, list[_Mention]] = {}
    for mention in mentions:
        by_value.setdefault(mention.value, []).append(mention)
    groups: list[list[_Mention]] = []
    for same_date in by_value.values():
        threshold = ctx.annotations.threshold(
            "timeline.same_day_event" if len(same_date[0].value) == 10 else "timeline.same_event")
        groups.extend(_cluster(_similarity(ctx, same_date, same_date), same_date, threshold))
    finer = [g for g in groups if len(g[0].value) > 4]
    merged: list[list[_Mention]] = []
    for group in groups:
        if len(group[0].value) == 4:
            target = _best_match(ctx, group, [f for f in finer if f[0].value[:4] == group[0].value])
            if target is not None:
                target.extend(group)
                continue
        merged.append(group)
    return merged


def _cluster(sims: np.ndarray, items: list[_Mention], threshold: float) -> list[list[_Mention]]:
    # Average-link greedy clustering: a mention joins the group it is most similar to on average, if similar enough.
    groups: list[list[int]] = []
    for i in range(len(items)):
        best, best_sim = None, threshold
        for g in groups:
            sim = float(np.mean(sims[g, i]))
            if sim >= best_sim:
                best, best_sim = g, sim
        if best is None:
            groups.append([i])
        else:
            best.append(i)
    return [[items[i] for i in g] for g in groups]


def _best_match(ctx: StageView, group: list[_Mention], candidates: list[list[_Mention]]) -> list[_Mention] | None:
    if not candidates:
        return None
    scores = [float(np.mean(_similarity(ctx, group, c))) for c in candidates]
    best = int(np.argmax(scores))
    return candidates[best] if scores[best] >= ctx.annotations.threshold("timeline.same_event") else None


TIE = 1e-4
"""Similarities this close to the best count as equal."""


def _central(ctx: StageView, group: list[_Mention]) -> _Mention:
    """The mention closest to the group's centre, preferring the most precise date and the article's own text over
    a photo caption: its clause names the entry."""
    group = [m for m in group if not m.caption] or group
    precise = [m for m in group if len(m.value) == max(len(x.value) for x in group)]
    vectors = _vectors(ctx, precise)
    centre = _vectors(ctx, group).mean(axis=0)
    scores = vectors @ centre
    # Two mentions are always equally close to their own mean: a tie is broken by the fuller clause, then the
    # first, never by rounding noise (which differs between machines).
    tied = [i for i, score in enumerate(scores) if score >= scores.max() - TIE]
    return precise[max(tied, key=lambda i: (len(precise[i].clause.text), -i))]


__all__ = ["BACKGROUND_DAYS", "TimelineStage"]
