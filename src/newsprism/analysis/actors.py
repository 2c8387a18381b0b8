"""Who the story's actors are (with the roles the text gives them) and what each of them offers, demands or rejects.

Actors come from the story's EntityIndex, which already merges spellings and mentions. This module adds a role
where the text states one (titles before a name, "German Chancellor Friedrich Merz"; appositions, "Steve Witkoff,
Trump's envoy"), resolves pronouns and descriptions ("he", "the president", "Germany's defence minister") to a
named actor — ``Referents``, shared with the quotes stage — and collects positions: a stance verb, noun or
adjective from the language's ``stance_verbs.csv`` whose subject (or possessor) is an actor, with the words it governs as
the position's text. Positions that outlets word differently but mean the same are merged by embedding similarity.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from ..lang import Resources
from ..models import Actor, Evidence, Position
from .entities import Entity, EntityIndex, fold, gazetteer
from .referents import Referents, subject_of
from .stage import StageView

# Position merging: two wordings of the same stance by the same actor whose embeddings are at least
# "actors.same_position" close (nlp/data/thresholds.json) are one position. Tuned on the seed story (potion-base-8M:
# four outlets' wordings of one offer meet at 0.62-0.78, while one actor's different stances stay below 0.52).
MAX_POSITION_TOKENS = 22
NEGATED = {"accepts": "rejects", "supports": "opposes", "welcomes": "opposes", "wants": "rejects",
           "offers": "rejects", "rejects": "accepts", "opposes": "supports"}
"""What a stance becomes when negated ("would not accept" rejects); stances without an entry are dropped."""


@dataclass(frozen=True)
class StanceWord:
    stance: str
    particle: str  # a required preposition or particle ("call for", "rule out"), or ""
    pos: str  # "verb", "noun" or "adjective"


@cache
def stance_words(lang: Resources) -> dict[tuple[str, str], StanceWord]:
    """(lemma, part of speech) → the stance it states, from the language's ``stance_verbs.csv``."""
    words = {}
    for row in lang.rows("stance_verbs.csv"):
        lemma, pos = row["lemma"], "verb"
        if "(" in lemma:
            lemma, pos = lemma.split("(")[0].strip(), lemma.split("(")[1].rstrip(")").strip()
        words[(lemma, pos)] = StanceWord(row["stance"], (row["particle"] or "").strip(), pos)
    return words


def _position_span(token, lang: Resources):
    """Token range of a stance and the words it governs, or None when it governs nothing."""
    doc = token.doc
    right = [c for c in token.children if c.i > token.i and c.dep_ in
             ("dobj", "xcomp", "ccomp", "prep", "prt", "attr", "acomp", "pobj", "dative", "oprd", "acl", "advcl")]
    if not right:
        return None
    end = max(c.right_edge.i for c in right)
    # A negation belongs in the text ("would not accept territorial concessions").
    start = min([token.i] + [c.i for c in token.children if c.i < token.i and c.dep_ in ("neg", "aux")
                              and any(n.dep_ == "neg" for n in token.children)])
    if token.dep_ == "relcl" and any(c.dep_ == "dobj" and c.lower_ in lang.relative_pronouns for c in token.children):
        start = token.head.left_edge.i  # "territorial concessions, which Kyiv has firmly rejected"
        end = token.i
    end = min(end, start + MAX_POSITION_TOKENS - 1)
    for k in range(start + 4, end):
        # A clause boundary ends the position ("…to Moscow, even as talks intensify"), a list does not
        # ("renounce NATO aspirations, remain neutral, and bar…"); a paragraph break always does.
        token, following = doc[k], doc[k + 1]
        if "\n" in token.text or "\n" in token.whitespace_:
            end = k if "\n" in token.text else k
            break
        if token.text in (",", ";", "—", "–", ":") and following.dep_ not in ("conj", "cc") and not any(
                c.dep_ == "conj" for c in following.head.children if c.i > k) and following.dep_ != "appos":
            end = k
            break
        if token.dep_ == "cc" and following.pos_ in ("VERB", "AUX") and following.dep_ == "conj" and \
                following.head.i < token.i and any(c.dep_ in ("dobj", "prep") for c in following.children):
            end = k  # "…withdraw from Donbas and sought written guarantees": a second clause is another stance
            break
    # Never end on a dangling function word ("…guarantees that").
    while end > start and (doc[end].is_punct or doc[end].is_space or doc[end].pos_ in
                           ("DET", "ADP", "SCONJ", "CCONJ", "PART", "AUX") or doc[end].lower_ in lang.relative_pronouns):
        end -= 1
    return start, end + 1


