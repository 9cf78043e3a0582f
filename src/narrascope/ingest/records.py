"""One record to one document: the fields of a JSON object, a CSV row or a Parquet row.

Every record reader (``jsonrecords``, ``tables``) hands its records here, so the field names, the
values a field may hold and the per-record errors are the same whatever the file's format. Which
field is read from which key is :data:`FIELD_ALIASES` (the first key present wins) unless the user
names the key with ``--columns`` (:func:`parse_columns`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from ..errors import ConfigError, CorruptInput, InputError, MissingField
from .language import language_code
from .raw import DocKind, RawDoc, too_large

# news-please, Media Cloud, GDELT-derived exports and other scrapers name the fields differently;
# the first name present wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "maintext", "body", "content"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "outlet": ("outlet", "source_domain", "media_name", "source", "sitename"),
    "author": ("author", "authors", "byline"),
    "published": ("published", "date_publish", "publish_date", "date", "published_at"),
    "language": ("language", "lang"),
    "id": ("id", "stories_id"),
}
# Keys of an object standing for a named thing ({"id": null, "name": "BBC News"}), best first.
_NAME_KEYS = ("name", "title", "id")
_EMPTY = (None, "", [], {})

Columns = Mapping[str, str]  # field -> the key (column) it is read from, as --columns gives it


def parse_columns(spec: str | None) -> dict[str, str]:
    """``text=body,outlet=site`` as ``{"text": "body", "outlet": "site"}``; ConfigError if malformed."""
    if spec is None:
        return {}
    out: dict[str, str] = {}
    for part in spec.split(","):
        field, sep, column = (p.strip() for p in part.partition("="))
        if not part.strip():
            continue
        if not sep or not field or not column:
            raise ConfigError(f"--columns {spec!r}: {part.strip()!r} is not FIELD=COLUMN")
        if field not in FIELD_ALIASES:
            raise ConfigError(
                f"--columns {spec!r}: {field!r} is not a field; the fields are {', '.join(FIELD_ALIASES)}"
            )
        if field in out:
            raise ConfigError(f"--columns {spec!r}: {field!r} is given twice")
        out[field] = column
    if not out:
        raise ConfigError(f"--columns {spec!r} names no column; write it as FIELD=COLUMN,...")
    return out


def keys_for(field: str, columns: Columns | None = None) -> tuple[str, ...]:
    """The keys ``field`` is read from, best first: the one ``--columns`` names, else its aliases."""
    if columns and field in columns:
        return (columns[field],)
    return FIELD_ALIASES[field]


def header_fields(header: Sequence[str], columns: Columns | None, source: str) -> dict[str, int] | InputError:
    """Which column of a table (CSV, Parquet) each field is read from, by position.

    Column names match case-insensitively, the first of a repeated name wins. A table without a
    text column, or without a column ``--columns`` names, is one error naming the file.
    """
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(str(name).strip().casefold(), i)
    found: dict[str, int] = {}
    for field in FIELD_ALIASES:
        for key in keys_for(field, columns):
            if key.strip().casefold() in index:
                found[field] = index[key.strip().casefold()]
                break
        else:
            if columns and field in columns:
                return MissingField(
                    f"no column {columns[field]!r} (--columns {field}={columns[field]}); {_has(header)}",
                    source=source,
                )
    if "text" not in found:
        return MissingField(
            f"no text column ({', '.join(FIELD_ALIASES['text'])}); {_has(header)}; "
            "name yours with --columns text=COLUMN",
            source=source,
        )
    return found


def _has(header: Sequence[str], most: int = 12) -> str:
    names = [repr(str(h)) for h in header[:most]] + (["..."] if len(header) > most else [])
    return "the header has " + ", ".join(names) if names else "the header is empty"


def record_doc(
    record: Any,
    where: str,
    path: str,
    *,
    max_bytes: int,
    columns: Columns | None = None,
    no_text: str | None = None,
) -> RawDoc | InputError:
    """The document ``record`` holds, or the error that stops it (naming ``where``).

    ``no_text`` is the message for a record without text (the default speaks of JSON keys).
    """
    if not isinstance(record, dict):
        return CorruptInput(f"expected a JSON object, got {type(record).__name__}", source=where)
    found: dict[str, Any] = {}
    for name in FIELD_ALIASES:
        for key in keys_for(name, columns):
            value = record.get(key)
            if value not in _EMPTY and not _nan(value):
                found[name] = value
                break
    text = found.pop("text", None)
    if text is None:
        keys = keys_for("text", columns)
        default = f"record has no {keys[0]!r}" + (f" (nor {keys[1]!r})" if len(keys) > 1 else "")
        return MissingField(no_text or default, source=where)
    if not isinstance(text, str):
        return CorruptInput(f"'text' must be a string, got {type(text).__name__}", source=where)
    if len(text.encode("utf-8", "surrogatepass")) > max_bytes:
        return too_large(max_bytes, source=where)
    meta: dict[str, Any] = {}
    warnings = []
    for key, value in found.items():
        as_text = as_text_value(value)
        if as_text is None:
            warnings.append(f"'{key}' is a {type(value).__name__} with no text in it; ignored")
        elif key == "language":
            code = language_code(as_text)
            if code is None:
                warnings.append(f"language {as_text!r} is not a language code or name; detected instead")
            else:
                meta[key] = code
        else:
            meta[key] = as_text
    kind: DocKind = "fragment" if _looks_like_html(text) else "text"
    return RawDoc(where, text, kind, path, meta=meta, warnings=warnings)


def as_text_value(value: Any) -> str | None:
    """A field's value as text: objects by their name, lists of names joined with ", ", dates in
    ISO 8601; None when it holds none (a boolean, NaN, an empty list)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool) or _nan(value):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime | date):  # a Parquet timestamp or date column
        return value.isoformat()
    if isinstance(value, dict):
        return next((v.strip() for k in _NAME_KEYS if isinstance(v := value.get(k), str) and v.strip()), None)
    if isinstance(value, list | tuple):
        names = [n for n in map(as_text_value, value) if n]
        return ", ".join(names) or None
    return None


def _nan(value: Any) -> bool:
    """NaN or an infinity: Python's JSON reader accepts them, pandas writes NaN for an empty cell."""
    return isinstance(value, float) and not math.isfinite(value)


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return head.count("<p") + head.count("<div") + head.count("<br") >= 2
