"""Statement extraction on short hand-written sentences, one news pattern per case."""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_statements
from claimgraph.extract.records import (
    ASSERTIVE,
    ATTACKING,
    DIRECT,
    DISTANCING,
    ENDORSING,
    INDIRECT,
    MIXED,
    NEUTRAL,
    PARTIAL,
    Statement,
)


def statement_with(statements: list[Statement], needle: str) -> Statement:
    found = [s for s in statements if needle in s.text]
    assert found, f"no statement contains {needle!r}: {[s.text for s in statements]}"
    return min(found, key=lambda s: len(s.text))


# (text, words inside the content, exact content or None, kind, speaker, cue)
CASES = [
    pytest.param(
        '"We will never accept this interference," Wang said.',
        "never accept",
        '"We will never accept this interference,"',
        DIRECT,
        "Wang",
        "said",
        id="direct-quote-then-X-said",
    ),
    pytest.param(
        "“We will never accept this interference,” said Wang Wenbin.",
        "never accept",
        "“We will never accept this interference,”",
        DIRECT,
        "Wang Wenbin",
        "said",
        id="direct-quote-then-said-X",
    ),
    pytest.param(
        'Wang Wenbin stressed, "The US uses the pretext of human rights to smear China."',
        "pretext",
        '"The US uses the pretext of human rights to smear China."',
        DIRECT,
        "Wang Wenbin",
        "stressed",
        id="X-stressed-comma-quote",
    ),
    pytest.param(
        "The minister said: «Nous ne céderons pas à la pression des États-Unis.»",
        "céderons",
        "«Nous ne céderons pas à la pression des États-Unis.»",
        DIRECT,
        "minister",
        "said",
        id="X-said-colon-guillemets",
    ),
    pytest.param(
        "‘This is a patchwork of lies and rumours,’ the ambassador told reporters.",
        "patchwork",
        "‘This is a patchwork of lies and rumours,’",
        DIRECT,
        "ambassador",
        "told",
        id="single-curly-quote-told-reporters",
    ),
    pytest.param(
        "“Honest people will reach the conclusion that the atrocities do not exist,” "
        "Hua Chunying tweeted.",
        "Honest people",
        None,
        DIRECT,
        "Hua Chunying",
        "tweeted",
        id="X-tweeted",
    ),
    pytest.param(
        "The ministry said in a statement that the sanctions were illegal and void.",
        "sanctions were illegal",
        "that the sanctions were illegal and void",
        INDIRECT,
        "ministry",
        "said",
        id="said-in-a-statement-that",
    ),
    pytest.param(
        "Blinken said the United States would continue to stand with the Uyghurs.",
        "United States would continue",
        "the United States would continue to stand with the Uyghurs",
        INDIRECT,
        "Blinken",
        "said",
        id="X-said-clause-without-that",
    ),
    pytest.param(
        "The camps are vocational training centres, the Chinese spokesman said.",
        "vocational training",
        "The camps are vocational training centres",
        INDIRECT,
        "spokesman",
        "said",
        id="clause-comma-X-said",
    ),
    pytest.param(
        "The camps are vocational training centres, said Chinese Foreign Ministry "
        "spokesperson Wang Wenbin on Wednesday.",
        "vocational training",
        "The camps are vocational training centres",
        INDIRECT,
        "Wang Wenbin",
        "said",
        id="clause-comma-said-X",
    ),
    pytest.param(
        "According to the State Department, more than one million Uyghurs have been "
        "detained in camps.",
        "one million",
        "more than one million Uyghurs have been detained in camps",
        INDIRECT,
        "State Department",
        "According to",
        id="according-to-X-comma-clause",
    ),
    pytest.param(
        "The report accused China of detaining more than one million Muslims.",
        "one million",
        "China of detaining more than one million Muslims",
        INDIRECT,
        "report",
        "accused",
        id="X-accused-Y-of-Z",
    ),
    pytest.param(
        "China rejects claims of mistreating the Uighurs, saying it has been taking "
        "anti-terrorism measures.",
        "anti-terrorism",
        "it has been taking anti-terrorism measures",
        INDIRECT,
        "China",
        "saying",
        id="X-rejects-claims-saying",
    ),
    pytest.param(
        "Acts of protest, Mr. Obama said, are acts of patriotism.",
        "patriotism",
        "Acts of protest, Mr. Obama said, are acts of patriotism",
        INDIRECT,
        "Obama",
        "said",
        id="parenthetical-X-said-mid-sentence",
    ),
    pytest.param(
        'Wang said Beijing would "impose reciprocal visa restrictions on US officials," '
        "in response.",
        "impose reciprocal",
        None,
        MIXED,
        "Wang",
        "said",
        id="partial-quote-inside-reported-clause",
    ),
    pytest.param(
        "Blinken called on China to end what he claimed to be the “ongoing genocide” in Xinjiang.",
        "ongoing genocide",
        None,
        PARTIAL,
        "Blinken",
        "claimed",
        id="what-he-claimed-to-be-quoted-fragment",
    ),
    pytest.param(
        "A UN human rights panel alleged that up to two million Uighurs had been "
        "forced into camps.",
        "two million",
        None,
        INDIRECT,
        "UN human rights panel",
        "alleged",
        id="organisation-alleged-that",
    ),
    pytest.param(
        "“The Trump administration has failed our families.” ― Sonya Herridge",
        "failed our families",
        "“The Trump administration has failed our families.”",
        DIRECT,
        "Sonya Herridge",
        "―",
        id="quote-signed-with-a-dash",
    ),
]


