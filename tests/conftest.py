from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from narrascope.config import default_settings
from narrascope.store import SQLStore

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def settings():
    return default_settings()


@pytest.fixture
def store():
    s = SQLStore.memory()
    yield s
    s.close()


def datasets_dir() -> Path:
    env = os.environ.get("NARRASCOPE_DATASETS")
    return Path(env) if env else REPO.parent / "shared" / "datasets"


def need_dataset(name: str) -> Path:
    path = datasets_dir() / name
    if not path.is_dir():
        pytest.skip(f"dataset {name} not found at {path} (set NARRASCOPE_DATASETS)")
    return path


ARTICLE = (
    "The regional council approved a new budget for road repairs on Tuesday evening.\n"
    "Council members said the plan would fix more than forty bridges over the next three years.\n"
    "Critics argued that the money should have gone to public transport instead of roads.\n"
)


@pytest.fixture
def article_text():
    """A few plain sentences: enough for the cleaner to see an article."""
    return ARTICLE


@pytest.fixture
def dataset():
    """A function returning a dataset folder, or skipping the test when it is absent."""
    return need_dataset


# -- the analyzed demo store that the report and dashboard tests read -------------------------------
# The demo corpus, analyzed, plus one hostile article whose title, outlet and text hold markup
# (``<script>``...), to show every page escapes what articles say.

HOSTILE = {
    "id": "hostile-1",
    "title": "Budget <script>alert('title')</script> & roads",
    "outlet": "Evil <b>Outlet</b>",
    "published": "2025-02-20T08:00:00Z",
    "url": "javascript:alert('url')",
    "language": "en",
    "text": (
        "The regional council of Tarsk approved a new budget for road repairs on Tuesday evening. "
        "<script>alert(1)</script> Council members said the plan would fix more than forty bridges over the "
        "next three years, at a cost of $12 million. <img src=x onerror=alert(2)> Critics argued that "
        "the money should have gone to public transport instead of roads.\n\n"
        "Officials in Tarsk said the budget would be published in full next week."
    ),
}


def build_demo_store(db: str) -> SQLStore:
    from narrascope.demo import DEMO_THESIS, corpus_path
    from narrascope.enrich.runner import enrich_articles
    from narrascope.ingest import ingest_paths
    from narrascope.link.runner import link_all
    from narrascope.narratives.runner import analyze_narratives

    settings = default_settings()
    store = SQLStore(db)
    with corpus_path() as corpus:
        ingest_paths([str(corpus)], store, settings)
    hostile = Path(db).with_name("hostile.jsonl")
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    ingest_paths([str(hostile)], store, settings)
    enrich_articles(store, settings)
    link_all(store, settings)
    analyze_narratives(store, settings, [DEMO_THESIS])
    return store


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("webdemo") / "demo.db")
    build_demo_store(db).close()
    return db
