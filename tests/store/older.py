"""A store file turned back into what an older version left: for the tests of opening one."""

from __future__ import annotations

import sqlite3


def as_schema(db, version: int, *statements: str) -> None:
    """Runs ``statements`` on the closed SQLite file ``db`` (dropping what the later schema added)
    and marks it as schema ``version``."""
    with sqlite3.connect(db) as conn:
        for sql in statements:
            conn.execute(sql)
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
