"""The SQLite store: migrations recorded, atomic article writes, sources, FTS, read-only opens."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from claimgraph.errors import StoreError
from claimgraph.extract.records import Cue, Extraction, Statement, TermUse
from claimgraph.ingest.base import GIVEN_RECORD, INFERRED_TEXT, Meta, RawArticle
from claimgraph.store import open_store, speaks
from claimgraph.store.schema import load_migrations


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


# A store written by claimgraph at commit b6740bb, before the backends shared one implementation
# and one migration folder: migrations 1-9 and one article (old1, "The minister said the dam
# was safe.", outlet Ledger), compacted with VACUUM.
EARLIER_STORE = Path(__file__).parent / "fixtures" / "store" / "main_b6740bb.db.gz"


def _sqlite_master(path: Path) -> list[tuple[str, str, str | None]]:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()


def test_migrations_are_recorded_once(tmp_path):
    db = tmp_path / "s.db"
    open_store(db).close()
    store = open_store(db)  # reopening applies nothing twice
    assert store.schema_versions() == [m.version for m in load_migrations()]
    assert store.schema_versions()[0] == 1
    store.close()


def test_streams_in_stored_order_read_along_an_index(tmp_path):
    """Migration 13: the articles in stored order (and their statements, cues, term uses by
    article) are read along an index, not sorted whole at each streamed read."""
    import sqlite3

    open_store(tmp_path / "s.db").close()
    conn = sqlite3.connect(tmp_path / "s.db")
    order = "ORDER BY a.ingested_at, a.id"
    for sql in (
        f"SELECT a.id FROM articles a {order}",
        f"SELECT x.article_id FROM statements x JOIN articles a ON a.id=x.article_id {order}, x.idx",
    ):
        plan = " ".join(r[-1] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "articles_stored_order" in plan and "TEMP B-TREE FOR ORDER BY" not in plan, plan
    conn.close()


def test_article_and_extraction_roundtrip(tmp_path):
    store = open_store(tmp_path / "s.db")
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
    st = next(store.statements())
    assert (st["id"], st["speaker"], st["start_char"], st["end_char"], st["source"]) == (
        "abc:s0",
        "Ann Lee",
        1,
        10,
        "a.txt",
    )
    cue = next(store.cues())
    assert (cue["statement_id"], cue["voice"], cue["speaker"]) == ("abc:s0", "speaker", "Ann Lee")
    term = next(store.term_uses())
    assert (term["voice"], term["statement_id"]) == ("quoted", "abc:s0")
    assert [h["article_id"] for h in store.search_articles("hello")] == ["abc"]


def test_failed_write_leaves_nothing_behind(tmp_path):
    store = open_store(tmp_path / "s.db")
    bad = Extraction(statements=[Statement(kind=None, start=0, end=1, text="x")])  # type: ignore[arg-type]
    with pytest.raises(sqlite3.IntegrityError):
        store.write_article("abc", _raw("text"), bad, n_words=1, extractor_version="t")
    for table in ("articles", "article_sources", "statements", "outlets"):
        assert store.count(table) == 0, table
    assert store.search_articles("text") == []


def test_second_source_is_recorded_once(tmp_path):
    store = open_store(tmp_path / "s.db")
    store.write_article("abc", _raw("t"), Extraction(), n_words=1, extractor_version="t")
    assert store.add_source("abc", "b.html", "html") is True
    assert store.add_source("abc", "b.html", "html") is False
    assert next(store.articles())["sources"] == "a.txt; b.html"


def test_search_query_syntax_is_not_interpreted(tmp_path):
    store = open_store(tmp_path / "s.db")
    store.write_article(
        "abc", _raw("open-air prison"), Extraction(), n_words=2, extractor_version="t"
    )
    for q in ['"', "NEAR(", "a OR", "') ; DROP TABLE articles; --", "*"]:
        store.search_articles(q)  # must not raise
    assert store.count("articles") == 1


def test_readonly_open_of_missing_db_says_what_to_do(tmp_path):
    with pytest.raises(StoreError, match="database not found: .*run 'claimgraph analyze' first"):
        open_store(tmp_path / "missing.db", readonly=True)


def test_not_a_database(tmp_path):
    p = tmp_path / "x.db"
    p.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="cannot open database"):
        open_store(p)


def test_cue_voice_of_rows_written_before_it_was_stored(tmp_path):
    """Migration 8 gives older cue rows their voice from whether they sit in a statement."""
    import sqlite3

    db = tmp_path / "old.db"
    store = open_store(db)
    ex = _extraction()
    ex.cues.append(Cue(type="hedge", start=11, end=12, text="y"))
    store.write_article("abc", _raw("x hello all y"), ex, n_words=4, extractor_version="t")
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE cues SET voice = NULL")
    conn.execute("DELETE FROM schema_migrations WHERE version = 8")
    conn.execute("DROP INDEX cues_voice_type")
    conn.execute("ALTER TABLE cues DROP COLUMN voice")
    conn.commit()
    conn.close()
    store = open_store(db)
    assert [(c["type"], c["voice"]) for c in store.cues()] == [
        ("so_called", "speaker"),
        ("hedge", "outlet"),
    ]
    store.close()


def _unnamed_before_migration_10(store_factory, run_sql) -> list[tuple[str, str]]:
    """Two articles without an outlet written, then put back as a store before migration 10
    held them (outlet NULL); reopening labels each apart, as a new article would be."""
    store = store_factory()
    store.write_article(
        "a1",
        _raw("x hello all y", "in/003.txt", None),
        _extraction(),
        n_words=4,
        extractor_version="t",
    )
    raw = _raw("another text here", "/data/feed.warc#2", None)
    raw.meta["url"] = Meta("https://WWW.Valley-News.example/x/y", GIVEN_RECORD)
    store.write_article("a2", raw, _extraction(), n_words=3, extractor_version="t")
    fresh = [(a["outlet"], a["outlet_prov"]) for a in store.articles()]
    store.close()
    run_sql(
        "UPDATE articles SET outlet = NULL, outlet_prov = 'none'",
        "DELETE FROM schema_migrations WHERE version = 10",
    )
    store = store_factory()
    migrated = [(a["outlet"], a["outlet_prov"]) for a in store.articles()]
    store.close()
    assert migrated == fresh
    return migrated


def test_unnamed_outlets_labelled_apart_new_and_migrated(tmp_path):
    db = tmp_path / "old.db"

    def run_sql(*statements: str) -> None:
        conn = sqlite3.connect(db)
        for s in statements:
            conn.execute(s)
        conn.commit()
        conn.close()

    assert _unnamed_before_migration_10(lambda: open_store(db), run_sql) == [
        ("unnamed source: 003.txt", "unnamed:source"),
        ("unnamed source: valley-news.example", "unnamed:url"),
    ]


def check_negated_migration(got: dict[str, Any]) -> None:
    """What `_negated_before_migration_11` must find on either backend."""
    everyone = ["Ann Lee", "Her statement"]
    assert got["before"] == {"counts": everyone, "summary": everyone, "speaks": everyone}
    assert got["after"] == {
        "counts": ["Ann Lee"],
        "summary": ["Ann Lee"],
        "speaks": ["Ann Lee"],
        "page": 0,
    }


def _negated_before_migration_11(store_factory, run_sql, readonly_factory) -> dict[str, Any]:
    """One article with a negated report ("… did not call out …") and a statement said,
    written, then put back as a store before migration 11 held it (no negated column):
    opened read-only it answers, counting every speaker (no flag to read, in every view
    alike); reopened, the migration flags the negated report from the article's text, and
    the speaker lists leave it out, as for a new article."""
    text = 'Her statement did not call out the abuses. "We act," Ann Lee said.'
    said = text.index("said")
    call = text.index("call")
    ex = Extraction(
        statements=[
            Statement("indirect", call + 9, 41, "the abuses", "Her statement", cue="call",
                      cue_start=call, cue_end=call + 4),
            Statement("direct", 44, 50, "We act", "Ann Lee", cue="said", cue_start=said,
                      cue_end=said + 4),
        ]
    )  # fmt: skip
    store = store_factory()
    store.write_article("n1", _raw(text), ex, n_words=12, extractor_version="t")
    fresh = [st["negated"] for st in store.statements()]
    store.close()
    run_sql(
        "DROP INDEX statements_article_speaking",  # migration 12 reads the column too
        "DROP INDEX statements_speaking",
        "ALTER TABLE statements DROP COLUMN negated",
        "DELETE FROM schema_migrations WHERE version >= 11",
    )
    old = readonly_factory()
    before = {
        "counts": sorted(c[0] for c in old.speaker_counts()),
        "summary": sorted(s["name"] for s in old.speaker_summary()["items"]),
        "speaks": sorted(st["speaker"] for st in old.statements() if speaks(st)),
    }
    old.close()
    store = store_factory()
    migrated = [st["negated"] for st in store.statements()]
    after = {
        "counts": [c[0] for c in store.speaker_counts()],
        "summary": [s["name"] for s in store.speaker_summary()["items"]],
        "speaks": [st["speaker"] for st in store.statements() if speaks(st)],
        "page": store.statement_page(speaker="Her statement", speaking=True)["total"],
    }
    store.close()
    assert fresh == migrated == [1, 0]
    return {"before": before, "after": after}


def test_negated_reports_flagged_new_and_migrated(tmp_path):
    db = tmp_path / "neg.db"

    def run_sql(*statements: str) -> None:
        conn = sqlite3.connect(db)
        for s in statements:
            conn.execute(s)
        conn.commit()
        conn.close()

    check_negated_migration(
        _negated_before_migration_11(
            lambda: open_store(db), run_sql, lambda: open_store(db, readonly=True)
        )
    )


def test_a_store_from_an_earlier_release_opens_reads_and_takes_articles(tmp_path):
    """Nothing is applied twice (the history rows stay as they were), the schema is the one a
    new store gets, and old and new rows read, and search, together."""
    old = tmp_path / "old.db"
    old.write_bytes(gzip.decompress(EARLIER_STORE.read_bytes()))
    history = sqlite3.connect(old).execute("SELECT * FROM schema_migrations").fetchall()
    assert [v for v, _, _ in history] == list(range(1, 10))
    store = open_store(old, readonly=True)
    assert [(st["speaker"], st["outlet"]) for st in store.statements()] == [
        ("The minister", "Ledger")
    ]
    store.close()
    store = open_store(old)
    store.write_article(
        "new1", _raw("x hello all y"), _extraction(), n_words=4, extractor_version="t"
    )
    assert [a["id"] for a in store.articles()] == ["old1", "new1"]
    assert [h["article_id"] for h in store.search_articles("dam")] == ["old1"]
    assert [h["article_id"] for h in store.search_articles("hello")] == ["new1"]
    assert [c["voice"] for c in store.cues()] == ["outlet", "speaker"]
    assert store.integrity_check() == "ok"
    store.close()
    after = sqlite3.connect(old).execute("SELECT * FROM schema_migrations").fetchall()
    assert after[: len(history)] == history  # nothing applied twice, the old rows as they were
    assert [v for v, _, _ in after] == [m.version for m in load_migrations()]
    fresh = tmp_path / "fresh.db"
    open_store(fresh).close()
    assert _sqlite_master(old) == _sqlite_master(fresh)