def _stance_of(token, lang: Resources) -> tuple[StanceWord, object] | None:
    """(stance, the token whose subject or possessor holds it) when ``token`` states a stance."""
    words = stance_words(lang)
    lemma = token.lemma_.lower()
    pos = {"VERB": "verb", "NOUN": "noun", "ADJ": "adjective"}.get(token.pos_)
    if token.pos_ == "AUX" or pos is None:
        return None
    found = words.get((lemma, pos)) or words.get((token.lower_, pos))
    if found is None and pos == "verb" and lemma in lang.words("reporting_verbs.txt") and any(
            c.dep_ == "ccomp" and any(a.lemma_.lower() in lang.obligation for a in c.children if a.dep_ == "aux")
            for c in token.children):
        found = StanceWord("demands", "", "verb")  # "has maintained that Ukraine must remain neutral"
    if found is None and token.tag_ == lang.tags.participle:  # "was prepared to", tagged as a participle
        found = words.get((token.lower_, "adjective"))
    if found is None:
        return None
    if found.particle and not any(c.lower_ == found.particle for c in token.children) and not any(
            g.lower_ == found.particle and g.dep_ == "mark" for c in token.children for g in c.children):
        return None  # "called for X to withdraw": the parser hangs "for" on the infinitive
    if any(c.dep_ == "neg" for c in token.children) or any(
            c.dep_ == "neg" for c in token.head.children if token.dep_ in ("xcomp", "acomp")):
        negated = NEGATED.get(found.stance)
        if negated is None:
            return None
        found = StanceWord(negated, found.particle, found.pos)
    return found, token


def find_positions(ctx: StageView, referents: Referents) -> dict[str, list[tuple[str, Evidence]]]:
    """Entity id → [(stance, evidence)] for every stance an actor takes in the story's articles."""
    found: dict[str, list[tuple[str, Evidence]]] = defaultdict(list)
    for article in ctx.readable:
        if article.duplicate_of:
            continue
        doc = ctx.annotations.doc(article.id)
        lang = ctx.language(article)
        for token in doc:
            hit = _stance_of(token, lang)
            if hit is None or token.sent.text.rstrip().endswith("?"):
                continue  # a question ("What does X want?") states no position
            stance, _ = hit
            holder = None
            if token.pos_ == "NOUN":
                poss = [c for c in token.children if c.dep_ == "poss"]
                if poss:
                    holder = poss[0]
                elif token.dep_ in ("dobj", "attr") and token.head.lemma_.lower() in lang.light_verbs:
                    holder = subject_of(token.head, lang)  # "voiced skepticism", "expressed readiness"
            else:
                holder = subject_of(token, lang)
            if holder is None:
                continue
            entity = referents.resolve(article.id, holder, groups=True)
            if entity is None:
                continue
            span = _position_span(token, lang)
            if span is None:
                continue
            start, end = doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1])
            found[entity.id].append((stance.stance, Evidence(article=article.id, text=article.text[start:end],
                                                               start=start, end=end)))
    return found


def merge_positions(ctx: StageView, found: list[tuple[str, Evidence]]) -> list[Position]:
    """One Position per stance and meaning, with every outlet's evidence for it."""
    positions: list[Position] = []
    vectors = ctx.annotations.embed([e.text for _, e in found]) if found else None
    same_position = ctx.annotations.threshold("actors.same_position") if found else 1.0
    # Single-link clustering over all pairs, so the order outlets come in does not decide what merges.
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(found)):
        for j in range(i):
            if found[i][0] == found[j][0] and float(vectors[i] @ vectors[j]) >= same_position:
                parent[root(i)] = root(j)
    by_root: dict[int, list[int]] = {}
    for i in range(len(found)):
        by_root.setdefault(root(i), []).append(i)
    groups = list(by_root.values())
    for group in groups:
        evidence = [found[i][1] for i in group]
        # The wording closest to all the others speaks for the position; headline case and fragments read worst.
        def score(i: int) -> tuple:
            text = found[i][1].text
            headline = sum(w[:1].isupper() for w in text.split()) > 0.6 * len(text.split())
            return (headline, len(text.split()) < 3, -sum(float(vectors[i] @ vectors[j]) for j in group))
        text = found[min(group, key=score)][1].text
        positions.append(Position(stance=found[group[0]][0], text=text,
                                  articles=list(dict.fromkeys(e.article for e in evidence)), evidence=evidence))
    positions.sort(key=lambda p: (-len(p.articles), p.stance))
    return positions


def _is_actor(entity: Entity, referents: Referents, has_positions: bool, speakers: set[str]) -> bool:
    if has_positions or entity.name in speakers:
        return True
    if len(entity.mentions) < 2:
        return False  # a name met once is background, not someone the story is about
    if entity.kind == "place":
        # Countries act in a story; cities and regions are mostly where it happens.
        names, metonyms = gazetteer(referents.lang)
        key = fold(entity.name, referents.lang)
        return key in names and key not in metonyms
    return True


def build_actors(ctx: StageView, index: EntityIndex, referents: Referents, quotes) -> list[Actor]:
    found = find_positions(ctx, referents)
    speakers = {q.speaker for q in quotes if q.speaker}
    actors = []
    for entity in index.entities.values():
        positions = merge_positions(ctx, found.get(entity.id, []))
        if not _is_actor(entity, referents, bool(positions), speakers):
            continue
        aliases = [a for a, _ in entity.aliases.most_common() if a != entity.name]
        actors.append(Actor(id=f"actor-{entity.id}", name=entity.name, aliases=aliases, kind=entity.kind,
                            role=referents.role(entity), articles=entity.articles, positions=positions))
    actors.sort(key=lambda a: (-len(a.articles), -len(a.positions), a.name))
    return actors


class ActorsStage:
    """Actors, their roles and positions; the quotes stage's speakers count as actors."""

    name = "actors"
    requires = ("articles", "annotations", "entities", "referents", "quotes")
    provides = ("actors",)

    def run(self, ctx: StageView) -> None:
        ctx["actors"] = build_actors(ctx, ctx["entities"], ctx["referents"], ctx["quotes"])
