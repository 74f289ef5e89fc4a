"""The JSON API (claimgraph.present.api) on a real SQLite store built from ../shared/seeds by
the real `claimgraph analyze`: every endpoint, counts checked against the database with
independent SQL (or Python over the stored text), bad parameters (4xx with a JSON detail,
never 500), SQL and FTS injection strings, and every path of /openapi.json exercised."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.present.api import router
from conftest import (
    ACTOR_SQL,
    SEEDS_NEGATED,
    copy_store,
    invoke_cli,
    negated_statements,
    speaking_sql,
)
from pg_fixture import pg_server, pg_url  # noqa: F401

pytestmark = pytest.mark.seeds

INJECTIONS = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    'NEAR("china" "genocide", 2)',
    "NEAR(",
    '"',
    '"""',
    "*",
    "genocide*",
    "title:china",
    "text : genocide",
    "china AND OR NOT",
    ") OR (1=1",
    "-china",
    "^china",
    "\x00genocide",
    "%",
    "_",
    "\\",
    "{title text}: china",
    "' UNION SELECT text FROM articles --",
]


def make_app(db: str | Path) -> FastAPI:
    """What web.create_app does for the API: state.db and the router under /api."""
    app = FastAPI()
    app.state.db = str(db)
    app.include_router(router, prefix="/api")
    return app


@pytest.fixture(scope="module")
def db(tmp_path_factory, seeds_store) -> Path:
    return copy_store(seeds_store[0], tmp_path_factory.mktemp("api") / "seeds.db")


@pytest.fixture(scope="module")
def speaking(db) -> str:
    """The WHERE condition of the statements a speaker list counts (conftest.speaking_sql)."""
    return speaking_sql(db)


@pytest.fixture(scope="module")
def client(db) -> TestClient:
    with TestClient(make_app(db)) as c:
        yield c


