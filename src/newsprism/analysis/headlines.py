"""How sure do the headlines sound: every article's headline with its main verb and how certain it makes the step.

The main verb is the root of the parsed headline; when the root is an adjective or noun ("Ukraine Ready to Drop
…", "… signals willingness to drop …") the verb it governs is added, because that pair carries the certainty.
Certainty comes from the language's small lexicon of general vocabulary (``Resources.certainty``), checked in
order, first match wins:
denied > conditional-free classes (done, offered, willing, considering, reported) > conditional > stated.
A headline is ``conditional`` only when nothing else marks it: "in exchange for" qualifies every offer, so it would
otherwise hide the difference between "relinquished" and "offers to".
"""

from __future__ import annotations

from ..lang import Resources, default
from ..models import Headline
from .stage import StageView

_GOVERNED = {"xcomp", "aux", "acomp", "ccomp", "dobj", "attr"}


def _main_verb(doc, lang: Resources) -> tuple[str | None, object | None]:
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return None, None
    root = roots[0]
    if root.pos_ in ("VERB", "AUX") and root.lemma_ != lang.copula:
        return root.text, root
    # Headline-ese often parses as a noun phrase: "Zelensky signals willingness" comes out with the noun as root
    # and the verb as its subject; the verb before the root is then the main verb.
    lead = next((t for t in root.lefts if t.pos_ == "VERB"), None) if root.pos_ in ("NOUN", "PROPN", "ADJ") else None
    name = f"{lead.text} {root.text}" if lead is not None else root.text
    # "Ready to Drop", "signals willingness to drop", "concession is an admission": the governed verb, if any.
    for token in root.subtree:
        if token.pos_ == "VERB" and token.i != root.i and token.dep_ in ("xcomp", "acl", "relcl", "ccomp"):
            if root.lemma_ == lang.copula:
                return token.text, root
            return f"{name} … {token.text}", root
    return name, root


def certainty(doc, lang: Resources | None = None) -> str:
    """The certainty class of a parsed headline (see the module docstring for the order)."""
    lang = lang or default()
    lowered = doc.text.lower()
    _, root = _main_verb(doc, lang)
    # Look first at the root and the words it governs directly, then anywhere in the headline.
    near = [root] + [c for c in root.children if c.dep_ in _GOVERNED] if root is not None else []
    for tokens in (near, list(doc)):
        # Only words that can carry the step's certainty: "accepts pay offer" is done, whatever the object's name.
        tokens = [t for t in tokens if t.pos_ in ("VERB", "AUX", "ADJ") or t.dep_ == "ROOT"
                  or t.text.lower() in lang.certainty_nouns]
        lemmas = {t.lemma_.lower() for t in tokens} | {t.text.lower() for t in tokens}
        for label, words, phrases in lang.certainty:
            if lemmas & words or any(p in lowered for p in phrases):
                return label
    if lang.conditional.search(doc.text):
        return "conditional"
    return "stated"


class HeadlinesStage:
    name = "headlines"
    requires = ("articles", "annotations")
    provides = ("headlines",)

    def run(self, ctx: StageView) -> None:
        titled = [a for a in ctx.readable if a.title and a.title.strip() and not a.duplicate_of]
        headlines = []
        for article in titled:
            doc = ctx.annotations.title_doc(article.id)
            lang = ctx.language(article)
            verb, _ = _main_verb(doc, lang)
            headlines.append(Headline(article=article.id, title=article.title, verb=verb,
                                      certainty=certainty(doc, lang)))
        ctx["headlines"] = headlines


__all__ = ["HeadlinesStage", "certainty"]
