"""Wire copies: two texts with one sentence changed are one group, an unrelated text is not;
the original is the wire's own story, else the earliest published."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from claimgraph.analyze.wire import (
    MIN_SHINGLES,
    containment,
    find_wire_groups,
    jaccard,
    shingle_ids,
    shingles,
    store_wire_groups,
    wire_copy_ids,
    wire_groups,
)
from claimgraph.extract.records import Extraction
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.store import open_store
from conftest import copy_store
from streamed_reference import wire_groups_reference

STORY = (
    "Valdoria began filling the Ostra reservoir on Monday, officials in Korva said, as talks "
    "with Marenne over the river's water stalled again. Engineers expect the lake behind the "
    "dam to reach its full height within two years, flooding fourteen villages in the valley. "
    "Marenne says the river's flow across the border will fall sharply in dry months. About "
    "40,000 people have been moved from the flood zone, according to the rights group Ostra "
    "Watch, which says many were given no choice. Valdoria says every family was compensated."
)
# one sentence changed, as an outlet edits a wire story
EDITED = STORY.replace(
    "Valdoria says every family was compensated.",
    "The Valdorian government did not answer questions from the Ledger.",
)
OTHER = (
    "Farmers in the northern hills harvested a record crop of barley this autumn, helped by a "
    "wet spring and new irrigation canals. Prices at the Lussen market fell by a fifth, and "
    "traders expect exports to neighbouring countries to double before the winter closes the "
    "mountain passes. The agriculture ministry said storage was short in three provinces."
)


def add(store, aid: str, text: str, **meta: str) -> None:
    raw = RawArticle(
        source=f"{aid}.txt",
        text=text,
        fmt="txt",
        meta={k: Meta(v, GIVEN_RECORD) for k, v in meta.items()},
    )
    store.write_article(aid, raw, Extraction(), n_words=len(text.split()), extractor_version="t")


def test_shingles_and_jaccard():
    assert shingles("One two three four five six") == {
        "one two three four five",
        "two three four five six",
    }
    assert shingles("Too short") == {"too short"}
    assert shingles("") == set()
    assert jaccard({"a", "b"}, {"b", "c"}) == pytest.approx(1 / 3)
    assert jaccard(set(), set()) == 0.0
    assert jaccard(shingles(STORY), shingles(EDITED)) > 0.6
    assert jaccard(shingles(STORY), shingles(OTHER)) == 0.0


@pytest.mark.parametrize("use_minhash", [None, False], ids=["minhash-lsh", "exact-pairs"])
def test_edited_copy_grouped_unrelated_left_alone(tmp_path, use_minhash):
    store = open_store(tmp_path / "x.db")
    add(
        store,
        "copy",
        EDITED,
        outlet="The Ostra Ledger",
        agency="Northbridge",
        published="2026-03-14",
    )
    add(
        store,
        "wire",
        STORY,
        outlet="Northbridge Wire",
        agency="Northbridge",
        published="2026-03-14",
    )
    add(store, "other", OTHER, outlet="Lindmark Public Radio")
    groups = wire_groups(store, use_minhash=use_minhash)
    # the wire's own story is the original, whatever the store order
    assert groups == [["wire", "copy"]]
    assert wire_copy_ids(groups) == {"copy"}
    full = find_wire_groups(list(store.articles()), use_minhash=use_minhash)[0].to_dict()
    assert [m["is_wire_copy"] for m in full["members"]] == [False, True]
    assert full["members"][1]["jaccard_to_original"] == round(
        jaccard(shingles(STORY), shingles(EDITED)), 4
    )
    store.close()


def test_original_is_earliest_published_when_no_outlet_is_the_agency(tmp_path):
    store = open_store(tmp_path / "x.db")
    add(store, "late", STORY, outlet="Ledger", published="2026-03-15")
    add(store, "undated", STORY, outlet="Herald")
    add(store, "early", EDITED, outlet="Radio", published="2026-03-13")
    assert wire_groups(store) == [["early", "late", "undated"]]
    store.close()


def test_threshold_is_a_jaccard_bound(tmp_path):
    store = open_store(tmp_path / "x.db")
    add(store, "a", STORY)
    add(store, "b", EDITED)
    sim = jaccard(shingles(STORY), shingles(EDITED))
    off = 1.01  # no containment rule
    assert wire_groups(store, threshold=sim, min_containment=off, use_minhash=False) == [["a", "b"]]
    assert wire_groups(store, threshold=sim + 0.01, min_containment=off, use_minhash=False) == []
    store.close()


@pytest.mark.parametrize("use_minhash", [None, False], ids=["minhash-lsh", "exact-pairs"])
def test_trimmed_copy_is_contained_though_jaccard_is_low(tmp_path, use_minhash):
    trimmed = STORY[: STORY.index(" Marenne says")]  # the last four sentences cut
    a, b = shingles(STORY), shingles(trimmed)
    assert jaccard(a, b) < 0.6 and containment(a, b) == 1.0 and len(b) >= MIN_SHINGLES
    store = open_store(tmp_path / "x.db")
    add(store, "full", STORY, published="2026-03-13")
    add(store, "cut", trimmed, published="2026-03-14")
    add(
        store,
        "brief",
        "Valdoria began filling the Ostra reservoir on Monday.",
        published="2026-03-14",
    )
    assert wire_groups(store, use_minhash=use_minhash) == [["full", "cut"]]
    store.close()


def test_sample_corpus_wire_copy(tmp_path, corpus_store):
    db = copy_store(corpus_store[0], tmp_path / "demo.db")  # the corpus with its outlets
    store = open_store(db, readonly=True)
    sources = {a["id"]: Path(a["sources"].split("; ")[0]).name for a in store.articles()}
    groups = wire_groups(store)
    assert [[sources[i] for i in g] for g in groups] == [
        ["03_northbridge_wire.txt", "04_ledger_wire_copy.txt"]
    ]
    store.close()


def test_verbatim_copies_in_bulk_form_one_group_each():
    """A story carried verbatim by many outlets is one group (identical texts are joined
    without comparing every pair), next to an edited copy found by comparison."""
    story = (
        "The Ostra dam will flood four villages in the valley, engineers said on Monday, "
        "and the government has promised new homes to every family before the autumn rains. "
        "Farmers say the compensation is too low and the timetable too short."
    )
    other = (
        "Marenne's foreign minister accused Valdoria of hiding the survey from its "
        "neighbours and demanded that the river commission meet before any more concrete "
        "is poured at the site near the border."
    )
    edited = story.replace("on Monday", "on Tuesday")
    articles = [
        {
            "id": f"a{i:04d}",
            "text": story if i % 2 else other,
            "published": f"2026-03-{1 + i % 28:02d}",
        }
        for i in range(2000)
    ]
    articles.append({"id": "edited", "text": edited, "published": "2026-04-01"})
    groups = find_wire_groups(articles, use_minhash=True)
    sizes = sorted(len(g.members) for g in groups)
    assert sizes == [1000, 1001]
    big = next(g for g in groups if len(g.members) == 1001)
    assert "edited" in {m["article_id"] for m in big.members}
    assert sum(not m["is_wire_copy"] for m in big.members) == 1


def test_shingle_ids_stand_for_the_shingles():
    a, b = shingle_ids(STORY), shingle_ids(EDITED)
    assert a.dtype == np.uint64 and np.all(np.diff(a.astype(np.float64)) > 0)  # sorted, unique
    assert len(a) == len(shingles(STORY))
    assert jaccard(a, b) == jaccard(shingles(STORY), shingles(EDITED))
    assert containment(a, b) == containment(shingles(STORY), shingles(EDITED))
    assert len(shingle_ids("")) == 0
    assert len(shingle_ids("Too short")) == 1


def test_shingle_ids_tell_word_order_apart_and_a_shared_word_cache_changes_nothing():
    # the same five words in another order are another shingle
    assert shingle_ids("one two three four five")[0] != shingle_ids("two one three four five")[0]
    # seven windows, "a a a a a" twice: six different shingles
    assert len(shingle_ids("a a a a a b a a a a a")) == len(shingles("a a a a a b a a a a a")) == 6
    cache: dict[str, int] = {}
    for text in (STORY, EDITED, OTHER, STORY):
        assert np.array_equal(shingle_ids(text, word_ids=cache), shingle_ids(text))
    assert "the" in cache


def test_shingle_ids_are_the_same_in_every_process():
    # Python's own str hash changes with PYTHONHASHSEED; the ids (and so the MinHash
    # candidates) must not
    code = (
        "from claimgraph.analyze.wire import shingle_ids; import sys; "
        f"sys.stdout.write(shingle_ids({STORY!r}).tobytes().hex())"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1 and outs.pop() == shingle_ids(STORY).tobytes().hex()


def _variants(text: str, rng: random.Random) -> list[str]:
    """How outlets rework a wire story: verbatim (twice), cut at the end, cut at the start
    (not a copy of the other cut), a sentence changed, a word in fifty replaced (still a
    copy), a word in two replaced (no longer one)."""
    words = text.split()
    cut = " ".join(words[: int(len(words) * 0.7)])
    tail = " ".join(words[int(len(words) * 0.3) :])
    sentence = text.replace(". ", ". Officials did not answer questions. ", 1)
    light = " ".join(w if rng.random() > 0.02 else "redacted" for w in words)
    heavy = " ".join(w if rng.random() > 0.5 else "redacted" for w in words)
    return [text, cut, sentence, light, heavy, text, tail]


@pytest.fixture(scope="module")
def reworked(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the five seeds and two stories, each with its reworked copies, dated and
    under outlets so that the original is chosen by date and by agency, shuffled; then three
    overlapping slices of a text."""
    rng = random.Random(29)
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    rows = []
    for n, text in enumerate([*texts, STORY, OTHER]):
        for k, variant in enumerate(_variants(text, rng)):
            meta = {"outlet": f"Outlet {k}", "agency": "Outlet 2" if n % 2 else "Wire"}
            if k != 3:
                meta["published"] = f"2026-03-{10 + (n + k) % 7:02d}"
            rows.append((f"s{n}v{k}", variant, meta))
    rows += [("empty", "", {}), ("brief", "Valdoria began filling the reservoir.", {})]
    rng.shuffle(rows)
    # a chain, last in store order: b copies a, c copies b, c is no copy of a
    words = texts[-1].split()[::-1]  # shingles no other text has
    n = len(words) // 100
    for k, lo in enumerate((0, 8, 16)):
        rows.append((f"chain{k}", " ".join(words[lo * n : (lo + 50) * n]), {}))
    db = tmp_path_factory.mktemp("reworked") / "x.db"
    store = open_store(db)
    for aid, text, meta in rows:
        add(store, aid, text, **meta)
    store.close()
    return db


@pytest.mark.seeds
@pytest.mark.parametrize("use_minhash", [None, False], ids=["minhash-lsh", "exact-pairs"])
def test_streamed_groups_equal_the_in_memory_ones(reworked, use_minhash):
    """The groups found reading one text at a time (and reading texts again through a cache
    of 50 shingle ids, or of none) are those of the old code with every text in memory."""
    store = open_store(reworked, readonly=True)
    try:
        articles = list(store.articles())
        ref = [g.to_dict() for g in wire_groups_reference(articles, use_minhash=use_minhash)]
        # the heavy rework left out
        assert sorted(len(g["members"]) for g in ref) == [3] + [6] * 7
        assert {m["is_wire_copy"] for g in ref for m in g["members"]} == {True, False}
        assert [g.to_dict() for g in find_wire_groups(articles, use_minhash=use_minhash)] == ref
        for cached in (None, 50):
            got = store_wire_groups(store, use_minhash=use_minhash, cached_shingles=cached)
            assert [g.to_dict() for g in got] == ref
        with pytest.raises(ValueError, match="not an article row column: text"):
            next(store.article_rows(["outlet", "text"]))
    finally:
        store.close()
