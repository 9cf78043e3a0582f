"""The Dask engine: the same ``map`` over the workers of a ``dask.distributed`` cluster.

``DaskEngine()`` starts a cluster on this machine (one single-threaded worker process per
requested worker, closed with the engine); ``DaskEngine("tcp://HOST:8786")`` sends the work to
the workers of a scheduler already running, on as many machines as joined it. Either way the
results come back in input order and identical to :class:`~narrascope.engine.LocalEngine`'s:
only where the function runs changes.

``map`` streams: items are read as room frees up, at most ``2 x workers`` tasks are in flight,
each task one batch of ``chunksize`` items (the round trip to a scheduler costs milliseconds,
not the microseconds of a local pipe). Every worker, those joining later included, is held to
one native thread by a worker plugin, for the reason :func:`~narrascope.engine.one_thread` gives.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from ..errors import EngineError, MissingDependency
from . import one_thread

try:  # an optional dependency: the module imports without it, the engine refuses to start
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - exercised where the extra is missing
    WorkerPlugin = object  # type: ignore[assignment,misc]

T = TypeVar("T")
R = TypeVar("R")

# Seconds to wait for a scheduler before calling it unreachable: a scheduler on the local network
# answers in milliseconds; a wrong address or a firewall never does.
CONNECT_TIMEOUT = 10
# Tasks in flight per worker thread: one running, one queued, so no worker waits on the round trip.
TASKS_PER_WORKER = 2


class OneThread(WorkerPlugin):
    """Runs :func:`one_thread` in every worker process when it joins the cluster."""

    name = "narrascope-one-thread"

    def setup(self, worker: Any) -> None:
        one_thread()


class DaskEngine:
    """``map`` on a Dask cluster; ``fn`` and items must be picklable, as for a process pool.

    ``address`` None starts a local cluster of ``workers`` processes, owned (and closed) by the
    engine; otherwise it is a scheduler's address (``tcp://HOST:PORT`` or ``HOST:PORT``), whose
    workers must have narrascope installed (the same version). Close the engine when done, or
    use it as a context manager.
    """

    def __init__(self, address: str | None = None, workers: int = 2, *, timeout: float = CONNECT_TIMEOUT) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise MissingDependency("dask[distributed]", "dask", purpose="the Dask engine") from exc
        self.address = address
        self._cluster = None
        if address is None:
            try:
                self._cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                                             dashboard_address=None, silence_logs=logging.ERROR)
            except Exception as exc:
                raise EngineError(f"cannot start a local Dask cluster ({_describe(exc)})") from exc
            target: Any = self._cluster
        else:
            target = address if "://" in address else f"tcp://{address}"
        try:
            self._client = Client(target, timeout=timeout, set_as_default=False)
        except Exception as exc:  # OSError, TimeoutError, or a bad address (ValueError)
            self._close_cluster()
            where = f"the Dask scheduler at {address}" if address else "the local Dask cluster"
            raise EngineError(f"cannot reach {where} ({_describe(exc)})") from exc
        try:
            self._client.register_plugin(OneThread())
        except Exception:
            self.close()
            raise
        if address is not None and not self._client.nthreads():
            try:  # tasks sent to a scheduler without workers would wait forever
                self._client.wait_for_workers(1, timeout=timeout)
            except Exception as exc:
                self.close()
                raise EngineError(f"the Dask scheduler at {address} has no workers (none joined in {timeout:g} s); "
                                  f"start some with: dask worker {target} --nthreads 1") from exc
        self.workers = max(1, sum(self._client.nthreads().values()))

    def map(self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        from distributed import KilledWorker

        window = TASKS_PER_WORKER * self.workers
        pending: deque[Any] = deque()
        batches = _batches(items, max(1, chunksize))
        try:
            for batch in batches:
                # pure=False: two equal batches are two tasks, never one result shared by key.
                pending.append(self._client.submit(_run_batch, fn, batch, pure=False))
                while len(pending) >= window:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        except KilledWorker as exc:
            raise EngineError(f"Dask workers kept dying on one task ({_describe(exc)}); see the workers' logs") from exc
        finally:
            for future in pending:  # an early exit: stop what is still queued or running
                future.cancel()

    def close(self) -> None:
        client, self._client = getattr(self, "_client", None), None
        if client is not None:
            client.close()
        self._close_cluster()

    def _close_cluster(self) -> None:
        cluster, self._cluster = self._cluster, None
        if cluster is not None:
            cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self.address or "local cluster"
        return f"DaskEngine({where!r}, workers={self.workers})"


def _run_batch(fn: Callable[[T], R], batch: list[T]) -> list[R]:
    """Runs on a worker: one task's items, in order."""
    return [fn(item) for item in batch]


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _describe(exc: BaseException) -> str:
    detail = str(exc).splitlines()[0] if str(exc) else "no detail"
    return f"{type(exc).__name__}: {detail}"
