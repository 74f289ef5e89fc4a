"""Stance rules on short sentences modelled on news copy, and the shipped classifier."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimgraph.claims.stance import (
    AFFIRM,
    DENY,
    REPORT,
    LinearModel,
    StanceAnalyzer,
    headline_case,
    load_model,
    stance,
)

GENOCIDE = "China is committing genocide in Xinjiang"

# (id: the pattern in news copy, text, claim, expected label from the rules alone)
RULE_CASES = [
    ("negation-of-predicate", "China is not committing genocide in Xinjiang.", GENOCIDE, DENY),
    (
        "never-passive-attribution",
        "The crimes of 'abuse', 'atrocity' or 'genocide' can never be attributed to China.",
        GENOCIDE,
        DENY,
    ),
    (
        "negated-existence",
        "The horrendous atrocities simply do not exist in China.",
        GENOCIDE,
        DENY,
    ),
    ("no-evidence-that", "There is no evidence that China is committing genocide.", GENOCIDE, DENY),
    (
        "denial-verb-reject",
        "Beijing rejects the claim that it is committing genocide in Xinjiang.",
        GENOCIDE,
        DENY,
    ),
    (
        "reported-denial-X-denied-that-Y",
        "The Foreign Ministry denied that China is committing genocide in Xinjiang.",
        GENOCIDE,
        DENY,
    ),
    ("denial-verb-refute", "Officials refuted reports of genocide in Xinjiang.", GENOCIDE, DENY),
    (
        "attack-verb-on-allegation",
        "A senior official denounced Pompeo's allegations of genocide as the biggest setup in history.",
        GENOCIDE,
        DENY,
    ),
    ("falsity-label-predicate", "The genocide charge is a lie of the century.", GENOCIDE, DENY),
    ("falsity-adjective", "These are false allegations of genocide in Xinjiang.", GENOCIDE, DENY),
    ("so-called", "The so-called genocide in Xinjiang is a political tool.", GENOCIDE, DENY),
    (
        "nothing-more-than",
        "The genocide determination is nothing more than wasted paper.",
        GENOCIDE,
        DENY,
    ),
    ("groundless", "Claims of genocide in Xinjiang are groundless.", GENOCIDE, DENY),
    ("disinformation", "Reports of genocide in Xinjiang are disinformation.", GENOCIDE, DENY),
    (
        "lies-and-rumors-collapsed",
        "All lies and rumors related to genocide in Xinjiang have fallen apart.",
        GENOCIDE,
        DENY,
    ),
    ("label-headline-colon", "Fake news: China is committing genocide in Xinjiang", GENOCIDE, DENY),
    (
        "emphatic-no-is-one-negation",
        "No, China is not committing genocide in Xinjiang.",
        GENOCIDE,
        DENY,
    ),
    (
        "double-negation-not-groundless",
        "The allegations of genocide in Xinjiang are not groundless.",
        GENOCIDE,
        AFFIRM,
    ),
    (
        "double-negation-no-one-can-deny",
        "No one can deny that China is committing genocide in Xinjiang.",
        GENOCIDE,
        AFFIRM,
    ),
    (
        "double-negation-cannot-be-denied",
        "That China is committing genocide in Xinjiang cannot be denied.",
        GENOCIDE,
        AFFIRM,
    ),
    (
        "double-negation-not-true-that-false",
        "It is not true that the genocide reports are false.",
        GENOCIDE,
        AFFIRM,
    ),
    ("plain-assertion", "China continues its genocide in Xinjiang.", GENOCIDE, AFFIRM),
    ("hedge-modal", "China may be committing genocide in Xinjiang.", GENOCIDE, REPORT),
    ("hedge-reportedly", "China is reportedly committing genocide in Xinjiang.", GENOCIDE, REPORT),
    ("question-denies-nothing", "Is the genocide in Xinjiang a hoax?", GENOCIDE, REPORT),
    (
        "wont-say-is-no-denial",
        "The ministry would not say whether China is committing genocide in Xinjiang.",
        GENOCIDE,
        REPORT,
    ),
    (
        "contrastive-not-X",
        "The camps are in Xinjiang, not Tibet.",
        "The camps are in Xinjiang",
        AFFIRM,
    ),
    (
        "claim-is-itself-a-denial-text-asserts",
        "China is committing genocide in Xinjiang.",
        "The genocide charge is a lie.",
        DENY,
    ),
    (
        "claim-is-itself-a-denial-text-denies",
        "Allegations of genocide are baseless.",
        "The genocide charge is a lie.",
        AFFIRM,
    ),
]


@pytest.fixture(scope="module")
def rules(nlp) -> StanceAnalyzer:
    """The parse rules alone (no classifier)."""
    return StanceAnalyzer(nlp=nlp, model=False)


@pytest.mark.parametrize(
    ("text", "claim", "expected"), [c[1:] for c in RULE_CASES], ids=[c[0] for c in RULE_CASES]
)
def test_rules(rules, text, claim, expected):
    result = rules.predict([text], [claim])[0]
    assert result.label == expected, result.reasons
    assert result.reasons
    assert 0.0 < result.score <= 1.0
    assert result.probs is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The crimes of 'genocide' can never be attributed to China.", DENY),
        ("US lies and rumors have been exposed by the fact and truth.", DENY),
        ("His 'determination' is nothing more than wasted paper.", DENY),
        ("China continues its genocide and repression of Uyghurs.", AFFIRM),
        ("Beijing would impose reciprocal visa restrictions on US officials.", AFFIRM),
        ("China may retaliate against the sanctions.", REPORT),
    ],
    ids=[
        "never-attributed",
        "lies-exposed",
        "nothing-more-than",
        "assertion",
        "quote-plain",
        "hedge",
    ],
)
def test_rules_without_claim_read_the_texts_own_proposition(rules, text, expected):
    assert rules.predict([text])[0].label == expected


@pytest.mark.parametrize(
    ("text", "claim", "expected"),
    [(c[1], c[2], c[3]) for c in RULE_CASES if c[3] == DENY or "double" in c[0]],
    ids=[c[0] for c in RULE_CASES if c[3] == DENY or "double" in c[0]],
)
def test_shipped_stance_keeps_the_rules_where_they_fire(text, claim, expected):
    result = stance(text, claim)
    assert result.label == expected, result.reasons
    assert result.probs is not None and set(result.probs) == {AFFIRM, DENY, REPORT}


def test_distancing_cue_makes_an_assertion_a_report():
    result = stance(f"{GENOCIDE}.", GENOCIDE, cue_class="distancing")
    assert result.label == REPORT
    assert any("distancing" in r for r in result.reasons)
    # the speaker still denies: distancing does not turn a denial into a report
    assert stance("The genocide charge is a lie.", cue_class="distancing").label == DENY


def test_classifier_decides_plain_headlines():
    assert stance("China continues its genocide in Xinjiang", GENOCIDE).label == AFFIRM
    assert stance("Report: China said to be committing genocide", GENOCIDE).label == REPORT


def test_precomputed_doc_is_used(nlp):
    doc = nlp("Officials refuted reports of genocide in Xinjiang.")
    assert stance(doc.text, GENOCIDE, doc=doc).label == DENY


def test_shipped_model_round_trips_and_is_small():
    model = load_model()
    assert model is not None
    assert model.labels == [AFFIRM, DENY, REPORT]
    assert model.meta["n_train_items"] == 2071  # Emergent's training headlines
    assert "train_stance.py" in model.meta["command"]
    assert model.emb_dim in (None, 384)
    again = LinearModel.from_json(json.loads(json.dumps(model.to_json())))
    x = np.random.default_rng(0).normal(size=(4, model.coef.shape[1]))
    np.testing.assert_allclose(model.predict_proba(x), again.predict_proba(x))
    np.testing.assert_allclose(model.predict_proba(x).sum(axis=1), 1.0)


def test_an_old_format_model_is_refused():
    """A /1 model was trained on whole-text embeddings; applied to propositions it would
    silently mislead, so it is refused with the command that makes a new one."""
    from claimgraph.errors import ModelError

    old = {**load_model().to_json(), "format": "claimgraph-stance-logreg/1"}
    with pytest.raises(ModelError, match="rerun scripts/train_stance.py"):
        LinearModel.from_json(old)


def test_classifier_embeds_the_propositions(nlp):
    """The embedding features are of the propositions (what the clustering embeds), so the
    link step embeds a unit once: the denial word and the reporting shell are not embedded."""
    from claimgraph.claims.clusters import proposition
    from claimgraph.embedding.minilm import default_embedder

    seen: list[str] = []

    class Recording:
        dim = 384

        def encode(self, texts, batch_size=8):
            seen.extend(texts)
            return default_embedder().encode(texts, batch_size=batch_size)

    text = "The Foreign Ministry denied that China is committing genocide in Xinjiang."
    analyzer = StanceAnalyzer(nlp=nlp, embedder=Recording())  # type: ignore[arg-type]
    assert analyzer.predict([text], [GENOCIDE])[0].label == DENY
    assert sorted(seen) == sorted([proposition(nlp(text)), proposition(nlp(GENOCIDE))])
    assert not any("denied" in t or "Ministry" in t for t in seen)


def test_polarity_rules_read_each_sentence_of_a_doc_for_questions(nlp):
    """A negation in a question denies nothing; one in the next sentence does (the question
    test is worked out per sentence once, and the operators once per doc)."""
    from claimgraph.claims.polarity import NEG, analyze, operators

    doc = nlp("Is the dam not safe? The dam is not safe.")
    first = analyze(doc)
    negs = [op for op in first.operators if op.kind == NEG]
    assert [op.i for op in negs] == [len(doc) - 3]  # the second "not"
    assert operators(doc) is operators(doc)  # memoised per doc
    copy = doc.copy()  # the memo travels in user_data: a copy recomputes its own
    assert operators(copy) is not operators(doc) and operators(copy) == operators(doc)
    again = analyze(doc)
    assert (again.flips, again.operators, again.question) == (first.flips, first.operators, True)


def test_predict_checks_lengths(rules):
    with pytest.raises(ValueError, match="same length"):
        rules.predict(["a", "b"], ["c"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Pentagon Denies It Killed ISIS Chief As Airstrikes Hit",
            "Pentagon denies it killed ISIS chief as airstrikes hit",
        ),
        ("MARINES ORDERED TO SURRENDER WEAPONS", "marines ordered to surrender weapons"),
        ("China is committing genocide in Xinjiang.", "China is committing genocide in Xinjiang."),
        ("McDonald's Big Mac Hoax Is Not Real", "McDonald's big mac hoax is not real"),
    ],
    ids=["title-case", "all-caps", "sentence-unchanged", "mixed-case-kept"],
)
def test_headline_case_keeps_offsets(text, expected):
    folded = headline_case(text)
    assert folded == expected
    assert len(folded) == len(text)


@pytest.mark.parametrize(
    ("text", "refute_near", "hedge_near"),
    [
        ("The Culkin death story is a hoax.", 1.0, 0.0),  # "hoax" two words from "death"
        ("Culkin is dead, sources say.", 0.0, 1.0),
        ("Culkin is dead. Nobody believes the weather forecast for Tuesday was fake.", 0.0, 0.0),
    ],
    ids=["refute-cue-by-claim-word", "source-tail-hedge", "refute-cue-far-from-claim"],
)
def test_cue_features_near_the_claims_words(rules, text, refute_near, hedge_near):
    from claimgraph.claims.stance import RULE_FEATURES

    claim = "Macaulay Culkin death: he is dead"
    docs = rules.parse([text, claim])
    _, _, _, rows = rules.rule_rows([docs[0]], [docs[1]])
    got = dict(zip(RULE_FEATURES, rows[0], strict=True))
    assert (got["refute_near"], got["hedge_near"]) == (refute_near, hedge_near)
    assert got["claim_refute_cue"] == 0.0


def test_feature_matrix_absdiff_block_and_width():
    from claimgraph.claims.stance import RULE_FEATURES, feature_matrix

    u = np.array([[0.6, 0.8]])
    v = np.array([[1.0, 0.0]])
    rules_row = np.zeros((1, len(RULE_FEATURES)))
    x = feature_matrix(rules_row, [set()], u, v, [], ["absdiff", "cos"])
    np.testing.assert_allclose(x, [[0.4, 0.8, 0.6]])
    blocks = ["rules", "emb", "prod", "absdiff", "cos"]
    width = len(RULE_FEATURES) + 3 * 2 + 1
    model = LinearModel(
        [AFFIRM, DENY, REPORT],
        [],
        blocks,
        np.zeros(width),
        np.ones(width),
        np.zeros((3, width)),
        np.zeros(3),
    )
    assert model.emb_dim == 2
