"""Parquet tables (a dataset export, a pandas ``to_parquet``): one article per row, read in batches.

The columns are named as in a CSV export (:mod:`.records`, ``--columns``); only the columns that
map to a field are read, a batch of rows at a time, so a table far larger than memory goes in.
pyarrow is an optional dependency (``pip install 'narrascope[parquet]'``): without it each
Parquet file is one error saying so.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..errors import CorruptInput, InputError, UnsupportedInput
from .raw import RawDoc
from .records import Columns, header_fields, record_doc

# Rows converted to Python objects at a time: enough to amortise the conversion, few enough
# that a batch of article-sized texts stays small.
BATCH_ROWS = 256
INSTALL_HINT = "pip install 'narrascope[parquet]'"


def read_parquet(path: Path, *, max_bytes: int, columns: Columns | None = None) -> Iterator[RawDoc | InputError]:
    source = str(path)
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        yield UnsupportedInput(
            f"reading Parquet needs pyarrow, which is not installed; install it with: {INSTALL_HINT}",
            source=source,
        )
        return
    rows = 0
    try:
        table = pq.ParquetFile(path)
        names = table.schema_arrow.names
        fields = header_fields(names, columns, source)
        if isinstance(fields, InputError):
            yield fields
            return
        text_column = names[fields["text"]]
        wanted = sorted(set(fields.values()))
        for batch in table.iter_batches(batch_size=BATCH_ROWS, columns=[names[i] for i in wanted]):
            by_name = {names[i]: batch.column(n).to_pylist() for n, i in enumerate(wanted)}
            for row in range(batch.num_rows):
                rows += 1
                record = {f: by_name[names[i]][row] for f, i in fields.items()}
                yield record_doc(
                    record, f"{source}#{rows}", source, max_bytes=max_bytes,
                    no_text=f"row has no text (column {text_column!r} is empty)",
                )
    except (pa.ArrowException, OSError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        tail = f"; {rows} row(s) before it were read" if rows else ""
        yield CorruptInput(f"not a readable Parquet file ({detail}){tail}", source=source)
