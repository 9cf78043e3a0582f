"""The dashboard reads the store per request: no page reads the whole corpus, a change is on the
next page, and long lists come a page at a time."""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from fastapi.testclient import TestClient

from narrascope.link.stories import Story
from narrascope.model import Annotations, Article
from narrascope.report import views
from narrascope.store import SQLStore
from narrascope.store.articles import ArticleStore
from narrascope.store.enrichment import EnrichmentStore
from narrascope.store.linking import LinkStore
from narrascope.store.narratives import NarrativesStore
from narrascope.web import create_app
from narrascope.web.lazy import LazyList, LazyMap

LOCAL = "http://127.0.0.1"


def _whole_store_read(*_args, **_kwargs):
    raise AssertionError("a page read the whole store")


def _pages(db: str) -> list[str]:
    store = SQLStore(db, create=False)
    with store._connect() as conn:
        def first(sql: str) -> str:
            return conn.exec_driver_sql(sql).scalar()

        urls = ["/", "/search", "/search?q=sanctions", "/search?q=Karavia&outlet=Nord+Review", "/stories",
                f"/articles/{first('SELECT id FROM articles')}",
                f"/claims/{first('SELECT claim_id FROM claim_group_members')}",
                f"/claims/{first('SELECT a FROM claim_links WHERE relation = ' + repr('contradicts'))}",
                f"/outlets/{first('SELECT outlet FROM articles WHERE outlet = ' + repr('Nord Review'))}",
                f"/stories/{first('SELECT id FROM stories')}", f"/theses/{first('SELECT id FROM theses')}"]
    store.close()
    return urls


def test_no_page_reads_the_whole_store(demo_db, monkeypatch):
    """Every kind of page answers with the whole-store readers (the report's) made to fail."""
    urls = _pages(demo_db)
    app = create_app(demo_db)
    app.state.dashboard.search_index()  # the index is brought up to date by its own, batched reads
    monkeypatch.setattr(views.CorpusView, "__init__", _whole_store_read)
    monkeypatch.setattr(ArticleStore, "iter_articles", _whole_store_read)
    for cls, name in ((LinkStore, "claim_links"), (LinkStore, "claim_groups"), (LinkStore, "stories_with_articles"),
                      (LinkStore, "story_of_articles"), (NarrativesStore, "list_stances"),
                      (NarrativesStore, "list_techniques"), (NarrativesStore, "outlet_view_records"),
                      (EnrichmentStore, "iter_entities")):
        monkeypatch.setattr(cls, name, _whole_store_read)
    every_annotation = EnrichmentStore.iter_annotations

    def some_annotations(self, article_ids=None):
        assert article_ids is not None and len(article_ids) < 10, "a page read every article's annotations"
        return every_annotation(self, article_ids)

    monkeypatch.setattr(EnrichmentStore, "iter_annotations", some_annotations)
    with TestClient(app, base_url=LOCAL) as client:
        for url in urls:
            assert client.get(url).status_code == 200, url


def test_nothing_is_read_before_the_first_request(demo_db, monkeypatch):
    calls = []
    monkeypatch.setattr(SQLStore, "overview_counts", lambda *a: calls.append(a) or _whole_store_read())
    app = create_app(demo_db)  # would fail if it counted anything
    assert calls == [] and app.state.dashboard.pages.bytes == 0


def test_a_store_change_is_on_the_next_request(demo_db, tmp_path, settings):
    from narrascope.ingest import ingest_paths

    db = tmp_path / "live.db"
    shutil.copy(demo_db, db)
    app = create_app(str(db))
    with TestClient(app, base_url=LOCAL) as c:
        overview = c.get("/").text
        assert c.get("/").text == overview and app.state.dashboard.pages.bytes > 0  # kept while unchanged
        assert "0 articles and 0 claims match" in c.get("/search?q=ferries").text
        (tmp_path / "new.jsonl").write_text(json.dumps({"text": "A brand new article about ferries. " * 5,
                                                        "outlet": "Late Outlet", "title": "Ferries",
                                                        "id": "late-1"}) + "\n")
        store = SQLStore(str(db))
        ingest_paths([str(tmp_path / "new.jsonl")], store, settings)
        aid = next(a.id for a in store.get_articles(_ids(store)) if a.outlet == "Late Outlet")
        store.close()
        after = c.get("/").text
        assert after != overview and "Late Outlet" in after
        count = re.search(r"(\d+) articles from", after).group(1)
        assert int(count) == int(re.search(r"(\d+) articles from", overview).group(1)) + 1
        assert "Ferries" in c.get(f"/articles/{aid}").text
        assert "Ferries" in c.get("/outlets/Late%20Outlet").text
        found = c.get("/search?q=ferries").text  # the index is brought up to date before it answers
        assert f'href="/articles/{aid}"' in found and "being brought up to date" not in found


def test_whole_store_figures_are_read_once_per_state_of_the_store(demo_db, tmp_path, settings, monkeypatch):
    from narrascope.ingest import ingest_paths

    db = tmp_path / "live.db"
    shutil.copy(demo_db, db)
    store = SQLStore(str(db))
    first, second = sorted(_ids(store))[:2]
    calls = []
    theses = SQLStore.list_theses
    monkeypatch.setattr(SQLStore, "list_theses", lambda self: calls.append(1) or theses(self))
    app = create_app(str(db))
    with TestClient(app, base_url=LOCAL) as c:
        footer = re.compile(r"· (\d+) articles</footer>")
        before = int(footer.search(c.get(f"/articles/{first}").text).group(1))
        assert len(calls) == 1
        assert int(footer.search(c.get(f"/articles/{second}").text).group(1)) == before and len(calls) == 1
        (tmp_path / "new.jsonl").write_text(json.dumps({"text": "A new article about ferries. " * 5, "id": "n1"}) + "\n")
        ingest_paths([str(tmp_path / "new.jsonl")], store, settings)
        store.close()
        assert int(footer.search(c.get(f"/articles/{second}").text).group(1)) == before + 1 and len(calls) == 2


