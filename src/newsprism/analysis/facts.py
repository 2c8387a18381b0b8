"""Which facts does every outlet report, which rest on one source, and what does each article leave out?

Claims (claims.py) from different outlets are scored pairwise by the alignment model (alignment.py) and grouped by
average-linkage clustering over the scored pairs. A group is similar claims, not yet a fact: a fact cites a claim
only when it *states* what the fact's wording states (support.py: the pair model above ``support`` in the fitted
weights, the same status, no contradicting figure or day); the claims that do not are grouped again among
themselves. The wording is one cited claim that stands on its own, with the details only some cited outlets carry
marked (wording.py). Who counts as a source, and which articles are read, is the sources stage's rule
(sources.py), the same for every stage.

Agreement is computed over the story's counted sources (articles and aggregator pages; snippets of outlets that
have no article of their own add support but never enlarge the denominator): ``all`` every source, ``most`` more
than half, ``single`` one source only, ``some`` otherwise.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..lang import Resources
from ..models import Evidence, Fact
from ..text.words import lower_words
from . import alignment
from .claims import Claim, article_claims, split_sentence, title_claims
from .conflicts import quantities
from .sentences import Sentence
from .sources import Sources
from .stage import StageView
from .support import agrees, main_event, supports
from .wording import choose_wording, details, plainness



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
    """Claims grouped by similarity (what conflicts compare)."""
    neighbours: dict[int, list] | None = None
    vectors: np.ndarray | None = None
    word_vectors: np.ndarray | None = None
    terms: alignment.StoryTerms | None = None
    model: alignment.PairModel | None = None
    facts: list[tuple[list[int], int]] = field(default_factory=list)
    """(the claims a fact cites, its wording claim): the groups after the support check."""
    views: Views | None = None
    best: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    """For a scored pair of claims (i < j), the views (of i, of j) that match best."""
    _scored_now: dict[tuple[int, int], tuple[float, tuple[int, int]]] = field(default_factory=dict)
    _against: dict[tuple[int, int], dict[int, tuple[float, int]]] = field(default_factory=dict)

    def pair(self, i: int, j: int) -> tuple[float, alignment.ClaimInfo, alignment.ClaimInfo]:
        """(the pair model's probability that claims ``i`` and ``j`` state the same fact, what it read of each in
        the views that match best); scored now when the pair was not a candidate."""
        a, b = min(i, j), max(i, j)
        if (a, b) in self.scores:
            p, (u, v) = self.scores[(a, b)], self.best.get((a, b), (a, b))
        else:
            if (a, b) not in self._scored_now:
                self._scored_now[(a, b)] = self.views.best_pair(a, b, self.terms, self.model)
            p, (u, v) = self._scored_now[(a, b)]
        info_a, info_b = self.views.infos[u], self.views.infos[v]
        return (p, info_a, info_b) if i == a else (p, info_b, info_a)

    def probability(self, i: int, j: int) -> float:
        """The pair model's probability that claims ``i`` and ``j`` state the same fact (``pair``)."""
        return self.pair(i, j)[0]

    def against(self, i: int, w: int) -> dict[int, tuple[float, int]]:
        """For each view ``v`` of claim ``w``: (the best probability that a view of claim ``i`` states what ``v``
        states, that view of ``i``)."""
        if (i, w) not in self._against:
            self._against[(i, w)] = self.views.scores_against(i, w, self.terms, self.model)
        return self._against[(i, w)]


