"""The flat tables ``narrascope export --table`` writes: their columns, each with its type and
meaning, and the rows, read from the store a batch at a time.

A column's type is one of ``string``, ``integer``, ``float``, ``boolean`` or ``list`` (a list of
strings): the Parquet schema is made from it, and CSV writes a list as a JSON array. Spans are
character offsets ``[start, end)`` into the article's text; every span column comes with the
text it covers, so no reader has to cut it out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..config import Settings
from ..store import SQLStore

TYPES = ("string", "integer", "float", "boolean", "list")
# Rows read from the store per batch: each batch is one Parquet row group, so not too small (a
# row group per 1,000 rows keeps the file compact and readable a group at a time by pandas).
BATCH_ROWS = 1000


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: str
    doc: str


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    # (store, settings, batch size) -> batches of rows, each row a dict over ``columns``
    batches: Callable[[SQLStore, Settings, int], Iterator[list[dict]]]
    view: str | None = None  # the SQL view holding the same rows, when there is one

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _cols(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


ARTICLE_ID = ("article_id", "string", "id of the article (articles.id)")
OUTLET = ("outlet", "string", "outlet of the article, empty when unknown")
START = ("start", "integer", "first character of the span in the article's text (0-based)")
END = ("end", "integer", "character after the span's last (the span is text[start:end])")


def _coerce(value, kind: str):
    if value is None:
        return None
    if kind == "boolean":
        return bool(value)
    if kind == "integer":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "list":
        return list(value)
    return str(value)


def _shaped(table: Table, rows: list[dict]) -> list[dict]:
    kinds = [(c.name, c.type) for c in table.columns]
    return [{name: _coerce(row.get(name), kind) for name, kind in kinds} for row in rows]


def _articles(store: SQLStore, settings: Settings, size: int) -> Iterator[list[dict]]:
    from ..report.records import article_record

    batch: list[dict] = []
    for article in store.iter_articles():  # read a page at a time by the store
        row = article_record(article)
        row["removed_lines"] = len(article.removed)
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _claims(store: SQLStore, settings: Settings, size: int) -> Iterator[list[dict]]:
    # The claims the JSON export and the link stage use: those at or above the threshold.
    yield from store.stream_rows(
        "claims_text", batch_size=size, min_checkworthiness=settings.enrich.min_checkworthiness
    )


def _group(row: dict) -> dict:
    origins = json.loads(row["origins"])
    row["independent_origins"] = len(origins)
    row["origins"] = [o.get("origin") for o in origins]
    row["origin_kinds"] = [o.get("kind") for o in origins]
    row["outlets"] = sorted({outlet for o in origins for outlet in o.get("outlets", [])})
    return row


def _entity(row: dict) -> dict:
    row["aliases"] = json.loads(row["aliases"])
    return row


def _stance(row: dict) -> dict:
    text = row.pop("article_text")
    row["evidence"] = [text[e["start"] : e["end"]] for e in json.loads(row["evidence"])]
    return row


def _rows_of(name: str, transform: Callable[[dict], dict] | None = None):
    def batches(store: SQLStore, settings: Settings, size: int) -> Iterator[list[dict]]:
        for batch in store.stream_rows(name, batch_size=size):
            yield [transform(row) for row in batch] if transform else batch

    return batches


TABLES: dict[str, Table] = {t.name: t for t in (
    Table("articles", "one row per article, with its text", _cols(
        ("id", "string", "article id, derived from its content (stable across re-ingests)"),
        ("outlet", "string", "outlet that published it, empty when unknown"),
        ("title", "string", "headline"),
        ("author", "string", "byline as found"),
        ("published", "string", "publication time, ISO 8601 as found (with its zone when known)"),
        ("language", "string", "language code (en, ru...)"),
        ("url", "string", "address of the article, when known"),
        ("path", "string", "file it was read from"),
        ("source_format", "string", "what the text was read as: text (plain text, or a record's text field), html (a page), html-fragment (a feed item's HTML)"),
        ("external_id", "string", "id the input gave it (a JSONL record's id)"),
        ("word_count", "integer", "words in the text"),
        ("duplicate_of", "string", "id of the article this one is a copy of, empty when original"),
        ("duplicate_kind", "string", "exact or near, for a copy"),
        ("duplicate_similarity", "float", "estimated share of text the copy has in common with its original"),
        ("removed_lines", "integer", "boilerplate lines the cleaner removed (listed in the JSON export)"),
        ("text", "string", "the cleaned article text, which every span's offsets point into"),
    ), _articles),
    Table("sentences", "one row per sentence of every article", _cols(
        ARTICLE_ID, OUTLET,
        ("idx", "integer", "position of the sentence in its article (0-based)"),
        START, END, ("text", "string", "the sentence"),
    ), _rows_of("sentences_text"), view="sentences_text"),
    Table("claims", "one row per claim at or above enrich.min_checkworthiness (those the link stage "
          "compares and the JSON export lists)", _cols(
        ("id", "string", "claim id"), ARTICLE_ID, OUTLET,
        ("published", "string", "publication time of the article, ISO 8601 as found"),
        START, END, ("text", "string", "the claim: a sentence or a clause of one"),
        ("sentence", "string", "the whole sentence the claim sits in"),
        ("checkworthiness", "float", "how much the claim is worth checking, 0..1"),
        ("negated", "boolean", "the claim is negated (\"did not\", \"never\")"),
        ("hedged", "boolean", "the claim is hedged (\"reportedly\", \"has not been verified\")"),
        ("hedge_cue", "string", "the words that hedge it"),
        ("speaker", "string", "who the claim is attributed to (\"X said\"), when it is"),
        ("attribution_kind", "string", "how: quote (inside quotation marks), reported or according-to"),
        ("group_id", "string", "claim group it belongs to (claim_groups.id)"),
        ("group_status", "string", "status of that group: corroborated, single-origin, contradicted, "
                                   "unverified"),
    ), _claims, view="claims_text"),
    Table("claim_links", "one row per pair of related claims: how claim b bears on claim a", _cols(
        ("a", "string", "id of the earlier claim"), ("b", "string", "id of the claim compared to it"),
        ("relation", "string", "same, supports, contradicts or related"),
        ("score", "float", "confidence in the relation, 0..1"),
        ("reason", "string", "why, in words (the figures, dates or negation that differ)"),
        ("a_article_id", "string", "article of claim a"), ("a_outlet", "string", "outlet of claim a"),
        ("a_text", "string", "text of claim a"),
        ("b_article_id", "string", "article of claim b"), ("b_outlet", "string", "outlet of claim b"),
        ("b_text", "string", "text of claim b"),
    ), _rows_of("claim_links_text"), view="claim_links_text"),
    Table("claim_groups", "one row per group of claims saying the same thing", _cols(
        ("id", "string", "group id"),
        ("status", "string", "corroborated (two or more independent origins), single-origin, "
                             "contradicted or unverified (every appearance hedged)"),
        ("claims", "integer", "claims in the group (claims.group_id lists them)"),
        ("independent_origins", "integer", "origins the claims rest on; outlets relaying one source count once"),
        ("origins", "list", "name of each origin (a cited source, a speaker, an outlet's own reporting)"),
        ("origin_kinds", "list", "kind of each origin, in the same order: cited, article-source, speaker, "
                                 "copy-of, outlet, article"),
        ("outlets", "list", "outlets the group's claims appeared in"),
        ("first_seen", "string", "earliest publication time among its claims (ISO 8601)"),
        ("summary", "string", "text of the group's representative claim"),
    ), _rows_of("claim_groups", _group)),
    Table("entities", "one row per canonical entity (spelling variants joined)", _cols(
        ("id", "string", "entity id"), ("name", "string", "canonical name"),
        ("type", "string", "PERSON, ORG, GPE, LOC..."),
        ("aliases", "list", "other spellings found for it"),
        ("mentions", "integer", "mentions of it in all articles"),
        ("articles", "integer", "articles mentioning it"),
    ), _rows_of("entities", _entity)),
    Table("mentions", "one row per entity mention in an article", _cols(
        ARTICLE_ID, OUTLET, START, END, ("text", "string", "the words of the mention"),
        ("label", "string", "type the entity recogniser gave it (PERSON, ORG, GPE, LOC...)"),
        ("normal", "string", "normalised form of the mention (Russian: nominative)"),
        ("entity_id", "string", "canonical entity it is (entities.id), empty when unassigned"),
        ("entity_name", "string", "canonical name of that entity"),
        ("entity_type", "string", "type of that entity"),
    ), _rows_of("mentions_text"), view="mentions_text"),
    Table("citations", "one row per source an article cites (\"as reported by X\")", _cols(
        ARTICLE_ID, OUTLET, ("source", "string", "the source named"),
        ("cue", "string", "the words that cite it (according to, reported by...)"),
        START, END, ("text", "string", "the citing phrase"),
    ), _rows_of("citations_text"), view="citations_text"),
    Table("stories", "one row per article of each story (an event; a story's fields repeat on each "
          "of its rows)", _cols(
        ("story_id", "string", "story id (kept when articles are added later)"),
        ("label", "string", "the story's label"), ("size", "integer", "articles in the story"),
        ("first_seen", "string", "earliest publication in the story (ISO 8601)"),
        ("last_seen", "string", "latest publication in the story (ISO 8601)"),
        ARTICLE_ID, OUTLET, ("title", "string", "headline of the article"),
        ("published", "string", "publication time of the article, ISO 8601 as found"),
        ("similarity", "float", "how close the article is to the story, 0..1"),
    ), _rows_of("stories")),
    Table("stances", "one row per article and thesis: the article's stance toward the thesis", _cols(
        ("thesis_id", "string", "thesis id"), ("thesis", "string", "the thesis text"),
        ARTICLE_ID, OUTLET, ("title", "string", "headline of the article"),
        ("published", "string", "publication time of the article, ISO 8601 as found"),
        ("label", "string", "support, oppose, discuss or unrelated"),
        ("score", "float", "confidence in the label, 0..1"),
        ("evidence", "list", "the sentences that show the stance"),
    ), _rows_of("stances", _stance)),
    Table("techniques", "one row per persuasion technique found in an article", _cols(
        ARTICLE_ID, OUTLET, ("technique", "string", "technique: loaded_language, name_calling, doubt, flag_waving, labelling_fake..."),
        START, END, ("text", "string", "the words that use it"),
        ("score", "float", "confidence, 0..1"),
    ), _rows_of("techniques_text"), view="techniques_text"),
)}


def table_batches(store: SQLStore, name: str, settings: Settings, size: int = BATCH_ROWS) -> Iterator[list[dict]]:
    """The rows of table ``name``, ``size`` at a time, each a dict over its columns in order."""
    table = TABLES[name]
    for batch in table.batches(store, settings, size):
        yield _shaped(table, batch)
