"""The JSON export (DESIGN.md): ``schema_version`` first, then one list per record kind.

It is written as a stream, one article at a time, so a large store never has to fit in memory
as one document. ``export.schema.json`` next to this file is its JSON Schema.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any, TextIO

from .. import __version__
from ..store import SQLStore
from .records import article_record

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


def write_json(store: SQLStore, out: TextIO) -> int:
    out.write("{\n")
    out.write(f'  "schema_version": {json.dumps(SCHEMA_VERSION)},\n')
    out.write(f'  "narrascope_version": {json.dumps(__version__)},\n')
    out.write('  "articles": [')
    count = 0
    for article in store.iter_articles():
        out.write(",\n    " if count else "\n    ")
        out.write(json.dumps(article_record(article), ensure_ascii=False))
        count += 1
    out.write("\n  ]" if count else "]")
    for section in SECTIONS:
        out.write(f',\n  "{section}": []')
    out.write("\n}\n")
    return count
