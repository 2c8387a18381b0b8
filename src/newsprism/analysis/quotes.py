"""Who said what: direct quotes with their speakers, and how each outlet worded the same quote.

A quote is text between double quotation marks (straight or curly; ``text.quotations``) within one paragraph. Its speaker is the subject of
the reporting verb that governs it in the dependency parse ("…," Witkoff said / he described the shift as "…"),
resolved through pronouns and descriptions to a named actor by ``actors.Referents``; when the parse links the
quote to no reporting verb, a few conventions of news prose are tried in order (``attribute``). A speaker that
cannot be resolved stays ``None``. Quotes that share most of their words (or, for the same speaker, their
meaning) are one ``Quote`` with every outlet's wording as a variant.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..models import Quote, QuoteVariant
from ..text.quotations import AMBIGUOUS, CLOSERS, OPENERS, Quotation
from ..text.words import lower_words
from .entities import Entity
from .referents import Referents, subject_of
from .sources import Sources
from .stage import StageView

# Share of a shorter quote's words found in a longer one for both to be one quote (a shortened or partial quote).
SAME_WORDS = 0.8
# Embedding similarity above which two quotes of the same speaker are one quote worded differently:
# "quotes.same_meaning" of the embedder (nlp/data/thresholds.json).
# A quote taking up at least this share of its sentence stands as the sentence (for the sentence-verb rule).
WHOLE_SENTENCE = 0.5


@dataclass
class FoundQuote:
    """One quote as found in one article, before quotes are merged across outlets."""

    article: str
    start: int
    end: int
    text: str
    speaker: Entity | None = None
    speaker_span: tuple[int, int] | None = None  # the words naming the speaker ("the president"), if found
    how: str = ""  # which rule attributed it: tree, colon, sentence, next, shared, continued


def _reporting(token, verbs: frozenset[str]) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in verbs


def _own_subject(token, inside) -> bool:
    return token.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass") and not inside(c)
                                                 for c in token.children)


def _governing_verb(span, inside, verbs: frozenset[str]):
    """The reporting verb the quote hangs from in the parse, or None.

    Walking up from the quote: a verb with its own subject stops the walk ("…since Russia launched its "special
    operation"" is not Zelensky's speech) unless it is the reported clause itself (Ukraine sought … ← saying).
    """
    roots = [t for t in span if not inside(t.head) or t.head is t]
    for root in roots:
        token = root
        for _ in range(12):
            head = token.head
            if head is token:
                break
            if not inside(head):
                if _reporting(head, verbs):
                    return head
                if _own_subject(head, inside):
                    if head.dep_ in ("ccomp", "parataxis") and _reporting(head.head, verbs):
                        return head.head
                    break
            token = head
    return None


class _Attributor:
    """Finds the speaker of each quote of one article."""

    def __init__(self, ctx: StageView, referents: Referents, article_id: str):
        self.referents = referents
        self.article = article_id
        self.lang = referents.lang
        self.verbs = self.lang.words("reporting_verbs.txt")
        self.doc = ctx.annotations.doc(article_id)
        self.text = self.doc.text

    def _speaker(self, verb, inside) -> tuple[Entity | None, tuple[int, int] | None]:
        subject = subject_of(verb, self.lang)
        if subject is None or inside(subject):
            # '"…," said Tim Hess': an inverted subject that the parser took for an object.
            after = [c for c in verb.children if c.i > verb.i and c.dep_ in ("dobj", "attr", "npadvmod", "dative",
                                                                            "oprd", "nsubj") and not inside(c)]
            subject = after[0] if after and after[0].i - verb.i <= 3 and after[0].pos_ in ("PROPN", "NOUN",
                                                                                          "PRON") else None
        if subject is None:
            return None, None
        span = (subject.left_edge.idx, subject.idx + len(subject))
        if subject.pos_ == "PROPN":  # the whole name, not only its last word
            span = (min(t.idx for t in subject.subtree if t.i <= subject.i), span[1])
        return self.referents.resolve(self.article, subject), span

    def attribute(self, start: int, end: int) -> FoundQuote:
        found = FoundQuote(self.article, start, end, self.text[start:end])
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return found

        def inside(token) -> bool:
            return start - 1 <= token.idx < end + 1

        verb, how = _governing_verb(span, inside, self.verbs), "tree"
        sentence = span[0].sent
        if verb is None:
            verb, how = self._sentence_verb(span, sentence, inside)
        if verb is None and span[-1].i + 2 < len(self.doc):
            verb, how = self._next_sentence(span, sentence), "next"
        if verb is None:
            speaker = self._colon_name(span) or self._dash_name(end) or self._according_to(sentence, inside)
            if speaker is not None:
                found.speaker, found.speaker_span, found.how = speaker
            return found
        found.speaker, found.speaker_span = self._speaker(verb, inside)
        found.how = how if found.speaker_span else ""
        return found

    def _sentence_verb(self, span, sentence, inside):
        """A whole-sentence quote whose parse missed the link: the sentence's one reporting verb outside it."""
        quoted = sum(1 for t in sentence if inside(t))
        if quoted / max(1, len(sentence)) < WHOLE_SENTENCE:
            return None, ""
        verbs = [t for t in sentence if not inside(t) and _reporting(t, self.verbs)
                 and subject_of(t, self.lang) is not None]
        if len(verbs) == 1:
            return verbs[0], "sentence"
        return None, ""

    def _next_sentence(self, span, sentence):
        """'"…," / Witkoff said.' split into two sentences by the parser: the next one opens with the attribution."""
        nxt = next((t.sent for t in self.doc[span[-1].i + 1:span[-1].i + 4] if t.sent.start != sentence.start), None)
        if nxt is None:
            return None
        gap = self.text[span.end_char:nxt.start_char]
        root = nxt.root
        # Only in the same paragraph, and only when the quote did not end its own sentence.
        if "\n" in gap or gap.strip(" ”\"»").endswith(".") or "\n" in self.text[nxt.start_char:root.idx]:
            return None
        if _reporting(root, self.verbs) and root.i - nxt.start <= 4:
            return root
        return None

    def _according_to(self, sentence, inside):
        """'According to X, the move reeks of "fear"': X is the source of the sentence's quotes."""
        word, preposition = self.lang.according
        for token in sentence:
            if token.lower_ == word and not inside(token):
                objects = [g for c in token.children if c.lower_ == preposition for g in c.children
                           if g.dep_ == "pobj"]
                if objects:
                    head = objects[0]
                    start = min(t.idx for t in head.subtree if t.i <= head.i)
                    return self.referents.resolve(self.article, head), (start, head.idx + len(head)), "according"
        return None

    def _dash_name(self, end: int):
        """'"…" ― Name', as under readers' or pull quotes: a person named right after a dash that follows."""
        match = re.match(r"[”\"»]?\s*[―—–-]\s*", self.text[end:end + 6])
        if not match:
            return None
        start = end + match.end()
        for entity in self.referents.index.at(self.article, start, start + 60):
            for mention in entity.mentions:
                if mention.article == self.article and mention.start == start and entity.kind == "person":
                    return entity, (mention.start, mention.end), "dash"
        return None

    def _colon_name(self, span):
        """'Name: "…"' as in headlines: a person named right before a colon that opens the quote."""
        before = self.text[max(0, span.start_char - 60):span.start_char].rstrip(" “\"«")
        if not before.endswith(":"):
            return None
        colon = before.rstrip(":")
        first = span[0].i
        tokens = [t for t in self.doc[max(0, first - 6):first] if t.idx + len(t) <= span.start_char - 1
                  and t.text not in (":", "“", '"', "«")]
        if not tokens:
            return None
        head = tokens[-1]
        entity = self.referents.resolve(self.article, head)
        if entity is None or entity.kind != "person" or not colon:
            return None
        return entity, (head.idx, head.idx + len(head)), "colon"


def find_quotes(ctx: StageView, referents: Referents, article_id: str,
                found: list[Quotation]) -> list[FoundQuote]:
    """Every quote (double quotation marks: single ones are scare quotes, not speech) of one article, with its
    speaker where one can be found. ``found`` are the article's quotations."""
    attributor = _Attributor(ctx, referents, article_id)
    quotes = [attributor.attribute(q.start, q.end) for q in found if not q.single]
    doc = attributor.doc
    sentence_of, tree_quotes = {}, defaultdict(list)
    for q in quotes:
        token = doc.char_span(q.start, q.end, alignment_mode="expand")
        sentence_of[id(q)] = token[0].sent.start if token is not None and len(token) else -1
        if q.how == "tree":
            tree_quotes[sentence_of[id(q)]].append(q)
    # Conventions when the parse found nothing: another quote of the same sentence shares its speaker; a quote
    # that forms its own sentence right after an attributed one continues it.
    for k, q in enumerate(quotes):
        if q.speaker is not None or q.speaker_span is not None:
            continue
        same = [o for o in tree_quotes[sentence_of[id(q)]] if o is not q]
        if same:
            q.speaker, q.speaker_span, q.how = same[0].speaker, same[0].speaker_span, "shared"
            continue
        if k and quotes[k - 1].speaker_span is not None and _continues(attributor.text, quotes[k - 1], q):
            prev = quotes[k - 1]
            q.speaker, q.speaker_span, q.how = prev.speaker, prev.speaker_span, "continued"
    return quotes


def _continues(text: str, prev: FoundQuote, q: FoundQuote) -> bool:
    """Whether ``q`` is a sentence of quoted speech right after ``prev`` in the article's ``text``, so the same
    person goes on speaking."""
    if len(words(prev.text)) < 4 or prev.how == "dash":
        return False  # a title or a scare-quoted word is not a speech that goes on; dashed quotes sign each one
    between = text[prev.end:q.start]
    if len(between) >= 200 or len(re.findall(r"\n\s*", between)) > 1:
        return False  # not the next sentence, or more than one paragraph break away
    # It stands as its own sentence: nothing but an opening mark since the last sentence end or paragraph start,
    # and it ends the sentence.
    i = q.start  # walking back from the quote (a slice of everything before it would copy the article each time)
    while i > 0 and text[i - 1] in OPENERS + AMBIGUOUS + " \t":
        i -= 1
    j = i
    while j > 0 and text[j - 1] in CLOSERS + AMBIGUOUS:
        j -= 1
    opens = i == 0 or text[i - 1] == "\n" or (j > 0 and text[j - 1] in ".!?")
    after = text[q.end:q.end + 3].lstrip(CLOSERS + AMBIGUOUS)
    ends = q.text.rstrip()[-1:] in (".", "!", "?") or after[:1] in (".", "!", "?")
    return opens and ends


def words(text: str) -> list[str]:
    return lower_words(text)


def _overlap(short: list[str], long: list[str]) -> float:
    if not short:
        return 0.0
    common = Counter(short) & Counter(long)
    return sum(common.values()) / len(short)


def _same_quote(a: FoundQuote, b: FoundQuote, similarity: float | None, same_meaning: float) -> bool:
    short, long = sorted((words(a.text), words(b.text)), key=len)
    same_speaker = a.speaker is not None and a.speaker is b.speaker
    open_speaker = a.speaker is None or b.speaker is None or same_speaker
    if not open_speaker:
        return False
    if len(short) < 3:  # one- or two-word quotes meet only when identical and said by the same person
        return short == long and same_speaker
    cover = _overlap(short, long)
    if cover >= SAME_WORDS and (same_speaker or cover >= 0.9):
        return True
    # A paraphrase presented as a quote: only across articles (one article quoting twice means two quotes).
    return same_speaker and a.article != b.article and similarity is not None and similarity >= same_meaning


def merge_quotes(ctx: StageView, found: list[FoundQuote], sources: Sources) -> list[Quote]:
    """One Quote per thing said, with each article's wording as a variant (the longest wording is the main)."""
    order = {a.id: k for k, a in enumerate(ctx.articles)}
    outlet = sources.of
    ranked = sorted(found, key=lambda q: (-len(words(q.text)), order[q.article], q.start))
    long_enough = [q.text for q in ranked if len(words(q.text)) >= 4]
    vectors = dict(zip(long_enough, ctx.annotations.embed(long_enough))) if long_enough else {}
    same_meaning = ctx.annotations.threshold("quotes.same_meaning") if long_enough else 1.0
    # A quote is compared only with the groups that could take it (the first that does takes it, as if every group
    # were tried in turn): those whose main quote shares a content word with it, those whose main has none (or all
    # when the quote has none), and, for a paraphrase or a short quote, those of the same speaker. So the work
    # grows with the quotes that share words, not with every pair of quotes.
    stop = ctx.language(ctx.articles[0]).words("stopwords.txt") if ctx.articles else frozenset()
    groups: list[list[FoundQuote]] = []
    by_word: dict[str, list[int]] = defaultdict(list)
    by_speaker: dict[int, list[int]] = defaultdict(list)
    wordless: list[int] = []
    for q in ranked:
        content = set(words(q.text)) - stop
        candidates = set(wordless) if content else set(range(len(groups)))
        for word in content:
            candidates.update(by_word.get(word, ()))
        if q.speaker is not None:
            candidates.update(by_speaker.get(id(q.speaker), ()))
        for k in sorted(candidates):
            main = groups[k][0]
            sim = float(vectors[q.text] @ vectors[main.text]) if q.text in vectors and main.text in vectors else None
            if _same_quote(main, q, sim, same_meaning):
                groups[k].append(q)
                break
        else:
            groups.append([q])
            k = len(groups) - 1
            for word in content:
                by_word[word].append(k)
            if not content:
                wordless.append(k)
            if q.speaker is not None:
                by_speaker[id(q.speaker)].append(k)
    groups.sort(key=lambda g: min((order[q.article], q.start) for q in g))
    quotes = []
    for n, group in enumerate(groups, 1):
        main = group[0]
        speakers = Counter(q.speaker.name for q in group if q.speaker is not None)
        members = sorted(group, key=lambda q: (order[q.article], q.start))
        variants = [QuoteVariant(article=q.article, text=q.text, start=q.start, end=q.end,
                                 differs=words(q.text) != words(main.text)) for q in members]
        articles = list(dict.fromkeys(q.article for q in members))
        quotes.append(Quote(id=f"quote-{n}", speaker=speakers.most_common(1)[0][0] if speakers else None,
                            text=main.text, articles=articles, variants=variants,
                            single_outlet=len({outlet[a] for a in articles}) == 1))
    return quotes


class QuotesStage:
    name = "quotes"
    requires = ("articles", "annotations", "sentences", "entities", "referents", "quotations", "sources")
    # ``found_quotes``: every quote as found in each article, before merging.
    provides = ("quotes", "found_quotes")

    def run(self, ctx: StageView) -> None:
        referents = ctx["referents"]
        quotations = ctx["quotations"]
        found = []
        for article in ctx.readable:
            if article.duplicate_of:
                continue  # a copy would count one outlet's wording twice
            found.extend(find_quotes(ctx, referents, article.id, quotations[article.id]))
        ctx["found_quotes"] = found
        ctx["quotes"] = merge_quotes(ctx, found, ctx["sources"])
