"""The sentence embedder: potion-base-8M (model2vec, MIT, Minish Lab), vendored in the package and hash-checked.

Nothing is downloaded: the model loads from the package folder with the Hugging Face hub switched off.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from ..errors import SetupError

MODEL_DIR = Path(__file__).parent / "vendor" / "potion-base-8M"
MODEL_SHA256 = "f65d0f325faadc1e121c319e2faa41170d3fa07d8c89abd48ca5358d9a223de2"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def load_embedder():
    """The model2vec ``StaticModel``, checked against its pinned sha256 before it is used."""
    weights = MODEL_DIR / "model.safetensors"
    if not weights.is_file():
        raise SetupError(f"the embedding model is missing ({weights})", hint="reinstall newsprism")
    if _sha256(weights) != MODEL_SHA256:
        raise SetupError(f"the embedding model does not match its pinned hash ({weights})",
                         hint="reinstall newsprism; the file is damaged or was replaced")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(MODEL_DIR))
