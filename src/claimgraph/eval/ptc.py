"""Propaganda Techniques Corpus scorer (SemEval-2020 Task 11, Da San Martino et al.).

Layout read by `load` (``data_dir`` is the ``ptc/`` folder)::

    <NAME>-articles/article<ID>.txt     title, blank line, one sentence per line
    <NAME>-task2-TC.labels              article_id  technique  begin  end
    <NAME>-task1-SI.labels              article_id  begin  end      (optional)

Offsets are characters into the article text, end exclusive. Only the ``train`` split is
public here; ``data/ptc_split.json`` fixes a seeded 80/20 split of its articles by id, and
``--heldout`` (``ids=heldout_ids()``) scores the 20% the shipped model never saw.

Metrics (the task definition, computed over the whole corpus):

* **SI** (span identification, technique-agnostic). Gold spans T come from the SI labels (or the
  TC labels when there is no SI file), predicted spans S from the extractor; both are merged
  per article where they overlap, so each is a set of disjoint intervals. With
  ``C(s, t, h) = |s ∩ t| / h``::

      P = (1/|S|) Σ_{s∈S} Σ_{t∈T} C(s, t, |s|)      R = (1/|T|) Σ_{t∈T} Σ_{s∈S} C(s, t, |t|)
      F1 = 2PR / (P + R)

  where the sums pair spans of the same article and |S|, |T| count spans over all articles.
  P is 0 when nothing is predicted; R is 0 when there is no gold span.
* **Per-technique** span F1: the same formula restricted to predicted spans of technique k and
  gold TC spans of technique k.
* **TC** (technique classification): each gold TC span is classified given its offsets, and
  micro-F1 counts correct labels. A span that carries m gold labels gets the classifier's m
  best labels, matched as a multiset; every instance gets exactly one label, so micro P = R =
  F1 (= accuracy over instances).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UsageError

Interval = tuple[int, int]


@dataclass
class Article:
    id: str
    text: str
    si: list[Interval] = field(default_factory=list)
    tc: list[tuple[int, int, str]] = field(default_factory=list)


def _read_labels(path: Path) -> list[list[str]]:
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.strip():
                rows.append(line.split("\t"))
    return rows


def load(
    data_dir: str | Path, split_name: str, *, ids: Iterable[str] | None = None
) -> list[Article]:
    """Articles of split ``split_name`` with their gold spans, sorted by id."""
    root = Path(data_dir)
    if (root / "ptc").is_dir() and not (root / f"{split_name}-articles").is_dir():
        root = root / "ptc"
    art_dir = root / f"{split_name}-articles"
    tc_path = root / f"{split_name}-task2-TC.labels"
    si_path = root / f"{split_name}-task1-SI.labels"
    if not art_dir.is_dir() or not tc_path.is_file():
        raise UsageError(
            f"{root} has no {art_dir.name}/ or {tc_path.name}; pass --data pointing at the ptc/ "
            "folder of ../shared/evaldata and a split name such as 'train'"
        )
    wanted = set(ids) if ids is not None else None
    articles: dict[str, Article] = {}
    for path in sorted(art_dir.glob("article*.txt")):
        aid = path.stem[len("article") :]
        if wanted is None or aid in wanted:
            articles[aid] = Article(aid, path.read_text(encoding="utf-8"))
    if wanted is not None and (missing := wanted - set(articles)):
        raise UsageError(f"{len(missing)} requested article ids are not in {art_dir}")
    for aid, tech, b, e in _read_labels(tc_path):
        if aid in articles:
            articles[aid].tc.append((int(b), int(e), tech))
    if si_path.is_file():
        for aid, b, e in _read_labels(si_path):
            if aid in articles:
                articles[aid].si.append((int(b), int(e)))
    else:
        for art in articles.values():
            art.si = [(b, e) for b, e, _ in art.tc]
    return [articles[k] for k in sorted(articles)]


# ----------------------------------------------------------------------------- metrics


def merge(spans: Iterable[Interval]) -> list[Interval]:
    """Disjoint, sorted intervals covering the same characters (overlapping ones joined)."""
    out: list[list[int]] = []
    for b, e in sorted(s for s in spans if s[1] > s[0]):
        if out and b < out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([b, e])
    return [(b, e) for b, e in out]


def _overlap(a: Interval, b: Interval) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def overlap_prf(
    pred: dict[str, list[Interval]], gold: dict[str, list[Interval]]
) -> dict[str, float]:
    """SemEval-2020 Task 11 partial-overlap P/R/F1 of predicted vs gold spans per article."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for aid in set(pred) | set(gold):
        ps, gs = merge(pred.get(aid, [])), merge(gold.get(aid, []))
        n_pred += len(ps)
        n_gold += len(gs)
        for s in ps:
            for t in gs:
                inter = _overlap(s, t)
                if inter:
                    p_sum += inter / (s[1] - s[0])
                    r_sum += inter / (t[1] - t[0])
    p = p_sum / n_pred if n_pred else 0.0
    r = r_sum / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "n_pred": n_pred, "n_gold": n_gold}