def _ids(store) -> list[str]:
    with store._connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT id FROM articles")]


# -- long lists a page at a time ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def many_db(tmp_path_factory) -> str:
    """250 stories of 1 to 3 articles each (499 articles), built by hand."""
    db = str(tmp_path_factory.mktemp("many") / "many.db")
    store = SQLStore(db)
    day = datetime(2025, 1, 1, tzinfo=UTC)
    found, members = [], []
    with store.transaction():
        for i in range(250):
            size = 1 + i % 3
            for j in range(size):
                aid = f"art-{i:03d}-{j}"
                store.add_article(Article(aid, f"Story {i} part {j} about the harbour.", title=f"Title {i}/{j}",
                                          outlet=f"Outlet {j}", published=day + timedelta(hours=i), language="en"))
                store.save_annotations(Annotations(aid))
                members.append((aid, f"story-{i:03d}", 1.0))
            found.append(Story(f"story-{i:03d}", np.zeros(4, dtype=np.float32), size, day, day, label=f"Label {i:03d}"))
        store.save_stories(found, members)
    store.close()
    return db


def test_stories_come_largest_first_a_page_at_a_time(many_db):
    with TestClient(create_app(many_db), base_url=LOCAL) as c:
        pages = [c.get(f"/stories?page={n}").text for n in (1, 2, 3)]
        shown = [re.findall(r'href="/stories/(story-\d+)"', html) for html in pages]
        assert [len(s) for s in shown] == [100, 100, 50]
        order = [s for page in shown for s in page]
        size = {f"story-{i:03d}": 1 + i % 3 for i in range(250)}
        assert order == sorted(size, key=lambda s: (-size[s], s))  # every story once, largest first
        assert "page 1 of 3" in pages[0] and 'rel="next" href="?page=2"' in pages[0]
        assert "page 3 of 3" in pages[2] and 'rel="next"' not in pages[2]
        assert "250 stories, largest first" in pages[0]
        assert re.findall(r'href="/stories/(story-\d+)"', c.get("/stories?page=4").text) == []
        assert c.get("/stories?page=0").status_code == 400


def test_the_article_list_comes_newest_first_a_page_at_a_time(many_db):
    with TestClient(create_app(many_db), base_url=LOCAL) as c:
        c.app.state.dashboard.search_index()
        first, second = c.get("/search").text, c.get("/search?page=2").text
        listed = [re.findall(r'href="/articles/(art-[\d-]+)"', html) for html in (first, second)]
        assert [len(ids) for ids in listed] == [20, 20] and not set(listed[0]) & set(listed[1])
        assert listed[0][:3] == ["art-249-0", "art-248-0", "art-248-1"]  # newest first, ingest order in a tie
        assert "499 articles, newest first" in first and "page 2 of 25" in second
        outlet = c.get("/outlets/Outlet%200").text
        assert len(re.findall(r'href="/articles/', outlet)) == 200 and "All 250 articles" in outlet


# -- the lazy mappings and lists the templates read ---------------------------------------------------


def test_lazy_map_fetches_what_is_asked_once_in_batches():
    asked = []

    def fetch(keys):
        asked.append(list(keys))
        return {k: k.upper() for k in keys if k != "gone"}

    m = LazyMap(fetch).prime(["a", "b", "gone"])
    assert m["a"] == "A" and m.get("b") == "B" and "gone" not in m and m.get("gone", 0) == 0
    assert "c" in m and m["c"] == "C"
    assert asked == [["a", "b", "gone"], ["c"]]
    with pytest.raises(KeyError):
        m["gone"]
    assert m.get("") is None and m.get(None) is None and asked == [["a", "b", "gone"], ["c"]]


def test_lazy_list_counts_once_and_reads_only_the_slices_asked():
    pages = []
    items = list(range(57))

    def page(limit, offset):
        pages.append((limit, offset))
        return items[offset : offset + limit]

    seq = LazyList(lambda: len(items), page)
    assert len(seq) == 57 and bool(seq)
    assert seq[:15] == items[:15] and seq[:15] == items[:15]  # the same slice is read once
    assert seq[50:100] == items[50:] and seq[0] == 0 and seq[-1] == 56 and seq[60:70] == []
    assert pages == [(15, 0), (7, 50), (1, 0), (1, 56)]
    with pytest.raises(TypeError):
        iter(seq)
    with pytest.raises(IndexError):
        seq[57]
    assert not LazyList(lambda: 0, page)


def test_an_article_page_reads_its_claims_texts_in_one_query_and_counts_nothing(demo_db, monkeypatch):
    from narrascope.store.lookups import LookupStore

    store = SQLStore(demo_db, create=False)
    aid = max(_ids(store), key=lambda a: len(store.annotations(a).claims))
    assert len(store.annotations(aid).claims) > 2
    store.close()
    calls = []
    every_text = LookupStore.claim_texts
    monkeypatch.setattr(LookupStore, "claim_texts", lambda self, ids: calls.append(list(ids)) or every_text(self, ids))
    monkeypatch.setattr(ArticleStore, "count_articles", _whole_store_read)  # the footer's count is stored
    app = create_app(demo_db)
    with TestClient(app, base_url=LOCAL) as client:
        page = client.get(f"/articles/{aid}")
    assert page.status_code == 200 and len(calls) == 1