@pytest.fixture(scope="module")
def sql(db):
    """Independent read-only access to the same database."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row

    def q(query: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        return conn.execute(query, params).fetchall()

    yield q
    conn.close()


def get(client: TestClient, url: str, params: Any = None, status: int = 200) -> Any:
    res = client.get(url, params=params)
    assert res.status_code == status, (url, params, res.text[:500])
    return res.json()


def assert_read_or_told_why(res: Any) -> None:
    """A query is answered, or refused with a 400 that says what is wrong with it (an
    unclosed quote, an unknown field, a lone operator), never a 500."""
    if res.status_code == 400:
        detail = res.json()["detail"]
        assert detail.startswith("q: ") and len(detail) > 20, detail
    else:
        assert res.status_code == 200, res.text


def words_match(word: str, *texts: str | None) -> bool:
    return any(re.search(rf"\b{re.escape(word)}\b", t or "", re.I) for t in texts)


# -- search: results equal what the database holds ---------------------------------------
def test_search_articles_total_and_hits_match_stored_text(client, sql):
    arts = sql("SELECT id, title, text, outlet FROM articles")
    want = {a["id"] for a in arts if words_match("genocide", a["title"], a["text"])}
    assert want  # the seeds are about the genocide charge
    data = get(client, "/api/search", {"q": "genocide", "limit": 200})
    assert data["total"] == len(want) and data["total_exact"] and not data["partial"]
    assert {h["article_id"] for h in data["hits"]} == want
    for h in data["hits"]:
        assert h["kind"] == "article" and h["statement_id"] is None
        assert h["url"] == f"/article/{h['article_id']}.html"
        assert "genocide" in h["snippet"].lower()
    outlets = Counter(a["outlet"] for a in arts if a["id"] in want and a["outlet"])
    assert {f["value"]: f["count"] for f in data["facets"]["outlet"]} == dict(outlets)


def test_search_two_words_and_phrase(client, sql):
    arts = sql("SELECT id, title, text FROM articles")
    both = {
        a["id"]
        for a in arts
        if words_match("human", a["text"]) and words_match("rights", a["text"])
    }
    assert get(client, "/api/search", {"q": "human rights"})["total"] == len(both)
    phrase = {a["id"] for a in arts if re.search(r"\bhuman\s+rights\b", a["text"], re.I)}
    assert get(client, "/api/search", {"q": '"human rights"'})["total"] == len(phrase)
    assert 0 < len(phrase) <= len(both)


def test_search_statements_by_speaker_equals_database(client, sql, speaking):
    n = sql("SELECT count(*) FROM statements WHERE speaker = 'Wang Wenbin'")[0][0]
    said = sql(f"SELECT count(*) FROM statements WHERE speaker = 'Wang Wenbin' AND {speaking}")
    assert n == said[0][0] + 1 > 1  # "Wang Wenbin did not disclose the names …": not said
    data = get(
        client, "/api/search", {"kind": "statements", "speaker": "Wang Wenbin", "limit": 200}
    )
    assert data["total"] == n and len(data["hits"]) == n
    assert {h["speaker"] for h in data["hits"]} == {"Wang Wenbin"}
    assert data["facets"]["speaker"] == [{"value": "Wang Wenbin", "count": n - 1, "label": None}]
    by_outlet = sql(
        "SELECT a.outlet, count(*) FROM statements s JOIN articles a ON a.id = s.article_id"
        " WHERE s.speaker = 'Wang Wenbin' AND a.outlet IS NOT NULL GROUP BY 1"
    )
    assert {f["value"]: f["count"] for f in data["facets"]["outlet"]} == {
        r[0]: r[1] for r in by_outlet
    }
    for h in data["hits"]:
        assert h["kind"] == "statement"
        assert h["url"] == f"/article/{h['article_id']}.html#{h['statement_id'].split(':')[-1]}"


def test_search_statements_text_query(client, sql):
    rows = sql("SELECT id, speaker, text FROM statements")
    want = {r["id"] for r in rows if words_match("genocide", r["speaker"], r["text"])}
    data = get(client, "/api/search", {"q": "genocide", "kind": "statements", "limit": 200})
    assert {h["statement_id"] for h in data["hits"]} == want and data["total"] == len(want)


def test_search_without_query_lists_everything_with_facets(client, sql, speaking):
    data = get(client, "/api/search", {"limit": 200})
    assert data["total"] == sql("SELECT count(*) FROM articles")[0][0]
    cue_articles = sql("SELECT type, count(DISTINCT article_id) FROM cues GROUP BY type")
    got = {f["value"]: f["count"] for f in data["facets"]["cue_type"]}
    assert got == {r[0]: r[1] for r in cue_articles}
    per_speaker = Counter(
        r[0]
        for r in sql(f"SELECT DISTINCT {ACTOR_SQL}, article_id FROM statements WHERE {speaking}")
    )
    facet = data["facets"]["speaker"]
    assert len(facet) == min(20, len(per_speaker))  # the top 20
    assert [(f["value"], f["count"]) for f in facet] == sorted(
        per_speaker.items(), key=lambda kv: (-kv[1], kv[0])
    )[:20]
    st = get(client, "/api/search", {"kind": "statements", "limit": 1})
    assert st["total"] == sql("SELECT count(*) FROM statements")[0][0]


def test_search_cue_type_filter_on_statements(client, sql):
    want = sql(
        "SELECT count(DISTINCT statement_id) FROM cues WHERE type = 'scare_quote'"
        " AND statement_id IS NOT NULL"
    )[0][0]
    data = get(client, "/api/search", {"kind": "statements", "cue_type": "scare_quote"})
    assert data["total"] == want
    facet = {f["value"]: f["count"] for f in data["facets"]["cue_type"]}
    assert facet["scare_quote"] == want


def test_search_filters_combine_and_values_or(client, sql):
    outlets = [r[0] for r in sql("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")]
    assert len(outlets) >= 2
    one = get(client, "/api/search", {"outlet": outlets[0]})["total"]
    two = get(client, "/api/search", {"outlet": outlets[:2]})["total"]
    n1 = sql("SELECT count(*) FROM articles WHERE outlet = ?", (outlets[0],))[0][0]
    n2 = sql("SELECT count(*) FROM articles WHERE outlet IN (?, ?)", tuple(outlets[:2]))[0][0]
    assert (one, two) == (n1, n2)
    both = get(client, "/api/search", {"outlet": outlets[0], "speaker": "Wang Wenbin"})
    want = sql(
        "SELECT count(*) FROM articles a WHERE a.outlet = ? AND EXISTS (SELECT 1 FROM"
        " statements s WHERE s.article_id = a.id AND s.speaker = 'Wang Wenbin')",
        (outlets[0],),
    )[0][0]
    assert both["total"] == want


def test_search_date_range(client, sql):
    dated = sql("SELECT id, published FROM articles WHERE published IS NOT NULL")
    assert dated
    aid, day = dated[0]["id"], dated[0]["published"][:10]
    same_day = {r["id"] for r in dated if r["published"][:10] == day}
    data = get(client, "/api/search", {"date_from": day, "date_to": day})
    assert {h["article_id"] for h in data["hits"]} == same_day and aid in same_day
    before = get(client, "/api/search", {"date_to": "1990-01-01"})
    assert before["total"] == 0 and before["hits"] == []


def test_search_paging_covers_every_hit_once(client, sql):
    total = sql("SELECT count(*) FROM statements")[0][0]
    seen: list[str] = []
    for offset in range(0, total, 7):
        page = get(client, "/api/search", {"kind": "statements", "limit": 7, "offset": offset})
        seen += [h["statement_id"] for h in page["hits"]]
    assert len(seen) == total == len(set(seen))


def test_claim_and_stance_filters_with_or_without_claims(client, sql):
    members = sql("SELECT claim_id, stance, article_id FROM claim_members")
    data = get(client, "/api/search", {"stance": "deny"})
    assert data["total"] == len({m["article_id"] for m in members if m["stance"] == "deny"})
    assert get(client, "/api/search", {"claim": "no-such-claim"})["total"] == 0


# -- bad parameters: 4xx with a JSON detail, never 500 ------------------------------------
BAD_SEARCH = [
    ({"limit": 0}, 422),
    ({"limit": 201}, 422),
    ({"limit": "ten"}, 422),
    ({"offset": -1}, 422),
    ({"kind": "users"}, 422),
    ({"date_from": "2021-02-30"}, 422),
    ({"date_to": "yesterday"}, 422),
    ({"date_from": "2022-01-01", "date_to": "2021-01-01"}, 400),
    ({"stance": "maybe"}, 422),
    ({"q": "x" * 501}, 422),
    ({"outlet": [f"o{i}" for i in range(21)]}, 400),
    ({"speaker": ""}, 400),
    ({"cue_type": "x" * 301}, 400),
]


@pytest.mark.parametrize(("params", "status"), BAD_SEARCH, ids=[str(p)[:40] for p, _ in BAD_SEARCH])
def test_search_bad_parameters(client, params, status):
    body = get(client, "/api/search", params, status=status)
    assert body["detail"]


@pytest.mark.parametrize("text", INJECTIONS, ids=range(len(INJECTIONS)))
def test_injection_strings_are_searched_as_text(client, sql, text):
    before = sql("SELECT count(*) FROM articles")[0][0]
    for kind in ("articles", "statements"):
        res = client.get("/api/search", params={"q": text, "kind": kind})
        assert_read_or_told_why(res)
        words = re.findall(r"\w+", text)
        if not words and res.status_code == 200:
            assert res.json()["total"] == 0
        for facet in ("outlet", "speaker", "claim", "cue_type"):
            res = client.get("/api/search", params={facet: text, "kind": kind})
            if "\x00" in text:
                assert res.status_code == 400 and "NUL" in res.json()["detail"]
            else:
                assert res.status_code == 200 and res.json()["total"] == 0  # no such value
    for url in ("/api/articles", "/api/statements"):
        res = client.get(url, params={"outlet": text})
        assert res.status_code == (400 if "\x00" in text else 200), res.text
    assert sql("SELECT count(*) FROM articles")[0][0] == before


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=st.text(max_size=40), kind=st.sampled_from(["articles", "statements"]))
def test_any_text_query_is_answered(client, q, kind):
    res = client.get("/api/search", params={"q": q, "kind": kind, "limit": 5})
    assert_read_or_told_why(res)
    if res.status_code == 200:
        data = res.json()
        assert data["total"] >= len(data["hits"])


# -- the other endpoints -------------------------------------------------------------------
def test_articles_list_counts(client, sql):
    data = get(client, "/api/articles", {"limit": 200})
    assert data["total"] == len(data["items"]) == sql("SELECT count(*) FROM articles")[0][0]
    n_st = dict(sql("SELECT article_id, count(*) FROM statements GROUP BY 1"))
    for a in data["items"]:
        assert a["n_statements"] == n_st.get(a["id"], 0)
    dated = [a["published"] for a in data["items"] if a["published"]]
    assert dated == sorted(dated, reverse=True)
    assert all(a["published"] for a in data["items"][: len(dated)])  # undated last
    outlet = data["items"][0]["outlet"]
    only = get(client, "/api/articles", {"outlet": outlet})
    assert only["total"] == sql("SELECT count(*) FROM articles WHERE outlet = ?", (outlet,))[0][0]
    page2 = get(client, "/api/articles", {"limit": 2, "offset": 2})
    assert [a["id"] for a in page2["items"]] == [a["id"] for a in data["items"][2:4]]


def test_article_detail_is_complete(client, sql):
    for (aid,) in sql("SELECT id FROM articles"):
        art = get(client, f"/api/articles/{aid}")
        assert art["id"] == aid
        assert art["text"] == sql("SELECT text FROM articles WHERE id = ?", (aid,))[0][0]
        for key, table in (("statements", "statements"), ("cues", "cues"), ("terms", "term_uses")):
            n = sql(f"SELECT count(*) FROM {table} WHERE article_id = ?", (aid,))[0][0]
            assert len(art[key]) == n, key
        assert [s["idx"] for s in art["statements"]] == list(range(len(art["statements"])))
        assert art["sources"]


@pytest.mark.parametrize(
    "path",
    [
        "nope",
        "..%2F..%2Fetc%2Fpasswd",
        "%2Fetc%2Fpasswd",
        "....//....//etc/passwd",
        "x" * 301,
        "%00",
        "'%20OR%20'1'='1",
    ],
)
def test_unknown_or_hostile_ids_are_404(client, path):
    for base in ("/api/articles/", "/api/claims/"):
        res = client.get(base + path)
        assert res.status_code in (404, 422), (path, res.status_code)
        assert "root:" not in res.text
        assert res.json()["detail"]


def test_statements_endpoint_counts(client, sql):
    n = sql("SELECT count(*) FROM statements WHERE speaker = 'Wang Wenbin'")[0][0]
    data = get(client, "/api/statements", {"speaker": "Wang Wenbin", "limit": 200})
    assert data["total"] == len(data["items"]) == n
    aid = data["items"][0]["article_id"]
    per_article = get(client, "/api/statements", {"article_id": aid, "limit": 200})
    want = sql("SELECT count(*) FROM statements WHERE article_id = ?", (aid,))[0][0]
    assert per_article["total"] == want
    assert [s["idx"] for s in per_article["items"]] == list(range(want))
    outlet = data["items"][0]["outlet"]
    by_outlet = get(client, "/api/statements", {"outlet": outlet})
    assert (
        by_outlet["total"]
        == sql(
            "SELECT count(*) FROM statements s JOIN articles a ON a.id = s.article_id"
            " WHERE a.outlet = ?",
            (outlet,),
        )[0][0]
    )
    assert get(client, "/api/statements", {"speaker": "Nobody Here"})["total"] == 0


def test_outlets_and_speakers(client, sql, speaking):
    data = get(client, "/api/outlets")
    want = dict(sql("SELECT outlet, count(*) FROM articles WHERE outlet IS NOT NULL GROUP BY 1"))
    assert {o["name"]: o["n_articles"] for o in data["items"]} == want
    # CNSNews (004) and the unnamed Chinese outlet (003): two rows, each found by its label
    unnamed = sorted(o["name"] for o in data["items"] if o["name"].startswith("unnamed source: "))
    assert unnamed == [
        "unnamed source: 003_898df97521179f3e.txt",
        "unnamed source: 004_b7eb989937ca4d7c.txt",
    ]
    for name in unnamed:
        n = sql(
            "SELECT count(*) FROM statements s JOIN articles a ON a.id = s.article_id"
            " WHERE a.id IN (SELECT article_id FROM article_sources WHERE source LIKE ?)",
            ("%" + name.removeprefix("unnamed source: "),),
        )[0][0]
        assert n > 0
        assert get(client, "/api/statements", {"outlet": name})["total"] == n
        assert get(client, "/api/articles", {"outlet": name})["total"] == 1
    sp = get(client, "/api/speakers", {"limit": 200})
    want_sp = dict(
        sql(f"SELECT {ACTOR_SQL} AS a, count(*) FROM statements WHERE {speaking} GROUP BY a")
    )
    assert {s["name"]: s["n_statements"] for s in sp["items"]} == want_sp
    # the seeds name the US State Department with and without its state: one actor
    assert "US State Department" in want_sp and "State Department" not in want_sp
    assert sp["total"] == len(want_sp)
    assert sp["items"][0]["name"] == "Wang Wenbin"


def test_claims_endpoints_match_database(client, sql):
    claims = sql("SELECT claim_id FROM claims")
    data = get(client, "/api/claims")
    assert data["total"] == len(claims) == len(data["items"])
    for (cid,) in claims:
        one = get(client, f"/api/claims/{cid}")
        n = sql("SELECT count(*) FROM claim_members WHERE claim_id = ?", (cid,))[0][0]
        assert len(one["members"]) == n
    get(client, "/api/claims/not-a-claim", status=404)


def test_compare_wraps_the_library_and_caches(client, sql):
    a = get(client, "/api/compare", {"n_boot": 20})
    outlets = {r[0] for r in sql("SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL")}
    assert outlets <= {o["outlet"] for o in a["outlets"]}
    assert a == get(client, "/api/compare", {"n_boot": 20})
    one = sorted(outlets)[0]
    only = get(client, "/api/compare", {"n_boot": 20, "outlet": one})
    assert [o["outlet"] for o in only["outlets"]] == [one]
    assert "unknown outlet" in get(client, "/api/compare", {"outlet": "Nope"}, status=400)["detail"]
    get(client, "/api/compare", {"n_boot": -1}, status=422)


def test_missing_database_is_503_not_500(tmp_path):
    with TestClient(make_app(tmp_path / "absent.db")) as c:
        res = c.get("/api/search", params={"q": "x"})
        assert res.status_code == 503 and "not found" in res.json()["detail"]


def test_api_never_writes(client, db):
    before = (db.stat().st_mtime_ns, db.stat().st_size)
    for url in ("/api/search?q=china", "/api/articles", "/api/outlets", "/api/speakers"):
        get(client, url)
    assert (db.stat().st_mtime_ns, db.stat().st_size) == before


# -- the OpenAPI description: every path is exercised, good and bad -----------------------
def _good_path_params(sql) -> dict[str, str]:
    claim = sql("SELECT claim_id FROM claims LIMIT 1")
    topic = sql("SELECT topic_id FROM topics LIMIT 1")  # once the link step grouped claims
    return {
        "article_id": sql("SELECT id FROM articles LIMIT 1")[0][0],
        "claim_id": claim[0][0] if claim else "",
        "topic_id": topic[0][0] if topic else "",
    }


def _bad_value(schema: dict[str, Any]) -> str | None:
    """A value the parameter's schema rejects, or None when any string is allowed."""
    options = schema.get("anyOf", [schema])
    kinds = {o.get("type") for o in options}
    if "integer" in kinds or "boolean" in kinds:
        return "not-a-number"
    if any(o.get("format") == "date" for o in options):
        return "2021-02-30"
    if any("enum" in o or "const" in o for o in options):
        return "no-such-choice"
    if schema.get("type") == "array":
        items = schema.get("items", {})
        return _bad_value(items) if items.get("enum") else None
    limits = [o["maxLength"] for o in options if "maxLength" in o]
    return "x" * (limits[0] + 1) if limits else None


