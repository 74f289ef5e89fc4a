"""The propaganda-technique extractor: the shipped model loads, decodes token scores into
character spans, and marks blatant loaded language while leaving neutral copy alone."""

from __future__ import annotations

import json

import numpy as np
import pytest

from claimgraph.extract.propaganda import (
    MODEL_PATH,
    N_AGG,
    PROPAGANDA,
    TECHNIQUES,
    MiniLMEncoder,
    TokenArrays,
    adjust,
    combine_spans,
    decode_spans,
    decode_weights,
    encode_weights,
    extract_propaganda,
    feature_index,
    load_model,
    sentence_aggregates,
    trim_run,
)
from claimgraph.extract.run import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_model_is_small_json_with_all_techniques():
    assert MODEL_PATH.stat().st_size < 5_000_000
    data = json.loads(MODEL_PATH.read_text())
    assert set(data["taggers"]) == {"span", "Loaded_Language", "Name_Calling,Labeling"}
    model = load_model()
    assert set(model.classes) == set(TECHNIQUES)
    assert model.span_weights.shape == (len(TECHNIQUES), 1 << model.span_bits)
    # the sentence model: tagger aggregates + a 384-d MiniLM embedding per sentence
    assert model.sentence is not None and model.sentence.weights.shape == (N_AGG + 384,)
    for tagger in model.taggers.values():  # each tagger also reads the MiniLM token vectors
        assert tagger.dense is not None and tagger.dense.shape == (384,)
    assert model.combine in ("union", "nested")


def test_weights_round_trip_as_float16():
    w = np.array([0.5, -1.25, 0.0, 3.0], dtype=np.float32)
    assert np.array_equal(decode_weights(encode_weights(w), (4,)), w)


def test_feature_hash_is_stable():
    # crc32, not Python's salted hash(): the bucket the shipped weights were trained with
    assert feature_index("w=evil", 18) == 200355
    assert feature_index("w=good", 18) == 29027


def _arrays(starts, ends, sent, punct=None):
    n = len(starts)
    return TokenArrays(
        starts=np.array(starts),
        ends=np.array(ends),
        sent=np.array(sent),
        punct=np.zeros(n, dtype=bool) if punct is None else np.array(punct),
    )


@pytest.mark.parametrize(
    ("proba", "gap", "sent", "punct", "expected"),
    [
        pytest.param([0.9, 0.9, 0.1, 0.1, 0.9], 0, None, None, [(0, 9), (20, 24)], id="two-runs"),
        pytest.param([0.9, 0.1, 0.9, 0.1, 0.1], 1, None, None, [(0, 14)], id="gap-closed"),
        pytest.param(
            [0.9, 0.1, 0.1, 0.9, 0.1], 1, None, None, [(0, 4), (15, 19)], id="gap-too-wide"
        ),
        pytest.param(
            [0.9, 0.9, 0.1, 0.1, 0.1],
            3,
            [0, 1, 1, 1, 1],
            None,
            [(0, 4), (5, 9)],
            id="sentence-edge",
        ),
        pytest.param(
            [0.9, 0.9, 0.1, 0.1, 0.1],
            0,
            None,
            [False, True, False, False, False],
            [(0, 4)],
            id="punctuation-never-an-edge",
        ),
        pytest.param([0.1] * 5, 2, None, None, [], id="nothing-above-threshold"),
    ],
)
def test_decode_spans(proba, gap, sent, punct, expected):
    # five 4-character tokens at 0, 5, 10, 15, 20
    arr = _arrays([0, 5, 10, 15, 20], [4, 9, 14, 19, 24], sent or [0] * 5, punct)
    assert decode_spans(arr, np.array(proba), 0.5, gap) == expected


def test_minilm_encoder_gives_token_and_sentence_vectors(nlp):
    from claimgraph.embedding.minilm import Embedder

    doc = nlp("These cowardly traitors lie. The meeting is at 10 a.m. on Tuesday.")
    sent_vec, tok_vec = MiniLMEncoder().encode_doc(doc)
    assert sent_vec.shape == (2, 384) and tok_vec.shape == (len(doc), 384)
    # every token has a vector (all lie inside the 256-piece window)
    assert (np.abs(tok_vec).sum(axis=1) > 0).all()
    # the sentence vectors are the model card's embeddings, as claimgraph.embedding.minilm gives them
    ref = Embedder(threads=1).encode([s.text.strip() for s in doc.sents])
    assert (ref * sent_vec).sum(axis=1) == pytest.approx([1.0, 1.0], abs=1e-3)
    # contextual: the same word in two sentences gets two vectors
    two = nlp("They lie. I lie down on the bed.")
    _, tv = MiniLMEncoder().encode_doc(two)
    lies = [t.i for t in two if t.text == "lie"]
    assert not np.allclose(tv[lies[0]], tv[lies[1]])


