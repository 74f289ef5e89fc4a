"""Train claimgraph's stance classifier on Emergent and FNC-1 and ship it as JSON.

    python scripts/train_stance.py                   # both shipped models (make train)
    python scripts/train_stance.py --embedder static [--out PATH]
    python scripts/train_stance.py --transfer        # the cross-dataset table, ships nothing
    python scripts/train_stance.py --transfer --perspectrum DIR   # with Perspectrum's directions

Data (`claimgraph.eval.stance_transfer`): Emergent's training split (headlines toward a claim)
for the shipped models; for the --transfer table also the FNC-1 training split's related pairs
whose topic is not one of Emergent's test claims (article bodies toward a headline, each body
reduced to its sentences closest to the headline). Emergent's test claims, and every FNC-1
pair on their topics, are never trained on: they are the held-out sets that --transfer and
`claimgraph eval emergent` score. With ``--perspectrum DIR`` (Perspectrum's data/dataset folder,
github.com/CogComp/perspectrum) the table adds its directions: its train split is trained on,
its test split only scored (macro-F1 over affirm / deny, the labels it has), and the shipped
analyzer (`claimgraph.claims.stance.StanceAnalyzer()`, with and without its cross-encoder) is
scored on it.

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
from claimgraph.eval.stance_transfer import (  # noqa: E402
    DIRECTIONS,
    PERSPECTRUM_DIRECTIONS,
    gold_macro_f1,
    item_votes,
    load_perspectrum,
    load_sets,
    score_analyzer,
    score_votes,
)

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


def load_all(args):
    """The sets `DIRECTIONS` name, and Perspectrum's with ``--perspectrum``."""
    sets = load_sets(args.emergent, args.fnc1, k=args.k)
    if args.perspectrum is not None:
        sets.update(load_perspectrum(args.perspectrum))
    return sets


def cached_features(args, analyzer, embedding_model):
    """The sets and their features, each set cached in ``--cache`` (keyed by its rows, the
    embedding model and the feature code) since parsing and embedding ~40,000 texts takes
    many minutes."""
    sets = load_all(args)
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
    feats = {}
    for name, pairs in sets.items():
        rows = repr([(p.text, p.claim) for p in pairs]).encode()
        key = hashlib.sha256(repr((name, embedding_model)).encode() + rows + src).hexdigest()[:16]
        path = args.cache / f"stance-features-{name}-{key}.pkl" if args.cache else None
        if path is not None and path.is_file():
            with path.open("rb") as fh:
                feats[name] = pickle.load(fh)
            continue
        t0 = time.perf_counter()
        feats[name] = featurize(pairs, analyzer)
        print(f"  features of {name}: {len(pairs)} rows, {time.perf_counter() - t0:.0f} s")
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as fh:
                pickle.dump(feats[name], fh)
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
    src_w = {"em": 1.0, "fnc": fnc_weight, "per": 1.0}
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
    classes = list(clf.classes_)
    coef, icpt = clf.coef_, clf.intercept_
    if len(classes) == 2:  # one logit z for classes[1]: softmax(-z/2, z/2) = sigmoid(z)
        coef, icpt = np.vstack([-coef / 2, coef / 2]), np.concatenate([-icpt / 2, icpt / 2])
    # a label the training sets lack (report, trained on Perspectrum alone) is never predicted
    coef = np.array([coef[classes.index(lab)] if lab in classes else 0 * coef[0] for lab in labels])
    icpt = np.array([icpt[classes.index(lab)] if lab in classes else -1e3 for lab in labels])
    return mean, scale, coef, icpt


def row_decisions(model, x, feats, idx):
    """Each row decided as the library decides: (label, the classifier's probabilities where
    it decided, else None for a rule's label)."""
    out = []
    for i, p in zip(idx, model.predict_proba(x), strict=True):
        res = decide(feats["pols"][i], feats["selfs"][i], feats["cpols"][i], p, model.labels, None)
        from_clf = any(r.startswith("classifier") for r in res.reasons)
        out.append((res.label, p if from_clf else None))
    return out


def predict_items(model, x, feats, idx, pairs):
    """Item -> predicted label: each row decided as the library decides, then an item's rows
    (an FNC-1 pair's sentences) vote with their probabilities (a rule's label counts one)."""
    votes = defaultdict(lambda: np.zeros(len(model.labels)))
    for i, (label, p) in zip(idx, row_decisions(model, x, feats, idx), strict=True):
        votes[pairs[i].item] += (
            p if p is not None else np.eye(len(model.labels))[model.labels.index(label)]
        )
    return {item: model.labels[int(v.argmax())] for item, v in votes.items()}


def gold_items(pairs, idx=None):
    idx = range(len(pairs)) if idx is None else idx
    return {pairs[i].item: pairs[i].label for i in idx}


def score_items(gold, pred):
    items = sorted(gold)
    return score([gold[i] for i in items], [pred[i] for i in items])


