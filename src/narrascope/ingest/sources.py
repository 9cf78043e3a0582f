"""Finding inputs and reading them into raw documents, one reader per format.

Readers yield :class:`RawDoc` items and, for records they cannot use, :class:`InputError`
items instead of raising, so one bad record in a JSONL file or one broken page in a WARC does
not stop the rest from going in.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import CorruptInput, EmptyInput, InputError, MissingField, TooLarge, UnreadableInput
from .decode import decode_bytes

Format = Literal["text", "html", "json", "warc", "feed"]
# A WARC page is read up to this size; anything longer is refused by the article size limit.
MAX_PAGE_READ = 64 * 2**20
DocKind = Literal["text", "html", "fragment"]

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


@dataclass(slots=True)
class RawDoc:
    """One article's raw material before extraction: where it came from and what it says."""

    source: str
    body: str
    kind: DocKind
    path: str
    meta: dict[str, Any] = field(default_factory=dict)
    warning: str | None = None


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
    source = str(file.path)
    try:
        size = file.path.stat().st_size
        if size == 0:
            yield EmptyInput("empty file", source=source)
            return
        fmt = file.format
        if fmt is None and not _gzipped(file.path):
            with file.path.open("rb") as fh:
                fmt = sniff(fh.read(4096))
        if fmt == "warc" or (fmt is None and _peek(file.path).startswith(b"WARC/")):
            yield from _read_warc(file.path, max_bytes=max_bytes)
            return
        if fmt in ("text", "html", "feed") and size > max_bytes and not _gzipped(file.path):
            yield TooLarge(
                f"{size / 2**20:.1f} MB is more than the {max_bytes / 2**20:g} MB allowed for "
                "one article (setting ingest.max_article_mb)",
                source=source,
            )
            return
        data = _read_bytes(file.path)
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield UnreadableInput(f"cannot read ({exc.strerror or exc})", source=source)
        return
    fmt = fmt or sniff(data[:4096])
    if fmt == "json":
        yield from _read_json(data, file.path, max_bytes=max_bytes)
        return
    if fmt == "warc":  # a gzipped WARC without the usual extension
        yield from _read_warc(file.path, max_bytes=max_bytes)
        return
    if len(data) > max_bytes:
        yield TooLarge(
            f"{len(data) / 2**20:.1f} MB is more than the {max_bytes / 2**20:g} MB allowed for one "
            "article (setting ingest.max_article_mb)",
            source=source,
        )
        return
    try:
        decoded = decode_bytes(data, source=source)
    except InputError as exc:
        yield exc
        return
    if fmt == "feed":
        yield from _read_feed(decoded.text, file.path)
    else:
        yield RawDoc(
            source,
            decoded.text,
            "html" if fmt == "html" else "text",
            source,
            meta={"encoding": decoded.encoding},
            warning=decoded.warning,
        )


def _peek(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(8)


def _gzipped(path: Path) -> bool:
    return _peek(path)[:2] == b"\x1f\x8b"


def _read_bytes(path: Path) -> bytes:
    with path.open("rb") as fh:
        data = fh.read()
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        return gzip.decompress(data)
    except (EOFError, OSError, zlib.error) as exc:
        raise CorruptInput(f"truncated or corrupt gzip ({exc})", source=str(path)) from exc


# -- JSON / JSONL ------------------------------------------------------------------------------

# news-please and similar scrapers name the fields differently; the first name present wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "maintext", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source_domain", "source", "sitename"),
    "author": ("author", "authors", "byline"),
    "published": ("published", "date_publish", "date", "published_at"),
    "language": ("language", "lang"),
    "id": ("id",),
}


def _read_json(data: bytes, path: Path, *, max_bytes: int) -> Iterator[RawDoc | InputError]:
    source = str(path)
    try:
        text = decode_bytes(data, source=source, declared_ok=False).text
    except InputError as exc:
        yield exc
        return
    stripped = text.lstrip()
    records: Iterable[tuple[str, Any]]
    if stripped.startswith("["):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            yield CorruptInput(
                f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", source=source
            )
            return
        records = ((f"{source}#{i + 1}", rec) for i, rec in enumerate(parsed))
    else:
        records = _jsonl_records(text, source)
    for where, record in records:
        if isinstance(record, InputError):
            yield record
        else:
            yield _json_record(record, where, source, max_bytes=max_bytes)


