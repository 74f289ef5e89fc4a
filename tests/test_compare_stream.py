"""The outlet profiles and the claim x outlet matrix read the store one article (one member)
at a time (issue 29) and give exactly what the in-memory computation gave
(tests/streamed_reference.py): the same dicts, in the same order, the same bootstrap
intervals. On the seeds and the sample corpus analyzed by the real CLI, in SQLite and in
PostgreSQL, as stored and with the articles pooled into three outlets, so that every outlet's
bootstrap resamples several articles of different counts."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from claimgraph.analyze.compare import compare
from claimgraph.analyze.corpus import Selection
from claimgraph.analyze.matrix import load_claims
from claimgraph.analyze.profiles import PROFILED_COLUMNS, outlet_profiles
from claimgraph.analyze.talking_points import store_talking_points
from claimgraph.analyze.timeline import timeline
from claimgraph.analyze.wire import store_wire_groups
from claimgraph.ingest.outlets import outlet_of
from claimgraph.store import open_store
from conftest import CORPUS, REPO, invoke_cli
from streamed_reference import (
    compare_reference,
    matrix_reference,
    profiles_reference,
    timeline_reference,
    wire_groups_reference,
)

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures

# What the profiles and the matrix read, parents first (foreign keys).
TABLES = (
    "outlets",
    "articles",
    "article_sources",
    "statements",
    "cues",
    "term_uses",
    "topics",
    "claims",
    "claim_topics",
    "claim_members",
)


@pytest.fixture(scope="module")
def stored(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the seeds and the sample corpus analyzed into SQLite, a copy with the articles pooled
    into three outlets)."""
    where = tmp_path_factory.mktemp("stream")
    db = where / "as_stored.db"
    outlets = REPO / "examples" / "outlets.csv"
    args = ("analyze", str(CORPUS), str(seeds_dir), "--outlets", str(outlets), "-q")
    res = invoke_cli(*args, "--db", str(db))
    assert res.returncode == 0, res.stderr.decode()
    pooled = where / "pooled.db"
    shutil.copy(db, pooled)
    con = sqlite3.connect(pooled)
    with con:
        con.execute("INSERT INTO outlets (name) VALUES ('Pool 0'), ('Pool 1'), ('Pool 2')")
        con.execute("UPDATE articles SET outlet = 'Pool ' || (rowid % 3)")
    con.close()
    return db, pooled


def _json(value: Any) -> str:
    """A result as compare --json writes it: equal strings are equal dicts, keys in the same
    order, floats to the last bit."""
    return json.dumps(value, ensure_ascii=False)


def _profiles(fn: Any, store: Any, **kw: Any) -> str:
    return _json([p.to_dict() for p in fn(store, **kw).values()])


def _cut(matrix: dict[str, Any], limit: int | None) -> dict[str, Any]:
    """The reference matrix with each cell's lists cut to `limit` (what compare lists)."""
    for row in matrix["rows"]:
        for c in row["cells"].values():
            c["members"], c["articles"] = c["members"][:limit], c["articles"][:limit]
    return matrix


def _listed_wire(groups: list[Any], limit: int | None) -> list[dict[str, Any]]:
    """The reference wire groups as compare lists them: counted, cut to `limit`."""
    out = []
    for g in groups:
        d = g.to_dict()
        n_members, n_copies = len(d["members"]), len(d["copies"])
        d["members"], d["copies"] = d["members"][:limit], d["copies"][:limit]
        out.append({**d, "n_members": n_members, "n_copies": n_copies})
    return out


def _listed_profiles(profiles: dict[Any, Any], limit: int | None) -> list[dict[str, Any]]:
    """The reference profiles as compare lists them: article ids cut to `limit`."""
    return [{**p.to_dict(), "articles": p.articles[:limit]} for p in profiles.values()]


