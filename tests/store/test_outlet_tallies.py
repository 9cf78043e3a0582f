"""The tallies per outlet the narratives stage's outlet views are made of, counted by the database
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from narrascope.model import Annotations, Article, Citation, Claim, ClaimGroup, Stance, TechniqueSpan

DAY = datetime(2025, 3, 1, 12, tzinfo=UTC)


def _seed(store):
    east = timezone(timedelta(hours=5))
    for aid, outlet, lang, published, dup in (
        ("a1", "Tarsk Times", "en", DAY, None),
        ("a2", "Tarsk Times", "ru", DAY.astimezone(east), None),  # the same moment, written in another zone
        ("a3", "Tarsk Times", "en", DAY + timedelta(days=3), "a1"),
        ("a4", None, "en", None, None),
    ):
        store.add_article(Article(aid, f"text {aid}", outlet=outlet, language=lang, published=published,
                                  duplicate_of=dup))
        store.save_annotations_batch([Annotations(aid, claims=[Claim(f"{aid}c", aid, 0, 4, 0.9)],
                                                  citations=[Citation(aid, 0, 4, "TASS", "reports")])])
        store.replace_techniques([aid], [TechniqueSpan(aid, 0, 1, "doubt", 0.9)])
        store.save_stances([Stance("t1", aid, "support", 0.8)], "1")
    store.replace_claim_groups([ClaimGroup("g1", ["a1c", "a2c"], "corroborated", []),
                                ClaimGroup("g2", ["a3c", "a4c"], "contradicted", [])])


def test_counts_per_outlet(store):
    _seed(store)
    assert sorted(store.outlet_article_counts(), key=str) == sorted(
        [("Tarsk Times", "en", 2, 1), ("Tarsk Times", "ru", 1, 0), (None, "en", 1, 0)], key=str)
    assert sorted(store.outlet_counts("citations"), key=str) == sorted([("Tarsk Times", "TASS", 3), (None, "TASS", 1)],
                                                                       key=str)
    assert sorted(store.outlet_counts("techniques"), key=str) == sorted([("Tarsk Times", "doubt", 3),
                                                                         (None, "doubt", 1)], key=str)
    # a group counts once per outlet that carries it, however many of its claims are the outlet's
    assert sorted(store.outlet_counts("claim_statuses"), key=str) == sorted(
        [("Tarsk Times", "corroborated", 1), ("Tarsk Times", "contradicted", 1), (None, "contradicted", 1)], key=str)


def test_first_and_last_published_as_written(store):
    _seed(store)
    (outlet, first, last), = store.outlet_published_range()
    assert outlet == "Tarsk Times" and first == DAY and first.utcoffset() == timedelta(0)  # the one ingested first
    assert last == DAY + timedelta(days=3)


def test_stance_rows_of_known_outlets_only(store):
    _seed(store)
    assert [(o, t, a, label) for o, t, a, label, _ in store.outlet_stance_rows()] == [
        ("Tarsk Times", "t1", aid, "support") for aid in ("a1", "a2", "a3")]
