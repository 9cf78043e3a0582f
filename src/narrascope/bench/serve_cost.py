"""What each page costs to make, alone: the CPU milliseconds of one request through the whole
dashboard app (routing, the store's reads, the template), in this process, one at a time, with
the page cache off. Under concurrent clients a page waits for the others' share of the cores, so
its latency moves with the load on the machine; this figure does not, and says why the latency
is what it is (20 clients on one core wait for 19 others' pages).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from urllib.parse import unquote

from ..config import Settings


def page_costs(db: str, settings: Settings, targets: list[tuple[str, str]]) -> dict[str, list[float]]:
    """CPU ms per request of each kind of page in ``targets`` ((kind, URL) pairs), each asked once
    after one unmeasured request of each kind (the first use of its template and code)."""
    from ..web import create_app

    app = create_app(db, settings.replace({"web": {"page_cache_mb": 0}}))
    dashboard = app.state.dashboard
    try:
        thread = dashboard.refresh_search()
        if thread is not None:
            thread.join()  # its CPU would count against the pages: process time is every thread's
        return asyncio.run(_measure(app, targets))
    finally:
        dashboard.close()


async def _measure(app, targets: list[tuple[str, str]]) -> dict[str, list[float]]:
    warmed: set[str] = set()
    costs: dict[str, list[float]] = {}
    for kind, url in targets:
        if kind not in warmed:
            warmed.add(kind)
            await _get(app, url)
        started = time.process_time()
        status = await _get(app, url)
        if status != 200:
            raise RuntimeError(f"{url} answered {status}")
        costs.setdefault(kind, []).append((time.process_time() - started) * 1000)
    return costs


async def _get(app, url: str) -> int:
    """One GET straight into the ASGI app (no socket, no HTTP client): the app's own cost."""
    path, _, query = url.partition("?")
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": unquote(path), "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
             "headers": [(b"host", b"127.0.0.1")], "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    status = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await app(scope, receive, send)
    return status[0]


def summary_line(costs: dict[str, list[float]], kinds) -> str:
    return ", ".join(f"{kind} {statistics.mean(costs[kind]):.1f}" for kind in kinds if costs.get(kind))
