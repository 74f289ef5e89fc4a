"""Quotation-mark pairing (claimgraph.extract.quotes): raw text in, quote spans out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimgraph.extract.quotes import find_quotes


def spans(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quotes(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param('He said "we will win" today.', ['"we will win"'], id="straight-double"),
        pytest.param("He said “we will win” today.", ["“we will win”"], id="curly-double"),
        pytest.param("He said ‘we will win’ today.", ["‘we will win’"], id="curly-single"),
        pytest.param("He said 'we will win' today.", ["'we will win'"], id="straight-single"),
        pytest.param("Il a dit «nous gagnerons» hier.", ["«nous gagnerons»"], id="guillemets"),
        pytest.param(
            "''You need to bomb them,'' he told reporters.",
            ["''You need to bomb them,''"],
            id="nyt-doubled-apostrophes",
        ),
        pytest.param(
            'the “ongoing genocide and crimes against humanity" in Xinjiang',
            ['“ongoing genocide and crimes against humanity"'],
            id="mixed-curly-open-straight-close",
        ),
        pytest.param(
            'those "who concocted lies on human rights.” He left.',
            ['"who concocted lies on human rights.”'],
            id="mixed-straight-open-curly-close",
        ),
        pytest.param(
            "China's view: they don't accept the Uyghurs' claims.",
            [],
            id="apostrophes-never-open",
        ),
        pytest.param(
            "\"The crimes of 'abuse', 'atrocity' or 'genocide' can never be,\" he said.",
            ["\"The crimes of 'abuse', 'atrocity' or 'genocide' can never be,\""],
            id="nested-singles-inside-double",
        ),
        pytest.param(
            '"First paragraph of the quote.\n\n"Second paragraph ends it," he said.',
            ['"First paragraph of the quote.\n\n"Second paragraph ends it,"'],
            id="multi-paragraph-quote-reopened",
        ),
        pytest.param(
            'to declare the actions as "genocide.\n\nRecently, the report said so.',
            ['"genocide.'],
            id="unclosed-quote-ends-at-paragraph",
        ),
        pytest.param(
            "”Mr. Trump embodies the legacy of racism.” ― Sonya Herridge",
            ["”Mr. Trump embodies the legacy of racism.”"],
            id="closing-mark-typed-as-opener",
        ),
        pytest.param('"A," he said, "B."', ['"A,"', '"B."'], id="quote-interrupted-by-attribution"),
    ],
)
def test_quote_pairing(text: str, expected: list[str]) -> None:
    assert spans(text) == expected


def test_unclosed_quote_is_flagged() -> None:
    (q,) = find_quotes('as "genocide.\n\nNext paragraph.')
    assert not q.closed


def test_inner_offsets_drop_marks() -> None:
    text = "He said “we will win,” today."
    (q,) = find_quotes(text)
    start, end = q.inner(text)
    assert text[start:end] == "we will win,"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab '\"“”‘’«»\n.,")), max_size=80))
def test_odd_marks_never_raise_and_spans_are_ordered(text: str) -> None:
    quotes = find_quotes(text)
    last = 0
    for q in quotes:
        assert last <= q.start < q.end <= len(text)
        last = q.end


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        # a quotation inside a quotation, both in curly double marks
        (
            "“I would rather live in what he calls “hell” than live in his world,” she wrote.",
            ["“I would rather live in what he calls “hell” than live in his world,”"],
        ),
        # an opener that opens nothing ends the quotation at the paragraph's last closer
        ("He said: “I call it “hell.” Then he left.", ["“I call it “hell.”"]),
        # a nested quote inside a quotation that goes on into the next paragraph
        (
            "“I call it “hell” and more.\n\n“It will not change,” he said.",
            ["“I call it “hell” and more.\n\n“It will not change,”"],
        ),
        # a mark doubled at the start is one opener
        ('"“You do not win by states,” he said.', ['"“You do not win by states,”']),
    ],
    ids=["nested", "stray-opener", "nested-multi-paragraph", "doubled-opener"],
)
def test_nested_double_quotes(text, quoted) -> None:
    assert [text[q.start : q.end] for q in find_quotes(text)] == quoted
