from pathlib import Path

import pytest

from narrascope.exports import GRAPHS, TABLES
from narrascope.exports.docs import column_docs
from narrascope.exports.tables import TYPES, table_batches

DOCS = Path(__file__).resolve().parents[2] / "docs" / "export-columns.md"


def test_the_column_reference_is_generated_from_the_definitions():
    assert DOCS.read_text(encoding="utf-8") == column_docs(), (
        "docs/export-columns.md is stale: python -m narrascope.exports.docs > docs/export-columns.md")


@pytest.mark.parametrize("name", list(TABLES))
def test_every_exported_column_is_documented(filled, settings, name):
    documented = {c.name: c for c in TABLES[name].columns}
    written = {key for batch in table_batches(filled, name, settings) for row in batch for key in row}
    assert written == set(documented)
    assert all(c.doc.strip() and c.type in TYPES for c in documented.values())
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"### {name}\n", 1)[1].split("###", 1)[0]
    assert all(f"| `{c}` |" in section for c in documented)


def test_every_graph_attribute_is_documented():
    for graph in GRAPHS.values():
        for name, kind, doc in (*graph.node_attrs, *graph.edge_attrs):
            assert doc.strip() and kind in ("string", "double", "integer"), (graph.name, name)
