"""The dashboard's front door: who may ask, and the headers every answer carries.

Without a token the dashboard answers only requests addressed to a loopback name (``localhost``,
``127.0.0.1``, ``[::1]``): a page on another site cannot reach it through DNS rebinding, since
the browser would send that site's name as ``Host``. With a token, every request must carry it:
``?token=`` once (answered with an HttpOnly cookie and a redirect that drops it from the address
bar and history), then the cookie, or ``Authorization: Bearer TOKEN`` for scripts.

A pure ASGI middleware rather than FastAPI's ``@app.middleware``: it runs on every request,
static files included, and adds no per-request task the way ``BaseHTTPMiddleware`` does.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Callable
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COOKIE = "narrascope_token"
# Scripts only from the dashboard itself (the vendored libraries); data reaches them as JSON in
# <script type="application/json">, which is never executed.
HEADERS = [
    (b"content-security-policy", b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),  # a token in a URL never leaves in a Referer
]

ErrorResponse = Callable[[Request, int, str], Response]


def is_loopback_host(host_header: str) -> bool:
    """True when a Host header names this machine (``localhost``, 127.0.0.0/8, ``::1``)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host[1:].split("]", 1)[0]
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Guard:
    def __init__(self, app: ASGIApp, token: str | None, error: ErrorResponse) -> None:
        self.app = app
        self.token = token
        self.error = error
        self._cookie = _cookie_value(token) if token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        request = Request(scope)
        refusal = self._check(request)
        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _check(self, request: Request) -> Response | None:
        if self.token is None:
            if is_loopback_host(request.headers.get("host", "")):
                return None
            return self.error(request, 403, "this dashboard answers only on localhost; to serve it to other "
                                            "machines, start it with a token (narrascope serve --token)")
        given = request.query_params.get("token")
        if given is not None:
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return self.error(request, 401, "wrong token")
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + (f"?{urlencode(rest)}" if rest else "")
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(COOKIE, self._cookie, httponly=True, samesite="lax", path="/")
            return response
        auth = request.headers.get("authorization", "")
        if auth[:7].lower() == "bearer " and hmac.compare_digest(auth[7:].strip().encode(), self.token.encode()):
            return None
        cookie = request.cookies.get(COOKIE)
        if cookie is not None and hmac.compare_digest(cookie.encode(), self._cookie.encode()):
            return None
        return self.error(request, 401, "this dashboard needs its token: open the URL narrascope serve printed, "
                                        "or send Authorization: Bearer TOKEN")


class HeadAsGet:
    """Answers HEAD for every GET route: the GET's status and headers (its Content-Length
    included), without the body. FastAPI routes declared with ``@app.get`` answer only GET.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def _cookie_value(token: str) -> str:
    # The cookie holds a digest of the token, not the token: what a browser profile keeps cannot
    # be pasted into a Bearer header or a ?token= link.
    return hmac.new(token.encode(), b"narrascope dashboard cookie", hashlib.sha256).hexdigest()
