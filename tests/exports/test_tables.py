import csv
import io
import json
import sys

import pytest

from narrascope.errors import ConfigError, MissingDependency
from narrascope.exports import TABLES, write_table
from narrascope.exports.tables import table_batches


def rows_of(store, table, settings, size=1000):
    return [row for batch in table_batches(store, table, settings, size) for row in batch]


def as_csv(store, table, **kw):
    buf = io.StringIO()
    count = write_table(store, table, "csv", buf, **kw)
    return buf.getvalue(), count


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_has_its_columns_in_order(filled, settings, name):
    rows = rows_of(filled, name, settings)
    assert rows, f"the hand-built store fills {name}"
    assert all(tuple(row) == TABLES[name].names for row in rows)


@pytest.mark.parametrize("name", ["sentences", "claims", "mentions", "citations", "techniques"])
def test_span_text_is_the_articles_text_between_the_offsets(filled, settings, name):
    texts = {a.id: a.text for a in filled.iter_articles()}
    for row in rows_of(filled, name, settings):
        assert row["text"] == texts[row["article_id"]][row["start"] : row["end"]]


def test_claims_carry_sentence_speaker_hedge_group_and_skip_unworthy_ones(filled, settings):
    claims = {r["id"]: r for r in rows_of(filled, "claims", settings)}
    assert "b-low" not in claims  # 0.1 < enrich.min_checkworthiness, as in the JSON export
    assert set(claims) == {"a0", "a1", "b0", "b1", "c0"}
    assert claims["a1"]["sentence"] == "According to the Baltic Ledger,\ntrade reached $17 billion."
    assert claims["a0"]["speaker"] == "Мэр Тарска" and claims["a0"]["attribution_kind"] == "reported"
    assert claims["b0"]["hedged"] is True and claims["b0"]["hedge_cue"] == "reportedly"
    assert claims["b1"]["negated"] is True and claims["a1"]["hedged"] is False
    assert (claims["c0"]["group_id"], claims["b0"]["group_status"]) == ("g1", "contradicted")
    assert claims["a0"]["group_id"] is None


def test_links_groups_entities_stories_stances(filled, settings):
    links = {(r["a"], r["b"]): r for r in rows_of(filled, "claim_links", settings)}
    assert links[("a1", "b0")]["relation"] == "contradicts"
    assert (links[("a1", "b0")]["a_text"], links[("a1", "b0")]["b_outlet"]) == ("trade reached $17 billion.", "Beta News")
    groups = {r["id"]: r for r in rows_of(filled, "claim_groups", settings)}
    assert groups["g1"]["claims"] == 2 and groups["g1"]["outlets"] == ["Alpha Daily", "Gamma Post"]
    assert groups["g3"]["origins"] == ["Alpha Daily"] and groups["g3"]["origin_kinds"] == ["copy-of"]
    (entity,) = rows_of(filled, "entities", settings)
    assert (entity["aliases"], entity["mentions"], entity["articles"]) == (["Тарск", "Tarsk"], 2, 2)
    stories = rows_of(filled, "stories", settings)
    assert [(r["story_id"], r["article_id"], r["size"]) for r in stories] == [
        ("story-1", "art-a", 2), ("story-1", "art-b", 2)]
    (stance,) = rows_of(filled, "stances", settings)
    assert stance["evidence"] == ["Trade reached $27 billion, officials reportedly said."]
    assert stance["thesis"] == "Trade is growing" and stance["label"] == "support"


def test_rows_come_in_batches_of_the_size_asked(filled, settings):
    batches = list(table_batches(filled, "sentences", settings, 2))
    assert [len(b) for b in batches] == [2, 2, 1]
    assert [r for b in batches for r in b] == rows_of(filled, "sentences", settings)


def test_csv_keeps_newlines_quotes_and_commas_in_one_cell(filled):
    text, count = as_csv(filled, "claims")
    assert not text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == count == 5
    a0 = next(r for r in rows if r["id"] == "a0")
    assert a0["text"] == 'Мэр Тарска said the budget "grew, again".'
    a1 = next(r for r in rows if r["id"] == "a1")
    assert a1["sentence"].splitlines() == ["According to the Baltic Ledger,", "trade reached $17 billion."]
    assert (a1["hedged"], a1["hedge_cue"], a1["start"]) == ("false", "", "74")
    groups = list(csv.DictReader(io.StringIO(as_csv(filled, "claim_groups")[0])))
    assert json.loads(groups[0]["outlets"]) == ["Alpha Daily", "Gamma Post"]


def test_csv_bom_for_excel(filled):
    text, _ = as_csv(filled, "entities", bom=True)
    assert text.startswith("\ufeffid,name,")
    with pytest.raises(ConfigError, match="--bom is for csv only"):
        write_table(filled, "entities", "jsonl", io.StringIO(), bom=True)


def test_jsonl_one_typed_object_a_line(filled):
    buf = io.StringIO()
    assert write_table(filled, "claims", "jsonl", buf) == 5
    rows = [json.loads(line) for line in buf.getvalue().splitlines()]
    b1 = next(r for r in rows if r["id"] == "b1")
    assert b1["negated"] is True and b1["speaker"] is None and b1["start"] == 54
    assert list(b1) == list(TABLES["claims"].names)


def test_parquet_types_docs_and_values(filled, settings):
    pq = pytest.importorskip("pyarrow.parquet")
    buf = io.BytesIO()
    assert write_table(filled, "claim_groups", "parquet", buf) == 3
    table = pq.read_table(io.BytesIO(buf.getvalue()))
    assert table.column_names == list(TABLES["claim_groups"].names)
    assert str(table.schema.field("claims").type) == "int64"
    assert str(table.schema.field("outlets").type) == "list<element: string>"
    assert table.schema.field("status").metadata[b"doc"].startswith(b"corroborated")
    assert table.to_pylist() == rows_of(filled, "claim_groups", settings)
    claims = pq.read_table(io.BytesIO(_parquet(filled, "claims"))).to_pylist()
    assert {r["id"]: r["negated"] for r in claims}["b1"] is True


def _parquet(store, table):
    buf = io.BytesIO()
    write_table(store, table, "parquet", buf)
    return buf.getvalue()


def test_empty_tables_keep_their_header_and_schema(store):
    pq = pytest.importorskip("pyarrow.parquet")
    assert as_csv(store, "claims") == (",".join(TABLES["claims"].names) + "\n", 0)
    table = pq.read_table(io.BytesIO(_parquet(store, "stances")))
    assert table.num_rows == 0 and table.column_names == list(TABLES["stances"].names)


def test_parquet_without_pyarrow_names_the_extra(filled, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(MissingDependency, match=r"pyarrow is not installed .*narrascope\[parquet\]"):
        write_table(filled, "claims", "parquet", io.BytesIO())


def test_unknown_table_or_format(store):
    with pytest.raises(ConfigError, match="unknown table 'quotes'"):
        write_table(store, "quotes", "csv", io.StringIO())
    with pytest.raises(ConfigError, match="unknown table format 'xlsx'"):
        write_table(store, "claims", "xlsx", io.StringIO())
