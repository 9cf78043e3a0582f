"""The ``narrascope`` command: a thin layer over the library.

Every command takes ``--db`` (a SQLite path or a database URL; ``$NARRASCOPE_DB`` or
``./narrascope.db`` by default) and ``--config``. Errors the user can fix are printed as one
line, ``error: WHERE: reason``, never as a traceback. Exit status: 0 success, 1 some inputs
could not be used (the rest went in), 2 nothing was done (bad usage, unusable store or
settings), 130 interrupted.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, TextIO

import click

from . import __version__
from .config import Settings, load_settings
from .errors import NarrascopeError
from .store import DEFAULT_DB, SQLStore

EXIT_PARTIAL = 1
EXIT_FATAL = 2
EXIT_INTERRUPTED = 130


class Context:
    """What every command gets: settings, the store (opened on first use) and output helpers."""

    def __init__(self, db: str, config: str | None, quiet: bool) -> None:
        self.db = db
        self.quiet = quiet
        self.settings: Settings = load_settings(config)
        self._store: SQLStore | None = None

    @property
    def store(self) -> SQLStore:
        if self._store is None:
            self._store = SQLStore(self.db)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(message)


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --config and --quiet on every command; errors turned into one line."""

    @click.option(
        "--db",
        default=None,
        metavar="PATH|URL",
        help=f"SQLite file or database URL [env NARRASCOPE_DB; default ./{DEFAULT_DB}]",
    )
    @click.option(
        "--config",
        "config",
        default=None,
        metavar="FILE",
        help="settings file overriding the shipped defaults (default ./narrascope.toml if present)",
    )
    @click.option("-q", "--quiet", is_flag=True, help="print only errors and warnings (for scripts)")
    @functools.wraps(fn)
    def wrapper(db: str | None, config: str | None, quiet: bool, **kwargs: Any) -> None:
        code = 0
        with _errors_to_exit():
            if db is not None and not db.strip():
                raise NarrascopeError("--db is empty; give a SQLite file or a database URL")
            ctx = Context(db or os.environ.get("NARRASCOPE_DB") or DEFAULT_DB, config, quiet)
            # Whether the user chose the store (demo keeps its own otherwise).
            ctx.db_given = db is not None or bool(os.environ.get("NARRASCOPE_DB"))
            try:
                code = fn(ctx, **kwargs) or 0
            finally:
                ctx.close()
        sys.exit(code)

    return wrapper


@contextmanager
def _errors_to_exit():
    try:
        yield
    except NarrascopeError as exc:
        from .ingest.runner import one_line  # only when there is an error to print

        _error(one_line(exc))
        sys.exit(EXIT_FATAL)
    except KeyboardInterrupt:
        _error("interrupted; everything committed before the interruption is kept")
        sys.exit(EXIT_INTERRUPTED)


def _error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="narrascope")
def main() -> None:
    """See how a story is told across outlets: ingest articles, analyze them, export the results."""


# -- ingest ------------------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--outlet", default=None, help="outlet name for every article read (overrides what the text says)"
)
@click.option("--language", default=None, help="language code for every article read (skips detection)")
@_common
def ingest(ctx: Context, paths: tuple[str, ...], outlet: str | None, language: str | None) -> int:
    """Read articles from files and folders: txt, html, json/jsonl, warc(.gz), rss/atom.

    Files already stored are recognised by their content and skipped; syndicated copies are
    stored and linked to their original. A file that cannot be used is reported on one line and
    the rest still go in.
    """
    from .ingest import ingest_paths
    from .ingest.runner import one_line

    with _progress(ctx, "ingesting") as progress:
        report = ingest_paths(
            list(paths), ctx.store, ctx.settings, outlet=outlet, language=language, progress=progress
        )
    for line in report.error_lines():
        _error(line)
    for warning in report.warnings:
        _warn(warning)
    ctx.say(report.summary())
    if report.fatal is not None:
        # Last, so it is not lost among the per-file lines. The batches before it are kept:
        # "nothing was done" (2) only when none of them changed the store.
        _error(one_line(report.fatal))
        return EXIT_PARTIAL if report.added or report.updated else EXIT_FATAL
    return EXIT_PARTIAL if report.errors else 0


