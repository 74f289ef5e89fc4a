"""The statement model (`claimgraph.extract.confidence`): its features, its arithmetic, the
shipped file, and `extract_statements` dropping what it finds unlikely."""

from __future__ import annotations

import dataclasses
import math

import pytest

from claimgraph.errors import ModelError
from claimgraph.extract import verbs
from claimgraph.extract.confidence import WEIGHED_KINDS, StatementModel, features, shipped_model
from claimgraph.extract.statements import extract_statements


def test_features_read_the_cue_its_frame_and_its_subject(nlp):
    doc = nlp("Wang Wenbin said on Monday that the camps were schools.")
    (st,) = extract_statements(doc, min_confidence=0)
    f = features(doc, st)
    for key in ("lem=say", "fr=ccomp", "lf=say|ccomp", "subjent=PERSON", "kind=indirect"):
        assert f.get(key) == 1.0, key
    assert f["spk=yes"] == 1.0 and f["quote"] == 0.0 and f["prep=on"] == 1.0
    assert "nocue" not in f and "neg" not in f


def test_a_negated_cue_and_a_quote_mark_are_features(nlp):
    doc = nlp('Wang did not say that "the camps were schools."')
    (st,) = extract_statements(doc, min_confidence=0)
    f = features(doc, st)
    assert f["neg"] == 1.0 and f["quote"] == 1.0 and f["aux=did"] == 1.0


def test_probability_is_the_logistic_of_the_weighted_sum():
    model = StatementModel({"a": 2.0, "b": -1.0}, intercept=-0.5, threshold=0.3, meta={})
    assert model.probability({"a": 1.0, "b": 1.0, "unseen": 1.0}) == pytest.approx(
        1 / (1 + math.exp(-0.5))
    )
    assert model.probability({}) == pytest.approx(1 / (1 + math.exp(0.5)))
    assert model.probability({"b": 1000.0}) == 0.0  # no overflow
    again = StatementModel.from_json(model.to_json())
    assert again == model


@pytest.mark.parametrize("broken", [{}, {"weights": [], "intercept": 0, "threshold": 0.3}])
def test_a_malformed_model_is_a_clear_error(broken):
    with pytest.raises(ModelError, match="statement model is malformed"):
        StatementModel.from_json(broken)


def test_the_shipped_model_says_how_it_was_made():
    model = shipped_model()
    assert model is not None
    assert 0 < model.threshold < 1 and len(model.weights) > 100
    assert model.meta["command"] == "python scripts/train_statements.py"
    assert model.meta["cv_f1_at_0.3"] > model.meta["cv_f1_at_0.3_without_model"]


def test_extract_statements_drops_what_the_model_finds_unlikely(nlp):
    doc = nlp(
        "Bill Clinton wanted to show consistency. Wang Wenbin said that the test was a provocation."
    )
    everything = extract_statements(doc, min_confidence=0)
    assert {st.cue for st in everything} == {"wanted", "show", "said"}
    kept = extract_statements(doc)
    # "show" is no saying here; a wish is an attributed position, as PolNeAR marks it
    assert [st.cue for st in kept] == ["wanted", "said"]
    assert kept[0].speaker == "Bill Clinton" and kept[0].text == "to show consistency"
    assert kept[1].speaker == "Wang Wenbin" and "provocation" in kept[1].text
    assert extract_statements(doc, min_confidence=1.01) == []


def test_quoted_words_given_to_a_speaker_are_kept_whatever_the_model_says(nlp):
    doc = nlp("Officials toured what Blinken once called “internment camps” last year.")
    (st,) = extract_statements(doc, min_confidence=0)
    assert st.kind == "partial" and st.speaker == "Blinken"
    assert extract_statements(doc) == [st]
    # kept however sure the model would have to be: only reported speech is weighed
    assert extract_statements(doc, min_confidence=1.01) == [st]


def test_weighed_cues_are_mined_by_count_and_rate_outside_the_lexicon():
    counts = {
        ("zorble", "dobj"): [3, 10],  # marked 3 times in 10: in
        ("zorble", "xcomp"): [1, 20],  # too rare a cue in this frame
        ("flarp", "ccomp"): [2, 20],  # 10% of its uses
        ("re-do", "other"): [5, 5],  # not a word
        ("seem", "dobj"): [5, 5],  # appearance, never a statement
        ("say", "ccomp"): [99, 100],  # a cue on its own already
    }
    table = verbs.weighed_frames(counts, min_count=2, min_rate=0.2)
    assert table == {
        "ccomp": frozenset(),
        "xcomp": frozenset(),
        "dobj": frozenset({"zorble"}),
        "other": frozenset(),
    }
    assert verbs.weighed_frames(counts, min_count=1, min_rate=0.05)["xcomp"] == {"zorble"}


