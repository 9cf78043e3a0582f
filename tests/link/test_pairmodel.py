"""The relation models: routing, the doubles, the shipped files read as they must be."""

import json

import numpy as np
import pytest

from narrascope.errors import ConfigError
from narrascope.link.crossencoder import CrossEncoderNLI
from narrascope.link.pairmodel import (
    PAIR_FEATURES,
    FixedRelationModel,
    PairInput,
    RoutedRelationModel,
    USEPairHead,
    pair_features,
)
from narrascope.models.registry import load_relation_model


def test_routing_sends_english_pairs_to_the_first_model_and_the_rest_to_the_second():
    english = FixedRelationModel(default=(1.0, 0.0, 0.0))
    other = FixedRelationModel(default=(0.0, 0.0, 1.0))
    routed = RoutedRelationModel(english, other)
    pairs = [PairInput("a", "b"), PairInput("а", "б", "ru", "ru"), PairInput("a", "б", "en", "ru")]
    got = routed.probabilities(pairs)
    assert got.argmax(axis=1).tolist() == [0, 2, 2]
    assert english.calls == [("a", "b")] and len(other.calls) == 2


def test_pair_features_keep_which_sentence_came_first():
    u = np.array([[1.0, 0.0]], dtype=np.float32)
    v = np.array([[0.6, 0.8]], dtype=np.float32)
    forward, backward = pair_features(u, v), pair_features(v, u)
    assert np.allclose(forward, [[1.0, 0.0, 0.6, 0.8, 0.4, 0.8, 0.6, 0.0]])
    # the two vectors swap places; their distance and product do not change
    assert np.allclose(backward[:, :4], np.hstack([v, u])) and np.allclose(backward[:, 4:], forward[:, 4:])


def _use_head_file(path, features, dim=2, hidden=3, said_dim=None):
    rng = np.random.default_rng(0)
    arrays = {"w0": rng.normal(size=(4 * dim, hidden)), "b0": np.zeros(hidden),
              "w1": rng.normal(size=(hidden, 3)), "b1": np.zeros(3)}
    meta = {"layers": 2, "dim": said_dim or dim, **({"features": features} if features else {})}
    np.savez(path, meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8), **arrays)
    return path


def test_a_use_head_file_of_another_feature_layout_is_refused(tmp_path):
    good = USEPairHead.load(_use_head_file(tmp_path / "good.npz", PAIR_FEATURES))
    u, v = np.array([[1.0, 0.0]], dtype=np.float32), np.array([[0.0, 1.0]], dtype=np.float32)
    assert np.allclose(good.from_vectors(u, v).sum(axis=1), 1.0)
    for name, features in (("old.npz", None), ("other.npz", "u*v,|u-v|,cos")):
        with pytest.raises(ConfigError, match=r"other features .*rebuild it with scripts/train_relation_use.py"):
            USEPairHead.load(_use_head_file(tmp_path / name, features))
    with pytest.raises(ConfigError, match="other features"):  # the right name, weights of another width
        USEPairHead.load(_use_head_file(tmp_path / "wide.npz", PAIR_FEATURES, said_dim=3))


def test_unknown_model_and_bad_files_are_one_line_errors(tmp_path):
    with pytest.raises(ConfigError, match="unknown model 'nope'"):
        load_relation_model("nope")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    for cls in (USEPairHead, CrossEncoderNLI):
        with pytest.raises(ConfigError, match="not a relation model file"):
            cls.load(bad)
        with pytest.raises(ConfigError, match="no such file"):
            cls.load(tmp_path / "absent.npz")


@pytest.fixture(scope="module")
def english():
    return CrossEncoderNLI.load()


def test_the_shipped_cross_encoder_reads_meaning(english):
    pairs = [
        ("The company reported a profit of $3 million in 2024.", "The company made money in 2024."),
        ("The factory was closed in March.", "The factory is still open and was never closed."),
        ("The minister resigned on Friday.", "Heavy rain flooded the old town."),
    ]
    p = english.probabilities(pairs)
    assert p.shape == (3, 3) and np.allclose(p.sum(axis=1), 1.0, atol=1e-5)
    assert p.argmax(axis=1).tolist() == [0, 2, 1]


def test_batches_do_not_change_the_answer(english):
    pairs = [("A man plays a guitar.", "A person plays music."), ("Short.", "A much longer sentence that pads.")]
    together = english.probabilities(pairs)
    alone = np.vstack([english.probabilities([p]) for p in pairs])
    assert np.allclose(together, alone, atol=1e-4)


def test_onnx_runtime_and_numpy_give_the_same_probabilities(english):
    pytest.importorskip("onnxruntime")
    pairs = [("The company reported a profit of $3 million in 2024.", "The company made money in 2024."),
             ("Short.", "A much longer sentence that pads the batch with several more tokens than the first.")]
    try:
        english.use_runtime("numpy")
        plain = english.probabilities(pairs)
        english.use_runtime("onnx")
        assert english.runtime == "onnx"
        fast = english.probabilities(pairs)
    finally:
        english.use_runtime("onnx")
    assert np.abs(plain - fast).max() < 1e-4
    assert fast.argmax(axis=1).tolist() == plain.argmax(axis=1).tolist()


def test_without_onnxruntime_the_model_runs_in_numpy(english, monkeypatch):
    from narrascope.errors import MissingDependency
    from narrascope.link import onnxgraph

    monkeypatch.setattr(onnxgraph, "available", lambda: False)
    model = CrossEncoderNLI.load()
    assert model.runtime == "numpy"
    assert model.probabilities([("A man plays a guitar.", "A person plays music.")]).argmax() == 0
    with pytest.raises(MissingDependency, match="onnxruntime"):
        model.use_runtime("onnx")
    with pytest.raises(ConfigError, match="unknown 'gpu'"):
        model.use_runtime("gpu")


def test_the_shipped_use_head_covers_russian():
    head = USEPairHead.load()
    p = head.probabilities([PairInput("Министр ушёл в отставку в пятницу.", "Министр подал в отставку.", "ru", "ru")])
    assert p.shape == (1, 3) and abs(float(p.sum()) - 1.0) < 1e-5


def test_the_shipped_use_head_reads_a_paraphrase_in_either_language_and_an_unrelated_pair():
    head = USEPairHead.load()
    said = "Министр финансов Казахстана ушёл в отставку в пятницу."
    p = head.probabilities([
        PairInput(said, "В пятницу министр финансов Казахстана подал в отставку.", "ru", "ru"),
        PairInput("Kazakhstan's finance minister resigned on Friday.", said, "en", "ru"),
        PairInput(said, "Сильный дождь затопил старый город.", "ru", "ru"),
    ])
    assert p.argmax(axis=1).tolist() == [0, 0, 1]


def test_onnx_threads_read_the_first_number_of_omp_num_threads():
    from narrascope.link.onnxgraph import _threads

    assert [_threads(v) for v in ("4", "4,2", " 2 ,1", "", "auto", "-1")] == [4, 4, 2, 0, 0, 0]