def test_every_openapi_path_answers_good_and_rejects_bad(client, sql):
    spec = get(client, "/openapi.json")
    good = _good_path_params(sql)
    paths = spec["paths"]
    assert {p for p in paths if p.startswith("/api/")} == {
        "/api/search",
        "/api/articles",
        "/api/articles/{article_id}",
        "/api/statements",
        "/api/outlets",
        "/api/speakers",
        "/api/claims",
        "/api/claims/{claim_id}",
        "/api/topics",
        "/api/topics/{topic_id}",
        "/api/compare",
        "/api/talking-points",
        "/api/talking-points/{talking_point_id}",
    }
    good["talking_point_id"] = get(client, "/api/talking-points")["items"][0]["id"]
    checked_bad = 0
    for path, ops in paths.items():
        op = ops["get"]
        url = path
        for name, value in good.items():
            url = url.replace("{" + name + "}", value)
        extra = {"n_boot": 10} if path == "/api/compare" else {}
        empty = [k for k in ("claim_id", "topic_id") if "{" + k + "}" in path and not good[k]]
        if empty:  # no claims or topics yet
            get(client, path.replace("{" + empty[0] + "}", "none"), status=404)
        else:
            get(client, url, extra)
        for prm in op.get("parameters", []):
            bad = _bad_value(prm["schema"])
            if bad is None:
                continue
            if prm["in"] == "path":
                res = client.get(path.replace("{" + prm["name"] + "}", bad))
            else:
                res = client.get(url, params={**extra, prm["name"]: bad})
            assert 400 <= res.status_code < 500, (path, prm["name"], res.status_code)
            assert res.json()["detail"]
            checked_bad += 1
    assert checked_bad >= 20


