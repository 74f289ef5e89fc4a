"""The faster attribute ruler and lemmatizer (claimgraph.extract.fastpipe) against spaCy's own:
the same pipeline loaded stock is the oracle, token attribute for token attribute."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IS_SPACE,
    LEMMA,
    MORPH,
    NORM,
    ORTH,
    POS,
    SENT_START,
    TAG,
)

from claimgraph.extract.fastpipe import FastAttributeRuler, FastEnglishLemmatizer, speed_up
from claimgraph.extract.run import MODEL, load_pipeline
from conftest import CORPUS, EVALDATA, SEEDS

ATTRS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START, ENT_IOB, ENT_TYPE, NORM, IS_SPACE]

# Where the ruler's two-token patterns and its dependency-, whitespace- and regex-conditioned
# ones fire ("gon na", "y' all", "ai n't", "let 's", expletive "there is", a space token
# inside a sentence, "nothin'"), and tokens whose lemmas come from the ruler rather than the
# lemmatizer ("is", "'re", "got").
EDGES = [
    "We're gonna win this, y'all, and there is nothing they can do.",
    "It ain't over. Let's see what they got: nothin' at all.",
    "C'mon  ,  he said   \n\n  \"I'm not gonna resign,\" but it gets worse; you got ta admit it.",
    "There are those who say it's over. Whether or not that's so, I'd say they did have a case.",
    "That which was promised was not delivered, and that's that.",
]


def _texts() -> list[str]:
    texts = list(EDGES)
    for folder in (SEEDS, CORPUS):
        if folder.is_dir():
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    polnear = EVALDATA / "polnear" / "data" / "dev" / "text"
    if polnear.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(polnear.iterdir())[:25]]
    return texts


def _same(stock_docs: list, fast_docs: list) -> list[int]:
    """Indices of the docs whose annotations differ."""
    bad = []
    for i, (a, b) in enumerate(zip(stock_docs, fast_docs, strict=True)):
        same = np.array_equal(a.to_array(ATTRS), b.to_array(ATTRS)) and [
            (t.lemma_, t.pos_, str(t.morph)) for t in a
        ] == [(t.lemma_, t.pos_, str(t.morph)) for t in b]
        if not same:
            bad.append(i)
    return bad


@pytest.fixture(scope="module")
def stock():
    return spacy.load(MODEL)


def test_claimgraph_pipeline_uses_the_faster_components(nlp) -> None:
    assert type(nlp.get_pipe("attribute_ruler")) is FastAttributeRuler
    assert type(nlp.get_pipe("lemmatizer")) is FastEnglishLemmatizer
    assert nlp is load_pipeline()


def test_same_annotations_as_spacy_on_real_articles(nlp, stock) -> None:
    texts = _texts()
    assert len(texts) > len(EDGES)  # at least the bundled corpus is there
    stock_docs = list(stock.pipe(texts, batch_size=8))
    fast_docs = list(nlp.pipe(texts, batch_size=8))
    assert _same(stock_docs, fast_docs) == []
    # the edge sentences do reach the two-token patterns (else this would prove little)
    lemmas = {t.lemma_ for d in fast_docs[: len(EDGES)] for t in d}
    assert {"go", "you", "be", "us", "nothing"} <= lemmas


def test_patterns_added_later_and_unsupported_ones_match_spacy() -> None:
    text = EDGES[1] + " The dam was built on the river in 2019."
    stock, fast = spacy.load(MODEL), speed_up(spacy.load(MODEL))
    fast(text)  # compiled once before the patterns below exist
    for nlp in (stock, fast):
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.add([[{"LOWER": "dam"}]], {"POS": "PROPN", "LEMMA": "Dam"})
    assert _same([stock(text)], [fast(text)]) == []
    assert [t.pos_ for t in fast(text) if t.lower_ == "dam"] == ["PROPN"]
    # a pattern on an attribute the fast ruler does not read: spaCy's matcher runs instead
    for nlp in (stock, fast):
        nlp.get_pipe("attribute_ruler").add([[{"ORTH": "river"}]], {"POS": "PROPN"})
    assert _same([stock(text)], [fast(text)]) == []
    assert fast.get_pipe("attribute_ruler")._compiled() is None
    assert [t.pos_ for t in fast(text) if t.text == "river"] == ["PROPN"]


def test_model_files_are_the_stock_ones(nlp) -> None:
    """Only the classes change: the weights and the pipeline's order are spaCy's."""
    stock_nlp = spacy.load(MODEL)
    assert nlp.pipe_names == stock_nlp.pipe_names
    assert (nlp.meta["name"], nlp.meta["version"]) == (
        stock_nlp.meta["name"],
        stock_nlp.meta["version"],
    )
    assert (
        nlp.get_pipe("attribute_ruler").patterns == stock_nlp.get_pipe("attribute_ruler").patterns
    )
