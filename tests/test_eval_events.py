"""Multi-event precision scorer on FNC-1: the event grouping on a hand-made file pair, the
figures on hand-built claims, and the CLI on a few real events."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from claimgraph.eval.events import Corpus, Member, group_events, load, score, select
from conftest import EVALDATA, invoke_cli

FNC1 = EVALDATA / "fnc1"

BODIES = {  # body id -> text: three events, one body only unrelated headlines touch
    "1": "The mayor of Valmont resigned on Tuesday over the bridge scandal.",
    "2": "Valmont's mayor denied on Tuesday that he would resign.",
    "3": "City officials said the Valmont mayor had stepped down.",
    "4": "Fishermen reported a giant squid alive in Lake Orvel.",
    "5": "Biologists doubt that a giant squid lives in Lake Orvel.",
    "6": "A comet will pass close to Earth next week, astronomers said.",
    "7": "A bakery in Dunmere sold its last loaf after 90 years.",
}
STANCES = [  # (headline, body id, stance)
    ("Valmont mayor resigns", "1", "agree"),
    ("Valmont mayor resigns", "2", "disagree"),
    ("Mayor quits over bridge", "2", "discuss"),  # chains body 3 in through body 2
    ("Mayor quits over bridge", "3", "agree"),
    ("Mayor quits over bridge", "4", "unrelated"),  # unrelated: joins nothing
    ("Giant squid in Lake Orvel", "4", "agree"),
    ("Giant squid in Lake Orvel", "5", "disagree"),
    ("Giant squid in Lake Orvel", "6", "unrelated"),
    ("Comet to pass Earth", "6", "discuss"),
    ("Comet to pass Earth", "7", "unrelated"),
]


def _write(folder: Path, stances=STANCES) -> Path:
    folder.mkdir(exist_ok=True)
    with (folder / "train_bodies.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        w.writerows(BODIES.items())
    with (folder / "train_stances.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(stances)
    return folder


def test_events_are_bodies_sharing_a_related_headline(tmp_path):
    corpus = load(_write(tmp_path / "fnc1"))
    assert corpus.events() == {"e1": ["1", "2", "3"], "e4": ["4", "5"], "e6": ["6"]}
    assert "7" not in corpus.event_of  # only an unrelated headline names it
    # the headline most bodies share stands for the event (ties: alphabetical)
    assert corpus.headline == {
        "e1": "Mayor quits over bridge",
        "e4": "Giant squid in Lake Orvel",
        "e6": "Comet to pass Earth",
    }


def test_group_events_refuses_an_unknown_stance():
    with pytest.raises(Exception, match="unknown stance 'maybe'"):
        group_events([{"Headline": "h", "Body ID": "1", "Stance": "maybe"}])


def test_missing_file_says_what_to_pass(tmp_path):
    with pytest.raises(Exception, match="pass --data with the evaldata/fnc1 folder"):
        load(tmp_path)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_select_takes_whole_events_in_a_seeded_order(tmp_path, seed):
    corpus = load(_write(tmp_path / "fnc1"))
    every = select(corpus, seed=seed)
    assert sorted(every, key=int) == ["1", "2", "3", "4", "5", "6"]
    runs = [corpus.event_of[b] for b in every]
    runs = [e for i, e in enumerate(runs) if i == 0 or runs[i - 1] != e]
    assert len(runs) == 3  # each event's bodies side by side
    two = select(corpus, events=2, seed=seed)
    assert two == [b for b in every if corpus.event_of[b] in runs[:2]]  # the first two drawn
    assert select(corpus, limit=4, seed=seed) == every[:4]


def test_select_order_depends_on_the_seed(tmp_path):
    corpus = load(_write(tmp_path / "fnc1"))
    orders = {tuple(select(corpus, seed=s)) for s in range(10)}
    assert len(orders) > 1


def test_select_leaves_out_a_repeated_text():
    corpus = Corpus(
        bodies={"1": "same", "2": "same", "3": "other"},
        event_of={"1": "e1", "2": "e1", "3": "e1"},
        headline={"e1": "h"},
    )
    assert select(corpus) == ["1", "3"]


def _members(spec: str) -> list[Member]:
    """'A:1 A:2 B:3' -> members of claim A from bodies 1 and 2, of claim B from body 3."""
    return [Member(*pair.split(":")) for pair in spec.split()]


def test_score_by_hand():
    event_of = {"1": "a", "2": "a", "3": "a", "4": "b", "5": "b", "6": "c", "7": "d", "8": "d"}
    # claim X: bodies 1 1 2 4 -> events a a a b: purity 3/4
    # claim Y: bodies 4 5 -> events b b: purity 1
    # claim Z: bodies 6 7 3 -> events c d a: purity 1/3 (majority by tie: a, the smallest)
    members = _members("X:1 X:1 X:2 X:4 Y:4 Y:5 Z:6 Z:7 Z:3")
    m = score(members, event_of, units=12)
    assert (m["bodies"], m["events"], m["events_multi"]) == (8, 4, 3)  # a, b, d have >= 2
    assert (m["claims"], m["members"], m["largest"]) == (3, 9, 4)
    assert m["in_claim"] == pytest.approx(9 / 12)
    assert m["purity"] == pytest.approx((3 + 2 + 1) / 9)
    assert m["macro_purity"] == pytest.approx((3 / 4 + 1 + 1 / 3) / 3)
    assert m["claims_pure95"] == pytest.approx(1 / 3)  # Y only
    assert m["claims_pure100"] == pytest.approx(1 / 3)
    # a: X joins bodies 1 and 2; b: Y joins 4 and 5; d: no claim holds both 7 and 8
    assert (m["covered"], m["coverage"]) == (2, pytest.approx(2 / 3))
    assert (m["covered_majority"], m["coverage_majority"]) == (2, pytest.approx(2 / 3))


def test_coverage_by_a_claim_mostly_of_another_event():
    event_of = {"1": "a", "2": "a", "3": "b", "4": "b", "5": "b"}
    # claim X joins a's two bodies but most of its members are b's
    m = score(_members("X:1 X:2 X:3 X:4 X:5"), event_of, units=5)
    assert (m["covered"], m["covered_majority"]) == (2, 1)
    assert m["purity"] == pytest.approx(3 / 5)
    assert m["claims_pure95"] == 0.0


def test_score_of_no_claims():
    m = score([], {"1": "a", "2": "a"}, units=0)
    assert (m["claims"], m["members"], m["largest"], m["purity"], m["coverage"]) == (
        0,
        0,
        0,
        0.0,
        0.0,
    )
    assert m["events_multi"] == 1


@pytest.mark.slow
def test_cli_on_three_real_events(tmp_path):
    if not FNC1.is_dir():
        pytest.skip("../shared/evaldata/fnc1 is not present")
    db = tmp_path / "fnc1.db"
    out = invoke_cli("eval", "events", "--data", str(FNC1), "--events", "3", "--db", str(db))
    assert out.returncode == 0, out.stderr.decode()
    text = out.stdout.decode()
    corpus = load(FNC1)
    bodies = select(corpus, events=3)
    events = {corpus.event_of[b] for b in bodies}
    multi = sum(1 for e in events if len(corpus.events()[e]) >= 2)
    assert text.startswith(f"FNC-1 train: {len(bodies)} bodies of 3 events ({multi} with >= 2")
    for line in ("claims", "members", "purity, member-weighted", "coverage"):
        assert any(row.startswith(line) for row in text.splitlines()), line
    assert db.is_file() and Path(f"{db}.bodies.jsonl").is_file()
    records = [json.loads(s) for s in Path(f"{db}.bodies.jsonl").read_text().splitlines()]
    assert [r["body_id"] for r in records] == bodies

    again = invoke_cli("eval", "events", "--data", str(FNC1), "--events", "3", "--db", str(db))
    assert again.returncode == 2
    assert again.stderr.decode() == (
        f"error: {db} exists; pass --db a new path (the run needs an empty store)\n"
    )