def per_source(gold, pred, metric="macro_f1"):
    """Macro-F1 over the labels the source's gold holds (or ``metric``) of each source
    (Emergent / FNC-1 / Perspectrum) among the items."""
    out = {}
    for src in sorted({i.split(":")[0] for i in gold}):
        g = {i: v for i, v in gold.items() if i.startswith(src + ":")}
        res = score_items(g, pred)
        out[src] = gold_macro_f1(res) if metric == "macro_f1" else res[metric]
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
    """`claimgraph.eval.stance_transfer.score_votes` of ``model`` on ``pairs``."""
    x = design(feats, {b: 1 for b in model.blocks}, model.vocab)
    rows = row_decisions(model, x, feats, range(len(pairs)))
    return score_votes(pairs, item_votes(pairs, model.labels, rows))


def cross_validate(pairs, feats, min_df, folds):
    """Every configuration's mean per-source macro-F1 over grouped folds."""
    from sklearn.model_selection import GroupKFold

    y = np.array([p.label for p in pairs])
    groups = np.array([p.group for p in pairs])
    splits = list(GroupKFold(n_splits=folds).split(np.zeros(len(pairs)), y, groups))
    n_rules, dim = feats["rules"].shape[1], feats["emb_t"].shape[1]
    sources = {p.item.split(":")[0] for p in pairs}
    two = "fnc" in sources and len(sources) > 1
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


def _row(name, train_sets, test_set, res, base, top):
    mapped = res.get("mapped")
    return (
        f"| {name} | {' + '.join(train_sets)} | {test_set} | {res['n']} | "
        f"{res['accuracy']:.4f} | **{res['macro_f1_gold']:.4f}** | "
        + (f"{mapped['accuracy']:.4f} / {mapped['macro_f1_gold']:.4f}" if mapped else "")
        + f" | {gold_macro_f1(base):.4f} / {base['accuracy']:.4f} ({top}) |"
    )


def transfer(args, sets, feats):
    """Each direction of `DIRECTIONS` (and `PERSPECTRUM_DIRECTIONS` with ``--perspectrum``):
    select on its training sets, fit, score its held-out set beside the majority baseline.
    Macro-F1 is over the labels the evaluated set holds (affirm / deny on Perspectrum, where a
    report prediction counts as wrong; "report mapped" gives the figure with each report
    prediction replaced by the higher of the item's affirm and deny probabilities)."""
    lines = [
        "| direction | trained on | evaluated on | items | accuracy | macro-F1 | report mapped: "
        "accuracy / macro-F1 | majority macro-F1 / accuracy (label) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    directions = dict(DIRECTIONS)
    if args.perspectrum is not None:
        directions.update(PERSPECTRUM_DIRECTIONS)
    cfgs = {}
    for name, (train_sets, test_set) in directions.items():
        if train_sets not in cfgs:
            print(f"selecting on {' + '.join(train_sets)}", flush=True)
            pairs, f = concat(sets, feats, train_sets)
            cfg = select(pairs, f, args)
            cfgs[train_sets] = (cfg, train(pairs, f, cfg, args.min_df))
        cfg, model = cfgs[train_sets]
        test_pairs, test_f = concat(sets, feats, (test_set,))
        res = evaluate(model, test_pairs, test_f)
        base, top = majority(gold_items(test_pairs))
        lines.append(_row(name, train_sets, test_set, res, base, top))
        print(
            lines[-1],
            f"selected {cfg['blocks']} C={cfg['C']} cw={cfg['class_weight']} "
            f"fnc_weight={cfg['fnc_weight']}; F1 "
            + ", ".join(f"{lab} {c['f1']:.3f}" for lab, c in res["per_class"].items()),
            flush=True,
        )
    print("\n".join(lines))
    if args.perspectrum is not None:
        shipped(sets["perspectrum-test"])


def shipped(pairs):
    """The shipped analyzer (rules, then the regression trained on Emergent averaged with the
    cross-encoder, and without it) on ``pairs``, scored as `scripts/train_stance_cross.py
    --transfer` scores it: every pair read by the cross-encoder, as an outlet's sentence."""
    from claimgraph.claims.stance import StanceAnalyzer

    full = StanceAnalyzer()
    if full.cross is None:
        sys.exit("no shipped cross-encoder (claimgraph.claims.cross) to score")
    bare = StanceAnalyzer(nlp=full.nlp, embedder=full.embedder, cross=False)
    res = {}
    for name, analyzer in (("with", full), ("without", bare)):
        t0 = time.perf_counter()
        res[name] = score_analyzer(analyzer, pairs)
        print(f"  {name} the cross-encoder: {time.perf_counter() - t0:.0f} s", flush=True)
        print(f"  confusion (gold -> predicted): {res[name]['confusion']}", flush=True)
    base, top = majority(gold_items(pairs))

    def cell(r):
        m = r["mapped"]
        return (
            f"{r['accuracy']:.4f} / **{r['macro_f1_gold']:.4f}** "
            f"({m['accuracy']:.4f} / {m['macro_f1_gold']:.4f})"
        )

    print(
        "| evaluated on | items | with the cross-encoder: accuracy / macro-F1 (report mapped) "
        "| without | majority |"
    )
    print("|---|---|---|---|---|")
    print(
        f"| {pairs[0].source} | {res['with']['n']} | {cell(res['with'])} | "
        f"{cell(res['without'])} | {base['accuracy']:.4f} / {gold_macro_f1(base):.4f} ({top}) |"
    )


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
        "--perspectrum",
        type=Path,
        help="with --transfer: Perspectrum's data/dataset folder (default: not used)",
    )
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
