"""Which language an article is written in (py3langid: a small model shipped inside its package)."""

from __future__ import annotations

from functools import cache

MIN_LETTERS = 20


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell.

    >>> detect_language("The minister said the talks would resume on Monday in the capital.")
    'en'
    """
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None
    lang, prob = _identifier().classify(sample)
    return lang if prob >= 0.5 else None
