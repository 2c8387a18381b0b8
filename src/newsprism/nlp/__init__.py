"""The language pipelines (spaCy) and the sentence embedders, each loaded once per process, and the annotations
(parses and embeddings) every analysis stage shares."""

from .annotate import Annotations
from .embed import Embedder, load_embedder
from .pipeline import load_pipeline

__all__ = ["Annotations", "Embedder", "load_embedder", "load_pipeline"]
