"""Metadata that can be corrected without re-analysis (issue #27): a sidecar added or edited
after the first run, or an --outlets table, is applied to the stored articles on the next run
(the run says how many were updated) without extracting anything again; --force re-reads
everything. On SQLite and on a real PostgreSQL server alike."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke_cli

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures

TALKS = (
    "LUSSEN, March 14 -- Water minister Jane Roe said on Monday that the dam would open in "
    'spring. "We will share the water with our neighbours," Roe told reporters.\n'
)
STORM = (
    "KORVA, March 15 -- The storm closed the port for two days, harbour master Ilka Dorn "
    'said. "The ferries will run again on Friday," she added.\n'
)
LEXICON = """
version = 1
include_builtin = true
[groups.water]
[groups.water.terms]
"dam" = []
"barrage" = []
"""


def _run(db: str, folder: Path, *args: str) -> str:
    res = invoke_cli("analyze", str(folder), "--db", db, "--no-link", "-q", *args)
    assert res.returncode == 0, res.stderr.decode()
    return re.sub(r" \(\d+\.\ds\) -> .*$", "", res.stdout.decode().strip())


def _export(db: str, what: str) -> list[dict[str, Any]]:
    res = invoke_cli("export", what, "--db", db)
    assert res.returncode == 0, res.stderr.decode()
    return [json.loads(line) for line in res.stdout.decode().splitlines()]


def _article(db: str, name: str) -> dict[str, Any]:
    return next(a for a in _export(db, "articles") if a["sources"].endswith(name))


def _but_outlet(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statement rows without the outlet their article now has."""
    return [{k: v for k, v in r.items() if k != "outlet"} for r in rows]


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        return str(request.getfixturevalue("pg_url"))
    return str(tmp_path / "store.db")


def test_a_sidecar_added_or_edited_later_is_applied_without_reanalysis(db: str, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "talks.txt").write_text(TALKS, encoding="utf-8")
    (folder / "storm.txt").write_text(STORM, encoding="utf-8")
    assert _run(db, folder) == "2 stored, 0 skipped as unchanged, 0 duplicates, 0 failed"
    first = _article(db, "talks.txt")
    assert (first["outlet"], first["outlet_provenance"], first["title"]) == (
        "unnamed source: talks.txt",  # a row of its own until named
        "unnamed:source",
        None,
    )
    statements = _export(db, "statements")
    assert statements  # something was extracted, and must stay as it is

    terms = _export(db, "terms")
    assert not any(t["term"] == "dam" for t in terms)

    # a sidecar added after the first run; a lexicon that would find "dam" shows that
    # nothing is extracted again
    lexicon = tmp_path / "lexicon.toml"
    lexicon.write_text(LEXICON, encoding="utf-8")
    sidecar = folder / "talks.txt.meta.json"
    sidecar.write_text(json.dumps({"outlet": "Northbridge Wire", "title": "Ostra talks"}))
    assert _run(db, folder, "--lexicon", str(lexicon)) == (
        "0 stored, 1 updated (metadata), 1 skipped as unchanged, 0 duplicates, 0 failed"
    )
    now = _article(db, "talks.txt")
    assert (now["outlet"], now["outlet_provenance"]) == ("Northbridge Wire", "given:sidecar")
    assert (now["title"], now["title_provenance"]) == ("Ostra talks", "given:sidecar")
    assert _but_outlet(_export(db, "statements")) == _but_outlet(statements)
    assert _but_outlet(_export(db, "terms")) == _but_outlet(terms)
    hits = json.loads(invoke_cli("search", "Ostra", "--db", db, "--json").stdout)
    assert [h["label"] for h in hits] == ["Ostra talks"]  # the title is searched too

    # the same sidecar edited: a wrong outlet name corrected
    sidecar.write_text(json.dumps({"outlet": "Northbridge Wire Service", "title": "Ostra talks"}))
    assert _run(db, folder) == (
        "0 stored, 1 updated (metadata), 1 skipped as unchanged, 0 duplicates, 0 failed"
    )
    assert _article(db, "talks.txt")["outlet"] == "Northbridge Wire Service"
    by_outlet = {
        s["outlet"] for s in _export(db, "statements") if s["source"].endswith("talks.txt")
    }
    assert by_outlet == {"Northbridge Wire Service"}
    assert _run(db, folder) == "0 stored, 2 skipped as unchanged, 0 duplicates, 0 failed"

    # an --outlets table given later adds the outlet's details
    table = tmp_path / "outlets.csv"
    table.write_text("domain,name,country,type\n,Northbridge Wire Service,Valdoria,private\n")
    assert _run(db, folder, "--outlets", str(table)) == (
        "0 stored, 1 updated (metadata), 1 skipped as unchanged, 0 duplicates, 0 failed"
    )
    talks = _article(db, "talks.txt")
    assert (talks["outlet_country"], talks["outlet_type"]) == ("Valdoria", "private")
    # a run without the table leaves what it gave
    assert _run(db, folder) == "0 stored, 2 skipped as unchanged, 0 duplicates, 0 failed"
    assert _article(db, "talks.txt")["outlet_country"] == "Valdoria"

    # --force reads and extracts everything again (with the lexicon given now)
    assert _run(db, folder, "--force", "--lexicon", str(lexicon)) == (
        "2 stored (2 extracted again), 0 skipped as unchanged, 0 duplicates, 0 failed"
    )
    assert [t["variant"] for t in _export(db, "terms") if t["term"] == "dam"] == ["dam"]
    again = _article(db, "talks.txt")
    assert (again["sources"], again["outlet"]) == (first["sources"], "Northbridge Wire Service")
    assert len(_export(db, "articles")) == 2
    assert [s["text"] for s in _export(db, "statements")] == [s["text"] for s in statements]