def test_every_minilm_loader_checks_the_model_hash_and_thread_settings(nlp, tmp_path, monkeypatch):
    from claimgraph.embedding import minilm
    from claimgraph.errors import ModelError

    onnx, tok = minilm.model_files()
    tampered = tmp_path / "model.onnx"
    data = bytearray(onnx.read_bytes())
    data[-1] ^= 1  # one bit of the last weight: still a loadable graph
    tampered.write_bytes(bytes(data))
    monkeypatch.setattr(minilm, "model_files", lambda: (tampered, tok))
    minilm._verified_model.cache_clear()
    try:
        with pytest.raises(ModelError, match="does not match its sha256"):
            MiniLMEncoder().encode_doc(nlp("They lie."))
        with pytest.raises(ModelError, match="does not match its sha256"):
            minilm.Embedder().encode(["They lie."])
    finally:
        minilm._verified_model.cache_clear()
    # one place decides the threads: an explicit count, else the environment, else the default
    monkeypatch.setenv("CLAIMGRAPH_EMBED_THREADS", "3")
    assert MiniLMEncoder().threads == minilm.Embedder().threads == 3
    assert MiniLMEncoder(threads=1).threads == 1
    monkeypatch.delenv("CLAIMGRAPH_EMBED_THREADS")
    assert MiniLMEncoder().threads == minilm.EXTRACT_THREADS
    assert minilm.Embedder().threads == minilm.LINK_THREADS


def test_decode_spans_seed_drops_runs_without_a_strong_token():
    # runs (0-1) peak at 0.9, (3-4) at 0.4: with seed 0.5 only the first survives
    arr = _arrays([0, 5, 10, 15, 20], [4, 9, 14, 19, 24], [0] * 5)
    proba = np.array([0.9, 0.3, 0.1, 0.4, 0.3])
    assert decode_spans(arr, proba, 0.25, 0) == [(0, 9), (15, 24)]
    assert decode_spans(arr, proba, 0.25, 0, seed=0.5) == [(0, 9)]


@pytest.mark.parametrize(
    ("proba", "punct", "ratio", "expected"),
    [
        # peak 0.8, cut 0.32: the weak 0.1 and 0.2 edges go, the inner 0.1 stays
        pytest.param([0.1, 0.2, 0.8, 0.1, 0.5, 0.2], None, 0.4, (2, 4), id="weak-edges-cut"),
        pytest.param([0.1, 0.2, 0.8, 0.1, 0.5, 0.2], None, 0.1, (0, 5), id="low-ratio-keeps-all"),
        # a strong token behind punctuation: the punctuation edge still goes
        pytest.param([0.9, 0.9, 0.9], [True, False, False], 0.5, (1, 2), id="punctuation-edge"),
        # every token weak but the peak: the run shrinks to the peak, never to nothing
        pytest.param([0.1, 0.9, 0.1], None, 0.5, (1, 1), id="down-to-the-peak"),
    ],
)
def test_trim_run(proba, punct, ratio, expected):
    n = len(proba)
    mask = np.zeros(n, dtype=bool) if punct is None else np.array(punct)
    assert trim_run(np.array(proba), mask, 0, n - 1, ratio) == expected


def test_decode_spans_trim_pulls_in_weak_edges():
    # "They said the cowardly traitors lie": one run over 0.1; trim 0.5 of the 0.8 peak
    # keeps "cowardly traitors" (0.8, 0.6) and drops "They said the" and "lie"
    words = ["They", "said", "the", "cowardly", "traitors", "lie"]
    starts = [0, 5, 10, 14, 23, 32]
    arr = _arrays(starts, [s + len(w) for s, w in zip(starts, words, strict=True)], [0] * 6)
    proba = np.array([0.2, 0.3, 0.2, 0.8, 0.6, 0.2])
    assert decode_spans(arr, proba, 0.1, 0) == [(0, 35)]
    assert decode_spans(arr, proba, 0.1, 0, trim=0.5) == [(14, 31)]
    assert decode_spans(arr, proba, 0.1, 0, trim=0.0) == decode_spans(arr, proba, 0.1, 0)


def test_adjust_weights_and_gates_by_sentence_probability():
    raw = np.array([0.2, 0.2, 0.2])
    sent_p = np.array([0.6, 0.3, 0.1])  # per token
    # weight 1, base 0.3: x2, x1, x(1/3); gate 0.2 zeroes the last
    out = adjust(raw, sent_p, 0.0, 1.0, 1.0, 0.2, 0.3)
    assert out == pytest.approx([0.4, 0.2, 0.0])
    assert adjust(raw, sent_p, 0.0, 1.0, 0.0, 0.0) == pytest.approx(raw)  # no sentence effect
    # no sentence model: the article prior (gamma 0 leaves the scores alone)
    assert adjust(raw, None, 0.0, 1.0, 1.0, 0.2) is raw


