"""Attribution rules added from PolNeAR train error analysis (round 3), one hand-written
sentence per rule: questions put to a speaker, "as X reported", headlines and transcript lines
with a colon, speech nouns with a that-clause, addressees, closing reporting clauses, and
what a direct object's content leaves out."""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_statements
from claimgraph.extract.records import Statement
from claimgraph.extract.verbs import default_lexicon


def only(statements: list[Statement], cue: str) -> Statement:
    found = [s for s in statements if s.cue == cue]
    assert len(found) == 1, f"cue {cue!r}: {[(s.cue, s.text) for s in statements]}"
    return found[0]


# (text, cue, exact content, speaker or None)
CASES = [
    pytest.param(
        "Asked whether the border would reopen, the minister said talks would continue.",
        "Asked",
        "whether the border would reopen",
        None,
        id="asked-whether-without-auxiliary",
    ),
    pytest.param(
        "Asked about the tariffs, Oskar Lind said the talks would continue.",
        "Asked",
        "the tariffs",
        None,
        id="asked-about-topic",
    ),
    pytest.param(
        "As the Tarlo Courier reported, the minister resigned on Friday.",
        "reported",
        "the minister resigned on Friday",
        "Tarlo Courier",
        id="as-X-reported-main-clause",
    ),
    pytest.param(
        "The minister resigned on Friday, as the Tarlo Courier noted.",
        "noted",
        "The minister resigned on Friday",
        "Tarlo Courier",
        id="main-clause-as-X-noted",
    ),
    pytest.param(
        "According to the Porvik Harbour Office, which will oversee the quotas from June 21,"
        " boats, nets, and fishing gear from Tarlo are the goods most likely to be seized.",
        "According to",
        "boats, nets, and fishing gear from Tarlo are the goods most likely to be seized",
        "Porvik Harbour Office",
        id="according-to-X-relative-clause-then-subject",  # the parser runs them together
    ),
    pytest.param(
        "Oskar Lind's claim that the boats were seized illegally was rejected in Tarlo.",
        "claim",
        "that the boats were seized illegally",
        "Oskar Lind",
        id="speech-noun-that-clause",
    ),
    pytest.param(
        "Lind told a meeting of fishermen that the quotas would rise.",
        "told",
        "that the quotas would rise",
        "Lind",
        id="told-addressee-then-that-clause",
    ),
    pytest.param(
        "Quotas will rise next year, officials say.",
        "say",
        "Quotas will rise next year",
        "officials",
        id="closing-reporting-clause-not-content",
    ),
    pytest.param(
        "Lind endorsed the treaty after the vote was held.",
        "endorsed",
        "the treaty",
        "Lind",
        id="object-content-without-when-clause",
    ),
    pytest.param(
        "Oskar Lind suspects that the figures were inflated.",
        "suspects",
        "that the figures were inflated",
        "Oskar Lind",
        id="near-mined-verb-suspect",
    ),
    pytest.param(
        "Lind disputed the figures.",
        "disputed",
        "the figures",
        "Lind",
        id="near-mined-verb-dispute",
    ),
]


@pytest.mark.parametrize(("text", "cue", "content", "speaker"), CASES)
def test_attribution_rule(nlp, text, cue, content, speaker) -> None:
    s = only(extract_statements(nlp(text)), cue)
    assert s.text == content
    assert text[s.start : s.end] == content
    assert s.speaker == speaker


def test_asked_as_adjective_is_no_question(nlp) -> None:
    statements = extract_statements(nlp("The questions she asked were about fishing quotas."))
    assert not [s for s in statements if s.cue == "asked"]


def test_as_clause_of_time_is_no_report(nlp) -> None:
    statements = extract_statements(nlp("As the minister spoke, the boats left the harbour."))
    assert not [s for s in statements if s.text.startswith("the boats left")]


@pytest.mark.parametrize(
    ("headline", "speaker", "content"),
    [
        pytest.param(
            "Oskar Lind: Zemland will lose the fishing war",
            "Oskar Lind",
            "Zemland will lose the fishing war",
            id="name-colon-claim",
        ),
        pytest.param(
            "Poll: Brandt leads Lind by ten points",
            None,
            "Brandt leads Lind by ten points",
            id="poll-colon-claim",
        ),
    ],
)
def test_headline_name_colon_claim_is_a_statement(nlp, headline, speaker, content) -> None:
    text = f"{headline}\n\nThe survey was taken in Porvik in May."
    s = only(extract_statements(nlp(text)), ":")
    assert s.text == content
    if speaker is not None:
        assert s.speaker == speaker
    assert s.speaker_mention == headline.split(":")[0]


@pytest.mark.parametrize("label", ["Analysis", "Explainer", "Opinion", "Watch"])
def test_headline_label_colon_is_not_a_speaker(nlp, label) -> None:
    text = f"{label}: Zemland will lose the fishing war\n\nThe survey was taken in May."
    assert not [s for s in extract_statements(nlp(text)) if s.cue == ":"]


