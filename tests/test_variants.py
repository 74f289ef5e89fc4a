"""Quote variants on hand-made statements: identical, trimmed, extended, reworded; different
verb class and speaker flagged; short quotes and same-article repeats not grouped."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.analyze.variants import (
    COMMON_GRAM,
    QUOTED_KINDS,
    _grams,
    containment,
    find_quote_variants,
    normalize,
    quote_variants,
    quoted_fragments,
    quoted_words,
    ratio,
    similar,
    similarity,
)
from claimgraph.extract.records import Extraction, Statement
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.store import open_store
from conftest import copy_store

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures

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


# normalize, quoted_fragments and _grams as they were written before they were made faster
# (commit 2351e56): every quote mark unified by str.translate, bigrams joined one by one.
_QUOTE_CHARS_THEN = str.maketrans({c: '"' for c in "“”„‟«»″〝〞＂"})
_QUOTED_THEN = re.compile(r'"([^"]+)"|(?<![\w])‘([^‘’]+)’(?!\w)')
_WORD_THEN = re.compile(r"\w+(?:['’]\w+)*")


def _normalize_then(text: str) -> str:
    text = text.translate(_QUOTE_CHARS_THEN).replace("’", "'").replace("‘", "'").lower()
    return " ".join(_WORD_THEN.findall(text))


def _quoted_fragments_then(text: str, kind: str) -> list[str]:
    if kind not in QUOTED_KINDS:
        return []
    unified = text.translate(_QUOTE_CHARS_THEN)
    if kind == "direct":
        whole = unified.strip()
        if not whole.startswith('"'):
            whole = '"' + whole
        if not whole.endswith('"') or whole == '"':
            whole += '"'
        runs = [r for r in re.findall(r'"([^"]+)"', whole) if r.strip()]
        return [r.strip() for r in runs] or [unified.strip().strip('"').strip()]
    runs = [m.group(1) or m.group(2) for m in _QUOTED_THEN.finditer(unified)]
    if not runs and kind == "partial":
        return [unified.strip().strip('"‘’').strip()]
    return [r.strip() for r in runs if r.strip()]


def _grams_then(words: list[str]) -> set[str]:
    if len(words) < 2:
        return {" ".join(words)}
    return {" ".join(words[i : i + 2]) for i in range(len(words) - 1)}


# news copy's quote marks and apostrophes, letters that change length when lowered (İ),
# word characters of other scripts, punctuation and spaces; then any character at all
_NEWS_CHARS = st.sampled_from(list("ab Zz9_ ,.;-'\"“”„‟«»″〝〞＂‘’İßé字\n\t"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(_NEWS_CHARS | st.characters(), max_size=60),
    kind=st.sampled_from(["direct", "partial", "mixed", "indirect"]),
)
def test_text_helpers_equal_those_written_with_translate(text, kind):
    """The quote marks unified by a regex (and left as they are where only words are kept),
    the bigrams zipped: the same fragments, normalised texts and bigrams as before."""
    assert quoted_fragments(text, kind) == _quoted_fragments_then(text, kind)
    assert normalize(text) == _normalize_then(text)
    words = normalize(text).split()
    assert _grams(words) == _grams_then(words)


# quotes of a few words from a small vocabulary: copies, trims and rewordings of each other
_QUOTE_WORDS = st.lists(
    st.sampled_from("we will not stay silent on the dam valleys".split()), max_size=12
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=_QUOTE_WORDS, b=_QUOTE_WORDS, min_ratio=st.sampled_from([0.0, 0.3, 0.6, 0.9, 0.95, 1.0]))
def test_similar_decides_as_similarity(a, b, min_ratio):
    """`similar` (what pairing asks, settled by containment or a bound where it can) says
    what comparing `similarity` with the threshold says."""
    x, y = " ".join(a), " ".join(b)
    assert similar(x, y, min_ratio) == (similarity(x, y) >= min_ratio)


def _variant_store(store: Any) -> None:
    """Three articles carrying one quote (one with no outlet, as in a store written before
    migration 10, read from two files whose names sort differently in byte order and in a
    locale's), an indirect statement and a short quote besides."""
    quote = f"“{FULL},”"
    trimmed = "“Valdoria is drowning our valleys and silencing our people,”"
    for aid, outlet, texts in [
        ("x1", "X1", [("direct", quote), ("indirect", "that the dam is safe")]),
        ("x2", None, [("mixed", f"that it was {trimmed}"), ("partial", "“a lie”")]),
        ("x3", "X3", [("direct", trimmed)]),
    ]:
        meta = {"outlet": Meta(outlet, GIVEN_RECORD)} if outlet else {}
        raw = RawArticle(
            source=f"a{aid}.txt", text=" ".join(t for _, t in texts), fmt="txt", meta=meta
        )
        sts = [Statement(k, 0, len(t), t, speaker="Teodor Ashby", cue="said") for k, t in texts]
        store.write_article(aid, raw, Extraction(sts), n_words=10, extractor_version="t")
    store.add_source("x2", "Zx2.txt", "txt")
    with store.transaction():  # one time: the first source is the first name in byte order
        store.conn.execute("UPDATE article_sources SET added_at = '2026-01-01T00:00:00'")
        store.conn.execute("UPDATE articles SET outlet = NULL WHERE id = 'x2'")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_store_read_equals_the_statement_rows(backend, tmp_path, request):
    """`quote_variants(store)` (the quoted kinds' columns only, the members' sources looked
    up afterwards) gives what `find_quote_variants(store.statements())` gives, on both
    backends: the same rows in the same order, the same sources and outlets."""
    db = str(tmp_path / "v.db") if backend == "sqlite" else request.getfixturevalue("pg_url")
    store = open_store(db)
    try:
        _variant_store(store)
        rows = list(store.statements())
        quoted = [r for r in rows if r["kind"] in QUOTED_KINDS]
        assert len(quoted) == 4 < len(rows)
        cols = ("id", "article_id", "text", "kind", "speaker", "cue", "cue_class", "outlet")
        assert list(store.quoted_statements(QUOTED_KINDS)) == [
            tuple(r[c] for c in cols) for r in quoted
        ]
        assert store.first_sources(["x3", "x2", "none such", "x2"]) == {
            "x2": "Zx2.txt",
            "x3": "ax3.txt",
        }
        got = [g.to_dict() for g in quote_variants(store)]
        assert got == [g.to_dict() for g in find_quote_variants(store.statements())]
        (g,) = got
        assert [(m["article_id"], m["source"], m["outlet"]) for m in g["members"]] == [
            ("x1", "ax1.txt", "X1"),
            ("x2", "Zx2.txt", "unnamed source: Zx2.txt"),
            ("x3", "ax3.txt", "X3"),
        ]
    finally:
        store.close()
