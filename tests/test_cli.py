import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrascope.cli import main

REPO = Path(__file__).resolve().parents[1]
ARTICLE_TEXT = (
    "The regional council approved a new budget for road repairs on Tuesday evening.\n"
    "Council members said the plan would fix more than forty bridges over the next three years.\n"
)


def run(*args, **kw):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kw)
    return result


@pytest.fixture
def corpus(tmp_path, article_text):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("Council approves road budget\n" + article_text)
    (folder / "empty.txt").write_text("")
    (folder / "bad.jsonl").write_text('{"title": "no text here"}\n')
    return folder


def test_ingest_reports_each_bad_input_on_one_line_and_keeps_the_rest(tmp_path, corpus):
    db = tmp_path / "n.db"
    result = run("ingest", "--db", db, corpus, tmp_path / "missing.txt")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    assert any(re.fullmatch(r"error: .*empty\.txt: empty file", e) for e in errors)
    assert any(
        re.fullmatch(r"error: .*bad\.jsonl#1: record has no 'text' \(nor 'maintext'\)", e) for e in errors
    )
    assert any(re.fullmatch(r"error: .*missing\.txt: no such file or folder", e) for e in errors)
    assert "Traceback" not in result.output
    assert "1 article(s) added" in result.stdout
    again = run("ingest", "--db", db, corpus / "good.txt")
    assert (
        again.exit_code == 0 and "0 article(s) added" in again.stdout and "1 already stored" in again.stdout
    )


def test_quiet_prints_only_errors(tmp_path, corpus):
    result = run("ingest", "-q", "--db", tmp_path / "n.db", corpus / "good.txt")
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""


def test_db_from_environment(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("NARRASCOPE_DB", str(tmp_path / "env.db"))
    assert run("ingest", corpus / "good.txt").exit_code == 0
    assert (tmp_path / "env.db").exists()


def test_bad_db_and_config_are_one_line_fatal_errors(tmp_path, corpus):
    result = run("ingest", "--db", tmp_path / "nope" / "n.db", corpus)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    cfg = tmp_path / "bad.toml"
    cfg.write_text("[ingest]\nworkrs = 3\n")
    result = run("ingest", "--db", tmp_path / "n.db", "--config", cfg, corpus)
    assert result.exit_code == 2
    assert result.stderr == f"error: {cfg}: unknown setting 'ingest.workrs'\n"


def test_export_formats_to_files(tmp_path, corpus):
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    for fmt in ("json", "csv", "graphml"):
        out = tmp_path / f"out.{fmt}"
        result = run("export", "--db", db, "--format", fmt, "-o", out)
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0
        assert not Path(str(out) + ".partial").exists()
    assert (
        json.loads((tmp_path / "out.json").read_text())["articles"][0]["title"]
        == "Council approves road budget"
    )


def test_export_to_stdout_and_to_a_folder(tmp_path, corpus):
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    assert json.loads(run("export", "--db", db).stdout)["schema_version"]
    result = run("export", "--db", db, "-o", tmp_path)
    assert result.exit_code == 2 and "is a folder" in result.stderr


def test_an_export_or_report_never_overwrites_a_database(tmp_path, corpus):
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    before = db.read_bytes()
    for args in (("export", "--format", "csv"), ("report",)):
        result = run(*args, "--db", db, "-o", db)
        assert result.exit_code == 2, result.output
        assert result.stderr == f"error: {db}: is a database; an export or report never overwrites one: give another file name\n"
    assert db.read_bytes()[:16] == before[:16] and run("status", "--db", db).exit_code == 0


def test_export_tables_and_graphs(tmp_path, corpus):
    from xml.etree import ElementTree

    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    out = tmp_path / "s.csv"
    result = run("export", "--db", db, "--format", "csv", "--table", "sentences", "--bom", "-o", out)
    assert result.exit_code == 0, result.output
    assert "row(s) of sentences as csv" in result.output
    assert out.read_text(encoding="utf-8").startswith("\ufeffarticle_id,outlet,idx,start,end,text\n")
    lines = run("export", "--db", db, "--format", "jsonl").stdout.splitlines()  # articles by default
    assert json.loads(lines[0])["title"] == "Council approves road budget"
    gexf = tmp_path / "g.gexf"
    assert run("export", "--db", db, "--format", "gexf", "-o", gexf).exit_code == 0  # outlets by default
    root = ElementTree.parse(gexf).getroot()
    assert root.tag == "{http://gexf.net/1.3}gexf"
    assert run("export", "--db", db, "--format", "graphml", "--graph", "claims", "-o", tmp_path / "c.xml").exit_code == 0


def test_export_parquet_to_a_file(tmp_path, corpus):
    pq = pytest.importorskip("pyarrow.parquet")
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    out = tmp_path / "a.parquet"
    result = run("export", "--db", db, "--format", "parquet", "--table", "articles", "-o", out)
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).column("title").to_pylist() == ["Council approves road budget"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "json", "--table", "claims"], "--table is for csv, jsonl, parquet, not json"),
        (["--format", "gexf", "--table", "claims"], "--table is for csv, jsonl, parquet, not gexf"),
        (["--format", "csv", "--graph", "claims"], "--graph is for gexf, graphml, not csv"),
        (["--format", "jsonl", "--bom"], "--bom is for csv only, not jsonl"),
    ],
)
def test_export_option_mistakes_are_one_line(tmp_path, corpus, args, message):
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    out = tmp_path / "x.out"
    result = run("export", "--db", db, *args, "-o", out)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {message}")
    assert not out.exists()


