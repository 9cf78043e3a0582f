"""Incremental claim linking: a second batch of articles linked against the stored claims gives the
links and groups a from-scratch run gives, without judging old pairs again."""

from datetime import datetime

import pytest

from narrascope.embeddings import HashingEmbedder
from narrascope.enrich.runner import STAGE as ENRICH
from narrascope.enrich.runner import VERSION as ENRICH_VERSION
from narrascope.link.pairmodel import FixedRelationModel
from narrascope.link.runner import link_all
from narrascope.model import Annotations, Article, Claim, Entity, Mention, Sentence, claim_id
from narrascope.store import SQLStore
from narrascope.store.memory import MemoryStore

GRAIN = "Karavia exported grain worth four billion dollars last year."
GRAIN_SAID = "Karavia exported grain worth four billion dollars last year, officials said."
NEVER = "Karavia has never joined the Western sanctions against Vostok."
COMPLIES = "Karavia complies with the Western sanctions against Vostok."
PORT = "The port of Tarsk in Karavia handled record traffic last year."
PORT_AGAIN = "The port of Tarsk in Karavia handled record traffic last year, the harbour master said."
FIRST = [("a1", "Harbour Times", 1, [GRAIN, PORT]), ("a2", "Tarsk Daily", 2, [GRAIN_SAID, NEVER])]
SECOND = [("a3", "Steppe Courier", 3, [GRAIN, COMPLIES]), ("a4", "Nord Review", 4, [PORT_AGAIN])]
MODEL = {(a, b): p for x, y, p in (
    (GRAIN, GRAIN_SAID, (0.95, 0.04, 0.01)), (NEVER, COMPLIES, (0.02, 0.08, 0.9)),
    (PORT, PORT_AGAIN, (0.9, 0.08, 0.02)), (GRAIN, GRAIN, (0.97, 0.02, 0.01)),
) for a, b in ((x, y), (y, x))}


def add(store, batch, entities: dict[str, Entity]):
    """Articles whose sentences are all claims, each naming Karavia (and Tarsk, Vostok where said)."""
    for aid, outlet, day, sentences in batch:
        text = " ".join(sentences)
        store.add_article(Article(aid, text, title=f"{outlet} on Karavia", outlet=outlet, language="en",
                                  published=datetime(2025, 3, day)))
        ann = Annotations(aid)
        at = 0
        for n, sentence in enumerate(sentences):
            end = at + len(sentence)
            ann.sentences.append(Sentence(aid, at, end, n))
            ann.claims.append(Claim(claim_id(aid, at, end), aid, at, end, 0.9))
            for name in ("Karavia", "Tarsk", "Vostok"):
                if name in sentence:
                    start = at + sentence.index(name)
                    ann.mentions.append(Mention(aid, start, start + len(name), "GPE"))
            at = end + 1
        store.save_annotations_batch([ann], stage=ENRICH, version=ENRICH_VERSION)
    assignments = []
    for ann in store.iter_annotations():
        text = store.get_articles([ann.article_id])[0].text
        for m in ann.mentions:
            name = text[m.start : m.end]
            entities.setdefault(name, Entity(f"e-{name}", name, "GPE", []))
            assignments.append((ann.article_id, m.start, m.end, f"e-{name}"))
    store.replace_entities(list(entities.values()), assignments)


def snapshot(store):
    links = [(x.a, x.b, x.relation, round(x.score, 6), x.reason) for x in store.claim_links()]
    groups = sorted((g.id, tuple(g.claims), g.status, repr(g.origins), g.first_seen, g.summary)
                    for g in store.claim_groups())
    return links, groups


@pytest.fixture(params=["memory", "sql"])
def make_store(request):
    made = []

    def make():
        made.append(MemoryStore() if request.param == "memory" else SQLStore.memory())
        return made[-1]

    yield make
    for store in made:
        store.close()


