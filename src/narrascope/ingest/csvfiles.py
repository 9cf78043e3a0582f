"""CSV and TSV exports (Media Cloud, GDELT-derived, a spreadsheet): one article per row, read as a stream.

The first row is the header; its names say which column holds which field (:mod:`.records`,
``--columns`` to name them). The delimiter is a tab for ``.tsv``/``.tab`` files, otherwise the one
of ``, ; | tab`` that splits the header into the most known names. Rows are read one at a time and
none is held past the article size limit (plus room for the other fields): a longer row is one
error and is read on, in pieces, to its end (a long quoted field to its closing quote), and the
rows after it go in. A quote left open to the end of the file is one error naming its row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorruptInput, EmptyInput, InputError, UnreadableInput
from .decode import stream_encoding
from .jsonrecords import RECORD_SLACK, with_bad_utf8
from .raw import GZIP_ERRORS, RawDoc, open_binary, read_bytes, too_large
from .records import FIELD_ALIASES, Columns, header_fields, record_doc

HEAD_BYTES = 65536
_DELIMITERS = ",\t;|"
TAB_SUFFIXES = (".tsv", ".tab")


def read_csv(path: Path, *, max_bytes: int, columns: Columns | None = None) -> Iterator[RawDoc | InputError]:
    source = str(path)
    limit = max_bytes + RECORD_SLACK
    # A field may be as long as an article; the csv module's default (128 KiB) is far less.
    if csv.field_size_limit() < limit:
        csv.field_size_limit(limit)
    read = 0
    try:
        head = read_bytes(path, HEAD_BYTES)
        if not head.strip():
            yield EmptyInput("empty file", source=source)
            return
        encoding = stream_encoding(head, source, whole=len(head) < HEAD_BYTES)
        with _open_text(path, encoding) as text:
            first = text.readline(limit)
            delimiter = _delimiter(first, path, columns)
            records = _records(_chain_first(first, text, limit), delimiter, limit)
            header_record = next(records, None)
            header = _row(header_record, delimiter) if header_record else None
            if isinstance(header, str):
                yield CorruptInput(f"header row: {header}", source=f"{source}#1")
                return
            if not header or not any(h.strip() for h in header):
                yield EmptyInput("no header row", source=source)
                return
            fields = header_fields([h.lstrip("\ufeff") for h in header], columns, source)
            if isinstance(fields, InputError):
                yield fields
                return
            text_column = header[fields["text"]].strip()
            for record in records:
                where = f"{source}#{record.start}"
                if record.problem == "too large":
                    err = too_large(max_bytes, source=where)
                    err.reason += f"; {_lines(record)} skipped"
                    yield err
                    continue
                row = _row(record, delimiter)
                if isinstance(row, str):
                    yield CorruptInput(row, source=where)
                    continue
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                record_fields = {f: row[i] if i < len(row) and row[i].strip() else None for f, i in fields.items()}
                doc = record_doc(
                    record_fields, where, source, max_bytes=max_bytes,
                    no_text=f"row has no text (column {text_column!r} is empty)",
                )
                doc = with_bad_utf8(doc, sum(cell.count("\ufffd") for cell in row), where)
                read += isinstance(doc, RawDoc)
                yield doc
    except InputError as exc:
        yield exc
    except GZIP_ERRORS as exc:
        yield CorruptInput(f"truncated or corrupt gzip ({exc}); {read} row(s) before it were read", source=source)
    except OSError as exc:
        yield UnreadableInput(f"cannot read ({exc.strerror or exc})", source=source)


@dataclass(slots=True)
class _Record:
    """The physical lines ``start``..``end`` of one CSV row; ``parts`` empty when ``problem``."""

    start: int
    end: int
    parts: list[str]
    problem: str | None = None  # "too large", "unclosed quote"


def _lines(record: _Record) -> str:
    return f"line {record.start}" if record.end <= record.start else f"lines {record.start}-{record.end}"


def _row(record: _Record, delimiter: str) -> list[str] | str:
    """The cells of ``record``, or why it is no row."""
    if record.problem == "too large":
        return f"longer than the size limit; {_lines(record)} not read"
    if record.problem == "unclosed quote":
        return (
            f"unclosed quote: the quoted field opened in this row runs to the end of the file; {_lines(record)} "
            "not read (rows after the quote are inside the field and cannot be told apart reliably)"
        )
    # strict: a quote closed in the wrong place ('"x"y') is an error, not a guess.
    reader = csv.reader(record.parts, delimiter=delimiter, strict=True)
    try:
        return next(reader, [])
    except csv.Error as exc:
        return f"not a CSV row ({exc}); {_lines(record)} not read"


def _records(chunks: Iterator[str], delimiter: str, limit: int) -> Iterator[_Record]:
    """The rows of a CSV text given as ``chunks`` (lines, a line longer than ``limit`` in pieces).

    Where each row ends is found here, by the rules the csv module reads it by (a quote opens a
    field only at its start, ``""`` inside is a quote, a row ends at a line end outside quotes), so
    that a row longer than ``limit`` is skipped to its end (the closing quote of a long quoted
    field included) without holding more than ``limit`` of it, and the rows after it are read.
    """
    scan = _Scan(delimiter)
    record: _Record | None = None
    size = 0
    line = 1
    for chunk in chunks:
        if record is None:
            record, size = _Record(line, line, []), 0
            scan.reset()
        size += len(chunk)
        if record.problem is None and size > limit:
            record.problem, record.parts = "too large", []
        elif record.problem is None:
            record.parts.append(chunk)
        ends = scan.feed(chunk)
        record.end = line
        if chunk.endswith(("\n", "\r")):
            line += 1
        if ends:
            yield record
            record = None
    if record is not None:
        if scan.quoted and not scan.quote_seen:  # however long: what went wrong is the quote
            record.problem, record.parts = "unclosed quote", []
        yield record


class _Scan:
    """Where a row ends: the state of the csv module's reader, fed a row's text a piece at a time."""

    def __init__(self, delimiter: str) -> None:
        self.delimiter = delimiter
        self.reset()

    def reset(self) -> None:
        self.quoted = False  # inside a quoted field
        self.quote_seen = False  # a quote just seen inside a quoted field: closing it, or "" ?
        self.field_start = True
        self.broken = False  # a quote closed in the wrong place: the row ends with this line

    def feed(self, s: str) -> bool:
        """Read ``s`` on; True when the row ends with it."""
        n = len(s)
        eol = n - (2 if s.endswith("\r\n") else 1 if s.endswith(("\n", "\r")) else 0)
        at_line_end = eol < n
        if self.broken:
            return at_line_end
        i = 0
        while True:
            if self.quote_seen:
                if i >= n:
                    return False
                self.quote_seen = False
                if s[i] == '"':
                    i += 1
                    continue
                self.quoted = False
                if i >= eol:
                    return at_line_end
                if s[i] == self.delimiter:
                    i += 1
                    self.field_start = True
                    continue
                self.broken = True
                return at_line_end
            if self.quoted:
                j = s.find('"', i)
                if j < 0:
                    return False  # a line end here is inside the field
                self.quote_seen, i = True, j + 1
                continue
            if i >= eol:
                return at_line_end
            if self.field_start and s[i] == '"':
                self.quoted, self.field_start, i = True, False, i + 1
                continue
            j = s.find(self.delimiter, i, eol)
            self.field_start, i = (True, j + 1) if j >= 0 else (False, eol)


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    # newline="": the csv module finds the line ends itself (a quoted field may hold "\r\n").
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors="replace", newline="")


def _chain_first(first: str, text: io.TextIOBase, limit: int) -> Iterator[str]:
    """``first``, then the rest of ``text`` a line at a time, no piece longer than ``limit``."""
    chunk = first
    while chunk:
        if len(chunk) >= limit and chunk.endswith("\r"):
            chunk += text.readline(1)  # the limit may fall inside a "\r\n": keep the line end whole
        yield chunk
        chunk = text.readline(limit)


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
