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
    from narrascope import analyze
    from narrascope.demo import DEMO_THESIS, corpus_path
    from narrascope.ingest import ingest_paths

    settings = default_settings()
    store = SQLStore(db)
    with corpus_path() as corpus:
        ingest_paths([str(corpus)], store, settings)
    hostile = Path(db).with_name("hostile.jsonl")
    hostile.write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    ingest_paths([str(hostile)], store, settings)
    analyze(store, settings, [DEMO_THESIS])
    return store


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("webdemo") / "demo.db")
    build_demo_store(db).close()
    return db


# -- a small store with contradictions of known confidence, built by hand (no pipeline) --------------
# Three outlets; two confident contradictions (0.97, 0.91) and two candidates (0.62, 0.55), one
# of them with a claim group stored as "contradicted", as the link stage may mark it.

CONTRA_ARTICLES = {
    "art-alpha": ("Alpha Daily", "Karavia's trade",
                  ["Trade turnover of Karavia reached $17.4 billion last year.",
                   "Karavia complies with Western sanctions in practice."]),
    "art-beta": ("Beta News", "Karavia and its port",
                 ["Trade turnover of Karavia reached $27.1 billion last year.",
                  "The port of Tarsk stayed closed all spring."]),
    "art-gamma": ("Gamma Post", "Sanctions and the port",
                  ["Karavia never joined the sanctions.",
                   "The port of Tarsk reopened in March.",
                   "Tarsk's port handled record cargo in April."]),
}
# (a, b, score, reason): claim ids are "<article>-<sentence index>"
CONTRA_LINKS = [
    ("art-gamma-1", "art-beta-1", 0.62, "at odds about the port: \"reopened in March\" vs \"stayed closed\""),
    ("art-alpha-0", "art-beta-0", 0.97, "$17.4 billion vs $27.1 billion for trade turnover of Karavia"),
    ("art-gamma-2", "art-beta-1", 0.55, "at odds about the port's cargo"),
    ("art-alpha-1", "art-gamma-0", 0.91,
     'at odds about sanctions: "complies with Western sanctions" vs "never joined the sanctions"'),
]


def build_contradiction_store(db: str) -> SQLStore:
    from datetime import UTC, datetime

    import numpy as np

    from narrascope.link.stories import Story
    from narrascope.model import Annotations, Article, Claim, ClaimGroup, ClaimLink

    store = SQLStore(db)
    when = datetime(2025, 3, 1, tzinfo=UTC)
    for aid, (outlet, title, sentences) in CONTRA_ARTICLES.items():
        text = "\n\n".join(sentences)
        store.add_article(Article(aid, text, title=title, outlet=outlet, published=when, language="en"))
        claims, pos = [], 0
        for i, sentence in enumerate(sentences):
            claims.append(Claim(f"{aid}-{i}", aid, pos, pos + len(sentence), 0.9))
            pos += len(sentence) + 2
        store.save_annotations(Annotations(aid, claims=claims))
    store.replace_claim_links([ClaimLink(a, b, "contradicts", score, reason) for a, b, score, reason in CONTRA_LINKS]
                              + [ClaimLink("art-alpha-0", "art-gamma-2", "related", 0.5, "both about Karavia")])
    contradicted = {c for a, b, _, _ in CONTRA_LINKS for c in (a, b)}
    store.replace_claim_groups([
        ClaimGroup(f"g-{cid}", [cid], "contradicted" if cid in contradicted else "single-origin",
                   [{"origin": CONTRA_ARTICLES[cid.rsplit("-", 1)[0]][0], "kind": "outlet", "claims": [cid]}],
                   when, f"claim {cid}")
        for cid in (f"{aid}-{i}" for aid, (_, _, s) in CONTRA_ARTICLES.items() for i in range(len(s)))])
    store.save_stories([Story("story-1", np.zeros(4, dtype=np.float32), 3, when, when, label="Karavia")],
                       [(aid, "story-1", 1.0) for aid in CONTRA_ARTICLES])
    return store


@pytest.fixture(scope="session")
def contradiction_db(tmp_path_factory) -> str:
    db = str(tmp_path_factory.mktemp("contra") / "contra.db")
    build_contradiction_store(db).close()
    return db
