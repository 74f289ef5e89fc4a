"""The PTC scorer: the SemEval-2020 Task 11 partial-overlap metric on hand-made spans, the
technique micro-F1, the loader, and a real-data run on a few held-out articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimgraph.errors import UsageError
from claimgraph.eval.ptc import (
    Article,
    evaluate,
    format_report,
    load,
    merge,
    overlap_prf,
    score,
    tc_groups,
    tc_micro,
    tc_per_class,
)
from claimgraph.extract.propaganda import heldout_ids

EVALDATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata" / "ptc"


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param([(0, 10), (5, 12)], [(0, 12)], id="overlapping-joined"),
        pytest.param([(20, 30), (0, 5)], [(0, 5), (20, 30)], id="sorted"),
        pytest.param([(0, 5), (5, 9)], [(0, 5), (5, 9)], id="touching-kept-apart"),
        pytest.param([(3, 3), (0, 2)], [(0, 2)], id="empty-dropped"),
    ],
)
def test_merge(spans, expected):
    assert merge(spans) == expected


@pytest.mark.parametrize(
    ("pred", "gold", "p", "r"),
    [
        # half of the predicted span lies in the gold span and half of the gold span is found
        pytest.param({"a": [(5, 15)]}, {"a": [(0, 10)]}, 0.5, 0.5, id="half-overlap"),
        # s1 fully inside t1 (1.0), s2 half inside t2 (0.5): P=(1+.5)/2; R=(4/10+5/10)/2
        pytest.param(
            {"a": [(0, 4), (20, 30)]}, {"a": [(0, 10), (25, 35)]}, 0.75, 0.45, id="two-pairs"
        ),
        # one long prediction covering two gold spans: P = (10+10)/40, R = 1 and 1
        pytest.param({"a": [(0, 40)]}, {"a": [(0, 10), (30, 40)]}, 0.5, 1.0, id="one-covers-two"),
        # overlapping gold spans are merged before scoring: gold = (0, 20)
        pytest.param({"a": [(0, 10)]}, {"a": [(0, 15), (5, 20)]}, 1.0, 0.5, id="gold-merged"),
        # offsets only pair within an article; |S| and |T| count over all articles
        pytest.param(
            {"a": [(0, 10)], "b": [(0, 10)]}, {"a": [(0, 10)]}, 0.5, 1.0, id="per-article"
        ),
        pytest.param({"a": []}, {"a": [(0, 10)]}, 0.0, 0.0, id="nothing-predicted"),
        pytest.param({"a": [(0, 10)]}, {}, 0.0, 0.0, id="no-gold"),
    ],
)
def test_overlap_prf(pred, gold, p, r):
    m = overlap_prf(pred, gold)
    assert m["precision"] == pytest.approx(p)
    assert m["recall"] == pytest.approx(r)
    f = 2 * p * r / (p + r) if p + r else 0.0
    assert m["f1"] == pytest.approx(f)


def test_overlap_f1_two_pairs_value():
    m = overlap_prf({"a": [(0, 4), (20, 30)]}, {"a": [(0, 10), (25, 35)]})
    assert m["f1"] == pytest.approx(0.5625)  # 2 * .75 * .45 / 1.2
    assert (m["n_pred"], m["n_gold"]) == (2, 2)


def test_tc_micro_matches_labels_as_multisets():
    # a span with two gold labels gets two predictions, order irrelevant; 2 of 3 correct
    m = tc_micro([["Doubt", "Slogans"], ["Repetition"]], [["Slogans", "Doubt"], ["Doubt"]])
    assert m["f1"] == pytest.approx(2 / 3)
    assert m["precision"] == m["recall"] == pytest.approx(2 / 3)


def test_tc_per_class_counts_each_technique_apart():
    # Doubt: gold 2, predicted 2, right 1 -> P=R=.5; Slogans: gold 1, pred 1, right 1;
    # Repetition: gold 1, never predicted -> 0
    gold = [["Doubt", "Slogans"], ["Repetition"], ["Doubt"]]
    pred = [["Slogans", "Doubt"], ["Doubt"], ["Appeal_to_Authority"]]
    m = tc_per_class(gold, pred)
    assert m["Doubt"]["precision"] == m["Doubt"]["recall"] == pytest.approx(0.5)
    assert m["Slogans"]["f1"] == pytest.approx(1.0)
    assert m["Repetition"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "n_gold": 1, "n_pred": 0}
    assert m["Appeal_to_Authority"]["n_pred"] == 1 and m["Appeal_to_Authority"]["n_gold"] == 0


def test_score_per_technique_and_groups():
    art = Article(
        "1",
        "x" * 50,
        si=[(0, 10), (20, 30)],
        tc=[(0, 10, "Loaded_Language"), (20, 30, "Doubt"), (20, 30, "Slogans")],
    )
    assert tc_groups(art) == [((0, 10), ["Loaded_Language"]), ((20, 30), ["Doubt", "Slogans"])]
    pred = {"1": [(0, 5, "Loaded_Language"), (20, 30, "Loaded_Language")]}
    res = score([art], pred, {"1": [["Loaded_Language"], ["Doubt", "Flag-Waving"]]})
    assert res["si"]["precision"] == pytest.approx(1.0)
    assert res["si"]["recall"] == pytest.approx(0.75)
    ll = res["techniques"]["Loaded_Language"]
    assert (ll["precision"], ll["recall"]) == (pytest.approx(0.5), pytest.approx(0.5))
    assert res["techniques"]["Doubt"]["f1"] == 0.0
    assert res["tc"]["f1"] == pytest.approx(2 / 3)


def test_load_reads_layout_and_rejects_bad_folder(tmp_path):
    (tmp_path / "dev-articles").mkdir()
    (tmp_path / "dev-articles" / "article7.txt").write_text("Title\n\nThey are evil.\n")
    (tmp_path / "dev-task2-TC.labels").write_text("7\tLoaded_Language\t16\t20\n")
    (art,) = load(tmp_path, "dev")
    assert art.id == "7" and art.text[16:20] == "evil"
    assert art.si == [(16, 20)]  # no SI file: gold spans come from the TC labels
    with pytest.raises(UsageError, match="pass --data"):
        load(tmp_path, "test")
    with pytest.raises(UsageError, match="not in"):
        load(tmp_path, "dev", ids=["8"])


@pytest.mark.skipif(not EVALDATA.is_dir(), reason="needs ../shared/evaldata/ptc")
def test_evaluate_on_heldout_articles():
    ids = heldout_ids()[:4]
    res = evaluate(EVALDATA, "train", ids=ids)
    assert res["articles"] == 4
    assert set(res) >= {"si", "tc", "techniques", "split", "seconds"}
    for block in [res["si"], *res["techniques"].values()]:
        assert 0.0 <= block["precision"] <= 1.0 and 0.0 <= block["recall"] <= 1.0
    assert res["si"]["n_gold"] > 0 and res["si"]["n_pred"] > 0
    assert 0.0 < res["tc"]["f1"] <= 1.0
    report = format_report(res)
    assert "span identification" in report and "Loaded_Language" in report
    # the extractor's cost is reported next to the parse it runs on
    assert res["seconds_parse"] > 0 and res["seconds_propaganda"] > 0
    assert "x the parse" in report


def test_split_is_disjoint():
    import json

    from claimgraph.extract.propaganda import SPLIT_PATH

    split = json.loads(SPLIT_PATH.read_text())
    assert not set(split["train"]) & set(split["heldout"])
    assert len(split["heldout"]) == 74 and len(split["train"]) == 297


def test_default_cues_score_as_their_techniques(tmp_path):
    """A cue of the default analyze counts for the technique its type stands for: an article
    whose only gold span is a name-calling the lexicon lists scores that span, and a
    loaded_label cue counts as Loaded_Language."""
    from claimgraph.eval.ptc import evaluate_default, format_default_report

    (tmp_path / "dev-articles").mkdir()
    text = "Police chiefs\n\nThe thugs fled after the witch hunt ended.\n"
    (tmp_path / "dev-articles" / "article9.txt").write_text(text)
    s = text.index("thugs")
    w = text.index("witch hunt")
    (tmp_path / "dev-task2-TC.labels").write_text(
        f"9\tName_Calling,Labeling\t{s}\t{s + 5}\n9\tLoaded_Language\t{w}\t{w + 10}\n"
    )
    res = evaluate_default(tmp_path, "dev")
    nc, ll = res["techniques"]["Name_Calling,Labeling"], res["techniques"]["Loaded_Language"]
    assert nc["n_gold"] == 1 and nc["recall"] == 1.0
    assert ll["n_gold"] == 1 and ll["recall"] == 1.0
    assert res["seconds_parse"] > 0 and "x the parse" in format_default_report(res)
