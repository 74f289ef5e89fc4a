"""A statement's content less the attribution inside it (`claimgraph.extract.content`), as the
evaluation and the link step read it."""

from __future__ import annotations

import pytest

from claimgraph.extract.content import RESUME_WITHIN, attribution_gap


def _gap(text: str, kind: str, speaker: str, cue: str) -> str | None:
    who, said = text.index(speaker), text.index(cue, text.index(speaker))
    gap = attribution_gap(
        text, 0, len(text), kind, [(who, who + len(speaker)), (said, said + len(cue))]
    )
    return None if gap is None else text[gap[0] : gap[1]]


@pytest.mark.parametrize(
    ("text", "kind", "speaker", "cue", "left_out"),
    [
        # the quotation resumes at its next opening mark: the setting between is left out
        (
            '"We will win," Smith said on Monday, "and soon."',
            "direct",
            "Smith",
            "said",
            " Smith said on Monday, ",
        ),
        # however far, in a direct quote: a sentence of the outlet's own between the pieces
        (
            '"We had problems," Obama said after meeting Putin. He did not suggest retaliation '
            'or any other step of that kind, then or later. "Our goal is norms."',
            "direct",
            "Obama",
            "said",
            " Obama said after meeting Putin. He did not suggest retaliation or any other step "
            "of that kind, then or later. ",
        ),
        # a title quoted inside the attribution is not where the quotation resumes
        (
            '"Of course," Sanders said on CNN\'s "State of the Union" Sunday. "It is fine."',
            "direct",
            "Sanders",
            "said",
            ' Sanders said on CNN\'s "State of the Union" Sunday. ',
        ),
        # no quotation before the attribution: the content goes on right after it
        (
            'In a statement, Cruz said he is certain Rubio will be "a champion."',
            "mixed",
            "Cruz",
            "said",
            " Cruz said ",
        ),
        # reported speech around a parenthetical attribution
        (
            "The plan, the minister said, will fail.",
            "indirect",
            "the minister",
            "said",
            " the minister said, ",
        ),
        # a conjunction may join the pieces
        (
            '"I love Larry," he said, but "he has a history."',
            "direct",
            "he",
            "said",
            " he said, but ",
        ),
    ],
    ids=["setting", "far-direct", "title", "fronted", "parenthetical", "conjunction"],
)
def test_attribution_gap(text, kind, speaker, cue, left_out):
    assert _gap(text, kind, speaker, cue) == left_out


def test_a_far_quote_mark_resumes_a_direct_quote_only():
    filler = "x" * RESUME_WITHIN
    text = f'"A," he said, adding {filler}. "B."'
    assert _gap(text, "direct", "he", "said") == f" he said, adding {filler}. "
    # reported speech: too far to be the same piece resumed; the content goes on after "said,"
    assert _gap(text, "mixed", "he", "said") == " he said, "
    # a partial quote inside the words after the attribution is not a piece resumed
    text = '"A," he said, adding that it was "b."'
    assert _gap(text, "direct", "he", "said") == " he said, "


def test_no_attribution_inside_no_gap():
    text = 'Smith said "we will win."'
    assert attribution_gap(text, 11, len(text), "direct", [(0, 5), (6, 10)]) is None
    assert attribution_gap(text, 11, len(text), "direct", [(None, None)]) is None
