"""Finding inputs, recognising their format and handing each file to its format's reader.

Readers (``jsonrecords``, ``warc``, ``feeds``, and plain text and HTML here) yield
:class:`RawDoc` items and, for records they cannot use, :class:`InputError` items instead of
raising, so one bad record in a JSONL file or one broken page in a WARC does not stop the rest
from going in. Every reader reads lazily and within bounds: a file is never held whole unless
it is one article, and then only up to ``ingest.max_article_mb``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..errors import EmptyInput, InputError, UnreadableInput
from .decode import decode_bytes
from .feeds import read_feed
from .jsonrecords import read_json
from .raw import RawDoc, is_gzip, read_bytes, too_large
from .warc import read_warc

Format = Literal["text", "html", "json", "warc", "feed"]
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
    ".warc": "warc",
    ".arc": "warc",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
}


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path
    format: Format | None  # None: decide from the bytes
    group: str  # files of one group share furniture lines (see TextCleaner's `repeated`)


def discover(paths: Iterable[str | os.PathLike[str]]) -> Iterator[InputFile | InputError]:
    """Files named, and the files of folders named (recursively, hidden ones skipped)."""
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
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048].lower()
    if start.startswith(b"warc/"):
        return "warc"
    if start.startswith((b"{", b"[")):
        return "json"
    if b"<rss" in start or b"<feed" in start or b"<rdf:rdf" in start:
        return "feed"
    if start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in start or b"<p>" in start:
        return "html"
    return "text"


def read_file(file: InputFile, *, max_bytes: int) -> Iterator[RawDoc | InputError]:
    """The documents of one file, or the errors that stop them; never raises for a bad file."""
    source = str(file.path)
    try:
        size = file.path.stat().st_size
        if size == 0:
            yield EmptyInput("empty file", source=source)
            return
        gz = is_gzip(file.path)
        fmt = file.format or sniff(read_bytes(file.path, SNIFF_BYTES))
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
        yield from read_json(file.path, max_bytes=max_bytes)
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


__all__ = ["Format", "InputFile", "RawDoc", "discover", "format_for", "read_file", "sniff"]
