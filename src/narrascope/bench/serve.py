"""Dashboard: time to the first page after the server starts, p50/p95 of the main pages under
20 clients, and the server's peak memory, over a generated store (10,000 articles by default;
made by :mod:`.serve_store`, and kept for the next run with ``--store FILE``).

The dashboard runs under uvicorn in its own process on loopback; the clients (httpx, asyncio)
run in this one, each sending its requests one after another over one page of every kind in
turn, the ids drawn at random. The server's search index is brought up to date before the clients
start (its time is printed), so they measure the dashboard as it serves, not as it indexes. After
them, each kind of page is made alone, uncached, in this process (:mod:`.serve_cost`): its CPU
cost, the steady figure on a machine shared with other work (the load average is printed too).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import random
import socket
import statistics
import tempfile
import time
from pathlib import Path

import click

from ..config import default_settings
from ..store import SQLStore
from .serve_cost import page_costs, summary_line
from .serve_store import build_store

PAGES = ("overview", "search", "article", "claim", "outlet", "story", "thesis")
# Words found in many editions (names are re-spelled per edition, so they would not be).
QUERIES = ("trade turnover", "sanctions", "nuclear tender", "memo", "\"foreign policy\"", "reactors", "bank*")

# -- the server and the clients ------------------------------------------------------------------


def _serve(db: str, port: int, search_dir: str, workers: int = 1) -> None:
    import logging

    import uvicorn

    from ..web import create_app
    from ..web import workers as pool

    logging.getLogger("narrascope.web").setLevel(logging.WARNING)
    settings = default_settings().replace({"web": {"search_dir": search_dir}})
    if workers > 1:  # as `narrascope serve --workers N` runs them
        with contextlib.suppress(KeyboardInterrupt):  # the benchmark's SIGTERM, once the workers stopped
            pool.serve(db, settings, None, pool.bind("127.0.0.1", port), workers, log_level="warning",
                       access_log=False)
        return
    uvicorn.run(create_app(db, settings), host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _targets(db: str, count: int, seed: int = 0) -> list[tuple[str, str]]:
    """(page kind, URL) for ``count`` requests: the kinds in turn, ids drawn at random."""
    from urllib.parse import quote

    store = SQLStore(db, create=False)
    with store._connect() as conn:
        def column(sql: str) -> list[str]:
            return [r[0] for r in conn.exec_driver_sql(sql)]

        ids = {
            "article": column("SELECT id FROM articles"),
            "claim": column("SELECT claim_id FROM claim_group_members"),
            "outlet": column("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL"),
            "story": column("SELECT id FROM stories"),
            "thesis": column("SELECT id FROM theses"),
        }
    store.close()
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind = PAGES[i % len(PAGES)]
        if kind == "overview":
            out.append((kind, "/"))
        elif kind == "search":
            out.append((kind, f"/search?q={quote(rng.choice(QUERIES))}"))
        elif ids[kind]:
            prefix = {"thesis": "theses", "story": "stories"}.get(kind, f"{kind}s")
            out.append((kind, f"/{prefix}/{quote(rng.choice(ids[kind]), safe='')}"))
    return out


async def _load(base: str, clients: int, per_client: list[list[tuple[str, str]]]) -> list[tuple[str, float, int]]:
    import httpx

    results: list[tuple[str, float, int]] = []
    # One connection pool with a connection per client, made before the clock starts: making an
    # httpx client costs tens of milliseconds, which would count against the first requests.
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:

        async def client(targets: list[tuple[str, str]]) -> None:
            for kind, url in targets:
                start = time.perf_counter()
                response = await http.get(url)
                results.append((kind, (time.perf_counter() - start) * 1000, response.status_code))

        await asyncio.gather(*(client(t) for t in per_client[:clients]))
    return results


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


@click.command("serve")
@click.option("--articles", default=10_000, show_default=True, help="articles in the generated store")
@click.option("--clients", default=20, show_default=True, help="concurrent clients")
@click.option("--requests", "per_client", default=35, show_default=True, help="requests per client")
@click.option("--store", "store_path", default=None, metavar="FILE",
              help="build the store here and keep it (reused when it exists, with its search index) "
                   "instead of a temporary file")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="server processes, as `narrascope serve --workers N`")
@click.option("--costs", default=10, show_default=True, type=click.IntRange(0, 1000),
              help="pages of each kind whose CPU cost is measured alone, uncached, after the clients (0: none)")
def command(articles: int, clients: int, per_client: int, store_path: str | None, workers: int, costs: int) -> None:
    """Dashboard: time to the first page, page latency (p50/p95) under concurrent clients, the
    server's peak memory, and each page's CPU cost alone, over a generated store."""
    with tempfile.TemporaryDirectory() as tmp:
        db = store_path or str(Path(tmp) / "serve-bench.db")
        if not Path(db).exists():
            info = build_store(db, articles, click.echo)
            click.echo(f"store: {info['articles']} articles ({info['editions']} editions of the demo corpus), "
                       f"{info['claims']} claims, {info['links']} claim links, {info['groups']} claim groups, "
                       f"written in {info['seconds']:.0f}s; analysis rows copied from the demo's with new ids "
                       "(enrich+link on every article would take too long on 2 cores for a benchmark)")
        else:
            click.echo(f"store: reusing {db}")
        # A kept store keeps its search index beside it; a temporary one's goes with it.
        search_dir = str(Path(db).resolve().parent / "search-index") if store_path else tmp
        port = _free_port()
        server = multiprocessing.get_context("spawn").Process(target=_serve, args=(db, port, search_dir, workers),
                                                                  daemon=False)
        started = time.perf_counter()
        server.start()
        try:
            base = f"http://127.0.0.1:{port}"
            listening = _wait_listening(port, server) - started
            first = _first_page(base)
            processes = "one process" if workers == 1 else f"{workers} worker processes (--workers {workers})"
            click.echo(f"server: uvicorn, {processes}, {base}; listening {listening:.1f}s after the process "
                       f"started (Python imports included); first page (/) {first * 1000:.0f} ms after that")
            indexed = _wait_for_search(base, server)
            click.echo(f"search index brought up to date in the background in {indexed:.1f}s after the first page")
            targets = _targets(db, clients * per_client + len(PAGES) * 2)
            warm, rest = targets[: len(PAGES) * 2], targets[len(PAGES) * 2 :]
            asyncio.run(_load(base, 1, [warm]))  # first use of each template and code path
            per = [rest[i::clients] for i in range(clients)]
            load_before = _load_average()
            wall = time.perf_counter()
            results = asyncio.run(_load(base, clients, per))
            wall = time.perf_counter() - wall
            load_after = _load_average()
            peak = _peak_rss_mb(server.pid)
        finally:
            server.terminate()  # SIGTERM: with workers, the parent stops them first
            server.join(60)
            if server.is_alive():
                server.kill()
        if costs:
            settings = default_settings().replace({"web": {"search_dir": search_dir}})
            measured = page_costs(db, settings, _targets(db, costs * len(PAGES), seed=1))
    click.echo(f"first page after start: {first * 1000:.0f} ms; server peak memory (RSS): "
               + (f"{peak:.0f} MB" if peak is not None else "unknown (no /proc)"))
    click.echo(f"load average (1 min) on this machine: {load_before} as the clients started, {load_after} as they "
               f"ended ({os.cpu_count()} cores)")
    if costs:
        click.echo(f"CPU ms per page alone (one at a time, page cache off, mean of {costs}): "
                   + summary_line(measured, PAGES))
    _report(results, clients, wall)


def _load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except (OSError, AttributeError):  # AttributeError: no os.getloadavg (Windows)
        return "unknown"


def _wait_listening(port: int, server) -> float:
    """When the server first accepts a connection (``time.perf_counter()``)."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if not server.is_alive():
            raise click.ClickException("the dashboard server exited before answering")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return time.perf_counter()
        except OSError:
            time.sleep(0.01)
    raise click.ClickException("the dashboard server did not listen within 10 minutes")