@dataclass
class Views:
    """What the pair model compares. View ``i < n`` is claim ``i`` whole; a claim of more than one statement ("Kyiv
    rejected the proposals, even as talks on EU entry intensify"; a sentence and the one leaning on it) is also
    compared statement by statement (its parts, ``claims.split_sentence``), and a pair of claims scores as its
    best-matching pair of views. The wording stays the whole claim: a part only finds the claims that state it."""

    owner: list[int]
    """View → the claim it is a view of."""
    infos: list[alignment.ClaimInfo]
    vectors: np.ndarray
    word_vectors: np.ndarray
    spans: list[tuple[int, int]] = field(default_factory=list)
    """View → its span in its claim's text (or title)."""
    of: dict[int, list[int]] = field(default_factory=dict)
    """Claim → its views (the claim itself first), for claims with parts."""
    scored: dict[tuple[int, int], float] = field(default_factory=dict)
    """(u, v) with u < v → the pair model's probability, for the candidate pairs and every pair scored since."""

    def views_of(self, claim: int) -> list[int]:
        return self.of.get(claim, [claim])

    def _probabilities(self, pairs: list[tuple[int, int]], terms: alignment.StoryTerms,
                       model: alignment.PairModel) -> np.ndarray:
        keys = [(min(u, v), max(u, v)) for u, v in pairs]
        missing = list(dict.fromkeys(k for k in keys if k not in self.scored))
        if missing:
            rows = np.array([alignment.pair_features(float(self.vectors[u] @ self.vectors[v]), self.infos[u],
                                                     self.infos[v], terms,
                                                     float(self.word_vectors[u] @ self.word_vectors[v]))
                             for u, v in missing])
            self.scored.update(zip(missing, model.probability(rows).tolist()))
        return np.array([self.scored[k] for k in keys])

    def best_pair(self, a: int, b: int, terms: alignment.StoryTerms, model: alignment.PairModel
                  ) -> tuple[float, tuple[int, int]]:
        pairs = [(u, v) for u in self.views_of(a) for v in self.views_of(b)]
        probs = self._probabilities(pairs, terms, model)
        k = int(np.argmax(probs))
        return float(probs[k]), pairs[k]

    def scores_against(self, a: int, b: int, terms: alignment.StoryTerms, model: alignment.PairModel
                       ) -> dict[int, tuple[float, int]]:
        """For each view ``v`` of claim ``b``: (the best probability over the views ``u`` of claim ``a``, that u)."""
        pairs = [(u, v) for u in self.views_of(a) for v in self.views_of(b)]
        best: dict[int, tuple[float, int]] = {}
        for (u, v), p in zip(pairs, self._probabilities(pairs, terms, model).tolist()):
            if p > best.get(v, (-1.0, -1))[0]:
                best[v] = (p, u)
        return best


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
        if total / (len(members[small]) * len(members[large])) < threshold:
            continue
        parent[small] = large
        members[large].extend(members.pop(small))
    return [sorted(m) for m in members.values()]


def _attach_headlines(al: Alignment, heads: set[int], same_source: Callable[[int, int], float]) -> None:
    """Add each headline claim to the fact it states, once the texts' facts are made.

    A headline announces what a text reports, in few and often loaded words ("X's concession is an admission of
    reality"), so it confirms facts and never shapes them: it joins the fact with the highest average linkage (the
    rule groups are made by, the model's ``threshold``) among groups the texts of at least two sources carry, and is
    left out
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
        best, best_mean = None, al.model.threshold
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


def _describe(doc, claim: Claim, entities: set[str], times, lang: Resources) -> alignment.ClaimInfo:
    """What the pair model reads of a claim; ``times`` are the temporal expressions of the text ``doc`` parses."""
    dates = {t.value for t in times if claim.start <= t.start and t.end <= claim.end and t.value}
    status, predicate = main_event(doc, claim.start, claim.end, claim.text, lang)
    return alignment.describe(doc, claim.start, claim.end, entities, quantities(claim.text, lang), dates, status,
                              predicate, claim.in_title)


@dataclass
class ClaimTable:
    """A story's claims and what the pair model reads of them, before any pair is scored (``infos``, ``vectors``
    and ``word_vectors`` are the claims', one row each; ``views`` adds their parts)."""

    claims: list[Claim]
    infos: list[alignment.ClaimInfo]
    sources: list[str]
    vectors: np.ndarray
    word_vectors: np.ndarray
    terms: alignment.StoryTerms
    views: Views


