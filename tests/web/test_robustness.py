"""Gaps fuzzing found in the dashboard: page-cache memory, HEAD, outlet names that look like URL syntax."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient

from narrascope.config import default_settings
from narrascope.model import Annotations, Article
from narrascope.store import SQLStore
from narrascope.web import create_app
from narrascope.web.app import outlet_url
from narrascope.web.dashboard import PageCache

LOCAL = "http://127.0.0.1"
ODD_OUTLETS = ["Alpha/Beta", "What? News", "Hash#Tag", "100% Truth", "../up", "trail/", "/lead", "a//b", ".", "..",
               "Plus+And&Co", "Кремль/Сегодня"]


def _store(db: str, articles: list[tuple[str, str, str]]) -> None:
    store = SQLStore(db)
    for aid, outlet, text in articles:
        store.add_article(Article(aid, text, title=f"title {aid}", outlet=outlet,
                                  published=datetime(2025, 3, 1, tzinfo=UTC), language="en"))
        store.save_annotations(Annotations(aid))
    store.close()


# -- the page cache is bounded in bytes ------------------------------------------------------------


def test_page_cache_drops_least_recently_used_pages_past_its_byte_bound():
    cache = PageCache(max_bytes=100)
    cache.put("/a", b"x" * 40)
    cache.put("/b", b"y" * 40)
    assert cache.get("/a") == b"x" * 40  # /a is now the most recently used
    cache.put("/c", b"z" * 40)
    assert cache.get("/b") is None and cache.get("/a") and cache.get("/c")
    assert cache.bytes <= 100
    cache.put("/huge", b"h" * 500)  # larger than the whole bound: served, never kept
    assert cache.get("/huge") is None and cache.get("/a")
    cache.put("/a", b"x" * 10)  # replacing a page counts its new size only
    assert cache.bytes == sum(len(k) + len(v) for k, v in [("/a", b"x" * 10), ("/c", b"z" * 40)])
    assert PageCache(0).put("/a", b"x") is None and len(PageCache(0)) == 0


def test_many_requests_for_one_big_article_stay_within_the_bound(tmp_path):
    db = str(tmp_path / "big.db")
    paragraph = "The minister said the port would reopen in March after the repairs. " * 40
    _store(db, [("big", "Big Daily", "\n\n".join([paragraph] * 60))])  # ~170 KB of text
    settings = default_settings().replace({"web": {"page_cache_mb": 1.0}})
    app = create_app(db, settings)
    bound = 1024 * 1024
    with TestClient(app, base_url=LOCAL) as client:
        first = client.get("/articles/big")
        assert first.status_code == 200 and len(first.content) > 150_000
        for i in range(100):  # the fuzzer's trick: one article, a different query string each time
            assert client.get(f"/articles/big?n={i}").status_code == 200
        pages = app.state.dashboard.pages
        assert pages.bytes <= bound
        assert sum(len(k) + len(v) for k, v in pages._pages.items()) == pages.bytes
        assert 1 < len(pages) < 10  # it keeps what fits, not everything and not nothing


def test_page_cache_mb_is_a_checked_setting():
    from narrascope.errors import ConfigError

    with pytest.raises(ConfigError, match="page_cache_mb"):
        default_settings().replace({"web": {"page_cache_mb": -1}})


def test_render_threads_bounds_the_pages_made_at_once(demo_db, tmp_path):
    import asyncio

    import anyio.to_thread

    from narrascope.bench.serve_cost import _get
    from narrascope.errors import ConfigError

    with pytest.raises(ConfigError, match="render_threads"):
        default_settings().replace({"web": {"render_threads": 0}})
    settings = default_settings().replace({"web": {"render_threads": 3, "search_dir": str(tmp_path)}})
    app = create_app(demo_db, settings)

    async def first_request() -> tuple[int, int]:
        status = await _get(app, "/stories")
        return status, anyio.to_thread.current_default_thread_limiter().total_tokens

    try:
        assert asyncio.run(first_request()) == (200, 3)
    finally:
        app.state.dashboard.close()


# -- HEAD ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def odd_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("odd") / "odd.db")
    _store(db, [(f"a{i}", name, f"Article {i} says the port reopened in March.") for i, name in enumerate(ODD_OUTLETS)])
    return db


@pytest.fixture(scope="module")
def odd_client(odd_db):
    with TestClient(create_app(odd_db), base_url=LOCAL) as client:
        yield client


@pytest.mark.parametrize("url", ["/", "/search?q=port", "/stories", "/articles/a0", "/outlets/Alpha%2FBeta",
                                 "/static/report.css", "/static/favicon.svg", "/articles/nothing-here"])
def test_head_answers_like_get_without_the_body(odd_client, url):
    for _ in range(2):  # the second time from the page cache
        got, head = odd_client.get(url), odd_client.head(url)
        assert head.status_code == got.status_code
        assert head.content == b""
        assert int(head.headers["content-length"]) == len(got.content)
        assert head.headers["content-type"] == got.headers["content-type"]
        assert head.headers["x-frame-options"] == "DENY"


def test_head_meets_the_token_rule(odd_db):
    with TestClient(create_app(odd_db, token="s3cret"), base_url=LOCAL) as client:
        assert client.head("/").status_code == 401
        assert client.head("/", headers={"Authorization": "Bearer s3cret"}).status_code == 200


def test_other_methods_name_get_and_head_as_allowed(odd_client):
    response = odd_client.post("/")
    assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD"


# -- outlet names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ODD_OUTLETS)
def test_outlet_url_has_no_path_step_or_query_of_its_own(name):
    url = outlet_url(name)
    path, _, query = url.partition("?")
    assert path.count("/") == 2 and "#" not in url
    assert query == "" or query.startswith("name=")


def test_every_outlet_link_on_the_pages_opens_that_outlet(odd_client, odd_db):
    view_outlets = set(ODD_OUTLETS)
    seen = set()
    for i, name in enumerate(ODD_OUTLETS):
        html = odd_client.get(f"/articles/a{i}").text
        hrefs = [unescape(h) for h in re.findall(r'href="(/outlets/[^"]*)"', html)]
        assert hrefs, name
        for href in hrefs:
            page = odd_client.get(href)
            assert page.status_code == 200, (name, href)
            heading = re.search(r"<h1[^>]*>(.*?)</h1>", page.text, re.S).group(1)
            assert unescape(re.sub(r"<[^>]+>", "", heading)).strip().startswith(name), (name, href)
            seen.add(name)
    assert seen == view_outlets
