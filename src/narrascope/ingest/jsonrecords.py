"""JSON and JSONL records, read as a stream: one article per record, one record in memory at a time.

A file may be JSONL (one object per line; ``.jsonl.gz`` too), a JSON array, or one pretty-printed
object. Lines are split on ``\\n`` only: ``json.dumps(ensure_ascii=False)`` writes U+2028 and
U+0085 raw inside strings, and ``str.splitlines`` would cut a record there. Each record is read
to at most ``ingest.max_article_mb`` (plus room for its other fields), so a large export or a
gzip bomb never has to fit in memory.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import CorruptInput, InputError, UnreadableInput
from .decode import MAX_BAD_UTF8_RATIO, stream_encoding
from .raw import GZIP_ERRORS, RawDoc, open_binary, read_bytes, too_large
from .records import Columns, record_doc

# Bytes read to choose the encoding and the layout (array, lines, one object).
HEAD_BYTES = 65536
# Room for a record's other fields (title, url, authors...) on top of the article size limit.
RECORD_SLACK = 2**20
_CHUNK = 2**20
_SPACE = re.compile(r"[ \t\r\n]*")  # JSON's whitespace, nothing else
_DECODER = json.JSONDecoder()

class _Broken(Exception):
    """The stream stops being JSON here; nothing after it can be read."""


class _Oversized(Exception):
    """A record longer than the limit; where it ends cannot be found without reading it all."""


def read_json(path: Path, *, max_bytes: int, columns: Columns | None = None) -> Iterator[RawDoc | InputError]:
    """The records of a JSON or JSONL file as documents (fields as :mod:`.records` reads them)."""
    source = str(path)
    limit = max_bytes + RECORD_SLACK
    read = 0
    try:
        head = read_bytes(path, HEAD_BYTES)
        encoding = stream_encoding(head, source, whole=len(head) < HEAD_BYTES)
        first = head.decode(encoding, errors="replace").lstrip("\ufeff \t\r\n")[:1]
        if first == "[":
            records = _array_records(path, encoding, source, limit)
        elif first == "{" and _pretty_printed(path, encoding, limit):
            records = _value_records(path, encoding, source, limit)
        else:
            records = _line_records(path, encoding, source, limit)
        for where, record, bad in records:
            if isinstance(record, InputError):
                yield record
                continue
            doc = with_bad_utf8(record_doc(record, where, source, max_bytes=max_bytes, columns=columns), bad, where)
            read += isinstance(doc, RawDoc)
            yield doc
    except InputError as exc:
        yield exc
    except GZIP_ERRORS as exc:
        yield CorruptInput(
            f"truncated or corrupt gzip ({exc}); {read} record(s) before it were read", source=source
        )
    except OSError as exc:
        yield UnreadableInput(f"cannot read ({exc.strerror or exc})", source=source)


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    # newline="\n": lines end at "\n" only (not at U+2028, U+0085 or a lone "\r").
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors="replace", newline="\n")


# -- the three layouts -------------------------------------------------------------------------

Record = tuple[str, Any, int]  # (where, value or InputError, replacement characters in it)


def _line_records(path: Path, encoding: str, source: str, limit: int) -> Iterator[Record]:
    with _open_text(path, encoding) as text:
        no = 0
        while line := text.readline(limit):
            no += 1
            where = f"{source}#{no}"
            if not line.endswith("\n") and len(line) >= limit:
                yield where, _record_too_large(limit, where), 0
                while (rest := text.readline(_CHUNK)) and not rest.endswith("\n"):
                    pass  # skip the rest of the oversized line
                continue
            if not line.strip(" \t\r\n"):
                continue
            try:
                yield where, json.loads(line), line.count("\ufffd")
            except json.JSONDecodeError as exc:
                yield where, CorruptInput(f"invalid JSON ({exc.msg}, column {exc.colno})", source=where), 0


def _array_records(path: Path, encoding: str, source: str, limit: int) -> Iterator[Record]:
    with _open_text(path, encoding) as text:
        scan = _Scanner(text, limit)
        n = 0
        try:
            scan.expect("[")
            if scan.peek() == "]":
                scan.pos += 1
            else:
                while True:
                    n += 1
                    value, bad = scan.value()
                    yield f"{source}#{n}", value, bad
                    sep = scan.peek()
                    scan.pos += 1
                    if sep == "]":
                        break
                    if sep != ",":
                        raise _Broken(scan.where("expected ',' or ']' after a record"))
            if scan.peek():
                raise _Broken(scan.where("extra data after the array"))
        except _Broken as exc:
            yield source, _broken(exc, n - 1, source), 0
        except _Oversized:
            where = f"{source}#{n}"
            yield where, _record_too_large(limit, where, rest_unread=True), 0


def _value_records(path: Path, encoding: str, source: str, limit: int) -> Iterator[Record]:
    """Objects one after another, each over several lines (``json.dump(..., indent=2)``)."""
    with _open_text(path, encoding) as text:
        scan = _Scanner(text, limit)
        n = 0
        try:
            while scan.peek():
                n += 1
                value, bad = scan.value()
                yield f"{source}#{n}", value, bad
        except _Broken as exc:
            yield source, _broken(exc, n - 1, source), 0
        except _Oversized:
            where = f"{source}#{n}"
            yield where, _record_too_large(limit, where, rest_unread=True), 0


def _pretty_printed(path: Path, encoding: str, limit: int) -> bool:
    """True when the first line is not JSON by itself but the first object, read on, is."""
    with _open_text(path, encoding) as text:
        while (line := text.readline(limit)) and not line.strip(" \t\r\n"):
            pass
        try:
            json.loads(line)
            return False
        except json.JSONDecodeError:
            pass
    with _open_text(path, encoding) as text:
        scan = _Scanner(text, limit)
        try:
            scan.value()
            return True
        except (_Broken, _Oversized):
            return False  # read it as lines: the first one gets the error, the others still go in


class _Scanner:
    """JSON values read one at a time from a text stream, through a bounded buffer."""

    def __init__(self, text: io.TextIOBase, limit: int) -> None:
        self.text, self.limit = text, limit
        self.buf, self.pos, self.eof = "", 0, False
        self.line = 1  # line number of buf[0]

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.text.read(_CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.line += self.buf.count("\n", 0, self.pos)
        self.buf, self.pos = self.buf[self.pos :] + chunk, 0
        return True

    def peek(self) -> str:
        """The next character that is not whitespace ("" at the end)."""
        while True:
            self.pos = _SPACE.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise _Broken(self.where(f"expected {char!r}"))
        self.pos += 1

    def value(self) -> tuple[Any, int]:
        """The next value and how many replacement characters it holds."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                # Incomplete or invalid: only more text (or its absence) tells which.
                if len(self.buf) - self.pos > self.limit:
                    raise _Oversized from exc
                if self._more():
                    continue
                raise _Broken(self.where(exc.msg, exc.pos)) from exc
            if end == len(self.buf) and self._more():
                continue  # a number at the end of the buffer may go on in the next chunk
            bad = self.buf.count("\ufffd", self.pos, end)
            self.pos = end
            return value, bad

    def where(self, message: str, pos: int | None = None) -> str:
        pos = self.pos if pos is None else pos
        line = self.line + self.buf.count("\n", 0, pos)
        column = pos - self.buf.rfind("\n", 0, pos)
        return f"{message} at line {line} column {column}"


