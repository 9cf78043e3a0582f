"""Where per-item work runs. One method, ``map``; results come back in input order.

:class:`SerialEngine` runs in this process (tests, small batches); :class:`LocalEngine` spreads
items over a process pool on this machine. A distributed engine only has to provide ``map``.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Engine(Protocol):
    workers: int

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]: ...


class SerialEngine:
    workers = 1

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        return map(fn, items)


class LocalEngine:
    """A process pool; ``fn`` and items must be picklable (module-level functions, plain data)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        if self.workers == 1:
            yield from map(fn, items)
            return
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ctx.Pool(self.workers) as pool:
            yield from pool.imap(fn, items, chunksize=chunksize)


def default_engine(workers: int, n_items: int, parallel_min_items: int) -> Engine:
    """A pool only when there is enough work to pay for starting it."""
    if workers <= 1 or n_items < parallel_min_items:
        return SerialEngine()
    return LocalEngine(workers)


__all__ = ["Engine", "LocalEngine", "SerialEngine", "default_engine"]
