from __future__ import annotations

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
