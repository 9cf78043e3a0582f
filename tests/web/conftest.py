"""The dashboard app over the analyzed demo store (``demo_db``, tests/conftest.py), and what its
pages must show, as the report's :class:`CorpusView` reads the whole store (``dash``)."""

from __future__ import annotations

from collections import defaultdict

import pytest


@pytest.fixture(scope="session", autouse=True)
def search_cache(tmp_path_factory):
    """The dashboards' search index files go to a folder of the test session's, not the user's cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
        yield


@pytest.fixture(scope="session")
def dashboard_app(demo_db, search_cache):
    from narrascope.web import create_app

    return create_app(demo_db)


class Expected:
    """The whole demo store as the report reads it: what the tests pick ids from and check pages against."""

    def __init__(self, app, db: str) -> None:
        from narrascope.report.views import CorpusView
        from narrascope.store import SQLStore

        self.view = view = CorpusView(SQLStore(db, create=False))
        self.contradictions = view.contradictions()
        self.profiles = {p.outlet: p for p in view.profiles}
        self.stories_by_size = sorted(view.stories, key=lambda s: (-len(s.articles), s.id))
        self.claims_of_article = defaultdict(list)
        for claim in sorted(view.claims.values(), key=lambda c: c.start):
            self.claims_of_article[claim.article_id].append(claim)
        self.search, current = app.state.dashboard.search_index()
        while not current:  # the app's index, once it has caught up with the store
            self.search, current = app.state.dashboard.search_index()


@pytest.fixture(scope="session")
def dash(dashboard_app, demo_db):
    return Expected(dashboard_app, demo_db)
