"""Train the default-path loaded-language and name-calling taggers on PTC and ship them as JSON.

    python scripts/train_loaded.py [--data ../shared/evaldata/ptc] [--cache FILE]
                                   [--out src/claimgraph/data/loaded_model.json]

Reads only the training part of ``src/claimgraph/data/ptc_split.json`` (the held-out part and
SemEval-2020 Task 11's dev and test sets are judges, never read here). For each technique
(Loaded_Language, Name_Calling,Labeling): token labels from its gold spans; features are the
hashed parse features of `claimgraph.extract.propaganda.token_features` without the sentence's
bag of lemmas, plus the mean of the token's word pieces' L2-normalised rows of the static
MiniLM table (`claimgraph.embedding.static`, first ``--dim`` components); a logistic regression
by SGD (seeded, averaged); the regularisation and the decoding (threshold, seed, gap, edge
trim) chosen by 3-fold cross-validation over articles for the technique's own partial-overlap
span F1, out of fold. The final model is fitted on the whole training part; its dense weights
are folded into one score per word piece (see `claimgraph.extract.loaded`). Deterministic.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402

from claimgraph.eval.ptc import load, merge, overlap_prf  # noqa: E402
from claimgraph.extract.loaded import Pieces  # noqa: E402
from claimgraph.extract.propaganda import (  # noqa: E402
    LOADED,
    NAME_CALLING,
    Hasher,
    TokenArrays,
    decode_spans,
    drop_sentence_bag,
    encode_weights,
    token_features,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = 20200911
BITS = 18
ALPHAS = (1e-5, 3e-5)
THRESHOLDS = (0.02, 0.03, 0.05, 0.07, 0.1, 0.15, 0.2)
SEEDS = (0.0, 0.2, 0.3, 0.4, 0.5)
GAPS = (0, 1, 4)
TRIMS = (0.0, 0.3)
TECHNIQUES = (LOADED, NAME_CALLING)


def token_labels(arr: TokenArrays, spans: list[tuple[int, int]]) -> np.ndarray:
    y = np.zeros(len(arr.starts), dtype=np.int8)
    for s, e in spans:
        y[(arr.starts < e) & (arr.ends > s)] = 1
    return y


def matrix(rows: list[list[int]], dense: np.ndarray) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    idx = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    hashed = sp.csr_matrix(
        (np.ones(len(idx), dtype=np.float32), idx, indptr), shape=(len(rows), 1 << BITS)
    )
    hashed.sum_duplicates()
    return sp.hstack([hashed, sp.csr_matrix(dense)]).tocsr()


def fit(x: sp.csr_matrix, y: np.ndarray, alpha: float) -> SGDClassifier:
    clf = SGDClassifier(
        loss="log_loss", alpha=alpha, max_iter=15, tol=None, average=True, random_state=SEED
    )
    clf.fit(x, y)
    return clf


def decoding(arrays, oof, gold) -> dict:
    best: dict = {"f1": -1.0}
    for thr, seed, gap, trim in itertools.product(THRESHOLDS, SEEDS, GAPS, TRIMS):
        if 0 < seed <= thr:
            continue
        pred = {i: decode_spans(arrays[i], oof[i], thr, gap, seed, trim) for i in oof}
        r = overlap_prf(pred, gold)
        if r["f1"] > best["f1"]:
            best = {"threshold": thr, "seed": seed, "gap": gap, "trim": trim, **r}
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "evaldata" / "ptc"))
    ap.add_argument("--split", default=str(ROOT / "src/claimgraph/data/ptc_split.json"))
    ap.add_argument("--out", default=str(ROOT / "src/claimgraph/data/loaded_model.json"))
    ap.add_argument("--cache", default=None, help="DocBin of the parsed training part")
    ap.add_argument("--dim", type=int, default=64)
    args = ap.parse_args()

    from spacy.tokens import DocBin

    from claimgraph.extract.run import load_pipeline
    from claimgraph.embedding.static import load_table

    split = json.loads(Path(args.split).read_text(encoding="utf-8"))
    arts = load(args.data, "train", ids=split["train"])
    nlp = load_pipeline()
    t0 = time.time()
    docs = None
    if args.cache and Path(args.cache).is_file():
        docs = list(DocBin().from_disk(args.cache).get_docs(nlp.vocab))
        if [d.text for d in docs] != [a.text for a in arts]:
            docs = None
    if docs is None:
        docs = list(nlp.pipe((a.text for a in arts), batch_size=16))
        if args.cache:
            DocBin(docs=docs, store_user_data=False).to_disk(args.cache)
    print(f"{len(docs)} articles parsed ({time.time() - t0:.0f}s)", file=sys.stderr)

    table = load_table()[:, : args.dim].astype(np.float64)
    norms = np.linalg.norm(table, axis=1, keepdims=True)
    unit = np.divide(table, norms, out=np.zeros_like(table), where=norms > 0)
    pieces = Pieces()
    hasher = Hasher(BITS)
    rows, dense, arrays = {}, {}, {}
    for a, d in zip(arts, docs, strict=True):
        rows[a.id] = [hasher(drop_sentence_bag(f)) for f in token_features(d)]
        ids = pieces.ids([t.text for t in d])
        dense[a.id] = np.array(
            [unit[i].mean(axis=0) if i else np.zeros(args.dim) for i in ids], dtype=np.float32
        ).reshape(len(d), args.dim)
        arrays[a.id] = TokenArrays.from_doc(d)
    ids_all = [a.id for a in arts]
    folds = [ids_all[k::3] for k in range(3)]

    def x_of(idl: list[str]) -> sp.csr_matrix:
        return matrix([r for i in idl for r in rows[i]], np.vstack([dense[i] for i in idl]))

    model: dict = {"bits": BITS, "dim": args.dim, "n_pieces": int(unit.shape[0]), "taggers": {}}
    for tech in TECHNIQUES:
        gold = {a.id: merge((s, e) for s, e, t in a.tc if t == tech) for a in arts}
        y = {i: token_labels(arrays[i], gold[i]) for i in ids_all}
        best: dict = {"f1": -1.0}
        for alpha in ALPHAS:
            oof = {}
            for k in range(3):
                held = set(folds[k])
                tr = [i for i in ids_all if i not in held]
                clf = fit(x_of(tr), np.concatenate([y[i] for i in tr]), alpha)
                for i in folds[k]:
                    oof[i] = clf.predict_proba(x_of([i]))[:, 1]
            got = decoding(arrays, oof, gold)
            print(f"{tech} alpha {alpha}: CV F1 {got['f1']:.3f} {got}", file=sys.stderr)
            if got["f1"] > best["f1"]:
                best = {**got, "alpha": alpha}
        clf = fit(x_of(ids_all), np.concatenate([y[i] for i in ids_all]), best["alpha"])
        w = clf.coef_[0]
        model["taggers"][tech] = {
            "weights": encode_weights(w[: 1 << BITS]),
            "piece": encode_weights(unit @ w[1 << BITS :]),
            "bias": float(clf.intercept_[0]),
            **{k: best[k] for k in ("threshold", "seed", "gap", "trim")},
            "cv": {k: round(float(best[k]), 4) for k in ("f1", "precision", "recall")},
            "alpha": best["alpha"],
        }
    Path(args.out).write_text(json.dumps(model) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({time.time() - t0:.0f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
