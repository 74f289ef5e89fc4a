"""Emergent stance scorer: a hand-made file in Emergent's format, and the real test split."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from claimgraph.claims.stance import StanceAnalyzer
from claimgraph.errors import UsageError
from claimgraph.eval.emergent import evaluate, format_report, load, score

EMERGENT = Path(__file__).resolve().parents[2] / "shared" / "evaldata" / "emergent"
CLAIM = "Macaulay Culkin is dead"
# (headline, Emergent stance, split); the rules' answer is in the comment
ROWS = [
    ("Macaulay Culkin is not dead", "against", "test"),  # deny: negation
    ("Macaulay Culkin dead at 34", "for", "test"),  # affirm: plain
    ("Macaulay Culkin may be dead, reports say", "observing", "test"),  # report: hedge
    ("Reports of Macaulay Culkin's death are a hoax", "against", "test"),  # deny: label
    ("Macaulay Culkin is alive and well", "against", "test"),  # affirm: no rule knows "alive"
    ("Macaulay Culkin found dead", "for", "train"),
]


def write_emergent(folder: Path, rows=ROWS, with_split: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "url-versions-2015-06-14-clean.csv").open(
        "w", newline="", encoding="utf-8"
    ) as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "id",
                "claimHeadline",
                "articleHeadline",
                "articleHeadlineStance",
                "articleId",
                "claimId",
            ]
        )
        for i, (headline, label, _) in enumerate(rows):
            w.writerow([i, CLAIM, headline, label, f"a{i}", "c1"])
    if with_split:
        with (folder / "split.DERIVED.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "claimId", "articleId", "split"])
            for i, (_, _, split) in enumerate(rows):
                w.writerow([i, "c1", f"a{i}", split])
    return folder


@pytest.fixture(scope="module")
def rules(nlp) -> StanceAnalyzer:
    return StanceAnalyzer(nlp=nlp, model=False)


def test_load_maps_labels_and_splits(tmp_path):
    rows = load(write_emergent(tmp_path / "emergent"))
    assert [r.label for r in rows] == ["deny", "affirm", "report", "deny", "deny", "affirm"]
    assert [r.split for r in rows].count("test") == 5
    assert len(load(tmp_path, "train")) == 1  # the folder holding emergent/ works too


def test_evaluate_tiny_file_exact(tmp_path, rules):
    result = evaluate(write_emergent(tmp_path), analyzer=rules)
    assert result["n"] == 5 and result["claims"] == 1
    assert result["accuracy"] == pytest.approx(4 / 5)
    pc = result["per_class"]
    assert pc["deny"]["precision"] == 1.0 and pc["deny"]["recall"] == pytest.approx(2 / 3)
    assert pc["deny"]["f1"] == pytest.approx(0.8)
    assert pc["affirm"]["f1"] == pytest.approx(2 / 3)
    assert pc["report"]["f1"] == 1.0
    assert result["macro_f1"] == pytest.approx((0.8 + 2 / 3 + 1.0) / 3)
    assert result["confusion"]["deny"] == {"affirm": 1, "deny": 2, "report": 0}
    report = format_report(result)
    assert "accuracy  0.8000" in report and "deny" in report


def test_score_counts():
    out = score(["affirm", "deny", "report", "report"], ["affirm", "report", "report", "deny"])
    assert out["accuracy"] == 0.5
    assert out["per_class"]["deny"]["f1"] == 0.0
    assert out["per_class"]["report"]["precision"] == 0.5
    with pytest.raises(ValueError):
        score(["affirm"], [])


def test_missing_split_file_is_a_usage_error(tmp_path):
    write_emergent(tmp_path, with_split=False)
    with pytest.raises(UsageError, match="split.DERIVED.csv is missing"):
        load(tmp_path)


def test_unknown_stance_is_a_usage_error(tmp_path):
    write_emergent(tmp_path, rows=[("Macaulay Culkin is fine", "discussing", "test")])
    with pytest.raises(UsageError, match="unknown stance 'discussing'"):
        load(tmp_path)


def test_not_an_emergent_folder(tmp_path):
    with pytest.raises(UsageError, match="holds no url-versions"):
        load(tmp_path)


@pytest.mark.slow
def test_real_test_split():
    """The paper's test split, scored with the shipped model (published accuracy 0.7328)."""
    if not EMERGENT.is_dir():
        pytest.skip("../shared/evaldata/emergent is not present")
    result = evaluate(EMERGENT)
    assert result["n"] == 524 and result["claims"] == 60
    assert result["accuracy"] >= 0.74  # 0.7538 when trained by scripts/train_stance.py
    assert result["per_class"]["deny"]["f1"] >= 0.7