def test_a_second_batch_links_only_new_claims_and_matches_a_run_from_scratch(make_store, settings):
    store, entities = make_store(), {}
    embedder = HashingEmbedder()
    add(store, FIRST, entities)
    first = link_all(store, settings, embedder=embedder, model=FixedRelationModel(MODEL))
    assert not first.incremental and first.claims == 4
    old_links = snapshot(store)[0]

    add(store, SECOND, entities)
    model = FixedRelationModel(MODEL)
    second = link_all(store, settings, embedder=embedder, model=model)
    assert second.incremental and (second.claims, second.new_claims) == (7, 3)
    new_texts = {GRAIN, COMPLIES, PORT_AGAIN}
    assert model.calls and all(a in new_texts or b in new_texts for a, b in model.calls)
    links, groups = snapshot(store)
    assert set(old_links) <= set(links) and len(links) == second.links
    assert {x[2] for x in links} == {"same", "contradicts", "related"}
    assert {g[2] for g in groups} == {"corroborated", "contradicted"}

    redo = link_all(store, settings, embedder=embedder, model=FixedRelationModel(MODEL), redo=True)
    assert not redo.incremental
    assert snapshot(store) == (links, groups)

    at_once = make_store()
    add(at_once, FIRST + SECOND, {})
    link_all(at_once, settings, embedder=embedder, model=FixedRelationModel(MODEL))
    assert snapshot(at_once) == (links, groups)


def test_nothing_new_judges_nothing_and_changes_nothing(make_store, settings):
    store = make_store()
    add(store, FIRST, {})
    link_all(store, settings, embedder=HashingEmbedder(), model=FixedRelationModel(MODEL))
    before = snapshot(store)
    model = FixedRelationModel(MODEL)
    again = link_all(store, settings, embedder=HashingEmbedder(), model=model)
    assert again.incremental and again.new_claims == 0 and not model.calls
    assert snapshot(store) == before


def test_a_new_claim_entering_an_old_claims_neighbours_is_paired_with_it(make_store, settings):
    """With one neighbour each, the new claim's nearest is o1, but it is o2's nearest: from scratch
    (o2, n) is a candidate, so the incremental run must find it from o2's side."""
    o1 = "Karavia Tarsk grain harbour traffic record tender."
    n = "Karavia Tarsk grain harbour traffic budget vote."
    o2 = "Karavia budget vote delayed by parliament."
    settings = settings.replace({"link": {"neighbours": 1}})
    table = {(a, b): (0.95, 0.04, 0.01) for a in (o1, n, o2) for b in (o1, n, o2)}
    two = make_store()
    add(two, [("a1", "Harbour Times", 1, [o1]), ("a2", "Tarsk Daily", 2, [o2])], {})
    link_all(two, settings, embedder=HashingEmbedder(), model=FixedRelationModel(table))
    add(two, [("a3", "Nord Review", 3, [n])], {})
    link_all(two, settings, embedder=HashingEmbedder(), model=FixedRelationModel(table))
    one = make_store()
    add(one, [("a1", "Harbour Times", 1, [o1]), ("a2", "Tarsk Daily", 2, [o2]), ("a3", "Nord Review", 3, [n])], {})
    link_all(one, settings, embedder=HashingEmbedder(), model=FixedRelationModel(table))
    pairs = {(x.a, x.b) for x in one.claim_links()}
    assert (claim_id("a2", 0, len(o2)), claim_id("a3", 0, len(n))) in pairs
    assert snapshot(two) == snapshot(one)


def test_changed_settings_link_everything_again(make_store, settings):
    store = make_store()
    add(store, FIRST, {})
    link_all(store, settings, embedder=HashingEmbedder(), model=FixedRelationModel(MODEL))
    changed = link_all(store, settings.replace({"link": {"neighbours": 3}}), embedder=HashingEmbedder(),
                       model=FixedRelationModel(MODEL))
    assert not changed.incremental and changed.new_claims == 4


