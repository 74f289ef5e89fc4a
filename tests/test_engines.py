"""The same inputs give the same stored records in-process, with a process pool, and on Ray:
extraction, and the link step whose articles the pool's workers or the Ray actors parse, whose
units they embed and whose members' stance they score (issue 29: linking on Ray gives the
claims local linking gives, centroids bit for bit)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile

import pytest

from conftest import copy_store, invoke_cli

TEXTS = [
    '"We will not accept this," Foreign Minister Ana Perez said on Tuesday. "Never."',
    "The ministry said the bridge was safe, according to a statement. Critics disagreed.",
    "Mayor Lena Varga rejected claims of waste, saying the budget had been audited.",
    "There is no crisis, said government spokesman Tomas Reyes. He added that aid was on its way.",
    'Activists called it a so-called "reform" that would hurt more than 10,000 families.',
    "The report accused the company of hiding losses. The company denied it.",
    "Engineers said the new dam on the Ostra river is safe and will open in spring.",
    "The new dam on the Ostra river is safe, the engineers said, and it opens in spring.",
]
ENGINES = {
    "inline": [],
    "pool": ["--workers", "2"],
    "ray": ["--engine", "ray", "--workers", "2"],
}


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray (2 CPUs) for every run of the module with --engine ray: the commands run
    in this process (`invoke_cli`) and use the Ray already started, which takes 10-20 s to
    start. Its socket paths must stay short: a pytest tmp path is too long for them."""
    import ray

    tmp = tempfile.mkdtemp(prefix="cgray")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        _temp_dir=tmp,
    )
    try:
        yield
    finally:
        ray.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


def _corpus(folder):
    folder.mkdir()
    for i, t in enumerate(TEXTS):
        (folder / f"a{i}.txt").write_text(t, encoding="utf-8")


def _dump(db):
    out = {}
    for what in ("articles", "statements", "cues", "terms", "claims"):
        res = invoke_cli("export", what, "--db", str(db), "--format", "jsonl")
        assert res.returncode == 0, res.stderr.decode()
        rows = [json.loads(x) for x in res.stdout.decode().splitlines()]
        out[what] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    return out


def test_link_with_nothing_to_link_starts_no_engine(seeds_store, tmp_path):
    """A relink with nothing new starts no engine (Ray takes 10-20 s to start): an engine
    that cannot start is never asked for, and the summary says there was nothing to do."""
    from claimgraph.errors import UsageError
    from claimgraph.pipeline import run_link

    db = copy_store(seeds_store[0], tmp_path / "linked.db")
    summary = run_link(str(db), engine="warp", workers=2)
    assert (summary.articles, summary.workers) == (0, 0) and summary.claims > 0
    assert summary.line().startswith("link: nothing new to link (")
    with pytest.raises(UsageError, match="unknown engine"):  # what starting it would do
        run_link(str(db), engine="warp", workers=2, full=True)


@pytest.mark.slow
def test_engines_store_identical_records(tmp_path, local_ray):
    corpus = tmp_path / "c"
    _corpus(corpus)
    dumps = {}
    vectors = {}
    for name, args in ENGINES.items():
        db = tmp_path / f"{name}.db"
        res = invoke_cli("analyze", str(corpus), "--db", str(db), "--quiet", "--json", *args)
        assert res.returncode == 0, res.stderr.decode()[-2000:]
        summary = json.loads(res.stdout)
        assert summary["stored"] == len(TEXTS)
        # the units were embedded, and the stances scored, where the articles were extracted
        assert summary["link"]["embed_workers"] == (0 if name == "inline" else 2)
        assert summary["link"]["workers"] == (0 if name == "inline" else 2)
        dumps[name] = _dump(db)
        with sqlite3.connect(db) as con:
            vectors[name] = con.execute(
                "SELECT claim_id, centroid FROM claims UNION ALL"
                " SELECT candidate_id, centroid FROM claim_candidates ORDER BY 1"
            ).fetchall()
    assert dumps["inline"]["statements"], "the corpus must yield statements"
    assert dumps["inline"]["claims"], "the corpus must yield a claim"
    assert vectors["pool"] == vectors["inline"] == vectors["ray"]
    assert dumps["pool"] == dumps["inline"]
    assert dumps["ray"] == dumps["inline"]


# What the link step stores, less the times it stored it at.
LINK_QUERIES = {
    "claims": "SELECT claim_id, label, key_terms, centroid, n_members FROM claims",
    "state": "SELECT claim_id, terms, text, context FROM claim_state",
    "members": "SELECT * FROM claim_members",
    "candidates": "SELECT candidate_id, unit_key, article_id, statement_id, voice, speaker,"
    ' stance_text, text, start, "end", centroid, terms, context FROM claim_candidates',
    "linked": "SELECT article_id, n_units FROM linked_articles",
    "topics": "SELECT c.claim_id, t.label, t.key_terms, t.n_claims, t.n_members"
    " FROM claim_topics c JOIN topics t USING (topic_id)",
}


def _links(db):
    """What the link step stored in ``db``, blobs (centroids) as their bytes, in one order."""
    with sqlite3.connect(db) as con:
        return {k: sorted(con.execute(q).fetchall(), key=repr) for k, q in LINK_QUERIES.items()}


