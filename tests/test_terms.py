"""Contested terms: lexicon matching, voice, rival labels discovered in the text, and the
lexicon loader. Each case is a pattern seen in news copy on Xinjiang."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.errors import UsageError
from claimgraph.extract.records import Statement
from claimgraph.extract.terms import extract_terms, fold, load_lexicon, parse_lexicon


def _stmt(text: str, snippet: str, kind: str = "indirect", speaker: str = "X") -> Statement:
    start = text.index(snippet)
    return Statement(kind, start, start + len(snippet), snippet, speaker=speaker)


def _uses(nlp, text, **kw):
    return [(u.group, u.term, u.variant, u.voice) for u in extract_terms(nlp(text), **kw)]


# ------------------------------------------------------------------------------ variants
@pytest.mark.parametrize(
    ("text", "variant", "group", "term"),
    [
        (
            "Survivors of re-education camps spoke.",
            "re-education camps",
            "xinjiang_facilities",
            "internment camps",
        ),
        (
            "Survivors of reeducation camps spoke.",
            "reeducation camps",
            "xinjiang_facilities",
            "internment camps",
        ),
        (
            "Survivors of re education camps spoke.",
            "re education camps",
            "xinjiang_facilities",
            "internment camps",
        ),
        (
            "He was held in an internment camp.",
            "internment camp",
            "xinjiang_facilities",
            "internment camps",
        ),
        (
            "They left the vocational training centres.",
            "vocational training centres",
            "xinjiang_facilities",
            "vocational education and training centers",
        ),
        (
            "The Vocational Education and Training Center closed.",
            "Vocational Education and Training Center",
            "xinjiang_facilities",
            "vocational education and training centers",
        ),
        ("Brands deny using forced labour.", "forced labour", "forced_labor", "forced labor"),
        ("Up to a million Uighurs were held.", "Uighurs", "uyghurs", "Uyghurs"),
        ("An Uygur teacher was detained.", "Uygur", "uyghurs", "Uyghurs"),
        (
            "The crime against humanity went unpunished.",
            "crime against humanity",
            "xinjiang_policy",
            "crimes against humanity",
        ),
        (
            "Beijing calls it counterterrorism.",
            "counterterrorism",
            "xinjiang_policy",
            "counter-terrorism",
        ),
        (
            "Beijing cites its counter-terrorism measures.",
            "counter-terrorism measures",
            "xinjiang_policy",
            "counter-terrorism",
        ),
    ],
    ids=[
        "hyphenated-re-education",
        "solid-reeducation",
        "spaced-re-education",
        "singular-camp",
        "british-centres",
        "title-case-official-name",
        "british-labour",
        "uighur-spelling",
        "uygur-spelling-xinhua",
        "singular-crime-against-humanity",
        "solid-counterterrorism",
        "hyphen-and-plural-measures",
    ],
)
def test_variants_fold_to_canonical_term(nlp, text, variant, group, term):
    uses = extract_terms(nlp(text))
    assert [(u.variant, u.group, u.term) for u in uses] == [(variant, group, term)]


@pytest.mark.parametrize(
    "text",
    [
        "A senior official of northwest China's Xinjiang Uygur Autonomous Region spoke.",
        "The Uyghur Forced Labor Prevention Act takes effect in June.",
        "The International Labor Organization met in Geneva.",
        "Officials inspected the training camp for athletes.",
    ],
    ids=["region-name-xinhua", "act-name-cnsnews", "ilo-name", "unrelated-camp"],
)
def test_proper_names_and_unrelated_words_are_no_uses(nlp, text):
    assert extract_terms(nlp(text)) == []


# ------------------------------------------------------------------------------ voice
def test_narrated_vs_quoted_by_statement(nlp):
    text = (
        "Blinken met Uyghur internment camp survivors on Tuesday. "
        "The report said China detained Muslims in state-run internment camps."
    )
    stmt = _stmt(text, "China detained Muslims in state-run internment camps", speaker="report")
    uses = extract_terms(nlp(text), statements=[stmt])
    camps = [
        (u.variant, u.voice, u.statement_index) for u in uses if u.group == "xinjiang_facilities"
    ]
    assert camps == [("internment camp", "narrated", None), ("internment camps", "quoted", 0)]


def test_inside_quotation_marks_is_quoted_without_statements(nlp):
    text = 'China denies running "re-education camps" in Xinjiang.'
    (use,) = extract_terms(nlp(text))
    assert (use.variant, use.voice, use.statement_index) == ("re-education camps", "quoted", None)


def test_statement_index_is_innermost(nlp):
    text = "Wang said Anayat told him there are no vocational training centers left."
    outer = _stmt(
        text, "Anayat told him there are no vocational training centers left", speaker="Wang"
    )
    inner = _stmt(text, "there are no vocational training centers left", speaker="Anayat")
    (use,) = extract_terms(nlp(text), statements=[outer, inner])
    assert (use.voice, use.statement_index) == ("quoted", 1)


# ------------------------------------------------------------------------------ discovery
def test_describes_x_as_quoted_y_pairs_outlet_word_with_beijings(nlp):
    text = (
        "Beijing describes the camps in Xinjiang as “vocational education and employment "
        "training centers,” which are part of its efforts to tackle underdevelopment."
    )
    uses = [(u.group, u.term, u.voice) for u in extract_terms(nlp(text))]
    assert ("discovered:camp", "camps", "narrated") in uses
    assert (
        "discovered:camp",
        "vocational education and employment training centers",
        "quoted",
    ) in uses
    assert (
        "xinjiang_facilities",
        "vocational education and training centers",
        "quoted",
    ) in uses


def test_what_it_terms_or_what_x_called_known_pair_is_not_repeated(nlp):
    text = (
        "She relayed China's claim to have shut down what it terms “vocational and education "
        "training centers” – or what Blinken on Thursday called “internment camps” where more "
        "than a million people have been incarcerated."
    )
    uses = _uses(nlp, text)
    assert [u[:2] for u in uses] == [
        ("xinjiang_facilities", "vocational education and training centers"),
        ("xinjiang_facilities", "internment camps"),
    ]
    assert {u[3] for u in uses} == {"quoted"}


def test_what_it_terms_or_what_x_called_unknown_pair_is_discovered(nlp):
    text = (
        "Officials praised what Beijing terms “poverty relief projects” – or what critics "
        "called “forced assimilation drives” in the region."
    )
    uses = [(u.group, u.term) for u in extract_terms(nlp(text))]
    assert uses == [
        ("discovered:project", "poverty relief projects"),
        ("discovered:project", "forced assimilation drives"),
    ]


def test_relative_which_describes_as(nlp):
    text = (
        "The facilities, which Beijing describes as “boarding schools”, hold thousands of children."
    )
    uses = [(u.group, u.term, u.voice) for u in extract_terms(nlp(text))]
    assert uses == [
        ("discovered:facility", "facilities", "narrated"),
        ("discovered:facility", "boarding schools", "quoted"),
    ]


def test_discovered_labels_are_counted_again_elsewhere(nlp):
    text = (
        "Beijing describes the facilities as “boarding schools”. Parents say the facilities "
        "keep children away."
    )
    terms = Counter(u.term for u in extract_terms(nlp(text)))
    assert terms == {"facilities": 2, "boarding schools": 1}


@pytest.mark.parametrize(
    "text",
    [
        "Officials described the talks as “productive” and the mood as calm.",
        "Blinken called on China last week to end the abuses.",
        "He called the ministry to complain.",
    ],
    ids=["adjective-is-no-label", "called-on-is-no-naming", "called-without-quote"],
)
def test_no_discovery_without_a_naming_pattern(nlp, text):
    assert [
        u for u in extract_terms(nlp(text)) if u.group and u.group.startswith("discovered")
    ] == []


# ------------------------------------------------------------------------------ seeds
# (article, group) -> expected (term, voice) counts, as a careful reader counts them.
SEED_STATEMENTS = {
    "000": [
        ('"US lies and rumors', "direct", "Wang Wenbin", '"US lies', 'never succeed,"'),
        ("The report accused", "indirect", "report", "China of using", "internment camps"),
    ],
    "001": [
        (
            "a UN human rights panel alleged",
            "mixed",
            "UN human rights panel",
            "up to two",
            "region",
        ),
        ("Beijing describes", "mixed", "China", "“vocational", "in the area"),
    ],
    "002": [("At present", "direct", "Elijan Anayat", '"With the help', 'training center,"')],
    "003": [("“In Xinjiang, people", "direct", "Wang Wenbin", "“In Xinjiang", "real Xinjiang,”")],
    "004": [
        ("“Since April 2017", "direct", "Antony Blinken", "“China continues", "Xinjiang.”"),
        ("what it terms", "partial", "China", "“vocational and", "centers”"),
        ("what Blinken on Thursday", "partial", "Antony Blinken", "“internment", "camps”"),
    ],
}


def _seed(seeds_dir: Path, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _seed_statements(text: str, prefix: str) -> list[Statement]:
    out = []
    for anchor, kind, speaker, first, last in SEED_STATEMENTS[prefix]:
        at = text.index(anchor)
        start = text.index(first, max(0, at - 400))
        end = text.index(last, start) + len(last)
        out.append(Statement(kind, start, end, text[start:end], speaker=speaker))
    return out


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("000", {("internment camps", "narrated"): 1, ("internment camps", "quoted"): 1}),
        (
            "001",
            {
                ("internment camps", "quoted"): 1,  # “political camps for indoctrination”
                ("vocational education and training centers", "quoted"): 1,
            },
        ),
        ("002", {("vocational education and training centers", "quoted"): 1}),
        ("003", {("vocational education and training centers", "quoted"): 1}),
        (
            "004",
            {
                ("internment camps", "quoted"): 2,
                ("vocational education and training centers", "quoted"): 1,
            },
        ),
    ],
    ids=[
        "000-ani-narrates-internment-camp-survivors",
        "001-presstv-quotes-both-names",
        "002-xinhua-centers-only-in-anayat-quote",
        "003-centers-only-in-wang-quote",
        "004-cnsnews-both-names-attributed",
    ],
)
def test_seed_camps_vs_centers(nlp, seeds_dir, prefix, expected):
    text = _seed(seeds_dir, prefix)
    uses = extract_terms(nlp(text), statements=_seed_statements(text, prefix))
    got = Counter((u.term, u.voice) for u in uses if u.group == "xinjiang_facilities")
    assert dict(got) == expected


@pytest.mark.seeds
def test_seed_001_discovers_camps_as_beijings_rival(nlp, seeds_dir):
    text = _seed(seeds_dir, "001")
    uses = extract_terms(nlp(text), statements=_seed_statements(text, "001"))
    found = [(u.term, u.voice) for u in uses if u.group == "discovered:camp"]
    assert found == [
        ("camps", "narrated"),
        ("vocational education and employment training centers", "quoted"),
    ]


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("prefix", "spellings"),
    [
        ("000", {"Uyghur": 2, "Uyghurs": 3}),
        ("001", {"Uighurs": 3}),
        ("002", {}),  # "Xinjiang Uygur Autonomous Region" is a name
        ("004", {"Uyghurs": 2, "Uyghur": 3}),  # not in "Uyghur Forced Labor Prevention Act"
    ],
    ids=["000-ani-uyghur", "001-presstv-uighur", "002-xinhua-region-name", "004-cnsnews"],
)
def test_seed_uyghur_spellings(nlp, seeds_dir, prefix, spellings):
    uses = extract_terms(nlp(_seed(seeds_dir, prefix)))
    assert dict(Counter(u.variant for u in uses if u.group == "uyghurs")) == spellings


# ------------------------------------------------------------------------------ lexicon
def test_shipped_lexicon_has_the_starter_groups():
    lex = load_lexicon()
    assert {"xinjiang_facilities", "uyghurs", "xinjiang_policy", "forced_labor"} <= {
        g.id for g in lex.groups
    }
    assert lex.group("xinjiang_facilities").labels() == [
        "internment camps",
        "vocational education and training centers",
    ]
    assert "anti-China forces" in lex.cue_phrases("loaded_label")


def test_user_lexicon_replaces_or_extends(tmp_path, nlp):
    path = tmp_path / "lex.toml"
    path.write_text(
        '[groups.hk]\nreferent = "2019 protests"\n'
        '[groups.hk.terms]\n"riots" = ["riot"]\n"protests" = ["protest", "demonstrations"]\n',
        encoding="utf-8",
    )
    lex = load_lexicon(path)
    assert [g.id for g in lex.groups] == ["hk"]
    uses = extract_terms(
        nlp("Police broke up the riots, which organisers call protests."), lexicon=lex
    )
    assert [(u.group, u.term) for u in uses] == [("hk", "riots"), ("hk", "protests")]
    path.write_text("include_builtin = true\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    merged = load_lexicon(path)
    assert {"hk", "xinjiang_facilities"} <= {g.id for g in merged.groups}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[groups.x\n", "is not valid TOML"),
        ("colour = 1\n", "unknown top-level key(s) ['colour']"),
        ("[cues]\nslurs = ['x']\n", "unknown cue list(s) ['slurs']"),
        ("[cues]\nhedge = 'reportedly'\n", "cues.hedge must be a list of non-empty strings"),
        (
            "[groups.camps]\nreferent = 'x'\n",
            "group 'camps' needs a non-empty [groups.camps.terms]",
        ),
        ("include_builtin = 'yes'\n", "include_builtin must be true or false"),
    ],
    ids=[
        "bad-toml",
        "unknown-key",
        "unknown-cue-list",
        "string-not-list",
        "group-no-terms",
        "bad-bool",
    ],
)
def test_malformed_lexicon_is_a_usage_error(tmp_path, content, message):
    path = tmp_path / "lex.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_lexicon(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_missing_lexicon_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="cannot read lexicon .*check the path"):
        load_lexicon(tmp_path / "nope.toml")


def test_parse_lexicon_folds_canonical_into_variants():
    lex = parse_lexicon({"groups": {"g": {"terms": {"a b": ["c"]}}}})
    assert lex.groups[0].terms == (("a b", ("a b", "c")),)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="abcehilorsuxyz'", min_size=1, max_size=12))
def test_fold_is_idempotent(word):
    assert fold(fold(word)) == fold(word)


def test_cli_lexicon_option_counts_the_users_terms(tmp_path):
    """`analyze --lexicon FILE` uses the user's rival labels; a broken lexicon is a clear error
    before anything is stored."""
    import json

    from conftest import invoke_cli

    lex = tmp_path / "dam.toml"
    lex.write_text(
        'version = 1\n[groups.dam]\nreferent = "the Ostra dam"\n'
        '[groups.dam.terms]\n"Ostra dam" = []\n"Ostra barrage" = ["Ostra weir"]\n',
        encoding="utf-8",
    )
    art = tmp_path / "a.txt"
    art.write_text(
        "Engineers inspected the Ostra dam on Monday. Boats moored below the Ostra weir.\n"
        '"The Ostra barrage is a disaster," a farmer said.\n',
        encoding="utf-8",
    )
    db = tmp_path / "x.db"
    r = invoke_cli("analyze", str(art), "--db", str(db), "-q", "--lexicon", str(lex))
    assert r.returncode == 0, r.stderr
    out = invoke_cli("export", "terms", "--db", str(db), "--format", "jsonl")
    uses = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    got = sorted((u["term"], u["variant"], u["voice"]) for u in uses)
    assert got == [
        ("Ostra barrage", "Ostra barrage", "quoted"),
        ("Ostra barrage", "Ostra weir", "narrated"),
        ("Ostra dam", "Ostra dam", "narrated"),
    ]

    bad = tmp_path / "bad.toml"
    bad.write_text("[groups.dam\n", encoding="utf-8")
    db2 = tmp_path / "y.db"
    r = invoke_cli("analyze", str(art), "--db", str(db2), "-q", "--lexicon", str(bad))
    assert r.returncode == 2
    assert "bad.toml" in r.stderr.decode() and "TOML" in r.stderr.decode()
    assert not db2.exists()


def test_a_phrase_of_many_gaps_is_matched_in_linear_time(monkeypatch):
    """Found by fuzzing: a label of the article's own "… … …" made the matcher try every way
    through its gaps ((gap + 1) to the power of the gaps). Each unit and key is tried once."""
    from claimgraph.extract import terms

    gaps = " ".join(["…"] * 12)
    index = terms.PhraseIndex([(f"camps {gaps} camps {gaps} zzz", ("g", "t"))])
    us = [terms.Unit("camp", 6 * i, 6 * i + 5, i, i + 1, 0) for i in range(60)]  # folded
    calls = Counter()
    key_ok = terms.PhraseIndex._key_ok
    monkeypatch.setattr(
        terms.PhraseIndex,
        "_key_ok",
        staticmethod(lambda doc, unit, key: calls.update([1]) or key_ok(doc, unit, key)),
    )
    assert index.find(None, us) == []  # no "zzz": every way fails
    # one try per (start, unit, key) at most: 60 starts x 60 units x 3 keys
    assert calls[1] <= 60 * 60 * 3
    us.append(terms.Unit("zzz", 360, 363, 60, 61, 0))
    (m,) = index.find(None, us)
    assert (m.end, m.payload) == (61, ("g", "t"))


def test_units_are_made_again_for_a_retokenized_doc(nlp):
    """`units` keeps its result on the doc; a doc merged in place afterwards (a user's own
    pipeline may retokenize) gets units of its new tokens, not the kept ones."""
    from claimgraph.extract.terms import units

    doc = nlp("The internment camps in Xinjiang were closed.")
    before = units(doc)
    assert [u.key for u in before][:3] == ["the", "internment", "camp"]
    with doc.retokenize() as r:
        r.merge(doc[1:3])
    after = units(doc)
    assert [(u.tok_start, u.tok_end) for u in after][:3] == [(0, 1), (1, 2), (2, 3)]
    assert after[1].key == "internment camp"