def _broken(exc: _Broken, records_before: int, source: str) -> CorruptInput:
    tail = f"; {records_before} record(s) before it were read" if records_before > 0 else ""
    return CorruptInput(f"invalid JSON: {exc}{tail}", source=source)


def _record_too_large(limit: int, where: str, *, rest_unread: bool = False) -> InputError:
    err = too_large(limit - RECORD_SLACK, source=where)
    if rest_unread:
        err.reason += "; the rest of the file was not read"
    return err


def with_bad_utf8(doc: RawDoc | InputError, bad: int, where: str) -> RawDoc | InputError:
    """``doc`` with what its ``bad`` replaced bytes cost: a warning for a few, the record for more."""
    if not isinstance(doc, RawDoc) or not bad:
        return doc
    problem = bad_utf8(bad, doc.body, where)
    if isinstance(problem, InputError):
        return problem
    doc.warnings.append(problem)
    return doc


def bad_utf8(bad: int, text: str, where: str) -> str | InputError:
    """A warning for a few replaced bytes, an error for more (the rule decode_bytes applies)."""
    if bad > max(1, MAX_BAD_UTF8_RATIO * len(text.encode("utf-8", "surrogatepass"))):
        return CorruptInput(f"invalid UTF-8 ({bad} bad sequences)", source=where)
    return f"invalid UTF-8: {bad} character(s) replaced"
