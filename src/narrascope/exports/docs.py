"""The column reference, ``docs/export-columns.md``, generated from the table and graph
definitions so it cannot drift from them (a test compares the file with this output).

Regenerate it with ``python -m narrascope.exports.docs > docs/export-columns.md``.
"""

from __future__ import annotations

from .graphs import GRAPHS
from .tables import TABLES


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def column_docs() -> str:
    lines = [
        "# Export columns",
        "",
        "What `narrascope export --table NAME` and `--graph NAME` write, column by column.",
        "Generated from `src/narrascope/exports/tables.py` and `graphs.py` by",
        "`python -m narrascope.exports.docs > docs/export-columns.md`; do not edit by hand.",
        "",
        "Types: `string`, `integer`, `float`, `boolean`, `list` (a list of strings: a JSON array in",
        "CSV, an array in JSONL, `list<string>` in Parquet). An empty CSV cell, a JSONL `null` and a",
        "Parquet null all mean the value is unknown or does not apply. Spans are character offsets",
        "`[start, end)` into the article's `text` (Python string indices).",
        "",
        "## Tables",
    ]
    for table in TABLES.values():
        lines += ["", f"### {table.name}", "", table.doc[0].upper() + table.doc[1:] + "."]
        if table.view:
            lines += ["", f"The SQL view `{table.view}` in the store holds the same rows"
                          + (" (every claim, whatever its check-worthiness)." if table.name == "claims" else ".")]
        lines += ["", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {_cell(c.doc)} |" for c in table.columns]
    lines += ["", "## Graphs", "",
              "Directed. In GEXF, `label` is the node's label and `weight` the edge's weight (GEXF's own",
              "attributes); the edge's `relation` is also its GEXF label. Every other attribute is declared",
              "with its type in both formats."]
    for graph in GRAPHS.values():
        lines += ["", f"### {graph.name}", "", graph.doc[0].upper() + graph.doc[1:] + ".", "",
                  "| on | attribute | type | meaning |", "|---|---|---|---|"]
        lines += [f"| node | `{n}` | {t} | {_cell(d)} |" for n, t, d in graph.node_attrs]
        lines += [f"| edge | `{n}` | {t} | {_cell(d)} |" for n, t, d in graph.edge_attrs]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(column_docs(), end="")