def test_export_parquet_without_pyarrow_says_how_to_install(tmp_path, corpus, monkeypatch):
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    out = tmp_path / "a.parquet"
    result = run("export", "--db", db, "--format", "parquet", "-o", out)
    assert result.exit_code == 2
    assert "pip install 'narrascope[parquet]'" in result.stderr
    assert not out.exists()


def test_status(tmp_path, corpus):
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    out = run("status", "--db", db).stdout
    assert "articles: 1" in out and "languages: en 1" in out


def test_demo_runs_and_says_where_its_output_went(tmp_path):
    out = tmp_path / "demo-out"
    result = run("demo", "--output", out)
    assert result.exit_code == 0, result.output
    assert (out / "demo.db").exists() and (out / "demo.json").exists()
    assert str(out / "demo.json") in result.stdout
    data = json.loads((out / "demo.json").read_text())
    assert len(data["articles"]) >= 10
    assert "ru" in {a["language"] for a in data["articles"]}
    assert any(a["duplicate_of"] for a in data["articles"])


def test_bench_names_and_missing_dataset(tmp_path):
    result = run("bench", "textclean", "--data", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "dataset 'trafilatura-eval' not found" in result.stderr
    assert "textclean" in run("bench", "--help").stdout


def _commands():
    import click

    commands = {}
    for name, cmd in main.commands.items():
        if isinstance(cmd, click.Group):
            ctx = click.Context(cmd)
            for sub in cmd.list_commands(ctx):
                commands[f"{name} {sub}"] = cmd.get_command(ctx, sub)
        commands[name] = cmd
    return commands


def test_every_command_and_option_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    for name, cmd in _commands().items():
        assert f"narrascope {name}" in readme, f"command {name} missing from README"
        for param in cmd.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--") and opt not in ("--help",):
                    assert opt in readme, f"option {opt} of {name} missing from README"


def test_console_script_runs_without_network(tmp_path):
    script = Path(sys.executable).with_name("narrascope")
    if not shutil.which("unshare"):
        pytest.skip("unshare not available")
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -rn not permitted here: {probe.stderr.decode().strip()}")
    out = tmp_path / "offline"
    done = subprocess.run(
        ["unshare", "-rn", str(script), "demo", "--output", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert (out / "demo.json").exists()


def test_makefile_demo_recipe_parses(tmp_path):
    import shlex

    recipe = next(line for line in (REPO / "Makefile").read_text().splitlines() if "/narrascope demo" in line)
    args = shlex.split(recipe.strip())[1:]
    out = tmp_path / "out"
    args[args.index("--output") + 1] = str(out)
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert (out / "demo.json").exists()


# -- read-only commands never create or adopt a database --------------------------------------


@pytest.mark.parametrize("command", [["status"], ["export", "--format", "csv"]])
def test_read_only_commands_refuse_a_missing_database(tmp_path, command):
    db = tmp_path / "typo.db"
    result = run(*command, "--db", db)
    assert result.exit_code == 2
    assert result.stderr == f"error: {db}: no such database\n"
    assert not db.exists()


@pytest.mark.parametrize("command", [["status"], ["export"], ["ingest", "x.txt"]])
def test_another_applications_sqlite_file_is_refused(tmp_path, command):
    import sqlite3

    db = tmp_path / "app.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    before = db.read_bytes()
    result = run(*command, "--db", db)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "not a narrascope database" in result.stderr
    assert db.read_bytes() == before


def test_empty_db_option_is_an_error(tmp_path, corpus, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("ingest", "--db", "", corpus / "good.txt")
    assert result.exit_code == 2 and result.stderr.startswith("error: --db is empty")
    assert not (tmp_path / "narrascope.db").exists()


def test_status_counts(tmp_path, corpus):
    db = tmp_path / "n.db"
    run("ingest", "--db", db, corpus / "good.txt")
    lines = run("status", "--db", db).stdout.splitlines()
    assert lines[0] == f"store: {db}"
    assert lines[1] == "articles: 1 (0 copies of another)"
    assert lines[-2:] == ["outlets:", "      1  (unknown)"]


def test_ingest_names_outlets_from_a_sources_file_or_the_folder(tmp_path, article_text):
    (tmp_path / "scrape" / "tass").mkdir(parents=True)
    (tmp_path / "scrape" / "tass" / "a.txt").write_text("Council approves road budget\n" + article_text)
    sources = tmp_path / "sources.csv"
    sources.write_text("pattern,outlet\n*/tass/*,TASS\n")
    db = tmp_path / "n.db"
    first = run("ingest", "--db", db, "--sources", sources, tmp_path / "scrape")
    assert first.exit_code == 0 and "1 article(s) added" in first.stdout
    assert run("status", "--db", db).stdout.splitlines()[-1] == "      1  TASS"
    again = run("ingest", "--db", db, "--outlet-from-folder", tmp_path / "scrape")
    assert again.exit_code == 0 and "0 article(s) added, 1 updated" in again.stdout
    assert run("status", "--db", db).stdout.splitlines()[-1] == "      1  tass"


def test_a_bad_sources_file_is_one_line_and_nothing_is_ingested(tmp_path, corpus):
    sources = tmp_path / "sources.csv"
    sources.write_text("pattern,outlet\n*/tass/*,TASS\nria.ru\n")
    db = tmp_path / "n.db"
    result = run("ingest", "--db", db, "--sources", sources, corpus / "good.txt")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {sources}:3: expected two cells, a pattern and an outlet name; found one\n"
    )
    assert not db.exists()
    missing = run("ingest", "--db", db, "--sources", tmp_path / "none.csv", corpus / "good.txt")
    assert missing.exit_code == 2 and missing.stderr.count("\n") == 1
    assert "none.csv: cannot read the sources file" in missing.stderr
    assert not db.exists()


# -- errors stay one line ----------------------------------------------------------------------


def test_demo_output_that_is_a_file(tmp_path):
    out = tmp_path / "taken"
    out.write_text("mine")
    result = run("demo", "--output", out)
    assert result.exit_code == 2
    assert result.stderr == f"error: {out}: is a file; give a folder for the demo's outputs\n"


def test_demo_uses_the_db_it_is_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("demo", "--output", "out", "--db", "narrascope.db")  # the analysis may fail; the ingest went in
    assert (tmp_path / "narrascope.db").exists()
    assert not (tmp_path / "out" / "demo.db").exists()


def test_settings_out_of_range_are_one_line(tmp_path, corpus):
    cfg = tmp_path / "n.toml"
    cfg.write_text("[ingest.dedup]\nbands = 0\n")
    result = run("ingest", "--db", tmp_path / "n.db", "--config", cfg, corpus)
    assert result.exit_code == 2
    assert result.stderr == f"error: {cfg}: 'ingest.dedup.bands' must be at least 1, got 0\n"


def test_a_file_name_with_a_newline_stays_on_one_line(tmp_path):
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "bad\nname.txt").write_text("")
    result = run("ingest", "--db", tmp_path / "n.db", folder)
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line == f"error: {str(folder / 'bad') + chr(10) + 'name.txt'!r}: empty file"


def test_a_store_failure_mid_ingest_comes_after_the_input_errors(tmp_path, corpus, monkeypatch):
    from narrascope.errors import StoreError
    from narrascope.store import SQLStore

    for i in range(4):
        (corpus / f"more{i}.txt").write_text(f"Story {i} headline\n" + f"Story {i}: " + ARTICLE_TEXT)
    calls = []
    real = SQLStore.add_article

    def failing(self, article, **kw):
        calls.append(article.id)
        if len(calls) == 3:
            raise StoreError("database or disk is full", source=self.display)
        return real(self, article, **kw)

    monkeypatch.setattr(SQLStore, "add_article", failing)
    cfg = tmp_path / "n.toml"
    cfg.write_text("[ingest]\nbatch_size = 1\n")
    db = tmp_path / "n.db"
    result = run("ingest", "--db", db, "--config", cfg, corpus)

    errors = result.stderr.splitlines()
    assert errors[-1] == f"error: {db}: database or disk is full"
    assert any("bad.jsonl#1" in e for e in errors[:-1]) and any("empty.txt" in e for e in errors[:-1])
    assert "2 article(s) added" in result.stdout and "stopped by a store error" in result.stdout
    assert result.exit_code == 1  # two batches went in before the failure


def test_progress_bar_writes_to_stderr_only(monkeypatch):
    import io

    from narrascope.cli import Context, _progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    out, err = Tty(), Tty()
    monkeypatch.setattr("sys.stdout", out)
    monkeypatch.setattr("sys.stderr", err)
    ctx = Context.__new__(Context)
    ctx.quiet = False
    with _progress(ctx, "ingesting") as update:
        update(1, 2)
        update(2, 2)
    assert out.getvalue() == ""
    assert "ingesting" in err.getvalue()


def test_ingest_csv_with_columns_and_skipped_files_are_warned(tmp_path, article_text):
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "rows.tsv").write_text(f"body\tsite\n{article_text.replace(chr(10), ' ')}\tTarsk Times\n\tNobody\n")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    db = tmp_path / "n.db"

    result = run("ingest", "--db", db, "--columns", "text=body,outlet=site", folder)

    assert result.exit_code == 1, result.output
    assert f"error: {folder / 'rows.tsv'}#3: row has no text (column 'body' is empty)" in result.stderr
    assert f"warning: {folder / 'notes.docx'}: skipped: '.docx' is not a format narrascope reads" in result.stderr
    assert "1 article(s) added" in result.stdout and "1 file(s) skipped" in result.stdout
    assert "Tarsk Times" in run("status", "--db", db).stdout


@pytest.mark.parametrize("spec", ["body", "txt=body", "text=a,text=b"])
def test_bad_columns_are_one_line_and_nothing_is_stored(tmp_path, corpus, spec):
    db = tmp_path / "n.db"
    result = run("ingest", "--db", db, "--columns", spec, corpus)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --columns {spec!r}: ") and result.stderr.count("\n") == 1
    assert not db.exists()


def test_engine_option_names_a_bad_engine_on_one_line_and_runs_a_good_one(tmp_path, corpus):
    db = tmp_path / "n.db"
    bad = run("ingest", "--db", db, "--engine", "dask:/nowhere", corpus / "good.txt")
    assert bad.exit_code == 2
    assert bad.stderr.strip() == (
        "error: --engine: unknown engine 'dask:/nowhere': use local, serial, dask or dask://HOST:PORT")
    assert not db.exists()  # refused before the store was created
    good = run("ingest", "--db", db, "--engine", "serial", corpus / "good.txt")
    assert good.exit_code == 0 and "1 article(s) added" in good.stdout


def test_the_command_closes_the_engine_it_opened(monkeypatch, tmp_path, corpus):
    from narrascope.engine import SerialEngine

    closed = []

    class Closing(SerialEngine):
        def close(self) -> None:
            closed.append(True)

    monkeypatch.setattr("narrascope.cli.common.open_engine", lambda kind, workers: Closing())
    result = run("ingest", "--db", tmp_path / "n.db", "--engine", "serial", corpus / "good.txt")
    assert result.exit_code == 0 and closed == [True]
    failed = run("ingest", "--db", tmp_path / "n.db", "--engine", "serial", tmp_path / "missing.txt")
    assert failed.exit_code != 0 and closed == [True, True]