@contextmanager
def _progress(ctx: Context, label: str):
    """A rich progress bar on stderr for runs long enough to need one; silent under --quiet."""
    if ctx.quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),  # the bar goes where isatty() was asked: stdout stays clean
        transient=True,
        redirect_stdout=False,
    ) as bar:
        task = bar.add_task(label, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


# -- analyze -----------------------------------------------------------------------------------


@main.command()
@click.option("--redo", is_flag=True, help="analyze every article again, not only the new ones")
@_common
def analyze(ctx: Context, redo: bool) -> int:
    """Enrich every article not analyzed yet: sentences, entities, quantities, dates, attributions,
    cited sources, hedges and check-worthy claims; then canonicalise entities across the corpus."""
    from .enrich.runner import enrich_articles
    from .link.runner import link_all

    with _progress(ctx, "analyzing") as progress:
        report = enrich_articles(ctx.store, ctx.settings, progress=progress, redo=redo)
    ctx.say(report.summary())
    ctx.say(link_all(ctx.store, ctx.settings).summary())
    languages = sorted({n.split(": ", 1)[1] for n in report.notes if "no entity model" in n})
    for note in languages:
        _warn(note)
    return 0


# -- batch commands ----------------------------------------------------------------------------


@main.command()
@click.option(
    "--input",
    "input_path",
    required=True,
    metavar="FILE",
    help='JSONL: {"id", "text"} per line (- for stdin)',
)
@click.option(
    "--output", "output_path", required=True, metavar="FILE", help='JSONL: {"id", "checkworthiness"} per line'
)
@_common
def checkworthy(ctx: Context, input_path: str, output_path: str) -> int:
    """Score sentences for check-worthiness (0..1) with the shipped model."""
    from .batch import read_records, run_jsonl
    from .embeddings import USEEmbedder
    from .enrich.checkworthy import CheckworthinessModel

    model, embedder = CheckworthinessModel.load(), USEEmbedder()

    def score(batch: list[dict]) -> list[dict]:
        values = model.score([r["text"] for r in batch], embedder)
        return [{"checkworthiness": round(float(v), 4)} for v in values]

    with _open_output(output_path) as out:
        report = run_jsonl(read_records(input_path, ("text",)), out, score)
    for err in report.errors:
        _error(str(err))
    _batch_summary(ctx, output_path, f"scored {report.written} record(s), {len(report.errors)} error(s)")
    return EXIT_PARTIAL if report.errors else 0


@main.command()
@click.option(
    "--input",
    "input_path",
    required=True,
    metavar="FILE",
    help='JSONL: {"id", "a", "b"} per line (- for stdin)',
)
@click.option(
    "--output",
    "output_path",
    required=True,
    metavar="FILE",
    help='JSONL: {"id", "relation", "score", "reason"} per line',
)
@_common
def relate(ctx: Context, input_path: str, output_path: str) -> int:
    """How claim b bears on claim a: same, supports, contradicts, related or unrelated, and why."""
    from .batch import read_records, run_jsonl
    from .embeddings import get_embedder
    from .link.learned import RelationScorer
    from .link.relate import relate as relation_of
    from .link.runner import relate_params
    from .link.views import claim_views

    embedder, params = get_embedder(ctx.settings.link.embedder), relate_params(ctx.settings)
    scorer = RelationScorer.load() if ctx.settings.link.learned_relations else None

    def score(batch: list[dict]) -> list[dict]:
        views = claim_views([r["a"] for r in batch] + [r["b"] for r in batch])
        vectors = embedder.embed([v.text for v in views])
        n = len(batch)
        out = []
        for i in range(n):
            rel = relation_of(views[i], views[n + i], float(vectors[i] @ vectors[n + i]), params, scorer)
            out.append({"relation": rel.relation, "score": round(rel.score, 4), "reason": rel.reason})
        return out

    with _open_output(output_path) as out:
        report = run_jsonl(read_records(input_path, ("a", "b")), out, score)
    for err in report.errors:
        _error(str(err))
    _batch_summary(ctx, output_path, f"related {report.written} pair(s), {len(report.errors)} error(s)")
    return EXIT_PARTIAL if report.errors else 0


def _batch_summary(ctx: Context, output_path: str, message: str) -> None:
    """The summary line; on standard error when the records themselves go to standard output."""
    if output_path == "-":
        if not ctx.quiet:
            click.echo(message, err=True)
    else:
        ctx.say(message)


# -- export ------------------------------------------------------------------------------------


@main.command()
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "graphml"]), default="json", show_default=True
)
@click.option("-o", "--output", default="-", metavar="FILE", help="file to write, or - for standard output")
@_common
def export(ctx: Context, fmt: str, output: str) -> int:
    """Write everything stored as JSON (see the schema in the README), CSV of articles, or GraphML."""
    from .report import export as write

    ctx._store = SQLStore(ctx.db, create=False)  # only reads: never creates or adopts a database
    with _open_output(output) as out:
        count = write(ctx.store, fmt, out, ctx.settings)
    if output != "-":
        ctx.say(f"wrote {count} article(s) as {fmt} to {output}")
    return 0


