"""CLI habits of the ecosystem (issue #27): `-` is standard output, $CLAIMGRAPH_DB names the
store once, counts agree with their nouns, HTML routes answer 404 with an HTML page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import invoke_cli

ARTICLE = (
    "Ostra talks resume in Lussen\n\n"
    "LUSSEN, March 14 (Northbridge) -- Water minister Jane Roe said on Monday that the dam "
    'would open in spring. "We will share the water with our neighbours," Roe told reporters.\n'
)


@pytest.fixture(scope="module")
def one_db(tmp_path_factory) -> Path:
    """A store of one article, made with $CLAIMGRAPH_DB and no --db."""
    folder = tmp_path_factory.mktemp("one")
    (folder / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    db = folder / "env.db"
    res = invoke_cli(
        "analyze", str(folder / "talks.txt"), "--no-link", "--quiet",
        cwd=folder, env={"CLAIMGRAPH_DB": str(db)},
    )  # fmt: skip
    assert res.returncode == 0, res.stderr.decode()
    assert res.stdout.decode().startswith("1 stored, 0 skipped as unchanged, 0 duplicates,")
    assert res.stdout.decode().rstrip().endswith(f"-> {db}")
    assert db.is_file() and not (folder / "claimgraph.db").exists()
    return db


def test_claimgraph_db_is_the_default_store_of_every_command(one_db: Path, tmp_path: Path):
    env = {"CLAIMGRAPH_DB": str(one_db)}
    res = invoke_cli("export", "articles", cwd=tmp_path, env=env)
    assert res.returncode == 0, res.stderr.decode()
    rows = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert [r["title"] for r in rows] == ["Ostra talks resume in Lussen"]
    for args in (["compare", "--json"], ["search", "dam", "--json"], ["summary", "--out", "-"]):
        res = invoke_cli(*args, cwd=tmp_path, env=env)
        assert res.returncode == 0, (args, res.stderr.decode())
    # --db still wins over the variable
    res = invoke_cli("export", "articles", "--db", str(tmp_path / "none.db"), cwd=tmp_path, env=env)
    assert res.returncode == 2
    assert "database not found" in res.stderr.decode()
    # and the help says where the default comes from
    assert "CLAIMGRAPH_DB" in invoke_cli("export", "--help").stdout.decode()


def test_out_dash_writes_to_standard_output(one_db: Path, tmp_path: Path):
    res = invoke_cli("export", "articles", "--db", str(one_db), "--out", "-", cwd=tmp_path)
    assert res.returncode == 0, res.stderr.decode()
    assert json.loads(res.stdout.decode())["title"] == "Ostra talks resume in Lussen"
    csv = invoke_cli("export", "statements", "--db", str(one_db), "--format", "csv", "--out", "-")
    assert csv.stdout.decode().splitlines()[0].startswith("id,")
    html = invoke_cli("summary", "--db", str(one_db), "--out", "-", cwd=tmp_path)
    assert html.returncode == 0, html.stderr.decode()
    assert html.stdout.decode().lstrip().lower().startswith("<!doctype html>")
    assert "summary ->" not in html.stdout.decode()
    assert list(tmp_path.iterdir()) == []  # no file named "-"
    rep = invoke_cli("report", "--db", str(one_db), "--out", "-", cwd=tmp_path)
    assert rep.returncode == 2
    assert rep.stderr.decode().strip() == (
        "error: the report is a folder of pages, not one stream: pass --out FOLDER"
    )


def test_counts_agree_with_their_nouns(one_db: Path, tmp_path: Path):
    res = invoke_cli("export", "articles", "--db", str(one_db), "--out", str(tmp_path / "a.jsonl"))
    assert res.stderr.decode().strip() == f"1 article -> {tmp_path / 'a.jsonl'}"
    res = invoke_cli("export", "cues", "--db", str(one_db), "--out", str(tmp_path / "c.jsonl"))
    n = len((tmp_path / "c.jsonl").read_text().splitlines())
    assert (
        res.stderr.decode().strip() == f"{n} cue{'' if n == 1 else 's'} -> {tmp_path / 'c.jsonl'}"
    )


def test_html_routes_answer_404_with_a_page_and_the_api_with_json(one_db: Path):
    from fastapi.testclient import TestClient

    from claimgraph.present.web import create_app

    client = TestClient(create_app(str(one_db), n_boot=10))
    for path in ("/nope.html", "/nope", "/article/a/b.html", "/outlets/x"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html"), path
        assert "<h1>Not found</h1>" in r.text and "content-security-policy" in r.headers
        depth = path.count("/") - 1
        assert f'href="{"../" * depth}index.html"' in r.text, path
    api = client.get("/api/nope")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    assert client.get("/api/articles/nope").json()["detail"]


def test_outlets_table_from_standard_input(tmp_path: Path):
    (tmp_path / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "s.db")
    table = b"domain,name,country,type\n,Northbridge,Valdoria,private\n"
    res = invoke_cli("analyze", str(tmp_path / "talks.txt"), "--db", db, "--no-link", "-q",
                  "--outlets", "-", stdin=table)  # fmt: skip
    assert res.returncode == 0, res.stderr.decode()
    row = json.loads(invoke_cli("export", "articles", "--db", db).stdout)
    assert (row["outlet"], row["outlet_country"], row["outlet_type"]) == (
        "Northbridge",
        "Valdoria",
        "private",
    )
    both = invoke_cli("analyze", "-", "--db", db, "--outlets", "-", stdin=table)
    assert both.returncode == 2
    assert both.stderr.decode() == (
        "error: standard input can give the articles or the outlets table, not both: "
        "save one of them to a file\n"
    )


def test_lexicon_from_standard_input(tmp_path: Path):
    (tmp_path / "talks.txt").write_text(ARTICLE, encoding="utf-8")
    db = str(tmp_path / "s.db")
    lexicon = b'version = 1\n[groups.water]\n[groups.water.terms]\n"dam" = []\n"barrage" = []\n'
    res = invoke_cli("analyze", str(tmp_path / "talks.txt"), "--db", db, "--no-link", "-q",
                  "--lexicon", "-", stdin=lexicon)  # fmt: skip
    assert res.returncode == 0, res.stderr.decode()
    terms = [
        json.loads(line) for line in invoke_cli("export", "terms", "--db", db).stdout.splitlines()
    ]
    # "said ... that the dam would open": inside Roe's reported speech
    assert [(t["term"], t["voice"]) for t in terms] == [("dam", "quoted")]
    both = invoke_cli("analyze", "-", "--db", db, "--lexicon", "-", stdin=lexicon)
    assert both.returncode == 2
    assert both.stderr.decode() == (
        "error: standard input can give one of the articles, the outlets table or the "
        "lexicon: save the others to a file\n"
    )
