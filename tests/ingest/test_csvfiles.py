"""CSV and TSV exports: one article per row, header names mapped, streamed, each bad row its own error."""

from __future__ import annotations

import codecs
import csv
import gzip
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_samples import BRIDGE, HARVEST

from narrascope.config import default_settings
from narrascope.errors import ConfigError, CorruptInput, InputError, MissingField, TooLarge
from narrascope.ingest import ingest_paths
from narrascope.ingest.csvfiles import sniff_delimiter
from narrascope.ingest.raw import RawDoc
from narrascope.ingest.sources import InputFile, format_for, read_file, sniff
from narrascope.store.sql import SQLStore

MAX_BYTES = 2**20


def write_rows(path: Path, rows: list[list[str]], *, delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def read(path: Path, max_bytes: int = MAX_BYTES, columns: dict | None = None, fmt: str | None = "auto") -> list:
    fmt = format_for(path) if fmt == "auto" else fmt
    return list(read_file(InputFile(path, fmt, str(path.parent)), max_bytes=max_bytes, columns=columns))


# Media Cloud's story export layout (a text column added, as its full-text exports have).
MEDIA_CLOUD = [
    ["stories_id", "publish_date", "title", "url", "language", "media_id", "media_name", "media_url", "text"],
    ["101", "2024-03-04 09:15:00", "Bridge opens", "https://harbour.example/bridge", "en", "7",
     "Harbour Times", "https://harbour.example", BRIDGE],
    ["102", "2024-03-05 10:00:00", "Harvest", "https://valley.example/harvest", "en", "8",
     "Valley Post", "https://valley.example", HARVEST],
]


def test_media_cloud_export_maps_its_columns(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "stories.csv", MEDIA_CLOUD)

    docs = read(path)

    assert all(isinstance(d, RawDoc) for d in docs), docs
    assert [d.body for d in docs] == [BRIDGE, HARVEST]
    assert [d.source for d in docs] == [f"{path}#2", f"{path}#3"]  # line numbers, header is line 1
    assert docs[0].path == str(path)
    assert docs[0].meta == {
        "id": "101",
        "published": "2024-03-04 09:15:00",
        "title": "Bridge opens",
        "url": "https://harbour.example/bridge",
        "language": "en",
        "outlet": "Harbour Times",
    }


def test_row_without_text_is_one_error_naming_its_line_and_the_others_go_in(tmp_path: Path) -> None:
    rows = [["title", "content", "source"], ["One", BRIDGE, "A"], ["Two", "  ", "B"], ["Three", HARVEST, "C"]]
    path = write_rows(tmp_path / "export.csv", rows)

    items = read(path)

    assert [type(i) for i in items] == [RawDoc, MissingField, RawDoc]
    assert items[1].source == f"{path}#3"
    assert str(items[1]) == f"{path}#3: row has no text (column 'content' is empty)"
    assert [i.meta["outlet"] for i in items if isinstance(i, RawDoc)] == ["A", "C"]


def test_line_numbers_count_fields_that_span_lines(tmp_path: Path) -> None:
    rows = [["text", "title"], [BRIDGE.replace(". ", ".\n"), "Two lines"], ["", "empty"], [HARVEST, "Third"]]
    path = write_rows(tmp_path / "multi.csv", rows)

    items = read(path)

    assert "\n" in items[0].body
    assert [i.source for i in items] == [f"{path}#2", f"{path}#4", f"{path}#5"]
    assert isinstance(items[1], MissingField)


@pytest.mark.parametrize(("name", "delimiter"), [("a.tsv", "\t"), ("a.tab", "\t"), ("a.csv", "\t"), ("a.csv", ";"),
                                                 ("a.csv", "|")])
def test_delimiter_by_extension_or_from_the_header(tmp_path: Path, name: str, delimiter: str) -> None:
    path = write_rows(tmp_path / name, [["url", "maintext", "title"], ["http://a.example/1", BRIDGE, "A, B; C"]],
                      delimiter=delimiter)

    [doc] = read(path)

    assert doc.body == BRIDGE
    assert doc.meta["title"] == "A, B; C"


def test_sniff_delimiter_needs_a_text_column() -> None:
    assert sniff_delimiter("title;text;url") == ";"
    assert sniff_delimiter("title\tbody") == "\t"
    assert sniff_delimiter("Harbour bridge opens, officials say") is None
    assert sniff_delimiter("a,b,c") is None
    assert sniff_delimiter("a;story", {"text": "story"}) == ";"


def test_header_names_match_whatever_their_case_and_a_bom_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + f'Text,Title,URL\n"{BRIDGE}",Bridge,http://a.example/x\n'.encode())

    [doc] = read(path)

    assert doc.body == BRIDGE
    assert doc.meta == {"title": "Bridge", "url": "http://a.example/x"}


