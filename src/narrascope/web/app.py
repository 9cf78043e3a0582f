"""The dashboard: a read-only FastAPI app over the store, rendered server-side with Jinja2.

Every page is HTML that works without JavaScript; the provenance graph, the story timeline and
the stance charts are drawn by vendored libraries (``static/vendor``, see ``vendor.sh``) over
the same data the page shows as a table. Only GET routes exist (HEAD is answered like GET,
without the body), so nothing can change the store; all text from articles goes through Jinja's
autoescaping. Errors, whatever raised them, come back as one shape: an HTML page, or
``{"error": {"status", "title", "message"}}`` to a client that asks for JSON.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import date
from importlib import resources
from typing import Annotated
from urllib.parse import quote

import anyio.to_thread
from fastapi import FastAPI, Query
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from .. import __version__
from ..config import Settings, default_settings
from ..report.html import css as report_css
from .dashboard import Dashboard
from .graph import provenance_graph
from .guard import Guard, HeadAsGet
from .reading import Reading
from .search import Filters

log = logging.getLogger("narrascope.web")

PAGE_SIZE = 20
OUTLET_ARTICLES = 200  # an outlet page lists its newest articles; the rest are a search away
STANCES = ("support", "oppose", "discuss", "unrelated")
TITLES = {400: "Bad request", 401: "Token needed", 403: "Forbidden", 404: "Not found",
          405: "Read-only", 500: "Internal error"}


def environment() -> Environment:
    # The report's templates come second, so pages import its macros and share its look.
    env = Environment(
        loader=ChoiceLoader([PackageLoader("narrascope.web", "templates"),
                             PackageLoader("narrascope.report", "templates")]),
        autoescape=select_autoescape(["html", "j2"], default=True),  # article text is data, never markup
        trim_blocks=True, lstrip_blocks=True, auto_reload=False)
    env.globals["version"] = __version__
    env.globals["outlet_url"] = outlet_url
    return env


def outlet_url(name: str) -> str:
    """The URL of an outlet's page, whatever its name holds ("/", "?", "#", "%", spaces...).

    Every character but letters, digits and ``-._~`` is percent-encoded, so a "/" in a name never
    reads as a path step. A name of dots alone would still be a path step a browser resolves
    (RFC 3986 section 5.2.4, encoded or not), so it goes in the query instead.
    """
    quoted = quote(name, safe="")
    return f"/outlets/?name={quoted}" if not name.strip(".") else f"/outlets/{quoted}"


def create_app(db: str, settings: Settings | None = None, token: str | None = None, *,
               reload_seconds: float = 60.0) -> FastAPI:
    """The dashboard over the store at ``db`` (a SQLite path or a database URL).

    The store is opened here (an unusable ``db`` raises :class:`~narrascope.errors.StoreError`
    before any request) and read per request, for what each page shows (:mod:`.reading`), so
    nothing waits for the corpus to load and a change is on the next page. ``reload_seconds``:
    how often the search index looks for changes in a store given by URL (a SQLite file says
    when it changes). With ``token``, every request must carry it; without, only requests
    addressed to localhost are answered.
    """
    settings = settings or default_settings()
    dashboard = Dashboard(db, settings, reload_seconds)
    env = environment()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        dashboard.close()

    app = FastAPI(title="narrascope", version=__version__, docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.dashboard = dashboard
    css = report_css().encode()

    def error(request: Request, status: int, message: str) -> Response:
        title = TITLES.get(status, "Error")
        accept = request.headers.get("accept", "")
        if "application/json" in accept and "text/html" not in accept:
            return JSONResponse({"error": {"status": status, "title": title, "message": message}}, status_code=status)
        html = env.get_template("error.html.j2").render(status=status, title=title, message=message,
                                                        ask_token=status == 401 and message != "wrong token")
        headers = {"Allow": "GET, HEAD"} if status == 405 else None
        return HTMLResponse(html, status_code=status, headers=headers)

    def missing(kind: str, ident: str) -> HTTPException:
        return HTTPException(404, f"no {kind} {ident!r} in this store")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) and exc.status_code != 405 else None
        if exc.status_code == 405:
            message = "this dashboard only reads: it answers GET and HEAD requests and nothing else"
        elif exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        return error(request, exc.status_code, message or TITLES.get(exc.status_code, "error"))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors())
        return error(request, 400, problems or "bad request")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("error on %s", request.url.path)
        return error(request, 500, "the dashboard failed on this page; the server log has the details")

    @app.get("/static/report.css", include_in_schema=False)
    def shared_css() -> Response:
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    static = resources.files("narrascope.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    def page(request: Request, make: Callable[[Reading], tuple[str, dict]]) -> Response:
        """The page at this URL: kept from an earlier request while the store is unchanged, or
        made from the store now (and kept, see :meth:`Dashboard.keep`).

        A page depends only on its URL and the store (a search page also on its index: one made
        while the index is behind the store says so and is not kept).
        """
        key = page_key(request.scope)
        version = dashboard.version()
        body = dashboard.pages.get(key, version) if version is not None else None
        if body is None:
            with dashboard.reading(version) as dash:
                name, context = make(dash)  # may raise a 404 or 400: never kept
                keep = context.pop("keep", True)
                body = env.get_template(name).render(dash=dash, view=dash.view, **context).encode()
            if keep:
                dashboard.keep(key, body, version)
        return Response(body, media_type="text/html; charset=utf-8")

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request):
        return page(request, lambda dash: ("overview.html.j2", {}))

    @app.get("/search", response_class=HTMLResponse)
    def search(request: Request, q: str | None = None, outlet: str | None = None, language: str | None = None,
               start: Annotated[str | None, Query(alias="from")] = None, end: Annotated[str | None, Query(alias="to")] = None,
               thesis: str | None = None, stance: str | None = None,
               page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1):
        filters = Filters(outlet or None, language or None, _day(start, "from"), _day(end, "to"),
                          thesis or None, stance if thesis and stance in STANCES else None)

        def make(dash: Reading) -> tuple[str, dict]:
            if filters.thesis and filters.thesis not in dash.thesis_by_id:
                raise missing("thesis", filters.thesis)
            index, current = dashboard.search_index()
            results = index.search(q, filters, PAGE_SIZE, (page_number - 1) * PAGE_SIZE)
            # the index may be a moment behind the store: a hit the store no longer has is left out
            dash.prime_hits(results.articles + results.claims)
            results.articles = [h for h in results.articles if h.article_id in dash.articles]
            results.claims = [h for h in results.claims if h.ref in dash.claims and h.article_id in dash.articles]
            pages = max(1, -(-max(results.article_total, results.claim_total) // PAGE_SIZE))
            return "search.html.j2", {"q": q or "", "filters": filters, "results": results, "page": page_number,
                                      "pages": pages, "languages": dash.languages, "stances": STANCES,
                                      "query_without_page": _query_without_page(request), "indexing": not current,
                                      "indexed": index.indexed_articles() if not current else None, "keep": current}

        return page(request, make)

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article(request: Request, article_id: str):
        def make(dash: Reading) -> tuple[str, dict]:
            found = dash.full_article(article_id)
            if found is None:
                raise missing("article", article_id)
            dash.prime_article(found)
            return "article.html.j2", {"a": found}

        return page(request, make)

    @app.get("/claims/{claim_id}", response_class=HTMLResponse)
    def claim(request: Request, claim_id: str):
        def make(dash: Reading) -> tuple[str, dict]:
            found = dash.claim_page_claim(claim_id)
            if found is None:
                raise missing("claim", claim_id)
            group = dash.group_by_id.get(dash.group_of.get(claim_id, ""))
            members = group.claims if group else [claim_id]
            return "claim.html.j2", {"c": found, "group": group,
                                     "appearances": dash.appearances(group) if group else [],
                                     "links": dash.group_links(members), "graph": provenance_graph(dash, group, claim_id)}

        return page(request, make)

    @app.get("/outlets/{name:path}", response_class=HTMLResponse)
    def outlet(request: Request, name: str, by_name: Annotated[str | None, Query(alias="name")] = None):
        name = name or by_name or ""  # see outlet_url: names of dots alone come as ?name=

        def make(dash: Reading) -> tuple[str, dict]:
            profile = dash.profile(name)
            if profile is None:
                raise missing("outlet", name)
            articles, total = dash.store.outlet_articles(name, OUTLET_ARTICLES)
            counts = dash.store.claim_counts([a.id for a in articles], dash.min_checkworthiness)
            return "outlet.html.j2", {"p": profile, "articles": articles, "total": total, "claim_counts": counts}

        return page(request, make)

    @app.get("/stories", response_class=HTMLResponse)
    def stories(request: Request, page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1):
        def make(dash: Reading) -> tuple[str, dict]:
            size = PAGE_SIZE * 5
            rows = dash.stories_by_size[(page_number - 1) * size : page_number * size]
            return "stories.html.j2", {"rows": rows, "page": page_number,
                                       "pages": max(1, -(-len(dash.stories_by_size) // size))}

        return page(request, make)

    @app.get("/stories/{story_id}", response_class=HTMLResponse)
    def story(request: Request, story_id: str):
        def make(dash: Reading) -> tuple[str, dict]:
            if story_id not in dash.story_by_id:
                raise missing("story", story_id)
            s = dash.story_by_id[story_id]
            timeline = dash.story_timeline(s)
            points = [{"t": a.published.isoformat(), "outlet": a.outlet or "(unknown outlet)", "title": a.title or a.id,
                       "href": f"/articles/{a.id}", "copy": bool(a.duplicate_of)} for a in timeline if a.published]
            contradictions, candidates = dash.story_contradictions(s)
            return "story.html.j2", {"s": s, "timeline": timeline, "timeline_json": points, "groups": dash.story_groups(s),
                                     "contradictions": contradictions, "candidates": candidates}

        return page(request, make)

    @app.get("/theses/{thesis_id}", response_class=HTMLResponse)
    def thesis(request: Request, thesis_id: str):
        def make(dash: Reading) -> tuple[str, dict]:
            if thesis_id not in dash.thesis_by_id:
                raise missing("thesis", thesis_id)
            return "thesis.html.j2", {"t": dash.thesis_by_id[thesis_id], "stances": dash.outlet_stances_of(thesis_id)}

        return page(request, make)

    app.add_middleware(KeptPages, dashboard=dashboard, threads=settings.web.render_threads)
    app.add_middleware(Guard, token=token, error=error)
    app.add_middleware(HeadAsGet)  # added last: runs first, so HEAD meets every rule GET meets
    return app


def page_key(scope) -> str:
    return scope["path"] + "?" + scope["query_string"].decode("latin-1")


class KeptPages:
    """Answers a GET for a page kept since the store last changed, before any routing.

    The same bytes the route would produce (see ``page``), for a fraction of the cost: under 20
    concurrent clients most of the overview, search, outlet and thesis requests are these.

    It also sets how many pages are made at once (``web.render_threads``: the routes run in
    threads, and one process runs one at a time). Fewer threads than requests make pages in turn
    instead of all together: the event loop, which answers kept pages and writes every response,
    is not left waiting behind twenty threads for the interpreter lock.
    """

    def __init__(self, app, dashboard: Dashboard, threads: int) -> None:
        self.app = app
        self.dashboard = dashboard
        self.threads: int | None = threads

    async def __call__(self, scope, receive, send) -> None:
        if self.threads is not None:  # the event loop's own limiter: set from inside the loop, once
            anyio.to_thread.current_default_thread_limiter().total_tokens = self.threads
            self.threads = None
        if scope["type"] == "http" and scope["method"] == "GET":
            body = self.dashboard.kept(page_key(scope))  # a changed store goes the routed way
            if body is not None:
                await send({"type": "http.response.start", "status": 200, "headers": [
                    (b"content-type", b"text/html; charset=utf-8"), (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def _day(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(400, f"{name}: {value!r} is not a date (YYYY-MM-DD)") from None


def _query_without_page(request: Request) -> str:
    from urllib.parse import urlencode

    return urlencode([(k, v) for k, v in request.query_params.multi_items() if k != "page"])


__all__ = ["Dashboard", "create_app", "environment", "outlet_url"]
