"""How do outlets word it: contrasting terms for the same thing (Kiev / Kyiv, "special operation" / invasion).

Two sources of contrasts (see docs/framing-timeline-coverage.md):

- ``lexicon``: curated contrast sets of general vocabulary in the language's ``framing_lexicon.csv`` (extendable
  with a user file in the same format). A contrast is reported when at least two of a concept's terms occur in the story.
- ``statistic``: words distinctive of one outlet against the rest of the story, by log-odds with an informative
  Dirichlet prior (Monroe, Colaresi & Quinn 2008; the prior is the story's pooled counts), paired with a word the
  other outlets use instead. Words are counted as lemmas (names as written); a word is a candidate when its
  z-score is at least ``Z_MIN``, its outlet uses it ``MIN_USES`` times or more and no other outlet uses it. A pair
  counts only if it names the same referent: the two words are close in the
  embedding space (``framing.word_sim``) and so are the sentences they stand in (``framing.context_sim``, with the
  words masked; both per embedder, nlp/data/thresholds.json).

A term inside a quotation is the speaker's word, not the outlet's (``quoted``); a term that makes up (most of) a
short quotation of its own — "special operation" in quotes — is the outlet keeping its distance (``distancing``).
"""

from __future__ import annotations

import csv
import hashlib
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..lang import Resources, default, supported
from ..models import Article, Evidence, FramingContrast
from ..text.quotations import Quotation
from .stage import StageView

Z_MIN = 1.0
MAX_STATISTIC = 8
MIN_USES = 2
SCARE_QUOTE_WORDS = 4
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ"}


@dataclass(frozen=True)
class LexiconTerm:
    concept: str
    term: str
    pattern: re.Pattern
    note: str


def _variant_pattern(variants: list[str]) -> re.Pattern:
    parts = []
    # Longest first, so "special military operation" wins over "military operation".
    for variant in sorted((v.strip() for v in variants if v.strip()), key=len, reverse=True):
        body = r"\s+".join(re.escape(w) for w in variant.rstrip("*").split())
        parts.append(body + (r"\w*" if variant.endswith("*") else ""))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


def load_lexicon(extra: str | Path | None = None, *, bundled: bool = True, lang: Resources | None = None
                 ) -> list[LexiconTerm]:
    """The contrast sets: the language's bundled CSV, plus ``extra`` (a user CSV with columns
    concept,term,variants,note).

    >>> any(t.term == "Kyiv" for t in load_lexicon())
    True
    """
    texts = []
    if bundled:
        texts.append((lang or default()).path("framing_lexicon.csv").read_text("utf-8"))
    if extra is not None:
        texts.append(Path(extra).read_text("utf-8"))
    terms: list[LexiconTerm] = []
    notes: dict[str, str] = {}
    for text in texts:
        lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        for row in csv.DictReader(lines):
            missing = {"concept", "term", "variants"} - {k for k, v in row.items() if v}
            if missing:
                raise ValueError(f"framing lexicon row {row!r} lacks {sorted(missing)} — fill in concept, term "
                                 "and variants ('|'-separated)")
            concept = row["concept"].strip()
            if row.get("note"):
                notes.setdefault(concept, row["note"].strip())
            terms.append(LexiconTerm(concept, row["term"].strip(), _variant_pattern(row["variants"].split("|")), ""))
    return [LexiconTerm(t.concept, t.term, t.pattern, notes.get(t.concept, "")) for t in terms]


def _quote_kind(start: int, end: int, quotes: list[Quotation], text: str) -> str | None:
    """'distancing' for scare quotes around the term, 'quoted' inside a longer quotation, None outside quotes."""
    for quote in quotes:
        if quote.holds(start, end):
            inner = text[quote.start:quote.end]
            words = len(inner.split())
            if words <= SCARE_QUOTE_WORDS and (end - start) >= 0.5 * len(inner.strip()):
                return "distancing"
            return "quoted"
    return None


@dataclass
class _Use:
    article: str
    start: int
    end: int
    kind: str | None  # None (the outlet's own word), 'quoted' or 'distancing'


def _sentence_evidence(ctx: StageView, article: Article, start: int, end: int) -> Evidence:
    for sentence in ctx["sentences"].get(article.id, []):
        if sentence.start <= start < sentence.end:
            return Evidence(article=article.id, text=sentence.text, start=sentence.start, end=sentence.end)
    return Evidence(article=article.id, text=article.text[start:end], start=start, end=end)


