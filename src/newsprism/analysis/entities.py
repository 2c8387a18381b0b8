"""Who and what the story is about, with one name per referent across outlets and spellings.

Outlets spell and refer to the same person or country differently: transliterations (Zelenskiy / Zelenskyy /
Zelensky), titles and possessives ("President Zelensky's"), abbreviations ("U.S." / "US" / "United States"),
demonyms ("Ukrainian officials") and capitals standing for governments ("Washington's push", "Moscow demands").
This stage gathers every mention in the story and maps each to one entity. General rules, the language's titles and
its gazetteer of countries and international bodies (``lang/<code>/names.csv``, general knowledge) do this; nothing
is story-specific.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache

from ..lang import Resources, default
from .stage import StageView

_LABEL_KIND = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place",
               "NORP": "group"}
_GOVERNMENT_DEPS = {"nsubj", "nsubjpass", "poss", "agent"}


def fold(text: str, lang: Resources | None = None) -> str:
    """Lower-case, accent-free, punctuation-free form of a name, without possessive or leading article ("the").

    >>> fold("the U.S.’s"), fold("Zelenskiy's"), fold("Bogotá")
    ('us', 'zelenskiy', 'bogota')
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().replace("’", "'")
    text = re.sub(r"'s?\b", "", text)
    text = re.sub(r"[^\w\s-]", "", text).replace("-", " ")
    words = text.split()
    if len(words) > 1 and words[0] in (lang or default()).name_articles:
        words = words[1:]
    return " ".join(words)


def translit_key(name: str) -> str:
    """A key under which transliterations of one name meet (Zelenskiy, Zelenskyy, Zelensky, Zelenski).

    >>> {translit_key(n) for n in ("Zelenskiy", "Zelenskyy", "Zelensky", "Zelenskyi")}
    {'zelensky'}
    """
    words = []
    for word in fold(name).split():
        word = re.sub(r"(?<=[^aeiou])(?:iy|yy|yi|ij|ii|i)$", "y", word)
        word = re.sub(r"(?<=sk)aya$", "a", word)  # feminine surnames: Dunavskaya / Dunavska
        word = re.sub(r"(.)\1", r"\1", word)  # doubled letters: Mohammed / Mohamed
        word = word.replace("kh", "h").replace("ph", "f")
        words.append(word)
    return " ".join(words)


def strip_titles(text: str, lang: Resources) -> str:
    """The name without the titles before it ("German Chancellor Friedrich Merz" → "Friedrich Merz")."""
    words = text.split()
    while len(words) > 1 and fold(words[0]) in lang.titles:
        words.pop(0)
    return " ".join(words)


@dataclass
class GazetteerEntry:
    canonical: str
    kind: str
    metonym_of: str | None = None


@cache
def gazetteer(lang: Resources | None = None) -> tuple[dict[str, GazetteerEntry], dict[str, str]]:
    """(name key → entry, capital/metonym key → the country or body it can stand for), from the language's
    ``names.csv`` (default: the default language's)."""
    names: dict[str, GazetteerEntry] = {}
    metonyms: dict[str, str] = {}
    for row in (lang or default()).rows("names.csv"):
        entry = GazetteerEntry(row["canonical"], row["kind"])
        for alias in [row["canonical"], *filter(None, row["aliases"].split("|"))]:
            names.setdefault(fold(alias, lang), entry)
        for metonym in filter(None, row["metonyms"].split("|")):
            metonyms.setdefault(fold(metonym, lang), row["canonical"])
    return names, metonyms


@dataclass
class Mention:
    article: str
    start: int
    end: int
    text: str


@dataclass
class Entity:
    id: str
    name: str
    kind: str
    aliases: Counter = field(default_factory=Counter)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return list(dict.fromkeys(m.article for m in self.mentions))


