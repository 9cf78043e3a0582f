"""Renderers over the store: JSON/CSV/GraphML exports (and, later, the HTML report)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..config import Settings
from ..errors import ConfigError
from ..store import SQLStore
from .csv_export import write_csv
from .graphml import write_graphml
from .json_export import SCHEMA_VERSION, export_schema, write_json

WRITERS: dict[str, Callable[..., int]] = {
    "json": write_json,
    "csv": write_csv,
    "graphml": write_graphml,
}


def export(store: SQLStore, fmt: str, out: TextIO, settings: Settings | None = None) -> int:
    """Write the store in ``fmt`` to ``out``; returns the number of articles written."""
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise ConfigError(f"unknown export format {fmt!r} (choose from {', '.join(WRITERS)})") from None
    return writer(store, out, settings) if fmt == "json" else writer(store, out)


__all__ = ["SCHEMA_VERSION", "WRITERS", "export", "export_schema", "write_csv", "write_graphml", "write_json"]
