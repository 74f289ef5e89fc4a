"""The JSON API under /api: faceted search over articles and statements, and read-only access
to articles, statements, outlets, speakers, topics, claims and the outlet comparison.

Mounted by `claimgraph.present.web.create_app` (prefix "/api"); the app's `state.db` names the
database (a SQLite path or a PostgreSQL URL). Each request borrows a read-only store from the
app's `store.pool.StorePool` and gives it back: on SQLite that opens the file and closes it
after, on PostgreSQL it lends one of a few open connections, to one request at a time (closed
when the app shuts down). Requests never share a connection at the same time, and a
concurrent `analyze` is seen one committed article at a time.

Bad parameters are client errors with a JSON `{"detail": ...}`: FastAPI's validation (422)
for types and ranges, 400 for combinations and filter lists, 404 for unknown ids, 503 when the
database cannot be opened. Nothing here reads files: path parameters are only ids.
"""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack, asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from pydantic import BaseModel

from ..errors import ClaimgraphError, StoreError
from ..link.actors import actor_of
from ..store import SearchQuery, Store
from ..store.pool import StorePool
from ..store.postgres import is_postgres_url
from ..store.query import QUERY_HELP, QueryError, parse_query
from .siteviews import article_href

_POOL_INIT = threading.Lock()


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Close the app's pooled connections when it shuts down."""
    try:
        yield
    finally:
        pool: StorePool | None = getattr(app.state, "store_pool", None)
        if pool is not None:
            pool.close()


router = APIRouter(tags=["claimgraph"], lifespan=_lifespan)

MAX_VALUES = 20  # values per facet filter
MAX_VALUE_CHARS = 300
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
COMPARE_CACHE_SIZE = 8

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Rows to skip.")]
Text = Annotated[str | None, Query(min_length=1, max_length=MAX_VALUE_CHARS)]
Values = Annotated[list[str], Query(description=f"Up to {MAX_VALUES} values, OR-ed.")]
Id = Annotated[str, PathParam(min_length=1, max_length=MAX_VALUE_CHARS)]


# -- response models (for the OpenAPI description) ---------------------------------------
class FacetValue(BaseModel):
    value: str | None
    count: int
    label: str | None = None


class Hit(BaseModel):
    kind: Literal["article", "statement"]
    article_id: str
    statement_id: str | None = None
    title: str | None
    source: str | None = None  # the article's first source (file, file#record or URL)
    label: str = ""  # the title, else the source's file name, else the id
    outlet: str | None
    published: str | None
    speaker: str | None
    actor: str | None = None  # the speaker's actor across the corpus (claimgraph.link.actors)
    snippet: str
    url: str


class SearchResult(BaseModel):
    total: int
    total_exact: bool
    facets_exact: bool
    partial: bool
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    searched: str = ""  # the query as read, with its spelling and plural variants
    suggestion: str | None = None  # with no hits, a looser query to try


# -- helpers ----------------------------------------------------------------------------
def _pool(request: Request) -> StorePool:
    """The app's store pool for its `state.db`, made at the first request (a new one, the
    old one closed, if `state.db` was changed since)."""
    db = getattr(request.app.state, "db", None)
    if db is None:
        raise HTTPException(503, "no database configured for this server")
    state = request.app.state
    with _POOL_INIT:
        pool: StorePool | None = getattr(state, "store_pool", None)
        if pool is None or pool.db != str(db):
            if pool is not None:
                pool.close()
            pool = state.store_pool = StorePool(db)
    return pool


@contextmanager
def read_store(request: Request) -> Iterator[Store]:
    """A read-only store lent to this request, given back after use. Borrowed inside the
    endpoint, in the thread that uses it: a SQLite connection belongs to one thread, and
    FastAPI runs a dependency and its endpoint in different worker threads."""
    with ExitStack() as stack:
        try:
            store = stack.enter_context(_pool(request).borrow())
        except StoreError as exc:
            raise HTTPException(503, str(exc)) from exc
        yield store


def _values(name: str, values: list[str]) -> tuple[str, ...]:
    """A facet filter's values: at most MAX_VALUES, each non-empty and bounded."""
    if len(values) > MAX_VALUES:
        raise HTTPException(400, f"{name}: at most {MAX_VALUES} values, got {len(values)}")
    for v in values:
        if not v or len(v) > MAX_VALUE_CHARS:
            raise HTTPException(400, f"{name}: each value must have 1 to {MAX_VALUE_CHARS} chars")
        _no_nul(name, v)
    return tuple(dict.fromkeys(values))


def _no_nul(name: str, value: str | None) -> str | None:
    """No stored name or id holds a NUL character (PostgreSQL text cannot): say so."""
    if value is not None and "\x00" in value:
        raise HTTPException(400, f"{name}: must not contain a NUL character")
    return value


def _dates(date_from: date | None, date_to: date | None) -> tuple[str | None, str | None]:
    if date_from and date_to and date_from > date_to:
        raise HTTPException(400, f"date_from {date_from} is after date_to {date_to}")
    return (
        date_from.isoformat() if date_from else None,
        date_to.isoformat() if date_to else None,
    )


