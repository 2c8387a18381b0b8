"""Who a noun phrase refers to: names, pronouns, descriptions ("the president") and groups resolved to a named entity.

Built once per story (a product of its own stage) and read by the quotes stage (speakers) and the actors stage
(who holds a position). Descriptions are matched against the roles the story gives its people (titles before a
name, "German Chancellor Friedrich Merz"; appositions, "Steve Witkoff, Trump's envoy"), so "the president" resolves
only when one person mentioned before it in the article carries that title.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from ..lang import Resources
from .entities import Entity, EntityIndex, fold, gazetteer
from .stage import StageView

SUBJECTS = {"nsubj", "nsubjpass"}
PRONOUN_REACH = 3
"""How far back a pronoun may look for its person, in sentences: news prose names the referent just before."""


def _places(index: EntityIndex, article: str, start: int, end: int) -> list[Entity]:
    return [e for e in index.at(article, start, end) if e.kind in ("place", "organization", "group")]


class Referents:
    """Resolves the head of a noun phrase to a named entity: names, pronouns, descriptions and group nouns.

    Built once per story. Descriptions are matched against the roles the story gives its people, so "the
    president" resolves only when one person mentioned before it in the article carries that title.
    """

    def __init__(self, ctx: StageView, index: EntityIndex):
        self.ctx, self.index = ctx, index
        self.lang: Resources = index.lang
        self.role_nouns = self.lang.words("role_nouns.txt")
        self.roles: dict[str, Counter] = defaultdict(Counter)  # entity id → role strings
        self.role_words: dict[str, set[str]] = defaultdict(set)  # entity id → role nouns
        self.role_places: dict[str, set[str]] = defaultdict(set)  # entity id → countries in its roles
        self.persons: dict[str, list[tuple[int, Entity, bool]]] = defaultdict(list)  # article → mentions
        in_story = {a.id for a in ctx.readable}
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
        for article in ctx.readable:
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
        doc, role_nouns, possessive = span.doc, self.role_nouns, self.lang.tags.possessive
        i, sent_start = span.start - 1, span.sent.start
        first = span.start
        while i >= sent_start:
            token = doc[i]
            low = token.lower_
            if low in role_nouns or (low in self.lang.titles and low not in self.lang.name_articles):
                first = i
            elif token.tag_ == possessive and i - 1 >= sent_start:
                first = i  # a possessor follows: "Germany's", "Trump's"
            elif self.index.at(article, token.idx, token.idx + len(token)) or token.ent_type_ == "PERSON":
                first = i
                person = token.ent_type_ == "PERSON" or any(
                    e.kind == "person" for e in self.index.at(article, token.idx, token.idx + len(token)))
                if person and doc[i + 1].tag_ == possessive:
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
            while len(role) > 1 and (role[0].pos_ == "DET" or role[0].tag_ == possessive):
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

    def _nouns(self, text: str) -> set[str]:
        role_nouns = self.role_nouns
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
            names, metonyms = gazetteer(self.lang)
            country = metonyms.get(fold(entity.name, self.lang))
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
        if low in self.lang.pronouns:
            sents = list(doc.sents)
            here = next((k for k, s in enumerate(sents) if s.start <= head.i < s.end), 0)
            reach = sents[max(0, here - PRONOUN_REACH)].start_char
            return self._recent_person(article, head.idx, reach)
        modifiers = [e for e in named if e.kind != "person"]
        if head.lemma_.lower() in self.role_nouns and head.pos_ == "NOUN":
            return self._describe(article, head, modifiers)
        if groups and (low in self.lang.group_nouns or head.lemma_.lower() in self.lang.group_nouns):
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


def subject_of(token, lang: Resources):
    """The subject of a verb, climbing through infinitives, participles and coordination ("…, saying that")."""
    for _ in range(4):
        subjects = [c for c in token.children if c.dep_ in ("nsubj",)]
        if subjects:
            subject = min(subjects, key=lambda c: abs(c.i - token.i))  # a mis-parsed second subject is farther
            if subject.lower_ in lang.relative_pronouns and token.dep_ == "relcl":
                return token.head  # "a woman who said…": the relative pronoun stands for the noun
            return subject
        if token.dep_ == "acl" and token.head.pos_ in ("NOUN", "PROPN"):
            return token.head  # "footage of Trump saying…": the participle's noun does the saying
        if token.dep_ in ("xcomp", "conj", "advcl", "acomp", "amod") and token.head is not token:
            token = token.head
            continue
        return None
    return None


class ReferentsStage:
    name = "referents"
    requires = ("articles", "annotations", "entities")
    provides = ("referents",)

    def run(self, ctx: StageView) -> None:
        ctx["referents"] = Referents(ctx, ctx["entities"])


__all__ = ["Referents", "ReferentsStage", "subject_of"]
