"""RSS 0.9x/1.0/2.0 and Atom feeds: each item is one article, the feed's title its outlet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import CorruptInput, EmptyInput, InputError
from .raw import RawDoc

# A numeric character reference: feedparser turns it into a character with chr(), and one no
# character has (&#x110000;, a surrogate, 40 digits) raises inside it and loses the whole feed.
_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
_MAX_CODE_POINT = 0x10FFFF


def read_feed(text: str, source: str) -> Iterator[RawDoc | InputError]:
    import feedparser

    text, bad_refs = _valid_charrefs(text)
    feed = feedparser.parse(text)
    if not feed.entries:
        if feed.get("bozo"):
            detail = str(feed.get("bozo_exception")).splitlines()[0]
            yield CorruptInput(f"not a readable RSS/Atom feed ({detail})", source=source)
        else:
            yield EmptyInput("feed has no items", source=source)
        return
    outlet = (feed.feed.get("title") or "").strip() or None
    for i, entry in enumerate(feed.entries, 1):
        where = f"{source}#{entry.get('id') or entry.get('link') or i}"
        body = ""
        if entry.get("content"):
            # Atom may carry several alternatives (text and html); the longest is the full one.
            body = max((c.get("value") or "" for c in entry.content), key=len)
        body = body or entry.get("summary") or entry.get("description") or ""
        if not body.strip():
            yield EmptyInput("feed item has neither content nor summary", source=where)
            continue
        meta: dict[str, Any] = {
            "title": entry.get("title"),
            "url": entry.get("link"),
            "author": _author(entry.get("author")),
            "published": entry.get("published") or entry.get("updated"),
            "outlet": outlet,
        }
        warnings = []
        if bad_refs and any("\ufffd" in v for v in (body, *meta.values()) if isinstance(v, str)):
            warnings.append(f"invalid character reference(s) replaced by U+FFFD ({bad_refs} in the feed)")
        yield RawDoc(where, body, "fragment", source, meta={k: v for k, v in meta.items() if v}, warnings=warnings)


def _valid_charrefs(text: str) -> tuple[str, int]:
    """``text`` with every reference to a code point no character has made ``&#xFFFD;``."""
    bad = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal bad
        digits = match.group(1) or match.group(2)
        value = int(digits, 16) if match.group(1) else int(digits) if len(digits) < 10 else -1
        if 0 < value <= _MAX_CODE_POINT and not 0xD800 <= value <= 0xDFFF:
            return match.group()
        bad += 1
        return "&#xFFFD;"

    return _CHARREF.sub(fix, text), bad


def _author(value: str | None) -> str | None:
    """RSS writes authors as ``email (Name)``; keep the name."""
    if not value:
        return None
    match = re.fullmatch(r"\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*", value)
    return match.group("name").strip() if match else value.strip()
