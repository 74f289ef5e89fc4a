"""Train claimgraph's stance classifier on Emergent and FNC-1 and ship it as JSON.

    python scripts/train_stance.py                   # both shipped models (make train)
    python scripts/train_stance.py --embedder static [--out PATH]
    python scripts/train_stance.py --transfer        # the cross-dataset table, ships nothing

Data (`claimgraph.eval.stance_transfer`): Emergent's training split (headlines toward a claim)
for the shipped models; for the --transfer table also the FNC-1 training split's related pairs
whose topic is not one of Emergent's test claims (article bodies toward a headline, each body
reduced to its sentences closest to the headline). Emergent's test claims, and every FNC-1
pair on their topics, are never trained on: they are the held-out sets that --transfer and
`claimgraph eval emergent` score.

Features (see `claimgraph.claims.stance`): the parse rules' flags and cue counts (negation and
denial over the claim's words, refuting and hedging words near them, attribution, overlap), the
MiniLM embeddings of the text's and the claim's propositions (text, text * claim,
|text - claim|, cosine). What is embedded is each text's
proposition (`claimgraph.claims.clusters.proposition`), as the claim clustering embeds it, so the
link step embeds a unit once for both. The model is a multinomial logistic regression
(scikit-learn, lbfgs) on standardised features; its coefficients are written as JSON (no
pickle) and applied with numpy at run time.

Model selection: k-fold cross-validation grouped by topic (Emergent claim, FNC-1 topic) on the
training sets only, scored by the mean over the training sources of the macro-F1 of the
library's decision (the rules first, the classifier where they are silent). Deterministic: fixed
folds, lbfgs, no sampling.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import pickle
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from claimgraph.claims.stance import (  # noqa: E402
    LABELS,
    LinearModel,
    StanceAnalyzer,
    bow_tokens,
    decide,
    feature_matrix,
)
from claimgraph.eval.emergent import score  # noqa: E402
from claimgraph.eval.stance_transfer import DIRECTIONS, load_sets  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVALDATA = ROOT.parent / "shared" / "evaldata"
DEFAULT_OUT = {
    "minilm": ROOT / "src" / "claimgraph" / "data" / "stance_model.json",
    "static": ROOT / "src" / "claimgraph" / "data" / "stance_model_static.json",
}
# The shipped models learn from Emergent only. FNC-1's "discuss" is the outlet's voice (the body
# relays the headline's claim without taking it on); trained on it, the model also reads a
# speaker's own statement relayed with "what he claimed" as a report, where claimgraph gives
# the speaker's stance. FNC-1 is trained on in the --transfer table's directions.
SHIPPED_SETS = ("emergent-train",)
# Candidate feature sets: block -> weight. A block's standardised columns are multiplied by its
# weight, so a low weight regularises a wide block (384 embedding columns) harder than the
# rule features under one C.
EMB = {"emb": 0.03, "prod": 0.03, "absdiff": 0.03}
BLOCK_SETS = {
    "rules+cos": {"rules": 1.0, "cos": 1.0},
    "rules+cos+emb3/0.03": {"rules": 1.0, "cos": 1.0, **EMB},
}
CS = (0.1,)
CLASS_WEIGHTS = (None, "balanced")
FNC_WEIGHTS = (0.25, 1.0)  # FNC-1's total weight against Emergent's, when both are trained on
BLOCK_ORDER = ("rules", "bow", "emb", "prod", "absdiff", "cos")


def column_weights(weights, n_rules, vocab, emb_dim):
    """One weight per column, in `feature_matrix`'s block order."""
    width = {"rules": n_rules, "bow": len(vocab), "cos": 1}
    return np.concatenate(
        [np.full(width.get(b, emb_dim), weights[b]) for b in BLOCK_ORDER if b in weights]
    )


def featurize(pairs, analyzer):
    """Rule rows, words and proposition embeddings of (text, claim) pairs; each distinct text
    and claim is parsed and embedded once."""
    texts = sorted({p.text for p in pairs})
    claims = sorted({p.claim for p in pairs})
    doc_of = dict(zip(texts, analyzer.parse(texts), strict=True))
    cdoc_of = dict(zip(claims, analyzer.parse(claims), strict=True))
    pols, selfs, cpols, rules = analyzer.rule_rows(
        [doc_of[p.text] for p in pairs], [cdoc_of[p.claim] for p in pairs]
    )
    emb_t = analyzer.vectors([doc_of[t] for t in texts])
    emb_u = analyzer.vectors([cdoc_of[c] for c in claims])
    t_row = {t: i for i, t in enumerate(texts)}
    c_row = {c: i for i, c in enumerate(claims)}
    bow_of = {t: bow_tokens(doc_of[t]) for t in texts}
    return {
        "rules": rules,
        "bows": [bow_of[p.text] for p in pairs],
        "emb_t": emb_t[[t_row[p.text] for p in pairs]],
        "emb_c": emb_u[[c_row[p.claim] for p in pairs]],
        "pols": pols,
        "selfs": selfs,
        "cpols": cpols,
    }