def _contrast(ctx: StageView, concept: str, uses: dict[str, list[_Use]], note: str, source: str) -> FramingContrast:
    by_id = {a.id: a for a in ctx.articles}
    order = {a.id: i for i, a in enumerate(ctx.articles)}
    terms, quoted, distancing, evidence = {}, {}, {}, []
    for term, found in uses.items():
        articles = sorted({u.article for u in found}, key=order.get)
        terms[term] = articles
        only_quoted = [a for a in articles if all(u.kind == "quoted" for u in found if u.article == a)]
        scare = [a for a in articles if any(u.kind == "distancing" for u in found if u.article == a)]
        if only_quoted:
            quoted[term] = only_quoted
        if scare:
            distancing[term] = scare
        for article in articles:
            first = min((u for u in found if u.article == article), key=lambda u: u.start)
            evidence.append(_sentence_evidence(ctx, by_id[article], first.start, first.end))
    digest = hashlib.sha1(f"{source}:{concept}:{sorted(terms)}".encode()).hexdigest()[:10]
    return FramingContrast(id=f"framing-{digest}", concept=concept, terms=terms, note=note, source=source,
                           quoted=quoted, distancing=distancing, evidence=evidence)


def lexicon_contrasts(ctx: StageView, lexicon: list[LexiconTerm]) -> list[FramingContrast]:
    articles = [a for a in ctx.readable if not a.duplicate_of]
    by_concept: dict[str, dict[str, list[_Use]]] = defaultdict(dict)
    for article in articles:
        quotes = ctx["quotations"][article.id]
        taken: dict[str, list[tuple[int, int]]] = defaultdict(list)
        # Longer variants of a concept claim their words first ("full-scale invasion" before "war").
        for term in sorted(lexicon, key=lambda t: -max(len(p) for p in t.pattern.pattern.split("|"))):
            for m in term.pattern.finditer(article.text):
                if any(s < m.end() and m.start() < e for s, e in taken[term.concept]):
                    continue
                taken[term.concept].append(m.span())
                use = _Use(article.id, m.start(), m.end(), _quote_kind(m.start(), m.end(), quotes, article.text))
                by_concept[term.concept].setdefault(term.term, []).append(use)
    notes = {t.concept: t.note for t in lexicon}
    contrasts = []
    for concept, uses in by_concept.items():
        users = {u.article for found in uses.values() for u in found}
        if len(uses) >= 2 and len(users) >= 2:
            contrasts.append(_contrast(ctx, concept, uses, notes[concept], "lexicon"))
    return contrasts


def log_odds_z(counts: dict[str, Counter], prior_scale: float = 1.0) -> dict[str, dict[str, float]]:
    """z-scores of each word for each group against all other groups, log-odds with an informative Dirichlet prior.

    The prior is the pooled counts of the story (``prior_scale`` times them), as in Monroe et al. (2008, §3.5).
    """
    pooled: Counter = Counter()
    for c in counts.values():
        pooled.update(c)
    alpha = {w: prior_scale * n for w, n in pooled.items()}
    alpha0 = sum(alpha.values())
    scores: dict[str, dict[str, float]] = {}
    for group, mine in counts.items():
        n_i = sum(mine.values())
        n_j = sum(pooled.values()) - n_i
        result = {}
        for word, a in alpha.items():
            y_i = mine.get(word, 0)
            y_j = pooled[word] - y_i
            delta = (math.log((y_i + a) / (n_i + alpha0 - y_i - a))
                     - math.log((y_j + a) / (n_j + alpha0 - y_j - a)))
            result[word] = delta / math.sqrt(1 / (y_i + a) + 1 / (y_j + a))
        scores[group] = result
    return scores


