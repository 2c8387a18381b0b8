"""WordNet relations in the lexical overlap of the alignment model (analysis/alignment.py, docs/facts.md)."""

from __future__ import annotations

import gzip
import time

import pytest

from newsprism.analysis import alignment
from newsprism.analysis.alignment import (ClaimInfo, lexical_overlap, story_terms, wordnet_concepts, wordnet_lines,
                                          wordnet_related)
from newsprism.nlp import Annotations


def related(*words: str) -> set[frozenset[str]]:
    return {frozenset(pair) for pair in wordnet_related(list(words))}


def info(*words: str) -> ClaimInfo:
    return ClaimInfo(frozenset(words), frozenset(), frozenset(), frozenset())


@pytest.fixture(scope="module")
def embed():
    return Annotations([]).embed


def test_general_english_paraphrases_are_related():
    found = related("refusal", "reject", "concession", "cede", "territorial", "territory", "attorney", "lawyer")
    # refusal -(derivation)-> refuse, in a synset with reject; concession -(derivation)-> concede, in cede.v.01;
    # territorial -(pertainym)-> territory; attorney and lawyer share a synset
    assert {frozenset(p) for p in [("refusal", "reject"), ("concession", "cede"), ("territorial", "territory"),
                                    ("attorney", "lawyer")]} <= found
    assert frozenset(("refusal", "cede")) not in found and frozenset(("territory", "lawyer")) not in found


def test_unrelated_words_are_not_related():
    assert related("refusal", "banana", "senator", "bridge", "concession", "vaccine") == set()


def test_name_senses_give_no_relations():
    # WordNet puts "China" in the synsets of both the PRC and Taiwan, and "Europe" in that of the EU; names are the
    # entities feature's business, so senses written with a capital are left out of the data file
    assert related("china", "taiwan", "chinese", "taiwanese", "eu", "europe", "europium") == set()


def test_words_above_the_sense_cap_have_no_relations():
    # "say"/"state"/"tell", "face"/"look" and "come"/"approach" share a first-ranked synset in WordNet, but each has
    # more than WORDNET_MAX_SENSES senses: such words relate to too much
    assert related("say", "state", "tell", "face", "look", "come", "approach") == set()
    assert all(wordnet_concepts(w) == () for w in ("say", "state", "tell", "face", "come", "approach"))
    assert all(wordnet_concepts(w) for w in ("refusal", "reject", "concession", "cede"))


def test_data_file_is_small_matches_the_constants_and_loads_fast():
    from newsprism.lang import default

    path = default().path(alignment.WORDNET_FILE)
    assert path.stat().st_size < 1_000_000
    assert default().path("WORDNET_LICENSE.txt").read_text(encoding="utf-8").count("Princeton University") >= 2
    with gzip.open(path, "rt", encoding="utf-8") as f:
        header = [next(f), next(f)]
    assert "WordNet 3.0" in header[0]
    assert f"senses={alignment.WORDNET_SENSES} max_senses={alignment.WORDNET_MAX_SENSES} names=no" in header[1]
    wordnet_lines.cache_clear()
    start = time.perf_counter()
    lines = wordnet_lines()
    assert time.perf_counter() - start < 1.0  # about 0.01 s; generous for loaded machines
    assert len(lines) > 40_000 and not any(line.startswith("#") for line in lines)
    assert lines == sorted(lines)  # words are found by binary search
    assert wordnet_lines() is lines  # read once per process
    assert wordnet_concepts("refus") == () and wordnet_concepts("zzzz") == () and wordnet_concepts("") == ()


def test_lexical_overlap_rises_for_a_wordnet_paraphrase_and_not_for_unrelated_words(embed):
    refusal = info("kyiv", "refusal", "concession", "demand")
    paraphrase = info("kyiv", "reject", "cede", "demand")
    unrelated = info("kyiv", "banana", "senator", "demand")
    claims = [refusal, paraphrase, unrelated]
    plain, with_wordnet = story_terms(claims, embed, wordnet=0.0), story_terms(claims, embed)
    assert "cede" not in plain.similar.get("concession", {})
    assert with_wordnet.similar["concession"]["cede"] == pytest.approx(alignment.WORDNET_CREDIT)
    before = lexical_overlap(refusal.lemmas, paraphrase.lemmas, plain)
    after = lexical_overlap(refusal.lemmas, paraphrase.lemmas, with_wordnet)
    assert after > before + 0.1
    assert lexical_overlap(refusal.lemmas, unrelated.lemmas, with_wordnet) == pytest.approx(
        lexical_overlap(refusal.lemmas, unrelated.lemmas, plain))


def test_a_higher_word_vector_cosine_is_kept(embed):
    # "buy"/"purchase" are WordNet-related and their word vectors have cosine 0.79, above the WordNet credit
    terms = story_terms([info("buy", "house"), info("purchase", "house")], embed)
    assert terms.similar["buy"]["purchase"] > alignment.WORDNET_CREDIT
