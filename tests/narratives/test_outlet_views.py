"""Outlet views counted by the store (SQL aggregates) equal what the whole-corpus functions make of
every article, on SQLite and on the in-memory double, and do not depend on how the articles came
in: two batches give what one gives."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from narrascope.model import Annotations, Article, Citation, Claim, ClaimGroup, Stance, TechniqueSpan
from narrascope.narratives.profiles import compute_outlet_views, outlet_profiles, store_outlet_views
from narrascope.narratives.theses import outlet_stances
from narrascope.store import SQLStore
from narrascope.store.memory import MemoryStore

PLUS3 = timezone(timedelta(hours=3))


def _corpus():
    """Articles of three outlets and of none, with their citations, claims, techniques, stances."""
    day = datetime(2025, 3, 1, 12, tzinfo=UTC)
    rows = [
        # id, outlet, language, published, duplicate_of, cited sources, techniques, stance labels (t1, t2)
        ("a1", "Tarsk Times", "en", day, None, ["Baltic Ledger"], ["doubt"], ("support", "oppose")),
        ("a2", "Tarsk Times", "ru", day.replace(month=4).astimezone(PLUS3), None, ["Baltic Ledger", "TASS"], [],
         ("support", "unrelated")),
        ("a3", "Nord Review", "en", None, "a1", [], ["doubt", "loaded_language"], ("oppose", "unrelated")),
        ("a4", None, None, day.replace(day=2), None, ["TASS"], ["doubt"], ("support", "support")),
        ("a5", "", "en", day.replace(day=3), None, [], [], ("unrelated", "unrelated")),
        ("a6", "Nord Review", "kk", day - timedelta(days=40), None, ["TASS", "TASS"], [], ("discuss", "support")),
        ("a7", "Ümit Daily", "kk", day.replace(day=5), None, [], ["flag_waving"], ("oppose", "support")),
    ]
    out = []
    for aid, outlet, lang, published, dup, sources, techs, labels in rows:
        article = Article(aid, f"text of {aid}", outlet=outlet, language=lang, published=published, duplicate_of=dup)
        ann = Annotations(aid, claims=[Claim(f"{aid}c{i}", aid, 0, 4, 0.9) for i in range(2)],
                          citations=[Citation(aid, 0, 4, s, "reports") for s in sources])
        spans = [TechniqueSpan(aid, i, i + 1, t, 0.8) for i, t in enumerate(techs)]
        stances = [Stance(t, aid, label, 0.7) for t, label in zip(("t1", "t2"), labels, strict=True)]
        out.append((article, ann, spans, stances))
    groups = [ClaimGroup("g1", ["a1c0", "a2c0", "a3c0"], "corroborated", []),
              ClaimGroup("g2", ["a1c1"], "single-origin", []),
              ClaimGroup("g3", ["a4c0", "a6c1", "a7c0"], "contradicted", []),
              ClaimGroup("g4", ["a5c0", "a6c0"], "unverified", [])]
    return out, groups


def _load(store, items, groups, stored=()) -> None:
    """Add ``items`` to a store already holding ``stored``; the claim groups are then those of all."""
    for article, ann, spans, stances in items:
        store.add_article(article)
        store.save_annotations_batch([ann])
        store.replace_techniques([article.id], spans)
        store.save_stances(stances, "1")
    known = {c.id for _, ann, _, _ in (*stored, *items) for c in ann.claims}
    store.replace_claim_groups([g for g in groups if known.issuperset(g.claims)])


def _expected(items, groups):
    pairs = [(a, ann) for a, ann, _, _ in items]
    stances = outlet_stances([s for *_, found in items for s in found], {a.id: a for a, _ in pairs})
    profiles = outlet_profiles(pairs, groups, stances, [t for _, _, spans, _ in items for t in spans])
    return stances, profiles


@pytest.mark.parametrize("make", [SQLStore.memory, MemoryStore], ids=["sqlite", "memory"])
def test_the_store_s_tallies_equal_the_whole_corpus_computation(make):
    items, groups = _corpus()
    store = make()
    _load(store, items, groups)
    stances, profiles = compute_outlet_views(store)
    want_stances, want_profiles = _expected(items, groups)
    assert stances == want_stances
    assert [p.as_record() for p in profiles] == [p.as_record() for p in want_profiles]
    tarsk = next(p for p in profiles if p.outlet == "Tarsk Times")
    # the earliest and latest by the clock, each as written (the April one in its own zone)
    assert tarsk.first_published == items[0][0].published and tarsk.last_published.utcoffset() == timedelta(hours=3)
    assert {p.outlet for p in profiles} == {"Tarsk Times", "Nord Review", "Ümit Daily", "(unknown outlet)"}


@pytest.mark.parametrize("make", [SQLStore.memory, MemoryStore], ids=["sqlite", "memory"])
def test_outlet_views_after_two_batches_equal_those_of_one(make):
    items, groups = _corpus()
    whole = make()
    _load(whole, items, groups)
    store_outlet_views(whole)
    batches = make()
    _load(batches, items[:3], groups)
    store_outlet_views(batches)
    first = batches.outlet_view_records("profile")
    _load(batches, items[3:], groups, items[:3])
    store_outlet_views(batches)
    assert batches.outlet_view_records("profile") != first  # the second batch changed them
    for kind in ("stance", "profile"):
        assert batches.outlet_view_records(kind) == whole.outlet_view_records(kind)


def test_stances_are_read_a_page_at_a_time(monkeypatch):
    from narrascope.store import outlet_tallies

    items, groups = _corpus()
    store = SQLStore.memory()
    _load(store, items, groups)
    whole = list(store.outlet_stance_rows())
    monkeypatch.setattr(outlet_tallies, "PAGE", 2)
    assert list(store.outlet_stance_rows()) == whole and len(whole) == 10
