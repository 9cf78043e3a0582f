"""PostgreSQL for real: the demo end to end, what PostgreSQL refuses that SQLite takes, and
concurrent writers. Skipped with a message where no server is given ($NARRASCOPE_TEST_PG)."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner
from test_concurrent_writers import PER_WRITER, WRITERS, _records

from narrascope.cli import main
from narrascope.config import default_settings
from narrascope.ingest import ingest_paths
from narrascope.store.sql import SQLStore


def test_the_demo_end_to_end_on_postgresql(tmp_path, pg_url):
    url = pg_url
    out = tmp_path / "demo-out"
    result = CliRunner().invoke(main, ["demo", "--db", url, "--output", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads((out / "demo.json").read_text())
    assert len(data["articles"]) >= 10 and "ru" in {a["language"] for a in data["articles"]}
    assert data["claims"] and data["entities"] and data["outlets"]
    assert (out / "report.html").stat().st_size > 10_000


def test_what_postgresql_refuses_is_cleaned_or_fits(tmp_path, pg_url):
    url = pg_url
    long_outlet = "The Very Long Name Of A Regional Publishing House " * 6  # 300 characters
    lines = [{"id": "n1", "text": "A NUL \x00 inside an article about the harbour vote.", "outlet": "Harbour"},
             {"id": "s1", "text": "A lone \ud83d surrogate in an article about the harbour vote.", "outlet": long_outlet},
             {"id": "g1", "text": "A plain article about the harbour authority's vote on berths.", "outlet": "Harbour"}]
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8")
    store = SQLStore(url)
    report = ingest_paths([str(path)], store, default_settings())
    assert len(report.added) == 3 and not report.errors
    outlets = {a.external_id: a.outlet for a in store.iter_articles()}
    assert outlets["s1"] == " ".join(long_outlet.split())
    store.close()


def test_concurrent_ingests_on_postgresql(tmp_path, pg_url):
    url = pg_url
    SQLStore(url).close()  # the schema first: PostgreSQL's DDL is not what is under test
    files = []
    for w in range(WRITERS):
        path = tmp_path / f"w{w}.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in _records(w)) + "\n", encoding="utf-8")
        files.append(path)
    procs = [subprocess.Popen([sys.executable, "-m", "narrascope", "ingest", str(f), "--db", url],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, out + err
    store = SQLStore(url, create=False)
    ids = [a.external_id for a in store.iter_articles()]
    assert len(ids) == len(set(ids)) == WRITERS * PER_WRITER
    store.close()