def statistic_contrasts(ctx: StageView, lexicon: list[LexiconTerm] = ()) -> list[FramingContrast]:
    """Pairs of words for one referent, one distinctive of a source; words any lexicon term matches are left out."""
    articles = [a for a in ctx.readable if not a.duplicate_of]
    sources = ctx["sources"]
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in articles:
        groups[sources.name(sources.of[article.id])].append(article)
    if len(groups) < 2:
        return []
    counts: dict[str, Counter] = {g: Counter() for g in groups}
    uses: dict[str, list[tuple[Article, object]]] = defaultdict(list)
    pos: dict[str, Counter] = defaultdict(Counter)
    surface: dict[str, Counter] = defaultdict(Counter)
    for group, members in groups.items():
        for article in members:
            for token in ctx.annotations.doc(article.id):
                if token.is_alpha and not token.is_stop and len(token) > 2 and token.pos_ in _CONTENT_POS:
                    # Lemmas, so "abandons" / "abandon" is not a contrast; names keep their spelling.
                    word = (token.text if token.pos_ == "PROPN" else token.lemma_).lower()
                    counts[group][word] += 1
                    uses[word].append((article, token))
                    pos[word][token.pos_] += 1
                    surface[word][token.text] += 1
    scores = log_odds_z(counts)
    word_sim = ctx.annotations.word_threshold("framing.word_sim")
    context_sim = ctx.annotations.threshold("framing.context_sim")
    covered = {w for w, forms in surface.items() if any(t.pattern.fullmatch(f) for t in lexicon for f in forms)}
    group_of = {a.id: g for g, members in groups.items() for a in members}
    contrasts, seen = [], set()
    for group in groups:
        mine = [w for w, z in scores[group].items()
                if z >= Z_MIN and counts[group][w] >= MIN_USES and all(counts[g][w] == 0 for g in groups if g != group) and w not in covered]
        mine = sorted(mine, key=lambda w: -scores[group][w])[:15]
        others = [w for w in scores[group] if counts[group][w] == 0 and w not in covered]
        if not mine or not others:
            continue
        words = ctx.annotations.embed_words(mine + others)
        sims = words[: len(mine)] @ words[len(mine):].T
        for i, word in enumerate(mine):
            main_pos = pos[word].most_common(1)[0][0]
            for j in np.argsort(-sims[i])[:3]:
                other = others[j]
                if sims[i, j] < word_sim or pos[other].most_common(1)[0][0] != main_pos:
                    continue
                if frozenset((word, other)) in seen:
                    continue
                if _context_similarity(ctx, uses[word], uses[other]) < context_sim:
                    continue
                seen.add(frozenset((word, other)))
                found = {}
                shown = {w: surface[w].most_common(1)[0][0] for w in (word, other)}
                for term in (word, other):
                    found[shown[term]] = [_use_of(a, t, ctx["quotations"][a.id]) for a, t in uses[term]]
                other_groups = sorted({group_of[a.id] for a, _ in uses[other]})
                note = (f"'{shown[word]}' is distinctive of {group} (log-odds z = {scores[group][word]:.1f}); "
                        f"{', '.join(other_groups[:3])}{' and others' if len(other_groups) > 3 else ''} "
                        f"write '{shown[other]}' in similar sentences")
                contrasts.append(_contrast(ctx, f"{shown[word]} / {shown[other]}", found, note, "statistic"))
                break
    contrasts.sort(key=lambda c: -len({a for ids in c.terms.values() for a in ids}))
    return contrasts[:MAX_STATISTIC]


def _use_of(article: Article, token, quotes: list[Quotation]) -> _Use:
    start, end = token.idx, token.idx + len(token.text)
    return _Use(article.id, start, end, _quote_kind(start, end, quotes, article.text))


def _context_similarity(ctx: StageView, a_uses: list, b_uses: list) -> float:
    """Cosine of the mean vectors of the sentences the two words stand in, each word masked out."""
    def contexts(found):
        texts = []
        for article, token in found[:6]:
            sent = token.sent
            texts.append((sent.text[: token.idx - sent.start_char] + " "
                          + sent.text[token.idx - sent.start_char + len(token.text):]).strip())
        vectors = ctx.annotations.embed(texts).mean(axis=0)
        return vectors / (np.linalg.norm(vectors) or 1.0)
    return float(contexts(a_uses) @ contexts(b_uses))


class FramingStage:
    name = "framing"
    requires = ("articles", "annotations", "sentences", "quotations", "sources")
    provides = ("framing",)

    def __init__(self, lexicon: str | Path | None = None):
        # Each language's contrast sets (plus the user's file), read once when the stage is made.
        self.lexicons = {lang.code: load_lexicon(lexicon, lang=lang) for lang in supported()}

    def run(self, ctx: StageView) -> None:
        lexicon = self.lexicons[ctx.story_language.code]
        found = lexicon_contrasts(ctx, lexicon)
        found.extend(statistic_contrasts(ctx, lexicon))
        ctx["framing"] = found


__all__ = ["FramingStage", "LexiconTerm", "load_lexicon", "log_odds_z"]