@pytest.mark.parametrize(("text", "needle", "content", "kind", "speaker", "cue"), CASES)
def test_statement_patterns(nlp, text, needle, content, kind, speaker, cue) -> None:
    s = statement_with(extract_statements(nlp(text)), needle)
    if content is not None:
        assert s.text == content
    assert text[s.start : s.end] == s.text
    assert s.kind == kind
    assert s.speaker is not None and speaker in s.speaker
    assert s.cue == cue
    assert text[s.cue_start : s.cue_end] == cue


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "The so-called “vocational centres” were closed, and “re-education” ended.",
            id="scare-quoted-noun-phrases",
        ),
        pytest.param("China's economy grew and don't expect that to change.", id="no-speech"),
    ],
)
def test_not_statements(nlp, text: str) -> None:
    assert extract_statements(nlp(text)) == []


@pytest.mark.parametrize(
    ("text", "verb", "cls"),
    [
        pytest.param("Wang said that the report was false.", "said", NEUTRAL, id="neutral-said"),
        pytest.param(
            "Wang stressed that the report was false.", "stressed", ASSERTIVE, id="assertive"
        ),
        pytest.param(
            "Wang claimed that the report was false.", "claimed", DISTANCING, id="distancing"
        ),
        pytest.param(
            "Wang confirmed that the report was false.", "confirmed", ENDORSING, id="endorsing"
        ),
        pytest.param("Wang denounced the report as a lie.", "denounced", ATTACKING, id="attacking"),
        pytest.param(
            "The official pointed out that the report was false.",
            "pointed out",
            ENDORSING,
            id="phrasal-pointed-out",
        ),
    ],
)
def test_cue_classes(nlp, text: str, verb: str, cls: str) -> None:
    (s,) = extract_statements(nlp(text))
    assert (s.cue, s.cue_class) == (verb, cls)


def test_odd_number_of_quote_marks_never_raises(nlp) -> None:
    text = 'He said "this is "odd. And "more" here, she said "ok.\n\n"Next para'
    statements = extract_statements(nlp(text))
    assert all(0 <= s.start < s.end <= len(text) for s in statements)


def test_statements_are_sorted_and_consistent(nlp) -> None:
    text = (
        "“Xinjiang enjoys stability,” Wang said. Blinken said the camps must close. "
        "According to the report, abuses continue."
    )
    statements = extract_statements(nlp(text))
    assert [s.start for s in statements] == sorted(s.start for s in statements)
    for s in statements:
        assert text[s.start : s.end] == s.text
        if s.speaker_start is not None:
            assert text[s.speaker_start : s.speaker_end] == s.speaker_mention


