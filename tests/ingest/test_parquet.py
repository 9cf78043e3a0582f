"""Parquet tables: one article per row, the columns of a CSV export, read in batches."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from ingest_samples import BRIDGE, HARVEST

from narrascope.config import default_settings
from narrascope.errors import CorruptInput, MissingField, TooLarge, UnsupportedInput
from narrascope.ingest import ingest_paths
from narrascope.ingest import parquet as parquet_reader
from narrascope.ingest.raw import RawDoc
from narrascope.ingest.sources import InputFile, format_for, read_file
from narrascope.store.sql import SQLStore

pa = pytest.importorskip("pyarrow", reason="pyarrow (the parquet extra) is not installed")
pq = pytest.importorskip("pyarrow.parquet")

MAX_BYTES = 2**20


def write_table(path: Path, columns: dict[str, list], **kw) -> Path:
    pq.write_table(pa.table(columns), path, **kw)
    return path


def read(path: Path, max_bytes: int = MAX_BYTES, columns: dict | None = None, fmt: str | None = "auto") -> list:
    fmt = format_for(path) if fmt == "auto" else fmt
    return list(read_file(InputFile(path, fmt, str(path.parent)), max_bytes=max_bytes, columns=columns))


def test_rows_are_articles_with_their_fields(tmp_path: Path) -> None:
    path = write_table(tmp_path / "stories.parquet", {
        "stories_id": [1, 2, 3],
        "Title": ["Bridge", "Harvest", "Empty"],
        "text": [BRIDGE, HARVEST, None],
        "media_name": ["Harbour Times", "Valley Post", "X"],
        "publish_date": [datetime(2024, 3, 4, 9, 15, tzinfo=UTC), None, None],
        "authors": [["A. Writer", "B. Writer"], [], None],
        "score": [0.5, float("nan"), 1.0],  # not a field: never read
    })

    items = read(path)

    assert [type(i) for i in items] == [RawDoc, RawDoc, MissingField]
    assert [i.source for i in items] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    assert items[0].body == BRIDGE
    assert items[0].meta == {
        "id": "1", "title": "Bridge", "outlet": "Harbour Times",
        "published": "2024-03-04T09:15:00+00:00", "author": "A. Writer, B. Writer",
    }
    assert str(items[2]) == f"{path}#3: row has no text (column 'text' is empty)"


def test_rows_are_read_across_batches(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parquet_reader, "BATCH_ROWS", 3)
    texts = [f"{BRIDGE} Number {i}." for i in range(8)]
    path = write_table(tmp_path / "many.parquet", {"content": texts}, row_group_size=5)

    docs = read(path)

    assert [d.body for d in docs] == texts
    assert docs[-1].source == f"{path}#8"


def test_columns_name_the_fields_and_a_missing_one_is_one_error(tmp_path: Path) -> None:
    path = write_table(tmp_path / "site.parquet", {"story": [BRIDGE], "site": ["Harbour Times"]})

    [doc] = read(path, columns={"text": "story", "outlet": "site"})
    [err] = read(path, columns={"text": "body"})
    [no_text] = read(path)

    assert doc.body == BRIDGE and doc.meta == {"outlet": "Harbour Times"}
    assert isinstance(err, MissingField) and "no column 'body'" in err.reason
    assert isinstance(no_text, MissingField) and "no text column" in no_text.reason and "'story'" in no_text.reason


def test_a_text_over_the_limit_costs_its_row(tmp_path: Path) -> None:
    path = write_table(tmp_path / "big.parquet", {"text": [BRIDGE, "word " * 30_000, HARVEST]})

    items = read(path, max_bytes=100_000)

    assert [type(i) for i in items] == [RawDoc, TooLarge, RawDoc]
    assert items[1].source == f"{path}#2"


def test_not_parquet_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not really a parquet file at all PAR1")

    [err] = read(path)

    assert isinstance(err, CorruptInput) and err.source == str(path)
    assert err.reason.startswith("not a readable Parquet file")


def test_parquet_without_extension_is_recognised(tmp_path: Path) -> None:
    path = write_table(tmp_path / "EXPORT", {"text": [BRIDGE]})

    assert [d.body for d in read(path, fmt=None)] == [BRIDGE]


def test_without_pyarrow_each_parquet_file_is_one_error_with_the_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_table(tmp_path / "stories.parquet", {"text": [BRIDGE]})
    good = tmp_path / "good.txt"
    good.write_text(HARVEST + "\n")
    for name in [m for m in sys.modules if m == "pyarrow" or m.startswith("pyarrow.")]:
        monkeypatch.setitem(sys.modules, name, None)  # import pyarrow now raises ImportError
    store = SQLStore.memory()

    report = ingest_paths([str(tmp_path)], store, default_settings())

    [err] = report.errors
    assert isinstance(err, UnsupportedInput) and err.source == str(path)
    assert "pip install 'narrascope[parquet]'" in err.reason
    assert [a.path for a in store.iter_articles()] == [str(good)]


def test_ingest_stores_parquet_rows(tmp_path: Path) -> None:
    path = write_table(tmp_path / "s.parquet", {"text": [BRIDGE, HARVEST], "url": ["http://a.example/1", None]})
    store = SQLStore.memory()

    report = ingest_paths([str(path)], store, default_settings())

    assert not report.errors
    assert sorted(a.path for a in store.iter_articles()) == [f"{path}#1", f"{path}#2"]
    assert {a.url for a in store.iter_articles()} == {"http://a.example/1", None}
