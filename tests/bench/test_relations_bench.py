import json

import pytest

from narrascope.bench.audit import audit_rows, audit_split, prf
from narrascope.errors import ConfigError
from narrascope.training import pairs as pd


def test_split_is_stable_and_keeps_parallel_lines_together():
    assert pd.split_of("xnli:17") == pd.split_of("xnli:17")
    parts = {pd.split_of(f"g{i}") for i in range(200)}
    assert parts == {"tune", "report"}
    share = sum(pd.split_of(f"g{i}") == "report" for i in range(4000)) / 4000
    assert 0.2 < share < 0.3  # one in REPORT_SHARE


def test_prf_counts_the_positive_class():
    p, r, f, flagged = prf(["c", "c", "n", "n"], ["c", "n", "c", "n"], "c")
    assert (p, r, f, flagged) == (0.5, 0.5, 0.5, 2)
    assert prf(["n"], ["n"], "c") == (0.0, 0.0, 0.0, 0)


def test_audit_rows_split_by_event_and_bad_rows_are_one_line_errors(tmp_path):
    rows = [{"a": "x", "b": "y", "label": "same", "a_event": f"e{i}", "b_event": f"e{i}"} for i in range(40)]
    path = tmp_path / "audit.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    tune, report = audit_rows(str(path), "tune"), audit_rows(str(path), "report")
    assert len(tune) + len(report) == 40 and tune and report
    assert all(audit_split(r) == "report" for r in report)
    # a pair across a tuning and a reporting event is a tuning pair: nothing tuned on is reported
    assert audit_split({"a_event": tune[0]["a_event"], "b_event": report[0]["a_event"]}) == "tune"
    path.write_text('{"a": "x"}\n')
    with pytest.raises(ConfigError, match="not an audit record"):
        audit_rows(str(path), None)
    with pytest.raises(ConfigError, match="no such audit file"):
        audit_rows(str(tmp_path / "absent.jsonl"), None)


def test_the_committed_audit_is_well_formed():
    rows = audit_rows(None, None)
    assert len(rows) >= 300
    assert {r["label"] for r in rows} <= {"same", "supports", "contradicts", "related", "unrelated"}
    assert all(r["why"].strip() for r in rows)
    assert {audit_split(r) for r in rows} == {"tune", "report"}


@pytest.mark.dataset
def test_the_pair_readers_read_the_shared_sets(dataset):
    root = dataset("pairs")
    assert len(pd.sick(root)) > 4000 and {p.label for p in pd.sick(root)} == set(pd.LABELS)
    ru, en = pd.xnli(root, "ru"), pd.xnli(root, "en")
    assert len(ru) == len(en) > 2000 and all(a.label == b.label for a, b in zip(ru, en, strict=True))
    assert {p.label for p in pd.paraphraser(root)} == {"paraphrase", "neutral"}
    assert len(pd.msrp(root, "dev")) > 300
