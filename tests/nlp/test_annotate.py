"""Models load once per process; each article is parsed once however many stages read it."""

import numpy as np
import pytest

from newsprism.analysis import StoryContext, check_order, run_stages
from newsprism.analysis.sentences import SentencesStage
from newsprism.errors import SetupError
from newsprism.models import Article, Report
from newsprism.nlp import Annotations, load_embedder, load_pipeline
from newsprism.nlp import embed as embed_module

ARTICLES = [
    Article(id="a", source="a", text="The port reopened on Tuesday. Workers returned to the docks."),
    Article(id="b", source="b", text="Dock workers went back on Tuesday after the strike ended."),
]


def test_annotate_models_load_once_per_process():
    assert load_pipeline() is load_pipeline()
    assert load_embedder() is load_embedder()


def test_annotate_parses_each_article_once_for_all_stages():
    annotations = Annotations(ARTICLES)
    ctx = StoryContext(ARTICLES, annotations, Report(newsprism_version="0", generated_at="x"))
    run_stages([SentencesStage(), SentencesStage()], ctx)
    annotations.doc("a")
    assert annotations.parses == 2
    sentences = ctx.products["sentences"]["a"]
    assert [s.text for s in sentences] == ["The port reopened on Tuesday.", "Workers returned to the docks."]
    for s in sentences:
        assert ARTICLES[0].text[s.start:s.end] == s.text


def test_annotate_embeddings_are_unit_length_and_cached():
    annotations = Annotations(ARTICLES)
    vectors = annotations.embed(["dock workers returned", "the port reopened", "dock workers returned"])
    assert vectors.shape == (3, 256)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[2])
    similar = float(vectors[0] @ annotations.embed(["workers went back to the docks"])[0])
    unrelated = float(vectors[0] @ annotations.embed(["the recipe needs two eggs"])[0])
    assert similar > unrelated


def test_annotate_embedder_refuses_a_model_that_fails_its_hash(tmp_path, monkeypatch):
    fake = tmp_path / "potion-base-8M"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"not the model")
    monkeypatch.setattr(embed_module, "MODEL_DIR", fake)
    embed_module.load_embedder.cache_clear()
    try:
        with pytest.raises(SetupError, match="does not match its pinned hash"):
            embed_module.load_embedder()
    finally:
        embed_module.load_embedder.cache_clear()


def test_annotate_stage_order_is_checked():
    class NeedsFacts:
        name, requires, provides = "late", ("facts",), ()

        def run(self, ctx):
            pass

    with pytest.raises(ValueError, match="stage 'late' requires \\['facts'\\]"):
        check_order([NeedsFacts()])
