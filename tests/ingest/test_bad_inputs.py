"""Bad inputs: each gives one InputError naming the file (or record) and a reason, and the
rest of the batch still goes in.

Each test puts one bad file next to a good plain-text article in a folder, ingests the folder
and checks the good article is stored and exactly the expected error was reported.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

import narrascope.ingest.sources as sources
from narrascope.config import default_settings
from narrascope.errors import (
    BinaryInput,
    CorruptInput,
    EmptyInput,
    InputError,
    MissingField,
    TooLarge,
    UnreadableInput,
)
from narrascope.ingest import IngestReport, ingest_paths
from narrascope.ingest.decode import MAX_BAD_UTF8_RATIO, decode_bytes
from narrascope.store.sql import SQLStore

GOOD_TEXT = (
    "Harbour bridge opens after five years of work\n"
    "\n"
    "The new harbour bridge opened to traffic on Monday morning after five years of construction work.\n"
    "City officials said the crossing would cut commuting times for thousands of residents every day.\n"
    "Drivers queued from dawn to be among the first to cross, and a brass band played on the pier.\n"
)
RU_TEXT = (
    "Министерство иностранных дел России заявило в понедельник, что переговоры продолжатся "
    "на следующей неделе. Представитель ведомства сообщил журналистам, что стороны обсудят "
    "вопросы безопасности, торговли и экономического сотрудничества в регионе.\n"
)


# -- helpers -----------------------------------------------------------------------------------


class Batch:
    """A folder holding one good article plus whatever bad files a test adds."""

    def __init__(self, root: Path) -> None:
        self.folder = root / "batch"
        self.folder.mkdir()
        self.good = self.add("good.txt", GOOD_TEXT)
        self.store = SQLStore.memory()

    def add(self, name: str, data: str | bytes) -> Path:
        path = self.folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def ingest(self, *extra: str | Path) -> IngestReport:
        return ingest_paths([str(self.folder), *map(str, extra)], self.store, default_settings())

    def paths(self) -> set[str]:
        return {a.path for a in self.store.iter_articles()}

    def assert_good_stored(self) -> None:
        assert str(self.good) in self.paths(), "the good article was not stored"


def assert_one_line(err: InputError, source: str | Path) -> None:
    """``str(err)`` is one line: the file or record, then a reason."""
    text = str(err)
    assert "\n" not in text and "\r" not in text, repr(text)
    assert err.source == str(source)
    assert err.reason.strip()
    assert text == f"{source}: {err.reason}"


def assert_only_error(report: IngestReport, kind: type[InputError], source: str | Path) -> InputError:
    assert len(report.errors) == 1, [f"{type(e).__name__}: {e}" for e in report.errors]
    err = report.errors[0]
    assert type(err) is kind, f"{type(err).__name__}: {err}"
    assert_one_line(err, source)
    return err


def html_page(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"


WARC_PAGES = [
    (
        f"https://example.org/news/{i}",
        html_page(
            title,
            [
                f"{title} was the main story in the harbour town on day {i} of the festival week.",
                f"Residents said {title.lower()} surprised everyone, and the mayor promised more news soon.",
            ],
        ),
    )
    for i, title in enumerate(["Bridge opens", "Budget passes", "Ferry cancelled"])
]


def warc_bytes(*, gz: bool) -> tuple[bytes, list[int]]:
    """A WARC of the WARC_PAGES and the offset where each record ends."""
    fh = io.BytesIO()
    writer = WARCWriter(fh, gzip=gz)
    ends = []
    for url, html in WARC_PAGES:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=http)
        )
        ends.append(fh.tell())
    return fh.getvalue(), ends


# -- binary, empty, too large ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["blob", "picture.txt"])
def test_binary_file(tmp_path: Path, name: str) -> None:
    batch = Batch(tmp_path)
    rng = random.Random(7)
    bad = batch.add(
        name, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(2000))
    )

    report = batch.ingest()

    assert_only_error(report, BinaryInput, bad)
    batch.assert_good_stored()
    assert batch.store.count_articles() == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\t\n   \r\n"),
        ("empty.html", b""),
        ("blank.html", b"\n\n   \n"),
        ("empty.jsonl", b""),
        ("blank.json", b" \n \n"),
        ("empty.rss", b""),
        ("empty.warc", b""),
        ("noext", b"\n \n"),
    ],
)
def test_empty_and_whitespace_files(tmp_path: Path, name: str, data: bytes) -> None:
    batch = Batch(tmp_path)
    bad = batch.add(name, data)

    report = batch.ingest()

    assert_only_error(report, EmptyInput, bad)
    batch.assert_good_stored()


def test_too_large_txt_is_refused_without_reading_it(tmp_path: Path, monkeypatch) -> None:
    batch = Batch(tmp_path)
    big = batch.folder / "dump.txt"
    with big.open("wb") as f:
        f.write(b"word " * 10_000_000)  # 50 MB, over the 8 MB default
    read_whole: list[Path] = []
    real_read_bytes = sources.read_bytes

    def spy(path: Path, limit: int) -> bytes:
        if limit > sources.SNIFF_BYTES:
            read_whole.append(path)
        return real_read_bytes(path, limit)

    monkeypatch.setattr(sources, "read_bytes", spy)
    try:
        report = batch.ingest()
    finally:
        big.unlink()

    err = assert_only_error(report, TooLarge, big)
    assert "max_article_mb" in err.reason
    assert batch.good in read_whole  # the spy sees the reads
    assert big not in read_whole, "the oversized file was read into memory"
    batch.assert_good_stored()


# -- invalid UTF-8 -----------------------------------------------------------------------------


def test_one_stray_byte_in_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    data = (RU_TEXT * 3).encode("utf-8")
    cut = data.index(b" ", 100)  # between two characters
    bad = batch.add("stray.txt", data[:cut] + b"\xff" + data[cut:])

    report = batch.ingest()

    assert report.errors == []
    assert {str(batch.good), str(bad)} <= batch.paths()
    mine = [w for w in report.warnings if w.startswith(f"{bad}: ")]
    assert len(mine) == 1, report.warnings
    assert "invalid UTF-8" in mine[0] and "\n" not in mine[0]
    stored = next(a for a in batch.store.iter_articles() if a.path == str(bad))
    assert stored.text.count("\ufffd") == 1
    assert "Министерство иностранных дел" in stored.text


def _utf8_with_stray_bytes(n_bad: int, size: int) -> bytes:
    """Cyrillic UTF-8 of exactly ``size`` bytes with ``n_bad`` lone 0xFF bytes spread through it."""
    good = (RU_TEXT * (size // len(RU_TEXT.encode()) + 2)).encode("utf-8")
    # Split at character starts only, so each 0xFF is exactly one bad sequence.
    chunk = (size - n_bad) // (n_bad + 1)
    parts, pos = [], 0
    for _ in range(n_bad):
        end = pos + chunk
        while good[end] & 0xC0 == 0x80:
            end += 1
        parts.append(good[pos:end] + b"\xff")
        pos = end
    head = b"".join(parts)
    tail_len = size - len(head)
    end = pos + tail_len
    while good[end] & 0xC0 == 0x80:  # keep the tail whole characters too
        end -= 1
    data = head + good[pos:end]
    return data + b" " * (size - len(data))


def test_bad_utf8_ratio_boundary() -> None:
    """Up to MAX_BAD_UTF8_RATIO bad bytes: replaced with a warning; beyond it: CorruptInput."""
    size = 20_000
    allowed = int(MAX_BAD_UTF8_RATIO * size)
    ok = _utf8_with_stray_bytes(allowed, size)
    too_many = _utf8_with_stray_bytes(allowed + 1, size)
    assert len(ok) == len(too_many) == size

    decoded = decode_bytes(ok, source="ok.txt")
    assert decoded.encoding == "utf-8"
    assert decoded.text.count("\ufffd") == allowed
    assert decoded.warning and "invalid UTF-8" in decoded.warning

    with pytest.raises(CorruptInput) as info:
        decode_bytes(too_many, source="bad.txt")
    assert str(info.value).startswith("bad.txt: invalid UTF-8")


def test_mostly_utf8_with_many_invalid_bytes_is_corrupt(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    data = (RU_TEXT * 4).encode("utf-8")
    # A lone 0xFF about every 40 bytes, put between characters: about 2.5% bad bytes, while
    # the valid two-byte Cyrillic sequences still far outnumber them.
    out, pos = [], 0
    while pos < len(data):
        end = min(pos + 40, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end += 1
        out.append(data[pos:end] + b"\xff")
        pos = end
    mangled = b"".join(out)
    bad_share = mangled.count(b"\xff") / len(mangled)
    assert bad_share > MAX_BAD_UTF8_RATIO
    bad = batch.add("mangled.txt", mangled)

    report = batch.ingest()

    err = assert_only_error(report, CorruptInput, bad)
    assert "invalid UTF-8" in err.reason
    batch.assert_good_stored()
    assert str(bad) not in batch.paths()


# -- truncated gzip and WARC -------------------------------------------------------------------


def test_truncated_txt_gz_is_corrupt(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    whole = gzip.compress((RU_TEXT * 20).encode("utf-8"))
    bad = batch.add("story.txt.gz", whole[: len(whole) // 2])

    report = batch.ingest()

    err = assert_only_error(report, CorruptInput, bad)
    assert "gzip" in err.reason
    batch.assert_good_stored()


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path, name: str) -> None:
    batch = Batch(tmp_path)
    data, ends = warc_bytes(gz=name.endswith(".gz"))
    cut = (ends[-2] + ends[-1]) // 2  # inside the last record
    bad = batch.add(name, data[:cut])

    report = batch.ingest()

    stored = batch.paths()
    for url, _ in WARC_PAGES[:-1]:
        assert f"{bad}!{url}" in stored
    batch.assert_good_stored()
    assert all(isinstance(e, InputError) for e in report.errors)


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_truncated_warc_is_reported_corrupt(tmp_path: Path, name: str) -> None:
    batch = Batch(tmp_path)
    data, ends = warc_bytes(gz=name.endswith(".gz"))
    cut = (ends[-2] + ends[-1]) // 2  # inside the last record
    bad = batch.add(name, data[:cut])

    report = batch.ingest()

    assert_only_error(report, CorruptInput, bad)
    stored = batch.paths()
    assert {f"{bad}!{url}" for url, _ in WARC_PAGES[:-1]} <= stored
    assert f"{bad}!{WARC_PAGES[-1][0]}" not in stored  # no half page stored as an article


def _cut_inside_last_warc_header(data: bytes, ends: list[int], *, gz: bool) -> bytes:
    """``data`` cut after the last record's WARC-Type line, before its WARC-Target-URI."""
    if not gz:
        start = data.index(b"WARC-Type: response", ends[-2])
        return data[: data.index(b"\r\n", start) + 2]
    member = data[ends[-2] :]
    good_cuts = []
    for n in range(1, len(member)):
        out = zlib.decompressobj(31).decompress(member[:n])
        if b"WARC-Type: response\r\n" in out and b"WARC-Target-URI" not in out:
            good_cuts.append(n)
    assert good_cuts, "could not find a cut inside the WARC header"
    return data[: ends[-2] + good_cuts[len(good_cuts) // 2]]


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_cut_inside_a_record_header_does_not_abort_the_batch(tmp_path: Path, name: str) -> None:
    batch = Batch(tmp_path)
    data, ends = warc_bytes(gz=name.endswith(".gz"))
    bad = batch.add(name, _cut_inside_last_warc_header(data, ends, gz=name.endswith(".gz")))

    report = batch.ingest()

    assert_only_error(report, CorruptInput, bad)
    assert {f"{bad}!{url}" for url, _ in WARC_PAGES[:-1]} <= batch.paths()
    batch.assert_good_stored()


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_read_file_yields_corrupt_for_warc_cut_inside_a_record_header(tmp_path: Path, name: str) -> None:
    data, ends = warc_bytes(gz=name.endswith(".gz"))
    bad = tmp_path / name
    bad.write_bytes(_cut_inside_last_warc_header(data, ends, gz=name.endswith(".gz")))

    items = list(sources.read_file(sources.InputFile(bad, "warc", str(tmp_path)), max_bytes=2**20))

    assert [type(x).__name__ for x in items] == ["RawDoc", "RawDoc", "CorruptInput"]
    assert_one_line(items[-1], bad)


@pytest.mark.parametrize(
    "data",
    [
        b"<html><body><p>Misnamed page</p></body></html>\n",  # first line: < 5 words
        bytes(range(256)) * 8,
    ],
    ids=["html", "binary"],
)
def test_file_named_warc_that_is_not_a_warc_gives_one_error(tmp_path: Path, data: bytes) -> None:
    batch = Batch(tmp_path)
    bad = batch.add("crawl.warc", data)

    report = batch.ingest()

    err = assert_only_error(report, CorruptInput, bad)
    assert "not a readable WARC" in err.reason
    batch.assert_good_stored()


def test_plain_text_named_warc_is_corrupt(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    bad = batch.add("crawl.warc", GOOD_TEXT.replace("Harbour", "Ferry"))  # first line: 7 words

    report = batch.ingest()

    assert_only_error(report, CorruptInput, bad)
    batch.assert_good_stored()


# -- malformed HTML ----------------------------------------------------------------------------


def test_malformed_html_with_text_still_gives_an_article(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    bad = batch.add(
        "broken.html",
        "<html><body><div><p>The city council approved the new budget on Tuesday evening after a "
        "long debate about school funding.<p>Several members said the spending plan would finally "
        "repair roads <b>that have <i>been neglected</div></span> for a decade. </table><td>",
    )

    report = batch.ingest()

    assert report.errors == []
    article = next(a for a in batch.store.iter_articles() if a.path == str(bad))
    assert "approved the new budget on Tuesday evening" in article.text
    assert "neglected" in article.text
    batch.assert_good_stored()


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><div></div></body></html>",
        "<html><head><title></title><script>var x = 1;</script></head><body><div><span></span></div>",
    ],
)
def test_html_without_text_is_empty(tmp_path: Path, page: str) -> None:
    batch = Batch(tmp_path)
    bad = batch.add("nothing.html", page)

    report = batch.ingest()

    assert_only_error(report, EmptyInput, bad)
    batch.assert_good_stored()


# -- JSON records ------------------------------------------------------------------------------

RECORD_1 = {
    "id": 1,
    "text": "The river flooded the old town on Sunday night and hundreds of people were evacuated.",
}
RECORD_3 = {
    "id": 3,
    "text": "The dam held and the water level fell by Monday afternoon, the rescue service said.",
}


def test_json_record_without_text_is_missing_field(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    lines = [json.dumps(RECORD_1), json.dumps({"id": 2, "title": "No body here"}), json.dumps(RECORD_3)]
    bad = batch.add("records.jsonl", "\n".join(lines) + "\n")

    report = batch.ingest()

    err = assert_only_error(report, MissingField, f"{bad}#2")
    assert "text" in err.reason
    assert {f"{bad}#1", f"{bad}#3", str(batch.good)} <= batch.paths()


def test_invalid_json_line_is_corrupt(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    lines = [json.dumps(RECORD_1), '{"id": 2, "text": "unterminated', json.dumps(RECORD_3)]
    bad = batch.add("records.jsonl", "\n".join(lines) + "\n")

    report = batch.ingest()

    err = assert_only_error(report, CorruptInput, f"{bad}#2")
    assert "invalid JSON" in err.reason
    assert {f"{bad}#1", f"{bad}#3", str(batch.good)} <= batch.paths()


def test_json_array_record_errors_are_per_record(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    bad = batch.add("records.json", json.dumps([RECORD_1, {"title": "no text"}, 42, RECORD_3]))

    report = batch.ingest()

    assert [(type(e), e.source) for e in report.errors] == [
        (MissingField, f"{bad}#2"),
        (CorruptInput, f"{bad}#3"),
    ]
    for err in report.errors:
        assert_one_line(err, err.source)
    assert {f"{bad}#1", f"{bad}#4", str(batch.good)} <= batch.paths()


def test_invalid_json_array_is_corrupt(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    bad = batch.add("records.json", '[{"text": "one"},\n {"text": ')

    report = batch.ingest()

    err = assert_only_error(report, CorruptInput, bad)
    assert "invalid JSON" in err.reason
    batch.assert_good_stored()


# -- unreadable paths --------------------------------------------------------------------------


def test_nonexistent_path_is_unreadable(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    missing = tmp_path / "no-such-folder" / "story.txt"

    report = batch.ingest(missing)

    err = assert_only_error(report, UnreadableInput, missing)
    assert "no such file" in err.reason
    batch.assert_good_stored()


def test_dangling_symlink_named_is_unreadable(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    link = tmp_path / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")

    report = batch.ingest(link)

    assert_only_error(report, UnreadableInput, link)
    batch.assert_good_stored()


def test_dangling_symlink_in_folder_is_unreadable(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    link = batch.folder / "dangling.txt"
    link.symlink_to(tmp_path / "gone.txt")

    report = batch.ingest()

    err = assert_only_error(report, UnreadableInput, link)
    assert "cannot read" in err.reason
    batch.assert_good_stored()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    locked = batch.add("locked.txt", GOOD_TEXT.replace("Harbour", "Ferry"))
    locked.chmod(0)
    try:
        report = batch.ingest()
    finally:
        locked.chmod(0o644)

    err = assert_only_error(report, UnreadableInput, locked)
    assert "cannot read" in err.reason
    batch.assert_good_stored()


# -- re-ingesting ------------------------------------------------------------------------------


def test_reingesting_a_folder_adds_nothing(tmp_path: Path) -> None:
    batch = Batch(tmp_path)
    batch.add("records.jsonl", f"{json.dumps(RECORD_1)}\n{json.dumps(RECORD_3)}\n")
    batch.add(
        "page.html",
        html_page(
            "Council approves new budget",
            [
                "The city council approved the new budget on Tuesday evening after a long debate about school funding.",
                "Several members said the spending plan would finally repair roads that have been neglected for years.",
            ],
        ),
    )

    first = batch.ingest()
    count = batch.store.count_articles()
    second = batch.ingest()

    assert first.errors == second.errors == []
    assert len(first.added) == count == 4
    assert first.unchanged == 0
    assert second.added == []
    assert second.unchanged == count
    assert batch.store.count_articles() == count


def test_nul_bytes_and_lone_surrogates_cost_only_a_warning(tmp_path):
    # JSON escapes put a lone surrogate or a NUL into a field: no store can hold either. The
    # record goes in cleaned, with a warning naming it; the rest of the batch is untouched.
    lines = [
        {"id": "a1", "text": GOOD_TEXT, "outlet": "Harbour News"},
        {"id": "a2", "text": "Bad \ud83d surrogate in a short article about the harbour bridge.", "outlet": "X \ud83d"},
        {"id": "a3", "text": "A NUL \x00 byte inside an article about the harbour bridge opening.", "outlet": "Y"},
    ]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    store = SQLStore.memory()
    report = ingest_paths([str(path)], store, default_settings())
    assert len(report.added) == 3 and not report.errors
    texts = {a.external_id: a for a in store.iter_articles()}
    assert "\ufffd" in texts["a2"].text and texts["a2"].outlet == "X \ufffd"
    assert "\x00" not in texts["a3"].text and texts["a3"].text.startswith("A NUL byte inside")
    assert sorted(w.split(": ", 1)[1] for w in report.warnings if "unstorable" in w) == [
        "unstorable characters: 1 NUL character(s) removed",
        "unstorable characters: 2 lone surrogate(s) replaced by U+FFFD"]


def test_a_placeholder_publication_date_is_left_empty_with_a_warning(tmp_path):
    lines = [{"id": f"p{n}", "text": f"{GOOD_TEXT} ({n})", "outlet": "Harbour News", "published": when}
             for n, when in enumerate(["0001-01-01", "9999-12-31T00:00:00", "2024-05-01", "1970-01-01"])]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    store = SQLStore.memory()
    report = ingest_paths([str(path)], store, default_settings())
    assert len(report.added) == 4 and not report.errors
    dates = {a.external_id: a.published and a.published.date().isoformat() for a in store.iter_articles()}
    assert dates == {"p0": None, "p1": None, "p2": "2024-05-01", "p3": "1970-01-01"}
    placeholders = [w for w in report.warnings if "no publication date" in w]
    assert len(placeholders) == 2 and "'0001-01-01'" in placeholders[0]
