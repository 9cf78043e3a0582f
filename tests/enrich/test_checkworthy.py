import numpy as np
import pytest

from narrascope.bench.checkworthy import (
    average_precision,
    binary_metrics,
    containing_lines,
    load_clef,
    precision_at,
    r_precision,
    ranking_metrics,
    reciprocal_rank,
)
from narrascope.embeddings import HashingEmbedder, USEEmbedder
from narrascope.enrich.checkworthy import HAND_FEATURES, CheckworthinessModel, features, hand_features
from narrascope.errors import ConfigError
from narrascope.training.checkworthy import train

CLAIMS = [
    "Unemployment fell to 4.1 percent in March, the lowest rate since 2001.",
    "The government spent $2 billion on new roads last year.",
    "Exports to China rose by 30% between 2019 and 2023.",
    "The city has 120,000 more residents than it had a decade ago.",
    "Inflation reached 9 percent in June, according to the statistics office.",
    "Crime dropped by a third after the police budget doubled in 2015.",
]
CHATTER = [
    "Thank you very much, it is a pleasure to be here.",
    "I think we should all work together on this.",
    "What do you think about that?",
    "Good evening and welcome to everyone watching.",
    "We will see what happens, maybe it works out.",
    "Let me finish my answer, please.",
]


@pytest.fixture
def tiny_model():
    texts = CLAIMS + CHATTER
    embedder = HashingEmbedder()
    labels = [1] * len(CLAIMS) + [0] * len(CHATTER)
    return train(texts, labels, embedder.embed(texts), embedder=embedder, C=1.0), embedder


def test_hand_features_see_figures_in_english_and_russian():
    rows = hand_features(
        [
            "Exports rose 30% to $31 billion in 2023.",
            "Экспорт вырос на 30% и достиг 31 млрд долларов в 2023 году.",
            "Do you think so?",
        ]
    )
    col = {name: rows[:, i] for i, name in enumerate(HAND_FEATURES)}
    for name in ("has_digit", "has_year", "has_percent", "has_money", "has_scale_word", "comparative"):
        assert col[name][0] == 1 and col[name][1] == 1 and col[name][2] == 0, name
    assert col["is_question"].tolist() == [0, 0, 1]
    assert col["second_person"][2] > 0


def test_features_are_embedding_then_hand_features():
    emb = HashingEmbedder(dim=8).embed(["One claim.", "Another one."])
    x = features(["One claim.", "Another one."], emb)
    assert x.shape == (2, 8 + len(HAND_FEATURES))
    assert np.allclose(x[:, :8], emb)
    with pytest.raises(ValueError):
        features(["only one text"], emb)


def test_tiny_model_scores_in_unit_interval_and_ranks_claims_first(tiny_model):
    model, embedder = tiny_model
    held_out = ["Taxes rose by 12 percent in 2020.", "Thank you, good evening."]
    scores = model.score(held_out, embedder)
    assert scores.shape == (2,)
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[0] > scores[1]
    assert model.score([], embedder).shape == (0,)


def test_save_load_round_trip(tiny_model, tmp_path):
    model, embedder = tiny_model
    path = tmp_path / "cw.npz"
    model.save(path)
    again = CheckworthinessModel.load(path)
    texts = CLAIMS[:2] + CHATTER[:2]
    assert np.allclose(again.score(texts, embedder), model.score(texts, embedder), atol=1e-5)
    assert (again.embedder, again.dim) == ("hashing", embedder.dim)
    assert again.metadata["params"]["C"] == 1.0
    assert again.metadata["rows"]["all"] == {"sentences": 12, "positive": 6}


def test_embedder_mismatch_is_a_config_error(tiny_model):
    model, _ = tiny_model
    with pytest.raises(ConfigError, match="hashing"):
        model.score(["A sentence."], HashingEmbedder(dim=128))

    class Renamed(HashingEmbedder):
        name = "other"

    with pytest.raises(ConfigError):
        model.score(["A sentence."], Renamed())


