"""Loading a language's spaCy pipeline once per process (which packages to try is the language's resource)."""

from __future__ import annotations

from functools import cache

from ..errors import SetupError
from ..lang import DEFAULT, resources

MAX_LENGTH = 25_000_000
"""spaCy's own cap on a text's characters, raised: inputs are already limited by ``Options.max_bytes``."""


@cache
def load_pipeline(language: str = DEFAULT):
    """The spaCy pipeline of ``language``, loaded on first use and shared by every stage."""
    import spacy

    found = resources(language)
    if found is None:
        raise SetupError(f"newsprism has no resources for language '{language}'", hint="analyse English articles")
    for name in found.pipelines:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.max_length = MAX_LENGTH
        return nlp
    raise SetupError(
        f"spaCy's {found.name} pipeline is not installed",
        hint="run 'make install', or: pip install --require-hashes --no-deps -r requirements/spacy-model.txt",
    )
