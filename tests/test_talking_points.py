"""Talking points: phrases one side's speakers repeat across articles (hand-built rows), and
the issue's expectations on the seeds and the invented sample corpus, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claimgraph.analyze.profiles import Affiliations
from claimgraph.analyze.talking_points import distinctive, stem, words
from claimgraph.analyze.talking_points import find_talking_points as _find
from conftest import CORPUS, invoke_cli


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("interfere", "interfered"),
        ("interferes", "interference"),
        ("rumors", "rumor"),
        ("China's", "China’s"),
        ("issues", "issue"),
    ],
)
def test_stems_join_the_forms_of_a_word(a, b):
    assert stem(a) == stem(b)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("lies and rumors", True),
        ("interfere in China's internal affairs", True),
        # common words: found through the store's so-called cues instead ("so-called … issues")
        ("so-called human rights issues", False),
        ("Chinese Foreign Ministry spokesperson Wang Wenbin", False),  # a name and a title
        ("flow into Marenne", False),  # one content word besides a name
        ("the crimes of", False),  # starts on a stop word
        ("said on Thursday that", False),  # attribution
        ("a regular press briefing", False),
        # stock wording, of words common in general news (issue 26)
        ("rights and interests", False),
        ("people from all walks of life", False),
        ("human rights conditions", False),
        ("fact and truth", False),
        ("contain China's development", True),
        ("gravely violate international law", True),
    ],
)
def test_distinctive(phrase, expected):
    (run,) = words(phrase)
    assert distinctive(run) is expected


def test_words_never_cross_punctuation_or_quotes():
    text = 'He said: "lies and rumors", then left.'
    assert [[text[w.start : w.end] for w in run] for run in words(text)] == [
        ["He", "said"],
        ["lies", "and", "rumors"],
        ["then", "left"],
    ]


# -- hand-built rows ----------------------------------------------------------------------


def _article(aid: str, outlet: str, text: str, published: str | None = None) -> dict[str, Any]:
    return {"id": aid, "outlet": outlet, "text": text, "published": published}


def _st(aid: str, n: int, text: str, part: str, speaker: str, aff: str) -> dict[str, Any]:
    start = text.index(part)
    return {
        "id": f"{aid}:s{n}",
        "article_id": aid,
        "start_char": start,
        "end_char": start + len(part),
        "speaker": speaker,
        "speaker_type": "person",
        "speaker_role": "spokesperson",
        "speaker_title": None,
        "speaker_affiliation": aff,
    }


T1 = (
    "Korva rejected the report. "
    "Dorn said the sanctions answer attempts to interfere in Valdoria's internal affairs."
)
T2 = (
    "The minister spoke on Monday. "
    "Vell said foreign groups keep trying to interfere in Valdoria's internal affairs again."
)
T3 = (
    "Marenne fears for the river. Valdoria has long resisted efforts to interfere in "
    "Valdoria's internal affairs, and it built the dam."
)
T4 = (
    "Ashby said rivers do not stop at borders and water belongs to everyone downstream. "
    "Osei said the study was open to the public."
)
T5 = "Marenne again. Ashby said rivers do not stop at borders and water belongs to everyone."


def find_talking_points(arts: Any, sts: Any, **kw: Any) -> Any:
    """The finder, with the countries of the invented outlets known (as `--outlets` gives)."""
    return _find(arts, sts, affiliations=Affiliations(sts, ["Valdoria", "Marenne"]), **kw)


def _rows() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    arts = [
        _article("a1", "VNA", T1, "2026-03-12"),
        _article("a2", "Northbridge", T2, "2026-03-14"),
        _article("a3", "VNA", T3, "2026-03-15"),
        _article("a4", "RMI", T4, "2026-03-13"),
        _article("a5", "Ledger", T5, "2026-03-13"),
    ]
    sts = [
        _st(
            "a1",
            0,
            T1,
            "the sanctions answer attempts to interfere in Valdoria's internal affairs",
            "Ilka Dorn",
            "Valdoria",
        ),
        _st(
            "a2",
            0,
            T2,
            "foreign groups keep trying to interfere in Valdoria's internal affairs again",
            "Jon Vell",
            "Valdoria",
        ),
        _st(
            "a4",
            0,
            T4,
            "rivers do not stop at borders and water belongs to everyone downstream",
            "Teodor Ashby",
            "Marenne",
        ),
        _st("a4", 1, T4, "the study was open to the public", "Karin Osei", "Lindmark"),
        _st(
            "a5",
            0,
            T5,
            "rivers do not stop at borders and water belongs to everyone",
            "Teodor Ashby",
            "Marenne",
        ),
    ]
    return arts, sts


def test_a_phrase_one_side_repeats_is_found_with_who_carries_it():
    arts, sts = _rows()
    (tp,) = [t for t in find_talking_points(arts, sts) if "interfere" in t.phrase]
    d = tp.to_dict()
    assert d["phrase"] == "interfere in Valdoria's internal affairs"
    assert d["camp"] == "Valdoria" and d["n_occasions"] == 3
    assert d["first_use"]["article_id"] == "a1" and d["first_use"]["speaker"] == "Ilka Dorn"
    assert [(u["article_id"], u["voice"], u["speaker"]) for u in d["uses"]] == [
        ("a1", "speaker", "Ilka Dorn"),
        ("a2", "speaker", "Jon Vell"),
        ("a3", "outlet", None),
    ]
    assert d["outlets_adopting"] == ["VNA"]  # a3 narrates it in VNA's own voice
    assert d["outlets_carrying"] == ["Northbridge", "VNA"]
    u = d["uses"][2]
    assert T3[u["start"] : u["end"]] == u["text"]


def test_one_quote_carried_twice_is_one_occasion_not_a_talking_point():
    arts, sts = _rows()
    found = find_talking_points(arts, sts, variants={"a4:s0": 0, "a5:s0": 0})
    assert not [t for t in found if "rivers" in t.phrase or "water" in t.phrase]
    # the same words around it in both articles also tell a text carried twice
    found = find_talking_points(arts, sts)
    assert not [t for t in found if "rivers" in t.phrase or "water" in t.phrase]


def test_a_phrase_used_once_or_only_by_outlets_is_not_a_talking_point():
    arts, sts = _rows()
    phrases = {t.phrase for t in find_talking_points(arts, sts)}
    assert not any("study was open" in p or "public" in p for p in phrases)  # once
    assert not any("rejected the report" in p for p in phrases)
    # without the speakers, the interference phrase is only the outlets' own: not found
    assert find_talking_points(arts, []) == []


def test_wire_copies_are_left_out():
    arts, sts = _rows()
    found = find_talking_points(arts, sts, exclude={"a2", "a3"})
    assert not [t for t in found if "interfere" in t.phrase]


# -- through the CLI ----------------------------------------------------------------------


def _talking_points(folder: Path, db: Path, *extra: str) -> list[dict[str, Any]]:
    res = invoke_cli("analyze", str(folder), "--db", str(db), "--no-link", "-q", *extra)
    assert res.returncode == 0, res.stderr.decode()
    res = invoke_cli("export", "talking_points", "--db", str(db))
    assert res.returncode == 0, res.stderr.decode()
    by_id: dict[str, dict[str, Any]] = {}
    for line in res.stdout.decode().splitlines():
        row = json.loads(line)
        by_id.setdefault(row["talking_point_id"], {**row, "uses": []})["uses"].append(row)
    return list(by_id.values())


@pytest.fixture(scope="module")
def seed_points(seeds_dir, tmp_path_factory) -> list[dict[str, Any]]:
    return _talking_points(seeds_dir, tmp_path_factory.mktemp("tp") / "seeds.db")


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("phrase", "outlets"),
    [
        ("interfere in China's internal affairs", {"Press TV", "Tianshannet"}),
        ("lies and rumors", {"ANI"}),
        ("so-called … issues", {"Press TV"}),
        ("contain China's development", {"ANI"}),
    ],
)
def test_seeds_chinese_official_talking_points(seed_points, phrase, outlets):
    (tp,) = [t for t in seed_points if t["phrase"] == phrase]
    assert tp["camp"] == "China"
    speakers = [u for u in tp["uses"] if u["voice"] == "speaker"]
    assert len({u["article_id"] for u in tp["uses"]}) >= 2 and speakers
    assert {u["country"] for u in speakers} <= {"China", "(unknown)"}
    assert outlets <= {u["outlet"] for u in tp["uses"]}
    first = [u for u in tp["uses"] if u["is_first_use"]]
    assert len(first) == 1 and first[0]["speaker"]


@pytest.mark.seeds
def test_seeds_so_called_issues_joins_its_two_wordings(seed_points):
    (tp,) = [t for t in seed_points if t["phrase"] == "so-called … issues"]
    assert sorted(u["text"] for u in tp["uses"]) == [
        "so-called Xinjiang-related issues",
        "so-called human rights issues",
    ]


@pytest.fixture(scope="module")
def corpus_points(tmp_path_factory) -> list[dict[str, Any]]:
    db = tmp_path_factory.mktemp("tp") / "corpus.db"
    return _talking_points(CORPUS, db, "--outlets", str(CORPUS.parent / "outlets.csv"))


def test_sample_corpus_planted_talking_point_is_found(corpus_points):
    """The README's planted talking point: Dorn (VNA, 12 March), Valdoria's water ministry
    (Lindmark Public Radio) and VNA's own narration."""
    (tp,) = [t for t in corpus_points if "internal affairs" in t["phrase"]]
    assert tp["phrase"] == "interfere in Valdoria's internal affairs"
    assert tp["camp"] == "Valdoria"
    voices = {(u["outlet"], u["voice"]) for u in tp["uses"]}
    assert ("VNA", "outlet") in voices and ("VNA", "speaker") in voices
    assert ("Lindmark Public Radio", "speaker") in voices


def test_sample_corpus_phrase_said_once_is_not_a_talking_point(corpus_points):
    text = (CORPUS / "07_vna_sanctions.txt").read_text(encoding="utf-8")
    assert text.count("legitimate and measured response") == 1
    assert not [t for t in corpus_points if "measured response" in t["phrase"]]
    # nor is Ashby's quote, carried by four outlets: one quote, one occasion
    assert not [t for t in corpus_points if "drowning" in t["phrase"]]