def _parts(doc, claim: Claim, sentences: list[Sentence], text: str, lang: Resources) -> list[tuple[int, int]]:
    """The statements of a claim (its sentences, each split where an independent statement starts); one span when
    the claim is one statement."""
    first = bisect_left(sentences, claim.start, key=lambda s: s.start)  # sentences are in text order
    inside = []
    for sentence in sentences[first:]:
        if sentence.start >= claim.end:
            break
        if sentence.end <= claim.end:
            inside.append(sentence)
    spans = [span for sentence in inside for span in split_sentence(doc, sentence, lang, text)]
    spans = [(a, b) for a, b in spans if claim.start <= a and b <= claim.end]
    return spans if len(spans) > 1 else [(claim.start, claim.end)]


def claim_table(ctx: StageView) -> ClaimTable:
    sentences = ctx["sentences"]
    index = ctx["entities"]
    sources: Sources = ctx["sources"]
    temporal = ctx["temporal"]
    claims: list[Claim] = []
    infos: list[alignment.ClaimInfo] = []
    parts: list[tuple[int, Claim, alignment.ClaimInfo]] = []  # (owner, the part as a claim, what it reads)
    for article in sources.read:  # copies add no support; articles in other languages are not read
        doc = ctx.annotations.doc(article.id)
        lang = ctx.language(article)
        times = temporal.text[article.id]
        own = sentences.get(article.id, [])
        for claim in article_claims(article.id, doc, own, lang):
            ents = {e.id for e in index.at(article.id, claim.start, claim.end)}
            infos.append(_describe(doc, claim, ents, times, lang))
            claims.append(claim)
            spans = _parts(doc, claim, own, article.text, lang)
            for a, b in spans if len(spans) > 1 else ():
                part = dataclasses.replace(claim, start=a, end=b, text=article.text[a:b], lead=0)
                part_ents = {e.id for e in index.at(article.id, a, b)}
                parts.append((len(claims) - 1, part, _describe(doc, part, part_ents, times, lang)))
        title = ctx.annotations.title_doc(article.id)
        if title is not None:
            times = temporal.titles.get(article.id, [])
            for claim in title_claims(article.id, title, lang):
                ents = {e.id for ent in title.char_span(claim.start, claim.end, alignment_mode="expand").ents
                        if (e := index.lookup(ent.text)) is not None}
                infos.append(_describe(title, claim, ents, times, lang))
                claims.append(claim)
    n = len(claims)
    if len({sources.of[c.article] for c in claims}) > 1:
        texts = [c.text for c in claims] + [part.text for _, part, _ in parts]
        all_vectors = ctx.annotations.embed(texts)
        all_words = ctx.annotations.embed_words(texts)
    else:  # one source: no pair is ever scored, so the parts need no vectors of their own (their claim's stand in)
        claim_vectors = ctx.annotations.embed([c.text for c in claims])
        claim_words = ctx.annotations.embed_words([c.text for c in claims])
        owners = list(range(n)) + [owner for owner, _, _ in parts]
        all_vectors, all_words = claim_vectors[owners], claim_words[owners]
    views = Views(list(range(n)) + [owner for owner, _, _ in parts], infos + [info for _, _, info in parts],
                  all_vectors, all_words,
                  [(0, len(c.text)) for c in claims]
                  + [(part.start - claims[owner].start, part.end - claims[owner].start) for owner, part, _ in parts])
    for v, (owner, _, _) in enumerate(parts, n):
        views.of.setdefault(owner, [owner]).append(v)
    groups = [sources.of[c.article] for c in claims]
    # word rarity is the texts' own: headlines repeat the story's key words and would make them look common
    terms = alignment.story_terms([info for c, info in zip(claims, infos) if not c.in_title],
                                  ctx.annotations.embed_words, lang=ctx.story_language)
    return ClaimTable(claims, infos, groups, all_vectors[:n], all_words[:n], terms, views)


