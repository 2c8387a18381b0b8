"""Which language an article is written in (py3langid: a small model shipped inside its package)."""

from __future__ import annotations

import re
from functools import cache
from itertools import islice

MIN_LETTERS = 20
SAMPLE_CHARS = 2000
"""Characters read. On the 983 long articles among the first 1,000 of the articles-15k corpus, 2,000 characters give
the same language as 5,000 for every one, in half the time."""


_LETTERS = re.compile(r"[^\W\d_]")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is too little text to tell.

    >>> detect_language("The minister said the talks would resume on Monday in the capital.")
    'en'
    """
    sample = text[:SAMPLE_CHARS]
    if sum(1 for _ in islice(_LETTERS.finditer(sample), MIN_LETTERS)) < MIN_LETTERS:
        return None
    lang, prob = _identifier().classify(sample)
    return lang if prob >= 0.5 else None