def assert_same(db: str | Path, *, variants: bool) -> dict[str, Any]:
    """The streamed wire groups, profiles, matrix and timeline equal the reference on the
    store at `db`; with `variants`, also under other options. Returns compare's result."""
    store = open_store(db, readonly=True)
    try:
        articles = list(store.articles())
        wire = wire_groups_reference(articles)
        copies = {cid for g in wire for cid in g.copies}
        result = compare(store, n_boot=1000, seed=0)
        limit = result["options"]["list_limit"]
        assert _json(result["wire_groups"]) == _json(_listed_wire(wire, limit))
        # every text read again from the store: a cache of one shingle
        reread = store_wire_groups(store, cached_shingles=1)
        assert _json([g.to_dict() for g in reread]) == _json([g.to_dict() for g in wire])
        ref = profiles_reference(store, wire_copies=copies, all_articles=articles)
        got = [{k: v for k, v in p.items() if k != "stored"} for p in result["outlets"]]
        assert _json(got) == _json(_listed_profiles(ref, limit))
        selected = [a for a in articles if a["id"] not in copies]
        assert _json(result["matrix"]) == _json(_cut(matrix_reference(store, selected), limit))
        members = load_claims(store)[1]
        ref_t = timeline_reference(store, selected, members)
        assert _json(result["timeline"]) == _json(dict(ref_t, items=ref_t["items"][:limit]))
        # cut anywhere: among the statements, among the narrated members, not at all
        n_st = sum(it["kind"] == "statement" for it in ref_t["items"])
        assert n_st < len(ref_t["items"])  # narrated claim members to list after them
        for cut in (None, 3, n_st + 2):
            got = timeline(store, selected, limit=cut)
            assert _json(got) == _json(dict(ref_t, items=ref_t["items"][:cut])), cut
        variants, talking = compare_reference(store, articles, copies)
        assert _json(result["quote_variants"]) == _json(variants)
        assert _json(result["talking_points"]) == _json(talking)
        if variants:
            exact = _json([g.to_dict() for g in wire_groups_reference(articles, use_minhash=False)])
            assert (
                _json([g.to_dict() for g in store_wire_groups(store, use_minhash=False)]) == exact
            )
            # the API's talking points, wire copies left out and counted
            assert _json(store_talking_points(store)) == _json(talking)
            counted = compare_reference(store, articles, copies, count_wire_copies=True)[1]
            assert _json(store_talking_points(store, count_wire_copies=True)) == _json(counted)
            names = sorted({outlet_of(a) for a in articles})[:2]
            for kw in (
                {"count_wire_copies": True, "seed": 3, "n_boot": 300},
                {"outlets": names, "n_boot": 300},
                {"by": "article", "n_boot": 200},
            ):
                assert _profiles(outlet_profiles, store, **kw) == _profiles(
                    profiles_reference, store, **kw
                ), kw
        return result
    finally:
        store.close()


def _nontrivial(result: dict[str, Any], *, intervals: bool) -> None:
    """What the equality is worth: a wire copy found, voices counted, claims in the matrix
    with members, and (pooled) bootstrap intervals that vary."""
    assert [len(g["copies"]) for g in result["wire_groups"]] == [1]  # 04 copies 03
    assert sum(p["n_voices"] for p in result["outlets"]) > 50
    assert sum(r["n_members"] for r in result["matrix"]["rows"]) > 50
    assert sum(len(v["members"]) for v in result["quote_variants"]) > 10
    assert result["talking_points"]
    if intervals:
        shares = [s for p in result["outlets"] for s in p["voices_by_country"].values()]
        assert any(s["lo"] is not None and s["lo"] < s["hi"] for s in shares)


@pytest.mark.seeds
def test_streamed_equals_in_memory_on_sqlite(stored):
    as_stored, pooled = stored
    _nontrivial(assert_same(as_stored, variants=True), intervals=False)
    result = assert_same(pooled, variants=False)
    assert min(p["n_articles"] for p in result["outlets"]) >= 4  # 17 articles, 3 outlets
    _nontrivial(result, intervals=True)


def copy_to_postgres(db: Path, url: str) -> None:
    """The rows the profiles and the matrix read, copied from a SQLite store into a fresh,
    migrated PostgreSQL store (what analysing again there would give, without the minute)."""
    import psycopg

    open_store(url).close()
    src = sqlite3.connect(db)
    try:
        with psycopg.connect(url) as pg, pg.cursor() as cur:
            for table in TABLES:
                cols = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
                names = ", ".join(f'"{c}"' for c in cols)
                rows = src.execute(f"SELECT {names} FROM {table}").fetchall()
                marks = ", ".join(["%s"] * len(cols))
                cur.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    finally:
        src.close()


@pytest.mark.seeds
def test_streamed_equals_in_memory_on_postgres(stored, pg_url):
    as_stored, pooled = stored
    copy_to_postgres(as_stored, pg_url)
    # the other options read the store with the same queries: checked on SQLite only
    _nontrivial(assert_same(pg_url, variants=False), intervals=False)
    import psycopg

    with psycopg.connect(pg_url) as pg:
        pg.execute("INSERT INTO outlets (name) VALUES ('Pool 0'), ('Pool 1'), ('Pool 2')")
        ids = [r[0] for r in pg.execute("SELECT id FROM articles").fetchall()]
        sq = sqlite3.connect(pooled)
        outlet = dict(sq.execute("SELECT id, outlet FROM articles").fetchall())
        sq.close()
        with pg.cursor() as cur:
            cur.executemany(
                "UPDATE articles SET outlet = %s WHERE id = %s", [(outlet[i], i) for i in ids]
            )
    _nontrivial(assert_same(pg_url, variants=False), intervals=True)


