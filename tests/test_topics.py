"""Topics (claims grouped by issue, claimgraph.claims.topics): the term rules on hand-written
phrases, the grouping on hand-built claims, the store's topics tables on SQLite and a real
PostgreSQL server, and topics on the seeds and the sample corpus through the real CLI, as
the exports, the API, the report, `compare` and the GEXF graph show them."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from claimgraph.claims.topics import (
    assign_topics,
    collocations,
    compute_topics,
    fold,
    group,
    runs_of,
    terms_of,
)
from claimgraph.errors import StoreError
from claimgraph.extract.records import Extraction
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.store import open_store
from claimgraph.store.schema import load_migrations, split_statements
from conftest import CORPUS, copy_store, invoke_cli

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures


# -- terms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Labour's", "labor"),  # British spelling and a possessive: "Labour's plan"
        ("restrictions", "restriction"),
        ("atrocities", "atrocity"),
        ("Uighurs", "uyghur"),  # the two spellings of one people in the seeds
        ("Uyghurs", "uyghur"),
        ("status", "status"),  # not a plural
        ("China’s", "china"),  # a typographic apostrophe
        ("sanctions", "sanction"),
    ],
)
def test_fold(word, expected):
    assert fold(word) == expected


def test_runs_end_at_stop_words_numbers_and_punctuation():
    runs = runs_of("Visa restrictions reach 35 percent; forced labour in Xinjiang, officials said.")
    assert [[w.term for w in r] for r in runs] == [
        ["visa", "restriction", "reach"],
        ["percent"],  # a number ends a run
        ["forced", "labor"],  # a semicolon too
        ["xinjiang"],  # and a stop word ("in"); "officials said": words of news copy
    ]


def test_a_pair_is_one_term_only_where_it_recurs():
    texts = [
        runs_of("goods made with forced labour"),
        runs_of("so-called forced labor is an excuse"),
        runs_of("he was forced out; labor unions protested"),
        runs_of("reciprocal visa restrictions"),
    ]
    phrases = collocations(texts)
    assert "forced labor" in phrases  # two texts of the three holding "forced"
    assert "reciprocal visa" not in phrases  # written once
    terms = [w.term for w in terms_of(texts[0], phrases)]
    assert terms == ["good", "forced labor"]


def test_average_linkage_does_not_chain():
    # a~b and b~c, a and c unrelated: single linkage would put all three together
    sims = {(0, 1): 0.5, (1, 2): 0.45}
    assert group(3, sims, 0.3) == [[0, 1], [2]]
    assert group(3, sims, 0.2) == [[0, 1, 2]]  # (0 + 0.45) / 2 = 0.225
    assert group(3, {}, 0.3) == [[0], [1], [2]]


# -- grouping hand-built claims --------------------------------------------------------------

CLAIMS = {
    "c-genocide-1": (
        "China is committing genocide against the Uyghurs",
        [
            "the ongoing genocide and crimes against humanity in Xinjiang",
            "China continues its genocide and repression of Uyghurs",
            "amount to genocide and crimes against humanity",
        ],
    ),
    "c-genocide-2": (
        "The genocide charge is a lie",
        ["false allegations such as genocide", "the crimes of genocide can never be attributed"],
    ),
    "c-labor-1": (
        "Goods from Xinjiang are made with forced labour",
        [
            "apparel and agricultural goods from Xinjiang are derived from forced labor",
            "the Uyghur Forced Labor Prevention Act bans goods from the region",
        ],
    ),
    "c-labor-2": (
        "Forced labor is an excuse for sanctions",
        ["so-called forced labor in Xinjiang as an excuse", "forced labor is a lie"],
    ),
    "c-visa": (
        "The US restricts visas of Chinese officials",
        ["visa restrictions on Chinese officials", "reciprocal visa restrictions on US officials"],
    ),
    "c-dam": ("The dam will release water during droughts", ["the dam will cut its water"]),
}


def _claims() -> tuple[list[dict], dict[str, list[str]]]:
    claims = [
        {"claim_id": cid, "label": label, "key_terms": [], "n_members": len(texts)}
        for cid, (label, texts) in CLAIMS.items()
    ]
    return claims, {cid: texts for cid, (_, texts) in CLAIMS.items()}


def _topic_of(topics: list[dict]) -> dict[str, str]:
    return {c: t["topic_id"] for t in topics for c in t["claim_ids"]}


def test_claims_group_by_issue():
    claims, texts = _claims()
    topics = compute_topics(claims, texts)
    of = _topic_of(topics)
    assert sorted(of) == sorted(CLAIMS)  # every claim, once
    assert of["c-genocide-1"] == of["c-genocide-2"]
    assert of["c-labor-1"] == of["c-labor-2"]
    assert len({of["c-genocide-1"], of["c-labor-1"], of["c-visa"], of["c-dam"]}) == 4
    labels = {t["label"] for t in topics}
    assert {"genocide", "forced labor", "visa restrictions"} <= labels
    for t in topics:
        assert t["n_members"] == sum(len(CLAIMS[c][1]) for c in t["claim_ids"])
        assert 1 <= len(t["label"].split()) <= 3 and "," not in t["label"]


def test_topics_do_not_depend_on_the_order_of_the_claims():
    claims, texts = _claims()
    first = compute_topics(claims, texts)
    again = compute_topics(list(reversed(claims)), texts)
    assert first == again
    assert len({t["topic_id"] for t in first}) == len(first)  # ids are distinct


def test_a_claim_without_words_is_its_own_topic():
    claims, texts = _claims()
    claims.append({"claim_id": "c-empty", "label": "", "key_terms": [], "n_members": 0})
    topics = compute_topics(claims, texts)
    (own,) = [t for t in topics if "c-empty" in t["claim_ids"]]
    assert own["claim_ids"] == ["c-empty"] and own["label"]


def test_a_term_every_claim_shares_names_no_topic():
    claims = [
        {"claim_id": f"c{i}", "label": f"Xinjiang {w}", "key_terms": [], "n_members": 1}
        for i, w in enumerate(["cotton", "tomatoes", "elections", "schools"])
    ]
    topics = compute_topics(claims, {})
    assert len(topics) == 4  # "Xinjiang" alone does not join them
    assert "Xinjiang" not in {t["label"] for t in topics}


def test_a_speaker_names_no_topic_that_has_another_term():
    claims = [
        {"claim_id": "c1", "label": "Korva drowns the valley", "key_terms": [], "n_members": 2},
        {
            "claim_id": "c2",
            "label": "Korva denies the valley floods",
            "key_terms": [],
            "n_members": 2,
        },
        {"claim_id": "c3", "label": "Marenne wants talks", "key_terms": [], "n_members": 1},
        {"claim_id": "c4", "label": "Lindmark hosts the talks", "key_terms": [], "n_members": 1},
    ]
    texts = {"c1": ["Korva says the valley is fine"], "c2": ["Korva: the valley is dry"]}
    assert "Korva" in {t["label"] for t in compute_topics(claims, texts)}
    labels = {t["label"] for t in compute_topics(claims, texts, speakers=["Korva", "Ann Lee"])}
    assert "Korva" not in labels and "valley" in labels


# -- the store -------------------------------------------------------------------------------


def _raw(text: str) -> RawArticle:
    return RawArticle(source="a.txt", text=text, fmt="txt", meta={"title": Meta("T", GIVEN_RECORD)})


TEXT = "Officials said goods are made with forced labour. Wang said forced labor is a lie."


def _fill(store) -> None:
    store.write_article("a1", _raw(TEXT), Extraction(), n_words=14, extractor_version="t")
    claims, members = [], []
    for n, (cid, spans) in enumerate(
        {"claim-b": [(15, 49)], "claim-a": [(60, 81), (15, 49)]}.items()
    ):
        claims.append(
            {
                "claim_id": cid,
                "new": True,
                "label": TEXT[spans[0][0] : spans[0][1]],
                "key_terms": ["labor"],
                "centroid": bytes(16),
                "n_members": len(spans),
                "terms": {"labor": len(spans)},
                "text": TEXT[spans[0][0] : spans[0][1]],
            }
        )
        for i, (lo, hi) in enumerate(spans):
            members.append(
                {
                    "member_id": f"a1:n{n}{i}",
                    "claim_id": cid,
                    "article_id": "a1",
                    "statement_id": None,
                    "voice": "outlet",
                    "speaker": None,
                    "stance": "affirm",
                    "text": TEXT[lo:hi],
                    "start": lo,
                    "end": hi,
                    "similarity": 0.5,
                    "via": "meaning",
                }
            )
    store.write_links(
        claims=claims, members=members, candidates=[], drop_candidates=[], linked=[("a1", 3)]
    )


TOPIC = {
    "topic_id": "topic-x",
    "label": "forced labor",
    "key_terms": ["forced labor", "goods"],
    "n_members": 3,
    "claim_ids": ["claim-a", "claim-b"],
}


def _check_topics_roundtrip(store) -> None:
    _fill(store)
    assert 6 in store.schema_versions()
    assert [(c["claim_id"], c["topic_id"], c["topic"]) for c in store.claims()] == [
        ("claim-a", None, None),
        ("claim-b", None, None),
    ]
    assert list(store.topics()) == []
    store.write_topics([TOPIC])
    assert list(store.topics()) == [
        {
            "topic_id": "topic-x",
            "label": "forced labor",
            "key_terms": ["forced labor", "goods"],
            "n_claims": 2,
            "n_members": 3,
        }
    ]
    assert [(c["claim_id"], c["topic_id"], c["topic"]) for c in store.claims()] == [
        ("claim-a", "topic-x", "forced labor"),
        ("claim-b", "topic-x", "forced labor"),
    ]
    assert store.count("topics") == 1
    # a claim of no stored claim: nothing is written
    bad = {**TOPIC, "topic_id": "topic-y", "claim_ids": ["claim-a", "claim-zz"]}
    with pytest.raises(StoreError, match="cannot store topics"):
        store.write_topics([bad])
    assert [t["topic_id"] for t in store.topics()] == ["topic-x"]
    # assign_topics replaces them: every claim in exactly one topic
    n = assign_topics(store)
    topics = list(store.topics())
    assert n == len(topics) and sum(t["n_claims"] for t in topics) == 2
    assert all(c["topic_id"] in {t["topic_id"] for t in topics} for c in store.claims())
    # the member's words in their article (the claim page's excerpt)
    (m,) = [m for m in store.claim_members("claim-a", context=20) if m["start"] == 60]
    assert (m["context_before"], m["text"], m["context_after"]) == (
        "d labour. Wang said ",  # the 20 characters before "forced labor is a lie"
        "forced labor is a lie",
        ".",
    )
    (first,) = [m for m in store.claim_members("claim-b", context=20)]
    assert first["context_before"] == TEXT[:15]  # from the article's start
    assert "context_before" not in next(store.claim_members())
    # a full relink empties the topics with the claims
    store.write_links(
        claims=[], members=[], candidates=[], drop_candidates=[], linked=[], replace=True
    )
    assert (list(store.topics()), list(store.claims())) == ([], [])


def test_topics_roundtrip_on_sqlite(tmp_path):
    store = open_store(tmp_path / "t.db")
    try:
        _check_topics_roundtrip(store)
    finally:
        store.close()


def test_topics_roundtrip_on_postgres(pg_url):
    store = open_store(pg_url)
    try:
        _check_topics_roundtrip(store)
    finally:
        store.close()


def test_a_store_from_before_topics_reads_without_them(tmp_path):
    """A store migrated to 5 (linked before topics existed), opened read-only: claims read
    with no topic, and no topics."""
    import sqlite3

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)"
    )
    for mig in load_migrations():
        if mig.version < 6:
            for stmt in split_statements(mig.sql):
                conn.execute(stmt)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, 'x')", (mig.version, mig.name)
            )
    conn.execute(
        "INSERT INTO claims (claim_id, label, key_terms, n_members) VALUES ('c', 'L', '[]', 0)"
    )
    conn.commit()
    conn.close()
    store = open_store(db, readonly=True)
    try:
        assert [(c["claim_id"], c["topic_id"], c["topic"]) for c in store.claims()] == [
            ("c", None, None)
        ]
        assert list(store.topics()) == []
    finally:
        store.close()
    store = open_store(db)  # opened for writing, it is migrated
    try:
        assert store.schema_versions()[-1] >= 6 and list(store.topics()) == []
    finally:
        store.close()


# -- the seeds and the sample corpus through the CLI -----------------------------------------


def _analyze(folder: Path, db: Path) -> Path:
    res = invoke_cli("analyze", str(folder), "--db", str(db), "-q")
    assert res.returncode == 0, res.stderr.decode()
    store = open_store(db)
    try:
        assign_topics(store)  # what the end of the link step runs
    finally:
        store.close()
    return db


def _export(db: Path, what: str, fmt: str = "jsonl") -> str:
    res = invoke_cli("export", what, "--db", str(db), "--format", fmt)
    assert res.returncode == 0, res.stderr.decode()
    return res.stdout.decode()


def _records(db: Path, what: str) -> list[dict]:
    return [json.loads(line) for line in _export(db, what).splitlines()]


def _claim_about(claims: list[dict], *words: str) -> dict:
    """The claim with the most members whose words hold one of `words` (case folded)."""

    def hits(c: dict) -> int:
        return sum(any(w in m["text"].casefold() for w in words) for m in c["members"])

    best = max(claims, key=lambda c: (hits(c), c["claim_id"]))
    assert hits(best), f"no claim speaks of {words}"
    return best


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory, seeds_store) -> Path:
    """The seeds' store (conftest.seeds_store), its topics assigned once more as `_analyze`
    does."""
    db = copy_store(seeds_store[0], tmp_path_factory.mktemp("topics") / "seeds.db")
    store = open_store(db)
    try:
        assign_topics(store)
    finally:
        store.close()
    return db


def _check_every_claim_has_one_topic(db: Path) -> tuple[list[dict], list[dict]]:
    claims, topics = _records(db, "claims"), _records(db, "topics")
    assert claims and topics
    listed = [c for t in topics for c in t["claim_ids"]]
    assert sorted(listed) == sorted(c["claim_id"] for c in claims)  # each claim once
    by_id = {t["topic_id"]: t for t in topics}
    for c in claims:
        t = by_id[c["topic_id"]]
        assert c["claim_id"] in t["claim_ids"] and c["topic"] == t["label"]
    for t in topics:
        members = [c["n_members"] for c in claims if c["topic_id"] == t["topic_id"]]
        assert (t["n_claims"], t["n_members"]) == (len(members), sum(members))
        assert 1 <= len(t["label"].split()) <= 3, t["label"]  # a short noun phrase
    assert len({t["label"].casefold() for t in topics}) == len(topics)
    return claims, topics


def test_seed_topics_keep_genocide_apart_from_forced_labor_and_visas(seeds_db):
    claims, _ = _check_every_claim_has_one_topic(seeds_db)
    genocide = _claim_about(claims, "genocide")
    labor = _claim_about(claims, "forced labor", "forced labour")
    visas = _claim_about(claims, "visa restriction")
    assert genocide["claim_id"] != labor["claim_id"]
    assert genocide["topic_id"] != labor["topic_id"]
    assert genocide["topic_id"] != visas["topic_id"]
    assert "genocide" in genocide["topic"].casefold()


def test_seed_topics_are_stable_and_rerunnable(seeds_db, tmp_path, seeds_dir):
    first = {c["claim_id"]: c["topic_id"] for c in _records(seeds_db, "claims")}
    again = _analyze(seeds_dir, tmp_path / "again.db")
    assert {c["claim_id"]: c["topic_id"] for c in _records(again, "claims")} == first
    store = open_store(again)
    try:
        before = list(store.topics())
        assign_topics(store)  # recomputed from scratch: the same
        assert list(store.topics()) == before
    finally:
        store.close()


def test_corpus_topics_keep_the_river_apart_from_the_villages(tmp_path):
    db = _analyze(CORPUS, tmp_path / "corpus.db")
    claims, topics = _check_every_claim_has_one_topic(db)
    flow = _claim_about(claims, "flow")
    villages = _claim_about(claims, "relocation village")
    assert flow["topic_id"] != villages["topic_id"]
    assert len(topics) < len(claims)  # some claims share a topic


def test_topic_exports_in_csv_and_parquet(seeds_db, tmp_path):
    rows = list(csv.DictReader(io.StringIO(_export(seeds_db, "topics", "csv"))))
    topics = _records(seeds_db, "topics")
    assert [r["topic_id"] for r in rows] == [t["topic_id"] for t in topics]
    assert json.loads(rows[0]["claim_ids"]) == topics[0]["claim_ids"]
    flat = list(csv.DictReader(io.StringIO(_export(seeds_db, "claims", "csv"))))
    assert {(r["claim_id"], r["topic_id"], r["topic"]) for r in flat} == {
        (c["claim_id"], c["topic_id"], c["topic"]) for c in _records(seeds_db, "claims")
    }
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "topics.parquet"
    res = invoke_cli(
        "export", "topics", "--db", str(seeds_db), "--format", "parquet", "--out", str(out)
    )
    assert res.returncode == 0, res.stderr.decode()
    assert pq.read_table(out).column("label").to_pylist() == [t["label"] for t in topics]


def test_topics_in_the_api(seeds_db):
    from fastapi.testclient import TestClient

    from claimgraph.present.web import create_app

    client = TestClient(create_app(str(seeds_db), n_boot=0))
    topics = client.get("/api/topics").json()
    assert topics["total"] == len(topics["items"]) == len(_records(seeds_db, "topics"))
    first = topics["items"][0]
    one = client.get(f"/api/topics/{first['topic_id']}").json()
    assert [c["claim_id"] for c in one["claims"]] == first["claim_ids"]
    assert all(c["topic"] == first["label"] for c in one["claims"])
    assert client.get("/api/topics/topic-nope").status_code == 404
    claims = client.get("/api/claims").json()["items"]
    assert all(c["topic_id"] and c["topic"] for c in claims)
    claim = client.get(f"/api/claims/{claims[0]['claim_id']}").json()
    assert claim["topic_id"] == claims[0]["topic_id"]
    # the web UI's claim page, read per request, names the topic and marks each member
    from claimgraph.present.site.urls import page_key

    page = client.get(f"/claim/{page_key(claim['claim_id'])}.html").text
    assert f'href="../claims.html#t-{claim["topic_id"]}"' in page
    assert page.count('<mark class="member-words">') == len(claim["members"])


def test_report_lists_claims_under_topics_with_each_member_in_context(seeds_db, tmp_path):
    out = tmp_path / "report"
    res = invoke_cli("report", "--db", str(seeds_db), "--out", str(out))
    assert res.returncode == 0, res.stderr.decode()
    claims, topics = _records(seeds_db, "claims"), _records(seeds_db, "topics")
    index = (out / "claims.html").read_text("utf-8")
    positions = [index.index(f'id="t-{t["topic_id"]}"') for t in topics]
    assert positions == sorted(positions)  # topics in order, each a group of the table
    genocide = _claim_about(claims, "genocide")
    page = _claim_page(out, genocide["claim_id"])
    assert f'href="../claims.html#t-{genocide["topic_id"]}">{genocide["topic"]}</a>' in page
    # each member: its stance and its words marked inside the article's words around them
    marks = page.count('<mark class="member-words">')
    assert marks == len(genocide["members"])
    text = _article_text(seeds_db, genocide["members"][0]["article_id"])
    m = genocide["members"][0]
    before = text[max(0, m["start"] - 40) : m["start"]].split("\n")[-1].split(" ", 1)[-1]
    assert _escaped(before.strip()) in page


def _claim_page(out: Path, claim_id: str) -> str:
    from claimgraph.present.site.urls import page_key

    return (out / "claim" / f"{page_key(claim_id)}.html").read_text("utf-8")


def _article_text(db: Path, article_id: str) -> str:
    store = open_store(db, readonly=True)
    try:
        return next(a["text"] for a in store.articles() if a["id"] == article_id)
    finally:
        store.close()


def _escaped(text: str) -> str:
    import html

    return html.escape(text, quote=True).replace("&#x27;", "&#39;").replace("&quot;", "&#34;")


def test_compare_groups_claims_under_their_topic(seeds_db):
    res = invoke_cli("compare", "--db", str(seeds_db), "--json")
    assert res.returncode == 0, res.stderr.decode()
    matrix = json.loads(res.stdout)["matrix"]
    rows = {r["claim_id"]: r for r in matrix["rows"]}
    grouped = [c for g in matrix["topics"] for c in g["claim_ids"]]
    assert sorted(grouped) == sorted(rows)
    for g in matrix["topics"]:
        assert {rows[c]["topic_id"] for c in g["claim_ids"]} == {g["topic_id"]}
    table = invoke_cli("compare", "--db", str(seeds_db)).stdout.decode()
    claims_at = table.index("Claims ×")
    word = matrix["topics"][0]["topic"].split()[0]  # a long label may wrap in its column
    assert claims_at < table.index(word, claims_at) < table.index("Blindspots")


def test_graph_claims_carry_their_topic(seeds_db, tmp_path):
    out = tmp_path / "g.gexf"
    res = invoke_cli(
        "export", "graph", "--db", str(seeds_db), "--format", "gexf", "--out", str(out)
    )
    assert res.returncode == 0, res.stderr.decode()
    ns = {"g": "http://gexf.net/1.3"}
    root = ET.parse(out).getroot()
    attr = {
        a.get("title"): a.get("id")
        for a in root.findall("g:graph/g:attributes[@class='node']/g:attribute", ns)
    }
    topic_of = {c["claim_id"]: c["topic"] for c in _records(seeds_db, "claims")}
    seen = 0
    for node in root.findall("g:graph/g:nodes/g:node", ns):
        values = {v.get("for"): v.get("value") for v in node.iter(f"{{{ns['g']}}}attvalue")}
        if values.get(attr["type"]) == "claim":
            assert values[attr["topic"]] == topic_of[node.get("id").removeprefix("claim:")]
            seen += 1
    assert seen