def test_legacy_encoding_is_detected(tmp_path: Path) -> None:
    text = "Министерство иностранных дел заявило, что переговоры продолжатся на следующей неделе в столице."
    path = write_rows(tmp_path / "ru.csv", [["text", "source"], [text, "Вестник"]] * 1, encoding="cp1251")

    [doc] = read(path)

    assert doc.body == text and doc.meta["outlet"] == "Вестник"


def test_bad_bytes_cost_only_their_row(tmp_path: Path) -> None:
    cafe = "Café owners on the quay said the opening brought more customers than any summer before."
    path = tmp_path / "bad.csv"
    path.write_bytes(
        b"text,title\n"
        + f'"{cafe}",Café — ünd ñ\n'.encode()
        + b"short \xff\xfe row,Broken\n"
        + f'"{BRIDGE}'.encode() + b'\xff",One bad byte\n'
        + f'"{HARVEST}",Good\n'.encode()
    )

    items = read(path)

    assert [type(i) for i in items] == [RawDoc, CorruptInput, RawDoc, RawDoc]
    assert items[1].source == f"{path}#3" and "invalid UTF-8" in items[1].reason
    assert items[2].warnings == ["invalid UTF-8: 1 character(s) replaced"]
    assert items[3].warnings == [] and items[3].meta["title"] == "Good"


def test_file_without_a_text_column_is_one_error_listing_its_header(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "gdelt.csv", [["DATE", "SourceCommonName", "DocumentIdentifier"],
                                               ["20240304", "harbour.example", "http://harbour.example/x"]])

    [err] = read(path)

    assert isinstance(err, MissingField) and err.source == str(path)
    assert "no text column" in err.reason and "'DocumentIdentifier'" in err.reason
    assert "--columns text=COLUMN" in err.reason


def test_columns_name_the_fields(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "site.csv", [["body", "site", "text"], [BRIDGE, "Harbour Times", "not this"]])

    [doc] = read(path, columns={"text": "body", "outlet": "site"})

    assert doc.body == BRIDGE and doc.meta["outlet"] == "Harbour Times"


def test_a_column_named_by_columns_but_absent_is_one_error(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "site.csv", [["text", "title"], [BRIDGE, "T"]])

    [err] = read(path, columns={"outlet": "site"})

    assert isinstance(err, MissingField)
    assert str(err).startswith(f"{path}: no column 'site' (--columns outlet=site)")


def test_a_field_longer_than_an_article_is_too_large_and_within_bounds(tmp_path: Path) -> None:
    big = "word " * 60_000  # 300 kB
    path = write_rows(tmp_path / "big.csv", [["text"], [BRIDGE], [big], [HARVEST]])

    items = read(path, max_bytes=100_000)

    assert [type(i) for i in items] == [RawDoc, TooLarge, RawDoc]
    assert items[1].source == f"{path}#3"


def test_a_runaway_quote_stops_at_the_limit_naming_the_row(tmp_path: Path) -> None:
    path = tmp_path / "runaway.csv"
    path.write_bytes(f'text\n"{BRIDGE}"\n"an unclosed quote\n'.encode() + b"more words\n" * 5_000)

    items = read(path, max_bytes=10_000)

    assert isinstance(items[0], RawDoc)
    assert isinstance(items[-1], CorruptInput) and items[-1].source == f"{path}#3"
    assert "unclosed quote" in items[-1].reason and "lines 3-5003 not read" in items[-1].reason
    assert len(items) == 2


def test_one_huge_line_costs_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "line.csv"
    path.write_bytes(
        f"text,title\n{BRIDGE},One\n".encode() + b"x" * 3_000_000 + f",Huge\n{HARVEST},Three\n".encode()
    )

    items = read(path, max_bytes=100_000)

    assert [type(i) for i in items] == [RawDoc, TooLarge, RawDoc]
    assert items[1].source == f"{path}#3" and "line 3 skipped" in items[1].reason
    assert items[2].source == f"{path}#4" and items[2].body == HARVEST


