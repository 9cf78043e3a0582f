import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrascope.bench import datasets_root
from narrascope.bench.entities import align, anchor, bcubed, command, evaluate, pairwise, splits, wrong_merges

REPO = Path(__file__).resolve().parents[2]
GOLD = REPO / "audits" / "entities.jsonl"


def test_bcubed_and_pairwise_by_hand():
    gold = ["a", "a", "b", "b"]
    assert bcubed(gold, ["x", "x", "y", "y"]) == (1.0, 1.0, 1.0)
    p, r, _ = bcubed(gold, ["x", "x", "x", "x"])  # everything merged: each mention shares with half
    assert (p, r) == (0.5, 1.0)
    p, r, _ = bcubed(gold, ["w", "x", "y", "z"])  # everything split
    assert (p, r) == (1.0, 0.5)
    assert pairwise(gold, ["x", "x", "x", "y"])[:2] == (1 / 3, 0.5)


def test_wrong_merges_and_splits_name_the_gold_entities():
    rows = [{"gold": "Barack Obama", "text": "Obama"}, {"gold": "Barack Obama", "text": "Obama"},
            {"gold": "Sasha Obama", "text": "Sasha"}, {"gold": "Sasha Obama", "text": "Sasha Obama"}]
    merges = wrong_merges(rows, ["e1", "e1", "e1", "e2"])
    assert merges[0][0] == 2 and "Barack Obama" in merges[0][2] and "Sasha Obama" in merges[0][3]
    lost, key, parts = splits(rows, ["e1", "e1", "e1", "e2"])[0]
    assert (lost, key) == (1, "Sasha Obama") and len(parts) == 2


def test_unscored_mentions_are_counted_and_unaligned_ones_stand_alone():
    gold = [{"gold": "A", "text": "A"}, {"gold": None, "text": "Fume"}, {"gold": "A", "text": "A"}]
    m = evaluate(gold, ["e1", "e1", None])
    assert m["mentions"] == 2 and m["skipped"] == 1 and m["b3_r"] == 0.5


def test_spans_are_found_again_when_the_text_shifted():
    text = "Intro line\nMr. Cantor said"
    assert anchor(text, {"start": 15, "end": 21, "text": "Cantor"}) == (15, 21)
    assert anchor(text, {"start": 10, "end": 16, "text": "Cantor"}) == (15, 21)
    assert anchor(text, {"start": 0, "end": 4, "text": "Brat"}) is None
    gold = [{"article": "x", "start": 10, "end": 16, "text": "Cantor"}]
    assert align(gold, {"x": text}, {"x": [(11, 21, "PERSON", "e9", "Eric Cantor")]}) == (["e9"], 0)


def test_gold_file_is_complete_and_holds_only_surfaces():
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    assert 600 <= len(rows) <= 1500
    assert {tuple(sorted(r)) for r in rows} == {("article", "end", "gold", "split", "start", "text")}
    assert {r["split"] for r in rows} == {"tune", "report"}
    assert len({r["article"] for r in rows}) == 23
    assert all(r["end"] - r["start"] == len(r["text"]) and len(r["text"]) < 60 for r in rows)
    assert len({(r["article"], r["start"]) for r in rows}) == len(rows)


@pytest.mark.slow
def test_bench_prints_both_halves_and_the_headline():
    basil = datasets_root(os.environ.get("NARRASCOPE_DATASETS") or str(REPO.parent / "shared" / "datasets")) / "basil"
    if not basil.is_dir():
        pytest.skip(f"BASIL not found at {basil} (set NARRASCOPE_DATASETS)")
    seeds = basil.parent.parent / "seeds"
    result = CliRunner().invoke(command, ["--gold", str(GOLD), "--data", str(basil), "--seeds", str(seeds),
                                          "--corpus", "gold"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(line.startswith("tune   half:") for line in lines)
    assert any(line.startswith("report half:") for line in lines)
    assert re.fullmatch(r"entities: bcubed_precision=\d\.\d{4}", lines[-1])
