"""`narrascope serve`: the dashboard over the store, on this machine unless a token guards it."""

from __future__ import annotations

import contextlib
import ipaddress
import signal
from urllib.parse import quote

import click

from ..errors import ConfigError
from . import main
from .common import EXIT_FATAL, Context, _common, _error, interrupt_on


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="address to listen on; anything but loopback needs --token")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="port to listen on")
@click.option("--token", envvar="NARRASCOPE_TOKEN", default=None, metavar="TOKEN",
              help="require this token on every request [env NARRASCOPE_TOKEN]")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="server processes: each renders one page at a time (see README, Report and dashboard)")
@_common
def serve(ctx: Context, host: str, port: int, token: str | None, workers: int) -> int:
    """Browse the store in a web dashboard (read-only): stories, claims, outlets, theses, search.

    It listens on 127.0.0.1 only, unless --host names another address and a --token is set;
    then every request must carry the token (the printed URL does, once).
    """
    if token is not None and not token.strip():
        raise ConfigError("--token is empty; give a token or leave it out")
    if not is_loopback(host) and token is None:
        _error(f"--host {host}: not a loopback address; serving other machines needs --token "
               "(or NARRASCOPE_TOKEN)")
        return EXIT_FATAL
    if workers > 1:
        return _serve_workers(ctx, host, port, token, workers)
    import uvicorn

    from ..web import create_app

    app = create_app(ctx.db, ctx.settings, token)  # opens the store now: a bad --db fails here
    dashboard = app.state.dashboard
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/" + (f"?token={quote(token, safe='')}" if token else "")
    ctx.say(f"store:     {dashboard.store.display} ({dashboard.store.count_articles()} articles)")
    click.echo(f"dashboard: {url}  (Ctrl-C stops it)")
    # No lifespan task: a second Ctrl-C (uvicorn's force quit) would cancel it mid-wait and log
    # the cancellation as a traceback. The store is closed here instead, however the server stops.
    try:
        # SIGTERM (kill, systemd, docker stop) ends the server as Ctrl-C does: uvicorn shuts down
        # gracefully, then raises the signal again under the handler found before it started.
        # SIGTERM's default would end the process there, before any `finally`, cutting the search
        # index's refresh off mid-batch; this handler raises KeyboardInterrupt instead.
        with interrupt_on(signal.SIGTERM):
            uvicorn.run(app, host=host, port=port, log_level="warning" if ctx.quiet else "info",
                        access_log=not ctx.quiet, server_header=False, lifespan="off")
    finally:
        dashboard.close()
    return 0


def _serve_workers(ctx: Context, host: str, port: int, token: str | None, workers: int) -> int:
    from ..store import SQLStore
    from ..web import workers as pool

    store = SQLStore(ctx.db, create=False)  # a bad --db fails here, before any worker starts
    ctx.say(f"store:     {store.display} ({store.count_articles()} articles)")
    store.close()
    try:
        sock = pool.bind(host, port)
    except OSError as exc:
        _error(f"--port {port}: cannot listen on {host} ({exc.strerror or exc})")
        return EXIT_FATAL
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{sock.getsockname()[1]}/" + (f"?token={quote(token, safe='')}" if token else "")
    click.echo(f"dashboard: {url}  ({workers} worker processes; Ctrl-C stops them)")
    with interrupt_on(signal.SIGTERM), contextlib.suppress(KeyboardInterrupt):  # the workers stop on their own
        pool.serve(ctx.db, ctx.settings, token, sock, workers, log_level="warning" if ctx.quiet else "info",
                   access_log=not ctx.quiet, server_header=False)
    return 0
