"""RSS 0.9x/1.0/2.0 and Atom feeds: each item is one article, the feed's title its outlet."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..errors import CorruptInput, EmptyInput, InputError
from .raw import RawDoc


def read_feed(text: str, source: str) -> Iterator[RawDoc | InputError]:
    import feedparser

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
        yield RawDoc(where, body, "fragment", source, meta={k: v for k, v in meta.items() if v})


def _author(value: str | None) -> str | None:
    """RSS writes authors as ``email (Name)``; keep the name."""
    if not value:
        return None
    match = re.fullmatch(r"\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*", value)
    return match.group("name").strip() if match else value.strip()
