"""Incremental canonicalisation: a corpus analysed in two batches groups its mentions as one batch
does, and a run from scratch (``redo``) is still there."""

from __future__ import annotations

import pytest

from narrascope.analysis import analyze
from narrascope.ingest.dedup import MinHasher
from narrascope.model import Article
from narrascope.store import SQLStore
from narrascope.store.memory import MemoryStore

FIRST = [
    ("a1", "President Kassym-Jomart Tokayev met investors in Almaty on Monday. Tokayev said that trade "
           "with China grew last year."),
    ("a2", "The Northern Trade Council (NTC) met in Astana on Tuesday. The NTC said that exports to China "
           "rose by ten percent."),
]
SECOND = [
    # a relative with another given name, and the bare surname beside both: neither of them
    ("a3", "Timur Tokayev, the son of Kassym-Jomart Tokayev, opened a bank in Almaty. Tokayev declined "
           "to comment on the bank."),
    # the acronym alone: the definition is in another article
    ("a4", "Officials of the NTC met in Bishkek on Friday. The NTC backed the plan for a new road."),
    # the bare surname alone: resolved in its story
    ("a5", "Tokayev spoke in Almaty about trade with China on Wednesday."),
]


def _add(store, items):
    for aid, text in items:
        store.add_article(Article(aid, text, language="en", outlet="Tarsk Times"))


def _grouping(store) -> set[frozenset]:
    return {frozenset((m.article_id, m.start, m.end) for m in found) for _, found in store.iter_entities()}


def _names(store) -> dict[str, set[str]]:
    texts = {a.id: a.text for a in store.iter_articles()}
    return {e.name: {texts[m.article_id][m.start:m.end] for m in found} for e, found in store.iter_entities()}


@pytest.mark.parametrize("make", [SQLStore.memory, MemoryStore], ids=["sqlite", "memory"])
def test_two_batches_group_entities_as_one_batch_does(make, settings):
    whole = make()
    _add(whole, FIRST + SECOND)
    analyze(whole, settings, stages=("enrich",))
    batches = make()
    _add(batches, FIRST)
    analyze(batches, settings, stages=("enrich",))
    _add(batches, SECOND)
    analyze(batches, settings, stages=("enrich",))
    assert _grouping(batches) == _grouping(whole)
    assert sorted(e.id for e, _ in batches.iter_entities()) == sorted(e.id for e, _ in whole.iter_entities())
    names = _names(batches)
    president = next(forms for name, forms in names.items() if name == "Kassym-Jomart Tokayev")
    assert "Tokayev" in president  # the bare surname of a1 (and a5, through its story)
    assert "Timur Tokayev" not in president  # the son is a person of his own
    ntc = next(forms for name, forms in names.items() if name == "Northern Trade Council")
    assert "NTC" in ntc and sum(1 for forms in names.values() if "NTC" in forms) == 1


def test_only_new_articles_are_read_and_redo_starts_from_scratch(settings, monkeypatch):
    from narrascope.enrich import canonical_batches, runner

    store = SQLStore.memory()
    _add(store, FIRST)
    analyze(store, settings, stages=("enrich",))
    read: list[list[str]] = []
    real = canonical_batches.canonicalize_batch
    monkeypatch.setattr(runner, "canonicalize_batch", lambda s, ids: read.append(ids) or real(s, ids))
    _add(store, SECOND)
    analyze(store, settings, stages=("enrich",))
    assert read == [["a3", "a4", "a5"]]
    incremental = _grouping(store)
    scratch = runner._from_scratch
    ran = []
    monkeypatch.setattr(runner, "_from_scratch", lambda s: ran.append(1) or scratch(s))
    analyze(store, settings, stages=("enrich",), redo=True)
    assert ran == [1] and _grouping(store) == incremental


def test_entities_of_a_changed_article_go_with_its_old_text(settings):
    store = SQLStore.memory()
    _add(store, FIRST)
    analyze(store, settings, stages=("enrich",))
    assert any(e.name == "Northern Trade Council" for e, _ in store.iter_entities())
    changed = Article("a2", "The harvest in the north was late this year because of the rain.", language="en",
                      outlet="Tarsk Times")
    hasher = MinHasher()
    minhash = hasher.signature(changed.text)
    store.update_article(changed, minhash=minhash, band_keys=hasher.band_keys(minhash))
    analyze(store, settings, stages=("enrich",))
    assert not any(e.name == "Northern Trade Council" for e, _ in store.iter_entities())
    assert all(found for _, found in store.iter_entities())


@pytest.mark.parametrize("make", [SQLStore.memory, MemoryStore], ids=["sqlite", "memory"])
def test_stories_read_from_the_store_are_those_found_over_all_bags(make):
    import random
    from collections import Counter

    from narrascope.enrich.canonical_batches import StoredStories
    from narrascope.enrich.stories_near import neighbours

    rng = random.Random(7)
    keys = [f"name{i}" for i in range(12)]
    bags = {f"a{n}": Counter(rng.choices(keys[: 4 + n % 8], k=3 + n % 5)) for n in range(30)}
    store = make()
    store.replace_name_keys([], [("s", k, a, i) for a, bag in bags.items() for i, k in enumerate(bag.elements())])
    # a few keys are in more than the common share of the articles: not walked, as over all bags
    want = neighbours(bags)
    stories = StoredStories(store)
    assert {a: stories.get(a) for a in bags} == want
    assert any(want.values()) and not all(len(v) == len(bags) - 1 for v in want.values())
    assert stories.get("not-stored") == frozenset()


def test_an_acronym_a_later_article_makes_ambiguous_is_read_again(settings):
    first = [("b1", "The Northern Trade Council met in Astana on Tuesday. Later the NTC said that exports rose.")]
    second = [("b2", "The National Tax Committee met in Bishkek on Friday and approved the new rates.")]
    store = SQLStore.memory()
    _add(store, first)
    analyze(store, settings, stages=("enrich",))
    assert "NTC" in _names(store)["Northern Trade Council"]  # the one name whose initials spell it
    _add(store, second)
    analyze(store, settings, stages=("enrich",))
    names = _names(store)
    assert names["NTC"] == {"NTC"} and "NTC" not in names["Northern Trade Council"]  # two names spell it now
    whole = SQLStore.memory()
    _add(whole, first + second)
    analyze(whole, settings, stages=("enrich",))
    assert _grouping(store) == _grouping(whole)
