"""Stance model: numpy evaluators, FNC metric and split, the shipped model on hand-built texts, the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from narrascope.cli import main
from narrascope.embeddings import HashingEmbedder, USEEmbedder
from narrascope.errors import ConfigError
from narrascope.narratives.small_models import DenseNet, TreeEnsemble, dense_from_sklearn, trees_from_sklearn
from narrascope.narratives.stance import FEATURES, LABELS, StanceModel, stance_records
from narrascope.narratives.stance_features import (
    CUE_NAMES,
    PAIR_FEATURES,
    cue_counts,
    prepare_claim,
    prepare_text,
)
from narrascope.narratives.techniques_candidates import split_sentences
from narrascope.training import stance as st

CLAIM = "Apple is buying Tesla for 500 billion dollars"
REFUTING = (
    "Reports that Apple is buying Tesla for 500 billion dollars are false. "
    "Apple denied the rumour on Tuesday and called the story a hoax. "
    "A Tesla spokesperson said the report was fake and had been debunked. "
    "There is no evidence of any talks between the two companies."
)
SUPPORTING = (
    "Apple has agreed to buy Tesla for 500 billion dollars, the two companies confirmed on Tuesday. "
    "Apple officially announced the deal in a statement, saying the purchase of Tesla will close next year. "
    "Tesla's board approved the 500 billion dollar sale to Apple."
)
UNRELATED = (
    "Heavy rain flooded several streets in Sydney on Sunday. "
    "The weather bureau expects the storm to move out to sea by Wednesday. "
    "Residents were told to stay away from rivers and drains."
)


@pytest.fixture(scope="module")
def model():
    return StanceModel.load()


@pytest.fixture(scope="module")
def embedder():
    return USEEmbedder()


# -- numpy evaluators against scikit-learn -------------------------------------------------------


def test_trees_give_sklearn_probabilities():
    ensemble = pytest.importorskip("sklearn.ensemble")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 6))
    y = (x[:, 0] > 0).astype(int) + (x[:, 1] > 0.5).astype(int) * 2  # four classes
    fit = ensemble.HistGradientBoostingClassifier(max_iter=30, early_stopping=False, random_state=0).fit(x, y)
    trees = trees_from_sklearn(fit)
    test = rng.normal(size=(50, 6))
    test[0, 2] = np.nan  # a missing value follows the branch sklearn learned for it
    assert np.allclose(trees.proba(test), fit.predict_proba(test), atol=1e-9)
    stored = TreeEnsemble.from_arrays(trees.arrays("t_"), "t_")
    assert np.allclose(stored.proba(test), fit.predict_proba(test), atol=1e-5)


def test_dense_nets_give_sklearn_probabilities():
    linear = pytest.importorskip("sklearn.linear_model")
    neural = pytest.importorskip("sklearn.neural_network")
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 5)).astype(np.float32)
    y = np.argmax(x[:, :3], axis=1)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    z = (x - mean) / scale
    for fit in (linear.LogisticRegression(max_iter=500).fit(z, y),
                neural.MLPClassifier(hidden_layer_sizes=(8,), max_iter=3000, random_state=0).fit(z, y),
                linear.LogisticRegression(max_iter=500).fit(z, y == 0)):
        net = dense_from_sklearn(fit, mean, scale)
        assert np.allclose(net.proba(x), fit.predict_proba(z), atol=1e-5)
        again = DenseNet.from_arrays(net.arrays("n_"), "n_")
        assert np.allclose(again.proba(x), net.proba(x))


# -- FNC metric and split ------------------------------------------------------------------------


def test_fnc_relative_score_by_hand():
    agree, disagree, discuss, unrelated = range(4)
    y = np.array([agree, disagree, discuss, unrelated])
    # best = 4 * .25 + 3 * .75 = 3.25. Predicted: agree right (1.0), disagree called discuss (.25),
    # discuss called unrelated (0), unrelated right (.25): 1.5 / 3.25.
    p = np.array([agree, discuss, unrelated, unrelated])
    assert st.fnc_score(y, p) == pytest.approx(100 * 1.5 / 3.25)
    assert st.fnc_score(y, y) == pytest.approx(100.0)
    fig = st.figures(y, p)
    assert fig["confusion"][disagree][discuss] == 1 and fig["f1"]["agree"] == 1.0 and fig["f1"]["disagree"] == 0.0


def _toy_fnc() -> st.FncData:
    bodies = {b: f"body {b}" for b in range(200)}
    heads = [f"claim {h}" for h in range(40)]
    head = np.array([b % 40 for b in range(200)] + [(b + 7) % 40 for b in range(200)])
    body = np.array(list(range(200)) * 2)
    y = np.array([0] * 200 + [3] * 200)
    return st.FncData(bodies, heads, head, body, y)


def test_body_split_keeps_every_body_on_one_side_and_is_stable():
    data = _toy_fnc()
    train, held = st.split(data, "bodies")
    assert not set(data.body[train]) & set(data.body[held])
    assert 0.1 < held.mean() < 0.3
    again = st.split(data, "bodies")
    assert (again[1] == held).all()


def test_claim_split_holds_out_headlines_and_bodies_together():
    data = _toy_fnc()
    train, held = st.split(data, "claims")
    assert not set(data.body[train]) & set(data.body[held])
    assert not set(data.head[train]) & set(data.head[held])
    assert held.any() and train.any()


# -- features ------------------------------------------------------------------------------------


def test_cues_see_denial_and_distance_in_english_and_russian():
    def cues(text):
        return dict(zip(CUE_NAMES, cue_counts(text), strict=True))

    en = cues("Officials denied the report, calling it a hoax.")
    ru = cues("Власти опровергли сообщение, назвав его фейком.")
    hedged = cues("The singer was reportedly seen in Paris?")
    assert en["refute"] >= 2 and ru["refute"] >= 2
    assert hedged["hedge"] >= 1 and hedged["question"] == 1 and hedged["refute"] == 0


def test_pair_features_rise_with_shared_words():
    emb = HashingEmbedder()
    claim = prepare_claim(CLAIM, emb.embed([CLAIM])[0])
    on = prepare_text(SUPPORTING, split_sentences(SUPPORTING), emb.embed([SUPPORTING[s:e] for s, e in split_sentences(SUPPORTING)]))
    off = prepare_text(UNRELATED, split_sentences(UNRELATED), emb.embed([UNRELATED[s:e] for s, e in split_sentences(UNRELATED)]))
    from narrascope.narratives.stance_features import pair_features

    a, b = pair_features(claim, on), pair_features(claim, off)
    assert a.shape == (len(PAIR_FEATURES),)
    for name in ("cos_max", "overlap_text", "overlap_names", "overlap_numbers"):
        k = PAIR_FEATURES.index(name)
        assert a[k] > b[k], name


# -- the shipped model ---------------------------------------------------------------------------


def test_shipped_model_loads_with_its_figures(model):
    assert model.embedder == USEEmbedder.name
    held = model.metadata["evaluation"]["held_out_bodies"]
    assert held["relative_score"] > 80 and held["f1"]["disagree"] > 0.2
    assert len(FEATURES) == len(PAIR_FEATURES) + 13


def test_refuting_text_is_not_support(model, embedder):
    result = model.predict(CLAIM, REFUTING, embedder)
    assert result.label in ("oppose", "discuss"), result
    assert set(result.probabilities) == set(LABELS)
    assert sum(result.probabilities.values()) == pytest.approx(1.0, abs=1e-3)


def test_debunking_text_opposes(model, embedder):
    claim = "A man in Florida was arrested for training his pet alligator to steal beer"
    text = ("Police in Florida have dismissed the viral story about a man who trained an alligator to steal beer. "
            "The sheriff's office said no such arrest took place and called the report a hoax. "
            "The story first appeared on a satirical website.")
    result = model.predict(claim, text, embedder)
    assert result.label == "oppose", result


def test_supporting_text_is_not_oppose(model, embedder):
    result = model.predict(CLAIM, SUPPORTING, embedder)
    assert result.label in ("support", "discuss"), result
    assert result.probabilities["support"] > result.probabilities["oppose"]


def test_unrelated_text_is_unrelated_with_no_evidence(model, embedder):
    result = model.predict(CLAIM, UNRELATED, embedder)
    assert result.label == "unrelated" and result.evidence == []
    assert 0.0 <= result.score <= 1.0


def test_evidence_offsets_are_sentences_of_the_text(model, embedder):
    spans = split_sentences(REFUTING)
    result = model.predict(CLAIM, REFUTING, embedder)
    assert 1 <= len(result.evidence) <= 3
    for e in result.evidence:
        assert (e.start, e.end) in spans
        assert e.label in LABELS[:3] and 0.0 <= e.score <= 1.0
    # Given sentences are used as they are: here the whole text is one "sentence".
    whole = model.predict(CLAIM, REFUTING, embedder, sentences=[(0, len(REFUTING))])
    assert all((e.start, e.end) == (0, len(REFUTING)) for e in whole.evidence)


def test_predict_many_matches_predict_and_handles_an_empty_text(model, embedder):
    many = model.predict_many([(CLAIM, REFUTING), (CLAIM, UNRELATED), (CLAIM, "   ")], embedder)
    assert [r.label for r in many[:2]] == [model.predict(CLAIM, t, embedder).label for t in (REFUTING, UNRELATED)]
    assert many[0].probabilities == model.predict(CLAIM, REFUTING, embedder).probabilities
    assert many[2].label == "unrelated" and many[2].evidence == []


def test_stance_records_shape(model, embedder):
    batch = [{"id": "a", "claim": CLAIM, "text": REFUTING}, {"id": 7, "claim": CLAIM, "text": UNRELATED}]
    out = stance_records(batch, model, embedder)
    assert [r["id"] for r in out] == ["a", 7]
    assert all(set(r) == {"id", "label", "score"} and r["label"] in LABELS and 0 <= r["score"] <= 1 for r in out)


def test_other_embedder_is_a_config_error(model):
    with pytest.raises(ConfigError, match="use-multilingual-v3"):
        model.predict(CLAIM, REFUTING, HashingEmbedder())


def test_missing_or_corrupt_model_file_is_a_one_line_config_error(tmp_path):
    with pytest.raises(ConfigError) as missing:
        StanceModel.load(tmp_path / "nope.npz")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ConfigError) as corrupt:
        StanceModel.load(bad)
    for exc in (missing, corrupt):
        assert "\n" not in str(exc.value) and "stance model" in str(exc.value)


def test_save_load_round_trip(model, tmp_path, embedder):
    path = tmp_path / "copy.npz"
    model.save(path)
    again = StanceModel.load(path)
    assert again.predict(CLAIM, REFUTING, embedder).probabilities == model.predict(CLAIM, REFUTING, embedder).probabilities


# -- the CLI -------------------------------------------------------------------------------------


def test_stance_command_writes_one_line_per_good_record_and_one_error_per_bad(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "r1", "claim": CLAIM, "text": REFUTING}),
        json.dumps({"id": "r2", "text": UNRELATED}),  # no claim
        json.dumps({"id": "r3", "claim": CLAIM, "text": UNRELATED}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["stance", "--input", str(src), "--output", str(out)], catch_exceptions=False)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert {r["id"] for r in rows} == {"r1", "r3"}
    assert all(r["label"] in LABELS and 0 <= r["score"] <= 1 for r in rows)
    assert {r["id"]: r["label"] for r in rows}["r3"] == "unrelated"
    errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(errors) == 1 and "in.jsonl:2" in errors[0] and "claim" in errors[0]
    assert result.exit_code != 0


# -- FNC-1 itself ----------------------------------------------------------------------------------


# The shipped model scored 88-89 on all held-out bodies when it was built; a small sample of them
# through the run-time path must stay well above the majority-class baseline (about 83 here).
@pytest.mark.dataset
@pytest.mark.slow
def test_shipped_model_on_a_sample_of_held_out_fnc_bodies(dataset, model, embedder):
    data = st.load_fnc(dataset("fnc-1"))
    _, held = st.split(data, "bodies")
    bodies = sorted(set(data.body[held].tolist()))[::10]  # every pair of a tenth of the bodies: few to embed
    rows = np.flatnonzero(np.isin(data.body, bodies))
    results = model.predict_many([(data.headlines[data.head[i]], data.bodies[data.body[i]]) for i in rows], embedder)
    predicted = np.array([LABELS.index(r.label) for r in results])
    fig = st.figures(data.y[rows], predicted)
    assert fig["relative_score"] >= 80, fig
