"""The overview's counts kept by the store's writes (store/summary.py) equal the whole-table
aggregates after every kind of write, on each backend, and an older store gets them counted."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from older import as_schema

from narrascope.link.stories import Story
from narrascope.model import Annotations, Article, Claim, ClaimGroup, ClaimLink, TechniqueSpan, Thesis
from narrascope.store import schema
from narrascope.store.sql import SQLStore

MIN_CW, CONFIDENT = 0.5, 0.9


def aggregates(store, min_cw: float = MIN_CW, confident: float = CONFIDENT) -> dict:
    """The counts as the store's tables give them now, each one aggregate query."""
    counts = store.overview_counts(min_cw)
    counts["contradictions"] = store.count_contradictions(min_cw, confident, True)
    counts["contradiction_candidates"] = store.count_contradictions(min_cw, confident, False)
    return counts


def assert_kept(store, min_cw: float = MIN_CW, confident: float = CONFIDENT) -> None:
    stored = store.stored_overview(min_cw, confident)
    assert stored is not None
    assert stored == aggregates(store, min_cw, confident)
    assert list(stored["languages"]) == list(aggregates(store, min_cw, confident)["languages"])  # first seen first


def _article(aid: str, outlet: str | None, language: str = "en", text: str = "One claim here. Another one there.") -> Article:
    return Article(aid, text, title=aid, outlet=outlet, language=language, published=datetime(2025, 3, 1, tzinfo=UTC))


def _claims(aid: str, high: float = 0.9) -> Annotations:
    return Annotations(aid, claims=[Claim(f"{aid}-c", aid, 0, 15, high), Claim(f"{aid}-low", aid, 16, 34, 0.1)])


def test_every_write_keeps_the_counts(store):
    store.track_thresholds(MIN_CW, CONFIDENT)
    assert_kept(store)
    for aid, outlet, lang in (("a1", "Alpha", "en"), ("a2", "Beta", "ru"), ("a3", None, "en"), ("a4", "", "")):
        store.add_article(_article(aid, outlet, lang))
        assert_kept(store)
    store.save_annotations_batch([_claims(a) for a in ("a1", "a2", "a3", "a4")])
    store.add_claim_links([ClaimLink("a1-c", "a2-c", "contradicts", 0.95, "figures differ"),
                           ClaimLink("a2-c", "a3-c", "contradicts", 0.6, "a candidate"),
                           ClaimLink("a1-c", "a4-low", "contradicts", 0.99, "one side not check-worthy"),
                           ClaimLink("a3-c", "a4-c", "same", 0.9, "same")])
    assert_kept(store)
    store.add_claim_links([ClaimLink("a2-c", "a3-c", "contradicts", 0.93, "now confident")])  # same pair again
    assert_kept(store)
    store.remove_claim_links([("a1-c", "a2-c")])
    assert_kept(store)
    store.save_annotations(_claims("a3", high=0.2))  # a re-enriched article: its claim is no longer check-worthy
    assert_kept(store)
    store.replace_claim_groups([ClaimGroup("g1", ["a1-c", "a2-c"], "corroborated", []),
                                ClaimGroup("g2", ["a3-c"], "contradicted", [])])
    store.replace_claim_groups([ClaimGroup("g3", ["a2-c", "a1-c"], "single-origin", [])], of_claims=["a2-c"])
    assert_kept(store)
    store.save_stories([Story("s1", np.zeros(4), 2), Story("s2", np.zeros(4), 1)], [("a1", "s1", 0.9), ("a2", "s2", 0.8)])
    store.save_stories([Story("s1", np.zeros(4), 3)], [("a3", "s1", 0.7)])
    store.add_theses([Thesis("t1", "A thesis.")])
    store.add_theses([Thesis("t1", "A thesis."), Thesis("t2", "Another.")])
    store.replace_techniques(["a1"], [TechniqueSpan("a1", 0, 3, "doubt", 0.9), TechniqueSpan("a1", 4, 9, "doubt", 0.8)])
    store.replace_techniques(["a1"], [TechniqueSpan("a1", 0, 3, "doubt", 0.9)])
    store.set_duplicate("a2", "a1", "near", 0.9)
    assert_kept(store)
    store.update_article(_article("a1", "Gamma", "ru", text="A new text altogether, longer than before."),
                         minhash=np.zeros(4, dtype=np.uint64), band_keys=[])  # its claims and spans go
    assert_kept(store)
    store.replace_claim_links([ClaimLink("a1-c", "a2-c", "contradicts", 0.6, "again")])
    store.replace_claim_groups([])
    assert_kept(store)
    counts = store.stored_overview(MIN_CW, CONFIDENT)
    assert (counts["articles"], counts["outlets"], counts["copies"], counts["techniques"]) == (4, 3, 1, 0)
    assert counts["languages"] == {"en": 1, "ru": 2, "unknown": 1} and counts["contradiction_candidates"] == 0


