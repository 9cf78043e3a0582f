"""The dashboard app over the analyzed demo store (``demo_db``, tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def dashboard_app(demo_db):
    from narrascope.web import create_app

    return create_app(demo_db)
