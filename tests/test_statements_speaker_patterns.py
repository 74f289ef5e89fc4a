"""Speakers of issue 30's patterns, on sentences written for these tests: cues the parser
leaves without a subject, phrasal cues of a quotation, and (through the real CLI) pronouns
and role nouns by salience, inverted cues, released statements, relaying sources and
reported speech that goes on without a new cue."""

from __future__ import annotations

import pytest

from claimgraph.extract import extract_statements


@pytest.mark.parametrize(
    ("text", "needle", "speaker"),
    [
        pytest.param(
            "Mayor Ann Lee spoke at the town hall on Monday. “You know, it happens, right?” "
            "Lee went on, as if she had not heard the question.",
            "it happens",
            "Ann Lee",
            id="quote-then-went-on",
        ),
        pytest.param(
            "“Let me finish,” Marsh shot back. “You had your turn.”",
            "Let me finish",
            "Marsh",
            id="quote-then-shot-back",
        ),
    ],
)
def test_a_phrasal_verb_of_speech_attributes_the_quotation(nlp, text, needle, speaker):
    found = [s for s in extract_statements(nlp(text)) if needle in s.text]
    assert [s.speaker for s in found] == [speaker]
