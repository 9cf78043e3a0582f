import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrascope.cli import main


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)


def lines(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_checkworthy_keeps_ids_scores_in_range_and_reports_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(
        "\n".join(
            [
                json.dumps(
                    {
                        "id": "s1",
                        "text": "Unemployment fell to 4.2 percent in March, the statistics office said.",
                    }
                ),
                json.dumps({"id": "s2", "text": "Thank you, and good evening to everyone here."}),
                "{not json",
                json.dumps({"id": "s4", "title": "no text"}),
                json.dumps({"text": "An id-less record is identified by its line number in the file."}),
            ]
        )
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    result = run("checkworthy", "--input", src, "--output", out)
    assert result.exit_code == 1
    assert result.stderr.count("error: ") == 2 and f"{src}:3" in result.stderr and f"{src}:4" in result.stderr
    records = lines(out)
    assert [r["id"] for r in records] == ["s1", "s2", 5]
    scores = {r["id"]: r["checkworthiness"] for r in records}
    assert all(0 <= v <= 1 for v in scores.values())
    assert scores["s1"] > 0.5 > scores["s2"]


def test_relate_pairs_with_reasons(tmp_path):
    src = tmp_path / "pairs.jsonl"
    src.write_text(
        "\n".join(
            json.dumps(r)
            for r in [
                {
                    "id": 1,
                    "a": "Exports to Germany fell to $3.1 billion in 2024.",
                    "b": "Exports to Germany reached $5.6 billion in 2024.",
                },
                {
                    "id": 2,
                    "a": "The city council approved the new budget on Monday.",
                    "b": "Heavy rain flooded the valley.",
                },
            ]
        )
        + "\n"
    )
    out = tmp_path / "out.jsonl"
    assert run("relate", "--input", src, "--output", out).exit_code == 0
    first, second = lines(out)
    assert first["relation"] == "contradicts" and "$3.1 billion vs $5.6 billion" in first["reason"]
    assert second["relation"] == "unrelated"
    assert set(first) == {"id", "relation", "score", "reason"}


def test_stdout_carries_only_records(tmp_path):
    result = run(
        "checkworthy",
        "--input",
        "-",
        "--output",
        "-",
        input=json.dumps({"id": 7, "text": "Prices rose by 9 percent last year."}) + "\n",
    )
    assert result.exit_code == 0
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [7]


def test_missing_input_file(tmp_path):
    result = run("relate", "--input", tmp_path / "absent.jsonl", "--output", tmp_path / "o.jsonl")
    assert result.exit_code == 1 and "cannot read" in result.stderr


def test_batch_commands_clean_unstorable_characters_and_keep_every_record(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "s1\ud83d", "text": "Unemployment fell to 4.2 percent in March \ud83d, the office said."}),
        json.dumps({"id": "s2", "text": "Exports grew by \x00 12 percent last year."}),
        json.dumps({"id": "s3", "text": "Thank you, and good evening to everyone here."}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run("checkworthy", "--input", src, "--output", out)
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in lines(out)] == ["s1\ufffd", "s2", "s3"]
    assert "in.jsonl:1: unstorable characters: 2 lone surrogate(s) replaced by U+FFFD" in result.output
    assert "in.jsonl:2: unstorable characters: 1 NUL character(s) removed" in result.output


def test_safetext():
    from narrascope.safetext import describe, storable

    assert storable("plain") == ("plain", 0, 0)
    assert storable("a\x00b\ud800c\udfff") == ("ab\ufffdc\ufffd", 1, 2)
    assert describe(0, 0) is None and describe(1, 0) == "unstorable characters: 1 NUL character(s) removed"


# -- one bad line costs that line only; the output is valid JSON whatever the input ----------------


def _strict(line):
    """json.loads that refuses NaN and Infinity, as every other JSON reader does."""
    def refuse(name):
        raise ValueError(f"{name} in the output")
    return json.loads(line, parse_constant=refuse)


def _score_lengths(batch):
    return [{"length": len(r["text"])} for r in batch]


def _run_file(tmp_path, data: bytes):
    import io

    from narrascope.batch import read_records, run_jsonl

    src = tmp_path / "in.jsonl"
    src.write_bytes(data)
    out = io.StringIO()
    report = run_jsonl(read_records(str(src), ("text",)), out, _score_lengths)
    return src, [_strict(line) for line in out.getvalue().splitlines()], report


def test_a_bad_byte_costs_its_line_only(tmp_path):
    src, records, report = _run_file(
        tmp_path, b'{"id": 1, "text": "first"}\n{"id": 2, "text": "bad \xff byte"}\n{"id": 3, "text": "third"}\n'
    )
    assert [r["id"] for r in records] == [1, 3]
    [err] = report.errors
    assert err.source == f"{src}:2" and err.reason.startswith("not UTF-8 text (invalid start byte at byte")


def test_a_bom_before_the_first_line_is_dropped(tmp_path):
    _, records, report = _run_file(tmp_path, b'\xef\xbb\xbf{"id": 1, "text": "first"}\n{"id": 2, "text": "x"}\n')
    assert [r["id"] for r in records] == [1, 2] and not report.errors


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e400", "1" * 5000])
def test_numbers_json_has_not_are_an_error_for_their_line(tmp_path, value):
    src, records, report = _run_file(
        tmp_path, f'{{"id": {value}, "text": "a"}}\n{{"id": 2, "text": "b", "x": 1.5}}\n'.encode()
    )
    assert records == [{"id": 2, "length": 1}]
    [err] = report.errors
    assert err.source == f"{src}:1" and err.reason.startswith("invalid JSON") and "\n" not in err.reason


def test_unstorable_characters_inside_an_id_are_cleaned(tmp_path):
    _, records, report = _run_file(tmp_path, b'{"id": ["a\\ud800", {"k\\u0000": "v"}], "text": "t"}\n')
    assert records == [{"id": ["a\ufffd", {"k": "v"}], "length": 1}]
    assert report.warnings and "1 lone surrogate(s)" in report.warnings[0]


def test_a_score_that_is_not_a_number_is_an_error_not_invalid_json(tmp_path):
    import io

    from narrascope.batch import read_records, run_jsonl

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n')
    out = io.StringIO()
    report = run_jsonl(read_records(str(src), ("text",)), out,
                       lambda batch: [{"score": float("nan") if r["id"] == "a" else 0.5} for r in batch])
    assert [_strict(line) for line in out.getvalue().splitlines()] == [{"id": "b", "score": 0.5}]
    assert [str(e) for e in report.errors] == [f"{src}:1: no finite score for this record"]


def test_a_record_that_cannot_be_scored_costs_only_itself(tmp_path):
    import io

    from narrascope.batch import read_records, run_jsonl

    def score(batch):
        if any(r["text"] == "boom" for r in batch):
            raise ValueError("cannot read\nthis text")
        return [{"length": len(r["text"])} for r in batch]

    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "a", "text": "x"}\n{"id": "b", "text": "boom"}\n{"id": "c", "text": "yz"}\n')
    out = io.StringIO()
    report = run_jsonl(read_records(str(src), ("text",)), out, score)
    assert [_strict(line) for line in out.getvalue().splitlines()] == [
        {"id": "a", "length": 1}, {"id": "c", "length": 2}]
    assert [str(e) for e in report.errors] == [f"{src}:2: cannot be scored (cannot read this text)"]


