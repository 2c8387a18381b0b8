"""The language pipeline (spaCy) and the sentence embedder (model2vec), each loaded once per process."""

from .annotate import Annotations
from .embed import load_embedder
from .pipeline import load_pipeline

__all__ = ["Annotations", "load_embedder", "load_pipeline"]
