"""What every command shares: the context, one-line errors, progress, output files."""

from __future__ import annotations

import functools
import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import click

from ..config import Settings, load_settings
from ..engine import ENGINE_KINDS, Engine, close_engine, open_engine, valid_kind
from ..errors import ConfigError, NarrascopeError
from ..store import DEFAULT_DB, SQLStore

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
        self._engine: Engine | None = None

    def engine(self, kind: str | None) -> Engine | None:
        """The engine ``--engine`` names (else the ``engine.kind`` setting); closed with the context.
        None lets each stage choose this process or a local pool by its amount of work."""
        kind = kind or self.settings.engine.kind
        if not valid_kind(kind):
            raise ConfigError(f"unknown engine {kind!r}: use {ENGINE_KINDS}", source="--engine")
        self._engine = open_engine(kind, self.settings.engine.dask_workers)
        return self._engine

    @property
    def store(self) -> SQLStore:
        if self._store is None:
            self._store = SQLStore(self.db)
        return self._store

    def close(self) -> None:
        try:
            close_engine(self._engine)  # a Dask cluster this command started stops with it
        finally:
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
        with _interrupt_here_only(), _errors_to_exit():
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


def _engine_option(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--engine on the commands whose per-article work an engine runs."""
    return click.option(
        "--engine",
        "engine_kind",
        default=None,
        metavar="KIND",
        help=f"where the per-article work runs: {ENGINE_KINDS} [default: setting engine.kind, local]",
    )(fn)


@contextmanager
def _errors_to_exit():
    try:
        yield
    except NarrascopeError as exc:
        from ..ingest.runner import one_line  # only when there is an error to print

        _error(one_line(exc))
        sys.exit(EXIT_FATAL)
    except KeyboardInterrupt:
        _error("interrupted; everything committed before the interruption is kept")
        sys.exit(EXIT_INTERRUPTED)


@contextmanager
def _interrupt_here_only():
    """Ctrl-C interrupts this process only, not the workers of its pools.

    A terminal sends SIGINT to every process of its group: each worker of a pool would raise
    KeyboardInterrupt too and print its own traceback. With this handler (which forked workers
    inherit) only this process raises; the pool, closed as the interruption unwinds, ends its
    workers, and the user sees the one line of :func:`_errors_to_exit`.
    """
    with interrupt_on(signal.SIGINT):
        yield


@contextmanager
def interrupt_on(signum: int):
    """While inside, ``signum`` raises KeyboardInterrupt in this process (and not in processes it
    forks, which inherit the handler)."""
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return
    here = os.getpid()

    def interrupt(received, frame) -> None:
        if os.getpid() == here:
            raise KeyboardInterrupt

    previous = signal.signal(signum, interrupt)
    try:
        yield
    finally:
        signal.signal(signum, previous)


def _error(message: str) -> None:
    click.echo(f"error: {message}", err=True)


def _warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


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


def _batch_summary(ctx: Context, output_path: str, message: str) -> None:
    """The summary line; on standard error when the records themselves go to standard output."""
    if output_path == "-":
        if not ctx.quiet:
            click.echo(message, err=True)
    else:
        ctx.say(message)


@contextmanager
def _open_output(output: str, *, binary: bool = False):
    if output == "-":
        yield sys.stdout.buffer if binary else sys.stdout
        return
    path = Path(output)
    if path.is_dir():
        raise NarrascopeError("is a folder; give a file name", source=output)
    if _is_database(path):  # `-o narrascope.db` would replace the store itself with the export
        raise NarrascopeError("is a database; an export or report never overwrites one: give another file name",
                              source=output)
    tmp = path.with_name(path.name + ".partial")
    try:
        with ExitStack() as stack:
            out: TextIO | BinaryIO = stack.enter_context(
                tmp.open("wb") if binary else tmp.open("w", encoding="utf-8", newline="")
            )
            yield out
        tmp.replace(path)  # a reader never sees a half-written export
    except OSError as exc:
        raise NarrascopeError(f"cannot write ({exc.strerror or exc})", source=output) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _is_database(path: Path) -> bool:
    """A SQLite database file (the store or any other), by its first bytes."""
    try:
        with path.open("rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False

