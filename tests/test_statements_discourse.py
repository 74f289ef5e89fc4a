"""Speaker resolution across an article: datelines, titles inside names, possessive
appositions, anonymous sources, role nouns and pronouns, headlines, multi-paragraph quotes.

Each case is a pattern seen in wire copy, written here with invented names."""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_statements
from claimgraph.extract.quotes import datelines
from claimgraph.extract.records import Statement


def statement_with(statements: list[Statement], needle: str) -> Statement:
    found = [s for s in statements if needle in s.text]
    assert found, f"no statement contains {needle!r}: {[s.text for s in statements]}"
    return min(found, key=lambda s: len(s.text))


@pytest.mark.parametrize(
    ("text", "dateline"),
    [
        pytest.param("TARLO, June 3 (ZNA) -- Zemland said", "TARLO, June 3 (ZNA) -- ", id="agency"),
        pytest.param("PORVIK, June 4 -- Zemland said", "PORVIK, June 4 -- ", id="place-date"),
        pytest.param("PORVIK — The talks", "PORVIK — ", id="place-only-em-dash"),
        pytest.param("US-Brevia talks - a test", None, id="not-a-dateline"),
        pytest.param("WALLACE: If I may", None, id="transcript-speaker-not-a-dateline"),
    ],
)
def test_datelines(text, dateline) -> None:
    found = [text[a:b] for a, b in datelines(text)]
    assert found == ([dateline] if dateline else [])


# (text, words of the statement, speaker, speaker_type, speaker_role)
CASES = [
    pytest.param(
        "TARLO, June 3 (ZNA) -- Zemland announced tariffs on Monday against Brevian exporters "
        "who it said had dumped steel.",
        "tariffs",
        "Zemland",
        None,
        None,
        id="dateline-place-is-not-the-speaker",
    ),
    pytest.param(
        "PORVIK, June 4 (Courier) - Zemland and Brevia agreed to resume talks on fishing rights.",
        "resume talks",
        None,
        None,
        None,
        id="dateline-stripped-from-conjoined-subject",
    ),
    pytest.param(
        "TARLO, June 3 (ZNA) -- Zemland on Monday rejected what it called a smear campaign.",
        "smear campaign",
        "Zemland",
        None,
        None,
        id="it-never-resolves-to-the-dateline-place",
    ),
    pytest.param(
        'Lind: Zemland "stealing our fish" as boats are seized\n\n'
        "Foreign Minister Oskar Lind on Thursday accused Zemland of seizing fishing boats.",
        "seizing fishing boats",
        "Oskar Lind",
        "person",
        "official",
        id="subject-not-taken-from-the-headline-above",
    ),
    pytest.param(
        "Interior Ministry spokesperson Lena Brandt said the border would stay open.\n\n"
        "Brandt said the checks were routine.",
        "checks were routine",
        "Lena Brandt",
        "person",
        "spokesperson",
        id="title-before-name-is-not-part-of-the-name",
    ),
    pytest.param(
        "Brevia's trade minister, Oskar Lind, said the tariffs broke the treaty.",
        "broke the treaty",
        "Oskar Lind",
        "person",
        "official",
        id="possessive-role-noun-apposition-name",
    ),
    pytest.param(
        "Zemland's spokeswoman, Lena Brandt, called the report a fabrication.",
        "fabrication",
        "Lena Brandt",
        "person",
        "spokesperson",
        id="possessive-spokeswoman-apposition-name",
    ),
    pytest.param(
        '"The figures we have seen point to a serious shortage of medicine," said Petra Holm, '
        "the regional health commissioner.",
        "shortage of medicine",
        "Petra Holm",
        "person",
        None,
        id="inverted-said-name-beats-noun-inside-quote",
    ),
    pytest.param(
        "Foreign Minister Oskar Lind spoke first.\n\n"
        "A senior Zemlandic official, speaking on condition of anonymity, said the figures "
        "were inflated.",
        "figures were inflated",
        "senior Zemlandic official",
        "person",
        "anonymous",
        id="anonymous-official-is-not-the-last-named-official",
    ),
    pytest.param(
        "Interior Ministry spokesperson Lena Brandt spoke on Monday.\n\n"
        '"The checks are routine and temporary," she said.',
        "routine and temporary",
        "Lena Brandt",
        "person",
        "spokesperson",
        id="she-after-named-spokeswoman",
    ),
    pytest.param(
        "Lena Brandt, a spokesperson for the Interior Ministry, said the checks were routine.\n\n"
        "According to the Ministry of Transport, the queues were short.\n\n"
        "The spokesperson said the border would reopen on Friday.",
        "reopen on Friday",
        "Lena Brandt",
        "person",
        "spokesperson",
        id="the-spokesperson-after-according-to-another-ministry",
    ),
]


