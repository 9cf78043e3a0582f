"""JSONL batch commands: one object per line in, one per line out, same ids, bad lines reported.

``run_jsonl`` is the shared plumbing of ``narrascope checkworthy`` (and the other batch
commands): it reads records, checks the fields each needs, hands them to a scoring function in
batches, and writes one output line per good input line. A malformed line is an error naming
``FILE#LINE`` and is skipped; the others are still scored.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from . import safetext
from .errors import CorruptInput, InputError, MissingField, UnreadableInput

# Records scored per call: large enough for the embedder to batch, small enough to stream.
BATCH = 256


@dataclass(slots=True)
class BatchReport:
    written: int = 0
    errors: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # "FILE#LINE: what was changed", the record still read


@dataclass(slots=True)
class Cleaned:
    """A record some of whose characters could not be kept (see :mod:`narrascope.safetext`)."""

    record: dict[str, Any]
    warning: str


def read_records(path: str, required: tuple[str, ...]) -> Iterator[dict[str, Any] | Cleaned | InputError]:
    if path == "-":
        yield from _records(sys.stdin, "-", required)
        return
    try:
        with Path(path).open(encoding="utf-8") as fh:
            yield from _records(fh, path, required)
    except OSError as exc:
        yield UnreadableInput(f"cannot read ({exc.strerror or exc})", source=path)
    except UnicodeDecodeError as exc:
        yield CorruptInput(f"not UTF-8 text ({exc.reason} at byte {exc.start})", source=path)


def _records(stream: TextIO, path: str, required: tuple[str, ...]) -> Iterator[dict[str, Any] | Cleaned | InputError]:
    for no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        where = f"{path}#{no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield CorruptInput(f"invalid JSON ({exc.msg}, column {exc.colno})", source=where)
            continue
        if not isinstance(record, dict):
            yield CorruptInput(f"expected a JSON object, got {type(record).__name__}", source=where)
            continue
        record, note = _storable(record)
        missing = [k for k in required if not isinstance(record.get(k), str) or not record[k].strip()]
        if missing:
            yield MissingField(f"record has no text in {', '.join(repr(k) for k in missing)}", source=where)
            continue
        if "id" not in record:
            record["id"] = no  # without an id, the line number identifies the record
        yield Cleaned(record, f"{where}: {note}") if note else record


def _storable(record: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    counts = [0, 0]
    out = {}
    for key, value in record.items():
        if isinstance(value, str):
            value, nul, surrogates = safetext.storable(value)
            counts[0] += nul
            counts[1] += surrogates
        out[safetext.storable(key)[0] if isinstance(key, str) else key] = value
    return out, safetext.describe(*counts)


def run_jsonl(
    records: Iterator[dict[str, Any] | Cleaned | InputError],
    out: TextIO,
    score: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
) -> BatchReport:
    report = BatchReport()
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        for record, result in zip(batch, score(batch), strict=True):
            out.write(json.dumps({"id": record["id"], **result}, ensure_ascii=False) + "\n")
            report.written += 1
        batch.clear()

    for item in records:
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        if isinstance(item, Cleaned):
            report.warnings.append(item.warning)
            item = item.record
        batch.append(item)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return report
