"""`bench scale`: its synthetic store is what enrichment would leave, a run reports its steps, and
a run past its budget says how far it got."""

import numpy as np

from narrascope.bench.scale import add_claims, bench_embedder, describe, run_stage
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
    judging = ("stopped", {"read": 4.0, "search": 9.0, "load": 1.0, "relations": 0.5}, 20.0, 300.0, None)
    assert "during 'judging pairs (load, model, relations)'" in describe(10, "from scratch", judging)
    searching = ("stopped", {"read": 4.0}, 20.0, 300.0, None)
    assert "during 'search'" in describe(10, "from scratch", searching)