@pytest.mark.parametrize(("text", "needle", "speaker", "stype", "role"), CASES)
def test_discourse_speaker(nlp, text, needle, speaker, stype, role) -> None:
    s = statement_with(extract_statements(nlp(text)), needle)
    if speaker is not None:
        assert s.speaker == speaker
    if stype is not None:
        assert s.speaker_type == stype
    if role is not None:
        assert s.speaker_role == role
    assert s.speaker_mention is not None
    assert "TARLO" not in s.speaker_mention and "PORVIK" not in s.speaker_mention


def test_possessive_apposition_keeps_the_country_as_affiliation(nlp) -> None:
    s = statement_with(
        extract_statements(
            nlp("Brevia's trade minister, Oskar Lind, said the tariffs broke the treaty.")
        ),
        "broke the treaty",
    )
    assert (s.speaker, s.speaker_affiliation) == ("Oskar Lind", "Brevia")


def test_title_inside_name_entity_is_the_title(nlp) -> None:
    s = statement_with(
        extract_statements(
            nlp("Interior Ministry spokesperson Lena Brandt said the border would stay open.")
        ),
        "stay open",
    )
    assert (s.speaker, s.speaker_title) == ("Lena Brandt", "Interior Ministry spokesperson")


def test_headline_with_colon_is_not_a_statement_unless_it_quotes(nlp) -> None:
    text = (
        "Analysis: how the fishing dispute divides Zemland and Brevia\n\n"
        "The two countries have argued over the bay for a decade."
    )
    assert not [s for s in extract_statements(nlp(text)) if s.cue == ":"]
    quoted = 'Oskar Lind: "We will never give up our waters"\n\nThe minister spoke in Porvik.'
    s = statement_with(extract_statements(nlp(quoted)), "give up our waters")
    assert s.speaker == "Oskar Lind"


WITNESS = (
    "Families recount the night of the flood\n\n"
    "Greta Sand says the water rose in less than an hour.\n\n"
    '"We lost everything in one night. The police came too late," Sand, 64, told the '
    "Tarlo Courier by phone from a shelter.\n\n"
    '"The new flat is small and we have no garden.\n\n'
    '"My grandchildren cannot visit us there."'
)


@pytest.mark.parametrize(
    "needle",
    [
        pytest.param("water rose", id="name-opens-paragraph-after-headline"),
        pytest.param("lost everything", id="quote-then-name-age-told"),
        pytest.param("new flat is small", id="unclosed-quote-paragraph-continues"),
        pytest.param("grandchildren", id="next-quoted-paragraph-continues"),
    ],
)
def test_witness_quotes_are_the_named_witness(nlp, needle) -> None:
    statements = extract_statements(nlp(WITNESS))
    assert statement_with(statements, needle).speaker == "Greta Sand"
    assert not [s for s in statements if s.text.startswith("the Tarlo Courier")]


def test_possessive_inside_a_title_is_not_its_owner(nlp) -> None:
    text = (
        "Anna Berg, spokesperson of Information Office of People's Government of Tarlo "
        "Province, said the plan had worked."
    )
    s = statement_with(extract_statements(nlp(text)), "plan had worked")
    assert s.speaker == "Anna Berg"
    assert s.speaker_title is not None and s.speaker_title.startswith("spokesperson of")


def test_question_and_answer_transcript_lines_are_interviewer_and_interviewee(nlp) -> None:
    text = (
        "A conversation with Senator Mara Voss\n\n"
        "Senator Mara Voss spoke to the Ledger on Thursday. Voss discussed the budget.\n\n"
        "Q: Will the budget pass this year, in your view?\n\n"
        "A: It will pass, but only after a long fight in the chamber.\n\n"
        "A: The governor knows that the votes are not there yet."
    )
    sts = extract_statements(nlp(text))
    answers = [s for s in sts if s.speaker_mention == "A"]
    assert [s.text for s in answers] == [
        "It will pass, but only after a long fight in the chamber.",
        "The governor knows that the votes are not there yet.",
    ]
    assert {s.speaker for s in answers} == {"Mara Voss"}
    assert not [s for s in sts if s.speaker == "Q" or s.speaker == "A"]


@pytest.mark.parametrize(
    "label",
    ["CORRECTION", "EDITOR'S NOTE", "STAT OF THE WEEK", "Tuesday's Morning Email"],
)
def test_an_outlets_label_before_a_colon_is_no_speaker(nlp, label) -> None:
    text = (
        "Budget talks stall in the capital\n\n"
        "The talks stalled on Monday, officials in the capital said.\n\n"
        f"{label}: An earlier version of this article misstated the date of the vote."
    )
    sts = extract_statements(nlp(text))
    assert [s.text for s in sts] == ["The talks stalled on Monday"]
