"""Rebuttals: a denial that names the other side's accusations only generically ("rejects
claims of mistreating the Kel") also denies each accusation that side makes in the same
article (`claimgraph.claims.run.rebuttal_rows`), and the store keeps how a member joined."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from claimgraph.analyze.matrix import build_matrix
from claimgraph.claims.run import REBUTTAL, Unit, _Plan, rebuttal_rows
from claimgraph.store import open_store
from conftest import copy_store, invoke_cli


def _unit(key: str, side: str | None, article: str = "a1", cue: str | None = None) -> Unit:
    """A statement unit of speaker ``key`` up to its dash; ``cue``: an attacking cue."""
    stance_text = f"{cue} ..." if cue else None
    return Unit(key, article, key, "speaker", key.split("-")[0], "", 0, 1, stance_text, side=side)


def _row(key: str, claim: str, stance: str, text: str, article: str = "a1") -> dict:
    return {
        "member_id": key,
        "claim_id": claim,
        "article_id": article,
        "statement_id": key,
        "voice": "speaker",
        "speaker": key.split("-")[0],
        "stance": stance,
        "text": text,
        "start": 0,
        "end": 1,
        "similarity": 0.7,
        "via": "meaning",
    }


# One article: Valdoria's minister accuses Ruritania of genocide (claim G) and of polluting
# the river (claim R); Ruritania's ministry affirms its own account of the camps (claim C)
# and rejects "claims of mistreating the Kel" (its words join claim D).
MEMBERS = [
    (_unit("berg-1", "Valdoria"), "G", "affirm", "Ruritania is committing genocide"),
    (_unit("berg-2", "Valdoria"), "R", "affirm", "Ruritania poisons the river"),
    (_unit("ministry-1", "Ruritania"), "C", "affirm", "the camps are schools"),
    (_unit("ministry-2", "Ruritania"), "D", "deny", "claims of mistreating the Kel"),
]


def _rebuttals(members, articles=("a1",)) -> list[dict]:
    plan = _Plan(members=[(u, claim, 0.7) for u, claim, _, _ in members])
    rows = [_row(u.key, claim, stance, text, u.article_id) for u, claim, stance, text in members]
    return rebuttal_rows(plan, rows, articles)


def test_a_generic_denial_denies_each_accusation_of_the_other_side():
    got = _rebuttals(MEMBERS)
    assert [(r["member_id"], r["claim_id"], r["stance"], r["via"]) for r in got] == [
        ("ministry-2>G", "G", "deny", REBUTTAL),
        ("ministry-2>R", "R", "deny", REBUTTAL),
    ]
    assert all(r["similarity"] is None and r["statement_id"] == "ministry-2" for r in got)
    assert {r["text"] for r in got} == {"claims of mistreating the Kel"}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # a denial that names no accusation is a denial of its own claim only
        (lambda m: m[:3] + [(m[3][0], "D", "deny", "the Kel live in peace")], []),
        # a denial whose side is unknown rebuts nothing
        (lambda m: m[:3] + [(_unit("ministry-2", None), "D", "deny", m[3][3])], []),
        # an accusation of unknown side is not rebutted
        (lambda m: [(_unit("berg-1", None), *m[0][1:]), *m[1:]], ["R"]),
        # nor one the denial's own side also affirms
        (
            lambda m: [*m, (_unit("ministry-3", "Ruritania"), "G", "affirm", "it is genocide")],
            ["R"],
        ),
        # a voice that speaks to the claim in its own words is not counted again
        (lambda m: [*m, (_unit("ministry-4", "Ruritania"), "G", "deny", "no genocide")], ["R"]),
        # a report or an affirmation of the accusation is no denial
        (lambda m: m[:3] + [(m[3][0], "D", "report", m[3][3])], []),
    ],
)
def test_what_a_generic_denial_does_not_rebut(change, expected):
    assert [r["claim_id"] for r in _rebuttals(change(MEMBERS))] == expected


def test_a_voice_rebuts_a_claim_once_with_its_attacking_denial_first():
    more = [
        (_unit("ministry-5", "Ruritania"), "D", "deny", "smears spread by Valdoria"),
        (_unit("ministry-6", "Ruritania", cue="rejected"), "E", "deny", "the allegations"),
    ]
    got = _rebuttals(MEMBERS + more)
    assert [(r["claim_id"], r["statement_id"]) for r in got] == [
        ("G", "ministry-6"),
        ("R", "ministry-6"),
    ]


def test_only_the_articles_linked_now_are_read():
    other = [(_unit(u.key, u.side, "a2"), c, s, t) for u, c, s, t in MEMBERS]
    assert [r["article_id"] for r in _rebuttals(MEMBERS + other, articles=["a2"])] == ["a2", "a2"]
    assert _rebuttals(MEMBERS, articles=[]) == []


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, seeds_store):
    return copy_store(seeds_store[0], tmp_path_factory.mktemp("rebut") / "s.db")


def test_a_store_from_before_rebuttals_reads_read_only(tmp_path, seeds_db):
    """A store linked before migration 4, opened read-only (compare, export, report do not
    migrate): every member joined by meaning, and the commands work."""
    old = tmp_path / "old.db"
    shutil.copy(seeds_db, old)
    with sqlite3.connect(old) as con:
        con.execute("DELETE FROM claim_members WHERE via='rebuttal'")
        con.execute("ALTER TABLE claim_members DROP COLUMN via")
        con.execute("DELETE FROM schema_migrations WHERE version=4")
    store = open_store(old, readonly=True)
    try:
        members = list(store.claim_members())
    finally:
        store.close()
    assert members and {m["via"] for m in members} == {"meaning"}
    for args in (("compare",), ("export", "claims", "--format", "csv")):
        res = invoke_cli(*args, "--db", str(old))
        assert res.returncode == 0, res.stderr.decode()
    assert "rebuttals" not in invoke_cli("compare", "--db", str(old)).stdout.decode()


def test_seeds_store_keeps_the_rebuttals_apart(seeds_db):
    """On the seeds, China's "claims of mistreating the Uighurs" (Press TV, 001) joins the UN
    panel's detention claim by its words and denies Blinken's genocide charge by rebuttal;
    the store says which is which, and the link step's counts leave rebuttals out."""
    db = seeds_db
    store = open_store(db, readonly=True)
    try:
        claims = {c["claim_id"]: c for c in store.claims()}
        members = list(store.claim_members())
        counted = {c["claim_id"]: c["articles"] for c in store.claim_centroids()}
        articles = list(store.articles())
    finally:
        store.close()
    mistreating = [m for m in members if m["text"] == "claims of mistreating the Uighurs"]
    (meant,) = [m for m in mistreating if m["via"] == "meaning"]
    rebuts = [m for m in mistreating if m["via"] == "rebuttal"]
    assert meant["similarity"] is not None and "uighur" in claims[meant["claim_id"]]["key_terms"]
    assert rebuts and all(m["similarity"] is None for m in rebuts)
    assert {(m["speaker"], m["stance"]) for m in rebuts} == {("China", "deny")}
    (genocide,) = [
        claims[m["claim_id"]] for m in rebuts if "genocide" in claims[m["claim_id"]]["key_terms"]
    ]
    assert all(m["via"] in ("meaning", "rebuttal") for m in members)
    # the link step's own per-article counts are of members by meaning only
    for claim_id, per_article in counted.items():
        by_meaning = [m for m in members if m["claim_id"] == claim_id and m["via"] == "meaning"]
        assert sum(per_article.values()) == len(by_meaning)
    # the matrix counts the rebuttal as Press TV carrying a denial of the charge
    cell = build_matrix([genocide], members, articles)["rows"][0]["cells"]
    press_tv = next(v for v in cell.values() if meant["article_id"] in v["articles"])
    assert press_tv["speakers"]["deny"] >= 1 and press_tv["speakers"]["affirm"] >= 1
    assert {m["via"] for m in press_tv["members"]} == {"meaning", "rebuttal"}
    # `compare` says how many of the denials it counts are rebuttals
    n = sum(m["via"] == "rebuttal" for m in members)
    out = " ".join(invoke_cli("compare", "--db", str(db)).stdout.decode().split())
    assert f"Claims: {n} of the denials counted are rebuttals" in out
