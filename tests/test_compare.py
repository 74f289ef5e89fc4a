"""compare(): one JSON-serialisable result; render(): rich tables, article text never markup."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from claimgraph.analyze.compare import compare
from claimgraph.errors import UsageError
from claimgraph.extract.records import Cue, Extraction, Statement, TermUse
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.present.compare_view import fmt_share, render
from claimgraph.store import open_store

STORY = (
    "Valdoria began filling the Ostra reservoir on Monday, officials in Korva said, as talks "
    "with Marenne over the river's water stalled again. Engineers expect the lake behind the "
    "dam to reach its full height within two years, flooding fourteen villages in the valley. "
    "Marenne says the river's flow across the border will fall sharply in dry months."
)
QUOTE = "“Valdoria is drowning our valleys and silencing our people,”"


def add(store, aid, outlet, text, statements, **meta):
    metas = {k: Meta(v, GIVEN_RECORD) for k, v in meta.items()}
    if outlet:
        metas["outlet"] = Meta(outlet, GIVEN_RECORD)
    raw = RawArticle(source=f"{aid}.txt", text=text, fmt="txt", meta=metas)
    ex = Extraction(
        statements,
        [Cue("so_called", 0, 9, "so-called")],
        [TermUse("relocation villages", "relocation villages", 0, 5, "narrated")],
    )
    store.write_article(aid, raw, ex, n_words=100, extractor_version="t")


def ashby(text=QUOTE, cue="said", cls="neutral", speaker="Teodor Ashby"):
    return Statement(
        "direct",
        0,
        len(text),
        text,
        speaker=speaker,
        speaker_affiliation="Marenne",
        speaker_role="official",
        cue=cue,
        cue_class=cls,
    )


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "x.db")
    add(
        s,
        "wire",
        "Northbridge Wire",
        STORY,
        [ashby()],
        agency="Northbridge",
        published="2026-03-13",
    )
    add(s, "copy", "Ledger", STORY.replace("again", "once more"), [ashby()], agency="Northbridge")
    add(
        s,
        "own",
        "Herald",
        "An unrelated story about barley prices in the northern hills this autumn.",
        [
            ashby(
                "“Valdoria is drowning our valleys and silencing our people”",
                "claimed",
                "distancing",
                "[bold red]Marenne[/]",
            )
        ],
    )
    yield s
    s.close()


def test_compare_is_json_and_complete(store):
    result = compare(store, n_boot=50)
    assert json.loads(json.dumps(result)) == result
    assert set(result) == {
        "options",
        "outlets",
        "wire_groups",
        "talking_points",
        "quote_variants",
        "matrix",
        "timeline",
    }
    labels = [p["label"] for p in result["outlets"]]
    assert labels == ["Herald", "Northbridge Wire"]  # the Ledger ran only a wire copy
    assert [(g["original"], g["copies"]) for g in result["wire_groups"]] == [("wire", ["copy"])]
    (v,) = result["quote_variants"]
    assert {m["article_id"]: m["is_wire_copy"] for m in v["members"]} == {
        "wire": False,
        "copy": True,
        "own": False,
    }
    herald = result["outlets"][0]
    assert herald["voices_by_affiliation"]["Marenne"] == {
        "value": 1.0,
        "lo": None,  # one article: no interval
        "hi": None,
        "num": 1.0,
        "den": 1.0,
    }


def test_compare_outlets_and_wire_copies_counted(store):
    result = compare(store, outlets=["Ledger"], count_wire_copies=True, n_boot=20)
    assert [p["label"] for p in result["outlets"]] == ["Ledger"]
    assert len(result["wire_groups"]) == 1 and len(result["quote_variants"]) == 1
    only_herald = compare(store, outlets=["Herald"], n_boot=20)
    assert only_herald["wire_groups"] == []
    with pytest.raises(UsageError, match="unknown outlet"):
        compare(store, outlets=["Nobody"])


def test_render_tables_and_no_markup_injection(store):
    console = Console(record=True, width=220, color_system=None)
    render(compare(store, n_boot=50), console)
    out = console.export_text()
    for title in (
        "Voices by speaker affiliation",
        "Voices by country of affiliation",
        "Speakers by country (each speaker once per article)",
        "Voices by speaker role",
        "Reporting-verb classes",
        "Framing cues per 1,000 words",
        "Contested terms",
        "Wire copies",
        "Quote variants",
    ):
        assert title in out
    assert "[bold red]Marenne[/]" in out  # shown as written, not interpreted
    assert "│ 100% " in out and "100% (100–100)" not in out  # one article: no interval
    assert "other verb class" in out and "wire copy" in out
    # a group listed up to its limit says how many more copies it has
    listed = compare(store, n_boot=20, list_limit=1)
    (group,) = listed["wire_groups"]
    assert len(group["members"]) == 1 < group["n_members"]
    console = Console(record=True, width=220, color_system=None)
    render(listed, console)
    more = group["n_members"] - 1
    assert f"and {more} more ('claimgraph export wire')" in console.export_text()
    assert "more ('claimgraph export wire')" not in out


@pytest.mark.parametrize(
    ("share", "percent", "text"),
    [
        ({"value": 0.75, "lo": 0.5, "hi": 1.0}, True, "75% (50–100)"),
        ({"value": 9.8625, "lo": 7.5, "hi": 13.46}, False, "9.9 (7.5–13.5)"),
        ({"value": 0.5, "lo": None, "hi": None}, True, "50%"),
        ({"value": None, "lo": None, "hi": None}, True, "—"),
        (None, True, "—"),
    ],
)
def test_fmt_share(share, percent, text):
    assert fmt_share(share, percent=percent) == text


def test_empty_store_and_no_resampling(tmp_path, store):
    empty = open_store(tmp_path / "empty.db")
    result = compare(empty, n_boot=10)
    assert (result["outlets"], result["wire_groups"], result["quote_variants"]) == ([], [], [])
    console = Console(record=True, width=120, color_system=None)
    render(result, console)
    assert "No wire copies found." in console.export_text()
    empty.close()
    herald = compare(store, n_boot=0)["outlets"][0]
    assert herald["voices_by_affiliation"]["Marenne"]["lo"] is None
    assert fmt_share(herald["voices_by_affiliation"]["Marenne"]) == "100%"


# -- the CLI and the analysis exports ------------------------------------------------------------


def _invoke(*args):
    from click.testing import CliRunner

    from claimgraph.cli import main

    return CliRunner().invoke(main, list(args))


@pytest.fixture
def db(tmp_path, store):
    return str(tmp_path / "x.db")


def test_cli_compare_json_and_tables(db):
    res = _invoke("compare", "--db", db, "--json", "--outlets", "Herald,Northbridge Wire")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [p["label"] for p in data["outlets"]] == ["Herald", "Northbridge Wire"]
    assert data["matrix"]["columns"] == ["Herald", "Northbridge Wire"]
    counted = json.loads(_invoke("compare", "--db", db, "--json", "--count-wire-copies").stdout)
    assert [p["label"] for p in counted["outlets"]] == ["Herald", "Ledger", "Northbridge Wire"]
    res = _invoke("compare", "--db", db)
    assert res.exit_code == 0 and "Voices by speaker affiliation" in res.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--db", "nope.db"], "error: database not found: nope.db; run 'claimgraph analyze' first"),
        (["--outlets", " , "], "error: --outlets is empty; pass names separated by commas"),
        (
            ["--outlets", "Nobody"],
            "error: unknown outlet(s): Nobody; the store has: Herald, Ledger, Northbridge Wire",
        ),
    ],
)
def test_cli_compare_errors(db, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    res = _invoke("compare", *(args if "--db" in args else ["--db", db, *args]))
    assert res.exit_code == 2
    assert res.stderr.strip() == message


def test_export_analysis_tables(db, tmp_path):
    import csv

    import pyarrow.parquet as pq

    res = _invoke("export", "profiles", "--db", db)
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    herald = [
        r for r in rows if r["outlet"] == "Herald" and r["measure"] == "voices_by_affiliation"
    ]
    assert herald == [
        {
            "outlet": "Herald",
            "n_articles": 1,
            "measure": "voices_by_affiliation",
            "key": "Marenne",
            "value": 1.0,
            "lo": None,
            "hi": None,
            "num": 1.0,
            "den": 1.0,
        }
    ]
    wire = [json.loads(x) for x in _invoke("export", "wire", "--db", db).stdout.splitlines()]
    assert [(w["group"], w["article_id"], w["is_wire_copy"]) for w in wire] == [
        (1, "wire", False),
        (1, "copy", True),
    ]
    out = tmp_path / "v.csv"
    assert (
        _invoke("export", "variants", "--db", db, "--format", "csv", "--out", str(out)).exit_code
        == 0
    )
    with open(out, encoding="utf-8") as f:
        variants = list(csv.DictReader(f))
    assert sorted((v["article_id"], v["is_wire_copy"]) for v in variants) == [
        ("copy", "True"),
        ("own", "False"),
        ("wire", "False"),
    ]
    pq_out = tmp_path / "p.parquet"
    res = _invoke("export", "profiles", "--db", db, "--format", "parquet", "--out", str(pq_out))
    assert res.exit_code == 0, res.output
    table = pq.read_table(pq_out)
    assert table.schema.field("value").type == "double"
    assert len(table) == len(rows)
    # no claims yet: the matrix has a header and no rows
    matrix = _invoke("export", "matrix", "--db", db, "--format", "csv").stdout
    assert matrix.splitlines()[0].startswith("claim_id,claim_label,topic_id,topic,outlet,stance")
    assert len(matrix.splitlines()) == 1
    # only the wire original has a published date (Friday 13 March 2026, ISO week 11); its
    # quote's "on Monday" lies inside the quoted content, so it does not date the statement
    timeline = [
        json.loads(x) for x in _invoke("export", "timeline", "--db", db).stdout.splitlines()
    ]
    assert timeline == [
        {"period_type": "day", "period": "2026-03-13", "outlet": "Northbridge Wire",
         "claim_id": None, "n": 1},
        {"period_type": "week", "period": "2026-W11", "outlet": "Northbridge Wire",
         "claim_id": None, "n": 1},
    ]  # fmt: skip
