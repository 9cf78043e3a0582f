"""Model records as plain JSON-ready dicts, shared by every export format."""

from __future__ import annotations

from typing import Any

from ..model import Article


def article_record(article: Article, *, with_text: bool = True) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published.isoformat() if article.published else None,
        "language": article.language,
        "source_format": article.source_format,
        "external_id": article.external_id,
        "word_count": article.word_count,
        "duplicate_of": article.duplicate_of,
        "duplicate_kind": article.duplicate_kind,
        "duplicate_similarity": article.duplicate_similarity,
    }
    if with_text:
        record["text"] = article.text
        record["removed_boilerplate"] = [
            {"text": r.text, "reason": r.reason, "line": r.line_no} for r in article.removed
        ]
    return record
