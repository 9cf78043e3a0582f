"""CSV export of articles: one row each, the text in its own quoted column (the ``articles``
table of :mod:`narrascope.exports`)."""

from __future__ import annotations

from typing import TextIO

from ..exports import TABLES, write_table
from ..store import SQLStore

COLUMNS = TABLES["articles"].names


def write_csv(store: SQLStore, out: TextIO) -> int:
    return write_table(store, "articles", "csv", out)