# -- the PostgreSQL backend answers like SQLite ---------------------------------------------
BOTH = [
    {"q": "genocide"},
    {"q": "genocide", "kind": "statements"},
    {"q": "xinjiang china"},
    {"q": '"human rights"'},
    {"kind": "statements", "speaker": "Wang Wenbin"},
    {"cue_type": "scare_quote"},
    {"kind": "statements", "cue_type": "scare_quote"},
    {"date_from": "2021-01-01", "date_to": "2021-12-31"},
    {"stance": "deny"},
    {},
    {"kind": "statements"},
    # the query syntax (issue #27): both backends read and fold it alike
    {"q": "Hussain OR Anayat"},
    {"q": "Uighur"},
    {"q": '"training centers"'},
    {"q": "genoc*"},
    {"q": "genoc*", "kind": "statements"},
    {"q": "xinjiang -genocide"},
    {"q": '(camps OR "training centers") outlet:"press tv"'},
    {"q": "speaker:Wang", "kind": "statements"},
]


def _facets(data: dict[str, Any]) -> dict[str, Any]:
    """Facet counts comparable across backends (ties at the top-N cut may differ)."""
    out: dict[str, Any] = {}
    for name, values in data["facets"].items():
        pairs = [(f["value"], f["count"]) for f in values]
        out[name] = sorted(pairs) if len(pairs) < 20 else sorted(c for _, c in pairs)
    return out


