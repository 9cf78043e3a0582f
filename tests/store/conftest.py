"""The store tests run on SQLite and, where a PostgreSQL server is given ($NARRASCOPE_TEST_PG, a
URL such as .ci/postgres.sh prints), on PostgreSQL too, each test in a database of its own."""

from __future__ import annotations

import os
import uuid

import pytest

from narrascope.store.sql import SQLStore

PG = os.environ.get("NARRASCOPE_TEST_PG", "")


def fresh_postgres() -> str:
    """The URL of a new, empty database on the test server."""
    if not PG:
        pytest.skip("no PostgreSQL server for the tests: set NARRASCOPE_TEST_PG (.ci/run starts one)")
    try:
        import psycopg
    except ImportError:
        pytest.skip("psycopg is not installed (pip install 'narrascope[postgres]')")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return PG.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgres"])
def store(request):
    s = SQLStore.memory() if request.param == "sqlite" else SQLStore(fresh_postgres())
    yield s
    s.close()


@pytest.fixture
def pg_url() -> str:
    """A new, empty PostgreSQL database (skips where no server is given)."""
    return fresh_postgres()
