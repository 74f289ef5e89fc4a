"""A paragraph that ends by introducing the next one ("He said:" / "The governor added:" /
"X issued the following statement:"): the next paragraph is the speaker's, quoted or not.
PolNeAR marks these (e.g. a Breitbart "He said:" before a quoted paragraph); the extractor
found nothing in them before, as the verb and its words sit in different paragraphs."""

from __future__ import annotations

from claimgraph.extract import extract_statements
from claimgraph.extract.records import DIRECT, INDIRECT


def _by_text(statements, start: str):
    found = [s for s in statements if s.text.startswith(start)]
    assert len(found) == 1, [(s.kind, s.cue, s.text) for s in statements]
    return found[0]


def test_said_colon_then_quoted_paragraphs(nlp) -> None:
    text = (
        "Oskar Lind spoke in Porvik on Monday.\n\n"
        "He said:\n\n"
        '"The quotas will rise next year. The boats will stay in the harbour."\n\n'
        '"We will not yield to Zemland on this."\n\n'
        "The meeting ended at noon."
    )
    statements = extract_statements(nlp(text))
    first = _by_text(statements, '"The quotas')
    assert (first.kind, first.cue, first.speaker_mention) == (DIRECT, "said", "He")
    assert first.speaker == "Oskar Lind"
    assert text[first.start : first.end].endswith('harbour."')
    second = _by_text(statements, '"We will not yield')
    assert second.speaker == "Oskar Lind"  # the run of quoted paragraphs goes on


def test_following_statement_names_the_words(nlp) -> None:
    text = (
        "The Zemland ministry issued the following statement:\n\n"
        "“Our boats will stay in Porvik until the quotas are lifted.”"
    )
    s = _by_text(extract_statements(nlp(text)), "“Our boats")
    assert (s.kind, s.cue) == (DIRECT, "statement")
    assert s.speaker_mention == "The Zemland ministry"


def test_unquoted_paragraph_after_a_lead_in_is_indirect(nlp) -> None:
    text = (
        "The minister spoke first.\n\n"
        "The governor added:\n\n"
        "It is typical of the minister. He knows nothing about boats.\n\n"
        "The meeting ended at noon."
    )
    s = _by_text(extract_statements(nlp(text)), "It is typical")
    assert (s.kind, s.cue, s.speaker_mention) == (INDIRECT, "added", "The governor")
    assert s.text == "It is typical of the minister. He knows nothing about boats."
    assert not [x for x in extract_statements(nlp(text)) if x.text.startswith("The meeting")]


def test_a_paragraph_that_stops_on_the_verb_introduces_the_quote(nlp) -> None:
    # a colon lost in a page's markup: "Dr. Ward stated" ¶ "…"
    text = 'Dr. Anna Ward stated\n\n"The department is wrong about the harbour."'
    s = _by_text(extract_statements(nlp(text)), '"The department')
    assert (s.kind, s.cue, s.speaker_mention) == (DIRECT, "stated", "Dr. Anna Ward")


def test_colons_that_introduce_no_speech(nlp) -> None:
    cases = [
        "Here is what we know:\n\nThe dam broke on Monday.",
        "Lind said the talks had failed:\n\nThe boats left on Monday.",
        "The ministry listed the following ports:\n\nPorvik, Tarlo and Nesby.",
        "Lind spoke about the boats\n\nThe boats left on Monday.",
    ]
    for text in cases:
        second = text.split("\n\n")[1]
        found = [s for s in extract_statements(nlp(text)) if second.startswith(s.text)]
        assert not found, (text, [(s.kind, s.cue, s.text) for s in found])