def test_thresholds_are_tracked_from_when_asked_and_others_are_not_claimed(store):
    store.add_article(_article("a1", "Alpha"))
    store.save_annotations(_claims("a1", high=0.7))
    assert store.stored_overview(0.65, 0.5)["claims"] is None  # not tracked: the reader counts it itself
    store.track_thresholds(0.65, 0.5)
    assert_kept(store, 0.65, 0.5)
    store.add_article(_article("a2", "Alpha"))
    store.save_annotations(_claims("a2", high=0.66))
    assert_kept(store, 0.65, 0.5)
    assert_kept(store)  # the shipped defaults are tracked from the start


def test_an_older_store_gets_the_counts_when_opened(tmp_path):
    db = tmp_path / "old.db"
    store = SQLStore(str(db))
    for aid in ("a1", "a2"):
        store.add_article(_article(aid, "Alpha"))
        store.save_annotations(_claims(aid))
    store.add_claim_links([ClaimLink("a1-c", "a2-c", "contradicts", 0.95, "figures differ")])
    store.replace_claim_groups([ClaimGroup("g1", ["a1-c", "a2-c"], "contradicted", [])])
    store.close()
    # as schema 4 left it: no summary
    as_schema(db, 4, "DROP TABLE summary", "DROP INDEX ix_claim_groups_status_size",
              "ALTER TABLE claim_groups DROP COLUMN size")
    store = SQLStore(str(db), create=False)
    assert_kept(store)
    assert store.recurring_group_ids(5) == ["g1"]  # its size counted when the column was added
    counts = store.stored_overview(MIN_CW, CONFIDENT)
    assert (counts["claims"], counts["contradictions"], counts["statuses"]) == (2, 1, {"contradicted": 1})
    store.close()


def test_a_store_never_counted_is_left_to_the_aggregates(store):
    with store.engine.begin() as conn:
        conn.execute(schema.summary.delete())
    store.add_article(_article("a1", "Alpha"))  # no summary to keep, and none half-made
    assert store.stored_overview(MIN_CW, CONFIDENT) is None
    store.recount_summary()
    store.track_thresholds(MIN_CW, CONFIDENT)
    assert_kept(store)


def test_the_pipeline_keeps_the_counts(demo_db, tmp_path, settings):
    """Ingest and analyze (the demo store), a changed article ingested again, analyze, analyze --redo."""
    import json
    import shutil

    from narrascope import analyze
    from narrascope.ingest import ingest_paths

    db = tmp_path / "kept.db"
    shutil.copy(demo_db, db)
    store = SQLStore(str(db))
    assert_kept(store, settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    record = {"title": "Ferries", "language": "en", "published": "2025-02-21T08:00:00Z",
              "text": "The ferry line to Tarsk reopened on Monday, officials said. Tickets cost $12 this year, "
                      "up from $9. Critics say the line should never have closed."}
    source = tmp_path / "late.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest_paths([str(source)], store, settings)
    assert_kept(store, settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    analyze(store, settings)
    assert_kept(store, settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    source.write_text(json.dumps({**record, "outlet": "Renamed Outlet"}) + "\n", encoding="utf-8")
    ingest_paths([str(source)], store, settings)  # the same document read again, stating its outlet: updated in place
    assert "Renamed Outlet" in store.outlet_names() and store.count_articles() == 15
    assert_kept(store, settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    for redo in (False, True):
        analyze(store, settings, redo=redo)
        assert_kept(store, settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    counts = store.stored_overview(settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    assert counts["claims"] > 0 and counts["claim_groups"] > 0 and counts["contradictions"] > 0
    store.close()


def test_add_articles_in_bulk_counts_and_numbers_like_one_at_a_time(store):
    store.track_thresholds(MIN_CW, CONFIDENT)
    store.add_article(_article("a0", "Alpha", "ru"))
    batch = [_article("a1", "Alpha", "en"), _article("a2", None, "ru"), _article("a0", "Beta", "en"),
             _article("a1", "Gamma", "en"), _article("a3", "Beta", "")]
    assert store.add_articles(batch) == 3  # a0 is stored already, a1 comes twice: stored once
    assert_kept(store)
    assert [a.outlet for a in store.get_articles(["a0", "a1", "a2", "a3"])] == ["Alpha", "Alpha", None, "Beta"]
    assert store.add_articles([_article("a2", "Beta")]) == 0
    assert_kept(store)
    assert store.count_articles() == 4
