"""The real CLI end to end: seeds, malformed inputs, re-runs, duplicates, exports, stdin."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import copy_store, invoke_cli

SEED_META = {
    "000": {"outlet": "ANI", "agency": "ANI", "published": "2021-07-08", "dateline": "Beijing"},
    "001": {"outlet": "Press TV", "agency": None, "published": None},
    "002": {"outlet": "Tianshannet", "agency": "Xinhua", "published": None, "dateline": "Beijing"},
    # no outlet named: each stands apart under its own file (CNSNews and the Chinese outlet
    # are never pooled into one row)
    "003": {"outlet": "unnamed source: 003_898df97521179f3e.txt", "agency": None},
    "004": {"outlet": "unnamed source: 004_b7eb989937ca4d7c.txt", "agency": None},
}


@pytest.fixture(scope="module")
def seeds_run(seeds_store) -> tuple[Path, str]:
    """The seeds analyzed once (conftest.seeds_store): the store and what the run printed."""
    db, printed = seeds_store
    assert printed.startswith("5 stored, 0 skipped as unchanged, 0 duplicates, 0 failed (")
    return db, printed


@pytest.fixture(scope="module")
def seeds_db(seeds_store, tmp_path_factory) -> Path:
    """This module's copy of the seeds' store (a test re-runs analyze on it)."""
    return copy_store(seeds_store[0], tmp_path_factory.mktemp("seeds") / "seeds.db")


def test_tutorial_shows_what_analyze_prints_on_the_seeds(seeds_run):
    """docs/tutorial.md quotes the output of its `analyze` command on the seeds: the counts
    there are the ones a run prints (only the seconds and the database path differ)."""
    db, printed = seeds_run
    text = (Path(__file__).resolve().parents[1] / "docs" / "tutorial.md").read_text("utf-8")
    command = "claimgraph analyze ../shared/seeds --db xinjiang.db\n```\n\n```\n"
    assert command in text
    shown = text.split(command, 1)[1].split("```", 1)[0]

    def norm(out: str) -> list[str]:
        out = re.sub(r"\(\d+\.\d+s\)", "(Ns)", out)
        return out.replace(str(db), "xinjiang.db").strip().splitlines()

    assert norm(shown) == norm(printed)


def _export(db: Path, what: str, fmt: str = "jsonl") -> list[dict]:
    res = invoke_cli("export", what, "--db", str(db), "--format", fmt)
    assert res.returncode == 0, res.stderr.decode()
    text = res.stdout.decode()
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text)))
    return [json.loads(line) for line in text.splitlines()]


def test_seed_metadata_with_provenance(seeds_db):
    rows = {Path(r["source"]).name[:3]: r for r in _export(seeds_db, "articles")}
    assert sorted(rows) == sorted(SEED_META)
    for prefix, expected in SEED_META.items():
        for field, value in expected.items():
            assert rows[prefix][field] == value, (prefix, field)
            prov = rows[prefix][f"{field}_provenance"]
            want = "none" if value is None else "inferred:text"
            if value and value.startswith("unnamed source: "):
                want = "unnamed:source"
            assert prov == want, (prefix, field)
    assert rows["002"]["title"] == "Xinjiang officials refute allegations, welcome foreign visits"
    assert rows["000"]["title"] is None


def test_rerun_on_unchanged_inputs_adds_nothing(seeds_db, seeds_dir):
    before = _export(seeds_db, "statements")
    res = invoke_cli("analyze", str(seeds_dir), "--db", str(seeds_db), "--json")
    assert res.returncode == 0
    summary = json.loads(res.stdout)
    assert (summary["stored"], summary["unchanged"], summary["duplicate"], summary["failed"]) == (
        0,
        5,
        0,
        0,
    )
    assert _export(seeds_db, "statements") == before


@pytest.fixture(scope="module")
def seed_cues(seeds_db) -> list[dict]:
    return _export(seeds_db, "cues")


def test_exports_agree_across_formats(seeds_db, seed_cues, tmp_path):
    import pyarrow.parquet as pq

    for what in ("articles", "statements", "cues", "terms"):
        jsonl = seed_cues if what == "cues" else _export(seeds_db, what)
        rows_csv = _export(seeds_db, what, "csv")
        out = tmp_path / f"{what}.parquet"
        res = invoke_cli(
            "export", what, "--db", str(seeds_db), "--format", "parquet", "--out", str(out)
        )
        assert res.returncode == 0, res.stderr.decode()
        table = pq.read_table(out)
        assert len(jsonl) == len(rows_csv) == table.num_rows, what
        if jsonl:
            assert list(jsonl[0]) == list(rows_csv[0]) == table.column_names


def test_statement_offsets_point_into_the_stored_text(seeds_db):
    import sqlite3

    con = sqlite3.connect(seeds_db)
    texts = dict(con.execute("SELECT id, text FROM articles"))
    statements = _export(seeds_db, "statements")
    assert len(statements) >= 25
    for st in statements:
        assert texts[st["article_id"]][st["start"] : st["end"]] == st["text"]
        if st["speaker_start"] is not None:
            mention = texts[st["article_id"]][st["speaker_start"] : st["speaker_end"]]
            assert mention == st["speaker_mention"]


@pytest.mark.seeds
def test_seeds_cues_in_whose_voice(seed_cues):
    """Issue 26 through the CLI: the speakers' framing (ANI's scare quotes inside Wang's quote,
    Tianshannet's intensifiers in Xu's words) is not the outlets'; the outlets' own loaded
    words are (CNSNews's headline and narration; Press TV's label inside its summary of what
    China as a whole says, words no one uttered)."""
    cues = [(Path(c["source"]).name[:3], c) for c in seed_cues]

    def voices(prefix: str, cue_type: str) -> set[str]:
        return {c["voice"] for p, c in cues if p == prefix and c["type"] == cue_type}

    assert voices("000", "scare_quote") == {"speaker"}
    assert voices("002", "intensifier") == {"speaker"}
    own = {(p, c["text"]) for p, c in cues if c["voice"] == "outlet"}
    assert {("004", "Widely-Criticized"), ("001", "Takfiri outfits")} <= own
    assert any(p == "004" and t.startswith("echoed") and "talking points" in t for p, t in own)
    (takfiri,) = [c for p, c in cues if c["text"] == "Takfiri outfits"]
    assert (takfiri["type"], takfiri["statement_id"]) == ("name_calling", None)


def _write_malformed(folder: Path) -> None:
    import warcio.statusandheaders as sh
    from warcio.warcwriter import WARCWriter

    folder.mkdir()
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes(
        'Café owners in Marenne said prices had risen. "We cannot go on," said José Alvaréz.\n'.encode(
            "latin-1"
        )
    )
    (folder / "truncated.html").write_bytes(
        b"<html><head><title>Cut</title></head><body><article><p>Officials said the dam would open"
    )
    with open(folder / "big.txt", "wb") as f:
        f.write(b"word " * (10 * 1024 * 1024))  # 50 MiB
    (folder / "broken.jsonl").write_bytes(
        b'{"text": "Valid story one. The minister said it was fine.", "media_name": "Outlet A"}\n'
        b'{"text": broken\n'
        b'{"text": "Valid story three, said the spokesman.", "media_name": "Outlet B"}\n'
    )
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    html = (
        b"<html><head><title>Dam row</title></head><body><article><p>The ministry said on Monday that"
        b" the dam on the river Ostra was safe and that inspectors had found no cracks in the wall.</p>"
        b'<p>"There is no danger," the spokesman said.</p></article></body></html>'
    )
    headers = sh.StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    w.write_record(
        w.create_warc_record(
            "https://news.example/dam", "response", payload=io.BytesIO(html), http_headers=headers
        )
    )
    (folder / "broken.warc").write_bytes(
        buf.getvalue() + b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ngarbage"
    )


def test_malformed_folder_fails_each_bad_input_and_keeps_the_rest(tmp_path):
    bad = tmp_path / "bad"
    _write_malformed(bad)
    db = tmp_path / "bad.db"
    res = invoke_cli("analyze", str(bad), "--db", str(db), "--json")
    assert res.returncode == 1
    summary = json.loads(res.stdout)
    assert (summary["stored"], summary["failed"]) == (5, 5)
    reasons = {f["source"]: f["reason"] for f in summary["failures"]}
    assert reasons == {
        f"{bad}/big.txt": f"{bad}/big.txt is 52,428,800 bytes, over the 20,971,520-byte limit; pass --max-bytes to raise it",
        f"{bad}/binary.txt": f"{bad}/binary.txt looks like binary data, not text; give a text, HTML, JSON, CSV or WARC file",
        f"{bad}/broken.jsonl#2": "line 2: invalid JSON: Expecting value (column 10)",
        f"{bad}/broken.warc#2": "record 2: broken WARC record ('NoneType' object has no attribute 'startswith'); the records before it were read",
        f"{bad}/empty.txt": f"{bad}/empty.txt is empty",
    }
    articles = {r["source"]: r for r in _export(db, "articles")}
    assert sorted(articles) == sorted(
        [
            f"{bad}/broken.jsonl#1",
            f"{bad}/broken.jsonl#3",
            f"{bad}/latin1.txt",
            f"{bad}/truncated.html",
            "https://news.example/dam",
        ]
    )
    import sqlite3

    con = sqlite3.connect(db)
    text = con.execute("SELECT text FROM articles WHERE fmt='txt'").fetchone()[0]
    assert text.startswith("Café owners in Marenne") and "José Alvaréz" in text
    stored = dict(con.execute("SELECT source, reason FROM failures"))
    assert stored == reasons
    # the plain-text run says the same, one line per failure, then the count
    res2 = invoke_cli("analyze", str(bad), "--db", str(db))
    err = res2.stderr.decode().splitlines()
    assert res2.returncode == 1
    assert f"failed: {bad}/empty.txt: {bad}/empty.txt is empty" in err
    assert err[-1] == f"5 inputs failed; see the lines above or the 'failures' table of {db}"
    assert res2.stdout.decode().startswith(
        "0 stored, 5 skipped as unchanged, 0 duplicates, 5 failed ("
    )


def test_same_article_twice_is_stored_once_with_both_sources(tmp_path):
    folder = tmp_path / "dup"
    folder.mkdir()
    text = "The ministry said the bridge was safe.\n\nCritics disagreed, according to a report."
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.jsonl").write_text(
        json.dumps({"text": text.replace("\n\n", " "), "media_name": "Outlet B"}) + "\n"
    )
    db = tmp_path / "dup.db"
    res = invoke_cli("analyze", str(folder), "--db", str(db), "--json")
    summary = json.loads(res.stdout)
    assert (summary["stored"], summary["duplicate"], summary["failed"]) == (1, 1, 0)
    (row,) = _export(db, "articles")
    assert row["sources"] == f"{folder}/a.txt; {folder}/b.jsonl#1"


def test_stdin_is_read_as_text(tmp_path):
    db = tmp_path / "in.db"
    text = b'"We will not accept this," Foreign Minister Ana Perez said on Tuesday.\n'
    res = invoke_cli("analyze", "-", "--db", str(db), "--json", stdin=text)
    assert res.returncode == 0, res.stderr.decode()
    (row,) = _export(db, "articles")
    assert row["source"] == "-"
    (st,) = _export(db, "statements")
    assert st["speaker"] == "Ana Perez"


# --outlets (the user's own mapping by URL domain) names the outlet wherever a URL is known
SAMPLE_OUTLETS = {
    "01_vna_dam_rumours.txt": ("VNA", "inferred:text", "VNA", "Korva"),
    "02_rmi_displacement.html": ("Radio Marenne International", "given:outlets", None, None),
    "03_northbridge_wire.txt": ("Northbridge", "inferred:text", "Northbridge", "Lussen"),
    "04_ledger_wire_copy.txt": ("The Ostra Ledger", "given:sidecar", "Northbridge", "Lussen"),
    "05_meridian_rapporteur.html": ("The Meridian Herald", "given:outlets", None, None),
    "06_lpr_explainer.txt": ("Lindmark Public Radio", "given:sidecar", None, None),
    "07_vna_sanctions.txt": ("VNA", "inferred:text", "VNA", "Korva"),
    "08_ledger_opinion.html": ("The Ostra Ledger", "given:outlets", None, None),
    "09_witness_meridian.txt": ("The Meridian Herald", "given:sidecar", None, None),
    "10_mediacloud_export.jsonl#1": ("Northbridge Wire", "given:outlets", "Northbridge", "Lussen"),
    "10_mediacloud_export.jsonl#2": ("Lindmark Public Radio", "given:outlets", None, None),
    "11_rmi_statement.txt": ("Radio Marenne International", "given:sidecar", None, "Lussen"),
}


def test_sample_corpus_end_to_end(corpus_store, tmp_path):
    """`analyze examples/corpus --outlets examples/outlets.csv --json` (conftest.corpus_store),
    then `summary` on a copy of its store."""
    db = copy_store(corpus_store[0], tmp_path / "demo.db")
    summary = corpus_store[1]
    assert (summary["stored"], summary["duplicate"], summary["failed"]) == (12, 0, 0)
    rows = {Path(r["source"]).name: r for r in _export(db, "articles")}
    got = {
        k: (r["outlet"], r["outlet_provenance"], r["agency"], r["dateline"])
        for k, r in rows.items()
    }
    assert got == SAMPLE_OUTLETS
    assert rows["02_rmi_displacement.html"]["outlet_type"] == "state"
    assert rows["02_rmi_displacement.html"]["published"] == "2026-03-13"
    statements = _export(db, "statements")
    speakers = {s["speaker"] for s in statements}
    assert {"Teodor Ashby", "Karin Osei", "Sabine Roux"} <= speakers
    out = tmp_path / "summary.html"
    res = invoke_cli("summary", "--db", str(db), "--out", str(out))
    assert res.returncode == 0 and res.stdout.decode().strip() == f"summary -> {out}"
    page = out.read_text(encoding="utf-8")
    assert f"12 articles, 7 outlets, {len(statements)} statements" in page
