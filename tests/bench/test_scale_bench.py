"""`bench scale`: its synthetic store is what enrichment would leave, a run reports its steps, and
a run past its budget says how far it got."""

import shutil

import numpy as np

from narrascope.bench.recall import candidate_recall
from narrascope.bench.scale import add_claims, bench_embedder, describe, describe_recall, run_stage
from narrascope.link.vectorfile import folder_for
from narrascope.store import SQLStore

CLAIMS = [
    ("Aralia exported grain worth 4 billion dollars in 2024.", False, ["Aralia"]),
    ("Aralia exported grain worth 7 billion dollars in 2024.", False, ["Aralia"]),
    ("Borvia has not joined the sanctions.", True, ["Borvia"]),
]


def build(tmp_path, claims=CLAIMS):
    embedder = bench_embedder("hashing")
    db = str(tmp_path / "scale.db")
    store = SQLStore(db)
    add_claims(store, claims, embedder.embed([c[0] for c in claims]), 0, embedder.name,
               {n for _, _, names in claims for n in names})
    return db, store, embedder


def test_the_synthetic_store_holds_claims_figures_names_and_cached_vectors(tmp_path):
    _, store, embedder = build(tmp_path)
    [ann] = list(store.iter_annotations())
    assert [c.checkworthiness for c in ann.claims] == [0.9, 0.9, 0.9] and ann.claims[2].negated
    assert {q.value for q in ann.quantities} >= {4e9, 7e9}
    assert store.entity_spans([ann.article_id])[ann.article_id][0][3] == "Aralia"
    keys = [f"{ann.article_id}:{c.start}:{c.end}" for c in ann.claims]
    assert len(store.load_vectors(embedder.name, "span", keys)) == 3
    store.close()


def test_a_run_reports_its_steps_and_one_past_its_budget_how_far_it_got(tmp_path):
    claims = [(f"{text} Part {n}.", neg, names) for n in range(3) for text, neg, names in CLAIMS]
    db, store, _ = build(tmp_path, claims)
    store.close()
    done = run_stage(db, "hashing", budget=120)
    assert done[0] == "done" and done[4].claims == 9 and not done[4].incremental
    line = describe(9, "from scratch", done)
    assert "read" in line and "groups" in line and "peak memory" in line
    stopped = run_stage(db, "hashing", budget=0.001)
    assert stopped[0] == "stopped"
    assert "stopped at the budget" in describe(9, "from scratch", stopped)
    assert np.isfinite(stopped[3])


def test_a_stopped_run_names_the_step_it_was_in():
    judging = ("stopped", {"read": 4.0, "index": 3.0, "search": 9.0, "load": 1.0, "relations": 0.5}, 20.0, 300.0, None)
    assert "during 'judging pairs (load, model, relations)'" in describe(10, "from scratch", judging)
    indexing = ("stopped", {"read": 4.0}, 20.0, 300.0, None)
    assert "during 'index'" in describe(10, "from scratch", indexing)
    searching = ("stopped", {"read": 4.0, "index": 2.0}, 20.0, 300.0, None)
    assert "during 'search'" in describe(10, "from scratch", searching)


def test_candidate_recall_is_measured_against_exact_search(tmp_path, monkeypatch):
    from narrascope.link import claimindex

    claims = [(f"{text} Part {n} of {n * 7 % 11}.", neg, names) for n in range(40) for text, neg, names in CLAIMS]
    db, store, embedder = build(tmp_path, claims)
    exact, details = candidate_recall(store, embedder, 0.5, 5, sample=50)
    assert exact == 1.0 and details["claims"] == 120 and details["sample"] == 50 and details["nlist"] == 0
    monkeypatch.setattr(claimindex.neighbors, "EXACT_MAX", 50)
    monkeypatch.setattr(claimindex, "TRAIN_PER_LIST", 4)
    monkeypatch.setattr(claimindex, "NPROBE", 1)
    shutil.rmtree(folder_for(db))
    recall, details = candidate_recall(store, embedder, 0.5, 5, sample=50)
    assert details["nlist"] > 1 and 0 < recall < 1  # one bucket scanned of several misses some
    assert "candidate recall 0.5" in describe_recall(120, 0.5, details)
    store.close()