@pytest.mark.slow
def test_postgres_backend_answers_like_sqlite(client, pg_url, seeds_dir):  # noqa: F811
    res = invoke_cli("analyze", str(seeds_dir), "--db", pg_url, "-q")
    assert res.returncode == 0, res.stderr.decode()
    with TestClient(make_app(pg_url)) as pg:
        for params in BOTH:
            a = get(client, "/api/search", {**params, "limit": 200})
            b = get(pg, "/api/search", {**params, "limit": 200})
            assert b["total"] == a["total"], params
            key = "statement_id" if params.get("kind") == "statements" else "article_id"
            assert sorted(h[key] for h in b["hits"]) == sorted(h[key] for h in a["hits"])
            assert _facets(b) == _facets(a), params
            if params.get("q"):
                assert all(h["snippet"] for h in b["hits"])
        for text in INJECTIONS:
            for kind in ("articles", "statements"):
                r = pg.get("/api/search", params={"q": text, "kind": kind})
                a = client.get("/api/search", params={"q": text, "kind": kind})
                assert_read_or_told_why(r)
                assert (r.status_code, r.json().get("total")) == (
                    a.status_code,
                    a.json().get("total"),
                ), text
                r = pg.get("/api/search", params={"q": text, "kind": kind, "speaker": text})
                bad = "\x00" in text or a.status_code == 400  # a NUL, or a query told why
                assert r.status_code == (400 if bad else 200), (text, r.text[:300])
            for path in ("/api/articles/", "/api/claims/"):
                assert pg.get(path + quote(text, safe="")).status_code in (404, 422), text
        for url in ("/api/articles", "/api/outlets", "/api/speakers", "/api/claims"):
            assert (
                get(pg, url, {"limit": 200} if "articles" in url else None)["total"]
                == get(client, url, {"limit": 200} if "articles" in url else None)["total"]
            )
        listed = get(pg, "/api/articles", {"limit": 200})["items"]
        for art in listed:
            one = get(pg, f"/api/articles/{art['id']}")
            assert len(one["statements"]) == art["n_statements"]
            assert "fts" not in one
        dated = [a["published"] for a in listed if a["published"]]
        assert [a["published"] for a in listed][: len(dated)] == dated  # undated last
        get(pg, "/api/articles/nope", status=404)
        st = get(pg, "/api/statements", {"speaker": "Wang Wenbin", "limit": 200})
        assert st["total"] == get(client, "/api/statements", {"speaker": "Wang Wenbin"})["total"]
        get(pg, "/api/search", {"limit": 0}, status=422)


