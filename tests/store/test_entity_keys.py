"""The lookups incremental canonicalisation reads the store through, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter

from narrascope.model import Annotations, Article, Entity, Mention

TEXT = "Kassym-Jomart Tokayev met the NTC in Almaty. Tokayev spoke."


def _seed(store):
    for aid in ("a1", "a2"):
        store.add_article(Article(aid, TEXT, language="en"))
        store.save_annotations_batch([Annotations(aid, mentions=[
            Mention(aid, 0, 21, "PERSON"), Mention(aid, 30, 33, "ORG"), Mention(aid, 37, 43, "GPE"),
            Mention(aid, 45, 52, "PERSON")])])
    store.replace_entities([Entity("e1", "Kassym-Jomart Tokayev", "PERSON", []), Entity("e2", "NTC", "ORG", []),
                            Entity("e3", "Almaty", "GPE", [])],
                           [("a1", 0, 21, "e1"), ("a1", 45, 52, "e1"), ("a2", 0, 21, "e1"), ("a1", 30, 33, "e2")])
    store.replace_name_keys(["a1", "a2"], [
        ("n", "tokaev", "a1", 0), ("n", "tokaev", "a1", 45), ("n", "tokaev", "a2", 45), ("a", "NTC", "a1", 30),
        ("n", "almati", "a1", 37), ("n", "almati", "a2", 37), ("n", "almatinsk", "a2", 37),
        ("s", "tokaev", "a1", 0), ("s", "tokaev", "a1", 45), ("s", "almati", "a1", 37), ("s", "tokaev", "a2", 0)])


def test_mentions_are_found_by_their_keys_and_entities(store):
    _seed(store)
    assert store.spots_with_keys("n", ["tokaev", "nothing"]) == {("a1", 0), ("a1", 45), ("a2", 45)}
    assert store.spots_with_keys("a", ["NTC"]) == {("a1", 30)}
    assert sorted(store.key_values_from("n", "alm")) == ["almati", "almatinsk"]
    assert store.spots_of_entities(["e1"]) == {("a1", 0), ("a1", 45), ("a2", 0)}
    rows = list(store.mention_rows_at({("a1", 30), ("a2", 0)}))
    assert [(r["article_id"], r["start"], text[r["start"]:r["end"]]) for r, text in rows] == [
        ("a1", 30, "NTC"), ("a2", 0, "Kassym-Jomart Tokayev")]
    assert store.entity_ids_at({("a1", 30), ("a2", 0), ("a2", 37)}) == {"e1", "e2"}
    assert [r["article_id"] for r, _ in store.mention_rows(["a2"])] == ["a2"] * 4


def test_story_keys_are_counted_per_article(store):
    _seed(store)
    assert store.story_bags(["a1", "a2"]) == {"a1": Counter({"tokaev": 2, "almati": 1}), "a2": Counter({"tokaev": 1})}
    assert store.story_key_counts(["tokaev", "almati", "none"]) == {"tokaev": 2, "almati": 1}
    assert sorted(store.story_articles("tokaev")) == ["a1", "a2"] and store.count_story_articles() == 2
    assert store.story_postings(["tokaev", "almati", "none"]) == {"tokaev": ["a1", "a2"], "almati": ["a1"]}
    store.replace_name_keys(["a2"], [])
    assert store.count_story_articles() == 1 and store.spots_with_keys("n", ["tokaev"]) == {("a1", 0), ("a1", 45)}


def test_entities_are_added_dropped_and_the_unused_ones_removed(store):
    _seed(store)
    assert store.existing_entities(["e1", "e9"]) == {"e1"}
    store.drop_entities(["e2"])
    store.save_entities([Entity("e4", "Northern Trade Council", "ORG", ["NTC"])], [("a1", 30, 33, "e4")])
    assert store.drop_unused_entities() == 1  # e3: no mention points at it
    assert {e.id: [(m.article_id, m.start) for m in found] for e, found in store.iter_entities()} == {
        "e1": [("a1", 0), ("a1", 45), ("a2", 0)], "e4": [("a1", 30)]}