@pytest.mark.parametrize(
    ("text", "content", "cue", "speaker"),
    [
        pytest.param(
            "Lind was asked whether he would support the treaty.",
            "whether he would support the treaty",
            "asked",
            None,
            id="X-was-asked-whether-S-question-is-content",
        ),
        pytest.param(
            "Asked whether he would run again, Oskar Lind said yes.",
            "yes",
            "said",
            "Oskar Lind",
            id="X-said-yes-answer-is-content",
        ),
        pytest.param(
            "Lind said that the talks had stalled but that a deal was still possible.",
            "that the talks had stalled but that a deal was still possible",
            "said",
            "Lind",
            id="said-that-A-but-that-B-both-clauses",
        ),
    ],
)
def test_content_frames(nlp, text, content, cue, speaker) -> None:
    s = statement_with(extract_statements(nlp(text)), content)
    assert (s.text, s.cue, s.speaker) == (content, cue, speaker)


def test_told_names_an_addressee_not_content(nlp) -> None:
    text = "“We will not sign,” Lind told reporters in Porvik on Monday."
    statements = extract_statements(nlp(text))
    assert [s.text for s in statements] == ["“We will not sign,”"]


def test_facts_and_history_are_nobody_s_statement(nlp) -> None:
    sts = extract_statements(nlp("Facts have proved that the policy works, the spokesman said."))
    assert [(s.speaker_mention, s.cue) for s in sts] == [("the spokesman", "said")]
    assert "Facts have proved" in sts[0].text
    sts = extract_statements(nlp("History shows that sanctions never work."))
    assert sts == []


def test_despite_deep_in_the_content_is_kept_but_despite_on_the_cue_is_cut(nlp) -> None:
    text = (
        "He stressed that the fact that the report, despite its flaws, did not repeat the "
        "charge shows that the campaign has failed."
    )
    s = next(s for s in extract_statements(nlp(text)) if s.speaker_mention == "He")
    assert s.text.startswith("that the fact") and s.text.endswith("has failed")
    (s,) = extract_statements(nlp("The minister said the economy grew, despite the war."))
    assert s.text == "the economy grew"


def test_responding_to_a_question_is_not_content(nlp) -> None:
    text = (
        "The spokesman responded to a question about the ban by saying Beijing had rebuked "
        "the lies many times."
    )
    sts = extract_statements(nlp(text))
    assert not [s for s in sts if s.cue == "responded"]
    assert ("saying", "Beijing had rebuked the lies many times") in [(s.cue, s.text) for s in sts]


def test_is_reported_to_is_the_subjects_own_act(nlp) -> None:
    text = "The minister is said to have warned that the talks would fail."
    sts = extract_statements(nlp(text))
    # one statement, the minister's; the hedge "is said to" is no anonymous second report
    assert [(s.speaker, s.cue, s.text) for s in sts] == [
        ("The minister", "warned", "that the talks would fail")
    ]


@pytest.mark.parametrize(
    ("text", "needle", "speaker"),
    [
        # who is forced, prompted or asked to say it says it (not the agent who prompts)
        ("Ilka Dorn was forced to admit that the dam had leaked.", "dam had", "Ilka Dorn"),
        (
            "Ilka Dorn was prompted by the moderators to say that the dam had leaked.",
            "dam had",
            "Ilka Dorn",
        ),
        (
            "Ilka Dorn was asked by reporters to confirm that the dam had leaked.",
            "dam had",
            "Ilka Dorn",
        ),
        # "who" of a relative clause is the name the clause hangs on, also for a verb joined
        # to the clause
        (
            "Mira Solberg, who visited the dam in May, said the valley would flood.",
            "valley would",
            "Mira Solberg",
        ),
        (
            "Mira Solberg, who visited the dam in May and said the valley would flood, left.",
            "valley would",
            "Mira Solberg",
        ),
    ],
)
def test_the_subject_a_clause_takes_from_another(nlp, text, needle, speaker) -> None:
    s = statement_with(extract_statements(nlp(text)), needle)
    assert s.speaker == speaker


