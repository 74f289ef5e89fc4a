"""The PostgreSQL store against a real server: the behaviours of tests/test_store.py, clear
connection errors, read-only opens, and parity with SQLite (same records in, same rows out,
in the same order). The server comes from tests/pg_fixture.py."""

from __future__ import annotations

import itertools
import json
import socket
import threading
from urllib.parse import urlsplit

import pytest

from claimgraph.errors import StoreError
from claimgraph.extract.records import Cue, Extraction, Statement, TermUse
from claimgraph.ingest.base import GIVEN_OUTLETS, GIVEN_RECORD, INFERRED_TEXT, Meta, RawArticle
from claimgraph.store import PostgresStore, SearchQuery, SQLiteStore, open_store
from claimgraph.store.base import TABLES
from claimgraph.store.schema import load_migrations
from conftest import CORPUS, invoke_cli

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures
psycopg = pytest.importorskip("psycopg")


def _raw(text: str, source: str = "a.txt", outlet: str | None = "Daily Example") -> RawArticle:
    meta = {"title": Meta("A title", GIVEN_RECORD)}
    if outlet:
        meta["outlet"] = Meta(outlet, INFERRED_TEXT)
    return RawArticle(source=source, text=text, fmt="txt", meta=meta)


def _extraction() -> Extraction:
    st = Statement(kind="direct", start=1, end=10, text="hello all", speaker="Ann Lee", cue="said")
    return Extraction(
        statements=[st],
        cues=[Cue(type="so_called", start=0, end=5, text="so-ca", statement_index=0)],
        terms=[
            TermUse(term="camps", variant="camp", start=2, end=6, voice="quoted", statement_index=0)
        ],
    )


@pytest.fixture
def store(pg_url):
    s = open_store(pg_url)
    yield s
    s.close()


# -- the behaviours of tests/test_store.py ------------------------------------------------


def test_migrations_are_recorded_once(pg_url):
    open_store(pg_url).close()
    store = open_store(pg_url)  # reopening applies nothing twice
    assert store.schema_versions() == [m.version for m in load_migrations("postgres")]
    assert store.schema_versions()[0] == 1
    with store.transaction() as conn:
        names = [r["name"] for r in conn.execute("SELECT name FROM schema_migrations")]
    assert names == [m.name for m in load_migrations("postgres")]
    store.close()


def _sqlite_schema(path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """({table: columns in order}, {index: table}) of the indexes made by CREATE INDEX."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        tables = {t: [r[1] for r in conn.execute(f"PRAGMA table_info('{t}')")] for t in names}
        indexes = dict(
            conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='index' AND sql > ''")
        )
    return tables, indexes


def _pg_schema(url) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The same of a PostgreSQL database (indexes that back a key or constraint left out)."""
    with psycopg.connect(url) as conn:
        tables: dict[str, list[str]] = {}
        for table, column in conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"
        ):
            tables.setdefault(table, []).append(column)
        indexes = dict(
            conn.execute(
                "SELECT i.relname, t.relname FROM pg_index x JOIN pg_class i ON i.oid=x.indexrelid"
                " JOIN pg_class t ON t.oid=x.indrelid WHERE t.relnamespace = current_schema()::regnamespace"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
            )
        )
    return tables, indexes


def test_both_backends_end_with_the_same_schema(pg_url, tmp_path):
    """Tables, their columns in order, and indexes, by name, once every migration has run.
    Full-text search is all that differs: FTS5 tables (and the shadow tables FTS5 makes) on
    SQLite, a generated `fts` column with a GIN index of the same name on PostgreSQL."""
    open_store(tmp_path / "s.db").close()
    open_store(pg_url).close()
    (lite_tables, lite_indexes), (pg_tables, pg_indexes) = (
        _sqlite_schema(tmp_path / "s.db"),
        _pg_schema(pg_url),
    )
    fts5 = {
        f"{t}_fts{part}"
        for t in ("articles", "statements")
        for part in ("", "_data", "_idx", "_content", "_docsize", "_config")
    }
    assert fts5 <= lite_tables.keys()
    for table in ("articles", "statements"):
        assert pg_tables[table].count("fts") == 1
        pg_tables[table].remove("fts")
        assert pg_indexes.pop(f"{table}_fts") == table
    assert {t: c for t, c in lite_tables.items() if t not in fts5} == pg_tables
    assert lite_indexes == pg_indexes
    assert len(lite_indexes) > 20 and "cues_voice_type" in lite_indexes


