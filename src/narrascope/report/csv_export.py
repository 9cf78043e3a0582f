"""CSV export of articles: one row each, the text in its own quoted column."""

from __future__ import annotations

import csv
from typing import TextIO

from ..store import SQLStore
from .records import article_record

COLUMNS = (
    "id",
    "outlet",
    "title",
    "author",
    "published",
    "language",
    "url",
    "path",
    "source_format",
    "external_id",
    "word_count",
    "duplicate_of",
    "duplicate_kind",
    "duplicate_similarity",
    "removed_lines",
    "text",
)


def write_csv(store: SQLStore, out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    count = 0
    for article in store.iter_articles():
        row = article_record(article)
        row["removed_lines"] = len(article.removed)
        writer.writerow({k: "" if row.get(k) is None else row[k] for k in COLUMNS})
        count += 1
    return count