def _jsonl_records(text: str, source: str) -> Iterator[tuple[str, Any]]:
    try:  # a single pretty-printed object is a one-record file
        whole = json.loads(text)
    except json.JSONDecodeError:
        whole = None
    if isinstance(whole, dict):
        yield f"{source}#1", whole
        return
    for no, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}#{no}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, CorruptInput(f"invalid JSON ({exc.msg}, column {exc.colno})", source=where)


def _json_record(record: Any, where: str, path: str, *, max_bytes: int) -> RawDoc | InputError:
    if not isinstance(record, dict):
        return CorruptInput(f"expected a JSON object, got {type(record).__name__}", source=where)
    meta: dict[str, Any] = {}
    for name, aliases in FIELD_ALIASES.items():
        for alias in aliases:
            value = record.get(alias)
            if value not in (None, "", []):
                meta[name] = value
                break
    text = meta.pop("text", None)
    if text is None:
        return MissingField("record has no 'text' (nor 'maintext')", source=where)
    if not isinstance(text, str):
        return CorruptInput(f"'text' must be a string, got {type(text).__name__}", source=where)
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return TooLarge("text is larger than setting ingest.max_article_mb allows", source=where)
    if isinstance(meta.get("author"), list):
        meta["author"] = ", ".join(str(a) for a in meta["author"])
    for key in ("title", "url", "outlet", "author", "published", "language", "id"):
        if key in meta and not isinstance(meta[key], str):
            meta[key] = str(meta[key])
    kind: DocKind = "fragment" if _looks_like_html(text) else "text"
    return RawDoc(where, text, kind, path, meta=meta)


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return head.count("<p") + head.count("<div") + head.count("<br") >= 2


# -- WARC --------------------------------------------------------------------------------------


def _read_warc(path: Path, *, max_bytes: int) -> Iterator[RawDoc | InputError]:
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
                page = _warc_page(record)
                archive.read_to_end(record)
                end = archive.get_record_offset() + archive.get_record_length()
                if page is None:
                    continue
                url, body = page
                where = f"{source}!{url or pages + 1}"
                if len(body) > max_bytes:
                    yield TooLarge("page is larger than setting ingest.max_article_mb allows", source=where)
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
                    "html",
                    source,
                    meta={"url": url} if url else {},
                    warning=decoded.warning,
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
        yield EmptyInput("no HTML response records in this WARC", source=source)


def _warc_page(record) -> tuple[str | None, bytes] | None:
    """(url, body) of an HTML response record, None for any other record."""
    if record.rec_type != "response":
        return None
    ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else "") or ""
    if "html" not in ctype.lower():
        return None
    return record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read(MAX_PAGE_READ)


def _bytes_after(path: Path, offset: int) -> bool:
    with path.open("rb") as fh:
        fh.seek(offset)
        return bool(fh.read(64).strip())


def _arc_misread(path: Path) -> bool:
    """warcio takes any line of five words for an old ARC header; a real archive starts with one."""
    head = _peek(path)
    if head[:2] == b"\x1f\x8b":
        return False
    return not head.startswith((b"WARC/", b"filedesc://"))


# -- RSS / Atom --------------------------------------------------------------------------------


def _read_feed(text: str, path: Path) -> Iterator[RawDoc | InputError]:
    import feedparser

    source = str(path)
    feed = feedparser.parse(text)
    if not feed.entries:
        if feed.get("bozo"):
            yield CorruptInput(f"not a readable RSS/Atom feed ({feed.get('bozo_exception')})", source=source)
        else:
            yield EmptyInput("feed has no items", source=source)
        return
    outlet = (feed.feed.get("title") or "").strip() or None
    for i, entry in enumerate(feed.entries, 1):
        where = f"{source}#{entry.get('id') or entry.get('link') or i}"
        body = ""
        if entry.get("content"):
            body = max((c.get("value") or "" for c in entry.content), key=len)
        body = body or entry.get("summary") or entry.get("description") or ""
        if not body.strip():
            yield EmptyInput("feed item has neither content nor summary", source=where)
            continue
        meta: dict[str, Any] = {
            "title": entry.get("title"),
            "url": entry.get("link"),
            "author": _feed_author(entry.get("author")),
            "published": entry.get("published") or entry.get("updated"),
            "outlet": outlet,
        }
        yield RawDoc(where, body, "fragment", source, meta={k: v for k, v in meta.items() if v})


def _feed_author(value: str | None) -> str | None:
    """RSS writes authors as ``email (Name)``; keep the name."""
    if not value:
        return None
    match = re.fullmatch(r"\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*", value)
    return match.group("name").strip() if match else value.strip()