def tc_micro(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> dict[str, float]:
    """Micro P/R/F1 of technique labels; ``gold[i]``/``pred[i]`` are the label lists of span i."""
    correct = sum(sum((Counter(g) & Counter(p)).values()) for g, p in zip(gold, pred, strict=True))
    n_gold = sum(len(g) for g in gold)
    n_pred = sum(len(p) for p in pred)
    p = correct / n_pred if n_pred else 0.0
    r = correct / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "n": n_gold}


# ----------------------------------------------------------------------------- evaluation


def score(
    articles: Sequence[Article],
    predicted: dict[str, list[tuple[int, int, str]]],
    tc_pred: dict[str, list[list[str]]],
) -> dict[str, Any]:
    """Metrics from predicted ``(start, end, technique)`` spans per article and the technique
    labels predicted for each gold TC span group (in `tc_groups` order)."""
    gold_si = {a.id: a.si for a in articles}
    pred_si = {a.id: [(s, e) for s, e, _ in predicted.get(a.id, [])] for a in articles}
    techniques = sorted({t for a in articles for _, _, t in a.tc})
    per_tech = {}
    for k in techniques:
        g = {a.id: [(s, e) for s, e, t in a.tc if t == k] for a in articles}
        p = {a.id: [(s, e) for s, e, t in predicted.get(a.id, []) if t == k] for a in articles}
        per_tech[k] = overlap_prf(p, g)
    gold_labels, pred_labels = [], []
    for a in articles:
        groups = tc_groups(a)
        for (_, labels), pl in zip(groups, tc_pred[a.id], strict=True):
            gold_labels.append(labels)
            pred_labels.append(pl)
    return {
        "articles": len(articles),
        "si": overlap_prf(pred_si, gold_si),
        "tc": tc_micro(gold_labels, pred_labels),
        "tc_techniques": tc_per_class(gold_labels, pred_labels),
        "techniques": per_tech,
    }


def tc_per_class(
    gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]
) -> dict[str, dict[str, float]]:
    """Per-technique P/R/F1 of the labels given to gold spans (SemEval's TC task, per class):
    how well a technique is named once the span is known, apart from finding the span."""
    names = sorted({t for g in gold for t in g} | {t for p in pred for t in p})
    out = {}
    for k in names:
        tp = sum(min(g.count(k), p.count(k)) for g, p in zip(gold, pred, strict=True))
        n_g = sum(g.count(k) for g in gold)
        n_p = sum(p.count(k) for p in pred)
        pr = tp / n_p if n_p else 0.0
        rc = tp / n_g if n_g else 0.0
        f = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        out[k] = {"precision": pr, "recall": rc, "f1": f, "n_gold": n_g, "n_pred": n_p}
    return out


def tc_groups(article: Article) -> list[tuple[Interval, list[str]]]:
    """Gold TC spans grouped by identical offsets, with their labels, in offset order."""
    groups: dict[Interval, list[str]] = defaultdict(list)
    for s, e, t in article.tc:
        groups[(s, e)].append(t)
    return sorted(groups.items())


def evaluate(
    data_dir: str | Path,
    split_name: str,
    *,
    ids: Iterable[str] | None = None,
    nlp: Any = None,
    model: Any = None,
) -> dict[str, Any]:
    """Run the propaganda extractor over split ``split_name`` (restricted to ``ids``) and score
    it. ``nlp`` defaults to claimgraph's pinned spaCy pipeline, ``model`` to the shipped one."""
    from ..extract.propaganda import load_model, predict_spans

    if nlp is None:
        from ..extract.run import load_pipeline

        nlp = load_pipeline()
    model = model or load_model()
    articles = load(data_dir, split_name, ids=ids)
    if getattr(model, "needs_encoder", False):
        from ..extract.propaganda import default_encoder

        default_encoder().encode_doc(nlp("Warm up."))  # load ONNX outside the timing
    t0 = time.perf_counter()
    predicted: dict[str, list[tuple[int, int, str]]] = {}
    tc_pred: dict[str, list[list[str]]] = {}
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    t_parse = time.perf_counter() - t0
    for art, doc in zip(articles, docs, strict=True):
        predicted[art.id] = predict_spans(doc, model)
    t_predict = time.perf_counter() - t0 - t_parse
    for art, doc in zip(articles, docs, strict=True):
        labels = []
        for (s, e), gold in tc_groups(art):
            p = model.classify_span(doc, s, e)
            order = p.argsort()[::-1][: len(gold)]
            labels.append([model.classes[i] for i in order])
        tc_pred[art.id] = labels
    result = score(articles, predicted, tc_pred)
    result["split"] = split_name
    result["seconds"] = round(time.perf_counter() - t0, 2)
    # the extractor's cost next to the spaCy parse it runs on (`analyze --propaganda`)
    result["seconds_parse"] = round(t_parse, 2)
    result["seconds_propaganda"] = round(t_predict, 2)
    return result


