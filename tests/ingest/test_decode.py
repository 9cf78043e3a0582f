"""Bytes to text: a declared charset is trusted only when it can be the document's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrascope.config import default_settings
from narrascope.errors import BinaryInput
from narrascope.ingest import ingest_paths
from narrascope.ingest.decode import decode_bytes, stream_encoding
from narrascope.store.sql import SQLStore

CAFE = "Café owners on the quay said the opening brought more customers than any summer before, the café said."
RU = "Министерство иностранных дел России заявило в понедельник, что переговоры продолжатся на следующей неделе."


def page(charset: str, text: str, encoding: str) -> bytes:
    return (f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>').encode(encoding)


@pytest.mark.parametrize("charset", ["base64", "rot13", "hex", "zlib", "no-such-charset", "bz2"])
def test_a_declared_charset_that_is_no_text_encoding_falls_back_to_detection(charset: str) -> None:
    decoded = decode_bytes(page(charset, CAFE, "cp1252"), source="page.html")

    assert CAFE in decoded.text


@pytest.mark.parametrize("pad", ["", " ", "  ", "   "])  # UTF-16 and UTF-32 decode whole units only
@pytest.mark.parametrize("charset", ["utf-16", "UTF-16LE", "utf-16be", "utf-32", "cp037"])
def test_a_declared_charset_the_page_cannot_be_in_is_ignored(charset: str, pad: str) -> None:
    """The declaration was read as ASCII, so an 8-bit page: decoding it as UTF-16 is garbage."""
    decoded = decode_bytes(page(charset, CAFE + pad, "cp1252"), source="page.html")

    assert CAFE in decoded.text
    assert "utf_16" not in decoded.encoding and "utf_32" not in decoded.encoding


def test_a_true_declaration_is_still_honoured() -> None:
    decoded = decode_bytes(page("koi8-r", RU, "koi8-r"), source="page.html")

    assert decoded.encoding == "koi8-r" and RU in decoded.text


def test_utf16_with_its_bom_is_read() -> None:
    decoded = decode_bytes(page("utf-16", CAFE, "utf-16"), source="page.html")

    assert CAFE in decoded.text


def test_stream_encoding_judges_a_cut_head_on_whole_lines() -> None:
    head = ("a,b\n" + "é" * 10 + "\n").encode() + "é".encode()[:1]
    assert stream_encoding(head, "x.csv", whole=False) == "utf-8"


def test_ingest_stores_such_pages_readably(tmp_path: Path) -> None:
    (tmp_path / "b64.html").write_bytes(page("base64", CAFE, "cp1252"))
    (tmp_path / "u16.html").write_bytes(page("utf-16", CAFE, "cp1252"))
    store = SQLStore.memory()

    report = ingest_paths([str(tmp_path)], store, default_settings())

    assert not report.errors
    texts = [a.text for a in store.iter_articles()]
    assert len(texts) == 2 and all("Café owners on the quay" in t for t in texts)


def test_a_stray_nul_near_the_start_is_removed_from_its_record_not_the_file_refused(tmp_path: Path) -> None:
    csv_file = tmp_path / "export.csv"
    csv_file.write_bytes(f"title,text\nCafe,{CAFE}\nNul,A stray NUL\x00 byte in a row about the quay.\n".encode())
    jsonl = tmp_path / "export.jsonl"
    # A raw NUL inside a JSON string is not JSON: that record alone is refused.
    jsonl.write_bytes(
        f'{{"text": "{RU}"}}\n'.encode() + b'{"text": "A raw NUL \x00 in a record about the quay."}\n'
    )
    store = SQLStore.memory()

    report = ingest_paths([str(csv_file), str(jsonl)], store, default_settings())

    assert [e.source for e in report.errors] == [f"{jsonl}#2"]
    texts = [a.text for a in store.iter_articles()]
    assert len(texts) == 3 and not any("\x00" in t for t in texts)
    assert [w.split(": ", 1)[0] for w in report.warnings if "NUL" in w] == [f"{csv_file}#3"]


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes((i * 37) % 256 for i in range(3000)),
        b"title,text\n" + b"\x00" * 500,
    ],
    ids=["png", "zip", "nuls"],
)
def test_binary_data_is_still_refused(data: bytes) -> None:
    with pytest.raises(BinaryInput):
        decode_bytes(data, source="export.csv")
