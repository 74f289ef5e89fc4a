"""Rule-based framing cues on short sentences modelled on news copy, and on the seeds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimgraph.extract.cues import CUE_TYPES, extract_cues
from claimgraph.extract.records import Statement


def _stmt(text: str, snippet: str, kind: str = "indirect", speaker: str = "X") -> Statement:
    start = text.index(snippet)
    return Statement(kind, start, start + len(snippet), snippet, speaker=speaker)


def _of(cues, kind):
    return [c for c in cues if c.type == kind]


# ------------------------------------------------------------------------------ scare quotes
@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        (
            "Early this year, the US became the first country to declare the Chinese actions "
            'in Xinjiang as "genocide."',
            ["genocide"],
        ),
        (
            'The US became the first country to declare the actions as "genocide.\n\n'
            "Recently, the report was released.",
            ["genocide"],
        ),
        ('It has used so-called "forced labor" in Xinjiang as an excuse.', ["forced labor"]),
        (
            "Officials said his 'determination' is nothing more than wasted paper.",
            ["determination"],
        ),
        (
            'He denounced the allegations of "genocide" and a "crime against humanity" as a setup.',
            ["genocide", "crime against humanity"],
        ),
        (
            "It did not play up false allegations such as “genocide”, “forced labor”, "
            "“religious oppression” and “forced sterilization”.",
            ["genocide", "forced labor", "religious oppression", "forced sterilization"],
        ),
        ('There is no "human rights violation" problem in Xinjiang.', ["human rights violation"]),
        ("After Visit, State Dept. Again Accuses China of ‘Genocide’", ["Genocide"]),
        ("The ministry rejected the «genocide» label.", ["genocide"]),
        (
            "\"The crimes of 'abuse', 'atrocity' or 'genocide' can never be attributed to "
            'China," the Chinese spokesman said.',
            ["abuse", "atrocity", "genocide"],
        ),
    ],
    ids=[
        "declare-as-genocide-ani",
        "unclosed-quote-at-paragraph-end-ani",
        "so-called-quoted-xinhua",
        "possessive-single-quotes-xinhua",
        "allegations-of-and-a-list",
        "such-as-list-of-four",
        "no-x-problem",
        "headline-curly-single-of",
        "guillemets-after-determiner",
        "single-quotes-nested-in-speakers-quote",
    ],
)
def test_scare_quotes(nlp, text, quoted):
    cues = _of(extract_cues(nlp(text)), "scare_quote")
    assert [c.detail["quoted"] for c in cues] == quoted
    for c in cues:
        assert c.text == text[c.start : c.end]
        assert c.detail["quoted"] in c.text


@pytest.mark.parametrize(
    "text",
    [
        "China's envoy said the country's policies don't target the Uyghurs' culture.",
        "Blinken called on China last week to end what he claimed to be the “ongoing genocide "
        'and crimes against humanity" in Xinjiang.',
        'China sanctioned American officials who "concocted lies" about human rights.',
        "China said a visit by the U.N. human rights chief had put to rest “lies and rumors” "
        "about the situation.",
        "She relayed what Blinken on Thursday called “internment camps” in Xinjiang.",
        'He watched "Hidden Figures" on Sunday.',
        '"We welcome foreigners," he said.',
        'so as to "contain China with Xinjiang" and "contain China with terrorism."',
        "The State Department restated the U.S. assessment that Beijing is committing "
        "“genocide” against minorities.",
    ],
    ids=[
        "apostrophes-possessives-contractions",
        "long-partial-quote-is-a-statement",
        "partial-quote-verb-phrase",
        "partial-quote-under-said",
        "naming-quote-of-a-named-speaker",
        "title-of-a-work",
        "short-direct-quote",
        "partial-quote-clauses-xinhua",
        "assessment-that-partial-quote",
    ],
)
def test_not_scare_quotes(nlp, text):
    assert _of(extract_cues(nlp(text)), "scare_quote") == []


def test_statement_content_is_speech_not_scare_quote(nlp):
    text = "Beijing describes the unrest as “terrorism” in its white paper."
    doc = nlp(text)
    assert [c.text for c in _of(extract_cues(doc), "scare_quote")] == ["“terrorism”"]
    stmt = _stmt(text, "“terrorism”", kind="partial", speaker="China")
    assert _of(extract_cues(doc, statements=[stmt]), "scare_quote") == []


def test_nested_scare_quote_carries_statement_index(nlp):
    text = "\"The crimes of 'abuse' can never be attributed to China,\" the spokesman said."
    stmt = _stmt(text, text[: text.index(",") + 2], kind="direct", speaker="Wang Wenbin")
    (cue,) = _of(extract_cues(nlp(text), statements=[stmt]), "scare_quote")
    assert (cue.text, cue.statement_index, cue.detail["context"]) == ("'abuse'", 0, "nested")
    assert cue.voice == "speaker" and cue.to_dict()["voice"] == "speaker"


def test_a_cue_outside_every_statement_is_in_the_outlets_voice(nlp):
    text = "After the so-called inquiry, \"the crimes of 'abuse' are lies,\" the spokesman said."
    stmt = _stmt(text, text[text.index('"') : text.index(",", text.index('"')) + 2], "direct")
    cues = extract_cues(nlp(text), statements=[stmt])
    got = [(c.type, c.text, c.voice) for c in cues if c.type in ("so_called", "scare_quote")]
    assert got == [
        ("so_called", "so-called inquiry", "outlet"),
        ("scare_quote", "'abuse'", "speaker"),
    ]


_STATE = "Valdoria rejects the report, saying it fights the so-called activists abroad."


@pytest.mark.parametrize(
    ("text", "speaker_type", "medium", "outer", "whose"),
    [
        (_STATE, "country", None, False, "outlet"),
        (_STATE.replace("Valdoria", "Dorn"), "person", None, False, "speaker"),
        (_STATE, "country", "statement", False, "speaker"),
        (
            _STATE.replace("so-called activists", 'so-called "activists"'),
            "country",
            None,
            False,
            "speaker",
        ),
        ("Dorn said " + _STATE, "country", None, True, "speaker"),
    ],
    ids=[
        "a-states-position-unquoted-is-the-outlets-wording",
        "a-persons-paraphrase-is-the-speakers",
        "a-states-statement-is-an-utterance",
        "quotation-marks-are-the-speakers-words",
        "inside-a-persons-statement",
    ],
)
def test_in_whose_words(nlp, text, speaker_type, medium, outer, whose):
    part = text[text.index("it fights") : text.rindex(" abroad")]
    inner = Statement(
        "indirect",
        text.index(part),
        text.index(part) + len(part),
        part,
        "V",
        speaker_type=speaker_type,
        medium=medium,
    )
    statements = [inner]
    if outer:
        said = text[text.index("Valdoria") : -1]
        statements.insert(
            0, Statement("indirect", 10, 10 + len(said), said, "Dorn", speaker_type="person")
        )
    (cue,) = _of(extract_cues(nlp(text), statements=statements), "so_called")
    assert cue.voice == whose


def test_a_states_number_stays_its_claim(nlp):
    text = "Valdoria rejects the report, saying it has trained 3,000 police officers."
    part = text[text.index("it has") : -1]
    st = Statement("indirect", text.index(part), len(text) - 1, part, "V", speaker_type="country")
    (cue,) = _of(extract_cues(nlp(text), statements=[st]), "numeric_claim")
    assert cue.voice == "speaker"


# ------------------------------------------------------------------------------ so-called
@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "The US uses the pretext of so-called human rights issues to concoct lies.",
            "so-called human rights issues",
        ),
        (
            "We will not accept the so-called investigation with a presumption of guilt.",
            "so-called investigation",
        ),
        (
            'It has used so-called "forced labor" in Xinjiang as an excuse.',
            'so-called "forced labor"',
        ),
        (
            "He was asked about OHCHR’s so-called human rights assessment of Xinjiang.",
            "so-called human rights assessment",
        ),
        (
            "They oppose interference in the name of so-called Xinjiang-related issues.",
            "so-called Xinjiang-related issues",
        ),
        ("The so called experts disagreed.", "so called experts"),
    ],
    ids=[
        "so-called-np-presstv",
        "so-called-stops-before-pp-xinhua",
        "so-called-scare-quoted-xinhua",
        "so-called-after-possessive",
        "so-called-hyphenated-modifier",
        "so-called-unhyphenated",
    ],
)
def test_so_called(nlp, text, span):
    assert [c.text for c in _of(extract_cues(nlp(text)), "so_called")] == [span]


def test_so_alone_is_not_so_called(nlp):
    assert _of(extract_cues(nlp("It is so calm here that nobody called.")), "so_called") == []


# ------------------------------------------------------------------------------ distancing
@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "Blinken urged China to end what he claimed to be the ongoing genocide.",
            "what he claimed to be",
        ),
        ("China shut down what it terms vocational centers.", "what it terms"),
        (
            "She echoed what Blinken on Thursday called internment camps.",
            "what Blinken on Thursday called",
        ),
        ("Sanctions targeted officials over their alleged complicity.", "alleged"),
        ("The camps allegedly hold a million people.", "allegedly"),
        ("China rejects claims of mistreating the Uighurs.", "claims of"),
        ("The purported confession was broadcast on TV.", "purported"),
    ],
    ids=[
        "what-he-claimed-to-be-presstv",
        "what-it-terms-cnsnews",
        "what-x-called-cnsnews",
        "alleged-adjective",
        "allegedly-adverb",
        "claims-of-presstv",
        "purported-adjective",
    ],
)
def test_distancing(nlp, text, span):
    assert [c.text for c in _of(extract_cues(nlp(text)), "distancing")] == [span]


@pytest.mark.parametrize(
    "text",
    [
        "In 2020, a UN human rights panel alleged that up to two million Uighurs were held.",
        "He was supposed to arrive on Monday.",
        "Blinken called on China last week to end the abuses.",
    ],
    ids=["alleged-as-reporting-verb", "supposed-to-obligation", "called-on-is-not-naming"],
)
def test_not_distancing(nlp, text):
    assert _of(extract_cues(nlp(text)), "distancing") == []


# ------------------------------------------------------------------------------ lexicon cues
@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Politicians and anti-China forces turn a deaf ear.", "loaded_label", "anti-China forces"),
        (
            "It maintains control of its open-air prison in Xinjiang.",
            "loaded_label",
            "open-air prison",
        ),
        ("The lies of the century have collapsed.", "loaded_label", "lies of the century"),
        (
            "Pompeo's vicious remarks trampled upon international law.",
            "loaded_label",
            "vicious remarks",
        ),
        ("They spread lies and rumours about Xinjiang.", "loaded_label", "lies and rumours"),
        ("Anti-Russia forces gathered in the square.", "name_calling", "Anti-Russia forces"),
        ("The Assad regime denied the report.", "name_calling", "Assad regime"),
        ("Police arrested the terrorists.", "name_calling", "terrorists"),
        ("The villagers were reportedly detained.", "hedge", "reportedly"),
        ("The official may have been detained.", "hedge", "may have"),
        ("Such barbaric acts gravely violate trade rules.", "intensifier", "gravely"),
        ("We express strong indignation.", "intensifier", "strong indignation"),
        (
            "It was the biggest setup in human history.",
            "intensifier",
            "biggest setup in human history",
        ),
    ],
    ids=[
        "anti-china-forces-xinhua",
        "open-air-prison-cnsnews",
        "lies-of-the-century-mfa",
        "vicious-remarks-xinhua",
        "british-spelling-rumours",
        "anti-x-forces-wildcard",
        "x-regime-wildcard",
        "terrorists-as-label",
        "reportedly-hedge",
        "may-have-hedge",
        "gravely-mfa",
        "strong-indignation-mfa",
        "superlative-in-human-history-gap",
    ],
)
def test_lexicon_cues(nlp, text, kind, span):
    assert [c.text for c in _of(extract_cues(nlp(text)), kind)] == [span]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Violent and terrorist activities frequently took place.", "name_calling"),
        ("The regime fell in 2011.", "name_calling"),
        ("The forces of nature are strong.", "name_calling"),
        ("The official may visit Geneva.", "hedge"),
    ],
    ids=["terrorist-as-modifier", "bare-the-regime", "forces-alone", "may-without-have"],
)
def test_lexicon_negatives(nlp, text, kind):
    assert _of(extract_cues(nlp(text)), kind) == []


# ------------------------------------------------------------------------------ numbers
@pytest.mark.parametrize(
    ("text", "span", "value", "qualifier", "unit"),
    [
        (
            "The report accused China of detaining more than one million Muslims.",
            "more than one million Muslims",
            1_000_000,
            "more than",
            "Muslim",
        ),
        (
            "Up to two million Uighurs had been forced into camps.",
            "Up to two million Uighurs",
            2_000_000,
            "up to",
            "Uighur",
        ),
        (
            "More than 60 countries have sent a co-signed letter.",
            "More than 60 countries",
            60,
            "more than",
            "country",
        ),
        (
            "Nearly 1,000 non-governmental organizations have written to her.",
            "Nearly 1,000 non-governmental organizations",
            1000,
            "nearly",
            "organization",
        ),
        (
            "The group makes up about 45 percent of the population.",
            "about 45 percent of the population",
            45,
            "about",
            "percent",
        ),
        (
            "Almost half of the world's supply of polysilicon comes from the region.",
            "Almost half of the world's supply",
            0.5,
            "nearly",
            "fraction",
        ),
        (
            "More than a million people have been incarcerated.",
            "More than a million people",
            1_000_000,
            "more than",
            "people",
        ),
        (
            "They were held in up to 1,200 state-run internment camps.",
            "up to 1,200 state-run internment camps",
            1200,
            "up to",
            "camp",
        ),
        (
            "There are thousands of Uyghur family members abroad.",
            "thousands of Uyghur family members",
            1000,
            "at least",
            "member",
        ),
        ("Blinken met the seven former detainees.", "seven former detainees", 7, None, "detainee"),
    ],
    ids=[
        "more-than-one-million-ani",
        "up-to-two-million-presstv",
        "more-than-60-countries-mfa",
        "nearly-1000-ngos-mfa",
        "about-45-percent-of-presstv",
        "almost-half-of-cnsnews",
        "more-than-a-million-cnsnews",
        "up-to-1200-camps-ani",
        "thousands-of-vague",
        "bare-count",
    ],
)
def test_numeric_claims(nlp, text, span, value, qualifier, unit):
    (cue,) = _of(extract_cues(nlp(text)), "numeric_claim")
    assert cue.text == span
    assert (cue.detail["value"], cue.detail["qualifier"], cue.detail["unit"]) == (
        value,
        qualifier,
        unit,
    )


@pytest.mark.parametrize(
    "text",
    [
        "Children pose for photos in Qiemo County, Oct. 19, 2019.",
        "In 2020, the panel met again in Geneva.",
        "They rallied before voting on H.R. 1, or the People Act, on March 08, 2019.",
        "Recently, the State Department released its 2021 Trafficking in Persons report.",
        "Despite its illegality and zero credibility, the report was released.",
        "Zhao spoke in his first daily briefing at 3 p.m.",
        "The report was being finalized eight months ago.",
        "At present, Xinjiang does not have a single vocational education and training center.",
    ],
    ids=[
        "dateline-date",
        "bare-year",
        "bill-number-and-date",
        "year-as-modifier",
        "zero-counts-nothing",
        "ordinal-and-time",
        "duration",
        "a-single-center",
    ],
)
def test_not_numeric_claims(nlp, text):
    assert _of(extract_cues(nlp(text)), "numeric_claim") == []


def test_numeric_claim_speaker_from_statement_or_parse(nlp):
    text = (
        "In 2020, a UN human rights panel alleged that up to two million Uighurs had been "
        "forced into “political camps for indoctrination” in the autonomous region."
    )
    doc = nlp(text)
    (alone,) = _of(extract_cues(doc), "numeric_claim")
    assert (alone.detail["speaker"], alone.detail["speaker_source"]) == (
        "a UN human rights panel",
        "parse",
    )
    stmt = _stmt(
        text, text[text.index("that up") : -1], kind="mixed", speaker="UN human rights panel"
    )
    (cue,) = _of(extract_cues(doc, statements=[stmt]), "numeric_claim")
    assert (cue.statement_index, cue.detail["speaker"]) == (0, "UN human rights panel")


def test_numeric_claim_in_outlets_voice_has_no_speaker(nlp):
    (cue,) = _of(
        extract_cues(nlp("The group makes up about 45 percent of the population.")), "numeric_claim"
    )
    assert cue.detail["speaker"] is None and cue.statement_index is None


# ------------------------------------------------------------------------------ robustness
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            [
                "China's",
                "'",
                '"',
                "“",
                "”",
                "‘",
                "’",
                "so-called",
                "genocide",
                "said",
                "he",
                "more",
                "than",
                "60",
                "countries",
                ",",
                ".",
                "\n\n",
                "the",
                "as",
                "what",
                "it",
                "terms",
                "camps",
                "«",
                "»",
                "anti-China",
                "forces",
            ]
        ),
        max_size=30,
    )
)
def test_cues_never_raise_and_spans_are_exact(nlp, words):
    text = " ".join(words)
    doc = nlp(text)
    for cue in extract_cues(doc):
        assert cue.type in CUE_TYPES
        assert 0 <= cue.start < cue.end <= len(text)
        assert cue.text == text[cue.start : cue.end]


# ------------------------------------------------------------------------------ seeds
def _seed(seeds_dir: Path, prefix: str) -> str:
    return next(seeds_dir.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


@pytest.mark.seeds
def test_seed_000_scare_quotes(nlp, seeds_dir):
    text = _seed(seeds_dir, "000")
    start = text.index('"The crimes of')
    end = text.index(',"', start) + 2
    quote = Statement("direct", start, end, text[start:end], speaker="Wang Wenbin")
    cues = _of(extract_cues(nlp(text), statements=[quote]), "scare_quote")
    got = [(c.text, c.statement_index, c.detail["context"]) for c in cues]
    assert got == [
        ("'abuse'", 0, "nested"),
        ("'atrocity'", 0, "nested"),
        ("'genocide'", 0, "nested"),
        ('"genocide', None, "as"),  # the article never closes this quote
    ]
    assert 'as "genocide' in text[cues[-1].start - 3 : cues[-1].end]


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("prefix", "targets"),
    [
        ("001", ["human rights issues"]),
        ("002", ["investigation", "forced labor"]),
        ("003", ["human rights assessment", "Xinjiang-related issues"]),
    ],
    ids=["001-presstv", "002-xinhua", "003-mfa"],
)
def test_seed_every_so_called(nlp, seeds_dir, prefix, targets):
    text = _seed(seeds_dir, prefix)
    cues = _of(extract_cues(nlp(text)), "so_called")
    assert [c.detail["target"] for c in cues] == targets
    assert len(cues) == text.lower().count("so-called")


@pytest.mark.seeds
@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "000",
            [
                ("seven former detainees", None),
                ("more than one million Muslims", "more than"),
                ("up to 1,200 state-run internment camps", "up to"),
            ],
        ),
        (
            "001",
            [
                ("about 45 percent of the population", "about"),
                ("up to two million Uighurs", "up to"),
            ],
        ),
        ("002", []),
        (
            "003",
            [
                ("More than 60 countries", "more than"),
                ("nearly 1,000 non-governmental organizations", "nearly"),
                ("nearly 100 countries", "nearly"),
            ],
        ),
        (
            "004",
            [
                ("more than one million Uyghurs", "more than"),
                ("thousands of Uyghur family members", "at least"),
                ("two U.S. administrations", None),
                ("more than a million people", "more than"),
                ("almost half of the world’s supply", "nearly"),
            ],
        ),
    ],
    ids=["000-ani", "001-presstv", "002-xinhua-dates-only", "003-mfa", "004-cnsnews"],
)
def test_seed_numeric_claims(nlp, seeds_dir, prefix, expected):
    cues = _of(extract_cues(nlp(_seed(seeds_dir, prefix))), "numeric_claim")
    assert [(c.text, c.detail["qualifier"]) for c in cues] == expected


@pytest.mark.seeds
def test_seed_001_un_panel_is_the_speaker_of_two_million(nlp, seeds_dir):
    text = _seed(seeds_dir, "001")
    start = text.index("that up to two million")
    end = text.index("autonomous region", start) + len("autonomous region")
    stmt = Statement("mixed", start, end, text[start:end], speaker="a UN human rights panel")
    cues = _of(extract_cues(nlp(text), statements=[stmt]), "numeric_claim")
    (cue,) = [c for c in cues if "two million" in c.text]
    assert cue.detail["speaker"] == "a UN human rights panel"
    assert cue.statement_index == 0 and cue.detail["value"] == 2_000_000


@pytest.mark.seeds
def test_seed_cue_counts_are_stable(nlp, seeds_dir):
    """Coarse regression net: every seed yields cues of the types a reader sees in it."""
    counts = {
        p: Counter(c.type for c in extract_cues(nlp(_seed(seeds_dir, p))))
        for p in ("001", "002", "003", "004")
    }
    assert counts["002"]["intensifier"] >= 6 and counts["002"]["loaded_label"] >= 4
    assert counts["003"]["loaded_label"] >= 4 and counts["003"]["scare_quote"] == 4
    assert counts["001"]["distancing"] == 3 and counts["004"]["distancing"] == 2
