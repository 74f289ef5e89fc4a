"""Outlet profiles on small hand-built stores: exact shares, exact degenerate bootstrap
intervals, wire copies left out; and the issue's expectation on the real seeds."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from claimgraph.analyze.profiles import (
    carried_voices,
    outermost,
    outlet_profiles,
)
from claimgraph.errors import UsageError
from claimgraph.extract.records import Cue, Extraction, Statement, TermUse
from claimgraph.ingest.base import GIVEN_RECORD, Meta, RawArticle
from claimgraph.link.sides import Affiliations
from claimgraph.store import open_store
from conftest import copy_store

# a wire story and an unrelated one: texts long enough for word 5-shingles
WIRE = (
    "Valdoria began filling the Ostra reservoir on Monday, officials in Korva said, as talks "
    "with Marenne over the river's water stalled again. Engineers expect the lake behind the "
    "dam to reach its full height within two years, flooding fourteen villages in the valley. "
    "Marenne says the river's flow across the border will fall sharply in dry months."
)
OTHER = (
    "Farmers in the northern hills harvested a record crop of barley this autumn, helped by a "
    "wet spring and new irrigation canals. Prices at the Lussen market fell by a fifth, and "
    "traders expect exports to neighbouring countries to double before the winter closes the "
    "mountain passes."
)


def st(
    kind: str, text: str, speaker: str | None, aff: str | None = None, **kw: object
) -> Statement:
    fields: dict[str, object] = {
        "speaker_type": "person",
        "speaker_role": "official",
        "cue": "said",
        "cue_class": "neutral",
    }
    fields.update(kw)
    return Statement(
        kind=kind,
        start=0,
        end=len(text),
        text=text,
        speaker=speaker,
        speaker_affiliation=aff,
        **fields,
    )  # type: ignore[arg-type]


def add(
    store,
    aid: str,
    outlet: str | None,
    statements: list[Statement],
    *,
    n_words: int = 100,
    text: str | None = None,
    cues: list[Cue] | None = None,
    terms: list[TermUse] | None = None,
    country: str | None = None,
    **meta: str,
) -> None:
    metas = {k: Meta(v, GIVEN_RECORD) for k, v in meta.items()}
    if outlet:
        metas["outlet"] = Meta(outlet, GIVEN_RECORD)
    raw = RawArticle(
        source=f"{aid}.txt",
        text=text or f"Article {aid} about the Ostra dam.",
        fmt="txt",
        meta=metas,
        outlet_info={"country": country} if country else {},
    )
    # Lay the statements out one after another: separate voices, none inside another.
    placed, at = [], 0
    for one in statements:
        placed.append(replace(one, start=at, end=at + len(one.text)))
        at += len(one.text) + 1
    store.write_article(
        aid,
        raw,
        Extraction(placed, cues or [], terms or []),
        n_words=n_words,
        extractor_version="t",
    )


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "x.db")
    # outlet A, one article: 3 of 4 statements by Valdorian officials
    add(
        s,
        "a1",
        "A",
        [
            st("direct", "“We will build the dam for everyone.”", "Ilka Dorn", "Valdoria"),
            st(
                "indirect",
                "that the dam is safe",
                "Ilka Dorn",
                "Valdoria",
                cue="claimed",
                cue_class="distancing",
            ),
            st("mixed", "the plan was “open and fair”", "Jon Korva", "Valdoria"),
            st(
                "indirect",
                "Valdoria of flooding the valley",
                "Teodor Ashby",
                "Marenne",
                cue="accused",
                cue_class="attacking",
            ),
        ],
        n_words=200,
        cues=[
            Cue("scare_quote", 0, 5, "x"),
            Cue("scare_quote", 6, 9, "y"),
            Cue("so_called", 0, 3, "z"),
        ],
        terms=[
            TermUse("relocation villages", "relocation villages", 0, 5, "narrated", "sites"),
            TermUse("relocation villages", "relocation villages", 6, 9, "quoted", "sites", 2),
            TermUse("resettlement camps", "resettlement camps", 0, 5, "quoted", "sites", 0),
        ],
        country="Valdoria",
    )
    # outlet B, two articles: 3 of 4 statements by Marennese voices
    add(
        s,
        "b1",
        "B",
        [
            st("indirect", "the dam is legal", "Ilka Dorn", "Valdoria"),
            st(
                "direct",
                '"The river is ours too, and we will defend it."',
                "Teodor Ashby",
                "Marenne",
            ),
        ],
        country="Marenne",
    )
    add(
        s,
        "b2",
        "B",
        [
            st("indirect", "the flow will fall", "Teodor Ashby", "Marenne"),
            st(
                "indirect",
                "talks will resume",
                "Marenne",
                None,
                speaker_type="country",
                speaker_role="country",
            ),
        ],
    )
    # no outlet: a country speaker with no affiliation is its own affiliation
    add(
        s,
        "n1",
        None,
        [st("indirect", "it will raise the matter", "Marenne", None, speaker_type="country")],
    )
    yield s
    s.close()


def test_shares_one_article_exact_and_no_interval(store):
    """One article: exact shares, and no interval (resampling one article cannot vary)."""
    a = outlet_profiles(store, n_boot=200, seed=3)["A"]
    assert (a.n_articles, a.n_words, a.n_statements) == (1, 200, 4)
    v = a.voices_by_affiliation
    assert list(v) == ["Valdoria", "Marenne"]
    assert (v["Valdoria"].value, v["Valdoria"].lo, v["Valdoria"].hi) == (0.75, None, None)
    assert (v["Marenne"].value, v["Marenne"].lo, v["Marenne"].hi) == (0.25, None, None)
    assert (v["Valdoria"].num, v["Valdoria"].den) == (3, 4)
    # quoted words: 7 ("We will build the dam for everyone") + 3 ("open and fair"), all Valdorian
    assert a.n_quoted_words == 10
    assert a.quoted_words_by_affiliation["Valdoria"].value == 1.0
    assert a.quoted_words_by_affiliation["Marenne"].value == 0.0
    assert {k: s.value for k, s in a.verb_classes.items()} == {
        "neutral": 0.5,
        "attacking": 0.25,
        "distancing": 0.25,
    }
    assert {k: s.value for k, s in a.voices_by_role.items()} == {"official": 1.0}
    cues = a.cues_per_1k_words
    assert (cues["scare_quote"].value, cues["scare_quote"].lo, cues["scare_quote"].hi) == (
        10.0,
        None,
        None,
    )
    assert cues["so_called"].value == 5.0
    rv = a.terms["relocation villages"]
    assert (rv["narrated"], rv["quoted"], rv["narrated_share"].value) == (1, 1, 0.5)
    assert (a.terms["resettlement camps"]["narrated"], a.terms["resettlement camps"]["quoted"]) == (
        0,
        1,
    )


def test_two_articles_interval_spans_the_resamples(store):
    b = outlet_profiles(store, n_boot=1000, seed=0)["B"]
    m = b.voices_by_affiliation["Marenne"]
    # b1: 1 of 2 Marennese, b2: 2 of 2 -> point 3/4; resamples give 1/2, 3/4 or 1
    assert (m.value, m.lo, m.hi) == (0.75, 0.5, 1.0)
    val = b.voices_by_affiliation["Valdoria"]
    assert (val.value, val.lo, val.hi) == (0.25, 0.0, 0.5)
    for share in [*b.voices_by_affiliation.values(), *b.quoted_words_by_affiliation.values()]:
        assert share.lo <= share.value <= share.hi
    # the country speaker with no affiliation counts as its own affiliation
    assert b.voices_by_role["country"].value == 0.25


def test_distinct_voices_count_each_speaker_once_per_article(tmp_path):
    s = open_store(tmp_path / "v.db")
    add(
        s,
        "c1",
        "C",
        [
            *(st("indirect", f"the dam is safe {i}", "Ilka Dorn", "Valdoria") for i in range(3)),
            st("indirect", "the flow will fall", "Teodor Ashby", "Marenne"),
            st("indirect", "the dam is a threat", "Critics", None, speaker_role="collective"),
            st(
                "indirect", "the valley will flood", "Mara Lind", "Marenne", speaker_role="activist"
            ),
            st(
                "indirect",
                "talks will resume",
                "Marennese authorities",
                None,
                speaker_type="collective",
                speaker_role="collective",
            ),
            st("indirect", "the dam leaks", "the Ostra report", None, speaker_role="document"),
            st("indirect", "work has stopped", None, None, speaker_role=None),
        ],
        country="Marenne",
    )
    add(
        s,
        "c2",
        "C",
        [st("indirect", "the dam is legal", "Ilka Dorn", "Valdoria")],
    )
    add(s, "d1", "D", [], country="Valdoria")  # an outlet's country is a country the store knows
    c = outlet_profiles(s, n_boot=1000, seed=1)["C"]
    s.close()
    # 9 statements in c1, 1 in c2: Dorn's four are 4 of 10 by statements
    assert (c.voices_by_country["Valdoria"].num, c.voices_by_country["Valdoria"].den) == (4, 10)
    # voices: c1 Dorn, Ashby, Critics, Lind, the authorities, the report (the statement with
    # no speaker is no one's voice); c2 Dorn again
    speakers = {k: (v.num, v.den) for k, v in c.speakers_by_country.items()}
    assert speakers == {"Marenne": (3, 7), "Valdoria": (2, 7), "(unknown)": (2, 7)}
    # official: Dorn twice, Ashby and the authorities (not the critics, the activist, or a
    # report no state owns)
    official = c.official_speakers_by_country
    assert {k: (v.num, v.den) for k, v in official.items()} == {
        "Marenne": (2, 4),
        "Valdoria": (2, 4),
    }
    # resamples of two articles: c1 twice 1/3, c2 twice 1/1, one of each 2/4
    v = official["Valdoria"]
    assert (v.value, v.lo, v.hi) == (0.5, pytest.approx(1 / 3), 1.0)


def test_unnamed_sources_stand_apart_and_country_fallback(store):
    """Articles no input names the outlet of are never pooled: each is a row of its own,
    under its file (or its URL's site), so no interval is computed across two of them."""
    add(
        store,
        "n2",
        None,
        [st("indirect", "the dam is a threat", "Teodor Ashby", "Marenne")],
        url="https://www.valley-news.example/story/1",
    )
    profiles = outlet_profiles(store, n_boot=50)
    n1, n2 = "unnamed source: n1.txt", "unnamed source: valley-news.example"
    assert list(profiles) == ["B", "A", n1, n2]
    n = profiles[n1]
    assert (n.label, n.unnamed, n.n_articles) == (n1, True, 1)
    assert {k: s.value for k, s in n.voices_by_affiliation.items()} == {"Marenne": 1.0}
    assert profiles[n2].n_articles == 1
    assert profiles[n2].voices_by_affiliation["Marenne"].lo is None  # one article: no interval
    assert not profiles["B"].unnamed
    assert list(outlet_profiles(store, outlets=[n2], n_boot=10)) == [n2]
    rows = {r["id"]: (r["outlet"], r["outlet_prov"]) for r in store.articles()}
    assert rows["n1"] == (n1, "unnamed:source")
    assert rows["n2"] == (n2, "unnamed:url")


def test_same_seed_same_intervals_and_outlet_selection_does_not_change_them(store):
    one = outlet_profiles(store, n_boot=300, seed=7)["B"].to_dict()
    again = outlet_profiles(store, outlets=["B"], n_boot=300, seed=7)["B"].to_dict()
    assert one == again


def test_unknown_outlet_is_a_usage_error(store):
    with pytest.raises(
        UsageError, match=r"unknown outlet\(s\): Z; the store has: A, B, unnamed source: n1.txt"
    ):
        outlet_profiles(store, outlets=["Z"])


def test_wire_copies_left_out_unless_counted(tmp_path):
    s = open_store(tmp_path / "w.db")
    add(
        s,
        "orig",
        "Northbridge Wire",
        [st("indirect", "x", "Teodor Ashby", "Marenne")],
        text=WIRE,
        agency="Northbridge",
        published="2026-03-13",
    )
    add(
        s,
        "copy",
        "Ledger",
        [st("indirect", "x", "Teodor Ashby", "Marenne")],
        text=WIRE.replace("again", "once more"),
        agency="Northbridge",
        published="2026-03-13",
    )
    add(s, "own", "Ledger", [st("indirect", "y", "Ilka Dorn", "Valdoria")], text=OTHER)
    ledger = outlet_profiles(s, n_boot=20)["Ledger"]
    assert ledger.articles == ["own"]
    assert {k: v.value for k, v in ledger.voices_by_affiliation.items()} == {"Valdoria": 1.0}
    counted = outlet_profiles(s, n_boot=20, count_wire_copies=True)["Ledger"]
    assert sorted(counted.articles) == ["copy", "own"]
    assert counted.voices_by_affiliation["Marenne"].value == 0.5
    s.close()


def test_affiliation_taken_from_the_same_speaker_elsewhere():
    sts = [
        {
            "speaker": "Wang Wenbin",
            "speaker_affiliation": "Chinese Foreign Ministry",
            "speaker_type": "person",
        },
        {
            "speaker": "Wang Wenbin",
            "speaker_affiliation": "Foreign Ministry",
            "speaker_type": "person",
        },
        {
            "speaker": "Antony Blinken",
            "speaker_affiliation": "United States",
            "speaker_type": "person",
        },
        {"speaker": "Antony Blinken", "speaker_affiliation": None, "speaker_type": "person"},
        {
            "speaker": "Zhao Lijian",
            "speaker_affiliation": "foreign ministry",
            "speaker_type": "person",
        },
        {"speaker": None, "speaker_affiliation": None, "speaker_type": None},
        {"speaker": "Karin Osei", "speaker_affiliation": None, "speaker_type": "person"},
    ]
    aff = Affiliations(sts, ["Valdoria"])
    assert [aff.of(s) for s in sts] == [
        "Chinese Foreign Ministry",
        "Chinese Foreign Ministry",
        "United States",
        "United States",
        "Foreign Ministry",  # one spelling per affiliation: the first seen
        "(no speaker)",
        "(unknown)",
    ]
    assert [aff.country_of_statement(s) for s in sts] == [
        "China",
        "China",
        "United States",
        "United States",
        "(unknown)",
        "(no speaker)",
        "(unknown)",
    ]
    assert aff.country_in("Valdorian Foreign Ministry") == "Valdoria"
    assert aff.country_in("US State Department") == "United States"
    # a state's own institutions, and the People's Republic's names for its bodies
    assert aff.country_in("State Dept") == aff.country_in("the Pentagon") == "United States"
    assert aff.country_in("the Kremlin") == "Russia"
    assert (
        aff.country_in(
            "Information Office of People's Government of Xinjiang Uygur Autonomous Region"
        )
        == "China"
    )
    assert aff.country_in("Tibetan government-in-exile") is None
    assert aff.country_in("Department of State Security of Valdoria") == "Valdoria"
    assert aff.country_in("those who told us") is None


# -- the real seeds -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_profiles(tmp_path_factory, seeds_store):
    db = copy_store(seeds_store[0], tmp_path_factory.mktemp("seeds") / "s.db")
    store = open_store(db, readonly=True)
    statements = list(store.statements())
    aff = Affiliations(statements, [])
    profiles = outlet_profiles(store, by="article", n_boot=200)
    store.close()
    by_prefix = {Path(k).name[:3]: p for k, p in profiles.items() if k}
    return by_prefix, statements, aff


def _breakers(statements, aff, prefix: str, want: str) -> list[tuple[str | None, str]]:
    """The voices the profile counts (statements not nested in another's) of another country."""
    mine = [s for s in statements if Path(s["source"]).name.startswith(prefix)]
    return sorted(
        {
            (s["speaker"], aff.of(s))
            for s in carried_voices(mine)
            if aff.country_of_statement(s) != want
        },
        key=str,
    )


@pytest.mark.parametrize("prefix", ["002", "003"])
def test_seeds_chinese_outlets_carry_only_chinese_official_voices(seed_profiles, prefix):
    profiles, statements, aff = seed_profiles
    assert profiles[prefix].n_statements > 0
    breakers = _breakers(statements, aff, prefix, "China")
    assert breakers == [], f"(speaker, affiliation) in {prefix} not resolved to China: {breakers}"
    by_country = profiles[prefix].voices_by_country
    assert set(by_country) == {"China"} and by_country["China"].value == 1.0
    assert set(profiles[prefix].official_speakers_by_country) == {"China"}


@pytest.mark.parametrize("prefix", ["000", "001"])
def test_seeds_000_001_carry_both_sides(seed_profiles, prefix):
    profiles, statements, aff = seed_profiles
    countries = {
        aff.country_of_statement(s) for s in statements if Path(s["source"]).name.startswith(prefix)
    }
    assert {"China", "United States"} <= countries
    by_country = profiles[prefix].voices_by_country
    assert by_country["China"].value > 0 and by_country["United States"].value > 0


def test_seeds_004_mostly_us_official_voices(seed_profiles):
    """Most of the officials 004 gives voice to are American: the State Department, Blinken,
    Rashad Hussain (joined to Blinken by "and"), CBP, "the U.S. and British governments",
    "two U.S. administrations", "the U.S. and several allies" against China, Zhao Lijian and
    Hua Chunying and the U.N.'s Bachelet. By statements US voices are the largest share, not
    a majority: Zhao Lijian alone has five."""
    profiles, statements, aff = seed_profiles
    official = profiles["004"].official_speakers_by_country
    assert official["United States"].value > 0.5
    assert official["United States"].num > 2 * official["China"].num
    by_statements = profiles["004"].voices_by_country
    assert max(by_statements, key=lambda k: by_statements[k].value) == "United States"
    assert "Rashad Hussain" in {
        s["speaker"]
        for s in statements
        if Path(s["source"]).name.startswith("004")
        and aff.country_of_statement(s) == "United States"
    }


def test_bootstrap_weights_are_multinomial_draws_of_the_articles():
    """`Resampler` draws each article's weights as it streams by; together they are a
    multinomial draw of n articles from n in every resample: n draws in all, each article
    drawn once on average, with the multinomial's variance (n - 1) / n, the same for the
    first article as for the last."""
    from claimgraph.analyze.bootstrap import Resampler

    n, n_boot = 40, 4000
    r = Resampler(n, n_boot, seed=7)
    w = np.stack([r.next() for _ in range(n)], axis=1)
    assert (w.sum(axis=1) == n).all() and (w >= 0).all() and (w == w.round()).all()
    assert abs(w.mean() - 1.0) < 1e-12
    var = w.var(axis=0)
    assert np.allclose(var.mean(), (n - 1) / n, atol=0.03)
    assert abs(var[:10].mean() - var[-10:].mean()) < 0.08
    with pytest.raises(IndexError):
        r.next()
    again = Resampler(n, n_boot, seed=7)
    assert (np.stack([again.next() for _ in range(n)], axis=1) == w).all()


def test_affiliation_from_own_title_and_from_the_full_name_a_surname_shortens():
    sts = [
        # the extractor kept the title but lost the affiliation
        {
            "speaker": "Elijan Anayat",
            "speaker_affiliation": None,
            "speaker_title": "spokesperson of Information Office of People's Government of Xinjiang",
            "speaker_type": "person",
        },
        {
            "speaker": "Ilka Dorn",
            "speaker_affiliation": "Valdorian Foreign Ministry",
            "speaker_type": "person",
        },
        # "said Dorn": the one full name in the corpus that ends with it
        {"speaker": "Dorn", "speaker_affiliation": None, "speaker_type": "person"},
        # two full names end with "Ashby": no guess
        {"speaker": "Teodor Ashby", "speaker_affiliation": "Marenne", "speaker_type": "person"},
        {
            "speaker": "Mara Ashby",
            "speaker_affiliation": "Korva Dam Authority",
            "speaker_type": "person",
        },
        {"speaker": "Ashby", "speaker_affiliation": None, "speaker_type": "person"},
        # a title that names no organisation
        {"speaker": "Jon Korva", "speaker_affiliation": None, "speaker_title": "spokesman"},
    ]
    aff = Affiliations(sts, ["Valdoria"])
    assert [aff.of(s) for s in sts] == [
        "Information Office of People's Government of Xinjiang",
        "Valdorian Foreign Ministry",
        "Valdorian Foreign Ministry",
        "Marenne",
        "Korva Dam Authority",
        "(unknown)",
        "(unknown)",
    ]


def test_bodies_of_many_states_are_international_not_unknown():
    sts = [
        {"speaker": "Michelle Bachelet", "speaker_affiliation": "U.N.", "speaker_type": "person"},
        {"speaker": "UN human rights panel", "speaker_affiliation": None,
         "speaker_type": "organisation"},
        {"speaker": "Linda Thomas-Greenfield", "speaker_affiliation": "US mission to the UN",
         "speaker_type": "person"},
        {"speaker": "European Commission", "speaker_affiliation": None,
         "speaker_type": "organisation"},
        {"speaker": "Ursula Hale", "speaker_affiliation": "World Health Organization",
         "speaker_type": "person"},
        # "who" and "un-" are words, not the WHO or the UN
        {"speaker": "the people who know", "speaker_affiliation": None, "speaker_type": "person"},
        {"speaker": "Jon Korva", "speaker_affiliation": "Unity Party", "speaker_type": "person"},
    ]  # fmt: skip
    aff = Affiliations(sts, [])
    assert [aff.country_of_statement(s) for s in sts] == [
        "(international body)",
        "(international body)",
        "United States",  # a state's mission to the U.N. speaks for the state
        "(international body)",
        "(international body)",
        "(unknown)",
        "(unknown)",
    ]


def test_statements_nested_in_another_are_the_outer_speakers_account():
    """'Wang said more than 60 countries had voiced support': the 60 countries' statement
    sits inside Wang's and is not a voice of its own."""

    rows = [
        {"id": "a:s0", "start_char": 0, "end_char": 100},
        {"id": "a:s1", "start_char": 20, "end_char": 60},  # inside s0
        {"id": "a:s2", "start_char": 100, "end_char": 150},  # touches s0, not inside
        {"id": "a:s3", "start_char": 100, "end_char": 150},  # same span as s2: both kept
    ]
    assert [r["id"] for r in outermost(rows)] == ["a:s0", "a:s2", "a:s3"]


def test_a_slim_statement_reads_like_its_row_without_the_text():
    from streamed_reference import SlimStatement

    row = {
        "id": "a:s0", "article_id": "a", "start_char": 0, "end_char": 30, "kind": "direct",
        "speaker": "Ilka Dorn", "speaker_type": "person", "speaker_role": "spokesperson",
        "speaker_title": None, "speaker_affiliation": "Valdorian Foreign Ministry",
        "cue": "said", "cue_class": "neutral", "cue_start": 33, "cue_end": 37, "source": "x.txt",
        "text": '"We will not accept this dam,"',
    }  # fmt: skip
    slim = SlimStatement(row)
    assert slim["speaker"] == "Ilka Dorn" and slim.get("cue_end") == 37
    assert slim["quoted_words"] == 6
    assert slim.get("text") is None and slim.get("source", "-") == "-"
    with pytest.raises(KeyError):
        slim["text"]
    kept = dict(slim)
    assert kept == {
        **{k: v for k, v in row.items() if k not in ("text", "source")},
        "quoted_words": 6,
    }


def test_a_negated_statement_is_no_voice_and_what_sits_inside_it_is_a_voice_of_its_own():
    text = "Her statement did not call out the raids which two ministers have said amount to abuse."
    call, said = text.index("call"), text.index("said")
    rows = [
        {"id": "a:s0", "start_char": text.index("the raids"), "end_char": len(text) - 1,
         "cue": "call", "cue_start": call, "speaker": "Her statement"},
        {"id": "a:s1", "start_char": text.index("amount"), "end_char": len(text) - 1,
         "cue": "said", "cue_start": said, "speaker": "two ministers"},
    ]  # fmt: skip
    assert [r["id"] for r in carried_voices(rows)] == ["a:s0"]  # without the text: nested
    assert [r["id"] for r in carried_voices(rows, text)] == ["a:s1"]
    # a cue that is not negated keeps its nested statement as its own account
    plain = text.replace("did not call", "called")
    rows[1]["cue_start"] = plain.index("said")
    rows[0]["cue_start"] = plain.index("called")
    rows[0]["start_char"], rows[1]["start_char"] = plain.index("the raids"), plain.index("amount")
    rows[0]["end_char"] = rows[1]["end_char"] = len(plain) - 1
    assert [r["id"] for r in carried_voices(rows, plain)] == ["a:s0"]


def test_a_bare_body_with_its_context_state_folds_into_the_full_name_of_that_state():
    sts = [
        {"speaker": "Wang Wenbin", "speaker_affiliation": "Chinese Foreign Ministry"},
        {"speaker": "Wang Wenbin", "speaker_affiliation": "Foreign Ministry (China)"},
        # another state in the parentheses is another body: kept apart
        {"speaker": "Wang Wenbin", "speaker_affiliation": "Foreign Ministry (Russia)"},
    ]
    aff = Affiliations(sts, [])
    assert [aff.of(s) for s in sts] == [
        "Chinese Foreign Ministry",
        "Chinese Foreign Ministry",
        "Foreign Ministry (Russia)",
    ]
    assert [aff.country_of_statement(s) for s in sts] == ["China", "China", "Russia"]
    # another speaker of that body: the corpus's full name for it; a one-word body is too
    # vague to fold ("ministry": which one?)
    other = {"speaker": "Zhao Lijian", "speaker_affiliation": "foreign ministry (China)"}
    vague = {"speaker": "Hua Chunying", "speaker_affiliation": "ministry (China)"}
    aff = Affiliations([*sts, other, vague], [])
    assert (aff.of(other), aff.of(vague)) == ("Chinese Foreign Ministry", "ministry (China)")


def test_another_ministry_spokesperson_is_of_the_one_ministry_of_that_state_in_the_article():
    full = {
        "article_id": "x",
        "speaker": "Wang Wenbin",
        "speaker_affiliation": "Chinese Foreign Ministry",
    }
    zhao = {
        "article_id": "a",
        "speaker": "Zhao Lijian",
        "speaker_affiliation": "foreign ministry (China)",
    }
    # "Another ministry spokesperson, Hua Chunying": the article's one Chinese ministry
    hua = {"article_id": "a", "speaker": "Hua Chunying", "speaker_affiliation": "ministry (China)"}
    # an article with two Chinese ministries: which one is not said, so it stays as written
    two = [
        {
            "article_id": "b",
            "speaker": "Lin Qiao",
            "speaker_affiliation": "foreign ministry (China)",
        },
        {
            "article_id": "b",
            "speaker": "Gao Feng",
            "speaker_affiliation": "Chinese Commerce Ministry",
        },
        {"article_id": "b", "speaker": "Mao Ning", "speaker_affiliation": "ministry (China)"},
    ]
    # a ministry of another state in the article is not it
    other = [
        {
            "article_id": "c",
            "speaker": "Ilka Dorn",
            "speaker_affiliation": "Valdorian Foreign Ministry",
        },
        {"article_id": "c", "speaker": "Mao Ning", "speaker_affiliation": "ministry (China)"},
    ]
    aff = Affiliations([full, zhao, hua, *two, *other], ["Valdoria"])
    assert aff.of(hua) == "Chinese Foreign Ministry"
    assert aff.country_of_statement(hua) == "China"
    assert aff.of(two[2]) == "ministry (China)"
    assert aff.of(other[1]) == "ministry (China)"


def test_an_affiliation_keeps_the_dot_of_its_initials():
    sts = [
        {"speaker": "Michelle Bachelet", "speaker_affiliation": "U.N."},
        {"speaker": "Ilka Dorn", "speaker_affiliation": "the Valdorian Foreign Ministry."},
    ]
    aff = Affiliations(sts, [])
    assert [aff.of(s) for s in sts] == ["U.N.", "Valdorian Foreign Ministry"]


def test_a_body_speaking_under_its_bare_name_is_the_one_its_article_names_in_full():
    sts = [
        {"article_id": "a", "speaker": "Foreign ministry", "speaker_type": "organisation"},
        {
            "article_id": "a",
            "speaker": "Lin Qiao",
            "speaker_affiliation": "Chinese Foreign Ministry",
        },
        # another article names no foreign ministry: the bare name stays unresolved
        {"article_id": "b", "speaker": "Foreign ministry", "speaker_type": "organisation"},
    ]
    aff = Affiliations(sts, [])
    assert [aff.of(s) for s in sts] == [
        "Chinese Foreign Ministry",
        "Chinese Foreign Ministry",
        "(unknown)",
    ]
    assert aff.country_of_statement(sts[0]) == "China"


def test_a_question_put_by_unnamed_journalists_is_no_voice():
    rows = [
        {"id": "a:s0", "start_char": 0, "end_char": 40, "speaker": "Wang Wenbin", "cue": "said"},
        {"id": "a:s1", "start_char": 60, "end_char": 90, "speaker": None, "cue": "asked"},
        # a question a named speaker asks is his voice; an unattributed claim is counted too
        {"id": "a:s2", "start_char": 100, "end_char": 130, "speaker": "Pompeo", "cue": "asked"},
        {"id": "a:s3", "start_char": 140, "end_char": 170, "speaker": None, "cue": "reported"},
    ]
    assert [r["id"] for r in carried_voices(rows)] == ["a:s0", "a:s2", "a:s3"]


def test_an_organisation_speaking_for_itself_is_its_own_affiliation():
    sts = [
        {"speaker": "Lin Qiao", "speaker_affiliation": "US State Department"},
        # under a shorter name elsewhere: the corpus's one fuller name of that body
        {"speaker": "State Department", "speaker_type": "organisation"},
        {"speaker": "UN human rights panel", "speaker_type": "organisation"},
        # a country is still its own country; a bare body stays unresolved here
        {"speaker": "Valdoria", "speaker_type": "country"},
        {"speaker": "Foreign ministry", "speaker_type": "organisation"},
    ]
    aff = Affiliations(sts, [])
    assert [aff.of(s) for s in sts] == [
        "US State Department",
        "US State Department",
        "UN human rights panel",
        "Valdoria",
        "(unknown)",
    ]
    assert [aff.country_of_statement(s) for s in sts[:3]] == [
        "United States",
        "United States",
        "(international body)",
    ]


def test_cues_in_a_statement_are_the_speakers_not_the_outlets(tmp_path):
    """An outlet's framing rate counts its own narration only; the cues inside the statements
    it carries are counted apart, by the speaker's affiliation (ANI's scare quotes are all
    inside Wang's quote: "'abuse', 'atrocity' or 'genocide'")."""
    s = open_store(tmp_path / "v.db")
    add(
        s,
        "a1",
        "A",
        [
            st("direct", "“The 'genocide' lie is a smear.”", "Ilka Dorn", "Valdoria"),
            st("direct", "“They are resettlement camps.”", "Teodor Ashby", "Marenne"),
        ],
        n_words=500,
        cues=[
            Cue("scare_quote", 6, 15, "'genocide'", statement_index=0),
            Cue("loaded_label", 27, 32, "smear", statement_index=0),
            Cue("intensifier", 40, 45, "truly", statement_index=1),
            Cue("so_called", 80, 90, "so-called", statement_index=None),
        ],
    )
    p = outlet_profiles(s, n_boot=50)["A"]
    s.close()
    assert {k: v.num for k, v in p.cues_per_1k_words.items()} == {"so_called": 1.0}
    assert p.cues_per_1k_words["so_called"].value == pytest.approx(2.0)
    assert {k: v.num for k, v in p.speaker_cues_per_1k_words.items()} == {
        "scare_quote": 1.0,
        "loaded_label": 1.0,
        "intensifier": 1.0,
    }
    carried = p.speaker_cues_by_affiliation
    assert {k: v.num for k, v in carried.items()} == {"Valdoria": 2.0, "Marenne": 1.0}
    assert carried["Valdoria"].value == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("prefix", "cue_type", "whose"),
    [
        ("000", "scare_quote", "Chinese Foreign Ministry"),
        ("002", "intensifier", "Publicity Department of the Xinjiang Regional Committee"),
    ],
    ids=["ani-scare-quotes-in-wangs-quote", "tianshannet-intensifiers-in-xus-quotes"],
)
def test_seeds_speakers_framing_is_not_the_outlets(seed_profiles, prefix, cue_type, whose):
    profiles, _, _ = seed_profiles
    p = profiles[prefix]
    assert cue_type not in p.cues_per_1k_words
    assert p.speaker_cues_per_1k_words[cue_type].num >= 3
    top = max(p.speaker_cues_by_affiliation.items(), key=lambda kv: kv[1].num)[0]
    assert top.startswith(whose)
