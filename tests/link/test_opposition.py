"""Opposed positions on one question: the cues, the features, the reader and where its verdict counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from narrascope.embeddings import HashingEmbedder
from narrascope.errors import ConfigError
from narrascope.link.claims import ClaimItem, link_claims
from narrascope.link.opposition import (
    FEATURES,
    FixedOpposition,
    OppositionHead,
    cues,
    flipped,
    opposition_features,
    pair_features,
    read_opposition,
)
from narrascope.link.pairmodel import FixedRelationModel
from narrascope.link.relate import DEFAULT_PARAMS, Judgement, relate
from narrascope.link.text import ClaimView
from narrascope.link.views import relate_texts
from narrascope.model import Article, Claim
from narrascope.models.registry import load_opposition

ASSERTS = "The mayor insists that Karavia will pay for the new harbour wall."
DENIES = "Karavia's minister denied that Karavia will pay for the harbour wall."
NEGATES = "Karavia will not pay for the harbour wall, the minister said."
EMBED = HashingEmbedder(dim=64).embed
PARAMS = replace(DEFAULT_PARAMS, opposed=0.8)


@pytest.mark.parametrize(("text", "stated"), [
    ("Tea Party members have challenged claims that their activists accosted black lawmakers",
     "their activists accosted black lawmakers"),
    ("Facebook denies being biased against conservatives.", "biased against conservatives"),
    ("He said he has seen no evidence of racism within the movement.", "racism within the movement"),
    ("Mexico will not pay for the wall.", "Mexico will pay for the wall."),
    ("We won't pay for it and can't.", "We will pay for it and can."),
    ("Москва никогда не признает эти выборы.", "Москва признает эти выборы."),
])
def test_flipped_states_what_a_claim_says_no_to(text, stated):
    assert flipped(text) == stated


def test_a_speech_verb_cut_off_with_the_speaker_still_counts_as_the_denial():
    said = ClaimView("Karavia will pay for the harbour wall.", speaker="the minister", cue="denied")
    assert cues(said)[0] == "denied"
    assert cues(ClaimView("Karavia will pay for the harbour wall."))[0] == ""


def test_the_features_see_one_side_asserting_and_the_other_denying():
    a, b = ClaimView(ASSERTS, speaker="The mayor"), ClaimView(DENIES, speaker="Karavia's minister")
    x = pair_features(a, b, (0.1, 0.7, 0.2), (0.1, 0.8, 0.1), 0.7, flip=0.9)
    f = dict(zip(FEATURES, x, strict=True))
    assert len(x) == len(FEATURES)
    assert f["denial_b"] == 1 and f["denial_a"] == 0 and f["denial_vs_assertion"] == 1
    assert f["speakers_differ"] == 1 and f["flip_entailment"] == pytest.approx(0.9)
    assert f["contradiction_max"] == pytest.approx(0.2)
    same = pair_features(a, a, (0.9, 0.1, 0.0), (0.9, 0.1, 0.0), 1.0)
    assert dict(zip(FEATURES, same, strict=True))["denial_one_side"] == 0


def test_the_flip_is_read_by_the_relation_model_against_the_other_claim():
    a, b = ClaimView(ASSERTS), ClaimView(NEGATES)
    model = FixedRelationModel({(flipped(NEGATES), ASSERTS): (0.85, 0.15, 0.0)})
    x = opposition_features(model, [(a, b)], [((0.0, 1.0, 0.0), (0.0, 1.0, 0.0))], [0.7])
    assert dict(zip(FEATURES, x[0], strict=True))["flip_entailment"] == pytest.approx(0.85)
    # a first reading that leans nowhere is taken for both ways round, as the link stage reads it
    y = opposition_features(model, [(a, b)], [((0.1, 0.9, 0.0), (0.0, 0.1, 0.9))], [0.7])
    assert dict(zip(FEATURES, y[0], strict=True))["contradiction_backward"] == pytest.approx(0.0)


def test_pairs_the_weak_model_read_are_never_opposed():
    views = [(ClaimView(ASSERTS), ClaimView(DENIES))] * 2
    judged = [Judgement(weak=False), Judgement(weak=True)]
    assert read_opposition(FixedOpposition(0.9), FixedRelationModel(), views, judged, [0.7, 0.7]) == pytest.approx([0.9, 0.0])
    assert read_opposition(None, FixedRelationModel(), views, judged, [0.7, 0.7]) == [0.0, 0.0]


def test_opposed_positions_contradict_with_both_quoted_and_who_holds_each():
    a = ClaimView(ASSERTS, names=frozenset({"Karavia"}), speaker="The mayor")
    b = ClaimView("Karavia will pay for the harbour wall.", names=frozenset({"Karavia"}),
                  speaker="Karavia's minister", cue="denied")
    found = relate(a, b, 0.7, Judgement(opposed=0.86), PARAMS, same_story=True)
    assert found.relation == "contradicts" and found.score == pytest.approx(0.86)
    assert found.reason.startswith('opposed positions: The mayor: "The mayor insists')
    assert "vs Karavia's minister (denied): \"Karavia will pay for the harbour wall.\"" in found.reason
    # below the level, or outside the gate (another story), the pair stays as it was
    assert relate(a, b, 0.7, Judgement(opposed=0.7), PARAMS, same_story=True).relation == "related"
    assert relate(a, b, 0.7, Judgement(opposed=0.95), PARAMS, same_story=False).relation == "related"
    # a level above 1 never fires
    off = replace(DEFAULT_PARAMS, opposed=1.01)
    assert relate(a, b, 0.7, Judgement(opposed=0.99), off, same_story=True).relation == "related"


def test_an_agreement_the_model_reads_is_never_turned_into_opposition():
    a = ClaimView(ASSERTS, names=frozenset({"Karavia"}))
    b = ClaimView("Karavia will pay for the new harbour wall, the mayor insists.", names=frozenset({"Karavia"}))
    found = relate(a, b, 0.9, Judgement((0.9, 0.1, 0.0), (0.9, 0.1, 0.0), opposed=0.99), PARAMS, same_story=True)
    assert found.relation == "same"


def test_relate_texts_reads_opposition_with_a_reader_double():
    model = FixedRelationModel(default=(0.1, 0.8, 0.1))
    found = relate_texts([(ASSERTS, DENIES)], model, EMBED, PARAMS, FixedOpposition(0.9))[0]
    assert found.relation == "contradicts" and found.reason.startswith("opposed positions:")
    assert relate_texts([(ASSERTS, DENIES)], model, EMBED, PARAMS, FixedOpposition(0.5))[0].relation != "contradicts"
    assert relate_texts([(ASSERTS, DENIES)], model, EMBED, PARAMS, None)[0].relation != "contradicts"


def test_the_link_stage_reads_opposition_among_the_pairs_the_model_read():
    texts = [ASSERTS, DENIES]
    its = []
    for n, text in enumerate(texts):
        article = Article(id=f"a{n}", text=text, outlet=f"Outlet {n}", published=datetime(2025, 1, n + 1))
        its.append(ClaimItem(Claim(f"c{n}", article.id, 0, len(text), 0.9), article,
                             ClaimView(text, names=frozenset({"Karavia"})), "s1"))
    vectors = EMBED(texts)
    reader = FixedOpposition(0.9)
    links = link_claims(its, vectors, PARAMS, model=FixedRelationModel(default=(0.1, 0.8, 0.1)), opposition=reader)
    assert [(x.a, x.b, x.relation) for x in links] == [("c0", "c1", "contradicts")]
    assert reader.calls == 1
    assert link_claims(its, vectors, PARAMS, model=FixedRelationModel(default=(0.1, 0.8, 0.1)))[0].relation == "related"


def test_the_shipped_head_reads_its_features_and_a_file_for_other_features_is_refused(tmp_path):
    head = OppositionHead.load()
    assert head.meta["features"] == list(FEATURES)
    p = head.probability(np.zeros((3, len(FEATURES)), dtype=np.float32))
    assert p.shape == (3,) and ((p >= 0) & (p <= 1)).all()
    bad = tmp_path / "old.npz"
    np.savez(bad, weights=np.zeros(3), bias=np.float32(0), meta=np.frombuffer(b'{"features": ["a"]}', dtype=np.uint8))
    with pytest.raises(ConfigError, match="other features"):
        OppositionHead.load(bad)
    with pytest.raises(ConfigError, match="no such file"):
        OppositionHead.load(tmp_path / "missing.npz")


def test_the_setting_names_a_reader():
    assert load_opposition("none") is None
    with pytest.raises(ConfigError, match=r"link\.opposition: unknown reader 'bogus'"):
        load_opposition("bogus")


def test_training_labels_the_audit_by_event_and_scores_each_event_without_it():
    from narrascope.training import opposition as op

    rows = [{"a": "x", "b": "y", "label": label, "a_event": event}
            for label, event in (("contradicts", "e1"), ("supports", "e1"), ("related", "e2"), ("contradicts", "e2"))]
    pairs = op.audit(rows)
    assert [p.opposed for p in pairs] == [1, 0, 0, 1] and pairs[0].group == "audit:e1"
    # a feature that is the label in e1 and its opposite in e2: scored without its own event, each
    # event gets the other's rule, so every out-of-fold answer is wrong
    rng = np.random.default_rng(0)
    y = np.array([1, 0] * 20 + [1, 0] * 20)
    x = np.where(np.arange(80) < 40, y, 1 - y).astype(np.float32)[:, None] + rng.normal(0, 0.05, (80, 1))
    groups = ["e1"] * 40 + ["e2"] * 40
    oof = op.grouped_oof(x, y, groups, np.ones(80, bool), np.ones(80, bool), c=10.0)
    assert ((oof >= 0.5) != (y == 1)).all()
    fitted = op.fit(x[:40], y[:40], c=10.0)
    assert ((op.predict(fitted, x[:40]) >= 0.5) == (y[:40] == 1)).all()  # standardisation folded in right
