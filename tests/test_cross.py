"""The shipped stance cross-encoder (claimgraph.claims.cross) and how the analyzer uses it."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from claimgraph.claims.cross import CrossEncoder, shipped_cross_encoder
from claimgraph.claims.stance import CROSS_WEIGHT, StanceAnalyzer, shipped_model
from claimgraph.errors import ModelError

CLAIM = "ISIS leader Abu Bakr al-Baghdadi was killed in an airstrike"


@pytest.fixture(scope="module")
def cross() -> CrossEncoder:
    enc = shipped_cross_encoder()
    assert enc is not None, "data/stance_cross.onnx is not shipped; run make train"
    return enc


def test_the_shipped_model_is_small_and_pinned(cross):
    assert cross.path.stat().st_size <= 30 * 1024 * 1024
    assert len(cross.meta["sha256"]) == 64 and cross.labels == ["affirm", "deny", "report"]


def test_probabilities_are_distributions_in_input_order(cross):
    texts = [
        "Pentagon denies ISIS leader was killed in airstrike",
        "ISIS leader al-Baghdadi killed in U.S. airstrike",
        "ISIS leader may have been killed in airstrike, unconfirmed reports say",
    ]
    probs = cross.predict_proba([CLAIM] * 3, texts)
    assert probs.shape == (3, 3)
    assert np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    # one at a time gives the same rows: batching and sorting by length do not mix them up
    single = np.vstack([cross.predict_proba([CLAIM], [t]) for t in texts])
    assert np.allclose(probs, single, atol=1e-5)


def test_it_tells_denial_assertion_and_hearsay_apart(cross):
    claim = "The mayor of Springfield resigned on Monday"
    texts = {
        "deny": "Springfield mayor has not resigned, his spokesman says",
        "affirm": "Springfield mayor resigns",
        "report": "Springfield mayor may resign, sources say",
    }
    probs = cross.predict_proba([claim] * 3, list(texts.values()))
    picked = [cross.labels[int(i)] for i in probs.argmax(axis=1)]
    assert picked == list(texts)


def test_a_model_that_does_not_match_its_hash_is_refused(cross, tmp_path):
    copy = tmp_path / "m.onnx"
    shutil.copyfile(cross.path, copy)
    with copy.open("r+b") as fh:  # flip one byte near the end
        fh.seek(-10, 2)
        b = fh.read(1)
        fh.seek(-10, 2)
        fh.write(bytes([b[0] ^ 0xFF]))
    bad = CrossEncoder(copy, dict(cross.meta))
    with pytest.raises(ModelError, match="sha256"):
        bad.predict_proba([CLAIM], ["anything"])


def test_the_analyzer_averages_both_classifiers(cross, nlp):
    texts = ["Reports say the ISIS leader was wounded, not killed", "Baghdadi killed, Iraq says"]
    claims = [CLAIM, CLAIM]
    both = StanceAnalyzer(nlp=nlp).predict(texts, claims)
    linear = StanceAnalyzer(nlp=nlp, cross=False).predict(texts, claims)
    pair = cross.predict_proba(claims, texts)
    labels = shipped_model().labels  # type: ignore[union-attr]
    for b, lin, p in zip(both, linear, pair, strict=True):
        assert b.probs is not None and lin.probs is not None
        want = {
            lab: (1 - CROSS_WEIGHT) * lin.probs[lab]
            + CROSS_WEIGHT * float(p[cross.labels.index(lab)])
            for lab in labels
        }
        assert b.probs == pytest.approx(want, abs=1e-5)


def test_the_static_encoder_runs_without_it(nlp):
    assert StanceAnalyzer(nlp=nlp, encoder="static").cross is None
    assert StanceAnalyzer(nlp=nlp).cross is not None


def test_meta_records_how_it_was_made(cross):
    meta = json.loads(cross.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["command"].startswith("python scripts/train_stance_cross.py")
    assert "Emergent" in meta["trained_on"] and meta["epochs"] >= 1
