"""Sentence embedders behind one small interface, chosen by name, and the check that fitted weights match them.

An embedder has a ``name`` (the model it runs), a ``dim`` and ``encode(texts)``. Which one runs is chosen by
name (``Options.embedder``, the ``NEWSPRISM_EMBEDDER`` environment variable, else ``DEFAULT``); every fitted file
whose numbers depend on the vectors (the alignment and clustering weights) names the embedder it was fitted for, in
its file name and its contents (``<stem>.<model name>.json``, ``fitted_file``), and loading it beside another
embedder fails with a message that names the fix; the stages' cosine thresholds are kept per embedder in
``data/thresholds.json`` (``thresholds``).

Nothing is downloaded: each model is read from a file in the installed package and checked against its sha256.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import SetupError

DEFAULT = "minilm"
ENVIRONMENT = "NEWSPRISM_EMBEDDER"
POTION_DIR = Path(__file__).parent / "vendor" / "potion-base-8M"
POTION_SHA256 = "f65d0f325faadc1e121c319e2faa41170d3fa07d8c89abd48ca5358d9a223de2"


class Embedder(Protocol):
    name: str
    """The model, as fitted weight files record it (e.g. ``potion-base-8M``)."""
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row of ``dim`` floats per text (not necessarily unit length)."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class PotionEmbedder:
    """potion-base-8M (model2vec, MIT, Minish Lab): static word vectors averaged, vendored in the package."""

    name = "potion-base-8M"
    dim = 256

    def __init__(self) -> None:
        weights = POTION_DIR / "model.safetensors"
        if not weights.is_file():
            raise SetupError(f"the embedding model is missing ({weights})", hint="reinstall newsprism")
        if sha256(weights) != POTION_SHA256:
            raise SetupError(f"the embedding model does not match its pinned hash ({weights})",
                             hint="reinstall newsprism; the file is damaged or was replaced")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from model2vec import StaticModel

        self.model = StaticModel.from_pretrained(str(POTION_DIR))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self.model.encode(list(texts)), dtype=np.float32)


from .minilm import MiniLMEmbedder  # noqa: E402  (after the base definitions it shares)

EMBEDDERS: dict[str, type] = {"potion": PotionEmbedder, "minilm": MiniLMEmbedder}
"""Option name → embedder class (its ``name`` is the model's); registered here and only here."""
WORDS = "potion"
"""The embedder of single words (near-synonyms in the alignment, framing's word pairs): a static model gives each word
one vector, which is what these comparisons need, whatever embedder reads the sentences."""


def embedder_choice(name: str | None = None) -> str:
    """The option name of the embedder to use: ``name``, else ``NEWSPRISM_EMBEDDER``, else ``DEFAULT``."""
    choice = (name or os.environ.get(ENVIRONMENT) or DEFAULT).strip().lower()
    if choice not in EMBEDDERS:
        raise SetupError(f"unknown embedder '{choice}'",
                         hint=f"choose one of: {', '.join(sorted(EMBEDDERS))} (--embedder or {ENVIRONMENT})")
    return choice


def embedder_name(name: str | None = None) -> str:
    """The model name of the embedder ``name`` would load (without loading it)."""
    return EMBEDDERS[embedder_choice(name)].name


@cache
def _load(choice: str) -> Embedder:
    return EMBEDDERS[choice]()


def load_embedder(name: str | None = None) -> Embedder:
    """The embedder ``name`` (see ``embedder_choice``), loaded once per process and hash-checked."""
    return _load(embedder_choice(name))


THRESHOLDS_FILE = Path(__file__).parent / "data" / "thresholds.json"


@cache
def _thresholds() -> dict:
    import json

    return json.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))


def thresholds(embedder: Embedder) -> dict[str, float]:
    """The stages' cosine thresholds for ``embedder`` (``data/thresholds.json``); fails loudly for one with none."""
    found = _thresholds().get(embedder.name)
    if found is None:
        raise SetupError(f"no similarity thresholds are recorded for the embedder '{embedder.name}'",
                         source=str(THRESHOLDS_FILE),
                         hint="run with an embedder listed there, or measure its thresholds and add them")
    return found


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def fitted_file(folder: Path, stem: str, embedder: str) -> Path:
    """The file of weights fitted for ``embedder`` (``<stem>.<model name>.json``), or a SetupError naming the fix."""
    path = folder / f"{stem}.{embedder}.json"
    if not path.is_file():
        raise SetupError(f"no {stem.replace('_', ' ')} are fitted for the embedder '{embedder}'", source=str(folder),
                         hint="run with an embedder they are fitted for, or fit them (see docs/benchmarks.md)")
    return path


__all__ = ["DEFAULT", "EMBEDDERS", "WORDS", "Embedder", "PotionEmbedder", "embedder_choice",
           "embedder_name", "fitted_file", "load_embedder", "thresholds", "unit_rows"]
