"""Finding inputs, recognising their format and handing each file to its format's reader.

Readers (``jsonrecords``, ``csvfiles``, ``parquet``, ``warc``, ``feeds``, and plain text and HTML
here) yield
:class:`RawDoc` items and, for records they cannot use, :class:`InputError` items instead of
raising, so one bad record in a JSONL file or one broken page in a WARC does not stop the rest
from going in. Every reader reads lazily and within bounds: a file is never held whole unless
it is one article, and then only up to ``ingest.max_article_mb``.

A file is never taken for another format than its own nor passed over without a word: an OPML
list of feeds is refused with that reason, and a file in a folder whose extension is not one of
:data:`EXTENSIONS` is reported as :class:`Skipped`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import EmptyInput, InputError, UnreadableInput, UnsupportedInput
from .csvfiles import read_csv, sniff_delimiter
from .decode import decode_bytes
from .feeds import read_feed
from .jsonrecords import read_json
from .parquet import read_parquet
from .raw import RawDoc, is_gzip, read_bytes, too_large
from .records import Columns
from .warc import read_warc

Format = Literal["text", "html", "json", "csv", "parquet", "warc", "feed", "opml"]
# Bytes read to recognise a file without a known extension.
SNIFF_BYTES = 4096

EXTENSIONS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".csv": "csv",
    ".tsv": "csv",
    ".tab": "csv",
    ".parquet": "parquet",
    ".warc": "warc",
    ".arc": "warc",
    ".wet": "warc",  # Common Crawl's extracted text: WARC conversion records
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".opml": "opml",
}
# What a folder walk reads, for the message on what it skips.
KNOWN = "txt, html, json/jsonl, csv/tsv, parquet, warc/wet, rss/atom/xml; any of them .gz"
PARQUET_MAGIC = b"PAR1"
OPML_REASON = "an OPML list of feeds, not articles; ingest the feeds it lists (their RSS/Atom files) instead"


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    format: Format | None  # None: decide from the bytes
    group: str  # files of one group share furniture lines (see TextCleaner's `repeated`)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A file in a folder that is not in a format narrascope reads: reported, not read."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[InputFile | Skipped | InputError]:
    """Files named, and the files of folders named (recursively, hidden ones skipped).

    In a folder, files whose extension is not a known format come as :class:`Skipped` (a file
    named on the command line is always read, its format sniffed from its bytes).
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            try:
                found = sorted(_walk(path))
            except OSError as exc:
                yield UnreadableInput(f"cannot list folder ({exc.strerror or exc})", source=str(path))
                continue
            for file in found:
                fmt = format_for(file)
                if fmt is not None or not file.suffix or file.suffix.lower() == ".gz":
                    yield InputFile(file, fmt, str(file.parent))
                else:
                    yield Skipped(file, f"skipped: {file.suffix!r} is not a format narrascope reads ({KNOWN})")
        elif path.is_file():
            yield InputFile(path, format_for(path), str(path.parent))
        elif path.exists():
            yield UnreadableInput("not a regular file", source=str(path))
        else:
            yield UnreadableInput("no such file or folder", source=str(path))


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder, onerror=_raise):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                yield Path(root) / name


def _raise(exc: OSError) -> None:
    raise exc


def format_for(path: Path) -> Format | None:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return EXTENSIONS.get(Path(name).suffix)


def sniff(head: bytes) -> Format:
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith((b"{", b"[")):
        return "json"
    if _is_opml(start):
        return "opml"
    if b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start:
        return "feed"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in start or b"<p>" in start:
        return "html"
    if _is_table(head):
        return "csv"
    return "text"


def _is_opml(start: bytes) -> bool:
    return b"<opml" in start[:1024].lower()


def _is_table(head: bytes) -> bool:
    """A header line naming a text column among others, with a row after it: a CSV export."""
    lines = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)
    if len(lines) < 2 or not lines[1].strip() or len(lines[0]) > 2000:
        return False
    return sniff_delimiter(lines[0].decode("utf-8", "replace")) is not None


def read_file(
    file: InputFile, *, max_bytes: int, columns: Columns | None = None
) -> Iterator[RawDoc | InputError]:
    """The documents of one file, or the errors that stop them; never raises for a bad file.

    ``columns`` names the key or column each field of a record (JSON, CSV, Parquet) is read from.
    """
    source = str(file.path)
    try:
        size = file.path.stat().st_size
        if size == 0:
            yield EmptyInput("empty file", source=source)
            return
        gz = is_gzip(file.path)
        fmt = file.format
        if fmt in (None, "feed", "html"):
            head = read_bytes(file.path, SNIFF_BYTES)
            # An OPML list is XML like a feed: named .xml, it is still no feed.
            fmt = "opml" if _is_opml(head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()) else fmt or sniff(head)
        if fmt == "opml":
            yield UnsupportedInput(OPML_REASON, source=source)
            return
        if fmt in ("text", "html", "feed"):
            # One document (a feed is parsed whole): read it whole, but never past the limit.
            if size > max_bytes and not gz:
                yield too_large(max_bytes, source=source, size=size)
                return
            data = read_bytes(file.path, max_bytes + 1)
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield UnreadableInput(f"cannot read ({exc.strerror or exc})", source=source)
        return
    if fmt == "json":
        yield from read_json(file.path, max_bytes=max_bytes, columns=columns)
    elif fmt == "csv":
        yield from read_csv(file.path, max_bytes=max_bytes, columns=columns)
    elif fmt == "parquet":
        yield from read_parquet(file.path, max_bytes=max_bytes, columns=columns)
    elif fmt == "warc":
        yield from read_warc(file.path, max_bytes=max_bytes)
    elif len(data) > max_bytes:
        yield too_large(max_bytes, source=source, size=None if gz else len(data))
    else:
        yield from _read_document(data, fmt, source)


def _read_document(data: bytes, fmt: Format, source: str) -> Iterator[RawDoc | InputError]:
    try:
        decoded = decode_bytes(data, source=source)
    except InputError as exc:
        yield exc
        return
    if fmt == "feed":
        yield from read_feed(decoded.text, source)
        return
    yield RawDoc(
        source,
        decoded.text,
        "html" if fmt == "html" else "text",
        source,
        meta={"encoding": decoded.encoding},
        warnings=[decoded.warning] if decoded.warning else [],
    )


__all__ = ["Format", "InputFile", "RawDoc", "Skipped", "discover", "format_for", "read_file", "sniff"]