def _first_page(base: str) -> float:
    import httpx

    start = time.perf_counter()
    response = httpx.get(base + "/", timeout=600)
    if response.status_code != 200:
        raise click.ClickException(f"the first page answered {response.status_code}")
    return time.perf_counter() - start


def _wait_for_search(base: str, server) -> float:
    """Seconds until a search no longer says its index is being brought up to date."""
    import httpx

    start = time.perf_counter()
    while server.is_alive():
        html = httpx.get(base + "/search", params={"q": "memo"}, timeout=600).text
        if "being brought up to date" not in html:
            return time.perf_counter() - start
        time.sleep(1)
    raise click.ClickException("the dashboard server exited while its search index was built")


def _peak_rss_mb(pid: int) -> float | None:
    """The peak resident memory (VmHWM) of the process and of its worker processes, summed, in MB;
    None where /proc is not there."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        total = 0.0
        for each in [pid, *map(int, children)]:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        return total
    except OSError:
        return None


def _report(results: list[tuple[str, float, int]], clients: int, wall: float) -> None:
    bad = [r for r in results if r[2] != 200]
    click.echo(f"{len(results)} requests from {clients} concurrent clients in {wall:.1f}s "
               f"({len(results) / wall:.0f} requests/s); {len(bad)} not 200")
    click.echo(f"{'page':<10} {'n':>5} {'p50_ms':>8} {'p95_ms':>8} {'max_ms':>8}")
    for kind in PAGES:
        times = [ms for k, ms, _ in results if k == kind]
        if times:
            click.echo(f"{kind:<10} {len(times):>5} {statistics.median(times):>8.1f} "
                       f"{_percentile(times, 0.95):>8.1f} {max(times):>8.1f}")
    every = [ms for _, ms, _ in results]
    click.echo(f"{'all':<10} {len(every):>5} {statistics.median(every):>8.1f} {_percentile(every, 0.95):>8.1f} "
               f"{max(every):>8.1f}")
    if bad:
        raise click.ClickException(f"{len(bad)} requests failed, e.g. {bad[0]}")
    click.echo(f"serve: p95_ms={_percentile(every, 0.95):.0f}")
