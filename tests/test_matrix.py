"""Claim x outlet matrix: the cell rule (outlet voice first, carried speakers apart), blindspots,
flat rows; a store without claims; and the issue's genocide row on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from claimgraph.analyze.compare import compare
from claimgraph.analyze.matrix import build_matrix, cell, has_claims, load_claims, matrix_rows
from claimgraph.present.compare_view import _claims_table, render
from claimgraph.store import open_store
from conftest import copy_store

ARTICLES = [
    {"id": "a1", "outlet": "Herald"},
    {"id": "a2", "outlet": "Herald"},
    {"id": "b1", "outlet": "Ledger"},
    {"id": "n1", "outlet": None, "sources": "n1.txt"},  # read from a store before migration 10
]
CLAIMS = [
    {"claim_id": "dam", "label": "the dam floods the valley", "key_terms": ["dam", "flood"]},
    {"claim_id": "talks", "label": "talks will resume", "key_terms": ["talks"]},
    {"claim_id": "other", "label": "only in an unselected article", "key_terms": []},
]


def member(mid, claim, article, voice, stance, speaker=None, statement=None):
    return {
        "member_id": mid,
        "claim_id": claim,
        "article_id": article,
        "statement_id": statement,
        "voice": voice,
        "speaker": speaker,
        "stance": stance,
    }


MEMBERS = [
    # Herald: its own narration affirms once, reports once; it carries a denial
    member("m1", "dam", "a1", "outlet", "affirm"),
    member("m2", "dam", "a2", "outlet", "report"),
    member("m3", "dam", "a1", "speaker", "deny", "Ilka Dorn", "s1"),
    # Ledger: carries two denials and one affirmation, no own voice
    member("m4", "dam", "b1", "speaker", "deny", "Ilka Dorn", "s2"),
    member("m5", "dam", "b1", "speaker", "deny", "Jon Korva", "s3"),
    member("m6", "dam", "b1", "speaker", "affirm", "Teodor Ashby", "s4"),
    # unnamed source: one affirmation and one denial carried -> mixed
    member("m7", "dam", "n1", "speaker", "affirm", "Teodor Ashby", "s5"),
    member("m8", "dam", "n1", "speaker", "deny", "Ilka Dorn", "s6"),
    # talks: only the Ledger, reporting a speaker who neither affirms nor denies
    member("m9", "talks", "b1", "speaker", "report", "Marenne", "s7"),
    # a claim whose only member is outside the selected articles
    member("m10", "other", "zz", "outlet", "deny"),
]


def test_cells_follow_the_rule():
    m = build_matrix(CLAIMS, MEMBERS, ARTICLES)
    assert m["columns"] == ["Herald", "Ledger", "unnamed source: n1.txt"]
    assert [r["claim_id"] for r in m["rows"]] == ["dam", "talks"]  # "other": no member here
    dam = m["rows"][0]["cells"]
    herald, ledger, none = dam["Herald"], dam["Ledger"], dam["unnamed source: n1.txt"]
    assert (herald["stance"], herald["source"], herald["carried"]) == ("affirm", "outlet", "deny")
    assert herald["outlet_voice"] == {"affirm": 1, "deny": 0, "report": 1}
    assert herald["speakers"] == {"affirm": 0, "deny": 1, "report": 0}
    assert herald["articles"] == ["a1", "a2"]
    assert (ledger["stance"], ledger["source"], ledger["carried"]) == ("report", "speakers", "deny")
    assert ledger["speakers"] == {"affirm": 1, "deny": 2, "report": 0}
    assert [x["statement_id"] for x in ledger["members"]] == ["s2", "s3", "s4"]
    assert (none["stance"], none["carried"]) == ("report", "mixed")
    talks = m["rows"][1]["cells"]
    assert (talks["Ledger"]["stance"], talks["Ledger"]["carried"]) == ("report", "report")
    assert talks["Herald"] == {
        "stance": "absent",
        "source": None,
        "carried": None,
        "outlet_voice": {"affirm": 0, "deny": 0, "report": 0},
        "speakers": {"affirm": 0, "deny": 0, "report": 0},
        "n_members": 0,
        "rebuttals": 0,
        "articles": [],
        "members": [],
    }
    assert m["blindspots"] == {
        "Herald": ["talks"],
        "Ledger": [],
        "unnamed source: n1.txt": ["talks"],
    }


def test_a_cell_lists_up_to_its_limit_and_counts_every_member():
    """With a limit, a cell lists its first members and its smallest article ids, however
    they come, while its stance and counts are of all its members (a bounded matrix)."""
    shuffled = [MEMBERS[i] for i in (5, 1, 2, 0, 7, 4, 3, 6, 8, 9)]  # a2 before a1
    shuffled[1] = {**shuffled[1], "via": "rebuttal"}
    full = build_matrix(CLAIMS, shuffled, ARTICLES)
    for limit in (0, 1, 2):
        cut = build_matrix(CLAIMS, shuffled, ARTICLES, limit=limit)
        assert cut["blindspots"] == full["blindspots"]
        for r_full, r_cut in zip(full["rows"], cut["rows"], strict=True):
            for col, c in r_full["cells"].items():
                k = r_cut["cells"][col]
                assert k["members"] == c["members"][:limit]
                assert k["articles"] == c["articles"][:limit]
                same = ("members", "articles")
                assert {x: v for x, v in k.items() if x not in same} == {
                    x: v for x, v in c.items() if x not in same
                }
    herald = full["rows"][0]["cells"]["Herald"]
    assert herald["articles"] == ["a1", "a2"] and herald["rebuttals"] == 1
    assert [x["member_id"] for x in herald["members"]] == ["m2", "m3", "m1"]
    cut = build_matrix(CLAIMS, shuffled, ARTICLES, limit=1)["rows"][0]["cells"]["Herald"]
    assert (cut["articles"], cut["n_members"], cut["rebuttals"]) == (["a1"], 3, 1)


@pytest.mark.parametrize(
    ("stances", "expected"),
    [
        (["affirm", "deny"], "report"),  # own voice affirms and denies as often
        (["deny", "deny", "affirm"], "deny"),
        (["report", "report"], "report"),
    ],
)
def test_outlet_voice_ties_and_majorities(stances, expected):
    ms = [member(f"m{i}", "c", "a", "outlet", s) for i, s in enumerate(stances)]
    assert cell(ms)["stance"] == expected


def test_flat_rows():
    rows = list(matrix_rows(build_matrix(CLAIMS, MEMBERS, ARTICLES)))
    assert len(rows) == 6
    ledger = next(r for r in rows if r["claim_id"] == "dam" and r["outlet"] == "Ledger")
    assert ledger == {
        "claim_id": "dam",
        "claim_label": "the dam floods the valley",
        "topic_id": None,  # topics not assigned (claimgraph.claims.topics)
        "topic": None,
        "outlet": "Ledger",
        "stance": "report",
        "source": "speakers",
        "carried": "deny",
        "outlet_affirm": 0,
        "outlet_deny": 0,
        "outlet_report": 0,
        "speakers_affirm": 1,
        "speakers_deny": 2,
        "speakers_report": 0,
        "n_members": 3,
        "article_ids": ["b1"],
        "member_ids": ["m4", "m5", "m6"],
        "statement_ids": ["s2", "s3", "s4"],
    }


def test_rows_are_grouped_under_their_topic():
    river = {"topic_id": "topic-river", "topic": "the river"}
    claims = [
        {**CLAIMS[0], **river},
        {**CLAIMS[1], "topic_id": "topic-talks", "topic": "talks"},
        {"claim_id": "flow", "label": "the flow will fall", "key_terms": [], **river},
    ]
    members = [*MEMBERS, member("m11", "flow", "a2", "outlet", "affirm")]
    m = build_matrix(claims, members, ARTICLES)
    assert [r["claim_id"] for r in m["rows"]] == ["dam", "flow", "talks"]
    assert m["topics"] == [
        {
            "topic_id": "topic-river",
            "topic": "the river",
            "n_members": 9,
            "claim_ids": ["dam", "flow"],
        },
        {"topic_id": "topic-talks", "topic": "talks", "n_members": 1, "claim_ids": ["talks"]},
    ]
    # claims read before topics are assigned: one group without a topic
    assert build_matrix(CLAIMS, MEMBERS, ARTICLES)["topics"] == [
        {"topic_id": None, "topic": None, "n_members": 9, "claim_ids": ["dam", "talks"]}
    ]
    console = Console(record=True, width=200)
    console.print(_claims_table(m))
    text = console.export_text()
    assert "the river (2 claims, 9 members)" in text
    assert text.index("the river") < text.index("the dam floods") < text.index("flow will")
    assert text.index("flow will") < text.index("talks (1 claim,") < text.index("talks will")


def test_store_without_claims_gives_an_empty_matrix(tmp_path):
    from test_compare import add, ashby

    store = open_store(tmp_path / "x.db")
    add(store, "own", "Herald", "A story.", [ashby()])
    if has_claims(store) and list(store.claims()):  # type: ignore[attr-defined]
        pytest.fail("a fresh store has claims")
    assert load_claims(store) == ([], [])
    result = compare(store, n_boot=10)
    assert result["matrix"] == {
        "columns": ["Herald"],
        "rows": [],
        "topics": [],
        "blindspots": {"Herald": []},
    }
    console = Console(record=True, width=150, color_system=None)
    render(result, console)
    assert "No claims in the store" in console.export_text()
    store.close()


def test_render_matrix_cells():
    from claimgraph.present.compare_view import _claims_table

    console = Console(record=True, width=250, color_system=None)
    console.print(_claims_table(build_matrix(CLAIMS, MEMBERS, ARTICLES)))
    out = console.export_text()
    assert "affirm (own 1+/0−/1=) · carries deny 0+/1−/0=" in out
    assert "report · carries deny 1+/2−/0=" in out
    assert "absent" in out


# -- the seeds: the genocide claim row ---------------------------------------------------------

CAREFUL_READER = {
    # outlet (by seed file prefix): what it carries on the genocide charge. No seed outlet
    # takes a side in its own words; each reports voices:
    "000": {"affirm", "deny"},  # ANI: Wang Wenbin denies, Blinken's "ongoing genocide"
    "001": {"affirm", "deny"},  # Press TV: Wang's "concocted lies", Blinken "claimed"
    "002": {"deny"},  # Xinhua: Xu Guixiang denounces Pompeo's "genocide" allegation
    "003": {"deny"},  # Wang Wenbin: "false allegations such as 'genocide'"
    # CNSNews: Blinken and Hussain repeat the genocide charge; Zhao Lijian ("all lies and
    # rumors related to Xinjiang have fallen apart") and Hua Chunying ("the horrendous
    # atrocities depicted by some in the U.S. simply do not exist") deny it
    "004": {"affirm", "deny"},
}


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, seeds_store):
    return copy_store(seeds_store[0], tmp_path_factory.mktemp("seedsm") / "s.db")


def test_seeds_genocide_row_reads_as_a_careful_reader(seeds_db):
    """001's Chinese voices deny "claims of mistreating the Uighurs" and "lies" in general:
    their words join the detention and sanctions claims, and they also deny the genocide
    charge Blinken makes in the same article (rebuttal members, `rebuttal_rows`)."""
    _check_genocide_row(seeds_db, CAREFUL_READER)


def _check_genocide_row(seeds_db, careful_reader: dict[str, set[str]]) -> None:
    store = open_store(seeds_db, readonly=True)
    try:
        claims, members = load_claims(store)
        articles = list(store.articles())
    finally:
        store.close()
    genocide = [
        c for c in claims if "genocide" in (c["label"] + " " + " ".join(c["key_terms"])).lower()
    ]
    assert genocide, "no genocide claim in the store"
    row_claim = max(genocide, key=lambda c: c["n_members"])
    m = build_matrix(
        [row_claim],
        members,
        articles,
        key_of=lambda a: Path((a.get("sources") or "").split("; ")[0]).name[:3],
    )
    (row,) = m["rows"]
    for prefix, carried in careful_reader.items():
        got = row["cells"][prefix]
        assert got["stance"] == "report", (prefix, got)
        polar = {s for s in ("affirm", "deny") if got["speakers"][s]}
        assert polar == carried, (prefix, got["speakers"])