@contextmanager
def _open_output(output: str):
    if output == "-":
        yield sys.stdout
        return
    path = Path(output)
    if path.is_dir():
        raise NarrascopeError("is a folder; give a file name", source=output)
    tmp = path.with_name(path.name + ".partial")
    try:
        with ExitStack() as stack:
            out: TextIO = stack.enter_context(tmp.open("w", encoding="utf-8", newline=""))
            yield out
        tmp.replace(path)  # a reader never sees a half-written export
    except OSError as exc:
        raise NarrascopeError(f"cannot write ({exc.strerror or exc})", source=output) from exc
    finally:
        tmp.unlink(missing_ok=True)


# -- status ------------------------------------------------------------------------------------


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


# -- demo --------------------------------------------------------------------------------------


@main.command()
@click.option(
    "-o",
    "--output",
    default="narrascope-output",
    show_default=True,
    metavar="DIR",
    help="folder for the demo's database and outputs",
)
@_common
def demo(ctx: Context, output: str) -> int:
    """Ingest the bundled demo corpus (fictional articles), analyze it and write the outputs."""
    from .demo import corpus_path
    from .ingest import ingest_paths
    from .report import export as write

    out_dir = Path(output)
    if out_dir.exists() and not out_dir.is_dir():
        raise NarrascopeError("is a file; give a folder for the demo's outputs", source=output)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NarrascopeError(f"cannot create the folder ({exc.strerror or exc})", source=output) from exc
    if not ctx.db_given:
        ctx.db = str(out_dir / "demo.db")  # keep the demo out of the user's own store
    with corpus_path() as corpus:
        report = ingest_paths([str(corpus)], ctx.store, ctx.settings)
    for line in report.error_lines():
        _error(line)
    ctx.say(f"demo corpus: {report.summary()}")
    if report.fatal is not None:
        raise report.fatal
    from .enrich.runner import enrich_articles
    from .link.runner import link_all

    ctx.say(enrich_articles(ctx.store, ctx.settings).summary())
    ctx.say(link_all(ctx.store, ctx.settings).summary())
    for fmt, name in (("json", "demo.json"), ("csv", "articles.csv"), ("graphml", "demo.graphml")):
        with _open_output(str(out_dir / name)) as fh:
            write(ctx.store, fmt, fh, ctx.settings)
    ctx.say(f"store:   {ctx.store.display}")
    ctx.say(f"exports: {out_dir / 'demo.json'}, {out_dir / 'articles.csv'}, {out_dir / 'demo.graphml'}")
    ctx.say(f"next:    narrascope status --db {ctx.store.display}")
    return EXIT_PARTIAL if report.errors else 0


# -- bench -------------------------------------------------------------------------------------


class _LazyBenchGroup(click.Group):
    """Benchmarks load their module (and its heavy imports) only when run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from .bench import BENCHMARKS

        return sorted(BENCHMARKS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        import importlib

        from .bench import BENCHMARKS

        if name not in BENCHMARKS:
            return None
        command = importlib.import_module(BENCHMARKS[name]).command
        callback = command.callback

        @functools.wraps(callback)
        def guarded(**kwargs: Any) -> None:
            with _errors_to_exit():
                callback(**kwargs)

        command.callback = guarded
        return command


@main.group(cls=_LazyBenchGroup)
def bench() -> None:
    """Run one benchmark on data given by path; the last line is `NAME: METRIC=VALUE`."""
