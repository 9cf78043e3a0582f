"""Model records as plain JSON-ready dicts, shared by every export format."""

from __future__ import annotations

from typing import Any

from ..model import Annotations, Article, Claim, Entity, Mention


def article_record(article: Article) -> dict[str, Any]:
    return {
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
        "text": article.text,
        "removed_boilerplate": [
            {"text": r.text, "reason": r.reason, "line": r.line_no} for r in article.removed
        ],
    }


def entity_record(
    entity: Entity, mentions: list[Mention], texts: dict[tuple[str, int, int], str]
) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "aliases": entity.aliases,
        "mentions": [
            {
                "article": m.article_id,
                "start": m.start,
                "end": m.end,
                "text": texts[(m.article_id, m.start, m.end)],
            }
            for m in mentions
        ],
    }


def claim_record(claim: Claim, text: str) -> dict[str, Any]:
    a = claim.attribution
    return {
        "id": claim.id,
        "article": claim.article_id,
        "start": claim.start,
        "end": claim.end,
        "text": text[claim.start : claim.end],
        "checkworthiness": claim.checkworthiness,
        "negated": claim.negated,
        "hedged": claim.hedged,
        "hedge_cue": claim.hedge_cue,
        "entities": claim.entity_ids,
        "quantities": [
            {
                "start": q.start,
                "end": q.end,
                "text": text[q.start : q.end],
                "kind": q.kind,
                "value": q.value,
                "unit": q.unit,
            }
            for q in claim.quantities
        ],
        "attribution": None
        if a is None
        else {
            "speaker": a.speaker,
            "speaker_start": a.speaker_start,
            "speaker_end": a.speaker_end,
            "cue": a.cue,
            "kind": a.kind,
            "listener": a.listener,
            "start": a.start,
            "end": a.end,
        },
    }


def citation_records(ann: Annotations, text: str) -> list[dict[str, Any]]:
    return [
        {
            "article": c.article_id,
            "source": c.source,
            "start": c.start,
            "end": c.end,
            "text": text[c.start : c.end],
            "cue": c.cue,
        }
        for c in ann.citations
    ]