def _check_query(q: str) -> None:
    """A query that cannot be read is a 400 saying what is wrong (`store.query`)."""
    try:
        parse_query(q)
    except QueryError as exc:
        raise HTTPException(400, f"q: {exc}") from exc


def hit_url(article_id: str, statement_id: str | None) -> str:
    """The hit's page in the web UI (same URLs as the static report)."""
    return "/" + article_href(article_id, statement_id)


def _with_actors(store: Store, rows: list[dict[str, Any]]) -> None:
    """Each row with a speaker gets its `actor` (`claimgraph.link.actors`)."""
    actors = store.actor_map() if rows else {}
    for r in rows:
        r["actor"] = actor_of(actors, r.get("speaker"))


# -- endpoints --------------------------------------------------------------------------
@router.get("/search", response_model=SearchResult)
def search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description=QUERY_HELP)] = "",
    kind: Literal["articles", "statements"] = "articles",
    outlet: Values = [],  # noqa: B006 - FastAPI copies defaults
    speaker: Values = [],  # noqa: B006
    claim: Values = [],  # noqa: B006
    stance: Annotated[list[Literal["affirm", "deny", "report"]], Query()] = [],  # noqa: B006
    cue_type: Values = [],  # noqa: B006
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Full-text search over articles or statements with facet counts over the result.

    Without `q`, every article (newest first) or statement matching the filters. Above
    500 hits the ranking, paging and facets cover the first 500 (`facets_exact` is
    false) and `total` is exact when it can be counted quickly (`total_exact`); a scan that
    runs out of time returns the hits found so far (`partial`, `total` a lower bound)."""
    dfrom, dto = _dates(date_from, date_to)
    _check_query(q)
    query = SearchQuery(
        q=q,
        kind=kind,
        outlet=_values("outlet", outlet),
        speaker=_values("speaker", speaker),
        claim=_values("claim", claim),
        stance=_values("stance", list(stance)),
        cue_type=_values("cue_type", cue_type),
        date_from=dfrom,
        date_to=dto,
        limit=limit,
        offset=offset,
    )
    with read_store(request) as store:
        result = store.faceted_search(query)
        _with_actors(store, result["hits"])
    for h in result["hits"]:
        h["url"] = hit_url(h["article_id"], h["statement_id"])
    return result


@router.get("/articles")
def articles(
    request: Request,
    outlet: Text = None,
    date_from: date | None = None,
    date_to: date | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Articles, newest first (undated last), with the total matching the filters."""
    dfrom, dto = _dates(date_from, date_to)
    _no_nul("outlet", outlet)
    with read_store(request) as store:
        page = store.article_page(
            outlet=outlet, date_from=dfrom, date_to=dto, limit=limit, offset=offset
        )
    for a in page["items"]:
        a["url"] = hit_url(a["id"], None)
    return {**page, "limit": limit, "offset": offset}


@router.get("/articles/{article_id}")
def article(
    request: Request,
    article_id: Id,
) -> dict[str, Any]:
    """One article with its text, sources, statements, cues and term uses."""
    if "\x00" in article_id:
        raise HTTPException(404, "no such article")
    with read_store(request) as store:
        found = store.article_detail(article_id)
        if found is not None:
            _with_actors(store, found["statements"])
    if found is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    found["url"] = hit_url(article_id, None)
    return found


