"""Writers of one table: CSV (spreadsheets), JSONL (one object a line), Parquet (pandas, polars).

Each takes the table's rows as batches and writes them as they come, so a table never has to
fit in memory. Each returns the number of rows written.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import BinaryIO, TextIO

from ..errors import MissingDependency
from .tables import Table

# Written first with --bom: Excel then reads the file as UTF-8 (without it, Cyrillic turns to
# mojibake); pandas, polars and csvkit skip it (pandas with encoding="utf-8-sig").
BOM = "\ufeff"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)  # unambiguous, whatever the items hold
    return str(value)


def write_csv(table: Table, batches: Iterable[list[dict]], out: TextIO, *, bom: bool = False) -> int:
    """RFC 4180 CSV with a header row: text with commas, quotes or newlines is quoted whole, so a
    spreadsheet shows a multi-line article in one cell."""
    if bom:
        out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.names)
    count = 0
    for batch in batches:
        writer.writerows([_cell(row[name]) for name in table.names] for row in batch)
        count += len(batch)
    return count


def write_jsonl(table: Table, batches: Iterable[list[dict]], out: TextIO) -> int:
    """One JSON object a line, keys in column order; a missing value is null."""
    count = 0
    for batch in batches:
        out.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in batch)
        count += len(batch)
    return count


def parquet_schema(table: Table):
    pa = _pyarrow()
    kinds = {
        "string": pa.string(),
        "integer": pa.int64(),
        "float": pa.float64(),
        "boolean": pa.bool_(),
        "list": pa.list_(pa.string()),
    }
    fields = [pa.field(c.name, kinds[c.type], metadata={"doc": c.doc}) for c in table.columns]
    return pa.schema(fields, metadata={"table": table.name, "doc": table.doc})


def write_parquet(table: Table, batches: Iterable[list[dict]], out: BinaryIO) -> int:
    """One Parquet file; each batch is one row group. Column docs ride in the field metadata."""
    pa = _pyarrow()
    import pyarrow.parquet as pq

    schema = parquet_schema(table)
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for batch in batches:
            columns = {name: [row[name] for row in batch] for name in table.names}
            writer.write_batch(pa.RecordBatch.from_pydict(columns, schema=schema))
            count += len(batch)
    return count


def _pyarrow():
    try:
        import pyarrow
    except ImportError as exc:
        raise MissingDependency("pyarrow", "parquet", purpose="Parquet export") from exc
    return pyarrow
