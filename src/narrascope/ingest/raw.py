"""What every reader shares: the raw document it yields and bounded, gzip-aware file reading."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from ..errors import CorruptInput, TooLarge

DocKind = Literal["text", "html", "fragment"]
GZIP_MAGIC = b"\x1f\x8b"
# What a broken gzip stream raises while being read (BadGzipFile is an OSError).
GZIP_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


@dataclass(slots=True)
class RawDoc:
    """One article's raw material before extraction: where it came from and what it says.

    ``body`` is the document as given (a file's text, an HTML page, a record's text field, a
    feed item's body): the article id is derived from it, not from the cleaned text.
    """

    source: str
    body: str
    kind: DocKind
    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def is_gzip(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(2) == GZIP_MAGIC


def open_binary(path: Path) -> IO[bytes]:
    """``path`` for reading, decompressed on the fly when it is gzip."""
    return gzip.open(path, "rb") if is_gzip(path) else path.open("rb")


def read_bytes(path: Path, limit: int) -> bytes:
    """At most ``limit`` bytes of ``path``, decompressed: a small .gz can hold gigabytes."""
    try:
        with open_binary(path) as fh:
            return fh.read(limit)
    except GZIP_ERRORS as exc:
        raise CorruptInput(f"truncated or corrupt gzip ({exc})", source=str(path)) from exc


def too_large(max_bytes: int, *, source: str, size: int | None = None) -> TooLarge:
    """The one message for an article over ``ingest.max_article_mb``."""
    what = f"{size / 2**20:.1f} MB is more" if size is not None else "more"
    return TooLarge(
        f"{what} than the {max_bytes / 2**20:g} MB allowed for one article (setting ingest.max_article_mb)",
        source=source,
    )