def test_stance_chunks_carry_all_they_read(seeds_store, tmp_path, nlp, monkeypatch):
    """What the link step ships to its workers (`claimgraph.claims.distributed`), run in this
    process: article parses as bytes, stance chunks with their parses and vectors as bytes.
    A worker never parses or embeds a text of its own (both fail here), and the seeds' links
    are those that linking in place stored."""
    import pickle

    from claimgraph.claims import distributed
    from claimgraph.claims.run import link_store
    from claimgraph.embedding import minilm
    from claimgraph.store import open_store

    class NoParse:  # the worker's pipeline: its vocabulary, but no parsing
        vocab, pipe_names = nlp.vocab, nlp.pipe_names

        def pipe(self, *_, **__):
            raise AssertionError("a worker parsed a text")

    class NoEmbed:
        dim = minilm.DIM

        def encode(self, *_, **__):
            raise AssertionError("a worker embedded a text")

    calls = {"parse": 0, "score": 0}

    class Workers:
        workers = 1

        def parse_articles(self, texts):
            calls["parse"] += len(texts)
            return distributed.parse_for_link(nlp, texts)

        def score_stances(self, jobs):
            calls["score"] += len(jobs)
            shipped = [pickle.loads(pickle.dumps(job)) for job in jobs]
            return [distributed.score_job(job, NoParse()) for job in shipped]

    embedder = minilm.Embedder()  # the driver's; a worker's would be the default one
    monkeypatch.setattr(minilm, "default_embedder", lambda: NoEmbed())
    db = copy_store(seeds_store[0], tmp_path / "workers.db")
    store = open_store(str(db))
    try:
        summary = link_store(store, full=True, nlp=nlp, embedder=embedder, workers=Workers())
    finally:
        store.close()
    assert summary.workers == 1 and calls == {"parse": 5, "score": 1}
    assert _links(db) == _links(copy_store(seeds_store[0], tmp_path / "analyzed.db"))


@pytest.mark.slow
def test_link_on_workers_equals_local_linking(seeds_store, tmp_path, local_ray):
    """`claimgraph link --full` with a pool of 2 or 2 Ray actors parsing the articles,
    embedding the units and scoring the members' stance stores what it stores in one process:
    the same claims, members (stance, similarity), candidates, topics, centroids bit for bit."""
    links = {}
    for name, args in ENGINES.items():
        db = copy_store(seeds_store[0], tmp_path / f"{name}.db")
        res = invoke_cli("link", "--full", "--db", str(db), "--json", *args)
        assert res.returncode == 0, res.stderr.decode()[-2000:]
        summary = json.loads(res.stdout)
        assert summary["articles"] == 5 and summary["full"]
        assert summary["workers"] == summary["embed_workers"] == (0 if name == "inline" else 2)
        links[name] = _links(db)
    stances = {(m[6], m[11]) for m in links["inline"]["members"]}  # (stance, via)
    assert stances >= {("affirm", "meaning"), ("deny", "meaning"), ("report", "meaning")}
    assert ("deny", "rebuttal") in stances
    assert sum(c[4] >= 3 for c in links["inline"]["claims"]) >= 3, "claims of several members"
    assert links["pool"] == links["inline"]
    assert links["ray"] == links["inline"]


def _store_dump(db):
    from claimgraph.store import open_store

    store = open_store(str(db), readonly=True)
    try:
        arts = sorted((a["id"], a["sources"]) for a in store.articles())
        sts = sorted(
            (s["article_id"], s["start_char"], s["end_char"], s["speaker"])
            for s in store.statements()
        )
    finally:
        store.close()
    return arts, sts


@pytest.mark.slow
def test_pipelined_batches_keep_duplicates_failures_and_order(tmp_path):
    """Batches of 2 with a process pool: a batch is written while the next one is extracted.
    A copy of an article still in flight is a duplicate (one article, both sources), a broken
    file fails alone, and the store equals the one written batch by batch in this process."""
    from claimgraph.pipeline import run_analyze

    corpus = tmp_path / "c"
    _corpus(corpus)
    # copies of a0 and a1 that arrive while the originals are in flight or already stored
    (corpus / "a0_copy.txt").write_text(TEXTS[0], encoding="utf-8")
    (corpus / "z_copy.txt").write_text(TEXTS[1], encoding="utf-8")
    (corpus / "broken.txt").write_bytes(b"\xff\xfe\x00\x00" + b"\x00" * 64)
    runs = {}
    for name, workers in (("inline", 1), ("pool", 2)):
        db = tmp_path / f"{name}.db"
        summary = run_analyze([str(corpus)], db=str(db), batch_size=2, workers=workers, link=False)
        runs[name] = (summary.stored, summary.duplicate, summary.failed, _store_dump(db))
        again = run_analyze([str(corpus)], db=str(db), batch_size=2, workers=workers, link=False)
        assert again.stored == 0 and again.unchanged >= len(TEXTS)  # files were recorded
    stored, duplicate, failed, (arts, sts) = runs["pool"]
    assert (stored, duplicate) == (len(TEXTS), 2)
    assert failed == runs["inline"][2] == 1  # broken.txt, by name
    assert runs["pool"] == runs["inline"]
    both = [src for _, src in arts if "a0_copy.txt" in src]
    assert len(both) == 1 and "a0.txt" in both[0]
    assert sts, "the corpus must yield statements"


def test_an_engine_that_cannot_start_leaves_no_run_behind(tmp_path):
    """The run is recorded only once its engine is up: a failed start leaves the store as it
    was (no run without an end), and the store is closed."""
    import sqlite3

    from claimgraph.errors import UsageError
    from claimgraph.pipeline import run_analyze

    _corpus(tmp_path / "corpus")
    db = tmp_path / "x.db"
    with pytest.raises(UsageError, match="unknown engine"):
        run_analyze([str(tmp_path / "corpus")], db=str(db), engine="warp", link=False)
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
        assert c.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    db.unlink()  # nothing holds the file open any more
