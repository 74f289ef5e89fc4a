"""Cross-dataset stance data: FNC-1 bodies reduced to sentences, topics split from Emergent's."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from claimgraph.claims.stance import AFFIRM, DENY, REPORT
from claimgraph.errors import UsageError
from claimgraph.eval.stance_transfer import (
    closest_sentences,
    fnc1_topics,
    load_sets,
    sentences,
)

BODY_HOAX = (
    "A story spread on Facebook this week.\n\n"
    "Macaulay Culkin is alive, his publicist said on Tuesday. "
    "The report of his death was a hoax started by a satirical website."
)
BODY_CAT = "A cat was rescued from a tree in Ohio. Firefighters used a ladder to reach it."


# (claim, headline, Emergent stance, split)
EMERGENT_ROWS = [
    ("Macaulay Culkin is dead", "Macaulay Culkin is not dead", "against", "test"),
    ("Macaulay Culkin is dead", "Macaulay Culkin dead at 34", "for", "test"),
    ("Macaulay Culkin is dead", "Macaulay Culkin may be dead", "observing", "test"),
    ("Macaulay Culkin is dead", "Macaulay Culkin found dead", "for", "train"),
]


def write_emergent(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "url-versions-2015-06-14-clean.csv").open("w", newline="") as fh:
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
        for i, (claim, headline, label, _) in enumerate(EMERGENT_ROWS):
            w.writerow([i, claim, headline, label, f"a{i}", "c1"])
    with (folder / "split.DERIVED.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "claimId", "articleId", "split"])
        w.writerows([i, "c1", f"a{i}", row[3]] for i, row in enumerate(EMERGENT_ROWS))
    return folder


def write_fnc1(folder: Path, stances, bodies) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "train_stances.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(stances)
    with (folder / "train_bodies.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        w.writerows(bodies.items())
    return folder


@pytest.mark.parametrize(
    "body, expected",
    [
        # paragraph breaks and sentence ends; a short dateline-like piece is dropped
        (BODY_HOAX, 3),
        ('Officials said "The trade deal is finally over." Then he left the building for good.', 2),
        ("LONDON (Reuters) -", 0),
        ("The U.S. economy grew by 3.5 percent in the third quarter of the year.", 1),
    ],
    ids=["paragraphs", "quote-closes-sentence", "dateline-only", "abbreviation-no-split"],
)
def test_sentences(body, expected):
    assert len(sentences(body)) == expected


def test_closest_sentences_keep_body_order():
    sents = sentences(BODY_HOAX)
    idf = {"hoax": 3.0, "death": 2.0, "culkin": 2.0, "macaulay": 2.0}
    got = closest_sentences("Macaulay Culkin death report is a hoax", sents, idf, 2)
    assert got == [sents[1], sents[2]]
    assert closest_sentences("Culkin", sents, idf, 1) == [sents[1]]


def test_topics_are_connected_components_of_related_pairs():
    stances = [
        {"Headline": "h1", "Body ID": "1", "Stance": "agree"},
        {"Headline": "h2", "Body ID": "1", "Stance": "discuss"},
        {"Headline": "h3", "Body ID": "2", "Stance": "disagree"},
        {"Headline": "h3", "Body ID": "1", "Stance": "unrelated"},  # no edge
    ]
    topic = fnc1_topics(stances)
    assert topic["h1"] == topic["h2"] != topic["h3"]


def test_load_sets_split_fnc1_by_emergent_test_topics(tmp_path):
    em = write_emergent(tmp_path / "emergent")
    fnc = write_fnc1(
        tmp_path / "fnc1",
        [
            ["Macaulay Culkin is not dead", "7", "disagree"],  # an Emergent test headline
            ["Macaulay Culkin found dead", "7", "agree"],  # train headline, same body: test
            ["Cat rescued from tree", "8", "discuss"],
            ["Cat rescued from tree", "7", "unrelated"],
        ],
        {"7": BODY_HOAX, "8": BODY_CAT},
    )
    sets = load_sets(em, fnc, k=1)
    assert [p.label for p in sets["emergent-test"]] == [DENY, AFFIRM, REPORT]
    assert [p.text for p in sets["emergent-train"]] == ["Macaulay Culkin found dead"]
    test_topic = sets["fnc1-test-topics"]
    assert [(p.claim, p.label) for p in test_topic] == [
        ("Macaulay Culkin is not dead", DENY),
        ("Macaulay Culkin found dead", AFFIRM),
    ]
    assert all(p.text == sentences(BODY_HOAX)[1] for p in test_topic)
    assert [(p.claim, p.label, p.text) for p in sets["fnc1-train-topics"]] == [
        ("Cat rescued from tree", REPORT, sentences(BODY_CAT)[0])
    ]
    # grouped with the Emergent claim whose headline the topic carries, for cross-validation
    assert {p.group for p in test_topic} == {"em:c1"}
    assert sets["fnc1-train-topics"][0].group.startswith("fnc:")


def test_not_an_fnc1_folder(tmp_path):
    em = write_emergent(tmp_path / "emergent")
    with pytest.raises(UsageError, match="holds no train_stances.csv"):
        load_sets(em, tmp_path)