def test_unreadable_model_file_is_a_config_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ConfigError):
        CheckworthinessModel.load(bad)
    with pytest.raises(ConfigError):
        CheckworthinessModel.load(tmp_path / "missing.npz")


def test_shipped_model_puts_factual_claims_above_chit_chat():
    model = CheckworthinessModel.load()
    assert model.embedder == USEEmbedder.name
    claims = [
        "Unemployment rose to 7.8 percent last year, the highest level since 1992.",
        "Kazakhstan's trade with China grew by 30% in 2023 to $31 billion.",
        "Товарооборот Казахстана с Китаем в 2023 году вырос на 30% и достиг 31 млрд долларов.",
    ]
    chatter = [
        "Thank you, it is great to be here tonight.",
        "What do you think about that?",
        "Спасибо, очень приятно быть здесь сегодня.",
    ]
    scores = model.score(claims + chatter, USEEmbedder())
    assert np.all((scores >= 0) & (scores <= 1))
    assert scores[: len(claims)].min() > scores[len(claims) :].max()
    assert scores[: len(claims)].min() >= 0.5 > scores[len(claims) :].max()


def test_ranking_metrics_on_a_hand_computed_ranking():
    # Ranked by score: relevant at ranks 2 and 4 of 5.
    labels = np.array([0, 1, 0, 1, 0])
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.5])
    assert average_precision(labels, scores) == pytest.approx((1 / 2 + 2 / 4) / 2)
    assert reciprocal_rank(labels, scores) == pytest.approx(1 / 2)
    assert r_precision(labels, scores) == pytest.approx(1 / 2)  # R=2, one hit in the top 2
    assert precision_at(labels, scores, 5) == pytest.approx(2 / 5)
    # Order of the input does not matter, only the scores.
    order = np.array([4, 2, 0, 3, 1])
    assert ranking_metrics(labels[order], scores[order]) == ranking_metrics(labels, scores)
    # MAP is the mean of per-debate APs: a perfect debate and this one.
    perfect = average_precision(np.array([1, 0]), np.array([0.9, 0.1]))
    assert perfect == 1.0
    assert np.mean([perfect, average_precision(labels, scores)]) == pytest.approx(0.75)
    assert average_precision(np.zeros(3), np.ones(3)) == 0.0


def test_binary_metrics():
    labels = np.array([1, 1, 0, 0])
    predicted = np.array([1, 0, 1, 0])
    m = binary_metrics(labels, predicted)
    assert m["P"] == m["R"] == m["F1"] == pytest.approx(0.5)
    assert m["macro-F1"] == pytest.approx(0.5)


def test_containing_lines_ignores_case_punctuation_and_short_needles():
    lines = ["Hello there. We cut taxes, by 10 percent!", "Thank you.", "we cut taxes by 10 percent"]
    found = containing_lines(["We cut taxes by 10 PERCENT.", "Thank you.", "cut tax"], lines)
    assert found == [[0, 2], [], []]


# The shipped model scored MAP 0.454 on these three debates when this floor was pinned. It was
# trained on them, so this guards the file and the code against breakage, not a generalisation
# figure (that is `narrascope bench checkworthy`, leave-one-debate-out).
MAP_FLOOR = 0.35
SMALL_DEBATES = ("20181010_medicare", "20182601_trump_world", "20190108_oval_office")


@pytest.mark.dataset
def test_shipped_model_ranks_clef_debates_above_floor(dataset):
    folder = dataset("clef2019-checkthat")
    model, embedder = CheckworthinessModel.load(), USEEmbedder()
    aps = [
        average_precision(labels, model.score(texts, embedder))
        for name, texts, labels in load_clef(folder)
        if name in SMALL_DEBATES
    ]
    assert len(aps) == len(SMALL_DEBATES)
    assert np.mean(aps) >= MAP_FLOOR