def test_talking_points_list_and_one_with_uses_traced_to_the_text(client, sql):
    listing = get(client, "/api/talking-points")
    assert listing["total"] == len(listing["items"]) > 0
    (tp,) = [t for t in listing["items"] if t["phrase"] == "lies and rumors"]
    one = get(client, f"/api/talking-points/{tp['id']}")
    assert one == tp and one["camp"] == "China"
    for u in one["uses"]:
        text = sql("SELECT text FROM articles WHERE id = ?", (u["article_id"],))[0][0]
        assert text[u["start"] : u["end"]] == u["text"]
        if u["voice"] == "speaker":
            st = sql("SELECT speaker FROM statements WHERE id = ?", (u["statement_id"],))[0][0]
            assert st == u["speaker"]
    # the comparison carries the same talking points
    assert tp["id"] in {
        t["id"] for t in get(client, "/api/compare", {"n_boot": 20})["talking_points"]
    }
    get(client, "/api/talking-points/nope", status=404)


def test_article_cues_carry_their_voice_and_speaker(client, sql):
    aid = "90c4dc05973612a7"  # ANI: the scare quotes are Wang's, inside his quote
    art = get(client, f"/api/articles/{aid}")
    quotes = [c for c in art["cues"] if c["type"] == "scare_quote"]
    assert quotes and {c["voice"] for c in quotes} == {"speaker"}
    for c in quotes:
        want = sql("SELECT speaker FROM statements WHERE id = ?", (c["statement_id"],))[0][0]
        assert c["speaker"] == want


