"""What newsprism knows of each language it reads, behind one look-up: ``resources(code)``.

As in spaCy's ``lang/*`` and trafilatura's language tables, each language is a folder — ``lang/en/`` — holding its
word lists and lexicons as data files, and a ``Resources`` subclass naming them and the few rules that are code (the
date grammar, the parser's tag names). Adding a language is adding a folder and one line to ``LANGUAGES``.

What a stage does with an article in a language without resources is decided here, once (``readable``): the article
counts in coverage, but no language rule reads it — no facts, quotes, actors, framing, timeline or summary come from
it, and the report says so in ``problems``.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from functools import cache, cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from ..models import Article
    from ..text.dates import TimeExpr

DEFAULT = "en"
"""The language assumed when detection could not tell (too little text): the one newsprism reads best."""
LANGUAGES = {"en": ".en"}
"""Language code → the module (relative to this package) whose ``RESOURCES`` describes it."""


class Tags:
    """Names the parser's fine-grained tags give to verb forms (spaCy's ``token.tag_``; Penn Treebank for English)."""

    def __init__(self, *, finite: set[str], past: set[str], participle: str, infinitive: str, possessive: str):
        self.finite = frozenset(finite)
        """Finite verb forms ("rejects", "rejected", "reject" with a subject)."""
        self.past = frozenset(past)
        """Past tense and past participle: a step reported as done."""
        self.participle = participle
        self.infinitive = infinitive
        self.possessive = possessive
        """The possessive ending ("'s") as a token of its own."""


class Resources:
    """One language's resources. Subclasses set every attribute below; data files live beside their module."""

    code: ClassVar[str]
    name: ClassVar[str]
    folder: ClassVar[Path]
    pipelines: ClassVar[tuple[str, ...]]
    """spaCy pipeline packages to try, in order (the first installed one is loaded)."""
    tags: ClassVar[Tags]
    titles: ClassVar[frozenset[str]]
    """Words before a name that say what a person is, not who ("president", "sen")."""
    name_articles: ClassVar[frozenset[str]]
    """Articles that may open a name and are dropped when names are compared ("the" in "the U.S.")."""
    pronouns: ClassVar[frozenset[str]]
    """Personal pronouns that refer back to a named person."""
    group_nouns: ClassVar[frozenset[str]]
    """Nouns for a body of people that a country modifier turns into the country ("Ukrainian officials")."""
    light_verbs: ClassVar[frozenset[str]]
    """Verbs through which a subject states a stance noun as its own ("voiced skepticism")."""
    obligation: ClassVar[frozenset[str]]
    """Modals that turn a reported statement into a demand ("must", "should")."""
    relative_pronouns: ClassVar[frozenset[str]]
    negations: ClassVar[frozenset[str]]
    reported_future: ClassVar[frozenset[str]]
    """Modals that, in a clause reported by a verb in the past, tell the future ("said it would end")."""
    perfect_aux: ClassVar[frozenset[str]]
    """The auxiliary of the perfect ("has offered"): a step reported as done."""
    plan_words: ClassVar[frozenset[str]]
    """Verbs that, governing an infinitive, make a step one to come ("plans to", "is set to", "is expected to")."""
    schedule_words: ClassVar[frozenset[str]]
    """Verbs that make a step one to come on their own ("scheduled for Monday")."""
    condition_marks: ClassVar[frozenset[str]]
    """Marks of a conditional clause ("if …") that make a step tentative."""
    split_conjunctions: ClassVar[frozenset[str]]
    """Conjunctions after which a new, independent statement may begin."""
    concessive_marks: ClassVar[frozenset[str]]
    """Marks opening a clause that is a statement of its own ("While the move aligns with X, …")."""
    contrast_marks: ClassVar[frozenset[str]]
    """Marks that append a second statement after a comma (", while …")."""
    connectives: ClassVar[frozenset[str]]
    """Words that open a sentence leaning on the one before ("But", "However,", "Meanwhile"): such a sentence is
    not a statement that stands on its own."""
    anaphors: ClassVar[frozenset[str]]
    """Pronouns and determiners that, opening a sentence, point back to something named before it ("He", "These")."""
    time_nouns: ClassVar[frozenset[str]]
    """Nouns after which a demonstrative points at a time, not back into the text ("this week", "that day")."""
    abbreviations: ClassVar[frozenset[str]]
    """Abbreviations (lower-case, with their full stops) after which a sentence never ends ("mr.", "sen.")."""
    soft_abbreviations: ClassVar[frozenset[str]]
    """Abbreviations after which a sentence may end ("p.m.", "u.s.", "inc."): it goes on when the next word is
    written in lower case or is a number."""
    labels: ClassVar[Any]
    """A compiled regular expression for the shape of an outlet's section label opening a sentence ("Why it
    matters:"); a match that is a name is a speaker, not a label."""
    even_clause: ClassVar[tuple[str, frozenset[str]]]
    """A word that opens a second statement after a comma when one of these follows it (", even as …")."""
    joiners: ClassVar[str]
    """A regular expression for the joining word a split-off statement starts with ("and said …")."""
    number_words: ClassVar[dict[str, int]]
    scale_words: ClassVar[dict[str, int]]
    modifiers: ClassVar[dict[str, tuple[float, float]]]
    """How a modifier widens a figure into the interval of values it allows ("more than" → (1, ∞))."""
    not_units: ClassVar[frozenset[str]]
    """Words after a number that are not what it counts."""
    certainty: ClassVar[list[tuple[str, frozenset[str], tuple[str, ...]]]]
    """Headline certainty classes in the order they are tried: (label, lemmas, phrases)."""
    certainty_nouns: ClassVar[frozenset[str]]
    conditional: ClassVar[Any]
    """A compiled regular expression for words that make a step conditional ("if", "in exchange for")."""
    dangling_start: ClassVar[Any]
    """A compiled regular expression for a sentence that leans on an unnamed referent ("He said …")."""
    copula: ClassVar[str]
    """The lemma of the verb "to be"."""
    according: ClassVar[tuple[str, str]]
    """The words of an attribution "according to X": the head word and its preposition."""
    months: ClassVar[dict[str, int]]
    """Month names and abbreviations (lower-case, without a full stop) → 1–12."""

    @staticmethod
    def find_temporal(text: str, reference: date | None) -> list[TimeExpr]:
        """Every date expression in ``text``, resolved against ``reference`` (the language's date grammar)."""
        raise NotImplementedError

    # -- data files -----------------------------------------------------------------------------------------------

    def path(self, name: str) -> Path:
        return self.folder / name

    @cache
    def words(self, name: str) -> frozenset[str]:
        """A word list (one word a line, '#' comments), lower-cased."""
        lines = self.path(name).read_text(encoding="utf-8").splitlines()
        return frozenset(w.strip().lower() for line in lines if not line.startswith("#") for w in line.split())

    @cache
    def rows(self, name: str) -> tuple[dict[str, str], ...]:
        """A CSV table's rows ('#' comment lines skipped)."""
        lines = self.path(name).read_text(encoding="utf-8").splitlines()
        return tuple(csv.DictReader(line for line in lines if line.strip() and not line.startswith("#")))

    @cached_property
    def lexicon(self) -> dict[str, frozenset[str]]:
        """General vocabulary of ``lexicon.json``: furniture, reporting, tentative, modal, cognition, hedge and loaded
        words."""
        data = json.loads(self.path("lexicon.json").read_text(encoding="utf-8"))
        return {k: frozenset(v) for k, v in data.items() if not k.startswith("_")}

    @cached_property
    def furniture(self) -> dict[str, list[str]]:
        """Phrases of page furniture (``furniture.json``): calls to action, upsells, counters, captions, bylines."""
        data = json.loads(self.path("furniture.json").read_text(encoding="utf-8"))
        return {k: v for k, v in data.items() if not k.startswith("_")}

    def __repr__(self) -> str:
        return f"<Resources {self.code}>"


@cache
def resources(code: str | None) -> Resources | None:
    """The resources of language ``code`` (ISO 639-1); None when newsprism has none for it. ``None`` (detection
    could not tell) is taken for ``DEFAULT``.

    >>> resources("en").name, resources("fr")
    ('English', None)
    """
    module = LANGUAGES.get(code or DEFAULT)
    if module is None:
        return None
    return import_module(module, __name__).RESOURCES


def default() -> Resources:
    found = resources(DEFAULT)
    assert found is not None
    return found


def supported() -> list[Resources]:
    """Every language newsprism has resources for."""
    return [r for r in (resources(code) for code in LANGUAGES) if r is not None]


def readable(article: Article) -> bool:
    """Whether the language stages read ``article``: its language has resources (see the module docstring)."""
    return resources(article.language) is not None


def language_problem(article: Article) -> str:
    """The report's line for an article no language stage reads."""
    return (f"written in '{article.language}', a language newsprism has no resources for: it counts in coverage, "
            f"but its text is not analysed (languages read: {', '.join(sorted(LANGUAGES))})")


__all__ = ["DEFAULT", "LANGUAGES", "Resources", "Tags", "default", "language_problem", "readable", "resources",
           "supported"]
