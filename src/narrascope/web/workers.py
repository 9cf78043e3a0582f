"""The dashboard in several processes sharing one listening socket (``narrascope serve --workers N``).

One Python process renders one page at a time however many cores the machine has (the GIL);
pages are made from the store per request, so N processes render N at once. The parent binds the
socket, then forks N workers, each with its own app, store connections and page cache (memory
grows with N), all reading the same store (SQLite in WAL mode, or PostgreSQL: each worker holds its
own connection pool). The search index file is shared: one worker at a time brings it up to date
(a lock file beside it), the others search it as it is meanwhile.

Fork, not spawn: a worker inherits the settings object as it is (``--config`` included) without
reading anything again. Needs ``os.fork`` (Linux, macOS); Windows serves with one process.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket

from ..config import Settings


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


def serve(db: str, settings: Settings, token: str | None, sock: socket.socket, workers: int, **options) -> None:
    """Serve the dashboard on ``sock`` from ``workers`` forked processes until they stop or this
    process is interrupted (Ctrl-C or SIGTERM: KeyboardInterrupt, after the workers were asked to
    stop and waited for). Call it from the main thread."""
    context = multiprocessing.get_context("fork")
    procs = [context.Process(target=_worker, args=(sock, db, settings, token, options), daemon=False,
                             name=f"narrascope-worker-{n}") for n in range(workers)]
    for proc in procs:
        proc.start()

    def stop(_signum, _frame) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)  # SIGTERM's default would leave the workers behind
    try:
        for proc in procs:
            proc.join()
    finally:
        signal.signal(signal.SIGTERM, previous)
        for proc in procs:
            if proc.is_alive():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)  # uvicorn's graceful shutdown
        for proc in procs:
            proc.join(30)
            if proc.is_alive():
                proc.kill()
        sock.close()
