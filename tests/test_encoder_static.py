"""`--encoder static`: the link step with the static encoder distilled from MiniLM
(claimgraph.claims.encoders, claimgraph.embedding.static), through the CLI commands (run in-process) on the seeds.

The static table is built once for this module into a fresh cache folder ($CLAIMGRAPH_CACHE,
which the commands read), so no test depends on a cache left by an earlier run.

What the static path gets on the seeds, measured when written (threshold 0.22, chosen on
Emergent's train split): the genocide claim gathers Blinken's and Rashad Hussain's
assertions, the State Department's assessment and Wang Wenbin's and Xu Guixiang's denials,
with the right stances. Two things the MiniLM path gets right fail here and are kept as strict
xfails (tests/test_link_store.py has the MiniLM versions): Zhao Lijian's and Hua Chunying's
bare denials ("all lies and rumors … have fallen apart") land in a large claim about US
"lies" and human rights instead of the genocide claim, and the sanctions statements split
over two claims.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from claimgraph.claims import encoders
from claimgraph.claims.stance import StanceAnalyzer, load_model, shipped_model
from claimgraph.embedding.minilm import Embedder
from claimgraph.embedding.static import StaticEmbedder, load_table, table_path
from claimgraph.errors import ModelError, UsageError
from claims_helpers import claim_with as _claim_with
from claims_helpers import claims_of as _claims
from claims_helpers import cli_ok as _cli
from claims_helpers import member_with as _member
from claims_helpers import split_seeds
from conftest import EVALDATA, invoke_cli

EMERGENT = EVALDATA / "emergent"


@pytest.fixture(scope="module", autouse=True)
def static_cache(tmp_path_factory: pytest.TempPathFactory):
    """A fresh cache folder with the full static table built in it (~20-25 s of CPU)."""
    folder = tmp_path_factory.mktemp("claimgraph-cache")
    old = os.environ.get("CLAIMGRAPH_CACHE")
    os.environ["CLAIMGRAPH_CACHE"] = str(folder)
    try:
        load_table()
        assert table_path(folder).is_file()
        yield folder
    finally:
        if old is None:
            os.environ.pop("CLAIMGRAPH_CACHE", None)
        else:
            os.environ["CLAIMGRAPH_CACHE"] = old


def _stances(claim: dict) -> dict[str | None, set[str]]:
    out: dict[str | None, set[str]] = {}
    for m in claim["members"]:
        out.setdefault(m["speaker"], set()).add(m["stance"])
    return out


def _widths(db: Path) -> set[int]:
    """Widths (float32 values) of every stored claim and candidate centroid."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT length(centroid) FROM claims UNION SELECT length(centroid) "
            "FROM claim_candidates"
        ).fetchall()
    finally:
        conn.close()
    return {n // 4 for (n,) in rows}


def _dump(db: Path) -> list[str]:
    """Every statement of the database's SQL dump: equal dumps, equal stores."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def halves(tmp_path_factory, seeds_dir) -> tuple[Path, Path]:
    """Seeds 000-002 in one folder, 003-004 in another."""
    return split_seeds(tmp_path_factory.mktemp("halves"), seeds_dir)


@pytest.fixture(scope="module")
def static_db(tmp_path_factory, seeds_dir) -> tuple[Path, dict]:
    """The five seeds analyzed with --encoder static; the run's JSON summary."""
    db = tmp_path_factory.mktemp("static") / "static.db"
    summary = json.loads(
        _cli("analyze", str(seeds_dir), "--db", str(db), "--encoder", "static", "--json")
    )
    return db, summary


# ---------------------------------------------------------------- analyze --encoder static


@pytest.mark.seeds
def test_analyze_static_stores_claims_of_static_vectors(static_db):
    db, summary = static_db
    assert summary["stored"] == 5
    link = summary["link"]
    assert link["articles"] == 5 and link["claims"] == link["new_claims"] > 0
    assert link["encoder"] == "static"
    assert _widths(db) == {encoders.get("static").dim} == {256}


@pytest.mark.seeds
def test_static_genocide_claim_gathers_affirmations_and_denials(static_db):
    claims = _claims(static_db[0])
    claim = _claim_with(claims, "can never be attributed to China")
    assert "genocide" in claim["key_terms"] and "genocide" in claim["label"]
    by_speaker = _stances(claim)
    assert by_speaker["Antony Blinken"] == {"affirm"}  # incl. Press TV's "what he claimed"
    assert by_speaker["Rashad Hussain"] == {"affirm"}
    for denier in ("Wang Wenbin", "Xu Guixiang"):
        assert by_speaker[denier] == {"deny"}, denier
    wang = _member(claim, "false allegations such as “genocide”")
    assert (wang["speaker"], wang["stance"]) == ("Wang Wenbin", "deny")
    state = _member(claim, "the U.S. assessment that Beijing is committing")
    assert (state["speaker"], state["stance"]) == ("State Department", "affirm")
    xu = _member(claim, "Pompeo's allegations")
    assert (xu["speaker"], xu["stance"]) == ("Xu Guixiang", "deny")


@pytest.mark.seeds
@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="static encoder: Hua Chunying's denial ('the horrendous atrocities … do not exist') "
    "joins a claim about human rights 'issues' (Zhao Lijian's bare denial joins the genocide "
    "claim since the encoder drops its common direction; MiniLM puts both there)",
)
def test_static_genocide_claim_gathers_the_bare_denials(static_db):
    by_speaker = _stances(_claim_with(_claims(static_db[0]), "can never be attributed to China"))
    for denier in ("Zhao Lijian", "Hua Chunying"):
        assert by_speaker.get(denier) == {"deny"}, denier


