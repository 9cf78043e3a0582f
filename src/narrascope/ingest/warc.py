"""WARC archives (and gzipped ones): every HTML ``response`` record is one page, and every
``conversion`` record (Common Crawl's WET files: a page's text, extracted) one plain text.

warcio stops quietly at a cut; what was cut is found here (bytes left after the last whole
record, a header cut in half) and reported as one error after the pages before the cut.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
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
    end = 0
    try:
        with path.open("rb") as fh:
            archive = ArchiveIterator(fh)
            for record in archive:
                records += 1
                page = _page(record, max_bytes)
                archive.read_to_end(record)
                end = archive.get_record_offset() + archive.get_record_length()
                if page is None:
                    continue
                url, body, kind = page
                where = f"{source}!{url or pages + 1}"
                if len(body) > max_bytes:
                    yield too_large(max_bytes, source=where)
                    continue
                pages += 1
                try:
                    decoded = decode_bytes(body, source=where)
                except InputError as exc:
                    yield exc
                    continue
                yield RawDoc(
                    where,
                    decoded.text,
                    kind,
                    source,
                    meta={"url": url} if url else {},
                    warnings=[decoded.warning] if decoded.warning else [],
                )
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
    elif records == 0 or _arc_misread(path):
        yield CorruptInput("not a WARC file: no WARC records found", source=source)
    elif pages == 0:
        yield EmptyInput("no HTML response records nor text conversion records in this WARC", source=source)


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
