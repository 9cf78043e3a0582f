"""CSV and TSV exports (Media Cloud, GDELT-derived, a spreadsheet): one article per row, read as a stream.

The first row is the header; its names say which column holds which field (:mod:`.records`,
``--columns`` to name them). The delimiter is a tab for ``.tsv``/``.tab`` files, otherwise the one
of ``, ; | tab`` that splits the header into the most known names. Rows are read one at a time and
no line or field is read past the article size limit (plus room for the other fields), so an
export far larger than memory, or one with a runaway quote, is read within bounds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ..errors import CorruptInput, EmptyInput, InputError, UnreadableInput
from .decode import stream_encoding
from .jsonrecords import RECORD_SLACK, bad_utf8
from .raw import GZIP_ERRORS, RawDoc, open_binary, read_bytes, too_large
from .records import FIELD_ALIASES, Columns, header_fields, record_doc

HEAD_BYTES = 65536
_DELIMITERS = ",\t;|"
TAB_SUFFIXES = (".tsv", ".tab")


class _LineTooLong(Exception):
    """A physical line longer than the limit: where the row ends cannot be found within bounds."""


def read_csv(path: Path, *, max_bytes: int, columns: Columns | None = None) -> Iterator[RawDoc | InputError]:
    source = str(path)
    limit = max_bytes + RECORD_SLACK
    # A field may be as long as an article; the csv module's default (128 KiB) is far less.
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    read = 0
    rows = None
    try:
        head = read_bytes(path, HEAD_BYTES)
        if not head.strip():
            yield EmptyInput("empty file", source=source)
            return
        encoding = stream_encoding(head, source, whole=len(head) < HEAD_BYTES)
        with _open_text(path, encoding) as text:
            lines = _bounded_lines(text, limit)
            first = next(lines, "")
            delimiter = _delimiter(first, path, columns)
            # strict: a quote left open to the end of the file is an error, not one row holding the rest.
            rows = csv.reader(_chain_first(first, lines), delimiter=delimiter, strict=True)
            header = next(rows, None)
            if not header or not any(h.strip() for h in header):
                yield EmptyInput("no header row", source=source)
                return
            fields = header_fields([h.lstrip("\ufeff") for h in header], columns, source)
            if isinstance(fields, InputError):
                yield fields
                return
            text_column = header[fields["text"]].strip()
            while True:
                start = rows.line_num + 1
                where = f"{source}#{start}"
                try:
                    row = next(rows, None)
                except csv.Error as exc:
                    if "field larger than field limit" in str(exc):
                        err = too_large(max_bytes, source=where)
                        err.reason += "; the rest of the file was not read"
                        yield err
                        return
                    if "unexpected end of data" in str(exc):
                        yield CorruptInput(_unclosed(start, rows.line_num), source=where)
                        return
                    lines_read = f"line {start}" if rows.line_num <= start else f"lines {start}-{rows.line_num}"
                    yield CorruptInput(f"not a CSV row ({exc}); {lines_read} not read", source=where)
                    continue
                if row is None:
                    break
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                record = {f: row[i] if i < len(row) and row[i].strip() else None for f, i in fields.items()}
                doc = record_doc(
                    record, where, source, max_bytes=max_bytes,
                    no_text=f"row has no text (column {text_column!r} is empty)",
                )
                bad = sum(cell.count("\ufffd") for cell in row)
                if isinstance(doc, RawDoc) and bad:
                    problem = bad_utf8(bad, doc.body, where)
                    if isinstance(problem, InputError):
                        doc = problem
                    else:
                        doc.warnings.append(problem)
                read += isinstance(doc, RawDoc)
                yield doc
    except _LineTooLong:
        err = too_large(max_bytes, source=f"{source}#{rows.line_num + 1 if rows else 1}")
        err.reason += "; the rest of the file was not read"
        yield err
    except InputError as exc:
        yield exc
    except GZIP_ERRORS as exc:
        yield CorruptInput(f"truncated or corrupt gzip ({exc}); {read} row(s) before it were read", source=source)
    except OSError as exc:
        yield UnreadableInput(f"cannot read ({exc.strerror or exc})", source=source)


def _unclosed(start: int, last: int) -> str:
    """The reason for a quote opened on line ``start`` and never closed before the end, line ``last``."""
    rest = f"line {start}" if last <= start else f"lines {start}-{last}"
    return (
        f"unclosed quote: the quoted field opened in this row runs to the end of the file; {rest} not read "
        "(rows after the quote are inside the field and cannot be told apart reliably)"
    )


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    # newline="": the csv module finds the line ends itself (a quoted field may hold "\r\n").
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors="replace", newline="")


def _bounded_lines(text: io.TextIOBase, limit: int) -> Iterator[str]:
    """The lines of ``text``, none read past ``limit`` characters."""
    while line := text.readline(limit):
        if len(line) >= limit and not line.endswith(("\n", "\r")):
            raise _LineTooLong
        yield line


def _chain_first(first: str, rest: Iterator[str]) -> Iterator[str]:
    if first:
        yield first
    yield from rest


def _delimiter(header_line: str, path: Path, columns: Columns | None) -> str:
    """Tab for .tsv/.tab; else the delimiter that splits the header into the most known names."""
    name = path.name.lower().removesuffix(".gz")
    if name.endswith(TAB_SUFFIXES):
        return "\t"
    return sniff_delimiter(header_line, columns) or ","


def sniff_delimiter(header_line: str, columns: Columns | None = None) -> str | None:
    """The delimiter under which ``header_line`` names a text column and most known fields, or None."""
    known = {a.casefold() for aliases in FIELD_ALIASES.values() for a in aliases}
    text_names = {a.casefold() for a in FIELD_ALIASES["text"]}
    if columns:
        known |= {c.casefold() for c in columns.values()}
        if "text" in columns:
            text_names = {columns["text"].casefold()}
    best, best_key = None, (0, 0)
    for delimiter in _DELIMITERS:
        cells = [c.strip().lstrip("\ufeff").casefold() for c in next(csv.reader([header_line], delimiter=delimiter), [])]
        if len(cells) < 2 or not text_names & set(cells):
            continue
        key = (sum(c in known for c in cells), len(cells))
        if key > best_key:
            best, best_key = delimiter, key
    return best
