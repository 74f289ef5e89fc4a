"""Sentence embeddings, claim clustering and member stance, on hand-written sentences and on
statements picked by hand from the seed articles."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pytest

from claimgraph.claims import clusters as claims
from claimgraph.claims.clusters import (
    ClaimItem,
    cluster_claims,
    day_number,
    label_claim,
    proposition,
)
from claimgraph.claims.stance import AFFIRM, DENY, REPORT, stance
from claimgraph.embedding.minilm import DIM, Embedder, default_embedder

GENOCIDE = "China is committing genocide in Xinjiang"

# Statements picked by hand from ../shared/seeds: (key, article, speaker, first words, last
# words, stance toward "China is committing genocide in Xinjiang", cue class). The text is cut
# out of the seed file at test time.
SEED_STATEMENTS = [
    ("g1", "000", "Antony Blinken", "expressed Washington's", "the Uyghurs minority", AFFIRM, None),
    ("g2", "000", "United States", "the US became the first", 'as "genocide.', AFFIRM, None),
    ("g3", "001", "Antony Blinken", "end what he claimed", '" in Xinjiang', REPORT, "distancing"),
    (
        "g4",
        "004",
        "Antony Blinken",
        "China continues its genocide",
        "religious minority groups",
        AFFIRM,
        None,
    ),
    (
        "g5",
        "004",
        "State Department",
        "the State Department on Thursday restated",
        "far-western region",
        AFFIRM,
        None,
    ),
    (
        "g6",
        "004",
        "Rashad Hussain",
        "Hussain repeated the allegation",
        "against humanity”",
        AFFIRM,
        None,
    ),
    ("d1", "000", "Wang Wenbin", "The crimes of 'abuse'", "attributed to China", DENY, None),
    ("d3", "004", "Zhao Lijian", "all lies and rumors related", "facts and truth", DENY, None),
    (
        "d4",
        "004",
        "Hua Chunying",
        "Honest people of integrity",
        "do not exist in China",
        DENY,
        None,
    ),
    ("d5", "002", "Xu Guixiang", "A senior official of northwest", "in human history", DENY, None),
    (
        "s1",
        "001",
        None,
        "China has announced the imposition",
        "far-western region of Xinjiang",
        None,
        None,
    ),
    ("s2", "001", "Wang Wenbin", 'Beijing would "impose', "rights and interests.”", None, None),
    (
        "s3",
        "001",
        "Antony Blinken",
        "US sanctions targeted",
        "activists and journalists",
        None,
        None,
    ),
    (
        "s5",
        "002",
        "Xu Guixiang",
        "In response to the unreasonable sanctions",
        "recover losses",
        None,
        None,
    ),
    ("t1", "001", None, "Beijing describes the camps", "employment in the area", None, None),
    (
        "t2",
        "002",
        "Elijan Anayat",
        "At present, Xinjiang does not have",
        "training center",
        None,
        None,
    ),
    ("t3", "004", None, "She relayed without skepticism", "training centers”", None, None),
]
GENOCIDE_KEYS = {s[0] for s in SEED_STATEMENTS if s[0][0] in "gd"}
SANCTION_KEYS = {"s1", "s2", "s3"}
CENTRE_KEYS = {"t1", "t2", "t3"}


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder()


@pytest.fixture(scope="module")
def seed_items(seeds_dir) -> list[ClaimItem]:
    items = []
    for key, article, speaker, first, last, _, _ in SEED_STATEMENTS:
        (path,) = sorted(seeds_dir.glob(f"{article}_*.txt"))
        text = path.read_text(encoding="utf-8")
        start = text.index(first)
        end = text.index(last, start) + len(last)
        assert end - start < 400, key
        items.append(ClaimItem(key, text[start:end], article, speaker))
    return items


# ---------------------------------------------------------------- embeddings


def test_embeddings_are_unit_float32_and_order_preserving(embedder):
    texts = [
        "A man is eating food.",
        "A man is eating a piece of bread.",
        "The girl is carrying a baby.",
    ]
    v = embedder.encode(texts, batch_size=2)
    assert v.shape == (3, DIM) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    sims = v @ v.T
    assert sims[0, 1] > 0.6 > 0.2 > sims[0, 2]  # paraphrase vs unrelated (fp32 model: 0.76 / -0.1)
    np.testing.assert_allclose(embedder.encode(texts[::-1])[::-1], v, atol=1e-5)


def test_embedding_matches_model_card_reference(embedder):
    # all-MiniLM-L6-v2 model card, "This is an example sentence": 0.0677, 0.0635, 0.0487, ...
    v = embedder.encode(["This is an example sentence"])[0]
    np.testing.assert_allclose(v[:4], [0.0677, 0.0635, 0.0487, 0.0793], atol=0.005)


def test_embedder_edge_cases(embedder):
    assert embedder.encode([]).shape == (0, DIM)
    with pytest.raises(TypeError):
        embedder.encode("one string")
    long = embedder.encode(["word " * 600])  # truncated at 256 word pieces, not an error
    assert np.isfinite(long).all()
    # [CLS] + 254 words + [SEP] = 256: the rest is cut; a shorter text is not.
    np.testing.assert_allclose(long, embedder.encode(["word " * 254]), atol=1e-6)
    assert float(long[0] @ embedder.encode(["word " * 40])[0]) < 0.9999
    short = Embedder(threads=1, max_tokens=16).encode(["word " * 600, "word " * 14])
    np.testing.assert_allclose(short[0], short[1], atol=1e-6)
    assert Embedder(threads=1).encode(["x"]).shape == (1, DIM)


def test_batching_by_length_gives_each_text_its_own_vector(embedder):
    """Texts of many lengths are sorted, batched and padded together: each must get the
    vector it gets alone (padding masked out), in input order."""
    texts = [
        "China continues its genocide and repression of predominantly Muslim Uyghurs.",
        "No.",
        "",
        "The dam is safe.",
        "Beijing would impose reciprocal visa restrictions on US officials who had "
        "concocted lies about Xinjiang, a spokesman said on Tuesday in Beijing.",
        "The dam is safe.",
    ]
    together = embedder.encode(texts, batch_size=4)
    alone = np.vstack([embedder.encode([t]) for t in texts])
    np.testing.assert_allclose(together, alone, atol=2e-5)
    assert together[0] @ together[4] < 0.99 and float(together[3] @ together[5]) > 0.9999


# ---------------------------------------------------------------- propositions and labels


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("The genocide charge is a lie of the century.", {"genocide"}, {"lie", "charge"}),
        (
            "The Foreign Ministry denied that China is committing genocide in Xinjiang.",
            {"China", "committing", "genocide"},
            {"denied", "Ministry"},
        ),
        (
            "The crimes of 'genocide' can never be attributed to China.",
            {"genocide", "attributed"},
            {"never"},
        ),
        (
            "Hussain repeated the allegation of genocide and crimes against humanity.",
            {"genocide"},
            {"repeated", "allegation"},
        ),
        (
            "The so-called genocide in Xinjiang is groundless.",
            {"genocide", "Xinjiang"},
            {"so", "called", "groundless"},
        ),
    ],
    ids=["falsity-label", "reported-denial", "never", "shell-allegation-of", "so-called"],
)
def test_proposition_strips_denial_and_shell(nlp, text, present, absent):
    words = set(proposition(nlp(text)).split())
    assert present <= words
    assert not (absent & words)


def test_label_is_the_plain_sentence_of_an_assertion(nlp):
    label = label_claim(
        [
            "The genocide charge is a lie of the century.",
            "China is committing genocide against the Uyghurs.",
            "The US accuses China of genocide against the Uyghurs.",
        ],
        nlp=nlp,
    )
    assert label == "China is committing genocide against the Uyghurs."


def test_label_prefers_a_clause_to_a_fragment(nlp):
    # two members are equally close to their mean: the whole clause reads as the claim
    texts = [
        'the raids in the valley as "genocide"',  # "declared the raids … as 'genocide'"
        "Valmont is committing genocide in the valley.",
    ]
    assert label_claim(texts, nlp=nlp) == "Valmont is committing genocide in the valley."
    assert label_claim(texts[::-1], nlp=nlp) == "Valmont is committing genocide in the valley."


@pytest.mark.parametrize(
    ("text", "label"),
    [
        (
            "that the retaliatory measure came after the US administration announced visa "
            "restrictions on Chinese officials over accusations of repressing religious and "
            "ethnic minorities in Xinjiang",
            "The retaliatory measure came after the US administration announced visa "
            "restrictions on Chinese officials.",
        ),
        (
            "the U.S. assessment that Beijing is committing \u201cgenocide\u201d against "
            "minorities in the far-western region",
            "Beijing is committing genocide against minorities in the far-western region.",
        ),
        (
            "\u201cSince April 2017, more than one million Uyghurs, ethnic Kazakhs, Kyrgyz and "
            "others have been detained in internment camps in Xinjiang.\u201d",
            "More than one million Uyghurs have been detained in internment camps.",
        ),
        ("the allegation of genocide", "The allegation of genocide."),
        (
            "that nearly 1,000 non-governmental organizations from across the world and people "
            "from various walks of life in Xinjiang have written to the High Commissioner",
            "Nearly 1,000 non-governmental organizations from across the world have written to "
            "the High Commissioner.",
        ),
        (
            "that more than 40,000 Ostrani villagers had been moved into what it described as "
            '"resettlement camps" on the Valdorian side of the border',
            "More than 40,000 Ostrani villagers had been moved into what it described as "
            "resettlement camps.",
        ),
        (
            "At present, Xinjiang does not have a single vocational education and training center",
            "Xinjiang does not have a single vocational education and training center.",
        ),
        (
            "The assessment is orchestrated and produced by the US and some Western forces and "
            "is completely illegal, null and void.",
            "The assessment is orchestrated and produced by the US and some Western forces.",
        ),
        (
            "In recent years, Xinjiang has enjoyed sustained economic growth, social harmony and "
            "stability, better living standards and cultural prosperity",
            "Xinjiang has enjoyed sustained economic growth, social harmony and stability.",
        ),
        (
            "\u201cThe US and some Western forces seek to destabilize Xinjiang and use it to "
            "contain China, their leaders said on Monday in a long statement.",
            "The US and some Western forces seek to destabilize Xinjiang.",
        ),
        (
            "the report relied on anonymous testimony gathered abroad and had never been shared "
            "with the Valdorian side",
            "The report relied on anonymous testimony gathered abroad and had never been shared.",
        ),
    ],
    ids=[
        "that-clause-cut-at-its-tail",
        "frame-noun-that-clause",
        "quote-list-dropped",
        "fragment",
        "quantity-kept",
        "what-a-naming-verb-names-kept",
        "short-leading-frame-dropped",
        "kept-conjunct-keeps-its-and",
        "last-conjunct-dropped-with-its-and",
        "list-subject-kept-whole",
        "a-prepositional-verbs-object-kept",
    ],
)
def test_label_is_one_clause_of_at_most_15_words(nlp, text, label):
    got = label_claim([text], nlp=nlp)
    assert got == label
    assert len(got.split()) <= 15


def test_label_keeps_a_copulas_complement(nlp):
    # "are in the best position …": without its complement the clause says nothing ("… are.")
    got = label_claim(
        [
            "Of all people, the people in Xinjiang, whatever their ethnic backgrounds, are in "
            "the best position to tell the world what the human rights conditions are like."
        ],
        nlp=nlp,
    )
    assert "in the best position" in got and len(got.split()) <= 15, got


# ---------------------------------------------------------------- clustering


def test_denial_and_assertion_share_a_claim_and_topics_split(nlp):
    items = [
        ClaimItem("a", "China is committing genocide against the Uyghurs.", "x1", "Blinken"),
        ClaimItem("b", "The genocide charge is a lie of the century.", "x2", "Wang"),
        ClaimItem("c", "The crimes of 'genocide' can never be attributed to China.", "x2", "Wang"),
        ClaimItem("d", "The United States imposed sanctions on Chinese officials.", "x1", None),
        ClaimItem("e", "Washington announced new sanctions against Beijing officials.", "x3", None),
    ]
    result = cluster_claims(items, nlp=nlp)
    by = result.members()
    assert len({result.claim_of(k) for k in "abc"}) == 1
    assert result.claim_of("d") == result.claim_of("e") != result.claim_of("a")
    assert sorted(len(v) for v in by.values()) == [2, 3]
    genocide = next(c for c in result.centroids if c.claim_id == result.claim_of("a"))
    assert genocide.size == 3 and genocide.terms["genocide"] == 3
    assert genocide.articles == {"x1": 1, "x2": 2}
    assert genocide.text == items[0].text  # the assertion represents the claim


def test_clustering_is_deterministic_and_order_free(nlp):
    items = [
        ClaimItem("k1", "Sanctions were imposed on officials.", "a"),
        ClaimItem("k2", "The camps are vocational training centres.", "a"),
        ClaimItem("k3", "Officials face new sanctions.", "b"),
    ]
    one = cluster_claims(items, nlp=nlp)
    two = cluster_claims(items[::-1], nlp=nlp)
    assert one.assignments == two.assignments
    assert [a.key for a in one.assignments] == ["k1", "k2", "k3"]


def test_precomputed_embeddings_are_used(nlp, embedder):
    texts = ["Sanctions were imposed on officials.", "Officials face new sanctions."]
    vecs = embedder.encode(texts)
    items = [
        ClaimItem(f"k{i}", t, embedding=v) for i, (t, v) in enumerate(zip(texts, vecs, strict=True))
    ]
    far = [
        ClaimItem(f"k{i}", t, embedding=v * (-1) ** i)
        for i, (t, v) in enumerate(zip(texts, vecs, strict=True))
    ]
    assert len(cluster_claims(items, nlp=nlp).members()) == 1
    assert len(cluster_claims(far, nlp=nlp, threshold=0.6).members()) == 2


def _day(iso: str) -> int:
    return day_number(iso)  # type: ignore[return-value]


def test_units_years_apart_found_no_claim_together_unless_they_name_the_same_entities(nlp):
    deal = [
        "House Republican leaders and Senate Democrats are negotiating a final budget deal.",
        "Republican leaders and Democrats in the Senate are close to a final budget deal.",
    ]
    same_year = [
        ClaimItem(f"k{i}", t, f"a{i}", day=_day(f"2010-12-0{i + 1}")) for i, t in enumerate(deal)
    ]
    years_apart = [
        ClaimItem(f"k{i}", t, f"a{i}", day=_day(d))
        for i, (t, d) in enumerate(zip(deal, ["2010-12-01", "2015-06-01"], strict=True))
    ]
    undated = [ClaimItem(f"k{i}", t, f"a{i}") for i, t in enumerate(deal)]
    assert len(cluster_claims(same_year, nlp=nlp).members()) == 1
    assert len(cluster_claims(undated, nlp=nlp).members()) == 1
    assert len(cluster_claims(years_apart, nlp=nlp).members()) == 2
    # the same proposition about the same named entities meets across the years
    genocide = [
        ClaimItem(
            "g1", "China is committing genocide against the Uyghurs.", "a1", day=_day("2021-01-19")
        ),
        ClaimItem(
            "g2", "China commits genocide against the Uyghurs.", "a2", day=_day("2023-03-02")
        ),
    ]
    assert len(cluster_claims(genocide, nlp=nlp).members()) == 1
    # one name alone says too little: "Obama" of 2010 and of 2015 stay apart
    obama = [
        ClaimItem("o1", "Obama signed the budget deal.", "a1", day=_day("2010-12-17")),
        ClaimItem("o2", "Obama signed a budget deal.", "a2", day=_day("2015-11-02")),
    ]
    assert len(cluster_claims(obama, nlp=nlp).members()) == 2


def test_a_stored_claim_takes_no_unit_from_outside_its_window(nlp):
    first = cluster_claims(
        [
            ClaimItem(
                "k1",
                "Republican leaders and Democrats reached a final budget deal.",
                "a1",
                day=_day("2010-12-01"),
            ),
            ClaimItem(
                "k2",
                "Republicans and Democrats in Congress reached a final budget deal.",
                "a2",
                day=_day("2010-12-20"),
            ),
        ],
        nlp=nlp,
    )
    (claim,) = [c for c in first.centroids if c.size == 2]
    assert claim.days == (_day("2010-12-01"), _day("2010-12-20"))
    text = "Republican leaders and Democrats in Congress reached a final budget deal."
    near = ClaimItem("k3", text, "a3", day=_day("2011-02-01"))
    far = ClaimItem("k3", text, "a3", day=_day("2014-02-01"))
    assert cluster_claims([near], existing=[claim], nlp=nlp).claim_of("k3") == claim.claim_id
    assert cluster_claims([far], existing=[claim], nlp=nlp).claim_of("k3") != claim.claim_id


@pytest.mark.parametrize(
    "published, day",
    [
        ("2021-07-08", date(2021, 7, 8).toordinal()),
        ("2021-07-08T10:00:00Z", date(2021, 7, 8).toordinal()),
        ("2021-07", None),
        ("", None),
        (None, None),
        ("July 8", None),
    ],
)
def test_day_number_reads_full_dates_only(published, day):
    assert day_number(published) == day


def test_charges_listed_apart_never_found_a_claim_together(nlp):
    texts = ["Officials face new sanctions.", "Sanctions were imposed on officials."]
    together = [ClaimItem(f"k{i}", t, "a") for i, t in enumerate(texts)]
    assert len(cluster_claims(together, nlp=nlp).members()) == 1
    apart = [ClaimItem(f"k{i}", t, "a", apart="s1") for i, t in enumerate(texts)]
    assert len(cluster_claims(apart, nlp=nlp).members()) == 2
    # each still joins a third item it is close to: apart only splits the pair
    third = ClaimItem("k9", "New sanctions were imposed on the officials.", "b")
    assert len(cluster_claims([apart[0], third], nlp=nlp).members()) == 1


def test_a_charge_discredited_by_name_is_never_bare(nlp):
    # "genocide" in every item is the corpus's topic, so a denial naming only it is bare:
    # placed by article, not by what it says; a charge listed by name ("false allegations
    # such as 'genocide'", `ClaimItem.apart`) is placed by what it names
    filler = [
        ClaimItem(f"f{i}", f"The genocide report number {i} was published in {city}.", "b")
        for i, city in enumerate(["Geneva", "Paris", "Rome"])
    ]
    named = "false allegations such as 'genocide'"
    bare = cluster_claims([*filler, ClaimItem("x", named, "a")], nlp=nlp)
    listed = cluster_claims([*filler, ClaimItem("x", named, "a", apart="s1")], nlp=nlp)
    (bare_x,) = [a for a in bare.assignments if a.key == "x"]
    (listed_x,) = [a for a in listed.assignments if a.key == "x"]
    assert bare_x.bare and not listed_x.bare


@pytest.mark.parametrize(
    "pair",
    [
        (
            "The candidate will visit Iowa on Friday.",
            "Cruz is the most conservative candidate in the race.",
        ),
        (
            "The candidate raised $20 million in January.",
            "Voters want a candidate who tells the truth.",
        ),
    ],
)
def test_sharing_ones_only_key_term_is_no_claim(nlp, monkeypatch, pair):
    # two statements whose only key term is the same common noun say different things; with
    # unit term vectors (no prior mass) their term similarity was 1.0 and they made a claim
    items = [ClaimItem("a", pair[0], "x"), ClaimItem("b", pair[1], "y")]
    assert len(cluster_claims(items, nlp=nlp).members()) == 2
    monkeypatch.setattr(claims, "TERM_PRIOR", 0.0)
    assert len(cluster_claims(items, nlp=nlp).members()) == 1


def test_term_similarity_grows_with_the_terms_shared():
    @dataclass
    class Row:
        terms: set[str]

    rows = [Row({"candidate"}), Row({"candidate"}), Row({"genocide", "crime", "humanity"}),
            Row({"genocide", "crime", "humanity"}), Row({"sanction"}), Row({"visa"})]  # fmt: skip
    space = claims._Space(rows, [])
    m = space.terms_matrix([dict.fromkeys(r.terms, 1.0) for r in rows])
    sim = m @ m.T
    assert 0 < sim[0, 1] < sim[2, 3] < 1
    assert sim[0, 4] == 0 and sim[4, 5] == 0


def test_a_bare_denial_answers_what_its_article_reported_before_it(nlp):
    genocide = [
        "China is committing genocide against the Uyghurs.",
        "The State Department restated that Beijing is committing genocide in Xinjiang.",
    ]
    labour = ["Xinjiang cotton is picked by forced labor.",
              "Imports from Xinjiang made with forced labor will be banned.",
              "Forced labor in Xinjiang taints global supply chains."]  # fmt: skip
    items = [
        *(ClaimItem(f"g{i}", t, "a", start=100 * i) for i, t in enumerate(genocide)),
        ClaimItem(
            "z", "All lies and rumors related to Xinjiang have fallen apart.", "a", start=250
        ),
        *(ClaimItem(f"f{i}", t, "a", start=300 + 100 * i) for i, t in enumerate(labour)),
        ClaimItem("g9", "Uyghurs face genocide, the report says.", "b", start=0),
    ]
    result = cluster_claims(items, nlp=nlp)
    (z,) = [a for a in result.assignments if a.key == "z"]
    assert z.bare and z.claim_id == result.claim_of("g0") != result.claim_of("f0")
    # without positions the claim with more members from the article wins
    unplaced = cluster_claims([replace(i, start=None) for i in items], nlp=nlp)
    assert unplaced.claim_of("z") == unplaced.claim_of("f0") != unplaced.claim_of("g0")


def test_bad_input(nlp):
    with pytest.raises(ValueError, match="unique"):
        cluster_claims([ClaimItem("k", "a b c"), ClaimItem("k", "d e f")], nlp=nlp)
    empty = cluster_claims([], nlp=nlp)
    assert empty.assignments == [] and empty.centroids == []


# ---------------------------------------------------------------- the seeds


@pytest.mark.seeds
def test_seed_claims(seed_items, nlp):
    result = cluster_claims(seed_items, nlp=nlp)
    genocide = result.claim_of("g4")
    assert {k for k in GENOCIDE_KEYS if result.claim_of(k) == genocide} == GENOCIDE_KEYS
    assert {a.key for a in result.assignments if a.claim_id == genocide} == GENOCIDE_KEYS
    assert len({result.claim_of(k) for k in SANCTION_KEYS}) == 1
    assert len({result.claim_of(k) for k in CENTRE_KEYS}) == 1
    assert result.claim_of("s1") != result.claim_of("t1")
    assert result.claim_of("s5") not in (genocide, result.claim_of("t1"))
    bare = {a.key for a in result.assignments if a.bare}
    assert bare == {"d3"}  # "all lies and rumors related to Xinjiang": placed by its article
    centroid = next(c for c in result.centroids if c.claim_id == genocide)
    assert "genocide" in centroid.label and centroid.size == len(GENOCIDE_KEYS)


@pytest.mark.seeds
def test_seed_claims_incremental(seed_items, nlp):
    first = cluster_claims(
        [i for i in seed_items if i.article_id in ("000", "001", "002")], nlp=nlp
    )
    genocide = first.claim_of("g1")
    centre = first.claim_of("t1")
    later = cluster_claims(
        [i for i in seed_items if i.article_id == "004"], existing=first.centroids, nlp=nlp
    )
    joined = {a.key: a for a in later.assignments}
    for key in ("g4", "g5", "g6", "d3", "d4"):
        assert joined[key].claim_id == genocide and not joined[key].new_claim, key
    assert joined["t3"].claim_id == centre
    sizes = {c.claim_id: c.size for c in later.centroids}
    old = {c.claim_id: c.size for c in first.centroids}
    assert sizes[genocide] == old[genocide] + 5


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("key", "expected", "cue"),
    [(s[0], s[5], s[6]) for s in SEED_STATEMENTS if s[5] is not None],
    ids=[f"{s[0]}-{s[2]}" for s in SEED_STATEMENTS if s[5] is not None],
)
def test_seed_member_stance(seed_items, key, expected, cue):
    item = next(i for i in seed_items if i.key == key)
    label = stance(item.text, GENOCIDE, cue_class=cue, speaker=item.speaker).label
    assert label == expected


@pytest.mark.seeds
def test_seed_member_stance_toward_the_claims_own_sentence(seed_items, nlp):
    genocide_items = [i for i in seed_items if i.key in GENOCIDE_KEYS]
    result = cluster_claims(genocide_items, nlp=nlp)
    (centroid,) = [c for c in result.centroids if c.size == len(genocide_items)]
    expected = {s[0]: s[5] for s in SEED_STATEMENTS}
    for item in genocide_items:
        if expected[item.key] == REPORT:
            continue
        got = stance(item.text, centroid.text, speaker=item.speaker).label
        assert got == expected[item.key], (item.key, centroid.text)
