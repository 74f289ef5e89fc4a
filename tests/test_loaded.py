"""The default-path loaded-language and name-calling taggers (claimgraph.extract.loaded): the
decoding plumbing on a hand-made model, the shipped model on sentences of news copy, and the
seeds' own framing in the outlets' voice."""

from __future__ import annotations

import numpy as np
import pytest

from claimgraph.extract.cues import extract_cues
from claimgraph.extract.loaded import (
    LoadedModel,
    Pieces,
    PieceTagger,
    load_model,
    loaded_cues,
    piece_means,
)
from claimgraph.extract.propaganda import LOADED, NAME_CALLING, Hasher
from claimgraph.extract.records import Statement


def test_piece_means_average_each_words_pieces():
    scores = np.array([0.0, 1.0, 2.0, 4.0])
    assert piece_means(scores, [[1], [2, 3], []]).tolist() == [1.0, 3.0, 0.0]


def _one_word_model(word: str, pieces: Pieces) -> LoadedModel:
    """A model whose Loaded_Language tagger fires on `word` alone: its pieces score +20,
    everything else -10 (the bias)."""
    (ids,) = pieces.ids([word])
    piece = np.zeros(30522)
    piece[ids] = 30.0
    tagger = PieceTagger(
        weights=np.zeros(1 << 10), piece=piece, bias=-10.0, threshold=0.5, seed=0.0, gap=0, trim=0.0
    )
    return LoadedModel(bits=10, taggers={LOADED: tagger})


def test_spans_are_the_words_the_taggers_fire_on(nlp):
    pieces = Pieces()
    model = _one_word_model("outrageous", pieces)
    text = "The ministry called the plan outrageous and, frankly, outrageous again."
    doc = nlp(text)
    spans = model.spans(doc, pieces)
    assert [(text[s:e], t) for s, e, t in spans] == [("outrageous", LOADED)] * 2
    st = Statement(kind="indirect", start=0, end=text.index(" and"), text="", speaker="X")
    cues = loaded_cues(doc, [st], model=model)
    assert [(c.type, c.voice, c.technique) for c in cues] == [
        ("loaded_language", "speaker", LOADED),
        ("loaded_language", "outlet", LOADED),
    ]


def test_hashed_features_count_too(nlp):
    """The hashed parse features score as well as the pieces: a weight on the word feature."""
    h = Hasher(10)
    weights = np.zeros(1 << 10)
    weights[h(["w=thugs"])[0]] = 30.0
    tagger = PieceTagger(weights, np.zeros(30522), -10.0, 0.5, 0.0, 0, 0.0)
    model = LoadedModel(bits=10, taggers={NAME_CALLING: tagger})
    text = "Police said the thugs fled."
    assert [(text[s:e], t) for s, e, t in model.spans(nlp(text))] == [("thugs", NAME_CALLING)]


# -- the shipped model --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The regime carried out a brutal, barbaric massacre of innocent villagers.", "brutal"),
        ("Critics called the senator a traitor and a liar.", "traitor"),
        ("The so-called experts are radical extremists bent on destroying the country.", "radical"),
    ],
    ids=["brutal-massacre", "traitor-liar", "radical-extremists"],
)
def test_shipped_model_finds_loaded_words(nlp, text, words):
    spans = load_model().spans(nlp(text))
    assert any(words in text[s:e] for s, e, _ in spans), spans


@pytest.mark.parametrize(
    "text",
    [
        "The council met on Tuesday to discuss the budget for next year.",
        "The report was published in March and runs to 40 pages.",
    ],
)
def test_shipped_model_is_quiet_on_plain_copy(nlp, text):
    assert load_model().spans(nlp(text)) == []


def test_default_cues_include_the_learned_ones_unless_turned_off(nlp):
    doc = nlp("Critics called the senator a traitor and a liar.")
    assert {c.type for c in extract_cues(doc)} & {"loaded_language", "name_calling"}
    assert not {c.type for c in extract_cues(doc, learned=False)} & {"loaded_language"}


LOADED_TYPES = ("loaded_language", "loaded_label", "name_calling")


def _seed_cues(nlp, seeds_dir, prefix):
    from claimgraph.extract.statements import extract_statements

    (path,) = seeds_dir.glob(f"{prefix}_*.txt")
    doc = nlp(path.read_text(encoding="utf-8"))
    return extract_cues(doc, statements=extract_statements(doc))


@pytest.mark.seeds
@pytest.mark.parametrize(
    "words",
    ["Widely-Criticized", "echoed some of Beijing’s talking points", "relayed without skepticism"],
)
def test_seeds_cnsnews_own_loaded_words_in_its_voice(nlp, seeds_dir, words):
    hits = [c for c in _seed_cues(nlp, seeds_dir, "004") if c.text == words]
    assert [(c.type in LOADED_TYPES, c.voice) for c in hits] == [(True, "outlet")]


@pytest.mark.seeds
def test_seeds_presstv_takfiri_outfits_is_its_own_name_calling(nlp, seeds_dir):
    """ "China rejects claims …, saying it has been taking anti-terrorism measures against
    separatists … who are seeking to join Takfiri outfits": a whole state's position in
    unquoted words, so Press TV's wording; China's own words would be in quotation marks."""
    hits = [c for c in _seed_cues(nlp, seeds_dir, "001") if c.text == "Takfiri outfits"]
    assert [(c.type, c.voice) for c in hits] == [("name_calling", "outlet")]