def test_another_relation_model_links_everything_again(make_store, settings):
    store = make_store()
    add(store, FIRST, {})
    link_all(store, settings, embedder=HashingEmbedder(), model=FixedRelationModel(MODEL))
    same = link_all(store, settings, embedder=HashingEmbedder(), model=FixedRelationModel(MODEL))
    assert same.incremental
    retrained = FixedRelationModel(MODEL)
    retrained.version = "another training run"
    again = link_all(store, settings, embedder=HashingEmbedder(), model=retrained)
    assert not again.incremental and again.new_claims == 4


def test_an_inverted_file_index_gives_the_same_result_on_a_small_corpus(make_store, settings, monkeypatch):
    """Beyond link.neighbors.EXACT_MAX claims the index is an inverted file, read back by bucket; with
    one bucket (a corpus this small) it must find what the exact index finds."""
    import narrascope.link.neighbors as neighbors

    exact = make_store()
    add(exact, FIRST + SECOND, {})
    link_all(exact, settings, embedder=HashingEmbedder(), model=FixedRelationModel(MODEL))
    monkeypatch.setattr(neighbors, "EXACT_MAX", 2)
    bucketed = make_store()
    add(bucketed, FIRST, {})
    link_all(bucketed, settings, embedder=HashingEmbedder(), model=FixedRelationModel(MODEL))
    add(bucketed, SECOND, {})
    assert link_all(bucketed, settings, embedder=HashingEmbedder(), model=FixedRelationModel(MODEL)).incremental
    assert snapshot(bucketed) == snapshot(exact)


def test_analyze_redo_links_from_scratch(make_store, settings):
    from narrascope.analysis import analyze

    store = make_store()
    add(store, FIRST, {})
    kwargs = {"embedder": HashingEmbedder(), "relation_model": FixedRelationModel(MODEL), "stages": ("link",)}
    assert not analyze(store, settings, **kwargs).link.incremental
    assert analyze(store, settings, **kwargs).link.incremental
    assert not analyze(store, settings, redo=True, **kwargs).link.incremental


def test_an_article_whose_text_changed_leaves_no_links_or_groups_of_its_old_claims(settings):
    """Ingest updates an article's text (its layers go), enrich finds new claims at new offsets: the
    next incremental run drops the links and groups of the old claims and matches a run from scratch."""
    import numpy as np

    store, entities, embedder = SQLStore.memory(), {}, HashingEmbedder()
    add(store, FIRST + SECOND, entities)
    link_all(store, settings, embedder=embedder, model=FixedRelationModel(MODEL))
    old = {c.id for c in store.annotations("a2").claims}
    assert any(x.a in old or x.b in old for x in store.claim_links())
    lead = "Updated at noon."
    text = f"{lead} {GRAIN_SAID} {NEVER}"
    store.update_article(Article("a2", text, title="Tarsk Daily on Karavia", outlet="Tarsk Daily", language="en",
                                 published=datetime(2025, 3, 2)), minhash=np.zeros(4, dtype=np.uint64), band_keys=[])
    assert store.annotations("a2").claims == []  # nothing read against the old text is left
    ann = Annotations("a2")
    for n, sentence in enumerate((GRAIN_SAID, NEVER)):
        start = text.index(sentence)
        ann.sentences.append(Sentence("a2", start, start + len(sentence), n + 1))
        ann.claims.append(Claim(claim_id("a2", start, start + len(sentence)), "a2", start, start + len(sentence), 0.9))
    store.save_annotations_batch([ann], stage=ENRICH, version=ENRICH_VERSION)

    again = link_all(store, settings, embedder=embedder, model=FixedRelationModel(MODEL))
    assert again.incremental
    links, groups = snapshot(store)
    assert not {c for x in links for c in x[:2]} & old
    assert not {c for g in groups for c in g[1]} & old
    assert store.dangling_claim_refs() == ([], [])
    link_all(store, settings, embedder=embedder, model=FixedRelationModel(MODEL), redo=True)
    assert snapshot(store) == (links, groups)
