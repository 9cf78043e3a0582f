import numpy as np
import pytest

from narrascope.enrich import scoring
from narrascope.enrich.checkworthy_parse import (
    BOW_DIM,
    HAND_FEATURES,
    ParseCheckworthinessModel,
    bag_matrix,
    feature_names,
    span_features,
    text_features,
    word_buckets,
)
from narrascope.enrich.claims import find_claims
from narrascope.enrich.nlp import spacy_english
from narrascope.errors import ConfigError
from narrascope.training.checkworthy import train_parse as train

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


@pytest.fixture(scope="module")
def nlp():
    return spacy_english()


@pytest.fixture(scope="module")
def tiny_model(nlp):
    texts = CLAIMS + CHATTER
    dense, bags = text_features(texts, nlp)
    return train(dense, bags, [1] * len(CLAIMS) + [0] * len(CHATTER), nlp=nlp, C=1.0)


def test_span_features_read_vectors_tags_entities_and_words(nlp):
    doc = nlp("Thank you. Exports to China rose by 30% in 2023, the ministry said.")
    start = doc.text.index("Exports")
    dense, bags = span_features(doc, [(start, len(doc.text)), (0, 10)])
    width = doc.tensor.shape[1]
    names = feature_names(width)
    assert dense.shape == (2, len(names)) and names[-len(HAND_FEATURES) :] == HAND_FEATURES
    col = {name: dense[:, i] for i, name in enumerate(names)}
    span = doc.char_span(start, len(doc.text))
    assert np.allclose(dense[0, :width], doc.tensor[span.start : span.end].mean(axis=0), atol=1e-6)
    assert np.allclose(dense[0, width : 2 * width], doc.tensor[span.start : span.end].max(axis=0))
    assert col["ent_GPE"].tolist() == [1, 0] and col["ent_PERCENT"][0] == 1 and col["ent_DATE"][0] == 1
    assert col["tag_VBD"][0] > 0 and col["pos_PUNCT"][1] > 0
    assert col["has_percent"].tolist() == [1, 0]
    # words and word pairs of the span, punctuation left out, case folded
    lower = [t.lower for t in span if not (t.is_punct or t.is_space)]
    assert np.array_equal(bags[0], word_buckets(np.array(lower, dtype=np.uint64)))
    assert len(bags[0]) <= 2 * len(lower) - 1 and bags[0].max() < BOW_DIM


def test_word_buckets_are_sorted_distinct_and_order_aware():
    a, b = np.array([11, 22], dtype=np.uint64), np.array([22, 11], dtype=np.uint64)
    assert np.all(np.diff(word_buckets(a)) > 0)
    assert set(word_buckets(a)) != set(word_buckets(b))  # the pair differs
    assert word_buckets(np.zeros(0, dtype=np.uint64)).shape == (0,)
    m = bag_matrix([word_buckets(a), np.zeros(0, dtype=np.int64)])
    assert m.shape == (2, BOW_DIM) and m[0].sum() == len(word_buckets(a)) and m[1].sum() == 0


def test_tiny_model_ranks_claims_first_and_round_trips(tiny_model, nlp, tmp_path):
    doc = nlp("Taxes rose by 12 percent in 2020. Thank you, good evening.")
    spans = [(s.start_char, s.end_char) for s in doc.sents]
    scores = tiny_model.score_spans(doc, spans)
    assert scores.shape == (2,) and np.all((scores >= 0) & (scores <= 1)) and scores[0] > scores[1]
    assert tiny_model.score_spans(doc, []).shape == (0,)
    path = tmp_path / "cw.npz"
    tiny_model.save(path)
    again = ParseCheckworthinessModel.load(path)
    assert np.allclose(again.score_spans(doc, spans), scores, atol=1e-5)
    assert again.fits(nlp) is None
    assert again.metadata["rows"]["all"] == {"sentences": 12, "positive": 6}
    dense, bags = span_features(doc, spans)
    assert np.allclose(again.score_matrix(dense, bag_matrix(bags)), scores, atol=1e-5)


def test_another_spacy_pipeline_does_not_fit(tiny_model, nlp):
    other = ParseCheckworthinessModel(
        tiny_model.weights,
        tiny_model.word_weights,
        0.0,
        "en_core_web_md",
        tiny_model.version,
        tiny_model.width,
    )
    assert "en_core_web_md" in other.fits(nlp)


def test_unreadable_model_file_is_a_config_error(tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ConfigError):
        ParseCheckworthinessModel.load(bad)
    with pytest.raises(ConfigError):
        ParseCheckworthinessModel.load(tmp_path / "missing.npz")


def test_shipped_model_puts_factual_claims_above_chit_chat(nlp):
    model = ParseCheckworthinessModel.load()
    assert model.fits(nlp) is None
    claims = [
        "Unemployment rose to 7.8 percent last year, the highest level since 1992.",
        "Kazakhstan's trade with China grew by 30% in 2023 to $31 billion.",
    ]
    chatter = ["Thank you, it is great to be here tonight.", "What do you think about that?"]
    docs = list(nlp.pipe(claims + chatter))
    scores = np.array([model.score_spans(d, [(0, len(d.text))])[0] for d in docs])
    assert scores[: len(claims)].min() >= 0.5 > scores[len(claims) :].max()


def test_component_scores_english_from_the_parse_and_russian_with_use(make_doc, monkeypatch):
    en = make_doc("Exports to China rose by 30% in 2023. The ministry published the figures on Monday.")
    ru = make_doc("Экспорт в Китай вырос на 30% в 2023 году, сообщило министерство.", language="ru")
    for doc in (en, ru):
        doc.quantities, doc.attributions, doc.hedges = [], [], []
        find_claims(doc)
    embedded = []
    real = scoring._embedder()

    class Spy:
        name, dim = real.name, real.dim

        def embed(self, texts):
            embedded.extend(texts)
            return real.embed(texts)

    monkeypatch.setattr(scoring, "_embedder", lambda: Spy())
    scoring.score_claims([en, ru])
    assert embedded == [ru.text[c.start : c.end] for c in ru.claims]  # English never embedded
    assert all(0 < c.checkworthiness <= 1 for c in en.claims + ru.claims)  # scored: the default is 0
    assert not en.notes
