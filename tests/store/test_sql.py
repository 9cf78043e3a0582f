from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from narrascope.errors import MissingDependency, StoreError
from narrascope.model import Article, RemovedLine, article_id
from narrascope.store import SQLStore, Store, database_url, schema

_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200).filter(str.strip)
_opt = st.none() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_dates = (
    st.none()
    | st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    )
    | st.datetimes(
        min_value=datetime(1990, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=5)), timezone(timedelta(hours=-3))]),
    ).map(lambda d: d.replace(microsecond=0))
)


@st.composite
def articles(draw):
    text = draw(_text)
    outlet, url = draw(_opt), draw(_opt)
    return Article(
        id=article_id(text, url, outlet),
        text=text,
        title=draw(_opt),
        author=draw(_opt),
        published=draw(_dates),
        outlet=outlet,
        url=url,
        path=draw(_opt),
        language=draw(st.none() | st.just("en")),
        source_format="text",
        external_id=draw(_opt),
        removed=draw(
            st.lists(
                st.builds(RemovedLine, _text, st.sampled_from(["navigation", "tail"]), st.integers(0, 500)),
                max_size=3,
            )
        ),
    )


@settings(max_examples=50, deadline=None)
@given(articles())
def test_article_round_trip(article):
    store = SQLStore.memory()
    assert store.add_article(article)
    assert store.get_article(article.id) == article
    assert not store.add_article(article)  # same id: nothing added
    assert store.count_articles() == 1


def test_memory_store_satisfies_the_interface():
    assert isinstance(SQLStore.memory(), Store)


def test_file_store_persists(tmp_path):
    db = str(tmp_path / "n.db")
    s = SQLStore(db)
    s.add_article(
        Article(id="a", text="Hello there."),
        minhash=np.arange(128, dtype=np.uint32),
        band_keys=[(0, 1), (1, 2)],
    )
    s.close()
    again = SQLStore(db)
    assert again.get_article("a").text == "Hello there."
    assert list(again.near_duplicate_candidates([(1, 2)])) == ["a"]


def test_transaction_rolls_back_everything(store):
    with pytest.raises(RuntimeError), store.transaction():
        store.add_article(Article(id="a", text="One."))
        raise RuntimeError("boom")
    assert store.count_articles() == 0


def test_database_url_forms(tmp_path):
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert database_url(str(tmp_path / "x.db")).startswith("sqlite:////")
    with pytest.raises(StoreError, match="does not exist"):
        database_url(str(tmp_path / "missing" / "x.db"))
    with pytest.raises(StoreError, match="is a folder"):
        database_url(str(tmp_path))


def test_not_a_database_is_a_one_line_error(tmp_path):
    bad = tmp_path / "notes.db"
    bad.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError) as err:
        SQLStore(str(bad))
    assert "\n" not in str(err.value) and str(bad) in str(err.value)
    assert bad.read_text().startswith("these are my notes")  # nothing overwritten


def test_store_from_a_newer_version_is_refused(tmp_path):
    db = str(tmp_path / "n.db")
    s = SQLStore(db)
    with s.engine.begin() as conn:
        conn.execute(update(schema.meta).where(schema.meta.c.key == "schema_version").values(value="999"))
    s.close()
    with pytest.raises(StoreError, match="newer narrascope"):
        SQLStore(db)


def test_unknown_url_scheme_is_a_store_error():
    with pytest.raises(StoreError, match="cannot open database"):
        SQLStore("nosuchdb://x/y")


def test_ingest_order_is_kept(store):
    for i in range(5):
        store.add_article(Article(id=f"id{9 - i}", text=f"Text {i}."))
    assert [a.text for a in store.iter_articles()] == [f"Text {i}." for i in range(5)]


def test_schema_version_is_written_once(tmp_path):
    db = str(tmp_path / "n.db")
    SQLStore(db).close()
    s = SQLStore(db)
    with s.engine.begin() as conn:
        rows = conn.execute(schema.meta.select()).all()
    assert [(r.key, r.value) for r in rows] == [("schema_version", str(schema.SCHEMA_VERSION))]


def test_missing_driver_names_the_extra():
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("psycopg is installed")
    with pytest.raises(MissingDependency, match=r"narrascope\[postgres\]"):
        SQLStore("postgresql://user@localhost/db")


# -- opening without creating, and never adopting another application's database -------------


