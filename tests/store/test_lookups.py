"""The store's bounded reads for the dashboard (store/lookups.py), on each backend, and the
indexes they use, added to a store made before them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from older import as_schema

from narrascope.model import Annotations, Article, Claim, ClaimGroup, ClaimLink
from narrascope.store import schema
from narrascope.store.sql import SQLStore


def _fill(store) -> None:
    day = datetime(2025, 3, 1, tzinfo=UTC)
    rows = [("a1", "Alpha", day), ("a2", "Alpha", None), ("a3", None, day.replace(day=3)), ("a4", "", day.replace(day=2))]
    for aid, outlet, when in rows:
        store.add_article(Article(aid, "One sentence here. Another one there.", title=aid.upper(), outlet=outlet,
                                  published=when, language="en"))
        store.save_annotations(Annotations(aid, claims=[Claim(f"{aid}-c", aid, 0, 18, 0.9),
                                                        Claim(f"{aid}-low", aid, 19, 37, 0.1)]))
    with store.transaction():
        store.replace_claim_links([
            ClaimLink("a1-c", "a2-c", "contradicts", 0.95, "figures differ"),
            ClaimLink("a1-c", "a3-c", "contradicts", 0.95, "dates differ"),
            ClaimLink("a2-c", "a3-c", "contradicts", 0.6, "a candidate"),
            ClaimLink("a1-c", "a4-low", "contradicts", 0.99, "the other claim is not check-worthy"),
            ClaimLink("a3-c", "a4-c", "same", 0.9, "same"),
        ])
        store.replace_claim_groups([
            ClaimGroup("g-big", ["a1-c", "a2-c", "a3-c"], "single-origin", []),
            ClaimGroup("g-pair", ["a4-c", "a4-low"], "corroborated", []),
            ClaimGroup("g-alone", ["a1-low"], "contradicted", []),
            ClaimGroup("g-one", ["a2-low"], "unverified", []),
        ])


def test_contradictions_between_check_worthy_claims_most_confident_first(store):
    _fill(store)
    confident = store.contradiction_links(0.5, 0.9, True)
    assert [(k.a, k.b) for k in confident] == [("a1-c", "a3-c"), ("a1-c", "a2-c")]  # ties by reason
    assert store.count_contradictions(0.5, 0.9, True) == 2
    assert [(k.a, k.b) for k in store.contradiction_links(0.5, 0.9, False)] == [("a2-c", "a3-c")]
    assert [(k.a, k.b) for k in store.contradiction_links(0.5, 0.9, True, limit=1, offset=1)] == [("a1-c", "a2-c")]


def test_recurring_groups_by_status_then_size(store):
    _fill(store)
    # contradicted first whatever its size, then groups of more than one claim; a lone claim is left out
    assert store.recurring_group_ids(10) == ["g-alone", "g-pair", "g-big"]
    assert store.recurring_group_ids(2) == ["g-alone", "g-pair"]
    groups = store.groups_by_id(["g-big", "nope"])
    assert list(groups) == ["g-big"] and groups["g-big"].claims == ["a1-c", "a2-c", "a3-c"]


def test_an_outlets_newest_articles_and_the_unknown_outlet(store):
    _fill(store)
    found, total = store.outlet_articles("Alpha", 10)
    assert [a.id for a in found] == ["a1", "a2"] and total == 2  # undated last
    assert all(a.text == "" for a in found)  # lists never read the text
    unknown, total = store.outlet_articles("(unknown outlet)", 10)
    assert [a.id for a in unknown] == ["a3", "a4"] and total == 2  # missing and empty names alike
    assert store.outlet_names() == ["(unknown outlet)", "Alpha"]
    counts = store.overview_counts(0.5)
    assert (counts["articles"], counts["outlets"], counts["claims"], counts["claim_groups"]) == (4, 2, 4, 4)
    assert store.claim_counts(["a1", "a2", "zz"], 0.5) == {"a1": 1, "a2": 1}
    assert store.claim_texts(["a1-c"]) == {"a1-c": "One sentence here."}


def test_a_store_made_before_the_indexes_gets_them_on_opening(tmp_path):
    db = tmp_path / "old.db"
    SQLStore(str(db)).close()
    # as schema 3 left it: none of the dashboard's indexes
    as_schema(db, 3, "DROP INDEX ix_stories_size", "DROP INDEX ix_claim_links_relation",
              "DROP INDEX ix_stances_article_id")
    SQLStore(str(db), create=False).close()
    with sqlite3.connect(db) as conn:
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
    assert {"ix_stories_size", "ix_claim_links_relation", "ix_stances_article_id"} <= indexes
    assert version == str(schema.SCHEMA_VERSION)


def test_a_schema_5_store_gets_the_outlet_and_claim_indexes_and_the_planner_uses_them(tmp_path):
    db = tmp_path / "five.db"
    store = SQLStore(str(db))
    _fill(store)
    store.close()
    as_schema(db, 5, "DROP INDEX ix_articles_outlet_newest", "DROP INDEX ix_claims_article_cw")
    store = SQLStore(str(db), create=False)
    found, total = store.outlet_articles("Alpha", 10)
    assert [a.id for a in found] == ["a1", "a2"] and total == 2  # the same order from the index: undated last
    assert store.claim_counts(["a1", "a2"], 0.5) == {"a1": 1, "a2": 1}
    store.close()
    with sqlite3.connect(db) as conn:
        def plan(sql: str) -> str:
            return " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + sql))

        newest = plan("SELECT id FROM articles WHERE outlet = 'Alpha' ORDER BY published_utc DESC NULLS LAST, seq LIMIT 200")
        counts = plan("SELECT article_id, count(*) FROM claims WHERE article_id IN ('a1', 'a2') "
                      "AND checkworthiness >= 0.5 GROUP BY article_id")
    assert "ix_articles_outlet_newest" in newest and "TEMP B-TREE" not in newest  # no sort of the outlet's articles
    assert "COVERING INDEX ix_claims_article_cw" in counts  # no claim row read


def test_a_claims_attribution_alone_is_the_one_its_annotations_give_it(store):
    from narrascope.model import Attribution

    said = Attribution("a1", 0, 18, "The minister", 19, 31, "said", "reported")
    store.add_article(Article("a1", "One sentence here. The minister said.", outlet="Alpha"))
    store.save_annotations(Annotations("a1", claims=[Claim("c-said", "a1", 0, 18, 0.9, attribution=said),
                                                     Claim("c-none", "a1", 19, 37, 0.9)], attributions=[said]))
    in_annotations = {c.id: c.attribution for c in store.annotations("a1").claims}
    assert store.attribution_of("c-said") == in_annotations["c-said"] == said
    assert store.attribution_of("c-none") is None is in_annotations["c-none"]
    assert store.attribution_of("no-such-claim") is None