@router.get("/statements")
def statements(
    request: Request,
    speaker: Text = None,
    outlet: Text = None,
    article_id: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Statements (quotes and reported speech) in stored order, with the total."""
    for name, value in (("speaker", speaker), ("outlet", outlet), ("article_id", article_id)):
        _no_nul(name, value)
    with read_store(request) as store:
        page = store.statement_page(
            speaker=speaker, outlet=outlet, article_id=article_id, limit=limit, offset=offset
        )
        _with_actors(store, page["items"])
    for s in page["items"]:
        s["url"] = hit_url(s["article_id"], s["id"])
    return {**page, "limit": limit, "offset": offset}


@router.get("/outlets")
def outlets(request: Request) -> dict[str, Any]:
    """Every outlet with its article and statement counts."""
    with read_store(request) as store:
        items = store.outlet_summary()
    return {"total": len(items), "items": items}


@router.get("/speakers")
def speakers(request: Request, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    """Speakers by number of statements."""
    with read_store(request) as store:
        page = store.speaker_summary(limit=limit, offset=offset)
    return {**page, "limit": limit, "offset": offset}


def _claims(store: Store) -> list[dict[str, Any]]:
    """The store's claims; none when the link step has not run (or is not installed)."""
    if not hasattr(store, "claims"):
        return []
    return list(store.claims())


def _topics(store: Store) -> list[dict[str, Any]]:
    """The store's topics, each with the ids of its claims (largest first); none before
    the link step has grouped the claims."""
    claims = _claims(store)
    if not claims or not hasattr(store, "topics"):
        return []
    ids: dict[str, list[str]] = {}
    for c in claims:
        if c.get("topic_id"):
            ids.setdefault(c["topic_id"], []).append(c["claim_id"])
    return [{**t, "claim_ids": ids.get(t["topic_id"], [])} for t in store.topics()]


@router.get("/topics")
def topics(request: Request) -> dict[str, Any]:
    """Topics (claims grouped by issue: "forced labor", "genocide"), largest first, each with
    its label, key terms, counts and the ids of its claims."""
    with read_store(request) as store:
        items = _topics(store)
    return {"total": len(items), "items": items}


@router.get("/topics/{topic_id}")
def topic(request: Request, topic_id: Id) -> dict[str, Any]:
    """One topic with its claims (as /claims lists them), largest first."""
    if "\x00" in topic_id:
        raise HTTPException(404, "no such topic")
    with read_store(request) as store:
        found = next((t for t in _topics(store) if t["topic_id"] == topic_id), None)
        claims = [c for c in _claims(store) if c.get("topic_id") == topic_id] if found else []
    if found is None:
        raise HTTPException(404, f"no topic with id {topic_id!r}")
    return {**found, "claims": claims}


@router.get("/claims")
def claims(request: Request) -> dict[str, Any]:
    """Claims (clusters of statements asserting or denying one proposition), largest first,
    each with its topic (topic_id, topic: its label; null before topics are assigned)."""
    with read_store(request) as store:
        items = _claims(store)
    return {"total": len(items), "items": items}


@router.get("/claims/{claim_id}")
def claim(request: Request, claim_id: Id) -> dict[str, Any]:
    """One claim with its members, each with its voice, speaker and stance."""
    if "\x00" in claim_id:
        raise HTTPException(404, "no such claim")
    with read_store(request) as store:
        found = next((c for c in _claims(store) if c["claim_id"] == claim_id), None)
        members = list(store.claim_members(claim_id)) if found else []
    if found is None:
        raise HTTPException(404, f"no claim with id {claim_id!r}")
    for m in members:
        m["url"] = hit_url(m["article_id"], m["statement_id"])
    return {**found, "members": members}


class _CompareCache:
    """compare() results per app, keyed by options and the database's state: the bootstrap
    over articles is slow, and the answer only changes when the database does."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.items: dict[tuple[Any, ...], dict[str, Any]] = {}


_CACHE_INIT = threading.Lock()


def _db_stamp(db: str) -> Any:
    """Changes when the database may have: file times for SQLite, 30 s for PostgreSQL."""
    if is_postgres_url(db):
        return int(time.monotonic() // 30)
    return tuple(
        p.stat().st_mtime_ns if p.exists() else None for p in (Path(db), Path(db + "-wal"))
    )


@router.get("/talking-points")
def talking_points(request: Request, count_wire_copies: bool = False) -> dict[str, Any]:
    """Talking points (claimgraph.analyze.talking_points): phrases one side's speakers repeat
    across articles, each with its first use, every use with its voice, and the outlets that
    carry it or adopt it in their own narration."""
    from ..analyze.talking_points import store_talking_points

    with read_store(request) as store:
        items = store_talking_points(store, count_wire_copies=count_wire_copies)
    return {"total": len(items), "items": items}


@router.get("/talking-points/{talking_point_id}")
def talking_point(request: Request, talking_point_id: Id) -> dict[str, Any]:
    """One talking point by its id, with every use."""
    from ..analyze.talking_points import store_talking_points

    with read_store(request) as store:
        items = store_talking_points(store)
    for tp in items:
        if tp["id"] == talking_point_id:
            return tp
    raise HTTPException(404, f"no talking point {talking_point_id!r}")


@router.get("/compare")
def compare_outlets(
    request: Request,
    outlet: Values = [],  # noqa: B006
    count_wire_copies: bool = False,
    n_boot: Annotated[int, Query(ge=0, le=2000, description="Bootstrap resamples.")] = 1000,
) -> dict[str, Any]:
    """The outlet comparison (claimgraph.analyze.compare.compare): voice shares, verbs, framing,
    terms, claims per outlet; wire copies and quote variants."""
    from ..analyze.compare import compare

    names = _values("outlet", outlet)
    with _CACHE_INIT:
        cache: _CompareCache | None = getattr(request.app.state, "api_compare_cache", None)
        if cache is None:
            cache = request.app.state.api_compare_cache = _CompareCache()
    key = (_db_stamp(str(request.app.state.db)), names, count_wire_copies, n_boot)
    with cache.lock:
        hit = cache.items.get(key)
    if hit is not None:
        return hit
    try:
        with read_store(request) as store:
            result = compare(
                store,
                outlets=list(names) or None,
                count_wire_copies=count_wire_copies,
                n_boot=n_boot,
            )
    except ClaimgraphError as exc:
        raise HTTPException(400, str(exc)) from exc
    with cache.lock:
        if len(cache.items) >= COMPARE_CACHE_SIZE:
            cache.items.pop(next(iter(cache.items)))
        cache.items[key] = result
    return result