def cached_features(args, analyzer, embedding_model):
    """The four sets and their features, cached in ``--cache`` (keyed by the inputs and the
    feature code) since parsing and embedding ~12,000 texts takes minutes."""
    sets = load_sets(args.emergent, args.fnc1, k=args.k)
    import importlib
    import inspect

    polarity, stance, claims, text = (
        importlib.import_module(f"claimgraph.{m}")
        for m in ("claims.polarity", "claims.stance", "claims.clusters", "claims.text")
    )

    src = (
        "".join(
            inspect.getsource(o)
            for o in (polarity, claims, stance.rule_features, stance._near, text.headline_case)
        ).encode()
        + repr(stance.RULE_FEATURES).encode()
    )
    key = hashlib.sha256(
        repr((sorted((n, len(v)) for n, v in sets.items()), args.k, embedding_model)).encode() + src
    ).hexdigest()[:16]
    path = args.cache / f"stance-features-{key}.pkl" if args.cache else None
    if path is not None and path.is_file():
        with path.open("rb") as fh:
            return sets, pickle.load(fh)
    feats = {}
    for name, pairs in sets.items():
        t0 = time.perf_counter()
        feats[name] = featurize(pairs, analyzer)
        print(f"  features of {name}: {len(pairs)} rows, {time.perf_counter() - t0:.0f} s")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(feats, fh)
    return sets, feats


def concat(sets, feats, names):
    """The rows of several sets as one (pairs, features)."""
    pairs = [p for n in names for p in sets[n]]
    out = {}
    for key in feats[names[0]]:
        parts = [feats[n][key] for n in names]
        out[key] = np.concatenate(parts) if isinstance(parts[0], np.ndarray) else sum(parts, [])
    return pairs, out


def build_vocab(bows, min_df):
    df = Counter(w for b in bows for w in b)
    return sorted(w for w, c in df.items() if c >= min_df)


def row_weights(pairs, fnc_weight=1.0):
    """Each scored item weighs 1 (an FNC-1 pair spans k sentence rows), and each source the
    same in all (FNC-1 has five times Emergent's items), FNC-1 times ``fnc_weight``."""
    per_item = Counter(p.item for p in pairs)
    items_of = Counter()
    for item in per_item:
        items_of[item.split(":")[0]] += 1
    n_src = len(items_of)
    total = sum(items_of.values())
    src_w = {"em": 1.0, "fnc": fnc_weight}
    return np.array(
        [
            src_w[p.item.split(":")[0]]
            * total
            / n_src
            / items_of[p.item.split(":")[0]]
            / per_item[p.item]
            for p in pairs
        ]
    )


def fit(x, y, w, c, class_weight, labels, col_weights):
    from sklearn.linear_model import LogisticRegression

    mean = np.average(x, axis=0, weights=w)
    scale = np.sqrt(np.average((x - mean) ** 2, axis=0, weights=w))
    scale[scale < 1e-9] = 1.0
    scale = scale / col_weights
    clf = LogisticRegression(C=c, class_weight=class_weight, max_iter=3000, tol=1e-5)
    clf.fit((x - mean) / scale, y, sample_weight=w / w.mean())
    order = [list(clf.classes_).index(lab) for lab in labels]
    return mean, scale, clf.coef_[order], clf.intercept_[order]


def predict_items(model, x, feats, idx, pairs):
    """Item -> predicted label: each row decided as the library decides, then an item's rows
    (an FNC-1 pair's sentences) vote with their probabilities (a rule's label counts one)."""
    probs = model.predict_proba(x)
    votes = defaultdict(lambda: np.zeros(len(model.labels)))
    for i, p in zip(idx, probs, strict=True):
        res = decide(
            feats["pols"][i],
            feats["selfs"][i],
            feats["cpols"][i],
            p,
            model.labels,
            None,
        )
        from_clf = any(r.startswith("classifier") for r in res.reasons)
        votes[pairs[i].item] += (
            p if from_clf else np.eye(len(model.labels))[model.labels.index(res.label)]
        )
    return {item: model.labels[int(v.argmax())] for item, v in votes.items()}


def gold_items(pairs, idx=None):
    idx = range(len(pairs)) if idx is None else idx
    return {pairs[i].item: pairs[i].label for i in idx}


def score_items(gold, pred):
    items = sorted(gold)
    return score([gold[i] for i in items], [pred[i] for i in items])


def per_source(gold, pred, metric="macro_f1"):
    """Macro-F1 (or ``metric``) of each source (Emergent / FNC-1) among the items."""
    out = {}
    for src in sorted({i.split(":")[0] for i in gold}):
        g = {i: v for i, v in gold.items() if i.startswith(src + ":")}
        out[src] = score_items(g, pred)[metric]
    return out