def test_that_of_a_relative_clause_is_not_the_accusations_content(nlp) -> None:
    sts = extract_statements(nlp("Blinken and Hussain underlined accusations that China disputes."))
    assert not [s for s in sts if s.text == "that China disputes"]
    sts = extract_statements(nlp("Officials repeated the accusation that the mayor lied."))
    assert "the accusation that the mayor lied" in [s.text for s in sts]


def test_headline_subject_before_an_abbreviation_dot(nlp) -> None:
    text = "After Visit by UN Chief, State Dept. Again Accuses Valmont of ‘Genocide’\n\nBody."
    s = statement_with(extract_statements(nlp(text)), "Genocide")
    assert s.speaker_mention == "State Dept"


@pytest.mark.parametrize(
    "headline, speaker",
    [
        (
            "Foreign ministry: Valmont uses human rights to interfere in our affairs",
            "Foreign ministry",
        ),
        ("Police: Suspect fled the scene before dawn", "Police"),
        ("Analysis: Why the talks failed again", None),  # the outlet's label, not a speaker
        ("Live updates: Storm hits the coast", None),
    ],
)
def test_headline_opening_with_a_body_and_a_colon(nlp, headline, speaker) -> None:
    sts = extract_statements(nlp(f"{headline}\n\nThe story goes on here."))
    got = [s.speaker_mention for s in sts if s.cue == ":"]
    assert got == ([speaker] if speaker else [])


def test_a_report_the_parser_hung_over_its_time_clause(nlp) -> None:
    # the parser makes "said" an adverbial clause of "put": the reported clause is the head
    text = (
        "Days after Valmont said an inquiry by the regional court had put to rest the doubts "
        "about its mines, the council restated its view that the mines are unsafe."
    )
    sts = extract_statements(nlp(text))
    assert (
        "Valmont",
        "said",
        "an inquiry by the regional court had put to rest the doubts about its mines",
    ) in [(s.speaker, s.cue, s.text) for s in sts]
    s = statement_with(sts, "its view that the mines are unsafe")
    assert (s.cue, s.cue_class) == ("restated", ASSERTIVE)


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            'Valmont was the first state to declare the raids in the valley as "genocide."',
            'the raids in the valley as "genocide."',
        ),
        (
            "The ministry designated the group a terrorist organisation.",
            "the group a terrorist organisation",
        ),
        (
            "The ministry designated the group as a terrorist organisation.",
            "the group as a terrorist organisation",
        ),
        ("The governor declared a state of emergency on Monday.", None),  # an act
    ],
)
def test_declaring_something_as_something_is_a_statement(nlp, text, content) -> None:
    got = [s.text for s in extract_statements(nlp(text)) if s.cue in ("declare", "designated")]
    assert got == ([content] if content else [])


def test_when_asked_the_question_is_not_the_answering_speakers(nlp) -> None:
    text = (
        "The report is void, spokesperson Lin Qiao said at a daily news briefing when asked "
        "what counter measures the government will take."
    )
    sts = extract_statements(nlp(text))
    assert [(s.speaker, s.cue) for s in sts] == [("Lin Qiao", "said"), (None, "asked")]
    assert sts[1].text == "what counter measures the government will take"


def test_written_to_someone_is_whom_not_what(nlp) -> None:
    text = (
        "Nearly 1,000 groups have written to the commissioner to express their opposition "
        "to the report."
    )
    texts = [s.text for s in extract_statements(nlp(text))]
    assert "the commissioner" not in texts
    assert any(t.startswith("their opposition") for t in texts), texts