def test_an_oversized_quoted_field_is_skipped_to_its_closing_quote(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    huge = ('"' + 'a ""quoted"" word, and a comma\n' * 80_000 + 'end"').encode()  # 2.6 MB, past the limit and its slack
    path.write_bytes(f"title,text\nOne,{BRIDGE}\nHuge,".encode() + huge + f"\nThree,{HARVEST}\n".encode())

    items = read(path, max_bytes=100_000)

    assert [type(i) for i in items] == [RawDoc, TooLarge, RawDoc]
    assert items[1].source == f"{path}#3" and "lines 3-80003 skipped" in items[1].reason
    assert items[2].source == f"{path}#80004" and items[2].body == HARVEST


def test_a_row_is_never_held_past_the_limit(tmp_path: Path) -> None:
    from narrascope.ingest.csvfiles import _records

    chunks = ["text\n", *(["x" * 100] * 50), "\n", "short\n"]

    records = list(_records(iter(chunks), ",", 1_000))

    assert [(r.start, r.problem, len(r.parts)) for r in records] == [(1, None, 1), (2, "too large", 0), (3, None, 1)]


def test_gzipped_csv_and_csv_without_extension(tmp_path: Path) -> None:
    data = f'title,text\nBridge,"{BRIDGE}"\n'.encode()
    gz = tmp_path / "a.csv.gz"
    gz.write_bytes(gzip.compress(data))
    bare = tmp_path / "EXPORT"
    bare.write_bytes(data)

    assert sniff(data) == "csv"
    assert [d.body for d in read(gz)] == [BRIDGE]
    assert [d.body for d in read(bare, fmt=None)] == [BRIDGE]


def test_plain_text_with_commas_is_not_taken_for_csv() -> None:
    assert sniff(b"Harbour bridge opens, officials say\nThe new bridge opened, at last, on Monday.\n") == "text"


def test_ingest_stores_rows_as_articles_from_a_folder_and_names_the_bad_row(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    path = write_rows(folder / "stories.csv", [*MEDIA_CLOUD, ["103", "", "No text", "", "", "", "", "", ""]])
    store = SQLStore.memory()

    report = ingest_paths([str(folder)], store, default_settings())

    articles = sorted(store.iter_articles(), key=lambda a: a.path)
    assert [a.path for a in articles] == [f"{path}#2", f"{path}#3"]
    assert [a.outlet for a in articles] == ["Harbour Times", "Valley Post"]
    assert articles[0].published.isoformat().startswith("2024-03-04T09:15")
    assert articles[0].title == "Bridge opens" and articles[0].external_id == "101"
    assert [e.source for e in report.errors] == [f"{path}#4"]
    # Read again: nothing new.
    again = ingest_paths([str(folder)], store, default_settings())
    assert not again.added and again.unchanged == 2


def test_ingest_takes_columns_as_written_on_the_command_line(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "site.csv", [["body", "site"], [BRIDGE, "Harbour Times"]])
    store = SQLStore.memory()

    ingest_paths([str(path)], store, default_settings(), columns="text=body, outlet=site")

    [article] = store.iter_articles()
    assert article.outlet == "Harbour Times" and article.text.startswith("The new harbour bridge")


def test_bad_columns_are_refused_before_anything_is_read(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "site.csv", [["body"], [BRIDGE]])
    store = SQLStore.memory()

    with pytest.raises(ConfigError, match="'txt' is not a field"):
        ingest_paths([str(path)], store, default_settings(), columns="txt=body")
    assert list(store.iter_articles()) == []


# -- whatever the bytes, every row is a document or one error, and nothing raises ------------------

_CELLS = st.text(alphabet=st.sampled_from(list('ab ,;\t"\n\r\x00é\ufeff\u2028')), max_size=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(_CELLS, max_size=8), raw=st.binary(max_size=40))
def test_any_bytes_after_a_header_give_documents_or_errors_never_an_exception(tmp_path_factory, body, raw):
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes(b"text,title\n" + "\n".join(body).encode("utf-8", "surrogatepass") + raw)

    items = read(path, max_bytes=200)

    assert all(isinstance(i, RawDoc | InputError) for i in items)
    assert all("\n" not in str(i) for i in items if isinstance(i, InputError))
    assert all(i.source.startswith(f"{path}#") for i in items if isinstance(i, RawDoc))


def test_an_unclosed_quote_is_one_error_naming_its_row_and_nothing_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "runaway.csv"
    path.write_bytes(b'title,text\nOne,"' + BRIDGE.encode() + b'"\nA,"body\nB,body\nC,body\n')

    items = read(path)

    assert [type(i) for i in items] == [RawDoc, CorruptInput]
    assert items[0].body == BRIDGE
    assert items[1].source == f"{path}#3"
    assert "unclosed quote" in items[1].reason and "lines 3-5 not read" in items[1].reason


def test_a_quote_closed_in_the_wrong_place_costs_the_lines_it_spans_and_no_more(tmp_path: Path) -> None:
    path = tmp_path / "stray.csv"
    path.write_bytes(b'title,text\nA,"body\nB,"x"y\nC,' + HARVEST.encode() + b"\n")

    items = read(path)

    assert [type(i) for i in items] == [CorruptInput, RawDoc]
    assert items[0].source == f"{path}#2" and "lines 2-3 not read" in items[0].reason
    assert items[1].body == HARVEST and items[1].source == f"{path}#4"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list('ab,;"\n\r')), max_size=30))
def test_rows_end_where_the_csv_module_ends_them(text: str) -> None:
    from narrascope.ingest.csvfiles import _records, _row

    lines = io.StringIO(text, newline="").readlines()
    expected, reader = [], csv.reader(iter(lines), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            expected.append((start, None))
            if "unexpected end of data" in str(exc):
                break
            continue
        if row is None:
            break
        expected.append((start, row))

    got = [(r.start, row if isinstance(row := _row(r, ","), list) else None) for r in _records(iter(lines), ",", 1000)]

    assert [g for g in got if g[1] != []] == [e for e in expected if e[1] != []]
