"""The store's reads and writes for incremental linking, on SQLite and the in-memory double alike
(and PostgreSQL where a server is given)."""

import pytest

import narrascope.store.linking as linking
from narrascope.model import Annotations, Article, Attribution, Claim, ClaimGroup, ClaimLink, Entity, Mention
from narrascope.store.memory import MemoryStore

TEXT = "Officials said that Karavia exported grain worth four billion dollars. Tarsk grew."


def fill(store):
    for aid in ("a1", "a2", "a3"):
        store.add_article(Article(aid, TEXT, outlet="Wire"))
        said = Attribution(aid, 20, 70, "Officials", 0, 9, "said", "indirect")
        store.save_annotations_batch([Annotations(
            aid, attributions=[said], mentions=[Mention(aid, 20, 27, "GPE"), Mention(aid, 71, 76, "GPE")],
            claims=[Claim(f"{aid}-c1", aid, 0, 70, 0.9, attribution=said), Claim(f"{aid}-c2", aid, 71, 82, 0.2)])])
    store.replace_entities([Entity("e1", "Karavia", "GPE", [])], [("a1", 20, 27, "e1"), ("a3", 20, 27, "e1")])


@pytest.fixture(params=["sql", "memory"])
def any_store(request, store):
    return store if request.param == "sql" else MemoryStore()


def test_claims_are_read_a_page_of_articles_at_a_time_with_their_attribution(any_store, monkeypatch):
    monkeypatch.setattr(linking, "_ARTICLE_PAGE", 2)
    fill(any_store)
    pages = list(any_store.claim_spans(0.5))
    assert [row for page in pages for row in page] == [
        (f"{a}-c1", a, 0, 70, 20, 70) for a in ("a1", "a2", "a3")]
    assert len(pages) >= 2 or isinstance(any_store, MemoryStore)


def test_entity_spans_name_the_canonical_entity_of_each_mention(any_store):
    fill(any_store)
    assert any_store.entity_spans(["a1", "a2"]) == {"a1": [(20, 27, "e1", "Karavia")]}


def test_links_are_added_over_stored_ones_and_read_by_claim(any_store):
    any_store.replace_claim_links([ClaimLink("x", "y", "related", 0.3, "r"), ClaimLink("y", "z", "same", 0.9, "s")])
    any_store.add_claim_links([ClaimLink("x", "y", "same", 0.95, "now"), ClaimLink("z", "w", "contradicts", 0.9, "c")])
    assert [(k.a, k.b, k.relation) for k in any_store.claim_links_of(["x"])] == [("x", "y", "same")]
    assert {(k.a, k.b) for k in any_store.claim_links_of(["z"])} == {("y", "z"), ("z", "w")}
    assert any_store.link_counts() == (3, 1, 0)


def test_groups_of_some_claims_are_replaced_and_the_rest_kept(any_store):
    any_store.replace_claim_groups([ClaimGroup("g1", ["x", "y"], "corroborated", []),
                                    ClaimGroup("g2", ["z"], "single-origin", [])])
    any_store.replace_claim_groups([ClaimGroup("g3", ["x", "y", "w"], "corroborated", [])], of_claims=["x", "w"])
    assert sorted((g.id, g.claims) for g in any_store.claim_groups()) == [("g2", ["z"]), ("g3", ["w", "x", "y"])]


def test_stage_marks_in_bulk_and_counted_by_version(any_store):
    fill(any_store)
    any_store.mark_done_many("link", ["a1", "a2"], "v1")
    any_store.mark_done_many("link", ["a2", "a3"], "v2")
    assert any_store.stage_versions("link") == {"v1": 1, "v2": 2}
    assert any_store.articles_needing("link", "v2") == ["a1"]
    assert any_store.article_ids() == ["a1", "a2", "a3"]


def test_cached_vectors_are_read_in_bulk_batches_of_one_model_and_kind(any_store):
    import numpy as np

    vectors = {f"a{n}:0:{n}": np.full(4, n, dtype=np.float32) for n in range(7)}
    any_store.save_vectors("m", "span", vectors)
    any_store.save_vectors("other", "span", {"a0:0:0": np.ones(4, dtype=np.float32)})
    any_store.save_vectors("m", "article", {"a0:0:0": np.ones(4, dtype=np.float32)})
    batches = list(any_store.iter_vectors("m", "span", batch=3))
    assert [len(keys) for keys, _ in batches] == [3, 3, 1]
    found = {k: v for keys, block in batches for k, v in zip(keys, block, strict=True)}
    assert set(found) == set(vectors) and all(np.array_equal(found[k], vectors[k]) for k in vectors)
    assert all(block.dtype == np.float32 and block.shape[1] == 4 for _, block in batches)
    assert list(any_store.iter_vectors("none", "span")) == []


def test_replaced_vectors_take_the_place_of_those_kept_under_their_keys(any_store):
    import numpy as np

    any_store.save_vectors("m", "span", {"a1:0:5": np.zeros(4, dtype=np.float32)})
    any_store.replace_vectors("m", "span", {"a1:0:5": np.ones(4, dtype=np.float32),
                                            "a2:0:5": np.full(4, 2, dtype=np.float32)})
    found = any_store.load_vectors("m", "span", ["a1:0:5", "a2:0:5"])
    assert found["a1:0:5"].tolist() == [1.0] * 4 and found["a2:0:5"].tolist() == [2.0] * 4
    assert any_store.load_vectors("other", "span", ["a1:0:5"]) == {}
