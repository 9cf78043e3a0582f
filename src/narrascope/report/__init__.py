"""Renderers over the store: the JSON export, the HTML report, and the entry point of every
export format (the flat tables and graphs live in :mod:`narrascope.exports`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO, TextIO

from ..config import Settings
from ..errors import ConfigError
from ..exports import GRAPH_FORMATS, GRAPHS, TABLE_FORMATS, TABLES, write_graph, write_table
from ..store import SQLStore
from .csv_export import write_csv
from .graphml import write_graphml
from .json_export import SCHEMA_VERSION, export_schema, write_json

WRITERS: dict[str, Callable[..., int]] = {
    "json": write_json,
    "csv": write_csv,
    "graphml": write_graphml,
}
FORMATS = ("json", *TABLE_FORMATS, *GRAPH_FORMATS)
DEFAULT_TABLE = "articles"
DEFAULT_GRAPH = "outlets"


def check_options(fmt: str, *, table: str | None = None, graph: str | None = None, bom: bool = False) -> None:
    """Refuse a format, table or graph that does not go together, before any file is made."""
    if fmt not in FORMATS:
        raise ConfigError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if table is not None and fmt not in TABLE_FORMATS:
        raise ConfigError(f"--table is for {', '.join(TABLE_FORMATS)}, not {fmt} (graphs take --graph)")
    if graph is not None and fmt not in GRAPH_FORMATS:
        raise ConfigError(f"--graph is for {', '.join(GRAPH_FORMATS)}, not {fmt} (tables take --table)")
    if bom and fmt != "csv":
        raise ConfigError(f"--bom is for csv only, not {fmt}")
    if table is not None and table not in TABLES:
        raise ConfigError(f"unknown table {table!r} (choose from {', '.join(TABLES)})")
    if graph is not None and graph not in GRAPHS:
        raise ConfigError(f"unknown graph {graph!r} (choose from {', '.join(GRAPHS)})")


def export(
    store: SQLStore,
    fmt: str,
    out: TextIO | BinaryIO,
    settings: Settings | None = None,
    *,
    table: str | None = None,
    graph: str | None = None,
    bom: bool = False,
) -> int:
    """Write the store in ``fmt`` to ``out``: ``json`` the whole store (returns the articles
    written), a table format (csv, jsonl, parquet) one ``table`` (default articles; returns its
    rows), a graph format (gexf, graphml) one ``graph`` (default outlets; returns its nodes).
    Parquet wants a binary ``out``; the others a text one."""
    check_options(fmt, table=table, graph=graph, bom=bom)
    if fmt == "json":
        return write_json(store, out, settings)  # type: ignore[arg-type]
    if fmt in TABLE_FORMATS:
        return write_table(store, table or DEFAULT_TABLE, fmt, out, settings, bom=bom)
    return write_graph(store, graph or DEFAULT_GRAPH, fmt, out)  # type: ignore[arg-type]


__all__ = [
    "DEFAULT_GRAPH",
    "DEFAULT_TABLE",
    "FORMATS",
    "GRAPHS",
    "SCHEMA_VERSION",
    "TABLES",
    "WRITERS",
    "check_options",
    "export",
    "export_schema",
    "write_csv",
    "write_graphml",
    "write_json",
]
