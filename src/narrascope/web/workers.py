"""The dashboard in several processes sharing one listening socket (``narrascope serve --workers N``).

One Python process renders one page at a time however many cores the machine has (the GIL);
pages are made from the store per request, so N processes render N at once. The parent binds the
socket, then forks N workers, each with its own app, store connections and page cache (memory
grows with N), all reading the same store (SQLite in WAL mode, or PostgreSQL: each worker holds its
own connection pool). The search index file is shared: one worker at a time brings it up to date
(a lock file beside it), the others search it as it is meanwhile. The parent only watches: a
worker that dies (killed, out of memory) is replaced, so the port keeps N processes behind it.

Fork, not spawn: a worker inherits the settings object as it is (``--config`` included) without
reading anything again. Needs ``os.fork`` (Linux, macOS); Windows serves with one process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import time
from multiprocessing.connection import wait

from ..config import Settings
from ..errors import NarrascopeError

log = logging.getLogger("narrascope.web")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host``:``port`` (IPv6 when the host is)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host.strip("[]"), port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _worker(sock: socket.socket, db: str, settings: Settings, token: str | None, options: dict) -> None:
    import uvicorn

    from .app import create_app

    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # uvicorn installs its own graceful handlers in run()
    app = create_app(db, settings, token)
    try:
        uvicorn.Server(uvicorn.Config(app, lifespan="off", **options)).run(sockets=[sock])
    finally:
        app.state.dashboard.close()


# A worker that exits this soon after it started, this many times in a row, is not restarted
# again: something stops every worker at start (the store went away, the port is closed), and
# restarting it forever would only fill the log.
QUICK_EXIT_SECONDS = 5.0
QUICK_EXITS = 3


def serve(db: str, settings: Settings, token: str | None, sock: socket.socket, workers: int, **options) -> None:
    """Serve the dashboard on ``sock`` from ``workers`` forked processes until this process is
    interrupted (Ctrl-C or SIGTERM: KeyboardInterrupt, after the workers were asked to stop and
    waited for). A worker that exits meanwhile (killed, crashed, out of memory) is replaced by a
    new one; a worker that exits within ``QUICK_EXIT_SECONDS`` of its start ``QUICK_EXITS`` times in
    a row stops them all with a :class:`~narrascope.errors.NarrascopeError`. Call it from the main thread."""
    context = multiprocessing.get_context("fork")

    def start(n: int) -> multiprocessing.Process:
        proc = context.Process(target=_worker, args=(sock, db, settings, token, options), daemon=False,
                               name=f"narrascope-worker-{n}")
        proc.start()
        started[n] = time.monotonic()
        return proc

    started: dict[int, float] = {}
    procs = {n: start(n) for n in range(workers)}

    def stop(_signum, _frame) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # SIGTERM's default would leave the workers behind
    quick = 0
    try:
        while True:
            ended = set(wait([p.sentinel for p in procs.values()]))
            for n, proc in list(procs.items()):
                if proc.sentinel not in ended:
                    continue
                proc.join()
                quick = quick + 1 if time.monotonic() - started[n] < QUICK_EXIT_SECONDS else 0
                if quick >= QUICK_EXITS:
                    raise NarrascopeError(f"workers exit as soon as they start ({quick} in a row, the last "
                                          f"{_how(proc.exitcode)}); see the messages above", source="serve")
                procs[n] = start(n)
                log.warning("worker %d (pid %d) %s; started another (pid %d)", n, proc.pid, _how(proc.exitcode),
                            procs[n].pid)
    finally:
        signal.signal(signal.SIGTERM, previous)
        for proc in procs.values():
            if proc.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)  # uvicorn's graceful shutdown
        for proc in procs.values():
            proc.join(30)
            if proc.is_alive():
                proc.kill()
        sock.close()


def _how(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            return f"was killed by {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"was killed by signal {-exitcode}"
    return f"exited with status {exitcode}"