@pytest.mark.seeds
def test_affiliations_keep_each_articles_speakers_in_any_row_order(stored):
    """`Affiliations.in_article` is built article by article, each set of names stored once:
    the same sets as collecting every row's, whether the rows come article by article (as the
    store streams them), reversed or interleaved."""
    from collections import defaultdict

    from claimgraph.link.sides import Affiliations, name_key

    store = open_store(stored[0], readonly=True)
    rows = list(store.statement_speakers())
    # from the store's filtered tuples: what the constructor builds of every row
    fast, slow = Affiliations.of_store(store, ["Valdoria"]), Affiliations(rows, ["Valdoria"])
    store.close()
    for field in ("countries", "display", "seen", "in_article", "by_last"):
        assert getattr(fast, field) == getattr(slow, field), field
        assert list(getattr(fast, field)) == list(getattr(slow, field)), field  # same order
    assert len(fast.seen) > 5 and len(fast.countries) > 1
    expected: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r["speaker_affiliation"] and r["speaker"]:
            expected[r["article_id"]].add(name_key(r["speaker"]))
    assert len(expected) > 5 and any(len(v) > 1 for v in expected.values())
    for order in (rows, rows[::-1], rows[::2] + rows[1::2]):
        aff = Affiliations(order, [])
        assert {k: set(v) for k, v in aff.in_article.items()} == expected


@pytest.mark.seeds
@pytest.mark.parametrize("rows_at_once", [2048, 1])
def test_compare_lists_up_to_its_limit_and_counts_all(stored, monkeypatch, rows_at_once):
    """With a small `list_limit`, each list compare gives is cut and its count is of all:
    wire groups (members, copies), profiles (article ids), matrix cells, timeline items; the
    matrix and the timeline still equal the reference's, cut. With rows read one at a time,
    a wire group is one too big to read at once (`claimgraph.analyze.wire._big_group`)."""
    import claimgraph.analyze.wire as wire_module

    monkeypatch.setattr(wire_module, "_ROWS_AT_ONCE", rows_at_once)
    as_stored, pooled = stored
    for db in (as_stored, pooled):
        store = open_store(db, readonly=True)
        try:
            articles = list(store.articles())
            wire = wire_groups_reference(articles)
            copies = {cid for g in wire for cid in g.copies}
            result = compare(store, n_boot=50, seed=0, list_limit=1)
            assert _json(result["wire_groups"]) == _json(_listed_wire(wire, 1))
            assert [g["n_members"] for g in result["wire_groups"]] == [2]
            ref = profiles_reference(store, wire_copies=copies, all_articles=articles, n_boot=50)
            got = [{k: v for k, v in p.items() if k != "stored"} for p in result["outlets"]]
            assert _json(got) == _json(_listed_profiles(ref, 1))
            assert max(p["n_articles"] for p in result["outlets"]) > 1
            assert all(len(p["articles"]) <= 1 for p in result["outlets"])
            selected = [a for a in articles if a["id"] not in copies]
            assert _json(result["matrix"]) == _json(_cut(matrix_reference(store, selected), 1))
            assert len(result["timeline"]["items"]) == 1 < result["timeline"]["n_items"]
            # a group involves an outlet by any member, listed or not
            for g in wire:
                for m in g.members:
                    got = compare(store, outlets=[m["outlet"]], n_boot=10, list_limit=1)
                    assert _json(got["wire_groups"]) == _json(_listed_wire([g], 1))
        finally:
            store.close()