def test_concurrent_first_opens_migrate_once(pg_url):
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            open_store(pg_url).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_close) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store = open_store(pg_url)
    assert store.schema_versions() == [m.version for m in load_migrations("postgres")]
    store.close()


def test_article_and_extraction_roundtrip(store):
    store.write_article(
        "abc", _raw("x hello all y"), _extraction(), n_words=4, extractor_version="t"
    )
    art = next(store.articles())
    assert (art["id"], art["outlet"], art["outlet_prov"], art["title_prov"]) == (
        "abc",
        "Daily Example",
        INFERRED_TEXT,
        GIVEN_RECORD,
    )
    assert art["published"] is None and art["published_prov"] == "none"
    assert "fts" not in art
    st = next(store.statements())
    assert (st["id"], st["speaker"], st["start_char"], st["end_char"], st["source"]) == (
        "abc:s0",
        "Ann Lee",
        1,
        10,
        "a.txt",
    )
    assert "fts" not in st
    cue = next(store.cues())
    assert (cue["statement_id"], cue["voice"], cue["speaker"]) == ("abc:s0", "speaker", "Ann Lee")
    term = next(store.term_uses())
    assert (term["voice"], term["statement_id"]) == ("quoted", "abc:s0")
    assert [h["article_id"] for h in store.search_articles("hello")] == ["abc"]
    assert store.integrity_check() == "ok"


def test_failed_write_leaves_nothing_behind(store):
    bad = Extraction(statements=[Statement(kind=None, start=0, end=1, text="x")])  # type: ignore[arg-type]
    with pytest.raises(psycopg.IntegrityError):
        store.write_article("abc", _raw("text"), bad, n_words=1, extractor_version="t")
    for table in ("articles", "article_sources", "statements", "outlets"):
        assert store.count(table) == 0, table
    assert store.search_articles("text") == []
    # the connection is usable after the rolled-back write
    store.write_article("abc", _raw("text"), Extraction(), n_words=1, extractor_version="t")
    assert store.count("articles") == 1


def test_second_source_is_recorded_once(store):
    store.write_article("abc", _raw("t"), Extraction(), n_words=1, extractor_version="t")
    assert store.add_source("abc", "b.html", "html") is True
    assert store.add_source("abc", "b.html", "html") is False
    assert next(store.articles())["sources"] == "a.txt; b.html"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "NEAR(",
        "a OR",
        "') ; DROP TABLE articles; --",
        "*",
        "open & !prison",
        "prison:*",
        "open <-> air",
        "'",
        "\\",
        "%s %(q)s",
        "nul\x00byte",
    ],
)
def test_search_query_syntax_is_not_interpreted(store, query):
    store.write_article(
        "abc", _raw("open-air prison"), Extraction(), n_words=2, extractor_version="t"
    )
    store.search_articles(query)  # must not raise
    assert store.count("articles") == 1
    assert [h["article_id"] for h in store.search_articles("prison")] == ["abc"]


