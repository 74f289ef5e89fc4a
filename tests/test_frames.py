"""Proposition frames (`claimgraph.claims.frames`): the pretext accusation in its wordings,
what is not one, and the stance a framed member takes toward a framed claim."""

from __future__ import annotations

import pytest

from claimgraph.claims.frames import negated, pretext
from claimgraph.claims.stance import AFFIRM, DENY, StanceAnalyzer

# wordings of "the other side uses the issue as a pretext for hostile ends" (the first four
# are the seeds' statements, cut; the rest constructed in the same registers)
FRAMED = [
    "The United States is not able to contain China's development and spread havoc in "
    "Xinjiang under the pretext of protecting human rights.",
    "The US uses the pretext of so-called human rights issues to concoct malicious lies.",
    "Under the guise of human rights issues, they are trying to undermine the overall "
    "stability of Xinjiang.",
    "We urge the U.S. to stop using Xinjiang-related issues to interfere in China's internal "
    "affairs.",
    "The US attempt to use human rights as a cover to mess up Xinjiang will never succeed.",
    "They oppose interference in China's internal affairs in the name of so-called "
    "Xinjiang-related issues.",
    "The US and some Western forces seek to destabilize Xinjiang and use it to contain China.",
]
NOT_FRAMED = [
    # a charge used "as an excuse": the statement denies the charge (it stays in that claim)
    'It has used so-called "forced labor" in Xinjiang as an excuse to implement long-arm '
    "jurisdiction.",
    "There is no excuse for violence.",
    "Police used tear gas to disperse the crowd.",
    "He used the money to buy a house near the border.",
    "The company gave a reason for the delay.",
]


@pytest.mark.parametrize("text", FRAMED, ids=range(len(FRAMED)))
def test_pretext_wordings_carry_the_frame(nlp, text):
    doc = nlp(text)
    frame = pretext(doc)
    assert frame is not None
    assert not negated(doc, frame)  # "not able to contain", "never succeed": not the frame's


@pytest.mark.parametrize("text", NOT_FRAMED, ids=range(len(NOT_FRAMED)))
def test_other_uses_of_pretext_words_carry_none(nlp, text):
    assert pretext(nlp(text)) is None


def test_a_framed_member_affirms_a_framed_claim_unless_its_frame_is_negated(nlp):
    rules = StanceAnalyzer(nlp=nlp, model=False)
    claim = "The US uses the pretext of so-called human rights issues to concoct malicious lies."
    texts = [
        FRAMED[0],  # the negation is about containing China, not about the pretext
        "The US does not use human rights as a pretext to interfere in China's affairs.",
        "China is not committing genocide in Xinjiang.",  # no frame: the rules as before
    ]
    results = rules.predict(texts, [claim, claim, "China is committing genocide in Xinjiang"])
    assert [r.label for r in results] == [AFFIRM, DENY, DENY]
    assert "pretext" in results[0].reasons[0]