def test_a_weighed_cue_finds_a_statement_that_the_model_weighs(nlp):
    doc = nlp("Hillary Clinton wants to make tuition free for families.")
    model = shipped_model()
    assert model is not None and "want" in model.weighed_cues["xcomp"]
    lexicon = verbs.default_lexicon()
    assert "want" not in lexicon.frames["xcomp"]  # not a cue on its own
    (st,) = extract_statements(doc, min_confidence=0)
    assert (st.cue, st.speaker, st.text) == (
        "wants",
        "Hillary Clinton",
        "to make tuition free for families",
    )
    assert st.kind in WEIGHED_KINDS
    # training passes a lexicon of its own; the package's default is left as it was
    bare = lexicon.with_weighed({})
    assert extract_statements(doc, min_confidence=0, lexicon=bare) == []
    assert verbs.default_lexicon() is lexicon and "want" in lexicon.weighed["xcomp"]
    assert extract_statements(doc, min_confidence=0) == [st]


def test_a_verb_added_to_its_class_list_is_a_cue_of_that_class_and_the_lexicon_is_frozen(nlp):
    doc = nlp("The minister intoned that the dam was safe.")
    lexicon = verbs.default_lexicon()
    assert extract_statements(doc, min_confidence=0) == []  # "intone" is in no list
    more = dataclasses.replace(lexicon, assertive=lexicon.assertive | {"intone"})
    (st,) = extract_statements(doc, min_confidence=0, lexicon=more)
    assert (st.cue, st.cue_class, st.speaker_mention, st.text) == (
        "intoned",
        "assertive",
        "The minister",
        "that the dam was safe",
    )
    assert more.is_cue("intone", "ccomp") and not lexicon.is_cue("intone", "ccomp")
    with pytest.raises(dataclasses.FrozenInstanceError):
        lexicon.assertive = frozenset()  # type: ignore[misc]
    with pytest.raises(TypeError):
        lexicon.weighed["xcomp"] = frozenset()  # type: ignore[index]
    with pytest.raises(TypeError):
        lexicon.classes["intone"] = "neutral"  # type: ignore[index]


def test_a_dropped_clause_inside_an_attribution_neither_splits_the_quote_nor_takes_it(nlp):
    """The clause "a dozen towns held contests to choose party nominees" is a statement the
    rules find (the weighed cue "choose") and the model drops; gone before the quotes are
    joined, it leaves one quotation with the mayor's name (before: two quotes, the second given
    to "a dozen towns")."""
    doc = nlp(
        "“We will not give up,” Mayor Lena Varga told reporters on Tuesday, when a dozen towns "
        "held contests to choose party nominees. “The bridge will be built.”"
    )
    every = extract_statements(doc, min_confidence=0)
    clause = [st for st in every if st.text == "contests to choose party nominees"]
    assert [st.speaker_mention for st in clause] == ["a dozen towns"]
    (quote,) = extract_statements(doc)
    assert quote.kind == "direct" and quote.speaker_mention == "Mayor Lena Varga"
    assert quote.text.startswith("“We will not") and quote.text.endswith("will be built.”")


def test_a_statement_inside_the_attribution_stays_nested_in_the_joined_quote(nlp):
    doc = nlp(
        "“It was a good meeting,” the minister told reporters in Korva when asked if he had met "
        "the rebels, who hold the north. “They were very polite.”"
    )
    found = extract_statements(doc)
    quote = next(st for st in found if st.kind == "direct")
    assert quote.text.startswith("“It was a good") and quote.text.endswith("very polite.”")
    assert quote.speaker_mention == "the minister"
    inner = [st for st in found if st is not quote]
    assert [st.text for st in inner] == ["if he had met the rebels, who hold the north"]
    assert quote.start < inner[0].start and inner[0].end < quote.end


def test_a_weighed_cue_inside_another_statement_makes_no_statement_of_its_own(nlp):
    """ "end" is a weighed cue ("to end what she claimed to be …" is a statement the rules
    find); inside the mayor's call, cue and content, it is words of that call."""
    doc = nlp(
        "Mayor Lena Varga called on the council last week to end what she claimed to be the "
        "“ongoing neglect” of the river towns."
    )
    every = [(st.cue, st.text) for st in extract_statements(doc, min_confidence=0)]
    assert ("end", "what she claimed to be the “ongoing neglect” of the river towns") in every
    kept = [(st.cue, st.text) for st in extract_statements(doc)]
    assert (
        "called on",
        "to end what she claimed to be the “ongoing neglect” of the river towns",
    ) in kept
    assert ("claimed", "the “ongoing neglect” of the river towns") in kept  # a lexicon cue stays
    assert all(cue != "end" for cue, _ in kept)


def test_a_stance_put_into_words_is_kept_whatever_the_model_weighs(nlp, seeds_dir):
    # seed 004: "The U.S. and British governments also voiced concern." - the model puts it
    # under its threshold there; the stance is kept all the same
    (path,) = sorted(seeds_dir.glob("004_*.txt"))
    doc = nlp(path.read_text(encoding="utf-8"))
    (st,) = [s for s in extract_statements(doc, min_confidence=0) if s.cue == "voiced"]
    model = shipped_model()
    assert model is not None and model.probability(features(doc, st)) < model.threshold
    assert ("voiced", "concern") in [(s.cue, s.text) for s in extract_statements(doc)]
