"""Actors across the corpus (claimgraph.link.actors): one name for a person however each
article names them, stored by the link step and used by the exports, report, web UI and API."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from claimgraph.link.actors import fold_bodies, fold_speakers
from claimgraph.present.gexf import build_graph
from claimgraph.present.web import create_app
from claimgraph.store import open_store
from conftest import invoke_cli

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures
P = "person"


def test_a_surname_alone_is_the_full_name_that_ends_in_it() -> None:
    assert fold_speakers([("Ilka Dorn", P, 5), ("Dorn", P, 2)]) == {"Dorn": "Ilka Dorn"}


@pytest.mark.parametrize(("other", "folds"), [(4, True), (6, False)])
def test_a_surname_of_several_goes_to_a_dominant_one_only(other, folds) -> None:
    rows = [("Mara Quist", P, 20), ("Lena Quist", P, other), ("Quist", P, 3)]
    # 20 statements against 4 is DOMINANCE (4) times the others; against 6 it is not
    assert fold_speakers(rows) == ({"Quist": "Mara Quist"} if folds else {})


def test_case_honorifics_and_middle_initials_do_not_make_another_person() -> None:
    rows = [
        ("Oskar Lind", P, 10),
        ("Oskar J. Lind", P, 3),
        ("Mr. Lind", P, 2),
        ("TEO VARGA", P, 1),
        ("Teo Varga", P, 4),
        ("VARGA", P, 2),
    ]
    assert fold_speakers(rows) == {
        "Oskar J. Lind": "Oskar Lind",
        "Mr. Lind": "Oskar Lind",
        "TEO VARGA": "Teo Varga",
        "VARGA": "Teo Varga",
    }


def test_a_name_only_ever_in_capitals_keeps_them() -> None:
    rows = [("USA TODAY", P, 3), ("KATE BOLDT", P, 2), ("BOLDT", P, 1)]
    assert fold_speakers(rows) == {"BOLDT": "KATE BOLDT"}


def test_a_word_that_begins_other_names_or_is_a_stop_word_is_no_surname() -> None:
    rows = [
        ("Tom John", P, 2),
        ("John Vale", P, 5),
        ("John Kerrin", P, 4),
        ("John", P, 3),  # the Johns who speak more are not Tom John
        ("Al From", P, 2),
        ("From", P, 1),  # a sentence's "From" the model took for a name
    ]
    assert fold_speakers(rows) == {}


def test_different_middle_names_and_suffixes_are_different_people() -> None:
    rows = [
        ("George H.W. Vale", P, 2),
        ("George W. Vale", P, 5),
        ("George Vale", P, 1),  # which of the two: neither
        ("Carl Berg Jr.", P, 2),
        ("Carl Berg III", P, 3),
    ]
    assert fold_speakers(rows) == {}


def test_only_persons_fold() -> None:
    rows = [
        ("Ilka Dorn", P, 5),
        ("Dorn", "organisation", 3),  # mostly not a person
        ("a campaign surrogate", P, 2),  # not a name
        ("STATE DEPARTMENT", "organisation", 2),
    ]
    assert fold_speakers(rows) == {}


ORG = "organisation"


def test_a_body_named_with_and_without_its_state_is_one() -> None:
    rows = [
        ("US State Department", ORG, 5),
        ("U.S. State Department", ORG, 2),
        ("State Department", ORG, 3),
    ]
    assert fold_bodies(rows) == {
        "U.S. State Department": "US State Department",
        "State Department": "US State Department",
    }


def test_a_bare_body_of_several_states_stays_and_names_are_not_states() -> None:
    rows = [
        ("Chinese Foreign Ministry", ORG, 5),
        ("Russian Foreign Ministry", ORG, 4),  # 5 is not 4 times 4
        ("Foreign Ministry", ORG, 2),
        ("Washington Post", ORG, 6),  # a capital's name, no body: not the US's "Post"
        ("Post", ORG, 1),
    ]
    assert fold_bodies(rows) == {}


ARTICLES = {
    "a.txt": (
        "Valdoria defends the Korva dam\n\n"
        "Valdorian foreign ministry spokeswoman Ilka Dorn said on Monday that the dam was safe.\n\n"
        "“The villages will stay dry,” Dorn told reporters in Korva."
    ),
    "b.txt": (
        "Villagers doubt the dam\n\n"
        "Dorn said the villagers would be moved before the rains.\n\n"
        "Farmers in Marenne said they had not been told."
    ),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("actors") / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def store_path(corpus):
    db = corpus.parent / "a.db"
    res = invoke_cli("analyze", str(corpus), "--db", str(db), "-q")
    assert res.returncode == 0, res.stderr.decode()
    return db


def _statements(db) -> list[dict]:
    res = invoke_cli("export", "statements", "--db", str(db), "--format", "jsonl")
    assert res.returncode == 0, res.stderr.decode()
    return [json.loads(line) for line in res.stdout.decode().splitlines()]


def test_link_stores_the_fold_and_the_statement_export_carries_it(store_path) -> None:
    rows = _statements(store_path)
    by_speaker = {(r["speaker"], r["actor"]) for r in rows if r["speaker"]}
    assert ("Ilka Dorn", "Ilka Dorn") in by_speaker
    assert ("Dorn", "Ilka Dorn") in by_speaker  # article b never names her in full
    res = invoke_cli("export", "claims", "--db", str(store_path), "--format", "jsonl")
    members = [m for line in res.stdout.decode().splitlines() for m in json.loads(line)["members"]]
    pairs = {(m["speaker"], m["actor"]) for m in members}
    assert ("Dorn", "Ilka Dorn") in pairs and (None, None) in pairs  # narration: no one
    store = open_store(store_path, readonly=True)
    try:
        assert store.actor_map() == {"Dorn": "Ilka Dorn"}
        nodes, _ = build_graph(store)
        actors = [n["label"] for n in nodes if n["attrs"]["type"] == "actor"]
        assert actors.count("Ilka Dorn") == 1 and "Dorn" not in actors
    finally:
        store.close()


def test_web_ui_and_api_group_speakers_by_actor(store_path) -> None:
    with TestClient(create_app(str(store_path))) as client:
        speakers = client.get("/api/speakers").json()["items"]
        dorn = [s for s in speakers if "Dorn" in s["name"]]
        assert [(s["name"], s["n_statements"], s["n_articles"]) for s in dorn] == [
            ("Ilka Dorn", 3, 2)
        ]
        hers = {
            s["id"]
            for s in client.get("/api/statements").json()["items"]
            if s["speaker"] in ("Dorn", "Ilka Dorn")
        }
        found = client.get("/api/search", params={"kind": "statements", "speaker": "Ilka Dorn"})
        assert {h["statement_id"] for h in found.json()["hits"]} == hers
        facet = found.json()["facets"]["speaker"]
        assert [(f["value"], f["count"]) for f in facet] == [("Ilka Dorn", 3)]
        assert {h["actor"] for h in found.json()["hits"]} == {"Ilka Dorn"}
        paged = client.get("/api/statements", params={"speaker": "Ilka Dorn"}).json()
        assert {s["id"] for s in paged["items"]} == hers
        assert {(s["speaker"], s["actor"]) for s in paged["items"]} == {
            ("Ilka Dorn", "Ilka Dorn"),
            ("Dorn", "Ilka Dorn"),
        }
        index = client.get("/speakers.html").text
        href = next(line for line in index.splitlines() if ">Ilka Dorn<" in line)
        page = client.get("/" + href.split('href="')[1].split('"')[0].lstrip("./"))
        assert page.status_code == 200
        assert "Named in some articles as: “Dorn” (1)" in page.text


def test_report_has_one_page_per_actor(store_path, tmp_path) -> None:
    out = tmp_path / "report"
    res = invoke_cli("report", "--db", str(store_path), "--out", str(out))
    assert res.returncode == 0, res.stderr.decode()
    pages = [p.read_text(encoding="utf-8") for p in (out / "speaker").glob("*.html")]
    dorn = [p for p in pages if '<h1 class="speaker-name">Ilka Dorn</h1>' in p]
    assert len(dorn) == 1 and '<span id="n-statements">3</span>' in dorn[0]
    assert not [p for p in pages if '<h1 class="speaker-name">Dorn</h1>' in p]


def test_postgres_stores_and_reads_the_same_fold(corpus, store_path, pg_url) -> None:
    res = invoke_cli("analyze", str(corpus), "--db", pg_url, "-q")
    assert res.returncode == 0, res.stderr.decode()
    assert _statements(pg_url) == _statements(store_path)
    with TestClient(create_app(pg_url)) as client:
        names = [s["name"] for s in client.get("/api/speakers").json()["items"]]
        found = client.get("/api/search", params={"kind": "statements", "speaker": "Ilka Dorn"})
    assert "Ilka Dorn" in names and "Dorn" not in names
    assert [(f["value"], f["count"]) for f in found.json()["facets"]["speaker"]] == [
        ("Ilka Dorn", 3)
    ]
    store = open_store(pg_url)
    try:
        assert store.actor_map() == {"Dorn": "Ilka Dorn"}
        store.write_actors({})  # the next link run rewrites the map whole
        assert store.actor_map() == {}
    finally:
        store.close()
