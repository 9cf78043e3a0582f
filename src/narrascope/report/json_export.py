"""The JSON export (DESIGN.md): ``schema_version`` first, then one list per record kind.

It is written as a stream, one article at a time, so a large store never has to fit in memory
as one document. ``export.schema.json`` next to this file is its JSON Schema.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from typing import Any, TextIO

from .. import __version__
from ..config import Settings, default_settings
from ..store import SQLStore
from .records import article_record, citation_records, claim_record, entity_record

SCHEMA_VERSION = "1.0"
# Kinds the later stages fill; an export always carries every key so consumers can rely on it.
SECTIONS = (
    "entities",
    "claims",
    "claim_links",
    "claim_groups",
    "citations",
    "stories",
    "theses",
    "techniques",
)


def export_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("export.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def write_json(store: SQLStore, out: TextIO, settings: Settings | None = None) -> int:
    settings = settings or default_settings()
    out.write("{\n")
    out.write(f'  "schema_version": {json.dumps(SCHEMA_VERSION)},\n')
    out.write(f'  "narrascope_version": {json.dumps(__version__)}')
    counts = {}
    sections: dict[str, Iterator[dict]] = {
        "articles": _articles(store),
        "entities": _entities(store),
        "claims": _claims(store, settings.enrich.min_checkworthiness),
        "citations": _citations(store),
        "stories": _stories(store),
        "claim_links": _claim_links(store),
        "claim_groups": _claim_groups(store),
        "theses": _theses(store),
        "techniques": _techniques(store),
        "outlets": _outlets(store),
    }
    for name in ("articles", *SECTIONS, "outlets"):
        out.write(f',\n  "{name}": [')
        n = 0
        for record in sections.get(name, iter(())):
            out.write(",\n    " if n else "\n    ")
            out.write(json.dumps(record, ensure_ascii=False))
            n += 1
        out.write("\n  ]" if n else "]")
        counts[name] = n
    out.write("\n}\n")
    return counts["articles"]


def _articles(store: SQLStore) -> Iterator[dict]:
    for article, ann in zip(store.iter_articles(), store.iter_annotations(), strict=True):
        record = article_record(article)
        record["notes"] = ann.notes
        yield record


def _entities(store: SQLStore) -> Iterator[dict]:
    texts = {
        (row["article_id"], row["start"], row["end"]): text[row["start"] : row["end"]]
        for row, text in store.mention_rows()
    }
    for entity, mentions in store.iter_entities():
        yield entity_record(entity, mentions, texts)


def _claims(store: SQLStore, threshold: float) -> Iterator[dict]:
    for article, ann in zip(store.iter_articles(), store.iter_annotations(), strict=True):
        for claim in ann.claims:
            if claim.checkworthiness >= threshold:
                yield claim_record(claim, article.text)


def _citations(store: SQLStore) -> Iterator[dict]:
    for article, ann in zip(store.iter_articles(), store.iter_annotations(), strict=True):
        yield from citation_records(ann, article.text)


def _stories(store: SQLStore) -> Iterator[dict]:
    for story in store.stories_with_articles():
        yield {
            "id": story.id,
            "label": story.label,
            "articles": story.articles,
            "first_seen": story.first_seen.isoformat() if story.first_seen else None,
            "last_seen": story.last_seen.isoformat() if story.last_seen else None,
        }


def _claim_links(store: SQLStore) -> Iterator[dict]:
    for link in store.claim_links():
        yield {
            "a": link.a,
            "b": link.b,
            "relation": link.relation,
            "score": link.score,
            "reason": link.reason,
        }


def _claim_groups(store: SQLStore) -> Iterator[dict]:
    for group in store.claim_groups():
        yield {
            "id": group.id,
            "claims": group.claims,
            "status": group.status,
            "origins": group.origins,
            "independent_origins": len(group.origins),
            "first_seen": group.first_seen.isoformat() if group.first_seen else None,
            "summary": group.summary,
        }


def _theses(store: SQLStore) -> Iterator[dict]:
    from ..narratives.profiles import outlet_views

    theses = store.list_theses()
    if not theses:
        return
    tallies = outlet_views(store)[0]
    for thesis in theses:
        yield {
            "id": thesis.id,
            "text": thesis.text,
            "stances": {
                "articles": list(_stance_records(store, store.list_stances(thesis.id))),
                "outlets": [{"outlet": o.outlet, "label": o.label, "counts": o.counts, "by_month": o.by_month,
                             "articles": o.articles} for o in tallies if o.thesis_id == thesis.id],
            },
        }


def _stance_records(store: SQLStore, stances, batch: int = 500) -> Iterator[dict]:
    """A thesis' article stances with their evidence's text, reading the texts of ``batch``
    articles at a time (never every article of the store at once)."""
    for i in range(0, len(stances), batch):
        chunk = stances[i : i + batch]
        texts = {a.id: a.text for a in store.get_articles(list(dict.fromkeys(s.article_id for s in chunk)))}
        for s in chunk:
            if s.article_id not in texts:
                continue
            text = texts[s.article_id]
            yield {
                "article": s.article_id, "label": s.label, "score": s.score,
                "evidence": [{"start": e.start, "end": e.end, "label": e.label, "score": e.score, "why": e.why,
                              "text": text[e.start : e.end]} for e in s.evidence],
            }


def _techniques(store: SQLStore) -> Iterator[dict]:
    # The export's techniques table, cut by the database a batch at a time: no article texts held.
    for batch in store.stream_rows("techniques_text"):
        for t in batch:
            yield {"article": t["article_id"], "technique": t["technique"], "start": t["start"],
                   "end": t["end"], "text": t["text"], "score": t["score"]}


def _outlets(store: SQLStore) -> Iterator[dict]:
    from ..narratives.profiles import outlet_views

    for profile in outlet_views(store)[1]:
        yield profile.as_record()