@pytest.mark.parametrize(
    ("text", "speaker_mention"),
    [
        (
            "The talks were held in Valmont, the Korvan delegation and two neighbours are now "
            "reported to be calling for an inquiry into the dam.",
            "the Korvan delegation and two neighbours",
        ),
        # a subject of its own: nothing to repair
        (
            "The talks were held in Valmont, and the delegation is now reported to be calling "
            "for an inquiry into the dam.",
            "the delegation",
        ),
    ],
)
def test_a_subject_the_parser_hung_on_the_clause_before_still_speaks(
    nlp, text, speaker_mention
) -> None:
    calls = [s for s in extract_statements(nlp(text)) if s.cue == "calling for"]
    assert [s.speaker_mention for s in calls] == [speaker_mention]


def test_said_before_a_verb_read_as_its_noun_object_is_the_clause(nlp) -> None:
    text = "These are the raids which two ministers have said amount to collective punishment."
    said = [s for s in extract_statements(nlp(text)) if s.cue == "said"]
    assert [(s.speaker_mention, s.text) for s in said] == [
        ("two ministers", "amount to collective punishment")
    ]
    # an idiom with a noun after "say" is no report
    text = "The mayor said goodbye to the delegation at the station."
    assert not [s for s in extract_statements(nlp(text)) if s.cue == "said"]


def test_said_x_then_a_participle_about_x(nlp) -> None:
    # the parser makes the name the subject of "asked" and leaves "said" without one
    text = (
        '"I am not going to say it is a mistake, so forget about it," said retired '
        "neurosurgeon Ben Carson, asked about his claims that he had received a scholarship."
    )
    doc = nlp(text)
    said = next(t for t in doc if t.text == "said")
    assert not any(c.dep_ == "nsubj" for c in said.children)  # the misparse
    sts = extract_statements(doc)
    (quote,) = [s for s in sts if s.cue == "said"]
    assert (quote.kind, quote.speaker) == (DIRECT, "Ben Carson")
    assert quote.text.endswith('forget about it,"')
    assert not [s for s in sts if s.cue == "asked"]  # a question put to him, not his


def test_adding_after_a_reported_clause_is_the_reporter_adding(nlp) -> None:
    text = (
        "Quist told the Herald that Teodor Ashby “had a crazy plan which was maniacal,” "
        "adding, “He lost all of the valley vote.”"
    )
    doc = nlp(text)
    adding = next(t for t in doc if t.text == "adding")
    assert adding.head.dep_ == "ccomp"  # the parser hangs it on the reported clause
    (added,) = [s for s in extract_statements(doc) if s.cue == "adding"]
    assert added.speaker_mention == "Quist"


@pytest.mark.parametrize(
    ("text", "content"),
    [
        pytest.param(
            "Lind blamed the blackout on the new regulator.",
            "the blackout on the new regulator",
            id="object-and-its-phrase-after-it",
        ),
        pytest.param(
            "Lind mentioned his rivals by name.", "his rivals by name", id="object-by-name"
        ),
        pytest.param(
            "Lind criticized the plan in an interview on Monday.",
            "the plan",
            id="where-and-when-said-is-no-content",
        ),
        pytest.param(
            "Lind criticized the plan at a rally in Porvik.",
            "the plan",
            id="at-a-rally-is-no-content",
        ),
    ],
)
def test_an_object_content_runs_through_the_phrases_after_it(nlp, text, content) -> None:
    (s,) = extract_statements(nlp(text), min_confidence=0)
    assert (s.text, s.speaker) == (content, "Lind")


def test_an_agentless_raising_passive_reports_the_whole_clause_and_names_no_one(nlp) -> None:
    # the subject of "is expected" is what the expectation is about, not who expects it
    text = "The birth of the newest Lind is expected to coincide with the party congress in July."
    (s,) = extract_statements(nlp(text), min_confidence=0)
    assert (s.text, s.speaker, s.cue) == (text[:-1], None, "expected")
    (s,) = extract_statements(nlp("Lind was known to use the house in Porvik."), min_confidence=0)
    assert (s.text, s.speaker) == ("Lind was known to use the house in Porvik", None)


def test_a_scare_quoted_word_in_a_declaration_is_no_quotation(nlp) -> None:
    text = 'Early this year, the US became the first country to declare the actions as "genocide".'
    sts = extract_statements(nlp(text))
    # the country's declaration (the quoted word inside it), not a quotation of "genocide"
    assert [(s.kind, s.cue, s.speaker, s.text) for s in sts] == [
        (PARTIAL, "declare", "United States", 'the actions as "genocide"')
    ]


