"""`narrascope bench NAME`: benchmarks load only when run."""

from __future__ import annotations

import functools
from typing import Any

import click

from . import main
from .common import (
    _errors_to_exit,
)


class _LazyBenchGroup(click.Group):
    """Benchmarks load their module (and its heavy imports) only when run."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        from ..bench import BENCHMARKS

        return sorted(BENCHMARKS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        import importlib

        from ..bench import BENCHMARKS

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
