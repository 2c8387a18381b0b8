"""Which facts does every outlet report, which rest on one source, and what does each article leave out?

Claims (claims.py) from different outlets are scored pairwise by the alignment model (alignment.py) and grouped
into facts by average-linkage clustering over the scored pairs. Who counts as a source, and which articles are
read, is the sources stage's rule (sources.py), the same for every stage.

Agreement is computed over the story's counted sources (articles and aggregator pages; snippets of outlets that
have no article of their own add support but never enlarge the denominator): ``all`` every source, ``most`` more
than half, ``single`` one source only, ``some`` otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..lang import Resources
from ..models import Article, Evidence, Fact
from . import alignment
from .claims import Claim, article_claims, title_claims
from .conflicts import quantities
from .sources import Sources
from .stage import StageView

LINKAGE = 0.5  # mean pair probability (unscored pairs count 0) two groups need to become one fact


def agreement(supporting: set[str], counted: set[str]) -> str:
    inside = len(supporting & counted)
    if len(supporting) <= 1:
        return "single"
    if len(counted) >= 2 and inside == len(counted):
        return "all"
    if inside * 2 > len(counted):
        return "most"
    return "some"


@dataclass
class Alignment:
    """The claims of a story and how they group; kept as a product for the conflicts stage."""

    claims: list[Claim]
    infos: list[alignment.ClaimInfo]
    sources: list[str]
    scores: dict[tuple[int, int], float]
    groups: list[list[int]] = field(default_factory=list)
    neighbours: dict[int, list] | None = None


def _cluster(n: int, scores: dict[tuple[int, int], float], threshold: float, sources: list[str],
             same_source: Callable[[int, int], float]) -> list[list[int]]:
    """Average-linkage agglomeration over the scored pairs, strongest pairs first.

    Pairs from different sources that were never candidates count 0. Pairs from one source are never candidates
    (an outlet does not corroborate itself) but do count: two sentences of one article join one fact only when
    they say the same thing, so ``same_source`` scores them on demand.
    """
    parent = list(range(n))
    members = {i: [i] for i in range(n)}
    neighbours: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), p in scores.items():
        neighbours[i][j] = neighbours[j][i] = p

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), p in sorted(scores.items(), key=lambda kv: -kv[1]):
        if p < threshold:
            break
        a, b = find(i), find(j)
        if a == b:
            continue
        small, large = (a, b) if len(members[a]) <= len(members[b]) else (b, a)
        total = sum(q for m in members[small] for o, q in neighbours[m].items() if find(o) == large)
        by_source: dict[str, list[int]] = defaultdict(list)
        for o in members[large]:
            by_source[sources[o]].append(o)
        total += sum(same_source(m, o) for m in members[small] for o in by_source.get(sources[m], ()))
        if total / (len(members[small]) * len(members[large])) < LINKAGE:
            continue
        parent[small] = large
        members[large].extend(members.pop(small))
    return [sorted(m) for m in members.values()]


def _attach_headlines(al: Alignment, heads: set[int], same_source: Callable[[int, int], float]) -> None:
    """Add each headline claim to the fact it states, once the texts' facts are made.

    A headline announces what a text reports, in few and often loaded words ("X's concession is an admission of
    reality"), so it confirms facts and never shapes them: it joins the fact with the highest average linkage (the
    rule facts are made by, ``LINKAGE``) among facts the texts of at least two sources carry, and is left out
    otherwise. It never makes a fact or lifts a single-source fact to two sources.
    """
    scored: dict[int, dict[int, float]] = defaultdict(dict)
    for (i, j), p in al.scores.items():
        if (i in heads) != (j in heads):
            h, o = (i, j) if i in heads else (j, i)
            scored[h][o] = p
    group_of = {i: n for n, g in enumerate(al.groups) if len({al.sources[i] for i in g}) >= 2 for i in g}
    joins: list[tuple[list[int], int]] = []
    for h in sorted(heads):
        best, best_mean = None, LINKAGE
        for group in (al.groups[n] for n in sorted({group_of[o] for o in scored[h] if o in group_of})):
            total = sum(same_source(h, o) if al.sources[o] == al.sources[h] else scored[h].get(o, 0.0)
                        for o in group)
            if total / len(group) >= best_mean:
                best, best_mean = group, total / len(group)
        if best is not None:
            joins.append((best, h))
    for group, h in joins:
        group.append(h)
    for group in al.groups:
        group.sort()


def _representative(group: list[int], al: Alignment, vectors: np.ndarray, by_id: dict[str, Article],
                    langs: dict[str, Resources]) -> int:
    """The most central, complete and plainly worded claim of a fact."""
    if len(group) == 1:
        return group[0]
    vecs = vectors[group]
    centrality = (vecs @ vecs.T).mean(axis=1)
    entities = set().union(*(al.infos[i].entities for i in group))
    best, best_score = group[0], -1e9
    for row, i in enumerate(group):
        claim = al.claims[i]
        lexicon = langs[claim.article].lexicon
        loaded = lexicon["loaded"] | lexicon["hedge_words"]
        words = claim.text.split()
        score = centrality[row]
        score += 0.2 * (len(al.infos[i].entities) / len(entities) if entities else 0)
        score -= 0.3 * any(q in claim.text for q in "\"“”")  # a quotation is a speaker's wording, not neutral
        score -= 0.2 * any(w.lower().strip(".,") in loaded for w in words)
        score -= 0.15 * (by_id[claim.article].kind != "article")
        score -= 0.1 * (len(words) < 8) + 0.1 * (len(words) > 45)
        score -= 0.15 * claim.text[:1].islower()  # a split-off clause ("said Kyiv would …") lacks its subject
        if score > best_score:
            best, best_score = i, score
    return best


def _describe(doc, claim: Claim, entities: set[str], times, lang: Resources) -> alignment.ClaimInfo:
    """What the pair model reads of a claim; ``times`` are the temporal expressions of the text ``doc`` parses."""
    dates = {t.value for t in times if claim.start <= t.start and t.end <= claim.end and t.value}
    return alignment.describe(doc, claim.start, claim.end, entities, quantities(claim.text, lang), dates)


def align_story(ctx: StageView) -> tuple[Alignment, np.ndarray]:
    sentences = ctx["sentences"]
    index = ctx["entities"]
    sources: Sources = ctx["sources"]
    temporal = ctx["temporal"]
    claims: list[Claim] = []
    infos: list[alignment.ClaimInfo] = []
    for article in sources.read:  # copies add no support; articles in other languages are not read
        doc = ctx.annotations.doc(article.id)
        lang = ctx.language(article)
        times = temporal.text[article.id]
        for claim in article_claims(article.id, doc, sentences.get(article.id, []), lang):
            ents = {e.id for e in index.at(article.id, claim.start, claim.end)}
            infos.append(_describe(doc, claim, ents, times, lang))
            claims.append(claim)
        title = ctx.annotations.title_doc(article.id)
        if title is not None:
            times = temporal.titles.get(article.id, [])
            for claim in title_claims(article.id, title, lang):
                ents = {e.id for ent in title.char_span(claim.start, claim.end, alignment_mode="expand").ents
                        if (e := index.lookup(ent.text)) is not None}
                infos.append(_describe(title, claim, ents, times, lang))
                claims.append(claim)
    vectors = ctx.annotations.embed([c.text for c in claims])
    groups = [sources.of[c.article] for c in claims]
    # word rarity is the texts' own: headlines repeat the story's key words and would make them look common
    terms = alignment.story_terms([info for c, info in zip(claims, infos) if not c.in_title], ctx.annotations.embed,
                                  lang=ctx.story_language)
    scores = alignment.score(claims, infos, vectors, groups, terms) if claims else {}
    al = Alignment(claims, infos, groups, scores)

    def same_source(i: int, j: int) -> float:
        features = alignment.pair_features(float(vectors[i] @ vectors[j]), infos[i], infos[j], terms)
        return float(alignment.probability(features)[0])

    heads = {i for i, c in enumerate(claims) if c.in_title}
    body_scores = {pair: p for pair, p in scores.items() if pair[0] not in heads and pair[1] not in heads}
    al.groups = [g for g in _cluster(len(claims), body_scores, alignment.weights()[2], groups, same_source)
                 if g[0] not in heads]
    _attach_headlines(al, heads, same_source)
    return al, vectors


class FactsStage:
    name = "facts"
    requires = ("sentences", "entities", "temporal", "sources")
    provides = ("claims", "facts", "omissions")

    def run(self, ctx: StageView) -> None:
        alignment.check_embedder(ctx.annotations.embedder)
        al, vectors = align_story(ctx)
        ctx["claims"] = al
        by_id = {a.id: a for a in ctx.articles}
        sources: Sources = ctx["sources"]
        counted = sources.counted
        langs = {a.id: ctx.language(a) for a in sources.read}
        facts: list[tuple[Fact, set[str]]] = []
        threshold = alignment.weights()[2]
        for group in al.groups:
            supporting = {al.sources[i] for i in group}
            # worded as a text words it, not as a headline
            rep = al.claims[_representative([i for i in group if not al.claims[i].in_title], al, vectors, by_id,
                                            langs)]
            evidence = [Evidence(article=al.claims[i].article, text=al.claims[i].text, start=al.claims[i].start,
                                 end=al.claims[i].end, in_title=al.claims[i].in_title) for i in group]
            articles = list(dict.fromkeys(e.article for e in evidence))
            # a source with a claim the model aligns with this fact's evidence, though clustered elsewhere,
            # carries it in other words: it is not listed as leaving the fact out
            near = {al.sources[o] for i in group for (a, b), p in _pairs_of(i, al) if p >= threshold
                    for o in (a, b)}
            facts.append((Fact(id="", text=rep.text, articles=articles, agreement=agreement(supporting, counted),
                               evidence=evidence), supporting | near))
        rank = {"all": 0, "most": 1, "some": 2, "single": 3}
        facts.sort(key=lambda f: (rank[f[0].agreement], -len(f[0].articles), f[0].evidence[0].article,
                                  f[0].evidence[0].start))
        for n, (fact, _) in enumerate(facts, 1):
            fact.id = f"f{n}"
        ctx["facts"] = [f for f, _ in facts]
        ctx["omissions"] = _omissions(sources, facts)


def _pairs_of(i: int, al: Alignment):
    if al.neighbours is None:
        al.neighbours = defaultdict(list)
        for pair, p in al.scores.items():
            al.neighbours[pair[0]].append((pair, p))
            al.neighbours[pair[1]].append((pair, p))
    return al.neighbours.get(i, ())


def _omissions(sources: Sources, facts: list[tuple[Fact, set[str]]]) -> dict[str, list[str]]:
    """For each article or aggregator page that is read: the ``all``/``most`` facts its source does not carry.

    ``facts`` pairs each fact with the sources that carry it, in its evidence or in a claim aligned with it.
    """
    result: dict[str, list[str]] = {}
    for article in sources.read:
        if article.kind == "snippet":
            continue
        lacking = [f.id for f, supporting in facts
                   if f.agreement in ("all", "most") and sources.of[article.id] not in supporting]
        if lacking:
            result[article.id] = lacking
    return result