def test_search_needs_every_word_ranks_and_marks_matches(store):
    filler = " ".join(f"word{i}" for i in range(40))
    store.write_article(
        "once", _raw(f"{filler} the dam broke. {filler}"), Extraction(), n_words=1,
        extractor_version="t",
    )  # fmt: skip
    store.write_article(
        "often", _raw("The dam, the dam, the dam broke again."), Extraction(), n_words=1,
        extractor_version="t",
    )  # fmt: skip
    hits = store.search_articles("dam")
    assert [h["article_id"] for h in hits] == ["often", "once"]
    assert hits[0]["title"] == "A title"
    assert "[dam]" in hits[0]["snippet"]
    once = hits[1]["snippet"]
    assert once.startswith("…") and once.endswith("…") and "[dam]" in once
    assert [h["article_id"] for h in store.search_articles("dam again")] == ["often"]
    assert store.search_articles("dam absent") == []
    assert len(store.search_articles("dam", limit=1)) == 1
    assert store.search_articles("   ") == []


def test_open_store_dispatches_on_the_url_scheme(pg_url, tmp_path):
    for url in (pg_url, "postgres://" + pg_url.split("://", 1)[1]):
        store = open_store(url)
        assert isinstance(store, PostgresStore)
        store.close()
    store = open_store(tmp_path / "s.db")
    assert isinstance(store, SQLiteStore)
    store.close()


# -- read-only opens and errors ----------------------------------------------------------------


def test_readonly_reads_and_refuses_writes(pg_url):
    rw = open_store(pg_url)
    rw.write_article("abc", _raw("x hello all y"), _extraction(), n_words=4, extractor_version="t")
    rw.close()
    ro = open_store(pg_url, readonly=True)
    assert [a["id"] for a in ro.articles()] == ["abc"]
    assert ro.integrity_check() == "ok"
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        ro.begin_run({})
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        ro.write_article("def", _raw("other"), Extraction(), n_words=1, extractor_version="t")
    assert ro.count("articles") == 1
    ro.close()


def test_readonly_open_of_an_empty_database_says_what_to_do(pg_url):
    with pytest.raises(StoreError, match="is not a claimgraph database .*claimgraph analyze"):
        open_store(pg_url, readonly=True)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_server_says_is_the_server_running():
    port = _closed_port()
    with pytest.raises(StoreError) as err:
        open_store(f"postgresql://someone:secret@127.0.0.1:{port}/news")
    assert str(err.value) == (
        f"cannot connect to PostgreSQL at 127.0.0.1:{port}/news: Connection refused;"
        " is the server running?"
    )


def test_missing_database_and_unknown_user_are_named(pg_server):
    parts = urlsplit(pg_server)
    where = f"{parts.hostname}:{parts.port}"
    with pytest.raises(StoreError) as err:
        open_store(parts._replace(path="/no_such_db").geturl())
    assert str(err.value) == (
        f'cannot connect to PostgreSQL at {where}/no_such_db: database "no_such_db" does not'
        " exist; create it first (createdb), or fix the database name in the URL"
    )
    with pytest.raises(StoreError) as err:
        open_store(parts._replace(netloc=f"nobody:pw@{where}").geturl())
    assert str(err.value) == (
        f'cannot connect to PostgreSQL at {where}{parts.path}: role "nobody" does not exist;'
        " check the user and password in the URL"
    )
    assert "pw" not in str(err.value).split("nobody", 1)[0]


def test_malformed_url_is_a_store_error():
    with pytest.raises(StoreError, match="invalid PostgreSQL URL: .*expected postgresql://"):
        open_store("postgresql://user:secret@[::1/db")


# -- parity with SQLite ----------------------------------------------------------------------

# Written in this order, three calls of the clock a second (see _clock): the ties at one
# second are broken by SQLite's byte order, unlike insertion order or a linguistic collation.
IDS = ["é", "b", "a_1", "Z", "B", "a-1"]
BYTE_ORDER = ["b", "é", "B", "Z", "a_1", "a-1"]


