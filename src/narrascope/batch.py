"""JSONL batch commands: one object per line in, one per line out, same ids, bad lines reported.

``run_jsonl`` is the shared plumbing of ``narrascope checkworthy`` (and the other batch
commands): it reads records, checks the fields each needs, hands them to a scoring function in
batches, and writes one output line per good input line. A malformed line is an error naming
it, ``FILE:LINE: reason`` (as a sources file's rows are named), and is skipped; the others are
still scored, also when scoring fails on one record of a batch: the batch is then scored a record
at a time, so only the record that fails is lost, and named.
"""

from __future__ import annotations

import codecs
import json
import sys
from collections.abc import Callable, Iterable, Iterator
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
    warnings: list[str] = field(default_factory=list)  # "FILE:LINE: what was changed", the record still read


@dataclass(slots=True)
class Record:
    """One good input line: the record, where it was read (``FILE:LINE``) and, when some of its
    characters could not be kept (see :mod:`narrascope.safetext`), a warning saying so."""

    record: dict[str, Any]
    where: str
    warning: str | None = None


def read_records(path: str, required: tuple[str, ...]) -> Iterator[Record | InputError]:
    """The records of a JSONL file (``-``: standard input), each line judged on its own.

    Lines are read as bytes and decoded one by one, so a bad byte costs its line only; a UTF-8
    byte-order mark before the first line is dropped.
    """
    if path == "-":
        stdin = getattr(sys.stdin, "buffer", None)
        yield from _records(stdin if stdin is not None else _encoded(sys.stdin), "-", required)
        return
    try:
        with Path(path).open("rb") as fh:
            yield from _records(fh, path, required)
    except OSError as exc:
        yield UnreadableInput(f"cannot read ({exc.strerror or exc})", source=path)


def _encoded(stream: TextIO) -> Iterator[bytes]:
    """A text stream without a byte buffer (a test's StringIO) as the bytes ``_records`` reads."""
    for line in stream:
        yield line.encode("utf-8", "surrogatepass")


class _NotFinite(ValueError):
    """NaN, Infinity or a number too large for a float: JSON has no such number."""


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _NotFinite(f"{text} is too large a number")
    return value


def _no_constant(name: str) -> float:
    raise _NotFinite(f"{name} is not a JSON value")


def _records(lines: Iterable[bytes], path: str, required: tuple[str, ...]) -> Iterator[Record | InputError]:
    for no, raw in enumerate(lines, 1):
        if no == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        where = f"{path}:{no}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield CorruptInput(f"not UTF-8 text ({exc.reason} at byte {exc.start + 1} of the line)", source=where)
            continue
        try:
            record = json.loads(line, parse_float=_finite, parse_constant=_no_constant)
        except json.JSONDecodeError as exc:
            yield CorruptInput(f"invalid JSON ({exc.msg}, column {exc.colno})", source=where)
            continue
        except ValueError as exc:  # _NotFinite, or an integer of thousands of digits
            yield CorruptInput(f"invalid JSON ({str(exc).splitlines()[0]})", source=where)
            continue
        if not isinstance(record, dict):
            yield CorruptInput(f"expected a JSON object, got {type(record).__name__}", source=where)
            continue
        record, note = _storable(record)
        if problem := _fields_problem(record, required):
            yield problem(where)
            continue
        if "id" not in record:
            record["id"] = no  # without an id, the line number identifies the record
        yield Record(record, where, f"{where}: {note}" if note else None)


def _fields_problem(record: dict[str, Any], required: tuple[str, ...]) -> Callable[[str], InputError] | None:
    """What is wrong with the fields ``required`` of ``record``: absent or blank, or not text."""
    wrong = [k for k in required if k in record and record[k] is not None and not isinstance(record[k], str)]
    if wrong:
        types = ", ".join(f"{k!r} must be a string, got {type(record[k]).__name__}" for k in wrong)
        return lambda where: CorruptInput(types, source=where)
    missing = [k for k in required if not isinstance(record.get(k), str) or not record[k].strip()]
    if missing:
        return lambda where: MissingField(f"record has no text in {', '.join(repr(k) for k in missing)}", source=where)
    return None


def _storable(record: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """``record`` with every string in it, keys and nested values too, made storable."""
    counts = [0, 0]

    def fix(value: Any) -> Any:
        if isinstance(value, str):
            value, nul, surrogates = safetext.storable(value)
            counts[0] += nul
            counts[1] += surrogates
            return value
        if isinstance(value, dict):
            return {fix(k): fix(v) for k, v in value.items()}
        if isinstance(value, list):
            return [fix(v) for v in value]
        return value

    out = fix(record)
    return out, safetext.describe(*counts)


Score = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


def run_jsonl(records: Iterator[Record | InputError], out: TextIO, score: Score) -> BatchReport:
    report = BatchReport()
    batch: list[Record] = []

    def flush() -> None:
        for item, result in _scored(batch, score, report):
            try:
                line = json.dumps({"id": item.record["id"], **result}, ensure_ascii=False, allow_nan=False)
            except ValueError:  # a score that is not a number: never written as invalid JSON
                report.errors.append(CorruptInput("no finite score for this record", source=item.where))
                continue
            out.write(line + "\n")
            report.written += 1
        batch.clear()

    for item in records:
        if isinstance(item, InputError):
            report.errors.append(item)
            continue
        if item.warning:
            report.warnings.append(item.warning)
        batch.append(item)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return report


def _scored(batch: list[Record], score: Score, report: BatchReport) -> Iterator[tuple[Record, dict[str, Any]]]:
    """Each record of ``batch`` with its result. Should scoring the batch fail, its records are
    scored one by one: a record that fails alone is an error naming it, the others are kept."""
    try:
        results = score([item.record for item in batch])
    except Exception as exc:  # any fault of one record must not cost its batch
        if len(batch) == 1:
            report.errors.append(_unscored(batch[0], exc))
            return
    else:
        yield from zip(batch, results, strict=True)
        return
    for item in batch:
        try:
            (result,) = score([item.record])
        except Exception as exc:  # reported as this record's error, with its cause
            report.errors.append(_unscored(item, exc))
            continue
        yield item, result


def _unscored(item: Record, exc: Exception) -> InputError:
    cause = " ".join(str(exc).split()) or type(exc).__name__
    return CorruptInput(f"cannot be scored ({cause})", source=item.where)
