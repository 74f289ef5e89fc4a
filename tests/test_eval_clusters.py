"""Claim-clustering scorer on Emergent: the measures by hand, a hand-made file in Emergent's
format through the CLI, and the real test split."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from claimgraph.eval.clusters import bcubed, evaluate, format_report, pairwise, score
from conftest import invoke_cli

EMERGENT = Path(__file__).resolve().parents[2] / "shared" / "evaldata" / "emergent"


def test_bcubed_by_hand():
    # gold: a a a b b; pred: X X Y Y Y
    # precision per item: X={a,a}: 1, 1; Y={a,b,b}: 1/3, 2/3, 2/3 -> 11/15
    # recall per item: a in X: 2/3, 2/3; a in Y: 1/3; b in Y: 1, 1 -> 11/15
    m = bcubed(list("XXYYY"), list("aaabb"))
    assert m["p"] == pytest.approx(11 / 15) and m["r"] == pytest.approx(11 / 15)
    assert m["f1"] == pytest.approx(11 / 15)
    assert bcubed(list("abcde"), list("aaabb"))["p"] == 1.0  # singletons: pure
    assert bcubed(list("XXXXX"), list("aaabb"))["r"] == 1.0  # one cluster: complete


def test_pairwise_by_hand():
    # pred pairs: X: 1, Y: 3 -> 4; gold pairs: a: 3, b: 1 -> 4; together: (X,a) 1 + (Y,b) 1 = 2
    m = pairwise(list("XXYYY"), list("aaabb"))
    assert (m["p"], m["r"], m["f1"]) == (0.5, 0.5, 0.5)
    assert pairwise(list("abc"), list("abc")) == {"p": 1.0, "r": 1.0, "f1": 1.0}


def test_score_counts_clusters_and_singletons():
    m = score(list("XXYZ"), list("aabb"))
    assert (m["n_items"], m["n_claims"], m["n_clusters"], m["n_alone"]) == (4, 2, 3, 2)
    with pytest.raises(ValueError):
        bcubed(["X"], ["a", "b"])


ROWS = [  # (claim id, headline): two claims, each told for, against and observing
    ("c1", "Mayor of Valmont resigns over bridge scandal"),
    ("c1", "Valmont mayor denies he will resign over the bridge scandal"),
    ("c1", "Reports say the Valmont mayor may resign over bridge scandal"),
    ("c2", "Giant squid found alive in Lake Orvel"),
    ("c2", "No, there is no giant squid living in Lake Orvel"),
    ("c2", "Lake Orvel giant squid sighting reported by fishermen"),
]


def _write(folder: Path) -> Path:
    folder.mkdir()
    with (folder / "url-versions-2015-06-14-clean.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["id", "claimHeadline", "articleHeadline", "articleHeadlineStance"]
            + ["articleId", "claimId"]
        )
        for i, (claim, headline) in enumerate(ROWS):
            w.writerow([i, claim, headline, ("for", "against", "observing")[i % 3], f"a{i}", claim])
    with (folder / "split.DERIVED.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "claimId", "articleId", "split"])
        for i, (claim, _) in enumerate(ROWS):
            w.writerow([i, claim, f"a{i}", "test"])
    return folder


def test_cli_scores_a_hand_made_emergent_folder(tmp_path):
    data = _write(tmp_path / "em")
    res = invoke_cli("eval", "claims", "--data", str(data), "--json")
    assert res.returncode == 0, res.stderr.decode()
    (run,) = json.loads(res.stdout)["runs"]
    # at the link step's threshold: the mayor's resignation and the squid, each asserted,
    # denied and reported, are two clusters, exactly Emergent's two claims
    assert (run["n_items"], run["n_claims"], run["n_clusters"], run["n_alone"]) == (6, 2, 2, 0)
    assert run["bcubed"] == {"p": 1.0, "r": 1.0, "f1": 1.0}
    res = invoke_cli("eval", "claims", "--data", str(data), "--threshold", "0.99", "--json")
    (run,) = json.loads(res.stdout)["runs"]
    assert run["threshold"] == 0.99 and run["n_clusters"] > 2  # a stricter threshold splits
    assert run["bcubed"]["p"] == 1.0 and run["bcubed"]["r"] < 1.0
    # linked as a growing store: in three batches, each into the claims before it
    res = invoke_cli("eval", "claims", "--data", str(data), "--batches", "3", "--json")
    out = json.loads(res.stdout)
    (run,) = out["runs"]
    assert out["batches"] == 3 and (run["n_clusters"], run["bcubed"]["f1"]) == (2, 1.0)
    res = invoke_cli("eval", "claims", "--data", str(data), "--batches", "3")
    assert b"in 3 batches" in res.stdout
    res = invoke_cli("eval", "claims", "--data", str(data), "--batches", "0")
    assert res.returncode == 2
    res = invoke_cli("eval", "claims", "--data", str(tmp_path / "nowhere"))
    assert res.returncode == 2 and b"error:" in res.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("split", "n_items", "n_claims", "floor"), [("test", 524, 60, 0.90), ("train", 2071, 240, 0.86)]
)
def test_real_split_at_the_link_threshold(nlp, split, n_items, n_claims, floor):
    """Emergent's claims clustered at the link step's threshold, each headline dated by its
    time-based id (`claimgraph.eval.emergent.recorded_day`): B-cubed F1 90.7 (test) and 86.5
    (train) in docs/benchmarks.md; issue 25's target is test >= 90."""
    if not EMERGENT.is_dir():
        pytest.skip("../shared/evaldata/emergent is not present")
    m = evaluate(EMERGENT, split, nlp=nlp)
    (run,) = m["runs"]
    assert (run["n_items"], run["n_claims"]) == (n_items, n_claims)
    assert run["bcubed"]["f1"] >= floor
    assert "B3 F1" in format_report(m)
