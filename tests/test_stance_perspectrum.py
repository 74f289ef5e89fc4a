"""Perspectrum as stance pairs for the cross-dataset table, and its two-label scoring."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimgraph.claims.stance import AFFIRM, DENY, REPORT
from claimgraph.errors import UsageError
from claimgraph.eval.stance_transfer import (
    StancePair,
    gold_macro_f1,
    item_votes,
    load_perspectrum,
    score_votes,
)

# Perspectrum's documented layout (data/dataset/README.md of CogComp/perspectrum); the
# sentences are made up, none is Perspectrum's
POOL = [
    {"pId": 1, "text": "Public health is a duty of the city", "source": "idebate"},
    {"pId": 2, "text": "The city  has to keep residents healthy.", "source": "paraphrase"},
    {"pId": 3, "text": "Fluoride in water causes harm.", "source": "idebate"},
    {"pId": 4, "text": "Longer days mean calmer lessons.", "source": "debatewise"},
    {"pId": 5, "text": "Tired pupils learn less.", "source": "debatewise"},
]
CLAIMS = [
    {
        "cId": 10,
        "text": "Cities should add fluoride to tap water",
        "source": "idebate",
        "perspectives": [
            {"pids": [1, 2], "stance_label_3": "SUPPORT", "evidence": [7]},
            {"pids": [3, 3], "stance_label_3": "UNDERMINE", "evidence": []},  # repeated pid
        ],
    },
    {
        "cId": 11,
        "text": "The school day should be longer",
        "source": "debatewise",
        "perspectives": [
            {"pids": [4], "stance_label_3": "SUPPORT", "evidence": []},
            {"pids": [5], "stance_label_3": "UNDERMINE", "evidence": []},
        ],
    },
    {
        "cId": 12,
        "text": "A dev claim",
        "source": "procon",
        "perspectives": [{"pids": [4], "stance_label_3": "SUPPORT", "evidence": []}],
    },
]
SPLIT = {"10": "train", "11": "test", "12": "dev"}


def write_perspectrum(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, data in (
        ("perspectrum_with_answers_v1.0.json", CLAIMS),
        ("perspective_pool_v1.0.json", POOL),
        ("dataset_split_v1.0.json", SPLIT),
    ):
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder


def test_load_perspectrum_pairs_splits_and_errors(tmp_path):
    repo = tmp_path / "perspectrum"
    write_perspectrum(repo / "data" / "dataset")
    sets = load_perspectrum(repo)  # the repository's root finds data/dataset
    assert sorted(sets) == ["perspectrum-test", "perspectrum-train"]  # dev left out
    assert [(p.text, p.claim, p.label, p.item) for p in sets["perspectrum-train"]] == [
        (
            "Public health is a duty of the city",
            "Cities should add fluoride to tap water",
            AFFIRM,
            "per:10:1",
        ),
        (
            "The city has to keep residents healthy.",
            "Cities should add fluoride to tap water",
            AFFIRM,
            "per:10:2",
        ),
        (
            "Fluoride in water causes harm.",
            "Cities should add fluoride to tap water",
            DENY,
            "per:10:3",
        ),
    ]
    test = sets["perspectrum-test"]
    assert [(p.text, p.label) for p in test] == [
        ("Longer days mean calmer lessons.", AFFIRM),
        ("Tired pupils learn less.", DENY),
    ]
    assert {p.group for p in test} == {"per:11"}
    assert {p.source for p in test} == {"perspectrum-test"}
    with pytest.raises(UsageError, match="holds no perspectrum_with_answers_v1.0.json"):
        load_perspectrum(tmp_path)
    (repo / "data" / "dataset" / "perspective_pool_v1.0.json").write_bytes(b"\xff[")
    with pytest.raises(UsageError, match="is not UTF-8 JSON"):
        load_perspectrum(repo)


def test_two_label_score_counts_report_wrong_and_maps_it():
    pairs = [
        StancePair(f"t{i}", "c", gold, "per:1", f"per:1:{i}", "perspectrum-test")
        for i, gold in enumerate([AFFIRM, AFFIRM, DENY, DENY])
    ]
    labels = (AFFIRM, DENY, REPORT)
    rows = [
        (AFFIRM, [0.6, 0.3, 0.1]),
        (REPORT, [0.3, 0.2, 0.5]),  # report; affirm the higher of the two
        (REPORT, [0.1, 0.4, 0.5]),  # report; deny the higher
        (AFFIRM, None),  # a rule's label: one vote
    ]
    res = score_votes(pairs, item_votes(pairs, labels, rows))
    # strict: affirm P 1/2 R 1/2; deny never predicted; report has no gold, so not averaged
    assert res["accuracy"] == pytest.approx(0.25)
    assert res["macro_f1_gold"] == pytest.approx(0.25)
    assert res["macro_f1"] == pytest.approx(0.5 / 3)
    # mapped: affirm, affirm, deny, affirm: affirm F1 0.8, deny F1 2/3
    assert res["mapped"]["accuracy"] == pytest.approx(0.75)
    assert res["mapped"]["macro_f1_gold"] == pytest.approx((0.8 + 2 / 3) / 2)
    # three-label gold (Emergent, FNC-1): macro over all three, no mapped figure
    three = [*pairs[:3], StancePair("t9", "c", REPORT, "em:1", "em:9", "emergent-test")]
    res3 = score_votes(three, item_votes(three, labels, [*rows[:3], rows[1]]))
    assert "mapped" not in res3
    # affirm F1 2/3, deny 0, report P 1/3 R 1
    assert res3["macro_f1_gold"] == pytest.approx((2 / 3 + 0 + 0.5) / 3)
    assert gold_macro_f1(res3) == pytest.approx(res3["macro_f1"])