def align_story(ctx: StageView) -> tuple[Alignment, np.ndarray]:
    table = claim_table(ctx)
    claims, infos, groups, vectors, word_vectors, terms = (table.claims, table.infos, table.sources, table.vectors,
                                                           table.word_vectors, table.terms)
    views = table.views
    model = alignment.model_for(ctx.annotations.embedder)
    view_scores = alignment.score(views.infos, views.vectors, [groups[o] for o in views.owner], terms, model,
                                  views.word_vectors) if claims else {}
    views.scored.update(view_scores)
    # a pair of claims scores as its best pair of views
    scores: dict[tuple[int, int], float] = {}
    best: dict[tuple[int, int], tuple[int, int]] = {}
    for (u, v), p in view_scores.items():
        i, j = views.owner[u], views.owner[v]
        key, pair = ((i, j), (u, v)) if i < j else ((j, i), (v, u))
        if p > scores.get(key, -1.0):
            scores[key], best[key] = p, pair
    al = Alignment(claims, infos, groups, scores, vectors=vectors, word_vectors=word_vectors, terms=terms,
                   model=model, views=views, best=best)

    def same_source(i: int, j: int) -> float:
        return al.probability(i, j)

    heads = {i for i, c in enumerate(claims) if c.in_title}
    body_scores = {pair: p for pair, p in scores.items() if pair[0] not in heads and pair[1] not in heads}
    al.groups = [g for g in _cluster(len(claims), body_scores, model.threshold, groups, same_source)
                 if g[0] not in heads]
    _attach_headlines(al, heads, same_source)
    return al, vectors


def supported_facts(al: Alignment, floor: float, plain) -> list[tuple[list[int], int, int, dict[int, list[int]]]]:
    """Each similarity group split into facts whose every claim states the fact's wording (module docstring):
    (the claims cited, the wording claim, the view of the wording the fact is about — the wording itself, or one
    statement of it that every cited claim states — and, when it is one statement, each other statement of the
    wording with the cited claims that state it too)."""
    stated: dict[tuple[int, int], set[int]] = {}
    anchors: dict[int, int] = {}

    def stated_views(i: int, w: int) -> set[int]:
        """The views of claim w that claim i states: the pair model at ``floor`` or above on the best-matching view
        of i, with nothing that disagrees there or between the claims whole (a part that agrees does not hide a
        whole that reports as done what the wording offers)."""
        if i == w:
            return set(al.views.views_of(w))
        if (i, w) not in stated:
            found = set()
            if agrees(al.infos[i], al.infos[w]):
                for v, (p, u) in al.against(i, w).items():
                    if supports(al.views.infos[u], al.views.infos[v], p, floor):
                        found.add(v)
            parts = al.views.views_of(w)[1:]
            if parts and not set(parts) <= found:
                found.discard(w)  # a wording of several statements is stated whole only by a claim stating each
            stated[(i, w)] = found
        return stated[(i, w)]

    def anchor(w: int, members: list[int]) -> tuple[int, set[str]]:
        """The view of w that the most sources among ``members`` state (the whole when as many do), and them."""
        best, best_sources = w, set()
        for v in al.views.views_of(w):
            sources = {al.sources[i] for i in members if v in stated_views(i, w) or w in stated_views(i, w)}
            if len(sources) > len(best_sources):
                best, best_sources = v, sources
        return best, best_sources

    def states(i: int, wording: int) -> bool:
        found = stated_views(i, wording)
        return wording in found or anchors.get(wording, wording) in found

    def uncovered(i: int, group: list[int]) -> int:
        """How many of claim i's names, figures and dates some other source of the group leaves out."""
        info = al.infos[i]
        items = [("e", x) for x in info.entities] + [("n", x) for x in info.numbers] + [("d", x) for x in info.dates]
        others: dict[str, set] = defaultdict(set)
        for o in group:
            if al.sources[o] != al.sources[i]:
                held = al.infos[o]
                others[al.sources[o]] |= ({("e", x) for x in held.entities} | {("n", x) for x in held.numbers}
                                         | {("d", x) for x in held.dates})
        return sum(1 for item in items if any(item not in held for held in others.values()))

    made: list[tuple[list[int], int]] = []
    for group in al.groups:
        pending = [sorted(group)]
        while pending:
            members = pending.pop(0)
            body = [i for i in members if not al.claims[i].in_title]
            # a fact is worded by a claim that stands on its own; failing that, one the source did not cut off
            candidates = [i for i in body if al.claims[i].whole] or [i for i in body if not al.claims[i].truncated]
            if not candidates:
                continue  # only cut-off excerpts (and headlines): they may support a fact, never word one

            def supporters(w: int) -> set[str]:
                return anchor(w, members)[1]

            def affinity(w: int) -> float:
                others = [i for i in members if al.sources[i] != al.sources[w]]
                return sum(al.probability(i, w) for i in others) / len(others) if others else 0.0

            wording = choose_wording(candidates, supporters, affinity, lambda i: uncovered(i, members), plain)
            anchors[wording] = anchor(wording, members)[0]
            cited = [i for i in members if states(i, wording)]
            made.append((cited, wording))
            rest = [i for i in members if i not in cited and not al.claims[i].in_title]
            if rest:
                pending.extend(_regroup(rest, al))
    result = []
    for cited, wording in _join(made, al, states):
        about = anchors.get(wording, wording)
        # the wording's other statements, and the cited claims that state them too
        others = {v: [i for i in cited if v in stated_views(i, wording)]
                  for v in al.views.views_of(wording) if about != wording and v not in (wording, about)}
        result.append((cited, wording, about, others))
    return result


