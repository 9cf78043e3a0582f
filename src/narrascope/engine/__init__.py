"""Where per-item work runs. One method, ``map``; results come back in input order.

:class:`SerialEngine` runs in this process (tests, small batches); :class:`LocalEngine` spreads
items over a process pool on this machine; :class:`~narrascope.engine.dask_engine.DaskEngine`
over the workers of a Dask cluster (imported on demand: ``dask`` is an optional extra).
:func:`open_engine` turns the ``--engine`` option / ``engine.kind`` setting into one of them.

A pool already puts one worker on each core, so each worker is held to one native thread
(:func:`one_thread`): numpy's OpenBLAS otherwise starts a thread per core in every worker, and
its idle threads spin on the cores the other workers need.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

from ..errors import ConfigError

T = TypeVar("T")
R = TypeVar("R")

# Read by the native libraries that start thread pools when they load (OpenMP, OpenBLAS, MKL,
# BLIS, numexpr), for any a worker loads after it starts.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "BLIS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
# How OpenBLAS builds name their setter: plain, 64-bit-integer builds, and numpy's scipy-openblas.
_OPENBLAS_SETTERS = (
    "openblas_set_num_threads",
    "openblas_set_num_threads64_",
    "scipy_openblas_set_num_threads",
    "scipy_openblas_set_num_threads64_",
)


class Engine(Protocol):
    workers: int

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]: ...


class SerialEngine:
    workers = 1

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        return map(fn, items)


class LocalEngine:
    """A process pool; ``fn`` and items must be picklable (module-level functions, plain data).

    Each worker runs with one native thread (:func:`one_thread`); with one worker the work runs
    in this process, untouched.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        if self.workers == 1:
            yield from map(fn, items)
            return
        ctx = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        with ctx.Pool(self.workers, initializer=one_thread) as pool:
            yield from pool.imap(fn, items, chunksize=chunksize)


def one_thread() -> None:
    """Hold this process to one native thread: for libraries loaded later (environment) and for
    those already loaded, inherited through ``fork`` (numpy's OpenBLAS, set at run time)."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # not a runtime dependency: set OpenBLAS directly
        for lib in _loaded_libraries("openblas"):
            for setter in _OPENBLAS_SETTERS:
                if hasattr(lib, setter):
                    getattr(lib, setter)(1)
                    break
    else:
        threadpool_limits(1)


def _loaded_libraries(fragment: str) -> list[ctypes.CDLL]:
    """Shared libraries of this process whose file name contains ``fragment`` (Linux only)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as fh:
            paths = {line.split()[-1] for line in fh if fragment in line.rsplit("/", 1)[-1]}
    except OSError:
        return []
    out = []
    for path in sorted(paths):
        try:
            out.append(ctypes.CDLL(path, mode=os.RTLD_NOLOAD | ctypes.RTLD_GLOBAL))
        except OSError:
            continue
    return out


def default_engine(workers: int, n_items: int, parallel_min_items: int) -> Engine:
    """A pool only when there is enough work to pay for starting it."""
    if workers <= 1 or n_items < parallel_min_items:
        return SerialEngine()
    return LocalEngine(workers)


ENGINE_KINDS = "local, serial, dask or dask://HOST:PORT"
_DASK_ADDRESS = re.compile(r"dask://(?P<host>\[[0-9A-Fa-f:.]+\]|[\w.-]+):(?P<port>\d{1,5})")


def valid_kind(kind: str) -> bool:
    """Whether ``kind`` names an engine :func:`open_engine` knows."""
    return kind in ("local", "serial", "dask") or _DASK_ADDRESS.fullmatch(kind) is not None


def open_engine(kind: str, workers: int) -> Engine | None:
    """The engine ``kind`` names (see :data:`ENGINE_KINDS`); the caller closes it (``close()``
    where it has one).

    ``local`` gives None: each stage then picks a process pool or this process by how much work
    it has (``parallel_min_*``). ``dask`` starts a local Dask cluster of ``workers`` processes;
    ``dask://HOST:PORT`` uses the scheduler there and its workers.
    """
    if kind == "local":
        return None
    if kind == "serial":
        return SerialEngine()
    if kind == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(workers=workers)
    found = _DASK_ADDRESS.fullmatch(kind)
    if found is None:
        raise ConfigError(f"unknown engine {kind!r}: use {ENGINE_KINDS}")
    from .dask_engine import DaskEngine

    return DaskEngine(f"tcp://{found['host']}:{found['port']}")


def close_engine(engine: Engine | None) -> None:
    """Close an engine that holds resources (a Dask client and cluster); others need nothing."""
    close = getattr(engine, "close", None)
    if close is not None:
        close()


__all__ = [
    "ENGINE_KINDS",
    "Engine",
    "LocalEngine",
    "SerialEngine",
    "close_engine",
    "default_engine",
    "one_thread",
    "open_engine",
    "valid_kind",
]