def test_a_weighed_cue_takes_no_content_before_it(nlp) -> None:
    # "S, X said" is how speech is reported; the parser reads this headline as "S, welcome"
    text = "Xinjiang officials refute allegations, welcome foreign visits"
    sts = extract_statements(nlp(text), min_confidence=0)
    assert not [s for s in sts if s.cue == "welcome"]


def test_a_participle_used_as_a_preposition_is_no_cue(nlp) -> None:
    text = "Lind was asked what measures the government will take regarding the assessment."
    sts = extract_statements(nlp(text), min_confidence=0)
    assert [s.cue for s in sts] == ["asked"]


def test_a_weighed_cue_needs_a_subject_who_can_hold_a_position(nlp) -> None:
    text = "The warm weather supports the harvest. The party supports the regulations."
    sts = extract_statements(nlp(text), min_confidence=0)
    assert [(s.speaker_mention, s.text) for s in sts] == [("The party", "the regulations")]
    sts = extract_statements(nlp("This issue did not concern religion."), min_confidence=0)
    assert sts == []


def test_a_weighed_cue_with_no_one_holding_it_is_no_statement(nlp) -> None:
    text = "Praying for the victims and the first responders of Porvik."
    assert extract_statements(nlp(text), min_confidence=0) == []


def test_a_clause_the_parser_hung_on_the_verb_that_goes_on_in_quotes_is_content(nlp) -> None:
    text = (
        "He’s claiming that voting fraud is “a big, big problem in this country” but “nobody "
        "has the guts to talk about it.”"
    )
    s = statement_with(extract_statements(nlp(text)), "voting fraud")
    assert s.text.startswith("that voting fraud") and s.text.endswith("about it.”")
    # without quotation marks, a second clause is the outlet's, not the speaker's
    text = "He claimed that the plan had failed, but nobody in Porvik believed him."
    s = statement_with(extract_statements(nlp(text)), "the plan")
    assert "nobody" not in s.text


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (  # a participle after a quotation that closes over its comma (American style)
            "Trump praised Putin as a “strong leader,” comparing him favorably to Obama.",
            "Putin as a “strong leader,”",
        ),
        (  # the same with straight quotation marks
            'The senator said the plan was "a disgrace," reflecting the mood of her party.',
            'the plan was "a disgrace,"',
        ),
        (  # a relative clause after the closing mark is the writer's, as after a bare comma
            'She said the bill was "a giveaway to the banks," which the sponsors deny.',
            'the bill was "a giveaway to the banks,"',
        ),
    ],
)
def test_a_comma_inside_closing_quotes_still_ends_the_content(nlp, text, content) -> None:
    (s,) = [s for s in extract_statements(nlp(text)) if s.cue in ("praised", "said")]
    assert s.text == content


@pytest.mark.parametrize(
    ("text", "content", "speaker", "kind"),
    [
        (
            'As Steven Rosenthal, a tax lawyer, recently put it, "Did Mr. Kell lower his taxes'
            ' through avoidance, or evasion?"',
            '"Did Mr. Kell lower his taxes through avoidance, or evasion?"',
            "Steven Rosenthal",
            "direct",
        ),
        (
            'The main requirement is a "lawful source of investment income," as a Homeland'
            " Security memo put it.",
            'The main requirement is a "lawful source of investment income,"',
            "Homeland Security memo",
            "mixed",
        ),
        ('Or, as Senator Smith puts it: "We are broke."', '"We are broke."', "Smith", "direct"),
    ],
)
def test_as_someone_put_it_reports_the_clause_it_hangs_on(
    nlp, text, content, speaker, kind
) -> None:
    (s,) = extract_statements(nlp(text))
    assert (s.text, s.kind, s.cue) == (content, kind, "puts" if " puts " in text else "put")
    assert speaker in (s.speaker or "")


