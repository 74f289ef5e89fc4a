"""Quote variants on hand-made statements: identical, trimmed, extended, reworded; different
verb class and speaker flagged; short quotes and same-article repeats not grouped."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from claimgraph.analyze.variants import (
    COMMON_GRAM,
    containment,
    find_quote_variants,
    normalize,
    quote_variants,
    quoted_fragments,
    quoted_words,
    ratio,
)
from claimgraph.extract.records import Extraction, Statement
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.store import open_store
from conftest import copy_store

FULL = (
    "Valdoria is drowning our valleys and silencing our people, and the world is watching it happen"
)


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        pytest.param("direct", f"“{FULL},”", [f"{FULL},"], id="direct-curly-marks"),
        pytest.param("direct", f'"{FULL}', [FULL], id="direct-unclosed-paragraph"),
        pytest.param(
            "direct",
            '"The so-called displacement is a fabrication," Ilka Dorn told reporters. "Every family received a home."',
            ["The so-called displacement is a fabrication,", "Every family received a home."],
            id="direct-interrupted-by-attribution",
        ),
        pytest.param(
            "mixed",
            "that Valdoria was “drowning our valleys and silencing our people”",
            ["drowning our valleys and silencing our people"],
            id="mixed-quoted-fragment",
        ),
        pytest.param(
            "mixed",
            "the visit had “clarified misinformation,” and it’s “a win for truth”",
            ["clarified misinformation,", "a win for truth"],
            id="mixed-two-fragments-apostrophe",
        ),
        pytest.param(
            "partial", "China of ‘Genocide’", ["Genocide"], id="partial-single-curly-headline"
        ),
        pytest.param(
            "partial", "open-air prisons", ["open-air prisons"], id="partial-marks-outside-span"
        ),
        pytest.param("indirect", "that the dam is safe", [], id="indirect-has-no-quote"),
    ],
)
def test_quoted_fragments(kind, text, expected):
    assert quoted_fragments(text, kind) == expected


def test_quoted_words_and_normalize():
    assert quoted_words("the plan was “open and fair”", "mixed") == 3
    assert quoted_words("that it is fair", "indirect") == 0
    assert normalize("“Valdoria’s  DAM,” he said") == "valdoria's dam he said"


def sd(
    sid: str,
    article: str,
    kind: str,
    text: str,
    speaker: str | None = "Teodor Ashby",
    cue: str = "said",
    cls: str = "neutral",
    outlet: str | None = None,
) -> dict:
    return {
        "id": sid,
        "article_id": article,
        "source": f"{article}.txt",
        "outlet": outlet or article.upper(),
        "kind": kind,
        "text": text,
        "speaker": speaker,
        "cue": cue,
        "cue_class": cls,
    }


def test_labels_against_the_medoid():
    statements = [
        sd("a:s0", "a", "direct", f"“{FULL}. We will not stay silent,”", cue="told"),
        sd("b:s0", "b", "direct", f'"{FULL},"'),
        sd("c:s0", "c", "direct", '"Valdoria is drowning our valleys and silencing our people,"'),
        sd(
            "d:s0",
            "d",
            "mixed",
            "that Valdoria was “drowning our valleys and silencing our people”",
            speaker="Marenne",
            cue="claimed",
            cls="distancing",
        ),
        sd("e:s0", "e", "direct", f'"{FULL}."', speaker="Ashby"),
        sd(
            "f:s0",
            "f",
            "direct",
            '"Valdoria is flooding our valleys and silencing our people, and the world watches it happen"',
        ),
        sd("g:s0", "g", "direct", '"Prices at the Lussen market fell by a fifth this autumn"'),
    ]
    groups = find_quote_variants(statements)
    assert len(groups) == 1
    g = groups[0]
    by_article = {m.article_id: m for m in g.members}
    assert g.members[g.reference].article_id == "b"  # the medoid: the most central version
    assert {a: m.difference for a, m in by_article.items()} == {
        "a": "extended",
        "b": "identical",
        "c": "trimmed",
        "d": "trimmed",
        "e": "identical",
        "f": "reworded",
    }
    assert [a for a, m in by_article.items() if m.different_verb_class] == ["d"]
    # "Ashby" is Teodor Ashby; "Marenne" is not
    assert [a for a, m in by_article.items() if m.different_speaker] == ["d"]
    assert by_article["d"].cue == "claimed" and by_article["d"].cue_class == "distancing"
    assert g.to_dict()["n_articles"] == 6


def test_not_grouped_short_quotes_same_article_and_low_ratio():
    statements = [
        # a scare-quoted term is a cue, not a quote (fewer than 4 words)
        sd("a:s0", "a", "partial", "“relocation villages”"),
        sd("b:s0", "b", "partial", "“relocation villages”"),
        # the same quote twice in one article is not a variant
        sd("c:s0", "c", "direct", '"We will defend the river with every lawful means"'),
        sd("c:s1", "c", "direct", '"We will defend the river with every lawful means"'),
        # below the ratio, not contained
        sd("d:s0", "d", "direct", '"We will protect our farms with every possible tool"'),
    ]
    assert find_quote_variants(statements) == []
    assert len(find_quote_variants(statements, min_words=2)) == 1  # the two "relocation villages"
    c, d = (normalize(quoted_fragments(x["text"], "direct")[0]) for x in statements[2::2])
    assert ratio(c, d) < 0.6 and containment(c, d) < 0.9


def test_scattered_common_words_are_not_containment():
    long_quote = (
        '"In Xinjiang, people from ethnic minorities, religious figures and workers have written '
        'about the vocational and education training centers and our development"'
    )
    statements = [
        sd("a:s0", "a", "direct", long_quote),
        sd("b:s0", "b", "mixed", "it called “the people and the workers and our figures”"),
    ]
    assert find_quote_variants(statements) == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("They have got to be able to win.", "We have to be ready to stop him."),
        ("This is a disease.", "This is very serious."),
        ("make America whole again", "make America great again"),
    ],
    ids=["one-shared-phrase", "one-shared-opening", "one-word-swapped-slogan"],
)
def test_quotes_alike_in_letters_but_not_in_words_are_two_quotes(a, b):
    """Pairs seen grouped in US campaign news: similar letters (ratio >= 0.6) but under half
    of the shorter quote's word bigrams shared."""
    na, nb = normalize(a), normalize(b)
    assert ratio(na, nb) >= 0.6
    statements = [sd("a:s0", "a", "direct", f'"{a}"'), sd("b:s0", "b", "direct", f'"{b}"')]
    assert find_quote_variants(statements) == []