def _join(made: list[tuple[list[int], int]], al: Alignment, states) -> list[tuple[list[int], int]]:
    """Cite, for each fact, the claims of other facts that state its wording.

    Grouping is by similarity and gives each claim one group, though one sentence can state two facts ("Biden met
    the Iraqi prime minister on Monday to announce the end of the combat mission"); each fact's wording is therefore
    compared with the claims the pair model found near it (its scored pairs), and a claim of a source the fact does
    not cite yet that states the wording is cited too — the best one per source — wherever else it is cited.
    """
    facts = [[list(cited), wording] for cited, wording in made]
    home = {i: n for n, (cited, _) in enumerate(facts) for i in cited}
    order = sorted(range(len(facts)), key=lambda n: -len({al.sources[i] for i in facts[n][0]}))
    for n in order:
        cited, wording = facts[n]
        if not cited:
            continue
        sources = {al.sources[i] for i in cited}
        # a headline confirms what the texts of two sources carry; it never lifts a single-source fact
        texts = len({al.sources[i] for i in cited if not al.claims[i].in_title})
        best: dict[str, tuple[float, int]] = {}
        for (a, b), p in _pairs_of(wording, al):
            o = b if a == wording else a
            if al.sources[o] in sources or home.get(o) == n or (al.claims[o].in_title and texts < 2) \
                    or not states(o, wording):
                continue
            if p > best.get(al.sources[o], (-1.0, -1))[0]:
                best[al.sources[o]] = (p, o)
        for _, o in best.values():
            cited.append(o)  # a sentence may state two facts: it is cited by both, and stays where it was
    joined = []
    for cited, wording in facts:
        if not cited:
            continue
        if wording not in cited:  # its wording joined another fact: the rest is worded by its best remaining claim
            body = [i for i in cited if not al.claims[i].in_title and al.claims[i].whole]
            if not body:
                continue
            wording = body[0]
            cited = [i for i in cited if states(i, wording)]
        joined.append((sorted(cited), wording))
    return joined


def _regroup(rest: list[int], al: Alignment) -> list[list[int]]:
    """The claims a wording did not win, grouped again among themselves by the same linkage."""
    keep = set(rest)
    scores = {pair: p for pair, p in al.scores.items() if pair[0] in keep and pair[1] in keep}
    groups = _cluster(len(al.claims), scores, al.model.threshold, al.sources, al.probability)
    return [g for g in groups if g[0] in keep]


