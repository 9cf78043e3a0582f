"""JSON and JSONL records: streamed, bounded, split on "\\n" only, fields normalised."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from narrascope.errors import CorruptInput, TooLarge
from narrascope.ingest.raw import RawDoc
from narrascope.ingest.sources import InputFile, format_for, read_file

MAX_BYTES = 2**20


def read(path: Path, max_bytes: int = MAX_BYTES) -> list:
    return list(read_file(InputFile(path, format_for(path), str(path.parent)), max_bytes=max_bytes))


def jsonl(path: Path, records: list[dict], *, gz: bool = False) -> Path:
    data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


# -- line splitting ----------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c", "\r", "\x0b"])
def test_jsonl_lines_end_at_newline_only(tmp_path: Path, separator: str) -> None:
    texts = [f"First line.{separator}Still the first record.", "Second record."]
    path = jsonl(tmp_path / "a.jsonl", [{"text": t} for t in texts])

    docs = read(path)

    assert [d.body for d in docs] == texts
    assert [d.source for d in docs] == [f"{path}#1", f"{path}#2"]


def test_crlf_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"text": "one"}\r\n{"text": "two"}\r\n')
    assert [d.body for d in read(path)] == ["one", "two"]


# -- streaming and bounds ----------------------------------------------------------------------


def test_jsonl_gz_is_streamed_and_an_oversized_line_skipped(tmp_path: Path) -> None:
    big = {"text": "x" * (3 * MAX_BYTES)}
    path = jsonl(tmp_path / "a.jsonl.gz", [{"text": "before"}, big, {"text": "after"}], gz=True)

    items = read(path)

    assert [type(x) for x in items] == [RawDoc, TooLarge, RawDoc]
    assert items[1].source == f"{path}#2" and "max_article_mb" in items[1].reason
    assert [items[0].body, items[2].body] == ["before", "after"]


def test_a_gzip_bomb_is_never_decompressed_whole(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"A" * (20 * MAX_BYTES)))  # 20 MB in about 20 KB
    biggest = []
    real_read = gzip.GzipFile.read

    def read_spy(self, size=-1):
        data = real_read(self, size)
        biggest.append(len(data))
        return data

    monkeypatch.setattr(gzip.GzipFile, "read", read_spy)
    (err,) = read(path)

    assert isinstance(err, TooLarge) and err.source == str(path)
    assert max(biggest) <= MAX_BYTES + 1


def test_json_array_is_streamed_record_by_record(tmp_path: Path) -> None:
    records = [{"id": i, "text": f"Story number {i}."} for i in range(50)]
    path = tmp_path / "a.json"
    path.write_text(json.dumps(records, indent=1), encoding="utf-8")

    docs = read(path)

    assert [d.body for d in docs] == [r["text"] for r in records]
    assert docs[-1].source == f"{path}#50"


def test_array_cut_short_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text('[{"text": "one"}, {"text": "two"},\n {"text": "thr', encoding="utf-8")

    items = read(path)

    assert [d.body for d in items[:2]] == ["one", "two"]
    assert isinstance(items[2], CorruptInput) and items[2].source == str(path)
    assert "invalid JSON" in items[2].reason and "2 record(s) before it" in items[2].reason


def test_pretty_printed_objects_one_after_another(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps({"text": "one", "title": "A"}, indent=2) + "\n" + json.dumps({"text": "two"}, indent=2),
        encoding="utf-8",
    )
    assert [(d.source, d.body) for d in read(path)] == [(f"{path}#1", "one"), (f"{path}#2", "two")]


def test_a_stray_byte_in_a_record_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    text = "Министерство иностранных дел заявило, что переговоры продолжатся".encode()
    path.write_bytes(b'{"text": "' + text[:20] + b"\xff" + text[20:] + b'"}\n{"text": "ok"}\n')
    first, second = read(path)
    assert "\ufffd" in first.body and any("invalid UTF-8" in w for w in first.warnings)
    assert second.warnings == []


def test_legacy_encoded_jsonl(tmp_path: Path) -> None:
    text = "Министерство иностранных дел заявило, что переговоры продолжатся на следующей неделе."
    path = tmp_path / "a.jsonl"
    path.write_bytes((json.dumps({"text": text}, ensure_ascii=False) + "\n").encode("cp1251") * 3)
    assert [d.body for d in read(path)] == [text] * 3


# -- fields that are not strings ---------------------------------------------------------------


def test_newsapi_style_fields(tmp_path: Path) -> None:
    record = {
        "source": {"id": None, "name": "BBC News"},
        "author": [{"name": "Ann Lee"}, "Bob Stone", {"id": 3}],
        "title": "Budget approved",
        "text": "The council approved the budget.",
        "language": "English",
        "id": 17,
    }
    (doc,) = read(jsonl(tmp_path / "a.jsonl", [record]))
    assert doc.meta == {
        "outlet": "BBC News",
        "author": "Ann Lee, Bob Stone",
        "title": "Budget approved",
        "language": "en",
        "id": "17",
    }
    assert doc.warnings == []


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("pt_BR", "pt"),
        ("Russian", "ru"),
        ("русский", "ru"),
        ("Kazakh", "kk"),
        ("Ukrainian", "uk"),
        ("rus", "ru"),
        ("kaz", "kk"),
    ],
)
def test_language_names_and_tags_become_codes(tmp_path: Path, given: str, code: str) -> None:
    (doc,) = read(jsonl(tmp_path / "a.jsonl", [{"text": "x", "language": given}]))
    assert doc.meta["language"] == code


@pytest.mark.parametrize("given", ["Klingon tongue", "english (uk)", "12", {"code": 5}])
def test_a_language_that_is_no_code_is_dropped_with_a_warning(tmp_path: Path, given) -> None:
    (doc,) = read(jsonl(tmp_path / "a.jsonl", [{"text": "x", "language": given}]))
    assert "language" not in doc.meta
    assert len(doc.warnings) == 1 and "\n" not in doc.warnings[0]


def test_stated_language_name_reaches_the_article(tmp_path: Path, store, settings) -> None:
    from narrascope.ingest import ingest_paths

    path = jsonl(
        tmp_path / "a.jsonl",
        [{"text": "Der Rat hat den Haushalt am Dienstag gebilligt.", "language": "German"}],
    )
    ingest_paths([str(path)], store, settings)
    (article,) = store.iter_articles()
    assert article.language == "de"
