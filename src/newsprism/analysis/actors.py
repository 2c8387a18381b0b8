"""Who the story's actors are (with the roles the text gives them) and what each of them offers, demands or rejects.

Actors come from the story's EntityIndex, which already merges spellings and mentions. This module adds a role
where the text states one (titles before a name, "German Chancellor Friedrich Merz"; appositions, "Steve Witkoff,
Trump's envoy"), resolves pronouns and descriptions ("he", "the president", "Germany's defence minister") to a
named actor — ``Referents``, shared with the quotes stage — and collects positions: a stance verb, noun or
adjective from ``data/stance_verbs.csv`` whose subject (or possessor) is an actor, with the words it governs as
the position's text. Positions that outlets word differently but mean the same are merged by embedding similarity.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..models import Actor, Evidence, Position
from .entities import TITLES, Entity, EntityIndex, fold, gazetteer
from .stage import StoryContext

DATA = Path(__file__).resolve().parent / "data"
SUBJECTS = {"nsubj", "nsubjpass"}
PRONOUNS = {"he", "she", "him", "her"}
# Nouns for a body of people that a country modifier turns into the country ("Ukrainian officials").
GROUP_NOUNS = {"official", "officials", "authorities", "authority", "government", "leadership", "forces",
               "military", "army", "diplomats", "negotiators", "side", "delegation", "administration", "ministry"}
# How far back a pronoun may look for its person, in sentences: news prose names the referent just before.
PRONOUN_REACH = 3
# Position merging: two wordings of the same stance by the same actor whose embeddings are at least this close
# (to any wording already in the position) are one position. Tuned on the seed story: four outlets' wordings of
# one offer meet at 0.62-0.78, while one actor's different stances stay below 0.52.
SAME_POSITION = 0.6
MAX_POSITION_TOKENS = 22
# Verbs through which a subject states a stance noun as its own ("voiced skepticism", "expressed readiness"); other
# verbs act on someone else's stance ("accepted the offer" is not an offer).
LIGHT_VERBS = {"voice", "express", "signal", "show", "make", "issue", "reiterate", "state", "repeat", "renew",
               "announce", "present", "table", "submit", "put", "lay", "outline", "indicate", "underscore", "stress",
               "emphasise", "emphasize", "repeat", "register", "raise", "air", "have", "declare"}
# Modals that turn a reported statement into a demand ("said the guarantees must be legally binding").
OBLIGATION = {"must", "should"}
# What a stance becomes when negated ("would not accept" rejects); stances without an entry are dropped.
NEGATED = {"accepts": "rejects", "supports": "opposes", "welcomes": "opposes", "wants": "rejects",
           "offers": "rejects", "rejects": "accepts", "opposes": "supports"}


@cache
def word_list(name: str) -> frozenset[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


@dataclass(frozen=True)
class StanceWord:
    stance: str
    particle: str  # a required preposition or particle ("call for", "rule out"), or ""
    pos: str  # "verb", "noun" or "adjective"


@cache
def stance_words() -> dict[tuple[str, str], StanceWord]:
    """(lemma, part of speech) → the stance it states."""
    words = {}
    with (DATA / "stance_verbs.csv").open(encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows)
        for lemma, stance, particle in rows:
            pos = "verb"
            if "(" in lemma:
                lemma, pos = lemma.split("(")[0].strip(), lemma.split("(")[1].rstrip(")").strip()
            words[(lemma, pos)] = StanceWord(stance, particle.strip(), pos)
    return words


def _places(index: EntityIndex, article: str, start: int, end: int) -> list[Entity]:
    return [e for e in index.at(article, start, end) if e.kind in ("place", "organization", "group")]


class Referents:
    """Resolves the head of a noun phrase to a named entity: names, pronouns, descriptions and group nouns.

    Built once per story. Descriptions are matched against the roles the story gives its people, so "the
    president" resolves only when one person mentioned before it in the article carries that title.
    """

    def __init__(self, ctx: StoryContext, index: EntityIndex):
        self.ctx, self.index = ctx, index
        self.roles: dict[str, Counter] = defaultdict(Counter)  # entity id → role strings
        self.role_words: dict[str, set[str]] = defaultdict(set)  # entity id → role nouns
        self.role_places: dict[str, set[str]] = defaultdict(set)  # entity id → countries in its roles
        self.persons: dict[str, list[tuple[int, Entity, bool]]] = defaultdict(list)  # article → mentions
        in_story = {a.id for a in ctx.articles}
        for entity in index.entities.values():
            for mention in entity.mentions:
                if entity.kind != "person" or mention.article not in in_story:
                    continue
                doc = ctx.annotations.doc(mention.article)
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is None:
                    continue
                self.persons[mention.article].append((mention.start, entity, span.root.dep_ in SUBJECTS))
                self._read_role(mention.article, span, entity)
        # Surnames the entity recogniser missed ("Zelenskiy framed…") still tell a pronoun who was just named.
        for article in ctx.articles:
            known = {start for start, _, _ in self.persons[article.id]}
            for token in ctx.annotations.doc(article.id):
                if token.pos_ == "PROPN" and token.idx not in known and not token.ent_type_:
                    entity = self.index.lookup(token.text)
                    if entity is not None and entity.kind == "person":
                        self.persons[article.id].append((token.idx, entity, token.dep_ in SUBJECTS))
        for mentions in self.persons.values():
            mentions.sort(key=lambda m: m[0])

    def _read_role(self, article: str, span, entity: Entity) -> None:
        """The title before a name ("US special envoy Steve Witkoff") or an apposition after it, if any."""
        doc, role_nouns = span.doc, word_list("role_nouns.txt")
        i, sent_start = span.start - 1, span.sent.start
        first = span.start
        while i >= sent_start:
            token = doc[i]
            low = token.lower_
            if low in role_nouns or (low in TITLES and low != "the"):
                first = i
            elif token.tag_ == "POS" and i - 1 >= sent_start:
                first = i  # a possessor follows: "Germany's", "Trump's"
            elif self.index.at(article, token.idx, token.idx + len(token)) or token.ent_type_ == "PERSON":
                first = i
                person = token.ent_type_ == "PERSON" or any(
                    e.kind == "person" for e in self.index.at(article, token.idx, token.idx + len(token)))
                if person and doc[i + 1].tag_ == "POS":
                    break  # "Trump's negotiator": the possessor ends the role
            else:
                break
            i -= 1
        candidates = []
        if first < span.start:
            candidates.append(doc[first:span.start])
        for child in span.root.children:
            if child.dep_ == "appos" and child.i > span.end - 1 and child.lemma_.lower() in role_nouns:
                sub = doc[child.left_edge.i:child.i + 1]
                if len(sub) <= 8:
                    candidates.append(sub)
        for role in candidates:
            while len(role) > 1 and (role[0].pos_ == "DET" or role[0].tag_ == "POS"):
                role = role[1:]  # "the port director" → "port director"; a dangling "'s" from a missed name
            nouns = {t.lemma_.lower() for t in role if t.lemma_.lower() in role_nouns or t.lower_ in role_nouns}
            if not nouns:
                continue
            text = role.text.strip(" ,")
            # One count per wording whatever its case ("Port director" / "port director"), first spelling kept.
            text = next((t for t in self.roles[entity.id] if t.lower() == text.lower()), text)
            self.roles[entity.id][text] += 1
            self.role_words[entity.id] |= nouns
            for token in role:
                for place in _places(self.index, article, token.idx, token.idx + len(token)):
                    self.role_places[entity.id].add(place.id)

    def role(self, entity: Entity) -> str | None:
        if not self.roles.get(entity.id):
            return None
        # The role noun outlets use most ("envoy" over "negotiator"), then its most frequent, most specific wording.
        roles = self.roles[entity.id]
        nouns = Counter()
        for text, n in roles.items():
            for noun in self._nouns(text):
                nouns[noun] += n
        top = nouns.most_common(1)[0][0]
        return max((kv for kv in roles.items() if top in self._nouns(kv[0])), key=lambda kv: (kv[1], len(kv[0])))[0]

    @staticmethod
    def _nouns(text: str) -> set[str]:
        role_nouns = word_list("role_nouns.txt")
        return {w.rstrip("s") if w.rstrip("s") in role_nouns else w for w in text.lower().split()} & role_nouns

    def _recent_person(self, article: str, offset: int, sent_start: int) -> Entity | None:
        best = None
        for start, entity, is_subject in self.persons.get(article, ()):
            if start >= offset or start < sent_start:
                continue
            if best is None or is_subject or not best[1]:
                best = (entity, is_subject)
        return best[0] if best else None

    def resolve(self, article: str, head, *, groups: bool = False) -> Entity | None:
        """The named entity the noun phrase headed by ``head`` (a spaCy token) refers to, or None."""
        entity = self._resolve(article, head, groups)
        if entity is not None and entity.kind == "place":
            # A capital that speaks or takes a stance is its government ("Kyiv rejects" → Ukraine).
            names, metonyms = gazetteer()
            country = metonyms.get(fold(entity.name))
            if country is not None:
                return self.index.lookup(country) or entity
        return entity

    def _resolve(self, article: str, head, groups: bool) -> Entity | None:
        doc = head.doc
        left = head.left_edge.i
        start, end = doc[left].idx, head.idx + len(head)
        named = self.index.at(article, start, end)
        at_head = [e for e in named for m in e.mentions
                   if m.article == article and m.start <= head.idx < m.end]
        if at_head:
            return at_head[0]
        if head.pos_ == "PROPN" or head.ent_type_:
            # The parser's entity recogniser missed this mention; the name may still be one the story knows.
            name = doc[min([head.i] + [c.i for c in head.children if c.dep_ in ("compound", "flat")]):head.i + 1]
            known = self.index.lookup(name.text)
            if known is not None:
                return known
        low = head.lower_
        if low in PRONOUNS:
            sents = list(doc.sents)
            here = next((k for k, s in enumerate(sents) if s.start <= head.i < s.end), 0)
            reach = sents[max(0, here - PRONOUN_REACH)].start_char
            return self._recent_person(article, head.idx, reach)
        modifiers = [e for e in named if e.kind != "person"]
        if head.lemma_.lower() in word_list("role_nouns.txt") and head.pos_ == "NOUN":
            return self._describe(article, head, modifiers)
        if groups and (low in GROUP_NOUNS or head.lemma_.lower() in GROUP_NOUNS):
            if len({e.id for e in modifiers}) == 1:
                return modifiers[0]
        return None

    def _describe(self, article: str, head, modifiers: list[Entity]) -> Entity | None:
        """'the president', "Germany's defence minister": the one person with that role mentioned before."""
        noun = head.lemma_.lower()
        candidates = [e for e in self.index.entities.values() if noun in self.role_words.get(e.id, ())]
        if modifiers:
            wanted = {m.id for m in modifiers}
            fitting = [e for e in candidates if self.role_places.get(e.id, set()) & wanted]
            candidates = fitting or candidates
        if len(candidates) == 1:
            return candidates[0]
        seen = [e for start, e, _ in self.persons.get(article, ()) if start < head.idx and e in candidates]
        return seen[-1] if seen else None


def subject_of(token):
    """The subject of a verb, climbing through infinitives, participles and coordination ("…, saying that")."""
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in ("nsubj",)]
        if subjects:
            subject = min(subjects, key=lambda c: abs(c.i - token.i))  # a mis-parsed second subject is farther
            if subject.lower_ in ("who", "that", "which") and token.dep_ == "relcl":
                return token.head  # "a woman who said…": the relative pronoun stands for the noun
            return subject
        if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head  # "footage of Trump saying…": the participle's noun does the saying
        if token.dep_ in ("xcomp", "conj", "advcl", "acomp", "amod") and token.head is not token:
            token = token.head
            continue
        return None
    return None


def _position_span(token):
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
    if token.dep_ == "relcl" and any(c.dep_ == "dobj" and c.lower_ in ("which", "that") for c in token.children):
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
                           ("DET", "ADP", "SCONJ", "CCONJ", "PART", "AUX") or doc[end].lower_ in ("that", "which")):
        end -= 1
    return start, end + 1


def _stance_of(token) -> tuple[StanceWord, object] | None:
    """(stance, the token whose subject or possessor holds it) when ``token`` states a stance."""
    words = stance_words()
    lemma = token.lemma_.lower()
    pos = {"VERB": "verb", "NOUN": "noun", "ADJ": "adjective"}.get(token.pos_)
    if token.pos_ == "AUX" or pos is None:
        return None
    found = words.get((lemma, pos)) or words.get((token.lower_, pos))
    if found is None and pos == "verb" and lemma in word_list("reporting_verbs.txt") and any(
            c.dep_ == "ccomp" and any(a.lemma_.lower() in OBLIGATION for a in c.children if a.dep_ == "aux")
            for c in token.children):
        found = StanceWord("demands", "", "verb")  # "has maintained that Ukraine must remain neutral"
    if found is None and token.tag_ == "VBN":  # "was prepared to", tagged as a participle
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


def find_positions(ctx: StoryContext, referents: Referents) -> dict[str, list[tuple[str, Evidence]]]:
    """Entity id → [(stance, evidence)] for every stance an actor takes in the story's articles."""
    found: dict[str, list[tuple[str, Evidence]]] = defaultdict(list)
    for article in ctx.articles:
        if article.duplicate_of:
            continue
        doc = ctx.annotations.doc(article.id)
        for token in doc:
            hit = _stance_of(token)
            if hit is None or token.sent.text.rstrip().endswith("?"):
                continue  # a question ("What does X want?") states no position
            stance, _ = hit
            holder = None
            if token.pos_ == "NOUN":
                poss = [c for c in token.children if c.dep_ == "poss"]
                if poss:
                    holder = poss[0]
                elif token.dep_ in ("dobj", "attr") and token.head.lemma_.lower() in LIGHT_VERBS:
                    holder = subject_of(token.head)  # "voiced skepticism", "expressed readiness"
            else:
                holder = subject_of(token)
            if holder is None:
                continue
            entity = referents.resolve(article.id, holder, groups=True)
            if entity is None:
                continue
            span = _position_span(token)
            if span is None:
                continue
            start, end = doc[span[0]].idx, doc[span[1] - 1].idx + len(doc[span[1] - 1])
            found[entity.id].append((stance.stance, Evidence(article=article.id, text=article.text[start:end],
                                                               start=start, end=end)))
    return found