class FactsStage:
    name = "facts"
    requires = ("sentences", "entities", "temporal", "sources")
    provides = ("claims", "facts", "omissions")

    def run(self, ctx: StageView) -> None:
        al, vectors = align_story(ctx)
        ctx["claims"] = al
        by_id = {a.id: a for a in ctx.articles}
        sources: Sources = ctx["sources"]
        counted = sources.counted
        langs = {a.id: ctx.language(a) for a in sources.read}
        index = ctx["entities"]
        temporal = ctx["temporal"]
        al.facts = supported_facts(al, al.model.support,
                                   lambda i: plainness(al.claims[i], langs[al.claims[i].article],
                                                       by_id[al.claims[i].article].kind))
        facts: list[tuple[Fact, set[str]]] = []
        threshold = al.model.threshold
        for members, wording, _, clauses in al.facts:
            supporting = {al.sources[i] for i in members}
            evidence = [Evidence(article=al.claims[i].article, text=al.claims[i].text, start=al.claims[i].start,
                                 end=al.claims[i].end, in_title=al.claims[i].in_title,
                                 truncated=al.claims[i].truncated) for i in members]
            # the wording's own evidence comes first
            evidence.sort(key=lambda e: (e.article != al.claims[wording].article or e.start != al.claims[wording].start
                                         or e.in_title))
            articles = list(dict.fromkeys(e.article for e in evidence))
            # a source with a claim the model aligns with this fact's evidence, though grouped elsewhere, carries it
            # in other words: it is not listed as leaving the fact out
            near = {al.sources[o] for i in members for (a, b), p in _pairs_of(i, al) if p >= threshold
                    for o in (a, b)}
            claim = al.claims[wording]
            fact = Fact(id="", text=claim.statement, articles=articles, agreement=agreement(supporting, counted),
                        evidence=evidence)
            if len(articles) > 1:
                # a statement of the wording the fact is not about is a detail of the articles that state it too
                extra = [(al.views.spans[v][0] - claim.lead, al.views.spans[v][1] - claim.lead,
                          list(dict.fromkeys([claim.article] + [al.claims[i].article for i in stating])))
                         for v, stating in clauses.items() if al.views.spans[v][0] >= claim.lead]
                fact.details = _details(claim, members, al, index, temporal, langs, extra)
            facts.append((fact, supporting | near))
        rank = {"all": 0, "most": 1, "some": 2, "single": 3}
        facts.sort(key=lambda f: (rank[f[0].agreement], -len(f[0].articles), f[0].evidence[0].article,
                                  f[0].evidence[0].start))
        for n, (fact, _) in enumerate(facts, 1):
            fact.id = f"f{n}"
        ctx["facts"] = [f for f, _ in facts]
        ctx["omissions"] = _omissions(sources, facts)


def _details(claim: Claim, members: list[int], al: Alignment, index, temporal,
             langs: dict[str, Resources], statements=()):
    """The details of the wording (the claim's ``statement``) that not every cited article carries (wording.details)."""
    wording = dataclasses.replace(claim, start=claim.start + claim.lead, text=claim.statement, lead=0)
    carriers: dict[str, dict] = {}
    for i in members:
        claim, info = al.claims[i], al.infos[i]
        held = carriers.setdefault(claim.article, {"figures": [], "names": set(), "days": set(), "words": set()})
        held["figures"].extend(quantities(claim.text, langs[claim.article]))
        held["names"] |= info.entities
        held["days"] |= info.dates
        held["words"] |= set(lower_words(claim.text))
    names = [(m_start, m_end, entity) for m_start, m_end, entity in index.spans(wording.article)
             if wording.start <= m_start and m_end <= wording.end]
    days = [(t.start, t.end, t.value) for t in temporal.text.get(wording.article, ())
            if t.value and wording.start <= t.start and t.end <= wording.end]
    return details(wording, quantities(wording.text, langs[wording.article]), carriers, langs[wording.article],
                   names, days, statements)


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