def design(feats, weights, vocab):
    return feature_matrix(
        feats["rules"], feats["bows"], feats["emb_t"], feats["emb_c"], vocab, list(weights)
    )


def train(pairs, feats, cfg, min_df, meta=None):
    weights = BLOCK_SETS[cfg["blocks"]]
    vocab = build_vocab(feats["bows"], min_df) if "bow" in weights else []
    x = design(feats, weights, vocab)
    colw = column_weights(weights, feats["rules"].shape[1], vocab, feats["emb_t"].shape[1])
    y = np.array([p.label for p in pairs])
    mean, scale, coef, icpt = fit(
        x,
        y,
        row_weights(pairs, cfg.get("fnc_weight", 1.0)),
        cfg["C"],
        cfg["class_weight"],
        list(LABELS),
        colw,
    )
    return LinearModel(list(LABELS), vocab, list(weights), mean, scale, coef, icpt, meta)


def evaluate(model, pairs, feats):
    x = design(feats, {b: 1 for b in model.blocks}, model.vocab)
    pred = predict_items(model, x, feats, range(len(pairs)), pairs)
    return score_items(gold_items(pairs), pred)


def cross_validate(pairs, feats, min_df, folds):
    """Every configuration's mean per-source macro-F1 over grouped folds."""
    from sklearn.model_selection import GroupKFold

    y = np.array([p.label for p in pairs])
    groups = np.array([p.group for p in pairs])
    splits = list(GroupKFold(n_splits=folds).split(np.zeros(len(pairs)), y, groups))
    n_rules, dim = feats["rules"].shape[1], feats["emb_t"].shape[1]
    two = len({p.item.split(":")[0] for p in pairs}) > 1
    results = []
    grid = itertools.product(BLOCK_SETS.items(), CS, CLASS_WEIGHTS, FNC_WEIGHTS if two else (1.0,))
    for (name, weights), c, cw, fw in grid:
        w = row_weights(pairs, fw)
        preds = {}
        t0 = time.perf_counter()
        for tr, te in splits:
            vocab = build_vocab([feats["bows"][i] for i in tr], min_df) if "bow" in weights else []
            x = design(feats, weights, vocab)
            colw = column_weights(weights, n_rules, vocab, dim)
            mean, scale, coef, icpt = fit(x[tr], y[tr], w[tr], c, cw, list(LABELS), colw)
            model = LinearModel(list(LABELS), vocab, list(weights), mean, scale, coef, icpt)
            preds.update(predict_items(model, x[te], feats, te, pairs))
        gold = gold_items(pairs)
        f1s = per_source(gold, preds)
        results.append(
            {
                "blocks": name,
                "C": c,
                "class_weight": cw,
                "fnc_weight": fw,
                "cv_macro_f1": float(np.mean(list(f1s.values()))),
                "cv_macro_f1_by_source": {k: round(v, 4) for k, v in f1s.items()},
                "cv_accuracy_by_source": {
                    k: round(v, 4) for k, v in per_source(gold, preds, "accuracy").items()
                },
            }
        )
        r = results[-1]
        print(
            f"  {name:<28} C={c:<4} cw={cw!s:<8} fnc={fw:<4} "
            f"cv macro-F1 {r['cv_macro_f1']:.4f} {r['cv_macro_f1_by_source']} "
            f"acc {r['cv_accuracy_by_source']} ({time.perf_counter() - t0:.0f} s)",
            flush=True,
        )
    return results


def select(pairs, feats, args):
    results = cross_validate(pairs, feats, args.min_df, args.folds)
    return max(results, key=lambda r: round(r["cv_macro_f1"], 4))


def majority(gold):
    """The majority-class baseline on ``gold`` (item -> label)."""
    top = Counter(gold.values()).most_common(1)[0][0]
    return score_items(gold, dict.fromkeys(gold, top)), top


def transfer(args, sets, feats):
    """Each direction of `DIRECTIONS`: select on its training sets, fit, score its held-out
    set beside the majority baseline."""
    lines = [
        "| direction | trained on | evaluated on | items | accuracy | macro-F1 | majority "
        "(label) macro-F1 / accuracy |",
        "|---|---|---|---|---|---|---|",
    ]
    cfgs = {}
    for name, (train_sets, test_set) in DIRECTIONS.items():
        if train_sets not in cfgs:
            print(f"selecting on {' + '.join(train_sets)}", flush=True)
            pairs, f = concat(sets, feats, train_sets)
            cfg = select(pairs, f, args)
            cfgs[train_sets] = (cfg, train(pairs, f, cfg, args.min_df))
        cfg, model = cfgs[train_sets]
        test_pairs, test_f = concat(sets, feats, (test_set,))
        res = evaluate(model, test_pairs, test_f)
        base, top = majority(gold_items(test_pairs))
        lines.append(
            f"| {name} | {' + '.join(train_sets)} | {test_set} | {res['n']} | "
            f"{res['accuracy']:.4f} | **{res['macro_f1']:.4f}** | "
            f"{base['macro_f1']:.4f} / {base['accuracy']:.4f} ({top}) |"
        )
        print(
            lines[-1],
            f"selected {cfg['blocks']} C={cfg['C']} cw={cfg['class_weight']} "
            f"fnc_weight={cfg['fnc_weight']}",
            flush=True,
        )
    print("\n".join(lines))