def _fill(store, *, outlets: bool = True) -> None:
    run = store.begin_run({"paths": ["x"], "options": {"fmt": None}})
    for n, key in enumerate(IDS):
        raw = _raw(
            f"Article {key}: the minister said the dam was safe. Ünïcode ok.",
            source=f"{key}.txt",
            outlet=("Ledger" if n % 2 else "Wire Ünion") if outlets else None,
        )
        raw.meta["published"] = Meta("2024-05-0" + str(n + 1), GIVEN_RECORD)
        raw.outlet_info = {"country": "NZ", "type": "newspaper"} if n == 1 else {}
        if n == 3:
            raw.meta["url"] = Meta(None, GIVEN_OUTLETS)
        ex = Extraction(
            statements=[
                Statement(
                    kind="indirect",
                    start=10,
                    end=40,
                    text="the dam was safe",
                    speaker="The minister" if n % 3 else None,
                    speaker_start=None if n % 3 == 0 else 14,
                    cue="said",
                    cue_class="neutral",
                ),
                Statement(kind="direct", start=41, end=50, text="ok", speaker="Ann"),
            ][: 1 + n % 2],
            cues=[
                Cue(
                    type="numeric_claim",
                    start=1,
                    end=3,
                    text="12",
                    statement_index=0,
                    detail={"count": 12, "unit": "dams", "z": [1, "ü"]},
                ),
                Cue(type="hedge", start=5, end=7, text="may", technique="Doubt"),
                Cue(type="so_called", start=8, end=9, text="x", statement_index=7),  # dangling
            ][: n % 4],
            terms=[
                TermUse(
                    term="dam",
                    variant="dams",
                    start=20,
                    end=24,
                    voice="narrated",
                    group=None if n % 2 else "water",
                    statement_index=0 if n % 2 else None,
                )
            ],
        )
        store.write_article(key, raw, ex, n_words=n + 1, extractor_version="v1")
    assert store.add_source("B", "a-first.html", "html") is True
    assert store.add_source("B", "Mirror/B.html", "html") is True  # same second, sorts first
    assert store.add_source("Z", "Z.txt", "txt") is False
    store.record_failure(run, "bad.html", "not UTF-8; pass --encoding")
    store.record_failure(run, "worse.json", "line 3: not JSON")
    store.record_file("folder/a.txt", "fp1", 2)
    store.record_file("folder/a.txt", "fp2", 3)  # replaced
    store.finish_run(run, {"stored": 6, "failed": 2})


def _clock():
    """Three calls a second: timestamps repeat, so ties are broken by id (and source)."""
    ticks = itertools.count()
    return lambda: f"2024-05-01T10:00:{next(ticks) // 3:02d}+00:00"


def _dump(store) -> dict[str, object]:
    return {
        "articles": [list(r.items()) for r in store.articles()],
        "statements": [list(r.items()) for r in store.statements()],
        "statements_of_B": [list(r.items()) for r in store.statements("B")],
        "cues": [list(r.items()) for r in store.cues()],
        "term_uses": [list(r.items()) for r in store.term_uses()],
        "failures": store.failures(),
        "failures_of_run": store.failures(1),
        "counts": {t: store.count(t) for t in TABLES},
        "file": [store.file_unchanged("folder/a.txt", fp) for fp in ("fp1", "fp2")],
        "has": [store.has_article(k) for k in ("b", "nope")],
        "search": sorted(h["article_id"] for h in store.search_articles("minister dam")),
        "search_none": store.search_articles("dam absentword"),
        "versions": store.schema_versions(),
        "integrity": store.integrity_check(),
    }


def test_same_records_give_the_same_rows_in_the_same_order(pg_url, tmp_path, monkeypatch):
    import claimgraph.store.base as base

    lite, pg = open_store(tmp_path / "s.db"), open_store(pg_url)
    monkeypatch.setattr(base, "_now", _clock())
    _fill(lite)
    monkeypatch.setattr(base, "_now", _clock())
    _fill(pg)
    lite_rows, pg_rows = _dump(lite), _dump(pg)
    lite.close()
    pg.close()
    for key in lite_rows:
        assert pg_rows[key] == lite_rows[key], key
    articles = [dict(a) for a in pg_rows["articles"]]  # type: ignore[attr-defined]
    assert [a["id"] for a in articles] == BYTE_ORDER
    assert articles[2]["sources"] == "B.txt; Mirror/B.html; a-first.html"
    assert [(s["article_id"], s["idx"]) for s in map(dict, pg_rows["statements"])][:3] == [
        ("b", 0),
        ("b", 1),
        ("é", 0),
    ]


