"""Models load once per process; each article is parsed once however many stages read it."""

import numpy as np
import pytest

from newsprism.analysis import StageView, StoryContext, UndeclaredProduct, check_order, default_stages, run_stages
from newsprism.analysis.sentences import SentencesStage
from newsprism.errors import SetupError
from newsprism.models import Article
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
    ctx = StoryContext(ARTICLES, annotations)
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
    assert vectors.shape == (3, annotations.embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.array_equal(vectors[0], vectors[2])
    similar = float(vectors[0] @ annotations.embed(["workers went back to the docks"])[0])
    unrelated = float(vectors[0] @ annotations.embed(["the recipe needs two eggs"])[0])
    assert similar > unrelated


def test_annotate_embedder_refuses_a_model_that_fails_its_hash(tmp_path, monkeypatch):
    fake = tmp_path / "potion-base-8M"
    fake.mkdir()
    (fake / "model.safetensors").write_bytes(b"not the model")
    monkeypatch.setattr(embed_module, "POTION_DIR", fake)
    embed_module._load.cache_clear()
    try:
        with pytest.raises(SetupError, match="does not match its pinned hash"):
            embed_module.load_embedder("potion")
    finally:
        embed_module._load.cache_clear()


def test_annotate_embedder_is_chosen_by_name_and_an_unknown_one_names_the_choices(monkeypatch):
    embedder = load_embedder("potion")
    assert embedder.name == "potion-base-8M" and embedder.dim == 256
    assert embedder.encode(["a bridge"]).shape == (1, 256)
    monkeypatch.setenv(embed_module.ENVIRONMENT, "no-such-model")
    with pytest.raises(SetupError, match="choose one of: minilm, potion"):
        load_embedder()


def test_annotate_weights_fitted_for_another_embedder_fail_loudly(tmp_path, monkeypatch):
    import json

    from newsprism.analysis import alignment
    from newsprism.cluster.online import check_embedder

    class Other:
        name, dim = "some-other-model", 256

    for check in (alignment.model_for, check_embedder):
        with pytest.raises(SetupError, match="fitted for the embedder 'some-other-model'"):
            check(Other())
        check(load_embedder())  # the embedder the weights are fitted for passes
    # a weights file that records another embedder than its name says fails too
    monkeypatch.setattr(alignment, "DATA", tmp_path)
    (tmp_path / "alignment_weights.some-other-model.json").write_text(json.dumps(
        {"embedder": "potion-base-8M", "coefficients": {}, "intercept": 0, "threshold": 0.5}), encoding="utf-8")
    alignment.pair_model.cache_clear()
    try:
        with pytest.raises(SetupError, match="fitted for the embedder 'potion-base-8M', not 'some-other-model'"):
            alignment.pair_model("some-other-model")
    finally:
        alignment.pair_model.cache_clear()
    with pytest.raises(SetupError, match="no similarity thresholds are recorded for the embedder 'some-other-model'"):
        embed_module.thresholds(Other())
    assert embed_module.thresholds(load_embedder("potion"))["summary.same_claim"] == 0.65


def test_annotate_stage_order_is_checked():
    class NeedsFacts:
        name, requires, provides = "late", ("facts",), ()

        def run(self, ctx):
            pass

    with pytest.raises(ValueError, match="stage 'late' requires \\['facts'\\]"):
        check_order([NeedsFacts()])


class _Reads:
    """A stage that reads what it declares, or not, as the test asks."""

    def __init__(self, name, requires, provides, reads=(), writes=()):
        self.name, self.requires, self.provides = name, requires, provides
        self.reads, self.writes = reads, writes

    def run(self, ctx: StageView) -> None:
        for product in self.reads:
            ctx[product]
        for product in self.writes:
            ctx[product] = []


def test_annotate_a_stage_that_reads_or_writes_what_it_did_not_declare_fails():
    ctx = StoryContext(ARTICLES, Annotations(ARTICLES))
    run_stages([SentencesStage()], ctx)
    with pytest.raises(UndeclaredProduct, match="reads 'sentences', which it does not require"):
        run_stages([SentencesStage(), _Reads("sneaky", (), ("x",), reads=("sentences",), writes=("x",))], ctx)
    with pytest.raises(UndeclaredProduct, match="writes 'facts', which it does not provide"):
        run_stages([_Reads("grabby", (), ("x",), writes=("x", "facts"))], ctx)
    with pytest.raises(UndeclaredProduct, match="did not write \\['x'\\]"):
        run_stages([_Reads("lazy", (), ("x",))], ctx)


def test_annotate_every_default_stage_keeps_to_what_it_declares():
    # Each stage runs on a checking view: reading or writing anything undeclared would raise. Articles of two
    # outlets, a snippet, a copy and an unreadable language reach every branch of the stages.
    from newsprism.models import Outlet

    articles = [Article(id="a", source="a", outlet=Outlet(name="A"), title="Port reopens after strike",
                        published="2026-03-10", text='The port reopened on Monday. "It is over," Mayor Jensen said.'),
                Article(id="b", source="b", outlet=Outlet(name="B"), title="Strike ends at the port",
                        text="Dock workers went back on Monday after the strike ended, Mayor Jensen said."),
                Article(id="b2", source="b2", text="Dock workers went back on Monday after the strike ended.",
                        duplicate_of="b"),
                Article(id="f", source="f", language="fr", text="Le port a rouvert lundi.")]
    stages = default_stages()
    ctx = run_stages(stages, StoryContext(articles, Annotations(articles)))
    assert {p for s in stages for p in s.provides} <= set(ctx.products)