def test_putting_a_thing_somewhere_is_no_report(nlp) -> None:
    assert extract_statements(nlp("He put it on the table, as he had promised.")) == []


def test_a_lead_in_before_a_colon_is_not_the_quotations_content(nlp) -> None:
    text = (
        "Senator Mara Voss scolded him: “The evidence is against you on all three of the"
        " products you sold,” she said."
    )
    (s,) = extract_statements(nlp(text))
    assert s.text == "“The evidence is against you on all three of the products you sold,”"
    assert (s.kind, s.speaker) == ("direct", "Mara Voss")


@pytest.mark.parametrize(
    "text",
    [
        "When asked whether the plan would survive, Ms. Orla Venn said, “Probably.”",
        "Pressed on the timing, Mr. Kell said, “Soon.”",
    ],
)
def test_the_occasion_before_a_quotation_is_not_its_content(nlp, text) -> None:
    quoted = text[text.index("“") :]
    sts = [s for s in extract_statements(nlp(text)) if s.cue == "said"]
    assert [(s.text, s.kind) for s in sts] == [(quoted, "direct")]


def test_a_condition_before_a_quotation_stays_in_its_content(nlp) -> None:
    text = "If the bill passes, Mr. Kell said, “we will all pay for it.”"
    (s,) = extract_statements(nlp(text))
    assert (s.text, s.kind) == (text, "mixed")


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Kell said of Latinos in a speech on Monday.",  # whom about, not what
        "Ms. Venn talked for about 30 minutes.",  # how long, not what
    ],
)
def test_a_topic_or_a_time_after_the_verb_is_no_content(nlp, text) -> None:
    assert extract_statements(nlp(text)) == []


def test_said_about_keeps_what_was_said_about(nlp) -> None:
    (s,) = extract_statements(nlp("Mr. Kell said little about the plan."))
    assert s.text == "little about the plan"


def test_a_clause_before_a_semicolon_is_the_writers(nlp) -> None:
    text = "It is an unlikely scenario; her campaign says she will continue her march this week."
    (s,) = [s for s in extract_statements(nlp(text)) if s.cue == "says"]
    assert (s.text, s.speaker_mention) == (
        "she will continue her march this week",
        "her campaign",
    )


def test_a_clause_before_a_colon_that_introduces_the_speaker_is_the_writers(nlp) -> None:
    text = (
        "The disclosure set off another round of fireworks on Friday: Republicans said they"
        " are convinced the department mishandled the case."
    )
    (s,) = [s for s in extract_statements(nlp(text)) if s.cue == "said"]
    assert s.text == "they are convinced the department mishandled the case"


def test_a_three_word_quotation_after_its_verb_is_speech(nlp) -> None:
    text = "Dozens of delegates shouted “Call the roll,” until the chairman gave in."
    (s,) = extract_statements(nlp(text))
    assert (s.text, s.kind, s.speaker_mention) == (
        "“Call the roll,”",
        "direct",
        "Dozens of delegates",
    )


@pytest.mark.parametrize(
    "content",
    [
        "The new budget cuts the school program, which feeds a million children",
        "The plan will fail, leaving millions of families without care",
    ],
)
def test_an_aside_before_the_cue_is_the_speakers(nlp, content) -> None:
    (s,) = extract_statements(nlp(content + ", the senator said."))
    assert s.text == content


def test_an_aside_after_the_cue_is_still_the_writers(nlp) -> None:
    (s,) = extract_statements(nlp("The senator said the cuts will hurt Mr. Hale, who is 70."))
    assert s.text == "the cuts will hurt Mr. Hale"


@pytest.mark.parametrize(
    "content",
    [
        "Teenage undergraduates with nonexistent credit histories might not be so lucky",
        "He returned on Wednesday for the last minutes of the lunch and said little",
    ],
)
def test_according_to_at_the_end_reports_the_whole_sentence_before_it(nlp, content) -> None:
    sts = extract_statements(nlp(content + ", according to Jason Delisle, an adviser."))
    assert [(s.text, s.cue) for s in sts] == [(content, "according to")]