def test_search_without_text_lists_newest_first_undated_last_like_sqlite(pg_url, tmp_path):
    # PostgreSQL reads the dated and the undated apart (search.PostgresSearch): the merged
    # order must stay SQLite's, filters applied to both parts
    lite, pg = open_store(tmp_path / "s.db"), open_store(pg_url)
    orders = []
    for s in (lite, pg):
        _fill(s)
        s._execute("UPDATE articles SET published = NULL WHERE id IN (?, ?)", ("b", "a_1"))
        orders.append(
            [
                [h["article_id"] for h in s.faceted_search(q)["hits"]]
                for q in (SearchQuery(limit=50), SearchQuery(outlet=("Ledger",), limit=50))
            ]
        )
        s.close()
    # published 2024-05-0N for the N-th of IDS; b and a_1 undated, then by id, descending
    assert orders[1] == orders[0] == [["a-1", "B", "Z", "é", "b", "a_1"], ["a-1", "Z", "b"]]


# -- the CLI commands with --db postgresql://... (in-process) ---------------------------


def _export(db: str, what: str) -> list[dict[str, object]]:
    res = invoke_cli("export", what, "--db", db, "--format", "jsonl")
    assert res.returncode == 0, res.stderr.decode()
    return [json.loads(line) for line in res.stdout.decode().splitlines()]


@pytest.mark.slow
def test_cli_commands_work_on_postgres_as_on_sqlite(pg_url, tmp_path):
    lite = str(tmp_path / "s.db")
    for db in (lite, pg_url):
        res = invoke_cli("analyze", str(CORPUS), "--db", db, "--quiet", "--json")
        assert res.returncode == 0, res.stderr.decode()
    res = invoke_cli("analyze", str(CORPUS), "--db", pg_url, "--json")  # rerun: all unchanged
    summary = json.loads(res.stdout)
    assert (summary["stored"], summary["failed"]) == (0, 0)
    for what in ("articles", "statements", "cues", "terms"):
        pg_rows = _export(pg_url, what)
        assert pg_rows or what in ("cues", "terms"), what  # not all extractors exist yet
        assert sorted(map(json.dumps, pg_rows)) == sorted(map(json.dumps, _export(lite, what)))
    res = invoke_cli("search", "said", "--db", pg_url, "--json")
    assert res.returncode == 0, res.stderr.decode()
    assert json.loads(res.stdout)
    out = tmp_path / "summary.html"
    res = invoke_cli("summary", "--db", pg_url, "--out", str(out))
    assert res.returncode == 0, res.stderr.decode()
    assert out.stat().st_size > 1000


def test_unnamed_outlets_labelled_apart_new_and_migrated(pg_url):
    from test_store import _unnamed_before_migration_10

    def run_sql(*statements: str) -> None:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            for s in statements:
                conn.execute(s)

    assert _unnamed_before_migration_10(lambda: open_store(pg_url), run_sql) == [
        ("unnamed source: 003.txt", "unnamed:source"),
        ("unnamed source: valley-news.example", "unnamed:url"),
    ]


def test_negated_reports_flagged_new_and_migrated(pg_url):
    from test_store import _negated_before_migration_11, check_negated_migration

    def run_sql(*statements: str) -> None:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            for s in statements:
                conn.execute(s)

    check_negated_migration(
        _negated_before_migration_11(
            lambda: open_store(pg_url), run_sql, lambda: open_store(pg_url, readonly=True)
        )
    )
