"""The store `narrascope bench serve` measures: editions of an analyzed store, written in bulk."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from narrascope.bench.serve_store import build_store
from narrascope.store import SQLStore


@pytest.fixture(scope="module")
def bench_db(demo_db, tmp_path_factory):
    base = SQLStore(demo_db, create=False)
    per_edition = base.count_articles()
    db = str(tmp_path_factory.mktemp("bench") / "bench.db")
    info = build_store(db, 2 * per_edition + 3, lambda _line: None, base=base)  # the third edition cut short
    base.close()
    return db, info, per_edition


def test_editions_are_copies_with_their_own_ids_and_outlets(bench_db):
    db, info, per_edition = bench_db
    store = SQLStore(db, create=False)
    assert info["articles"] == store.count_articles() == 2 * per_edition + 3 and info["editions"] == 3
    with store._connect() as conn:
        def rows(sql: str) -> list:
            return [tuple(r) for r in conn.exec_driver_sql(sql)]

        assert rows("SELECT min(seq), max(seq), count(DISTINCT seq) FROM articles") == [(1, info["articles"], info["articles"])]
        outlets = {r[0] for r in rows("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")}
        assert any(o.endswith(" North") for o in outlets) and any(o.endswith(" East") for o in outlets)
        # a link or a group member is always a stored claim, also in the edition cut short
        assert rows("SELECT count(*) FROM claim_links WHERE a NOT IN (SELECT id FROM claims)"
                    " OR b NOT IN (SELECT id FROM claims)") == [(0,)]
        assert rows("SELECT count(*) FROM claim_group_members WHERE claim_id NOT IN (SELECT id FROM claims)") == [(0,)]
        # every edition outlet has the profile the narratives stage would have stored
        profiled = {r[0] for r in rows("SELECT outlet FROM outlet_views WHERE kind = 'profile'")}
        assert {o for o in outlets if o.endswith((" North", " South"))} <= profiled
    info_rows = store.claim_texts([c.id for c in store.annotations(store.get_articles(_ids(store))[0].id).claims])
    assert info_rows and all(text.strip() for text in info_rows.values())  # spans still cut sentences
    store.close()


def test_the_dashboard_answers_on_it(bench_db, tmp_path):
    from narrascope.config import default_settings
    from narrascope.web import create_app

    db, _info, _ = bench_db
    settings = default_settings().replace({"web": {"search_dir": str(tmp_path)}})
    with TestClient(create_app(db, settings), base_url="http://127.0.0.1") as client:
        store = SQLStore(db, create=False)
        outlet = store.outlet_names()[0]
        store.close()
        for url in ("/", "/stories", f"/outlets/{outlet}", "/search?q=memo"):
            assert client.get(url).status_code == 200, url


def _ids(store) -> list[str]:
    with store._connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT id FROM articles ORDER BY seq LIMIT 1")]
