"""`claimgraph export graph --format gexf`: the network validates against the official GEXF 1.3
grammar (tests/fixtures/gexf, see its README for why RELAX NG), holds exactly the nodes and
edges of a hand-built store, and survives hostile labels; on the seeds and the sample corpus
(SQLite and PostgreSQL) the streamed network is byte for byte the one built in memory before
(tests/streamed_reference.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from claimgraph.analyze.wire import find_wire_groups
from claimgraph.extract.records import Extraction, Statement
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.present.gexf import build_graph, to_gexf, xml_text
from claimgraph.present.siteviews import SiteModel
from claimgraph.store import open_store
from conftest import copy_store, invoke_cli
from streamed_reference import graph_reference
from test_compare_stream import copy_to_postgres

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures

SCHEMA = Path(__file__).parent / "fixtures" / "gexf" / "gexf.rng"
NS = {"g": "http://gexf.net/1.3"}
HOSTILE = "Dorn\x00\x07 <b>&amp;</b> \ufffe\"'"


@pytest.fixture(scope="module")
def grammar():
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def st(text, speaker, aff=None):
    return Statement(
        "indirect",
        0,
        len(text),
        text,
        speaker=speaker,
        speaker_affiliation=aff,
        speaker_role="official",
        cue="said",
        cue_class="neutral",
    )


def add(store, aid, outlet, text, statements):
    meta = {"outlet": Meta(outlet, GIVEN_RECORD)} if outlet else {}
    raw = RawArticle(source=f"{aid}.txt", text=text, fmt="txt", meta=meta)
    store.write_article(aid, raw, Extraction(statements, [], []), n_words=10, extractor_version="t")


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "g.db"
    s = open_store(path)
    add(
        s,
        "a1",
        "Herald <script>",
        "Ilka Dorn said the dam is safe. Ilka Dorn said it is legal.",
        [
            st("the dam is safe", "Ilka Dorn", "Valdoria"),
            st("it is legal", "Ilka Dorn", "Valdoria"),
        ],
    )
    add(
        s,
        "b1",
        "Ledger",
        "Teodor Ashby said the river is theirs. Dorn said no.",
        [st("the river is theirs", "Teodor Ashby", "Marenne"), st("no", HOSTILE)],
    )
    s.close()
    return path


def test_export_graph_validates_and_holds_the_network(db, tmp_path, grammar):
    out = tmp_path / "g.gexf"
    proc = invoke_cli("export", "graph", "--db", str(db), "--format", "gexf", "--out", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    # 2 outlets + 3 actors, 3 carries edges
    assert proc.stderr.decode().strip() == f"8 nodes and edges -> {out}"
    doc = etree.parse(str(out))
    assert grammar.validate(doc), grammar.error_log
    labels = {n.get("id"): n.get("label") for n in doc.iterfind(".//g:node", NS)}
    assert labels == {
        "outlet:Herald <script>": "Herald <script>",
        "outlet:Ledger": "Ledger",
        "actor:ilka dorn": "Ilka Dorn",
        "actor:teodor ashby": "Teodor Ashby",
        "actor:" + xml_text(HOSTILE).casefold(): "Dorn <b>&amp;</b> \"'",
    }
    edges = sorted(
        (e.get("source"), e.get("target"), e.get("weight")) for e in doc.iterfind(".//g:edge", NS)
    )
    assert edges == [
        ("outlet:Herald <script>", "actor:ilka dorn", "2.0"),
        ("outlet:Ledger", "actor:" + xml_text(HOSTILE).casefold(), "1.0"),
        ("outlet:Ledger", "actor:teodor ashby", "1.0"),
    ]
    # the raw file escapes markup: no live element from an article
    raw = out.read_bytes()
    assert b"<script>" not in raw and b"&lt;script&gt;" in raw
    # node attributes: type and affiliation resolved as in the profiles; "Valdoria" is no
    # country the store knows (no outlet gives it), so the actor has no country attvalue
    dorn = doc.find(".//g:node[@id='actor:ilka dorn']", NS)
    values = {a.get("for"): a.get("value") for a in dorn.iterfind(".//g:attvalue", NS)}
    assert values == {"0": "actor", "1": "Valdoria", "3": "official", "4": "2"}


def test_claim_edges_from_members(grammar):
    nodes = [
        {"id": "outlet:A", "label": "A", "attrs": {"type": "outlet", "n": 1}},
        {"id": "claim:c1", "label": "the dam floods", "attrs": {"type": "claim", "n": 2}},
    ]
    edges = [
        {
            "source": "outlet:A",
            "target": "claim:c1",
            "weight": 2,
            "attrs": {"relation": "narrates", "stance": "deny", "n_affirm": 0, "n_deny": 2},
        }
    ]
    doc = etree.fromstring(to_gexf(nodes, edges, date="2026-01-02"))
    assert grammar.validate(doc), grammar.error_log


def test_the_grammar_rejects_a_broken_document(grammar):
    nodes = [{"id": "outlet:A", "label": "A", "attrs": {"type": "outlet"}}]
    doc = etree.fromstring(to_gexf(nodes, [], date=None))
    assert grammar.validate(doc)
    doc.find("g:graph/g:nodes/g:node", NS).attrib.pop("id")  # a node must have an id
    assert not grammar.validate(doc)


def test_empty_store_graph(tmp_path, grammar):
    s = open_store(tmp_path / "e.db")
    nodes, edges = build_graph(s)
    s.close()
    assert (nodes, edges) == ([], [])
    assert grammar.validate(etree.fromstring(to_gexf(nodes, edges, date=None)))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["graph", "--format", "csv"], "error: the graph exports as gexf: pass --format gexf"),
        (["graph", "--format", "gexf"], "error: gexf is written to a file: pass --out FILE.gexf"),
        (
            ["matrix", "--format", "gexf", "--out", "x.gexf"],
            "error: gexf is the format of the graph export; export matrix as jsonl, csv or parquet",
        ),
    ],
)
def test_export_graph_errors(db, tmp_path, monkeypatch, args, message):
    from click.testing import CliRunner

    from claimgraph.cli import main

    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["export", *args, "--db", str(db)])
    assert res.exit_code == 2
    assert res.stderr.strip() == message
    assert not (tmp_path / "x.gexf").exists()


STORY = (
    "Mira Holt said the harbour will reopen in spring. The port authority has dredged the"
    " channel twice since the storm, and shipping lines say the first ferries could return"
    " before the fishing season opens along the northern coast of the bay this year."
)


def test_streamed_graph_hand_built(tmp_path):
    """A wire copy's speaker affiliation does not resolve the original's speakers (the copy is
    left out before `Affiliations` reads the corpus), and a tie between two affiliations goes
    to the first in order, as in the graph built in memory."""
    s = open_store(tmp_path / "h.db")
    add(s, "w1", "Agency", STORY, [st("the harbour will reopen", "Mira Holt")])
    add(s, "w2", "Wire", STORY, [st("the harbour will reopen", "Mira Holt", "Harbor Board")])
    add(
        s,
        "b2",
        "Ledger",
        "Holt said the ferries return. Ada Rusk said no. Ada Rusk said yes.",
        [
            st("the ferries return", "Mira Holt"),
            st("no", "Ada Rusk", "Zeta Party"),
            st("yes", "Ada Rusk", "Alpha Party"),
        ],
    )
    try:
        graph = build_graph(s)
        assert graph == graph_reference(s)
    finally:
        s.close()
    attrs = {n["id"]: n["attrs"] for n in graph[0]}
    assert "outlet:Wire" not in attrs and attrs["outlet:Agency"]["n"] == 1
    assert attrs["actor:mira holt"]["n"] == 2 and attrs["actor:mira holt"]["affiliation"] is None
    assert attrs["actor:ada rusk"]["affiliation"] == "Alpha Party"


def _reference(store) -> tuple[bytes, set[str], tuple[list, list]]:
    """(the GEXF `export graph` wrote before it streamed, the wire copies, the network)."""
    articles = list(store.articles())
    stamps = [a.get("ingested_at") or "" for a in articles]
    graph = graph_reference(store)
    copies = {c for g in find_wire_groups(articles) for c in g.copies}
    return to_gexf(*graph, date=max(stamps)[:10] if any(stamps) else None), copies, graph


def _nontrivial(graph: tuple[list, list]) -> None:
    """What the equality is worth: actors with a resolved affiliation and country, and
    edges of all three relations."""
    nodes, edges = graph
    actors = [n["attrs"] for n in nodes if n["attrs"]["type"] == "actor"]
    assert sum(1 for a in actors if a.get("affiliation") and a.get("country")) > 5
    assert {e["attrs"]["relation"] for e in edges} == {"carries", "stance", "narrates"}


@pytest.mark.seeds
def test_streamed_graph_is_the_in_memory_one(seeds_store, corpus_store, tmp_path):
    copies_seen = set()
    for src in (seeds_store[0], corpus_store[0]):
        db = copy_store(src, tmp_path / src.name)
        store = open_store(db, readonly=True)
        try:
            want, copies, graph = _reference(store)
            # the report passes the wire copies of its comparison: the same network
            assert build_graph(store, wire_copies=copies) == graph
            if copies:  # a copy's statements are left out: the network without them differs
                assert build_graph(store, wire_copies=set()) != graph
                assert SiteModel.build(store, n_boot=20).graph == graph
        finally:
            store.close()
        _nontrivial(graph)
        copies_seen |= copies
        out = tmp_path / "g.gexf"
        res = invoke_cli("export", "graph", "--db", str(db), "--format", "gexf", "--out", str(out))
        assert res.returncode == 0, res.stderr.decode()
        assert out.read_bytes() == want, src
    assert copies_seen  # the sample corpus holds a wire copy


@pytest.mark.seeds
def test_streamed_graph_on_postgres(corpus_store, pg_url):
    copy_to_postgres(corpus_store[0], pg_url)
    store = open_store(pg_url, readonly=True)
    try:
        want, copies, graph = _reference(store)
        assert copies
        nodes, edges = build_graph(store)
    finally:
        store.close()
    _nontrivial(graph)
    assert to_gexf(nodes, edges, date=None) == to_gexf(*graph, date=None)
