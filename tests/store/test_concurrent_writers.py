"""Several processes writing to one store at once lose nothing and duplicate nothing."""

from __future__ import annotations

import json
import subprocess
import sys

from narrascope.enrich.runner import STAGE as ENRICH
from narrascope.enrich.runner import VERSION as ENRICH_VERSION
from narrascope.store.sql import SQLStore

WRITERS = 4
PER_WRITER = 25


def _records(writer: int) -> list[dict]:
    return [{"id": f"w{writer}-{n}", "outlet": f"Outlet {writer}",
             "text": f"Report {n} of writer {writer}: the harbour authority of district {writer * 100 + n} approved "
                     f"{n + 3} new berths on day {n} after a vote of {writer + n} to two."} for n in range(PER_WRITER)]


def test_concurrent_ingests_into_a_new_sqlite_store_keep_every_article(tmp_path):
    db = tmp_path / "shared.db"  # not created yet: the race to create it is part of the test
    shared = {"id": "same", "outlet": "Wire", "text": "One wire story that every writer ingests, word for word, "
                                                      "about the harbour authority's vote on the new berths."}
    files = []
    for w in range(WRITERS):
        path = tmp_path / f"w{w}.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in [*_records(w), shared]) + "\n", encoding="utf-8")
        files.append(path)
    procs = [subprocess.Popen([sys.executable, "-m", "narrascope", "ingest", str(f), "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in files]
    results = [p.communicate(timeout=600) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, out + err
    store = SQLStore(str(db), create=False)
    stored = list(store.iter_articles())
    ids = [a.external_id for a in stored]
    assert len(ids) == len(set(ids)) == WRITERS * PER_WRITER + 1  # the shared story once
    seqs = store.count_articles()
    assert seqs == len(stored)
    store.close()


def test_analyze_and_ingests_at_once_on_one_store(tmp_path):
    db = tmp_path / "busy.db"
    first = tmp_path / "first.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in _records(0)[:8]) + "\n", encoding="utf-8")
    assert subprocess.run([sys.executable, "-m", "narrascope", "ingest", str(first), "--db", str(db)],
                          capture_output=True, timeout=600).returncode == 0
    later = []
    for w in (1, 2):
        path = tmp_path / f"later{w}.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in _records(w)[:10]) + "\n", encoding="utf-8")
        later.append(path)
    procs = [subprocess.Popen([sys.executable, "-m", "narrascope", "analyze", "--db", str(db)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)]
    procs += [subprocess.Popen([sys.executable, "-m", "narrascope", "ingest", str(f), "--db", str(db)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for f in later]
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, out + err
    store = SQLStore(str(db), create=False)
    ids = [a.external_id for a in store.iter_articles()]
    assert len(ids) == len(set(ids)) == 28
    # what analyze saw is analysed; whatever came in meanwhile is left for the next run, not lost
    assert len(store.articles_needing(ENRICH, ENRICH_VERSION)) < 28
    store.close()


def _table_counts(db) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "sentences", "mentions", "entities", "claims", "claim_links",
                          "claim_groups", "stories", "stances")}


def _table_rows(db) -> dict[str, list]:
    """What the runs decided, by content-derived ids: the same counts could hide other rows."""
    import sqlite3
    from collections import defaultdict

    def members(rows) -> list:
        found = defaultdict(list)
        for key, member in rows:
            found[key].append(member)
        return sorted(tuple(sorted(m)) for m in found.values())

    with sqlite3.connect(db) as conn:
        def rows(sql: str) -> list:
            return sorted(conn.execute(sql).fetchall())

        return {"entities": rows("SELECT id, name, type FROM entities"),
                "claims": rows("SELECT id, article_id, start, end FROM claims"),
                "links": rows("SELECT a, b, relation, reason FROM claim_links"),
                "groups": members(conn.execute("SELECT group_id, claim_id FROM claim_group_members")),
                "stories": members(conn.execute("SELECT story_id, article_id FROM story_articles")),
                "stances": rows("SELECT article_id, label FROM stances")}


def test_two_analyze_runs_at_once_store_what_one_run_stores(tmp_path):
    records = tmp_path / "in.jsonl"
    rows = _records(1)[:6] + _records(2)[:6]
    records.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    run = [sys.executable, "-m", "narrascope"]
    thesis = ["--thesis", "The harbour authority approved new berths"]
    for name in ("alone.db", "busy.db"):
        assert subprocess.run([*run, "ingest", str(records), "--db", str(tmp_path / name)],
                              capture_output=True, timeout=600).returncode == 0
    alone = subprocess.run([*run, "analyze", "--db", str(tmp_path / "alone.db"), *thesis],
                           capture_output=True, text=True, timeout=900)
    assert alone.returncode == 0, alone.stdout + alone.stderr
    procs = [subprocess.Popen([*run, "analyze", "--db", str(tmp_path / "busy.db"), *thesis],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for p in procs:
        out, err = p.communicate(timeout=900)
        assert p.returncode == 0, out + err
    counts = _table_counts(tmp_path / "busy.db")
    assert counts == _table_counts(tmp_path / "alone.db")
    assert _table_rows(tmp_path / "busy.db") == _table_rows(tmp_path / "alone.db")
    assert counts["articles"] == 12 and counts["claims"] > 0 and counts["stances"] == 12
