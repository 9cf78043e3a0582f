"""Persuasion techniques: the SemEval span metrics, the "fake" labelling rule, the detector."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import narrascope.models
from narrascope.embeddings import HashingEmbedder
from narrascope.narratives.techniques import (
    MODEL_FILE,
    MODEL_TECHNIQUES,
    PARSED,
    PLAIN,
    RouteModel,
    TechniqueDetector,
    TechniqueSpan,
    decode,
    guess_language,
    prepare,
)
from narrascope.narratives.techniques_candidates import parsed_candidates, plain_candidates, split_sentences
from narrascope.narratives.techniques_fake import find_fake_labels
from narrascope.narratives.techniques_features import HAND_FEATURES
from narrascope.training.span_metrics import merge_spans, span_scores, typed_scores

# -- metrics: SemEval-2020 Task 11 partial-overlap credit ----------------------------------------


def test_merge_spans_joins_overlaps_but_not_neighbours():
    assert merge_spans([(5, 10), (0, 6), (10, 12), (20, 25)]) == [(0, 10), (10, 12), (20, 25)]


def test_span_scores_partial_credit_by_hand():
    # One prediction [0, 10) against gold [5, 15) and [20, 30): it covers half of itself with gold
    # (P = 5/10 over 1 prediction) and half of the first gold span (R = 5/10 over 2 gold spans).
    s = span_scores({"a": [(0, 10)]}, {"a": [(5, 15), (20, 30)]})
    assert s["P"] == pytest.approx(0.5)
    assert s["R"] == pytest.approx(0.25)
    assert s["F1"] == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_span_scores_merge_overlapping_predictions_first():
    # [0, 6) and [4, 10) become [0, 10): one prediction, wholly inside gold [0, 20).
    s = span_scores({"a": [(0, 6), (4, 10)]}, {"a": [(0, 20)]})
    assert (s["predicted"], s["P"], s["R"]) == (1, pytest.approx(1.0), pytest.approx(0.5))


def test_span_scores_pool_articles_and_count_missed_ones():
    s = span_scores({"a": [(0, 4)]}, {"a": [(0, 4)], "b": [(0, 4)]})
    assert (s["P"], s["R"]) == (pytest.approx(1.0), pytest.approx(0.5))
    assert span_scores({}, {"a": [(0, 4)]})["F1"] == 0.0


def test_typed_scores_only_credit_the_same_technique():
    pred = {"a": [(0, 10, "doubt"), (0, 4, "slogans")]}
    gold = {"a": [(5, 15, "doubt"), (0, 4, "doubt")]}
    t = typed_scores(pred, gold)
    # doubt: P = (5/10 + 4/10) / 1, R = (5/10 + 4/4) / 2; slogans earns nothing.
    assert t["doubt"]["P"] == pytest.approx(0.9)
    assert t["doubt"]["R"] == pytest.approx(0.75)
    assert t["slogans"]["F1"] == 0.0
    assert t["all"]["P"] == pytest.approx(0.45)
    assert t["all"]["R"] == pytest.approx(0.75)
    # Untyped, the two predictions merge into [0, 10) and the gold spans stay apart.
    assert span_scores({"a": [(s, e) for s, e, _ in pred["a"]]}, {"a": [(s, e) for s, e, _ in gold["a"]]})[
        "P"
    ] == pytest.approx(0.9)


# -- labelling a claim "fake" ------------------------------------------------------------------

FAKE_EN = [
    ("The claim that the region is drifting away from its neighbour is a fake.", "The claim that"),
    ("Reports that the minister resigned are nothing but propaganda.", "Reports that"),
    ('"The union is collapsing" - this is yet another myth spread by foreign media.', '"The union'),
    ("Officials dismissed the reports as fake news.", "the reports"),
    ("He called the allegations a hoax.", "the allegations"),
    ("They keep repeating the myth that sanctions do not work.", "myth that"),
    ("The story about secret laboratories is pure disinformation.", "The story"),
    ("Such statements are lies.", "Such statements"),
    ('"The union is drifting apart" – another Western fake', '"The union'),
    ("Claims of a secret deal — pure propaganda, as usual.", "Claims of"),
    ("It is false that the harbour is closing for good.", "It is false that"),
    ("It's simply untrue that the minister resigned.", "It's simply untrue"),
    ("It is a lie that grain exports collapsed.", "It is a lie"),
    ("The harbour is closing for good is a lie.", "The harbour"),
    ("The claim that the harbour is closing for good is false.", "The claim that"),
    ("The claim that grain exports collapsed is baseless.", "The claim that"),
    ("Reports that the bridge was sold abroad are untrue.", "Reports that"),
    ("The region is drifting away from its neighbour – fake", "The region"),
]
FAKE_RU = [
    "Это очередной фейк западных СМИ.",
    "Утверждения о том, что регион отдаляется от соседей, являются мифом.",
    "Заявление посольства — не более чем вброс.",
    "Министр назвал эти сообщения ложью.",
    "Это пропаганда, рассчитанная на доверчивых читателей.",
    "Они распространяют фейк о том, что армия отступает.",
    "Неправда, что гавань закрывается навсегда.",
    "Это неправда, что министр ушёл в отставку.",
    "Гавань закрывается навсегда — ложь.",
    "Слухи о закрытии гавани — неправда.",
]
LITERAL = [
    "Fake passports were seized at the border.",
    "Police found fake banknotes in the car.",
    "The painting in the museum was a fake.",
    "The passport was fake, officials said.",
    "The village lies in a valley.",
    "He lies about his age.",
    "The propaganda minister resigned on Tuesday.",
    "He called on the West to stop the lies.",
    "The exhibit – a fake – was withdrawn from the museum.",
    "Two men – both fake police officers – were arrested.",
    "Greek myths were the subject of the lecture.",
    "She studies disinformation campaigns at the university.",
    "На границе изъяли фейковые паспорта.",
    "Древнегреческий миф о Прометее известен всем.",
    "Он говорил о пропагандистских кампаниях прошлого века.",
    # "false" in its other senses, and a label denied or set apart from the sentence.
    "The fire turned out to be a false alarm.",
    "After a false start, the race was run again.",
    "He wore false teeth.",
    "He checked into the hotel under a false name.",
    "The alarm was false, the fire brigade said.",
    "It is a false economy to cut the budget.",
    "The test gave a false positive.",
    "It is not false that prices rose.",
    "His fears were groundless.",
    "He said the watch was a copy – a fake.",
    "Не ложь, что цены выросли.",
]


@pytest.mark.parametrize(("sentence", "claim_start"), FAKE_EN)
def test_fake_label_english(sentence, claim_start):
    (span,) = find_fake_labels(sentence)
    text = sentence[span[0] : span[1]]
    assert text.startswith(claim_start)
    labels = ("fake", "propaganda", "myth", "hoax", "disinformation", "lie", "false", "untrue", "baseless")
    assert any(w in text.lower() for w in labels)


@pytest.mark.parametrize("sentence", FAKE_RU)
def test_fake_label_russian(sentence):
    assert len(find_fake_labels(sentence)) == 1


@pytest.mark.parametrize("sentence", LITERAL)
def test_fake_used_literally_is_not_a_label(sentence):
    assert find_fake_labels(sentence) == []


def test_a_labelled_clause_ends_where_the_sentence_goes_on():
    text = "The myth that sanctions do not work has been repeated for years."
    (span,) = find_fake_labels(text)
    assert text[span[0] : span[1]] == "myth that sanctions do not work"
    # A verb of the clause itself does not end it.
    text = "They repeat the myth that the bridge has been sold abroad."
    (span,) = find_fake_labels(text)
    assert text[span[0] : span[1]] == "myth that the bridge has been sold abroad"


def test_fake_label_offsets_point_into_the_text():
    text = "Nothing happened.\nThe claim that prices doubled is a hoax, the ministry said."
    sentences = split_sentences(text)
    (span,) = find_fake_labels(text, sentences)
    assert text[span[0] : span[1]] == "The claim that prices doubled is a hoax"


# -- candidates, decoding, the model file --------------------------------------------------------


def test_plain_candidates_stay_inside_their_sentence():
    text = "Они лгут!  Это позор, и все это знают.\nNew line here, with words."
    sentences = split_sentences(text)
    for c in plain_candidates(text, sentences):
        s, e = sentences[c.sentence]
        assert s <= c.start < c.end <= e
        assert text[c.start : c.end] == text[c.start : c.end].strip()


def test_a_person_s_name_alone_is_no_candidate():
    from narrascope.enrich.nlp import spacy_english

    text = "Mr. Grimm called the probe a disgraceful witch hunt, and Donald Trump agreed with Mr. Grimm."
    doc = spacy_english()(text)
    spans = {text[c.start : c.end] for c in parsed_candidates(text, doc, split_sentences(text, doc))}
    assert not spans & {"Mr. Grimm", "Grimm", "Mr"}  # a name the article gives twice
    assert {"disgraceful", "disgraceful witch hunt", "Donald Trump agreed with Mr. Grimm"} <= spans
    # An epithet the tagger sweeps into a name once stays a candidate.
    text = "Lyin' Ted Cruz lost the debate, and Cruz knew it."
    doc = spacy_english()(text)
    spans = {text[c.start : c.end] for c in parsed_candidates(text, doc, split_sentences(text, doc))}
    assert any(span.startswith("Lyin") for span in spans)


def test_guess_language():
    assert guess_language("Это очередной фейк.") == "ru"
    assert guess_language("This is a fake.") == "en"


def test_decode_keeps_the_best_of_overlapping_spans_per_technique():
    starts, ends = np.array([0, 2, 20]), np.array([10, 8, 30])
    scores = np.array([[0.5, 0.9], [0.7, 0.1], [0.2, 0.6]])
    out = decode(starts, ends, scores, np.array([0.3, 0.5]))
    assert sorted(out) == sorted([(2, 8, 0, 0.7), (0, 10, 1, 0.9), (20, 30, 1, 0.6)])


def _tiny_detector(embedder) -> TechniqueDetector:
    rng = np.random.default_rng(0)
    width = 3 * embedder.dim + len(HAND_FEATURES)
    k = len(MODEL_TECHNIQUES)
    route = RouteModel(
        detector_w=rng.normal(size=width) * 0.1,
        detector_b=0.0,
        classifier_w=rng.normal(size=(k, width)) * 0.1,
        classifier_b=np.zeros(k),
        thresholds=np.full(k, 0.02),
    )
    return TechniqueDetector({PLAIN: route}, embedder.name, embedder.dim, {"note": "test"})


def test_save_load_round_trip_and_valid_offsets(tmp_path):
    embedder = HashingEmbedder(dim=32)
    detector = _tiny_detector(embedder)
    path = tmp_path / "techniques.npz"
    detector.save(path)
    loaded = TechniqueDetector.load(path)
    assert loaded.metadata == {"note": "test"} and loaded.embedder == "hashing"
    text = 'Critics say the "reform" is a disaster. The claim that it works is a myth!\nWe must act now.'
    before = detector.detect(text, language="en-x-test", embedder=embedder)
    after = loaded.detect(text, language="en-x-test", embedder=embedder)
    assert [(t.start, t.end, t.technique) for t in before] == [(t.start, t.end, t.technique) for t in after]
    assert all(abs(a.score - b.score) < 1e-3 for a, b in zip(before, after, strict=True))
    assert before, "thresholds this low must keep something"
    for span in after:
        assert isinstance(span, TechniqueSpan)
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start : span.end].strip() == text[span.start : span.end]
    assert any(t.technique == "labelling_fake" for t in after)


def test_detect_refuses_another_embedder(tmp_path):
    from narrascope.errors import ConfigError

    detector = _tiny_detector(HashingEmbedder(dim=32))
    with pytest.raises(ConfigError):
        detector.detect("Some text.", embedder=HashingEmbedder(dim=16))


def test_prepare_features_have_the_model_width():
    embedder = HashingEmbedder(dim=16)
    text = "A brutal regime. Они лгут, как всегда!"
    p = prepare(text, embedder, route=PLAIN, buckets=64)
    assert p.dense.shape == (len(p.candidates), 3 * 16 + len(HAND_FEATURES))
    rows, cols, vals = p.hashed
    assert len(rows) == len(cols) == len(vals) and (cols < 64).all()


# -- the shipped model ---------------------------------------------------------------------------

PROPAGANDA = (
    "Our great nation is under attack by a corrupt elite.\n"
    "These so-called experts want you to believe their lies, but the truth is obvious.\n"
    "What about the crimes of their own allies?\n"
    "If we do nothing, our children will pay the price for this disastrous policy.\n"
    "The claim that the reform helped ordinary families is a hoax.\n"
    "Make our country strong again!\n"
)


SHIPPED = Path(narrascope.models.__file__).parent / MODEL_FILE


@pytest.fixture(scope="module")
def shipped():
    # Skipped only while the file is absent (a fresh checkout before training); a file that is
    # there must load, so a stale or broken model fails here instead of being skipped.
    if not SHIPPED.is_file():  # pragma: no cover
        pytest.skip(f"no shipped technique model at {SHIPPED}; build it with scripts/train_techniques.py")
    return TechniqueDetector.load()


def test_shipped_model_matches_this_code(shipped):
    assert shipped.embedder == "use-multilingual-v3" and shipped.dim == 512
    assert set(shipped.routes) == {PARSED, PLAIN}
    evaluation = shipped.metadata["evaluation"]
    assert 0.0 < evaluation[PARSED]["span_f1"] < 1.0
    for route in shipped.routes.values():
        assert route.thresholds.shape == (len(MODEL_TECHNIQUES),)
        # The required techniques can all fire (a threshold of inf would switch one off).
        assert np.isfinite(route.thresholds).sum() >= 8


LOADED = (
    "The corrupt, treacherous regime and its puppet media keep spreading the disgusting lie that "
    "the war is going well. Their claim that sanctions have failed is pure fake news."
)


def test_shipped_model_finds_loaded_words_and_a_fake_label(shipped):
    found = shipped.detect(LOADED, language="en")
    fake = [LOADED[t.start : t.end] for t in found if t.technique == "labelling_fake"]
    assert "Their claim that sanctions have failed is pure fake news" in fake, found
    loaded = [t for t in found if t.technique in ("loaded_language", "name_calling")]
    assert loaded, found
    cues = ("corrupt", "treacherous", "regime", "puppet", "disgusting", "lie")
    for t in loaded:
        piece = LOADED[t.start : t.end]
        assert piece == piece.strip() and piece[0].isalnum() and piece[-1].isalnum(), piece
    # At least one of them is a short phrase on an emotive word, not a whole sentence.
    assert any(
        t.end - t.start < 60 and any(c in LOADED[t.start : t.end].lower() for c in cues) for t in loaded
    )


def test_shipped_model_on_a_propaganda_paragraph(shipped):
    found = shipped.detect(PROPAGANDA, language="en")
    techniques = {t.technique for t in found}
    assert "labelling_fake" in techniques
    assert len(techniques) >= 3
    for t in found:
        assert 0 <= t.start < t.end <= len(PROPAGANDA)
        assert 0.0 < t.score <= 1.0


def test_shipped_model_plain_route_on_russian(shipped):
    text = "Это очередной фейк западных СМИ. Наша великая страна никогда не сдастся врагам!"
    found = shipped.detect(text, language="ru")
    assert any(t.technique == "labelling_fake" for t in found)
    assert all(0 <= t.start < t.end <= len(text) for t in found)


@pytest.mark.dataset
def test_cross_validation_on_a_slice(dataset):
    from narrascope.training.ptc import build_corpus, cross_validate, load_ptc
    from narrascope.training.techniques import Params

    articles = load_ptc(dataset("ptc"), limit=12)
    corpus = build_corpus(articles, HashingEmbedder(dim=32), PLAIN, say=lambda _: None)
    assert len(corpus.dense) == corpus.offsets[-1] and corpus.iou.max() > 0.5
    result = cross_validate(corpus, Params(buckets=0, negatives=0.5), folds=3, say=lambda _: None)
    assert 0.0 <= result.span["F1"] <= 1.0 and result.span["gold"] > 0
    assert 0.0 <= result.typed["all"]["F1"] <= 1.0
    assert len(result.thresholds) == len(MODEL_TECHNIQUES)


def test_repetition_counts_whole_words_in_sequence_as_the_regex_would():
    import re

    from narrascope.narratives.techniques_candidates import Candidate
    from narrascope.narratives.techniques_features import _repeats

    text = ("Never again! Never, again, we said. never-again is our cry. Nevermore again. "
            "A a a a. The law and order party: law & order, LAW AND ORDER. Über alles, über alles.")
    folded = text.casefold()

    def regex_count(start: int, end: int) -> int:
        key = " ".join(re.findall(r"\w+", folded[start:end]))
        body = re.escape(key).replace(r"\ ", r"\W+")
        return len(re.findall(r"(?<!\w)" + body + r"(?!\w)", folded))

    phrases = ["Never again", "A a a", "law and order", "Über alles", "again", "our cry", "Nevermore again"]
    spans = [(text.index(p), text.index(p) + len(p)) for p in phrases]
    candidates = [Candidate(start, end, "phrase", 0) for start, end in spans]
    got = _repeats(text, candidates)
    for (start, end), value in zip(spans, got, strict=True):
        expected = regex_count(start, end) if len(" ".join(re.findall(r"\w+", folded[start:end]))) >= 4 else 1
        assert value == pytest.approx(np.log1p(max(expected - 1, 0))), text[start:end]
    assert got[0] == pytest.approx(np.log1p(2))  # "never again" three times: twice elsewhere
    assert got[2] == pytest.approx(np.log1p(1)) and got[5] == 0.0  # "law & order" is not "law and order"
