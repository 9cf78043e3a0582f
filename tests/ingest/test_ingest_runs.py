"""How an ingest run flows: documents (not files) in batches, failures kept apart, restated records."""

from __future__ import annotations

import json

import pytest

import narrascope.ingest.sources as sources
from narrascope.engine import LocalEngine, SerialEngine
from narrascope.errors import CorruptInput, StoreError
from narrascope.ingest import ingest_paths
from narrascope.ingest.raw import RawDoc
from narrascope.store import SQLStore

SENTENCES = [
    "The regional council approved a new budget for road repairs on Tuesday evening in the capital.",
    "Council members said the plan would fix more than forty bridges over the next three years.",
    "Critics argued that the money should have gone to public transport instead of new roads.",
]


def record(i: int, **extra) -> dict:
    text = " ".join(f"Story {i}: {s}" for s in SENTENCES)
    return {"id": f"r{i}", "text": text, "outlet": f"Outlet {i}", **extra}


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def fail_on_call(store, monkeypatch, n: int, exc: BaseException) -> None:
    real = store.add_article
    calls = []

    def add(article, **kw):
        calls.append(article.id)
        if len(calls) == n:
            raise exc
        return real(article, **kw)

    monkeypatch.setattr(store, "add_article", add)


# -- transactions of batch_size articles, whatever the files ----------------------------------


def test_one_big_jsonl_commits_in_batches_of_articles(tmp_path, store, settings, monkeypatch):
    path = write_jsonl(tmp_path / "big.jsonl", [record(i) for i in range(7)])
    settings = settings.replace({"ingest": {"batch_size": 3}})
    fail_on_call(store, monkeypatch, 5, KeyboardInterrupt())

    with pytest.raises(KeyboardInterrupt):
        ingest_paths([str(path)], store, settings, engine=SerialEngine())

    assert store.count_articles() == 3  # the first batch of the one file is kept
    monkeypatch.undo()
    resumed = ingest_paths([str(path)], store, settings)
    assert len(resumed.added) == 4 and resumed.unchanged == 3


def test_records_of_one_file_are_spread_over_the_workers(tmp_path, settings):
    path = write_jsonl(tmp_path / "big.jsonl", [record(i) for i in range(12)])
    serial, parallel = SQLStore.memory(), SQLStore.memory()
    ingest_paths([str(path)], serial, settings, engine=SerialEngine())
    report = ingest_paths([str(path)], parallel, settings, engine=LocalEngine(2))
    assert len(report.added) == 12 and report.files == 1
    assert [a.id for a in serial.iter_articles()] == [a.id for a in parallel.iter_articles()]


def test_documents_are_counted_for_the_pool_not_files(tmp_path, settings, monkeypatch):
    import narrascope.ingest.runner as runner

    chosen = []
    real = runner.default_engine
    monkeypatch.setattr(runner, "default_engine", lambda *a: chosen.append(a) or real(*a))
    path = write_jsonl(tmp_path / "big.jsonl", [record(i) for i in range(5)])
    settings = settings.replace({"ingest": {"parallel_min_documents": 3, "workers": 1}})
    ingest_paths([str(path)], SQLStore.memory(), settings)
    assert chosen == [(1, 3, 3)]  # one file, but three documents seen: enough for a pool


def test_a_reader_that_raises_is_one_error_for_its_file(tmp_path, store, settings, monkeypatch):
    good = tmp_path / "good.txt"
    good.write_text("Council approves road budget\n" + "\n".join(SENTENCES) + "\n")
    bad = write_jsonl(tmp_path / "bad.jsonl", [record(1)])

    def broken_reader(path, *, max_bytes, columns=None):
        yield RawDoc(f"{path}#1", record(1)["text"], "text", str(path))
        raise RuntimeError("parser bug\nwith a second line")

    monkeypatch.setattr(sources, "read_json", broken_reader)
    report = ingest_paths([str(tmp_path)], store, settings)

    assert [(type(e), e.source) for e in report.errors] == [(CorruptInput, str(bad))]
    assert "RuntimeError: parser bug" in str(report.errors[0]) and "\n" not in str(report.errors[0])
    assert store.count_articles() == 2  # the record before the failure and the good file


# -- a store failing mid-run -------------------------------------------------------------------


@pytest.mark.parametrize("engine", [SerialEngine(), LocalEngine(2)], ids=["serial", "pool"])
def test_a_store_error_is_kept_on_the_report_with_the_input_errors(
    tmp_path, store, settings, monkeypatch, engine
):
    (tmp_path / "a-empty.txt").write_text("")  # read before the store fails
    write_jsonl(tmp_path / "big.jsonl", [record(i) for i in range(200)])
    settings = settings.replace({"ingest": {"batch_size": 3}})
    fail_on_call(store, monkeypatch, 5, StoreError("disk full", source="n.db"))
    read = []
    real_reader = sources.read_json

    def counting_reader(path, *, max_bytes, columns=None):
        for item in real_reader(path, max_bytes=max_bytes):
            read.append(item)
            yield item

    monkeypatch.setattr(sources, "read_json", counting_reader)

    report = ingest_paths([str(tmp_path)], store, settings, engine=engine)

    assert isinstance(report.fatal, StoreError)
    assert [e.source for e in report.errors] == [str(tmp_path / "a-empty.txt")]
    assert store.count_articles() == 3 and len(report.added) == 3
    assert report.summary().endswith("stopped by a store error")
    assert len(read) < 150  # reading stays a window ahead of the writes and stops with them


# -- the same document restated with other metadata -------------------------------------------


def test_restated_metadata_updates_the_article_and_marks_it_for_analysis(tmp_path, store, settings):
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, [record(1, published="2025-03-01T10:00:00+00:00", author="Ann Lee", language="en")])
    first = ingest_paths([str(path)], store, settings)
    (article,) = first.added
    store.mark_done("enrich", article.id, "1")
    assert store.articles_needing("enrich", "1") == []

    write_jsonl(
        path, [record(1, published="2025-03-02T09:30:00+00:00", author="Ann Lee-Smith", language="en")]
    )
    again = ingest_paths([str(path)], store, settings)

    assert again.updated == 1 and again.added == [] and again.unchanged == 0
    assert "1 updated (metadata changed)" in again.summary()
    stored = store.get_article(article.id)
    assert stored.author == "Ann Lee-Smith"
    assert stored.published.isoformat() == "2025-03-02T09:30:00+00:00"
    assert store.articles_needing("enrich", "1") == [article.id]  # its analysis is stale

    same = ingest_paths([str(path)], store, settings)
    assert same.updated == 0 and same.unchanged == 1


def test_a_new_title_rewrites_the_text_it_heads(tmp_path, store, settings):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, [record(1, title="Council approves budget")])
    ingest_paths([str(path)], store, settings)
    write_jsonl(path, [record(1, title="Council approves road budget")])
    report = ingest_paths([str(path)], store, settings)
    assert report.updated == 1
    (article,) = store.iter_articles()
    assert article.title == "Council approves road budget"
    assert article.text.startswith("Council approves road budget\n\n")