def test_relate_names_each_bad_record_by_file_and_line_and_relates_the_rest(tmp_path):
    src = tmp_path / "pairs.jsonl"
    good = {"id": "g", "a": "The council approved the budget on Monday.", "b": "Heavy rain flooded the valley."}
    src.write_text("\n".join([
        json.dumps(good),
        json.dumps({"id": 2, "a": "The council approved the budget.", "b": 5}),
        "{not json",
        json.dumps({"id": 4, "a": "The council approved the budget.", "b": "   "}),
        json.dumps({**good, "id": "h"}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    result = run("relate", "--input", src, "--output", out)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {src}:2: 'b' must be a string, got int",
        f"error: {src}:3: invalid JSON (Expecting property name enclosed in double quotes, column 2)",
        f"error: {src}:4: record has no text in 'b'",
    ]
    assert [r["id"] for r in lines(out)] == ["g", "h"]


def test_standard_input_is_read_line_by_line_too(tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(main, ["checkworthy", "--input", "-", "--output", str(out)],
                                input=b'\xef\xbb\xbf{"id": 1, "text": "Prices rose by 9 percent."}\n'
                                      b'{"id": 2, "text": "bad \xff"}\n{"id": NaN, "text": "x"}\n')
    assert result.exit_code == 1
    assert [r["id"] for r in lines(out)] == [1]
    assert "error: -:2: not UTF-8 text" in result.stderr and "error: -:3: invalid JSON" in result.stderr


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.lists(st.one_of(
    st.binary(max_size=30),
    st.sampled_from([b'{"id": NaN, "text": "a"}', b'{"id": 1e999, "text": "a"}', b'\xef\xbb\xbf{"text": "b"}',
                     b'{"id": "\\ud800", "text": "c\\u0000"}', b'{"id": [1, {"a": -Infinity}], "text": "d"}']),
), max_size=6))
def test_whatever_comes_in_every_output_line_is_strict_json(tmp_path_factory, data):
    # _run_file reads every output line with _strict: NaN, Infinity or a bad byte there fails here.
    src, records, report = _run_file(tmp_path_factory.mktemp("fuzz"), b"\n".join(data) + b"\n")
    lines_in = [d for d in b"\n".join(data).split(b"\n") if d.strip()]
    assert len(records) + len(report.errors) <= len(lines_in)
    assert all(err.source.startswith(f"{src}:") for err in report.errors)
