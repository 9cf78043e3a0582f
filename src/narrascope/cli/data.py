"""Commands over the store's data: ingest, status, export, demo."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import NarrascopeError
from ..exports import GRAPHS, TABLES
from ..store import SQLStore
from . import main
from .common import (
    EXIT_FATAL,
    EXIT_PARTIAL,
    Context,
    _common,
    _engine_option,
    _error,
    _open_output,
    _progress,
    _warn,
)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--outlet", default=None, help="outlet name for every article read (overrides what the text says)"
)
@click.option(
    "--sources",
    default=None,
    metavar="FILE",
    help="CSV of pattern,outlet rows: a glob on the file path or a domain of the article's URL; "
    "the first row that matches names the outlet",
)
@click.option(
    "--outlet-from-folder",
    is_flag=True,
    help="the folder a file sits in names its outlet (scrape/tass/a.txt: tass) unless the input names one",
)
@click.option("--language", default=None, help="language code for every article read (skips detection)")
@click.option(
    "--columns",
    default=None,
    metavar="FIELD=COLUMN,...",
    help="the column (CSV, TSV, Parquet) or key (JSON) each field is read from, e.g. text=body,outlet=site; "
    "fields: text, title, url, outlet, author, published, language, id",
)
@_engine_option
@_common
def ingest(
    ctx: Context,
    paths: tuple[str, ...],
    outlet: str | None,
    sources: str | None,
    outlet_from_folder: bool,
    language: str | None,
    columns: str | None,
    engine_kind: str | None,
) -> int:
    """Read articles from files and folders: txt, html, json/jsonl, csv/tsv, parquet, warc/wet, rss/atom.

    Files already stored are recognised by their content and skipped; syndicated copies are
    stored and linked to their original. A file that cannot be used is reported on one line and
    the rest still go in.
    """
    from ..ingest import ingest_paths
    from ..ingest.outlets import read_sources
    from ..ingest.records import parse_columns
    from ..ingest.runner import one_line, options_from

    # Settings checked before the store is opened: a bad sources file leaves no database behind.
    mapping = parse_columns(columns)
    rules = read_sources(sources) if sources is not None else None
    options_from(ctx.settings, language=language)
    engine = ctx.engine(engine_kind)
    with _progress(ctx, "ingesting") as progress:
        report = ingest_paths(
            list(paths),
            ctx.store,
            ctx.settings,
            outlet=outlet,
            language=language,
            sources=rules,
            outlet_from_folder=outlet_from_folder,
            columns=mapping,
            engine=engine,
            progress=progress,
        )
    for line in report.error_lines():
        _error(line)
    for line in report.skipped_lines():
        _warn(line)
    for warning in report.warnings:
        _warn(warning)
    ctx.say(report.summary())
    if report.fatal is not None:
        # Last, so it is not lost among the per-file lines. The batches before it are kept:
        # "nothing was done" (2) only when none of them changed the store.
        _error(one_line(report.fatal))
        return EXIT_PARTIAL if report.added or report.updated else EXIT_FATAL
    return EXIT_PARTIAL if report.errors else 0


@main.command()
@click.option("-o", "--output", default="report.html", show_default=True, metavar="FILE", help="the HTML file to write")
@_common
def report(ctx: Context, output: str) -> int:
    """Write one self-contained HTML report (no network needed to open it, fit to mail)."""
    from ..report.html import write_report

    ctx._store = SQLStore(ctx.db, create=False)  # only reads: never creates or adopts a database
    with _open_output(output) as out:
        count = write_report(ctx.store, out, ctx.settings)
    ctx.say(f"wrote the report on {count} article(s) to {output}")
    return 0


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "jsonl", "parquet", "gexf", "graphml"]),
    default="json",
    show_default=True,
    help="json: the whole store; csv, jsonl, parquet: one --table; gexf, graphml: one --graph",
)
@click.option(
    "--table",
    type=click.Choice(list(TABLES)),
    default=None,
    help="the table to write as csv, jsonl or parquet  [default: articles]",
)
@click.option(
    "--graph",
    type=click.Choice(list(GRAPHS)),
    default=None,
    help="the graph to write as gexf or graphml  [default: outlets]",
)
@click.option("--bom", is_flag=True, help="start a CSV with a UTF-8 byte order mark (for Excel)")
@click.option("-o", "--output", default="-", metavar="FILE", help="file to write, or - for standard output")
@_common
def export(ctx: Context, fmt: str, table: str | None, graph: str | None, bom: bool, output: str) -> int:
    """Write the store as JSON (everything; see the schema in the README), one table as CSV, JSONL
    or Parquet, or one graph as GEXF or GraphML (column docs: docs/export-columns.md)."""
    from ..report import DEFAULT_GRAPH, DEFAULT_TABLE, check_options
    from ..report import export as write

    check_options(fmt, table=table, graph=graph, bom=bom)
    ctx._store = SQLStore(ctx.db, create=False)  # only reads: never creates or adopts a database
    binary = fmt == "parquet"
    if binary:
        from ..exports.table_writers import _pyarrow

        _pyarrow()  # the install hint before any file is made
    with _open_output(output, binary=binary) as out:
        count = write(ctx.store, fmt, out, ctx.settings, table=table, graph=graph, bom=bom)
    if output != "-":
        if fmt == "json":
            what = f"{count} article(s)"
        elif fmt in ("gexf", "graphml"):
            what = f"the {graph or DEFAULT_GRAPH} graph ({count} node(s))"
        else:
            what = f"{count} row(s) of {table or DEFAULT_TABLE}"
        ctx.say(f"wrote {what} as {fmt} to {output}")
    return 0


@main.command()
@_common
def status(ctx: Context) -> int:
    """What the store holds: articles per outlet and language, copies, date range."""
    ctx._store = SQLStore(ctx.db, create=False)  # only reads: never creates or adopts a database
    stats = ctx.store.stats()
    click.echo(f"store: {ctx.store.display}")
    click.echo(f"articles: {stats.articles} ({stats.copies} copies of another)")
    if not stats.articles:
        return 0
    if stats.first_published:
        click.echo(f"published: {stats.first_published[:10]} .. {stats.last_published[:10]} (UTC)")
    click.echo("languages: " + ", ".join(f"{lang or 'unknown'} {n}" for lang, n in stats.languages))
    click.echo("outlets:")
    for outlet, n in stats.outlets:
        click.echo(f"  {n:5d}  {outlet or '(unknown)'}")
    return 0


@main.command()
@click.option(
    "-o",
    "--output",
    default="narrascope-output",
    show_default=True,
    metavar="DIR",
    help="folder for the demo's database and outputs",
)
@_engine_option
@_common
def demo(ctx: Context, output: str, engine_kind: str | None) -> int:
    """Ingest the bundled demo corpus (fictional articles), analyze it and write the outputs."""
    from ..demo import corpus_path
    from ..ingest import ingest_paths
    from ..report import export as write

    out_dir = Path(output)
    if out_dir.exists() and not out_dir.is_dir():
        raise NarrascopeError("is a file; give a folder for the demo's outputs", source=output)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NarrascopeError(f"cannot create the folder ({exc.strerror or exc})", source=output) from exc
    if not ctx.db_given:
        ctx.db = str(out_dir / "demo.db")  # keep the demo out of the user's own store
    engine = ctx.engine(engine_kind)
    with corpus_path() as corpus:
        report = ingest_paths([str(corpus)], ctx.store, ctx.settings, engine=engine)
    for line in report.error_lines():
        _error(line)
    ctx.say(f"demo corpus: {report.summary()}")
    if report.fatal is not None:
        raise report.fatal
    from ..analysis import analyze
    from ..demo import DEMO_THESIS

    ctx.say(analyze(ctx.store, ctx.settings, [DEMO_THESIS], engine=engine).summary())
    from ..report.html import write_report

    for fmt, name in (("json", "demo.json"), ("csv", "articles.csv"), ("graphml", "demo.graphml")):
        with _open_output(str(out_dir / name)) as fh:
            write(ctx.store, fmt, fh, ctx.settings)
    report_path = out_dir / "report.html"
    with _open_output(str(report_path)) as fh:
        write_report(ctx.store, fh, ctx.settings)
    ctx.say(f"store:   {ctx.store.display}")
    ctx.say(f"exports: {out_dir / 'demo.json'}, {out_dir / 'articles.csv'}, {out_dir / 'demo.graphml'}")
    ctx.say(f"report:  {report_path}  (open it in a browser: file://{report_path.resolve()})")
    ctx.say(f"next:    narrascope serve --db {ctx.store.display}   (the dashboard, on http://127.0.0.1:8000)")
    return EXIT_PARTIAL if report.errors else 0