@pytest.mark.seeds
def test_static_training_centres_are_a_claim_of_their_own(static_db):
    claims = _claims(static_db[0])
    genocide = _claim_with(claims, "can never be attributed to China")["claim_id"]
    centres = {
        _claim_with(claims, f)["claim_id"]
        for f in (
            "the camps in Xinjiang as “vocational education",
            "Xinjiang does not have a single vocational education and training center",
            "China’s claim to have shut down",
        )
    }
    assert len(centres) == 1 and genocide not in centres
    centre = _claim_with(claims, "Xinjiang does not have a single vocational")
    assert _member(centre, "does not have a single")["stance"] == "deny"


@pytest.mark.seeds
@pytest.mark.xfail(
    strict=True,
    raises=AssertionError,
    reason="static encoder: the sanctions statements split over two claims (one with MiniLM)",
)
def test_static_sanctions_are_one_claim_and_the_visas_another(static_db):
    # as with MiniLM (tests/test_link_store.py)
    claims = _claims(static_db[0])
    sanctions, visas = (
        {_claim_with(claims, f)["claim_id"] for f in texts}
        for texts in (
            (
                "the imposition of sanctions against an unspecified number",
                "the US sanctions targeted Chinese officials",
            ),
            (
                'Beijing would "impose reciprocal visa restrictions',
                "the US administration announced visa restrictions",
            ),
        )
    )
    assert len(sanctions) == 1 and len(visas) == 1


@pytest.mark.seeds
def test_static_links_incrementally(tmp_path, halves):
    """Three seeds with --encoder static, then two more without naming it: the store's
    claims say which encoder made them, so the second run joins them with that one."""
    db = tmp_path / "inc.db"
    first = json.loads(
        _cli("analyze", str(halves[0]), "--db", str(db), "--encoder", "static", "--json")
    )
    second = json.loads(_cli("analyze", str(halves[1]), "--db", str(db), "--json"))
    assert first["link"]["articles"] == 3 and second["link"]["articles"] == 2
    assert second["link"]["grown_claims"] > 0
    assert second["link"]["encoder"] == "static"  # not named: the store's
    assert _widths(db) == {256}
    # a full relink without --encoder keeps the store's encoder too
    out = json.loads(_cli("link", "--db", str(db), "--full", "--json"))
    assert out["full"] and out["articles"] == 5
    assert _widths(db) == {256}


# ---------------------------------------------------------------- one encoder per store