def embedder_for(name, threads):
    """(embedder, its name in the model's meta) for ``--embedder``."""
    if name == "static":
        from claimgraph.embedding.static import StaticEmbedder, recipe_name

        return StaticEmbedder(), f"static-minilm-{recipe_name()}"
    from claimgraph.embedding.minilm import MODEL_ID, Embedder

    return Embedder(threads=threads), MODEL_ID


def features(args, name):
    t0 = time.perf_counter()
    embedder, embedding_model = embedder_for(name, args.threads)
    analyzer = StanceAnalyzer(model=False, embedder=embedder)
    sets, feats = cached_features(args, analyzer, embedding_model)
    for set_name, pairs in sets.items():
        print(
            f"{set_name}: {len({p.item for p in pairs})} items, {len(pairs)} rows, "
            f"{dict(Counter(p.label for p in pairs))}",
            flush=True,
        )
    print(f"{name} features in {time.perf_counter() - t0:.0f} s", flush=True)
    return sets, feats, embedding_model


def ship(args, name, out):
    """Select on the shipped training sets, fit, and write the model for encoder ``name``."""
    import sklearn

    t0 = time.perf_counter()
    sets, feats, embedding_model = features(args, name)
    pairs, f = concat(sets, feats, SHIPPED_SETS)
    best = select(pairs, f, args)
    print(f"best: {best}", flush=True)
    meta = {
        "trained_on": "Emergent url-versions-2015-06-14-clean.csv, train split of "
        "split.DERIVED.csv",
        "n_train": len(pairs),
        "n_train_items": len({p.item for p in pairs}),
        "embedding_model": embedding_model,
        "embedding_input": "proposition (claimgraph.claims.clusters.proposition)",
        "blocks": best["blocks"],
        "block_weights": BLOCK_SETS[best["blocks"]],
        "min_df": args.min_df if "bow" in BLOCK_SETS[best["blocks"]] else None,
        "C": best["C"],
        "class_weight": best["class_weight"],
        "fnc_weight": best["fnc_weight"],
        "cv": f"{args.folds}-fold GroupKFold by topic, mean per-source macro-F1",
        "cv_macro_f1": round(best["cv_macro_f1"], 4),
        "cv_macro_f1_by_source": best["cv_macro_f1_by_source"],
        "cv_accuracy_by_source": best["cv_accuracy_by_source"],
        "scikit_learn": sklearn.__version__,
        "command": "python scripts/train_stance.py"
        + ("" if name == "minilm" else f" --embedder {name}"),
    }
    model = train(pairs, f, best, args.min_df, meta)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"wrote {out} ({out.stat().st_size / 1024:.0f} KiB), {time.perf_counter() - t0:.0f} s",
        flush=True,
    )


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--emergent", type=Path, default=EVALDATA / "emergent")
    ap.add_argument("--fnc1", type=Path, default=EVALDATA / "fnc1")
    ap.add_argument("--out", type=Path, help="with one --embedder: where to write its model")
    ap.add_argument("--k", type=int, default=2, help="sentences kept of an FNC-1 body")
    ap.add_argument("--min-df", type=int, default=5)
    ap.add_argument("--folds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2, help="onnxruntime threads")
    ap.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "claimgraph-stance",
        help="feature cache folder",
    )
    ap.add_argument("--transfer", action="store_true", help="print the cross-dataset table")
    ap.add_argument(
        "--embedder",
        choices=("minilm", "static"),
        action="append",
        help="the encoder(s) to train for (default: both shipped models; --transfer: minilm);"
        " static is the encoder distilled from MiniLM (claimgraph.embedding.static)",
    )
    args = ap.parse_args(argv)
    if args.transfer:
        for name in args.embedder or ["minilm"]:
            sets, feats, _ = features(args, name)
            transfer(args, sets, feats)
        return 0
    names = args.embedder or list(DEFAULT_OUT)
    if args.out and len(names) != 1:
        ap.error("--out needs exactly one --embedder")
    for name in names:
        ship(args, name, args.out or DEFAULT_OUT[name])
    return 0


if __name__ == "__main__":
    sys.exit(main())
