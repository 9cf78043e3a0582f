"""WARC archives (and gzipped ones): every HTML ``response`` record is one page, and every
``conversion`` record (Common Crawl's WET files: a page's text, extracted) one plain text.

warcio stops quietly at a cut; what was cut is found here (a record shorter than its
Content-Length, a header cut in half, bytes left after the last whole record) and reported as one
error, naming the record (``FILE#N``, the Nth record), after the pages before the cut; nothing of a
cut record is stored.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import CorruptInput, EmptyInput, InputError
from .decode import decode_bytes
from .raw import GZIP_MAGIC, DocKind, RawDoc, too_large


def read_warc(path: Path, *, max_bytes: int) -> Iterator[RawDoc | InputError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    pages = records = 0
    failure: str | None = None
    truncated = False
    end = 0
    try:
        with path.open("rb") as fh:
            archive = ArchiveIterator(fh)
            for record in archive:
                records += 1
                item = _item(archive, record, source, f"{source}#{records}", pages, max_bytes)
                end = archive.get_record_offset() + archive.get_record_length()
                if item is None:
                    continue
                if isinstance(item, _Cut):
                    truncated = True
                    yield CorruptInput(
                        f"{item.reason}; {pages} page(s) before it were read", source=item.source
                    )
                    continue
                pages += 1
                yield item
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError, AttributeError, TypeError) as exc:
        # warcio raises AttributeError/TypeError on headers cut in the middle
        failure = (
            "truncated or corrupt gzip" if isinstance(exc, EOFError | zlib.error) else "not a readable WARC"
        )
        failure += f" ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no detail'})"
    if failure is None and records and _bytes_after(path, end):
        # warcio ends quietly at a cut; bytes left after the last whole record are a cut record.
        failure = "truncated: the last record is incomplete"
    if failure:
        yield CorruptInput(f"{failure}; {pages} page(s) before it were read", source=source)
    elif truncated:
        return  # said above, naming the record
    elif records == 0 or _arc_misread(path):
        yield CorruptInput("not a WARC file: no WARC records found", source=source)
    elif pages == 0:
        yield EmptyInput("no HTML response records nor text conversion records in this WARC", source=source)


@dataclass(frozen=True, slots=True)
class _Cut:
    """A record that the end of the file cut short."""

    reason: str
    source: str


def _item(
    archive, record, source: str, numbered: str, pages: int, max_bytes: int
) -> RawDoc | InputError | _Cut | None:
    """The document of ``record`` (read to its end), the error it makes, or None when it is no page."""
    page = _page(record, max_bytes)
    archive.read_to_end(record)
    if (cut := _cut(record)) is not None:
        return _Cut(cut, numbered)
    if page is None:
        return None
    url, body, kind = page
    where = f"{source}!{url or pages + 1}"
    if len(body) > max_bytes:
        return too_large(max_bytes, source=where)
    try:
        decoded = decode_bytes(body, source=where)
    except InputError as exc:
        return exc
    return RawDoc(
        where,
        decoded.text,
        kind,
        source,
        meta={"url": url} if url else {},
        warnings=[decoded.warning] if decoded.warning else [],
    )


def _page(record, max_bytes: int) -> tuple[str | None, bytes, DocKind] | None:
    """(url, body, kind) of an HTML response record or a text conversion record, else None.

    The body is read to one byte past the article limit: enough to know it is too large. A
    conversion record holds the page's text without HTTP headers; Common Crawl's say
    ``text/plain``, and one of another type (a PDF's conversion to XML) is not an article.
    """
    if record.rec_type == "conversion":
        ctype = record.rec_headers.get_header("Content-Type") or "text/plain"
        if not ctype.lower().startswith("text/plain"):
            return None
        kind: DocKind = "text"
    elif record.rec_type == "response":
        ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
        if "html" not in ctype.lower():
            return None
        kind = "html"
    else:
        return None
    return record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read(max_bytes + 1), kind


def _cut(record) -> str | None:
    """Why ``record`` (read to its end) is cut short, or None when it is whole.

    warcio hands out a record cut by the end of the file as if it were whole: its body is then
    short of the Content-Length its header promised (the reader's ``limit`` left over), or its
    header itself was cut before the Content-Length line.
    """
    if getattr(record, "format", "warc") != "warc":
        return None  # an old ARC record: no Content-Length header to hold it to
    length = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not length.isdigit():
        return "truncated record: its header is cut (no Content-Length)"
    missing = getattr(record.raw_stream, "limit", 0)
    if not isinstance(missing, int) or missing <= 0:
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    of = f" of {url}" if url else ""
    return f"truncated record{of} ({int(length) - missing} of {length} bytes)"


def _bytes_after(path: Path, offset: int) -> bool:
    with path.open("rb") as fh:
        fh.seek(offset)
        return bool(fh.read(64).strip())


def _arc_misread(path: Path) -> bool:
    """warcio takes any line of five words for an old ARC header; a real archive starts with one."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head[:2] == GZIP_MAGIC:
        return False
    return not head.startswith((b"WARC/", b"filedesc://"))