@pytest.mark.seeds
def test_article_index_finds_positions_and_refuses_a_changed_store(stored):
    """`ArticleIndex` finds each article's position by id (by the ids' hashes, or by a dict
    of them where hashes collide); a stream that does not follow it (an article stored or
    deleted since it was built) is refused, not counted under another article's outlet."""
    from claimgraph.analyze.compare import copy_mask
    from claimgraph.analyze.corpus import ArticleIndex, IndexedIds, article_index
    from claimgraph.analyze.wire import WireGroup

    store = open_store(stored[1], readonly=True)
    try:
        rows = list(store.article_rows(PROFILED_COLUMNS))
        ids = [r["id"] for r in rows]
        index = article_index(store, PROFILED_COLUMNS)
        assert index.distinct and len(index) == len(ids) == 17
        assert index.positions(ids).tolist() == list(range(len(ids)))
        assert index.positions(["no such article"]).tolist() == [-1]
        by_dict = ArticleIndex(rows)
        by_dict.keep_ids(ids)
        assert by_dict.positions(ids[::-1]).tolist() == list(range(len(ids)))[::-1]
        assert by_dict.positions(["no such article"]).tolist() == [-1]
        assert sorted(index.label_counts().values()) == [5, 6, 6]  # the three pools
        # the index built before the first article was deleted: every stream is refused
        stale = ArticleIndex([{"id": "gone", "n_words": 3}, *rows])
        with pytest.raises(RuntimeError, match="changed while they were read"):
            outlet_profiles(store, index=stale, count_wire_copies=True, n_boot=10)
        with pytest.raises(RuntimeError, match="changed while they were read"):
            timeline(store, Selection(stale, stale.select(None)))
        # wire copies by position, checked on the listed members; or by id, as a container
        (group,) = store_wire_groups(store)
        listed = store_wire_groups(store, listed=1)[0]
        assert listed.members == group.members[:1] and listed.size == group.size == 2
        assert listed.positions.tolist() == group.positions.tolist()
        assert listed.member_outlets == group.member_outlets
        with pytest.raises(ValueError, match="by position only"):
            listed.copies  # noqa: B018
        mask = copy_mask(index, [listed])
        assert np.flatnonzero(mask).tolist() == index.positions(group.copies).tolist()
        assert (copy_mask(index, [WireGroup(group.members)]) == mask).all()
        copies = IndexedIds(index, mask)
        assert [aid in copies for aid in ids] == mask.tolist() and "no such article" not in copies
        shifted = WireGroup(group.members, positions=group.positions + 1)
        with pytest.raises(RuntimeError, match="changed while they were read"):
            copy_mask(index, [shifted])
    finally:
        store.close()


@pytest.mark.seeds
def test_compare_in_worker_processes_gives_the_same_result(stored):
    """The parts computed in two worker processes, each on its own read-only store: the same
    comparison, string for string, on SQLite (the CLI's --workers too)."""
    store = open_store(stored[1], readonly=True)
    try:
        alone = compare(store, n_boot=200, list_limit=2)
        assert _json(compare(store, n_boot=200, list_limit=2, workers=2)) == _json(alone)
    finally:
        store.close()
    res = invoke_cli("compare", "--db", str(stored[1]), "--json", "--workers", "2")
    assert res.returncode == 0, res.stderr.decode()
    assert json.loads(res.stdout)["outlets"] == compare_json(stored[1])["outlets"]


def compare_json(db: Path) -> dict[str, Any]:
    res = invoke_cli("compare", "--db", str(db), "--json")
    assert res.returncode == 0, res.stderr.decode()
    return json.loads(res.stdout)


def _records_agree(db: str | Path) -> None:
    """`article_records` with ``skip``, ``columns`` and ``cue_types`` and `article_items`
    give what the full reads give, projected and filtered: the skipped articles' rows
    empty (None), the others' the same values in the same order."""
    store = open_store(db, readonly=True)
    try:
        full = list(store.article_records())
        rows = {r["id"]: r for r in store.articles()}
        skip = np.array([i % 3 == 1 for i in range(len(full))])
        cols = {"statements": ("start_char", "speaker"), "cues": ("type", "end_char")}
        got = list(store.article_records(skip=skip, columns=cols, cue_types=("so_called",)))
        assert [g[0] for g in got] == [f[0] for f in full]
        n_cues = 0
        for flag, (aid, sts, cues, terms), (_, f_sts, f_cues, f_terms) in zip(
            skip, got, full, strict=True
        ):
            if flag:
                assert (sts, cues, terms) == ([], [], [])
                continue
            want = [{"article_id": aid, **{c: s[c] for c in cols["statements"]}} for s in f_sts]
            assert sts == want
            so = [c for c in f_cues if c["type"] == "so_called"]
            assert cues == [
                {"article_id": aid, "type": c["type"], "end_char": c["end_char"]} for c in so
            ]
            n_cues += len(cues)
            assert terms == f_terms  # not named: every column
        assert n_cues > 0 and sum(len(g[1]) for g in got) > 20
        none = list(store.article_records(columns={"statements": (), "cues": (), "term_uses": ()}))
        assert all(r[1:] == ([], [], []) for r in none) and len(none) == len(full)
        items = list(store.article_items(("text", "outlet", "sources"), skip))
        assert [aid for aid, _ in items] == list(rows)
        for flag, (aid, item) in zip(skip, items, strict=True):
            expected = {"id": aid, "text": rows[aid]["text"], "outlet": rows[aid]["outlet"]}
            expected["sources"] = None if rows[aid]["outlet"] else rows[aid]["sources"]
            assert item == (None if flag else expected)
        with pytest.raises(ValueError, match="not an article column"):
            next(store.article_items(("no_such",)))
    finally:
        store.close()


@pytest.mark.seeds
def test_narrow_reads_equal_the_full_ones(stored, pg_url):
    as_stored, _ = stored
    _records_agree(as_stored)
    copy_to_postgres(as_stored, pg_url)
    _records_agree(pg_url)