def test_sentence_aggregates_per_sentence():
    raw = np.array([0.1, 0.5, 0.3, 0.05, 0.05])
    agg = sentence_aggregates(raw, np.array([0, 0, 0, 1, 1]))
    assert agg.shape == (2, N_AGG)
    # sentence 0: max .5, top-3 mean .3, mean .3, 3 tokens, article mean .2, share over .2 = 2/3
    assert agg[0, :6] == pytest.approx([0.5, 0.3, 0.3, np.log(3), 0.2, 2 / 3])
    assert agg[1, :6] == pytest.approx([0.05, 0.05, 0.05, np.log(2), 0.2, 0.0])
    assert agg[0, 6] == pytest.approx(np.log(0.5 + 1e-4))


@pytest.mark.parametrize(
    ("mode", "tech", "rest"),
    [
        # union: both lexical spans kept; the span fully covered by (10, 20) is dropped
        ("union", [(10, 20, "Loaded_Language"), (50, 55, "Name_Calling,Labeling")], [(0, 8)]),
        # nested: lexical spans only inside span-tagger spans, clipped to them
        ("nested", [(12, 18, "Loaded_Language")], [(0, 8)]),
    ],
)
def test_combine_spans(mode, tech, rest):
    span_spans = [(0, 8), (12, 18)]
    lexical = {"Loaded_Language": [(10, 20)], "Name_Calling,Labeling": [(50, 55)]}
    got_tech, got_rest = combine_spans(span_spans, lexical, mode)
    assert sorted(got_tech) == tech
    assert got_rest == rest


@pytest.mark.parametrize(
    ("text", "loaded_word"),
    [
        # stacked insults and alarm words of the opinion-column kind PTC annotates
        (
            "The corrupt, treasonous elites are destroying our great nation with their evil, "
            "disgusting lies.",
            "treasonous",
        ),
        ("This disgraceful, despicable traitor is a lying coward and a total disaster.", "coward"),
    ],
)
def test_blatant_loaded_language_is_marked(nlp, text, loaded_word):
    cues = extract_propaganda(nlp(text))
    assert cues
    for cue in cues:
        assert cue.type == PROPAGANDA and cue.technique in TECHNIQUES
        assert 0 <= cue.start < cue.end <= len(text) and text[cue.start : cue.end] == cue.text
    loaded = [c for c in cues if c.technique == "Loaded_Language"]
    assert any(loaded_word in c.text for c in loaded)


@pytest.mark.parametrize(
    "text",
    [
        # plain statistics copy, the kind of sentence that carries no technique
        "The company reported revenue of 4.2 billion dollars in the third quarter of 2019.",
        "The meeting is scheduled for 10 a.m. on Tuesday at the city hall on Main Street.",
    ],
)
def test_neutral_numbers_sentence_gives_nothing(nlp, text):
    assert extract_propaganda(nlp(text)) == []


def test_analyze_propaganda_flag_stores_technique_cues(tmp_path):
    """`analyze --propaganda` stores technique-tagged cues (linked to the statement they sit in);
    without the flag there are none."""
    from conftest import invoke_cli

    art = tmp_path / "a.txt"
    art.write_text(
        "The spokesman said the report was a pack of vicious lies spread by anti-China forces "
        'bent on smearing the nation. "These cowardly traitors will never succeed," he said.\n',
        encoding="utf-8",
    )
    plain, tagged = tmp_path / "plain.db", tmp_path / "tagged.db"
    assert invoke_cli("analyze", str(art), "--db", str(plain), "-q").returncode == 0
    r = invoke_cli("analyze", str(art), "--db", str(tagged), "-q", "--propaganda")
    assert r.returncode == 0, r.stderr

    def cues(db):
        out = invoke_cli("export", "cues", "--db", str(db), "--format", "jsonl")
        assert out.returncode == 0, out.stderr
        return [json.loads(line) for line in out.stdout.splitlines() if line.strip()]

    assert not [c for c in cues(plain) if c["type"] == PROPAGANDA]
    prop = [c for c in cues(tagged) if c["type"] == PROPAGANDA]
    assert prop, "no propaganda cue on blatant name-calling"
    text = art.read_text(encoding="utf-8")
    for c in prop:
        assert c["technique"] in TECHNIQUES
        assert text[c["start"] : c["end"]] == c["text"]
    assert any(c["statement_id"] for c in prop), "cues inside the quote belong to its statement"