def test_transcript_line_is_its_speakers_turn_with_the_report_inside(nlp) -> None:
    text = (
        "The minister gave an interview on Monday.\n\n"
        "The host asked about the boats.\n\n"
        "BRANDT: I told him that the quotas would rise, and they will rise next year.\n\n"
        "HOST: Thank you."
    )
    statements = extract_statements(nlp(text))
    turns = [s for s in statements if s.cue == ":" and s.text.startswith("I told him")]
    assert len(turns) == 1, [(s.cue, s.text) for s in statements]
    turn = turns[0]
    assert turn.speaker_mention == "BRANDT"
    assert turn.text.endswith("next year.")
    nested = [s for s in statements if s.cue == "told"]
    assert nested and turn.start <= nested[0].start and nested[0].end <= turn.end


def test_a_transcript_quoted_paragraph_by_paragraph_is_read_turn_by_turn(nlp) -> None:
    text = (
        "The minister gave an interview on Monday.\n\n"
        "The host asked about the boats.\n\n"
        "The full exchange:\n\n"
        '"HOST: Will the fishing quotas rise again next year, minister?\n\n'
        '"BRANDT: They will rise next year, and the boats will stay in port until then.\n\n'
        '"HOST: Thank you for your time this morning, minister."'
    )
    statements = extract_statements(nlp(text))
    turns = [(s.speaker_mention, s.text[:12]) for s in statements if s.cue == ":"]
    assert turns == [("HOST", "Will the fis"), ("BRANDT", "They will ri"), ("HOST", "Thank you fo")]
    # no statement spans the quotation that holds the turns
    assert all(s.cue == ":" for s in statements if s.start > text.index("exchange"))


@pytest.mark.parametrize(
    ("lemma", "frame"),
    [("suspect", "ccomp"), ("dispute", "dobj"), ("insist", "other"), ("prefer", "xcomp")],
)
def test_near_mined_frames_are_cues(lemma, frame) -> None:
    assert default_lexicon().is_cue(lemma, frame)


@pytest.mark.parametrize(("lemma", "frame"), [("seem", "xcomp"), ("appear", "xcomp")])
def test_verbs_of_appearance_stay_out(lemma, frame) -> None:
    assert not default_lexicon().is_cue(lemma, frame)


@pytest.mark.parametrize(
    ("headline", "speaker", "content"),
    [
        # a single name the tagger takes for a common noun
        ("Obama: Zemland will lose the fishing war", "Obama", "Zemland will lose the fishing war"),
        # the colon past the first words, the name first (after a title)
        (
            "Senator Oskar Lind Slams Budget Office: ‘These Numbers Are Wrong.’",
            "Oskar Lind",
            "‘These Numbers Are Wrong.’",
        ),
        # a name on a topic
        (
            "Obama on the Fishing Quotas: ‘We Will Never Give Up Our Waters.’",
            "Obama",
            "‘We Will Never Give Up Our Waters.’",
        ),
        # the person the words before the colon name, when a quotation follows
        ("A word from Oskar Lind: 'Vote early.'", "Oskar Lind", "'Vote early.'"),
        # a label and a dash before the name
        (
            "EXCLUSIVE – Oskar Lind: Zemland will lose the fishing war",
            "Oskar Lind",
            "Zemland will lose the fishing war",
        ),
    ],
    ids=["bare-name", "long-lead", "name-on-topic", "person-in-lead", "label-dash"],
)
def test_headline_credits_its_words_to_the_name_before_the_colon(nlp, headline, speaker, content):
    text = f"{headline}\n\nThe survey was taken in Porvik in May."
    s = only(extract_statements(nlp(text)), ":")
    assert (s.speaker, s.text) == (speaker, content)


@pytest.mark.parametrize(
    "headline",
    [
        "The Latest: Budget passes the Senate",
        "Bill is back: the former mayor campaigns in Porvik",
        "Lind and Brandt: A tortured relationship",
        "Oskar Lind: Reformer or career politician?",
        "Wow: Lind Just Said Something Unexpected",
    ],
    ids=["live-blog-label", "clause", "two-names", "question", "kicker"],
)
def test_headline_topic_or_label_before_a_colon_credits_no_one(nlp, headline):
    text = f"{headline}\n\nThe survey was taken in Porvik in May."
    assert not [s for s in extract_statements(nlp(text)) if s.cue == ":"]


@pytest.mark.parametrize(
    ("lead", "speaker"),
    [("Said Ellis:", "Ellis"), ("Said Oskar Lind, a tax lawyer:", "Oskar Lind")],
    ids=["name", "name-and-title"],
)
def test_inverted_lead_in_names_the_speaker_of_the_quotation(nlp, lead, speaker) -> None:
    text = (
        "Experts say the plan would make the tax code more complicated. "
        f"{lead} “Nobody in Porvik wants this plan.”"
    )
    s = only(extract_statements(nlp(text)), "Said")
    assert (s.kind, s.speaker, s.text) == ("direct", speaker, "“Nobody in Porvik wants this plan.”")


def test_reported_speech_that_goes_on_as_a_quotation_is_one_statement(nlp) -> None:
    text = (
        "The fleet may stay in port until the talks end, Lind said. "
        "“The other factor is the weather. Nobody can sail in this storm.”"
    )
    (s,) = extract_statements(nlp(text))
    assert (s.kind, s.speaker, s.cue) == ("mixed", "Lind", "said")
    assert s.text.startswith("The fleet") and s.text.endswith("this storm.”")
    # a new paragraph is a statement of its own (the speaker carried on)
    apart = extract_statements(nlp(text.replace("said. ", "said.\n\n")))
    assert [(s.kind, s.speaker) for s in apart] == [("indirect", "Lind"), ("direct", "Lind")]