def test_many_quotes_sharing_common_phrases_are_not_all_compared():
    """150 quotes that share "we are going to fix" pairwise: only the two that are one quote
    carried twice are grouped, and the prefix filter pairs each quote through its rarest
    bigrams only (comparing every pair that shares a bigram is 11,175 pairs)."""
    from claimgraph.analyze.variants import _candidates

    def quote(i: int) -> str:
        return f'"We are going to fix road{i} and bridge{i} and school{i}"'

    statements = [sd(f"a{i}:s0", f"a{i}", "direct", quote(i)) for i in range(150)]
    statements.append(sd("z:s0", "z", "direct", quote(7)))
    assert _candidates(statements, 4) == [(7, 150)]
    (g,) = find_quote_variants(statements)
    assert sorted(m.article_id for m in g.members) == ["a7", "z"]


def test_from_store(tmp_path):
    store = open_store(tmp_path / "x.db")
    for aid, text, cue, cls in [
        ("x1", f"“{FULL},”", "said", "neutral"),
        (
            "x2",
            "“Valdoria is drowning our valleys and silencing our people,”",
            "claimed",
            "distancing",
        ),
    ]:
        raw = RawArticle(
            source=f"{aid}.txt",
            text=text,
            fmt="txt",
            meta={"outlet": Meta(aid.upper(), GIVEN_RECORD)},
        )
        s = Statement("direct", 0, len(text), text, speaker="Teodor Ashby", cue=cue, cue_class=cls)
        store.write_article(aid, raw, Extraction([s]), n_words=10, extractor_version="t")
    (g,) = quote_variants(store)
    assert [(m.outlet, m.difference, m.different_verb_class) for m in g.members] in (
        [("X1", "identical", False), ("X2", "trimmed", True)],
        [("X1", "extended", True), ("X2", "identical", False)],
    )
    store.close()