def merge_positions(ctx: StoryContext, found: list[tuple[str, Evidence]]) -> list[Position]:
    """One Position per stance and meaning, with every outlet's evidence for it."""
    positions: list[Position] = []
    vectors = ctx.annotations.embed([e.text for _, e in found]) if found else None
    # Single-link clustering over all pairs, so the order outlets come in does not decide what merges.
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(found)):
        for j in range(i):
            if found[i][0] == found[j][0] and float(vectors[i] @ vectors[j]) >= SAME_POSITION:
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
        names, metonyms = gazetteer()
        return fold(entity.name) in names and fold(entity.name) not in metonyms
    return True


def build_actors(ctx: StoryContext, index: EntityIndex, referents: Referents | None = None) -> list[Actor]:
    referents = referents or Referents(ctx, index)
    found = find_positions(ctx, referents)
    speakers = {q.speaker for q in ctx.report.quotes if q.speaker}
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
    """Reuses the quotes stage's ``referents`` and counts its speakers as actors when it ran first; works alone too."""

    name = "actors"
    requires = ("articles", "annotations", "entities")
    provides = ("actors",)

    def run(self, ctx: StoryContext) -> None:
        index = ctx.products["entities"]
        referents = ctx.products.get("referents") or Referents(ctx, index)
        ctx.products["referents"] = referents
        ctx.report.actors = build_actors(ctx, index, referents)
