"""The articles' change sequence (store/changes.py): every write that changes what the search index
keeps of an article stamps it with a higher number, and an older store gets the column."""

from __future__ import annotations

import numpy as np
from older import as_schema
from sqlalchemy import select

from narrascope.model import Annotations, Article, Claim, Stance
from narrascope.store import changes, schema
from narrascope.store.sql import SQLStore


def _stamps(store) -> dict[str, int]:
    with store._connect() as conn:
        return dict(conn.execute(select(schema.articles.c.id, schema.articles.c.changed)).all())


def test_each_write_stamps_its_articles_above_every_earlier_one(store):
    for aid in ("a1", "a2", "a3"):
        store.add_article(Article(aid, "One claim here. Another.", outlet="Alpha", language="en"))
    first = _stamps(store)
    assert first["a1"] < first["a2"] < first["a3"]
    store.save_annotations(Annotations("a1", claims=[Claim("a1-c", "a1", 0, 15, 0.9)]))
    assert _stamps(store)["a1"] > first["a3"]
    store.save_stances([Stance("t1", "a2", "support", 0.9, [])], "v")
    assert _stamps(store)["a2"] > _stamps(store)["a1"]
    store.update_article(Article("a3", "A new text.", outlet="Alpha", language="en"),
                         minhash=np.zeros(4, dtype=np.uint64), band_keys=[])
    now = _stamps(store)
    assert now["a3"] > now["a2"]
    with store._connect() as conn:
        assert changes.last_number(conn) == now["a3"]


def test_an_older_store_gets_the_column_when_opened(tmp_path):
    db = tmp_path / "old.db"
    SQLStore(str(db)).close()
    # as schema 4 left it: no change sequence
    as_schema(db, 4, "DROP INDEX ix_articles_changed", "ALTER TABLE articles DROP COLUMN changed")
    store = SQLStore(str(db))
    store.add_article(Article("a1", "One claim here.", outlet="Alpha", language="en"))
    assert _stamps(store) == {"a1": 1}
    store.close()