@pytest.mark.seeds
def test_linking_into_claims_of_another_encoder_is_refused_and_full_relink_switches(
    tmp_path, halves
):
    db = tmp_path / "mixed.db"
    _cli("analyze", str(halves[0]), "--db", str(db), "-q")  # MiniLM claims
    assert _widths(db) == {384}
    before = _dump(db)

    res = invoke_cli("analyze", str(halves[1]), "--db", str(db), "-q", "--encoder", "static")
    err = res.stderr.decode()
    assert res.returncode == 2, err
    assert err.startswith("error: ") and "Traceback" not in err
    assert "made with the minilm encoder, not static" in err
    assert "claimgraph link --full --encoder static" in err
    assert _dump(db) == before  # nothing stored: the encoder is checked first

    _cli("analyze", str(halves[1]), "--db", str(db), "-q", "--no-link")
    before = _dump(db)
    res = invoke_cli("link", "--db", str(db), "--encoder", "static")
    err = res.stderr.decode()
    assert res.returncode == 2, err
    assert "minilm" in err and "static" in err and "--full --encoder static" in err
    assert _dump(db) == before

    out = json.loads(_cli("link", "--db", str(db), "--full", "--encoder", "static", "--json"))
    assert out["full"] and out["articles"] == 5 and out["claims"] > 0
    assert _widths(db) == {256}
    claim = _claim_with(_claims(db), "can never be attributed to China")
    by_speaker = _stances(claim)
    assert by_speaker["Antony Blinken"] == {"affirm"}
    assert by_speaker["Wang Wenbin"] == {"deny"}

    # now MiniLM is the stranger: refused the same way
    res = invoke_cli("analyze", str(halves[0]), "--db", str(db), "-q", "--encoder", "minilm")
    assert res.returncode == 2 and b"made with the static encoder, not minilm" in res.stderr


# ---------------------------------------------------------------- stance models


def test_each_encoder_ships_a_stance_model_of_its_width():
    for enc in encoders.ENCODERS.values():
        model = shipped_model(enc.name)
        assert model is not None and model.emb_dim == enc.dim, enc.name


def test_a_stance_model_of_another_width_is_a_model_error(nlp):
    zeros = StaticEmbedder(table=np.zeros((30522, 256), dtype=np.float32))
    minilm_model = load_model()
    analyzer = StanceAnalyzer(nlp=nlp, embedder=zeros, model=minilm_model)
    with pytest.raises(ModelError, match=r"384-dimensional.*gives 256"):
        analyzer.predict(["China denied the report."], ["China ran the camps."])
    static_model = shipped_model("static")
    analyzer = StanceAnalyzer(nlp=nlp, embedder=Embedder(), model=static_model)
    with pytest.raises(ModelError, match=r"256-dimensional.*gives 384"):
        analyzer.predict(["China denied the report."], ["China ran the camps."])
    # without a claim no classifier runs: the rules alone, whatever the width
    (res,) = analyzer.predict(["China denied the report."])
    assert res.label == "deny"


def test_the_cli_offers_every_encoder_of_the_registry():
    from claimgraph import cli

    assert cli.ENCODER_CHOICES == list(encoders.NAMES)  # kept apart only for import speed


def test_an_unknown_encoder_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown encoder 'fast'.*minilm, static"):
        encoders.get("fast")


# ---------------------------------------------------------------- eval


@pytest.mark.slow
def test_eval_claims_with_the_static_encoder_reports_bcubed():
    if not EMERGENT.is_dir():
        pytest.skip("../shared/evaldata/emergent is not present")
    out = _cli("eval", "claims", "--encoder", "static", "--split", "test")
    assert "with the static encoder" in out
    (line,) = [x for x in out.splitlines() if x.rstrip().endswith("*") and "0.22" in x]
    threshold, clusters, alone, bp, br, bf1, *_ = line.split()
    assert float(threshold) == encoders.get("static").threshold == 0.22
    assert 75.0 <= float(bf1) <= 100.0  # 81.3 when written (MiniLM at 0.26: 84.1)
    assert re.search(r"524 headlines of 60 claims", out)