def test_create_false_refuses_a_missing_file(tmp_path):
    db = tmp_path / "typo.db"
    with pytest.raises(StoreError, match="no such database"):
        SQLStore(str(db), create=False)
    assert not db.exists()


def test_create_false_refuses_an_empty_database(tmp_path):
    db = tmp_path / "empty.db"
    db.touch()
    with pytest.raises(StoreError, match="empty database"):
        SQLStore(str(db), create=False)
    assert db.stat().st_size == 0


def test_create_false_opens_an_existing_store(tmp_path):
    db = str(tmp_path / "n.db")
    SQLStore(db).add_article(Article(id="a", text="Hello there."))
    assert SQLStore(db, create=False).count_articles() == 1


@pytest.mark.parametrize("create", [True, False])
def test_another_applications_database_is_left_alone(tmp_path, create):
    import sqlite3

    db = tmp_path / "app.db"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("CREATE TABLE meta (name TEXT)")  # a 'meta' of its own, not narrascope's
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    before = db.read_bytes()

    with pytest.raises(StoreError, match="not a narrascope database") as err:
        SQLStore(str(db), create=create)

    assert "\n" not in str(err.value) and str(db) in str(err.value)
    assert db.read_bytes() == before  # no tables added, journal mode not switched to WAL
    assert not (tmp_path / "app.db-wal").exists()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"


def test_empty_db_path_is_an_error():
    with pytest.raises(StoreError, match="no database given"):
        SQLStore("")


def test_database_passwords_are_never_shown():
    with pytest.raises((StoreError, MissingDependency)) as err:
        SQLStore("postgresql://reader:s3cret@127.0.0.1:1/news")
    assert "s3cret" not in str(err.value)
    with pytest.raises(StoreError) as err:
        SQLStore("nosuchdb://reader:s3cret@host/db")
    assert "s3cret" not in str(err.value) and "***" in str(err.value)


# -- reading without loading everything --------------------------------------------------------


def test_iter_articles_pages_through_the_table(store, monkeypatch):
    import narrascope.store.articles as sql

    monkeypatch.setattr(sql, "PAGE_SIZE", 2)
    for i in range(5):
        store.add_article(Article(id=f"id{9 - i}", text=f"Text {i}."))
    queries = []
    real = store._connect

    def counting():
        queries.append(1)
        return real()

    monkeypatch.setattr(store, "_connect", counting)
    assert [a.text for a in store.iter_articles()] == [f"Text {i}." for i in range(5)]
    assert len(queries) == 3  # pages of 2, 2 and 1


def test_stats_are_computed_by_the_database(store):
    rows = [
        ("a", "Alpha Post", "en", datetime(2025, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-3))), None),
        ("b", "Alpha Post", "ru", datetime(2025, 2, 10, 8, 0), None),
        ("c", "Beta Daily", "en", None, "a"),
        ("d", None, None, None, None),
    ]
    for aid, outlet, lang, published, dup in rows:
        store.add_article(
            Article(
                id=aid, text=f"{aid}.", outlet=outlet, language=lang, published=published, duplicate_of=dup
            )
        )
    stats = store.stats()
    assert (stats.articles, stats.copies) == (4, 1)
    assert (stats.first_published, stats.last_published) == ("2025-02-10T08:00:00", "2025-03-02T02:30:00")
    assert stats.languages == [("en", 2), (None, 1), ("ru", 1)]
    assert stats.outlets == [("Alpha Post", 2), (None, 1), ("Beta Daily", 1)]


def test_update_article_replaces_the_reading_and_marks_enrichment_stale(store):
    store.add_article(
        Article(id="a", text="Old text.", author="Ann"),
        minhash=np.arange(4, dtype=np.uint32),
        band_keys=[(0, 1)],
    )
    store.set_duplicate("a", "root", "near", 0.9)
    store.mark_done("enrich", "a", "1")
    new = Article(id="a", text="New text.", author="Bob")
    store.update_article(new, minhash=np.arange(4, 8, dtype=np.uint32), band_keys=[(0, 2)])
    got = store.get_article("a")
    assert (got.text, got.author, got.duplicate_of, got.duplicate_similarity) == (
        "New text.",
        "Bob",
        "root",
        0.9,
    )
    assert store.articles_needing("enrich", "1") == ["a"]
    assert list(store.near_duplicate_candidates([(0, 2)])) == ["a"]
    assert store.near_duplicate_candidates([(0, 1)]) == {}
