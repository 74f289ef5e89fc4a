"""`claimgraph serve`: the report's pages served live from the database, plus search.

`create_app(db)` returns a FastAPI app: the same pages and URLs as the static report
(index.html, article/<key>.html, ...), a search page that calls the JSON API under /api
(claimgraph.present.api, when installed), and the API's OpenAPI description at /openapi.json.
FastAPI's own /docs and /redoc pages are off: they load scripts from a CDN, which the
Content-Security-Policy (sent on every response) forbids.

The database is opened read-only. Its counts and lists (a `SiteModel`) are kept until the
database file changes (SQLite) or for `ttl` seconds (PostgreSQL); a page of records (an
article, a speaker's statements, a claim's members) is read per request with indexed queries,
and long lists come in pages (`siteviews.PAGE_SIZE` rows), so no request renders the corpus."""

from __future__ import annotations

import importlib.util
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..store import Store, open_store
from ..store.postgres import is_postgres_url
from . import siteviews as sv
from .report import render_page
from .site import CSP_HEADER, STATIC_FILES, static_bytes

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
CONTENT_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}


class SiteCache:
    """The site's read model (`SiteModel`: counts and lists, no text) for one database,
    rebuilt when the database changes. Pages that show records (an article, a speaker's
    statements, a claim's members) read them per request with indexed queries."""

    def __init__(self, db: str, *, ttl: float = 30.0, n_boot: int = 1000) -> None:
        self.db, self.ttl, self.n_boot = db, ttl, n_boot
        self._lock = threading.Lock()
        self._data: sv.SiteModel | None = None
        self._stamp: Any = None

    def _current_stamp(self) -> Any:
        if is_postgres_url(self.db):
            return int(time.monotonic() // self.ttl)
        stamp = []
        for suffix in ("", "-wal"):
            p = Path(self.db + suffix)
            stamp.append(p.stat().st_mtime_ns if p.exists() else None)
        return tuple(stamp)

    def get(self) -> sv.SiteModel:
        with self._lock:
            stamp = self._current_stamp()
            if self._data is None or stamp != self._stamp:
                with self.store() as store:
                    self._data = sv.SiteModel.build(store, n_boot=self.n_boot)
                self._stamp = stamp
            return self._data

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The database, read-only, for one request (a connection is not shared between
        the server's threads)."""
        store = open_store(self.db, readonly=True)
        try:
            yield store
        finally:
            store.close()


def _page(template: str, view: dict[str, Any] | None, *, depth: int, what: str) -> HTMLResponse:
    if view is None:
        html = render_page("notfound.html", {"what": what}, depth=depth, dynamic=True)
        return HTMLResponse(html, status_code=404)
    return HTMLResponse(render_page(template, view, depth=depth, dynamic=True))


def article_page(cache: SiteCache, key: str) -> dict[str, Any] | None:
    data = cache.get()
    i = data.article_by_key.get(key)
    if i is None:
        return None
    aid = data.articles[i].id
    with cache.store() as store:
        art = store.article_detail(aid)
    if art is None:
        return None
    statements, cues, terms = art.pop("statements"), art.pop("cues"), art.pop("terms")
    for s in statements:
        if s.get("speaker"):
            s["actor"] = data.actor_of(s["speaker"])
    art["sources"] = "; ".join(art.get("sources") or []) or None
    sv.decorate_article(art)
    return sv.article_view(sv.ArticleMembers.of(data, aid), art, statements, cues, terms)


def speaker_page(cache: SiteCache, name: str) -> dict[str, Any] | None:
    data = cache.get()
    parsed = sv.parse_page_name(name)
    if parsed is None or parsed[0] not in data.speaker_by_key:
        return None
    key, page = parsed
    if page > sv.n_pages(data.speakers[data.speaker_by_key[key]].n):
        return None
    with cache.store() as store:
        rows = store.statement_page(
            speaker=data.speaker_by_key[key],
            speaking=True,  # as counted (SiteModel.add_article): negated reports left out
            limit=sv.PAGE_SIZE,
            offset=(page - 1) * sv.PAGE_SIZE,
        )["items"]
    return sv.speaker_view(data, key, [sv.speaker_statement(data, s) for s in rows], page)


def claim_page(cache: SiteCache, name: str) -> dict[str, Any] | None:
    data = cache.get()
    parsed = sv.parse_page_name(name)
    if parsed is None or parsed[0] not in data.claim_by_key:
        return None
    key, page = parsed
    with cache.store() as store:
        claim_id = data.claim_by_key[key]["claim_id"]
        members = list(store.claim_members(claim_id, context=sv.CONTEXT_CHARS))
    return sv.claim_view(data, key, members, page)


def list_page(name: str, cache: SiteCache) -> tuple[str, dict[str, Any] | None]:
    """'speakers' or 'articles', page n of it as 'articles.p<n>'."""
    parsed = sv.parse_page_name(name)
    if parsed is None or parsed[0] not in ("speakers", "articles"):
        return "notfound.html", None
    base, page = parsed
    view_of = sv.speakers_index if base == "speakers" else sv.articles_index
    return f"{base}.html", view_of(cache.get(), page)


def create_app(db: str, *, n_boot: int = 1000) -> FastAPI:
    """The web UI for the database `db` (a SQLite path or a PostgreSQL URL), read-only."""
    app = FastAPI(
        title="claimgraph",
        description="Read-only access to a claimgraph database: search articles and statements.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db = db
    cache = SiteCache(db, n_boot=n_boot)
    app.state.site = cache
    if importlib.util.find_spec("claimgraph.present.api") is not None:
        from . import api

        app.include_router(api.router, prefix="/api")

    @app.exception_handler(StarletteHTTPException)
    async def not_found(request: Request, exc: StarletteHTTPException) -> Response:
        """An HTML page for a missing page; the API (and any other error) keeps JSON."""
        path = request.url.path
        if exc.status_code == 404 and not (path == "/api" or path.startswith("/api/")):
            return _page("notfound.html", None, depth=max(0, path.count("/") - 1), what="page")
        return await http_exception_handler(request, exc)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers.setdefault(k, v)
        return response

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/index.html")

    @app.get("/index.html", include_in_schema=False)
    def index() -> HTMLResponse:
        return _page("index.html", sv.overview(cache.get()), depth=0, what="page")

    @app.get("/outlets.html", include_in_schema=False)
    def outlets() -> HTMLResponse:
        return _page("outlets.html", sv.outlets_view(cache.get()), depth=0, what="page")

    @app.get("/claims.html", include_in_schema=False)
    def claims() -> HTMLResponse:
        return _page("claims.html", sv.claims_index(cache.get()), depth=0, what="page")

    @app.get("/search.html", include_in_schema=False)
    def search() -> HTMLResponse:
        return _page("search.html", {}, depth=0, what="page")

    @app.get("/speakers.html", include_in_schema=False)
    @app.get("/speakers.p{n}.html", include_in_schema=False)
    @app.get("/articles.html", include_in_schema=False)
    @app.get("/articles.p{n}.html", include_in_schema=False)
    def lists(request: Request) -> HTMLResponse:
        template, view = list_page(request.url.path[1:].removesuffix(".html"), cache)
        return _page(template, view, depth=0, what="page")

    @app.get("/article/{key}.html", include_in_schema=False)
    def article(key: str) -> HTMLResponse:
        return _page("article.html", article_page(cache, key), depth=1, what="article")

    @app.get("/speaker/{key}.html", include_in_schema=False)
    def speaker(key: str) -> HTMLResponse:
        return _page("speaker.html", speaker_page(cache, key), depth=1, what="speaker")

    @app.get("/claim/{key}.html", include_in_schema=False)
    def claim(key: str) -> HTMLResponse:
        return _page("claim.html", claim_page(cache, key), depth=1, what="claim")

    @app.get("/talking-point/{key}.html", include_in_schema=False)
    def talking_point(key: str) -> HTMLResponse:
        view = sv.talking_point_view(cache.get(), key)
        return _page("talking_point.html", view, depth=1, what="talking point")

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC_FILES:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(static_bytes(name), media_type=CONTENT_TYPES[Path(name).suffix])

    return app


def check_db(db: str) -> None:
    """Raise StoreError now (not at the first request) when `db` cannot be opened read-only."""
    open_store(db, readonly=True).close()


def serve(db: str, *, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web UI until interrupted."""
    import uvicorn

    check_db(db)
    uvicorn.run(create_app(db), host=host, port=port, log_level="info")