def test_sample_corpus_ashby_quote(tmp_path, corpus_store):
    db = copy_store(corpus_store[0], tmp_path / "demo.db")  # the corpus with its outlets
    store = open_store(db, readonly=True)
    groups = [g for g in quote_variants(store) if "drowning our valleys" in normalize(g.quote)]
    store.close()
    assert len(groups) == 1
    members = {Path(m.source or "").name[:2]: m for m in groups[0].members}
    assert sorted(members) == ["02", "03", "04", "05"]
    assert members["03"].difference == "identical"
    assert members["02"].difference == "extended"
    assert members["04"].difference == "trimmed"
    assert members["05"].difference == "trimmed"
    assert members["05"].cue == "claimed" and members["05"].different_verb_class


def _near_threshold_statements(seed: int) -> list[dict[str, Any]]:
    """Quotes built to sit at the edges of the pairing rules: variants of a few base quotes
    with words replaced (about half of the shorter's bigrams shared, give or take one),
    trimmed or extended; repeats inside one article; a phrase that more than `COMMON_GRAM`
    quotes hold (its bigrams do not count), a bigram that exactly as many hold (it counts);
    partial and mixed statements with several
    quoted runs; kinds and speakers mixed for the medoid's ties."""
    rnd = random.Random(seed)
    vocab = [f"w{i}" for i in range(40)]
    bases = [[rnd.choice(vocab) for _ in range(rnd.randint(5, 12))] for _ in range(12)]
    common = "we are going to do it".split()
    sts: list[dict[str, Any]] = []
    for n in range(240 + COMMON_GRAM):
        ws = list(rnd.choice(bases))
        for _ in range(rnd.choice([0, 0, 1, 1, 2, 3, 4])):
            ws[rnd.randrange(len(ws))] = rnd.choice(vocab)
        cut = rnd.random()
        if cut < 0.2:
            ws = ws[rnd.randint(0, 2) :]
        elif cut < 0.35:
            ws = ws + [rnd.choice(vocab) for _ in range(rnd.randint(1, 4))]
        if n <= COMMON_GRAM:
            ws = common + ws[:3]
        elif 240 <= n:
            ws = ["x1", "x2", *ws]
        quote = " ".join(ws)
        kind = rnd.choice(["direct", "direct", "partial", "mixed"])
        if kind == "direct":
            text = f'"{quote}"'
        else:
            other = " ".join(rnd.choice(vocab) for _ in range(rnd.randint(1, 6)))
            text = f'he said "{quote}" and "{other}"'
        aid = f"a{rnd.randrange(160)}"
        row = sd(f"{aid}:s{n}", aid, kind, text)
        row["speaker"] = rnd.choice(["Ilka Dorn", "Dorn", "Jon Vell", None])
        row["cue_class"] = rnd.choice(["neutral", "distancing"])
        sts.append(row)
    return sts


@pytest.mark.parametrize("seed", [0, 5])
def test_same_pairs_and_groups_as_the_in_memory_code(seed):
    """The pairs compared (found on disk, `SharedGrams`) and the groups equal those of the
    code that held every quote in memory (tests/streamed_reference.py), on quotes at the
    edges of the rules: shared bigrams one either side of half the shorter's, common
    bigrams, repeats within an article."""
    from claimgraph.analyze.variants import _candidates
    from streamed_reference import _candidates_reference, _units_reference, variants_reference

    sts = _near_threshold_statements(seed)
    pairs = _candidates(sts, 4)
    assert pairs == _candidates_reference(_units_reference(sts, 4))
    assert len(pairs) > 100
    got = [g.to_dict() for g in find_quote_variants(sts)]
    assert got == [g.to_dict() for g in variants_reference(sts)]
    assert len(got) > 3 and any(m["difference"] == "reworded" for g in got for m in g["members"])
