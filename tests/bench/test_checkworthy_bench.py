import numpy as np

from narrascope.bench.checkworthy import RECIPE, cross_validate, fit, leave_one_debate_out
from narrascope.embeddings import HashingEmbedder
from narrascope.enrich.checkworthy import features
from narrascope.training.checkworthy_data import Corpus, UseFeatures

CLAIMS = [
    "Unemployment fell to 4.1 percent in March.",
    "The government spent $2 billion on roads.",
    "Exports rose by 30% between 2019 and 2023.",
    "Inflation reached 9 percent in June.",
    "Crime dropped by a third in 2015.",
    "Taxes rose by 12 percent in 2020.",
    "The deficit doubled to $40 billion last year.",
    "Wages grew 3 percent in 2022.",
]
CHATTER = [
    "Thank you very much.",
    "I think we should work together.",
    "What do you think about that?",
    "Good evening and welcome.",
    "Let me finish, please.",
    "We will see what happens.",
    "That is a good question.",
    "Thanks for having me.",
]


def tiny_corpus() -> Corpus:
    """Four ClaimBuster-like sentences of each kind, then two debates of eight lines."""
    cb = CLAIMS[:4] + CHATTER[:4]
    clef = [CLAIMS[4], CHATTER[4], CHATTER[5], CLAIMS[5], CLAIMS[6], CHATTER[6], CLAIMS[7], CHATTER[7]]
    texts = cb + clef
    embedder = HashingEmbedder(dim=32)
    corpus = Corpus(
        cb_texts=cb,
        cb_labels=np.array([1] * 4 + [0] * 4),
        debates=["d1", "d2"],
        clef_texts=clef,
        clef_labels=np.array([1, 0, 0, 1, 1, 0, 1, 0]),
        clef_debate=np.array([0] * 4 + [1] * 4),
        cb_in_clef=[[] for _ in cb],
        x=features(texts, embedder.embed(texts)),
        features=UseFeatures(embedder),
    )
    return corpus


def test_fit_uses_the_rows_given_and_the_features_object():
    corpus = tiny_corpus()
    model = fit(corpus, np.ones(8, dtype=bool), np.ones(8, dtype=bool), {**RECIPE, "C": 1.0})
    assert model.embedder == "hashing" and model.metadata["rows"]["claimbuster"]["sentences"] == 8
    scores = corpus.features.score(model, corpus, np.arange(16))
    assert scores.shape == (16,) and np.all((scores >= 0) & (scores <= 1))
    # a set weighted 0 is left out, and calibration falls back to the set that is left
    only_cb = fit(
        corpus, np.ones(8, dtype=bool), np.ones(8, dtype=bool), {**RECIPE, "mix": {"clef2019": 0.0}}
    )
    assert set(only_cb.metadata["rows"]) == {"claimbuster"}


def test_evaluations_score_every_held_out_part():
    corpus = tiny_corpus()
    recipe = {**RECIPE, "C": 1.0}
    lodo = leave_one_debate_out(corpus, recipe)
    assert len(lodo) == 2 and all(0 <= r["AP"] <= 1 for r in lodo)
    cv = cross_validate(corpus, recipe, folds=2)
    assert len(cv) == 2 and all(0 <= r["F1"] <= 1 for r in cv)


def test_parse_features_train_and_score_the_same_rows():
    from narrascope.enrich.checkworthy_parse import bag_matrix, pipeline_name, text_features
    from narrascope.enrich.nlp import spacy_english
    from narrascope.training.checkworthy_data import ParseFeatures

    nlp = spacy_english()
    corpus = tiny_corpus()
    dense, bags = text_features(corpus.texts, nlp)
    corpus.x, corpus.words = dense, bag_matrix(bags)
    width = nlp.get_pipe("tok2vec").model.get_dim("nO")
    corpus.features = ParseFeatures((pipeline_name(nlp), nlp.meta["version"], width))
    model = fit(
        corpus, np.ones(8, dtype=bool), np.ones(8, dtype=bool), {**RECIPE, "C": 1.0, "word_scale": 3.0}
    )
    assert model.fits(nlp) is None and model.metadata["params"]["word_scale"] == 3.0
    scores = corpus.features.score(model, corpus, np.arange(16))
    assert scores.shape == (16,) and scores[:4].mean() > scores[4:8].mean()
