"""The text views: made with the schema on SQLite and PostgreSQL, readable with plain SQL, and
added to a store made before them."""

import sqlite3

from sqlalchemy import text, update

from narrascope.model import Annotations, Article, Claim, ClaimLink, Entity, Mention, Sentence
from narrascope.store import SQLStore, schema
from narrascope.store.text_views import VIEWS

BODY = "Мэр Тарска said the budget grew.\nTrade reached $17 billion, he added."


def _fill(store):
    second = BODY.index("Trade")
    store.add_article(Article("art-1", BODY, outlet="Alpha Daily"))
    store.save_annotations(Annotations(
        "art-1",
        sentences=[Sentence("art-1", 0, second - 1, 0), Sentence("art-1", second, len(BODY), 1)],
        mentions=[Mention("art-1", 4, 10, "GPE")],
        claims=[Claim("c1", "art-1", second, len(BODY), 0.9), Claim("c0", "art-1", 0, second - 1, 0.2)],
    ))
    store.replace_entities([Entity("e1", "Tarsk", "GPE", [])], [("art-1", 4, 10, "e1")])
    store.replace_claim_links([ClaimLink("c0", "c1", "related", 0.5, "same speaker")])


def _sql(store, query):
    with store.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(query))]


def test_views_show_the_text_of_claims_mentions_and_links(store):
    _fill(store)
    assert _sql(store, "SELECT id, text FROM claims_text ORDER BY id") == [
        ("c0", "Мэр Тарска said the budget grew."), ("c1", "Trade reached $17 billion, he added.")]
    assert _sql(store, "SELECT text, entity_name FROM mentions_text") == [("Тарска", "Tarsk")]
    assert _sql(store, "SELECT a_text, relation, b_outlet FROM claim_links_text") == [
        ("Мэр Тарска said the budget grew.", "related", "Alpha Daily")]
    assert _sql(store, "SELECT idx, text FROM sentences_text ORDER BY idx")[1] == (
        1, "Trade reached $17 billion, he added.")
    for name in VIEWS:
        _sql(store, f"SELECT * FROM {name}")  # every view compiles on this backend


def test_a_store_made_before_the_views_gets_them_on_opening(tmp_path):
    db = tmp_path / "old.db"
    store = SQLStore(str(db))
    _fill(store)
    with store.engine.begin() as conn:  # as schema 2 left it: no views
        for name in VIEWS:
            conn.exec_driver_sql(f"DROP VIEW {name}")
        conn.execute(update(schema.meta).where(schema.meta.c.key == "schema_version").values(value="2"))
    store.close()
    SQLStore(str(db), create=False).close()
    with sqlite3.connect(db) as conn:  # what a generic SQLite browser sees
        views = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'view'")}
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        claims = conn.execute("SELECT text FROM claims_text WHERE id = 'c1'").fetchall()
    assert views == set(VIEWS)
    assert version == str(schema.SCHEMA_VERSION)
    assert claims == [("Trade reached $17 billion, he added.",)]


def test_reopening_keeps_the_views(tmp_path):
    db = str(tmp_path / "n.db")
    SQLStore(db).close()
    store = SQLStore(db)
    _fill(store)
    assert _sql(store, "SELECT count(*) FROM claims_text") == [(2,)]
    store.close()