def test_untitled_articles_go_by_their_file_name(client, sql):
    """An article without a title is listed under its file's name, never its hex id."""
    items = get(client, "/api/articles", {"limit": 50})["items"]
    untitled = {a["id"] for a in items if not a["title"]}
    assert len(untitled) == len(sql("SELECT id FROM articles WHERE title IS NULL")) == 2
    for a in items:
        source = sql(
            "SELECT source FROM article_sources WHERE article_id = ? ORDER BY added_at LIMIT 1",
            (a["id"],),
        )[0][0]
        want = a["title"] or Path(source).name
        assert a["label"] == want and a["id"] not in a["label"]
        assert get(client, f"/api/articles/{a['id']}")["label"] == want
    assert sorted(a["label"] for a in items if a["id"] in untitled) == [
        "000_7c2f18589a300ee4.txt",
        "003_898df97521179f3e.txt",
    ]


def test_a_negated_report_is_nobody_s_voice_in_speaker_lists_and_facets(db, sql, speaking):
    """seeds/004: "Her end-of-visit statement did not call out the mass-scale rights abuses
    …" (Michelle Bachelet's) stays stored, found by its words and shown on its article's page,
    but no speaker list or facet counts it (the API, the web UI's speakers page, the search
    facets, the CLI summary); nor Wang Wenbin's "did not disclose …" among his statements
    (his speaker page included)."""
    from markupsafe import escape

    from claimgraph.present.site.urls import article_href, speaker_href
    from claimgraph.present.web import create_app

    her, words = "Michelle Bachelet's end-of-visit statement", "end-of-visit statement"
    negated = negated_statements(db)
    assert set(negated.values()) == SEEDS_NEGATED
    (not_said,) = [i for i, (who, _) in negated.items() if who == "Wang Wenbin"]
    not_said_text = sql("SELECT text FROM statements WHERE id = ?", (not_said,))[0][0]
    wang = sql(f"SELECT count(*) FROM statements WHERE speaker = 'Wang Wenbin' AND {speaking}")
    with TestClient(create_app(str(db), n_boot=20)) as web:
        listed = get(web, "/api/speakers", {"limit": 200})["items"]
        counts = {s["name"]: s["n_statements"] for s in listed}
        assert her not in counts and counts["Wang Wenbin"] == wang[0][0]
        found = get(web, "/api/search", {"q": "mass-scale", "kind": "statements"})
        assert [h["speaker"] for h in found["hits"]] == [her]
        assert found["facets"]["speaker"] == []
        article = get(web, "/api/search", {"q": "end-of-visit", "limit": 200})
        assert len(article["hits"]) == 1
        aid = article["hits"][0]["article_id"]
        facet = {f["value"] for f in article["facets"]["speaker"]}
        in_article = sql(
            f"SELECT DISTINCT {ACTOR_SQL} FROM statements WHERE article_id = ? AND {speaking}",
            (aid,),
        )
        assert facet == {r[0] for r in in_article} and her not in facet and len(facet) > 3
        page = web.get("/speakers.html").text
        assert words not in page and ">Wang Wenbin</a>" in page
        wang_page = web.get("/" + speaker_href("Wang Wenbin")).text
        assert f'<span id="n-statements">{wang[0][0]}</span>' in wang_page
        assert wang_page.count('<tr class="statement">') == wang[0][0]
        assert not_said_text[:60] not in wang_page
        art = web.get("/" + article_href(aid)).text
        assert f"<td>{escape(her)}<" in art  # named, not linked to a page it is not on
        assert f"{escape(her)}</a>" not in art and 'class="small negated"' in art
    res = invoke_cli("summary", "--db", str(db), "--out", "-")
    assert res.returncode == 0, res.stderr.decode()
    html = res.stdout.decode()
    speakers_table = html.split("<h2>Speakers</h2>", 1)[1].split("<h2>", 1)[0]
    assert words not in speakers_table and "Wang Wenbin" in speakers_table
    assert words in html  # still listed with its article's statements, marked negated
