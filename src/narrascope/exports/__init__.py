"""Exports of the store as flat tables (CSV, JSONL, Parquet) and graphs (GEXF, GraphML).

``write_table(store, "claims", "parquet", out)`` and ``write_graph(store, "provenance", "gexf",
out)`` stream rows from the store a batch at a time. What each table's columns mean is in
``tables.TABLES`` and, generated from it, ``docs/export-columns.md``.
"""

from __future__ import annotations

from typing import BinaryIO, TextIO

from ..config import Settings, default_settings
from ..errors import ConfigError
from ..store import SQLStore
from .graph_writers import write_gexf, write_graphml
from .graphs import GRAPHS, Graph
from .table_writers import write_csv, write_jsonl, write_parquet
from .tables import BATCH_ROWS, TABLES, Table, table_batches

TABLE_FORMATS = ("csv", "jsonl", "parquet")
GRAPH_FORMATS = ("gexf", "graphml")
BINARY_FORMATS = frozenset({"parquet"})


def _choice(what: str, name: str, choices) -> None:
    if name not in choices:
        raise ConfigError(f"unknown {what} {name!r} (choose from {', '.join(choices)})")


def write_table(
    store: SQLStore,
    table: str,
    fmt: str,
    out: TextIO | BinaryIO,
    settings: Settings | None = None,
    *,
    bom: bool = False,
    batch_size: int = BATCH_ROWS,
) -> int:
    """Write table ``table`` as ``fmt`` (csv, jsonl: a text file; parquet: a binary one); returns
    the number of rows written. ``bom`` starts a CSV with a UTF-8 byte order mark, for Excel."""
    _choice("table", table, TABLES)
    _choice("table format", fmt, TABLE_FORMATS)
    if bom and fmt != "csv":
        raise ConfigError(f"--bom is for csv only, not {fmt}")
    spec = TABLES[table]
    batches = table_batches(store, table, settings or default_settings(), batch_size)
    if fmt == "csv":
        return write_csv(spec, batches, out, bom=bom)  # type: ignore[arg-type]
    if fmt == "jsonl":
        return write_jsonl(spec, batches, out)  # type: ignore[arg-type]
    return write_parquet(spec, batches, out)  # type: ignore[arg-type]


def write_graph(store: SQLStore, graph: str, fmt: str, out: TextIO) -> int:
    """Write graph ``graph`` as ``fmt`` (gexf, graphml); returns the number of nodes written."""
    _choice("graph", graph, GRAPHS)
    _choice("graph format", fmt, GRAPH_FORMATS)
    writer = write_gexf if fmt == "gexf" else write_graphml
    return writer(GRAPHS[graph], store, out)


__all__ = [
    "BINARY_FORMATS",
    "GRAPHS",
    "GRAPH_FORMATS",
    "TABLES",
    "TABLE_FORMATS",
    "Graph",
    "Table",
    "write_graph",
    "write_table",
]