# The default analyze's cue types that stand for a PTC technique (`evaluate_default`).
DEFAULT_TECHNIQUE = {
    "loaded_language": "Loaded_Language",
    "loaded_label": "Loaded_Language",
    "name_calling": "Name_Calling,Labeling",
}


def evaluate_default(
    data_dir: str | Path,
    split_name: str,
    *,
    ids: Iterable[str] | None = None,
    nlp: Any = None,
) -> dict[str, Any]:
    """Score the cues of the default analyze (no ``--propaganda``) as PTC spans: each cue type
    in `DEFAULT_TECHNIQUE` as its technique, per-technique partial-overlap F1; with the time
    of the spaCy parse, of every cue (`extract_cues`) and of the learned taggers alone."""
    from ..extract.cues import extract_cues
    from ..extract.loaded import default_pieces, load_model

    if nlp is None:
        from ..extract.run import load_pipeline

        nlp = load_pipeline()
    articles = load(data_dir, split_name, ids=ids)
    model = load_model()
    model.spans(nlp("Warm up the tokenizer."), default_pieces())
    t0 = time.perf_counter()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=16))
    t_parse = time.perf_counter() - t0
    t0 = time.perf_counter()
    cues = [extract_cues(doc) for doc in docs]
    t_cues = time.perf_counter() - t0
    t0 = time.perf_counter()
    for doc in docs:
        model.spans(doc)
    t_learned = time.perf_counter() - t0
    predicted = {
        a.id: [
            (c.start, c.end, DEFAULT_TECHNIQUE[c.type]) for c in cs if c.type in DEFAULT_TECHNIQUE
        ]
        for a, cs in zip(articles, cues, strict=True)
    }
    techniques = sorted(set(DEFAULT_TECHNIQUE.values()))
    per_tech = {}
    for k in techniques:
        g = {a.id: [(s, e) for s, e, t in a.tc if t == k] for a in articles}
        p = {a.id: [(s, e) for s, e, t in predicted[a.id] if t == k] for a in articles}
        per_tech[k] = overlap_prf(p, g)
    return {
        "split": split_name,
        "articles": len(articles),
        "path": "default",
        "techniques": per_tech,
        "seconds_parse": round(t_parse, 2),
        "seconds_cues": round(t_cues, 2),
        "seconds_learned": round(t_learned, 2),
    }


def format_default_report(result: dict[str, Any]) -> str:
    """Plain-text report of `evaluate_default`'s result."""
    lines = [
        f"PTC ({result['split']}, {result['articles']} articles), the default analyze's cues",
        f"{'technique':38} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}",
    ]
    for name, m in result["techniques"].items():
        lines.append(
            f"{name:38} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
            f" {m['n_pred']:5d} {m['n_gold']:5d}"
        )
    parse, cues, learned = (result[k] for k in ("seconds_parse", "seconds_cues", "seconds_learned"))
    if parse:
        lines += [
            "",
            f"time: spaCy parse {parse:.1f}s, all cues {cues:.1f}s ({cues / parse:.2f}x the"
            f" parse), of which the learned taggers {learned:.1f}s ({learned / parse:.2f}x)",
        ]
    return "\n".join(lines)


def format_report(result: dict[str, Any]) -> str:
    """Plain-text report of `evaluate`'s result."""
    si, tc = result["si"], result["tc"]
    lines = [
        f"PTC ({result.get('split', '?')}, {result['articles']} articles)",
        f"span identification  P {si['precision']:.3f}  R {si['recall']:.3f}  F1 {si['f1']:.3f}"
        f"  (pred {si['n_pred']}, gold {si['n_gold']})",
        f"technique classification  micro-F1 {tc['f1']:.3f}  ({tc['n']} gold labels)",
        "",
        "per technique, span and technique both predicted (partial overlap):",
        f"{'technique':38} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}",
    ]
    ranked = sorted(result["techniques"].items(), key=lambda kv: -kv[1]["n_gold"])
    for name, m in ranked:
        lines.append(
            f"{name:38} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
            f" {m['n_pred']:5d} {m['n_gold']:5d}"
        )
    if "tc_techniques" in result:
        lines += ["", "per technique, technique named for the gold spans (the TC task, per class):"]
        ranked_tc = sorted(result["tc_techniques"].items(), key=lambda kv: -kv[1]["n_gold"])
        for name, m in ranked_tc:
            lines.append(
                f"{name:38} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}"
                f" {m['n_pred']:5d} {m['n_gold']:5d}"
            )
    if "seconds_parse" in result:
        parse, prop = result["seconds_parse"], result["seconds_propaganda"]
        ratio = f" ({prop / parse:.2f}x the parse)" if parse else ""
        lines += ["", f"time: spaCy parse {parse:.1f}s, propaganda spans {prop:.1f}s{ratio}"]
    lines.append("")
    lines.append("published test set (SemEval-2020 Task 11): SI F1 0.491 (3rd), TC F1 0.62 (2nd)")
    return "\n".join(lines)