class EntityIndex:
    """All entities of a story, and which entity each mention (by article and character span) refers to."""

    def __init__(self, lang: Resources | None = None) -> None:
        self.lang = lang or default()
        self.entities: dict[str, Entity] = {}
        self._by_key: dict[str, str] = {}
        self._by_surname: dict[str, set[str]] = defaultdict(set)
        self._spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        self._sorted: dict[str, list[tuple[int, int, int, str]]] = {}  # the same, sorted, for ``at``

    def _entity(self, key: str, name: str, kind: str) -> Entity:
        if key not in self._by_key:
            entity_id = f"e{len(self.entities) + 1}"
            self.entities[entity_id] = Entity(entity_id, name, kind)
            self._by_key[key] = entity_id
        return self.entities[self._by_key[key]]

    def lookup(self, text: str) -> Entity | None:
        """The entity a bare name refers to in this story ("Zelensky", "the U.S.", "Germany's"), if any."""
        names, metonyms = gazetteer(self.lang)
        folded = fold(strip_titles(text, self.lang))
        if folded in names:
            return self.entities.get(self._by_key.get("g:" + names[folded].canonical, ""))
        key = translit_key(folded)
        if "p:" + key in self._by_key:
            return self.entities[self._by_key["p:" + key]]
        people = self._by_surname.get(key.split()[-1] if key else "", set())
        if len(people) == 1 and len(key.split()) == 1:
            return self.entities[next(iter(people))]
        if folded in metonyms:
            return self.entities.get(self._by_key.get("g:" + metonyms[folded], ""))
        return self.entities.get(self._by_key.get("o:" + key, ""))

    def at(self, article: str, start: int, end: int) -> list[Entity]:
        """Entities mentioned within a character span of an article."""
        spans = self._sorted.get(article)
        if spans is None:  # (start, order of mention, end, id), so a span's mentions come in the order they were added
            spans = self._sorted[article] = sorted((s, n, t, e) for n, (s, t, e) in
                                                   enumerate(self._spans.get(article, ())))
        inside = []
        for k in range(bisect_left(spans, (start,)), len(spans)):
            s, n, t, e = spans[k]
            if s > end:
                break
            if t <= end:
                inside.append((n, e))
        return [self.entities[e] for _, e in sorted(inside)]

    def spans(self, article: str) -> list[tuple[int, int, str]]:
        """(start, end, entity id) of every mention in an article's text."""
        return list(self._spans.get(article, ()))

    def add(self, mention: Mention, entity: Entity) -> None:
        entity.mentions.append(mention)
        entity.aliases[mention.text] += 1
        self._spans[mention.article].append((mention.start, mention.end, entity.id))
        self._sorted.pop(mention.article, None)


def _clean_span(ent, lang: Resources) -> tuple[int, int, str]:
    """The entity span without leading titles and determiners and without a trailing possessive."""
    tokens = list(ent)
    while len(tokens) > 1 and (tokens[0].lower_ in lang.titles or tokens[0].pos_ == "DET"):
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1].tag_ == lang.tags.possessive:
        tokens.pop()
    # A slice of the doc, not of doc.text: Doc.text is rebuilt on every access.
    text = ent.doc[tokens[0].i:tokens[-1].i + 1].text
    text = re.sub(r"[’']s$", "", text)
    return tokens[0].idx, tokens[0].idx + len(text), text


def build_index(ctx: StageView, lang: Resources | None = None) -> EntityIndex:
    """The entities of the story's readable articles, with the gazetteer of ``lang`` (default: the default
    language's; an index spans one language's names)."""
    index = EntityIndex(lang)
    names, metonyms = gazetteer(index.lang)
    pending: list[tuple[Mention, str, object]] = []
    # First pass: gazetteer names and full personal names define the entities.
    for article in ctx.readable:
        doc = ctx.annotations.doc(article.id)
        for ent in doc.ents:
            if ent.label_ not in _LABEL_KIND:
                continue
            start, end, text = _clean_span(ent, ctx.language(article))
            mention = Mention(article.id, start, end, text)
            folded = fold(text)
            # A capital as subject or possessor stands for its government ("Kyiv's position", "Moscow demands").
            if folded in metonyms and ent.root.dep_ in _GOVERNMENT_DEPS:
                country = metonyms[folded]
                index.add(mention, index._entity("g:" + country, country, names[fold(country)].kind))
            elif folded in names:
                entry = names[folded]
                index.add(mention, index._entity("g:" + entry.canonical, entry.canonical, entry.kind))
            elif ent.label_ == "PERSON" and len(folded.split()) >= 2 and folded not in metonyms:
                key = translit_key(folded)
                person = index._entity("p:" + key, text, "person")
                index._by_surname[key.split()[-1]].add(person.id)
                index.add(mention, person)
            else:
                pending.append((mention, ent.label_, ent))
    # Second pass: surnames and other single names join a person when exactly one person has that surname.
    for mention, label, ent in pending:
        folded = fold(mention.text)
        key = translit_key(folded)
        people = index._by_surname.get(key.split()[-1], set()) if len(key.split()) == 1 else set()
        if len(people) == 1:
            index.add(mention, index.entities[next(iter(people))])
        elif folded in metonyms:  # a capital used as a place ("talks in Berlin")
            index.add(mention, index._entity("o:" + translit_key(folded), mention.text, "place"))
        else:
            kind = _LABEL_KIND[label]
            index.add(mention, index._entity("o:" + key, mention.text, kind))
    for entity in index.entities.values():
        if entity.kind == "person":  # the longest common full form reads best ("Volodymyr Zelensky")
            forms = [f for f, _ in entity.aliases.most_common() if len(f.split()) >= 2] or [entity.name]
            entity.name = forms[0]
    return index


class EntitiesStage:
    name = "entities"
    requires = ("articles", "annotations")
    provides = ("entities",)

    def run(self, ctx: StageView) -> None:
        ctx["entities"] = build_index(ctx)
