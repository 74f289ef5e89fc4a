"""The spaCy component: registered by decorator and by entry point, sets doc._.statements."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import claimgraph.extract.components  # noqa: F401  (registers the factory)
from claimgraph.extract import extract_statements


@pytest.fixture(scope="module")
def pipeline():
    import spacy

    from claimgraph.extract.run import MODEL

    nlp = spacy.load(MODEL)
    nlp.add_pipe("claimgraph_statements")
    return nlp


def test_factory_is_registered() -> None:
    assert Language.has_factory("claimgraph_statements")
    assert Doc.has_extension("statements")


def test_component_sets_statements(pipeline) -> None:
    text = "“Xinjiang enjoys stability,” Wang said. Blinken said the camps must close."
    doc = pipeline(text)
    assert doc._.statements == extract_statements(doc)
    assert [s.speaker for s in doc._.statements] == ["Wang", "Blinken"]


def test_component_takes_the_statement_model_threshold_from_its_config() -> None:
    import spacy

    from claimgraph.extract.run import MODEL

    text = "Bill Clinton wanted to show consistency. Blinken said the camps must close."
    every = spacy.load(MODEL)
    every.add_pipe("claimgraph_statements", config={"min_confidence": 0})
    default = spacy.load(MODEL)
    default.add_pipe("claimgraph_statements")
    assert [s.cue for s in every(text)._.statements] == ["wanted", "show", "said"]
    assert [s.cue for s in default(text)._.statements] == ["wanted", "said"]


def test_component_with_pipe_as_tuples(pipeline) -> None:
    items = [("“We will win,” she said.", "a1"), ("No speech here.", "a2")]
    out = {key: doc._.statements for doc, key in pipeline.pipe(items, as_tuples=True)}
    assert len(out["a1"]) == 1 and out["a1"][0].kind == "direct"
    assert out["a2"] == []


def test_importing_twice_declares_extension_once() -> None:
    import importlib

    importlib.reload(claimgraph.extract.components)
    assert Doc.has_extension("statements")
