"""Stance across datasets: Emergent headlines and FNC-1 article bodies, split by topic.

claimgraph's stance classifier reads one sentence against a claim's sentence. Two public
datasets give such pairs with for/against/observing labels:

* **Emergent** (Ferreira & Vlachos 2016): article headlines toward a claim
  (`claimgraph.eval.emergent`), with the paper's train/test split (60 test claims);
* **FNC-1 training split** (Pomerleau & Rao 2017, ``train_stances.csv`` + ``train_bodies.csv``):
  article bodies toward a headline, agree / disagree / discuss (/ unrelated, not used) ↔
  affirm / deny / report. A body is reduced to the ``k`` sentences that share the most
  (idf-weighted) words with the headline, as a claim's member is one sentence at run time.

FNC-1 was built from Emergent's articles, so the two share topics: an FNC-1 headline is, in
nearly all cases, an Emergent article headline. To keep every evaluation on topics its model
never saw, FNC-1's related pairs are grouped into topics (connected components of the
headline–body graph, about Emergent's claims), and a topic is a *test topic* when one of its
headlines is a headline of Emergent's test split. Then:

* ``emergent-test`` (Emergent test headlines) and ``fnc1-test-topics`` (FNC-1 related pairs of
  the test topics, about 3,200) are the held-out sets;
* ``emergent-train`` and ``fnc1-train-topics`` are what models are trained on.

Transfer directions (`DIRECTIONS`): trained on FNC-1 only → Emergent test; trained on Emergent
only → FNC-1 test topics (the shipped models' recipe); and a model trained on both training
parts, on each. FNC-1's competition test split is never read.

A third dataset, read only when its folder is given (`load_perspectrum`):

* **Perspectrum** (Chen et al. 2019, CogComp): debate claims and the one-sentence perspectives
  that support or undermine them ↔ affirm / deny (no report class), with the official
  claim-level train / dev / test split (``dataset_split_v1.0.json``). A pair is one
  perspective of a gold cluster (every paraphrase in the cluster is a pair, as the authors'
  stance data has it). ``perspectrum-train`` is trained on; ``perspectrum-test`` is only
  scored; the dev split is not used. `PERSPECTRUM_DIRECTIONS` names its directions.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..claims.stance import AFFIRM, DENY, REPORT
from ..errors import UsageError
from .emergent import load as load_emergent
from .events import RELATED, group_events

if TYPE_CHECKING:
    from ..claims.stance import StanceAnalyzer

FNC1_LABELS = {"agree": AFFIRM, "disagree": DENY, "discuss": REPORT}
STANCES_FILE = "train_stances.csv"
BODIES_FILE = "train_bodies.csv"
# name -> (training sets, evaluation set)
DIRECTIONS = {
    "fnc1 -> emergent": (("fnc1-train-topics",), "emergent-test"),
    "emergent -> fnc1": (("emergent-train",), "fnc1-test-topics"),
    "both -> emergent": (("emergent-train", "fnc1-train-topics"), "emergent-test"),
    "both -> fnc1": (("emergent-train", "fnc1-train-topics"), "fnc1-test-topics"),
}
PERSPECTRUM_LABELS = {"SUPPORT": AFFIRM, "UNDERMINE": DENY}
PERSPECTRUM_CLAIMS = "perspectrum_with_answers_v1.0.json"
PERSPECTRUM_POOL = "perspective_pool_v1.0.json"
PERSPECTRUM_SPLIT = "dataset_split_v1.0.json"
PERSPECTRUM_DIRECTIONS = {
    "emergent -> perspectrum": (("emergent-train",), "perspectrum-test"),
    "both -> perspectrum": (("emergent-train", "fnc1-train-topics"), "perspectrum-test"),
    "emergent + perspectrum -> fnc1": (("emergent-train", "perspectrum-train"), "fnc1-test-topics"),
    "perspectrum -> emergent": (("perspectrum-train",), "emergent-test"),
    "perspectrum -> fnc1": (("perspectrum-train",), "fnc1-test-topics"),
    "perspectrum + fnc1 -> emergent": (("perspectrum-train", "fnc1-train-topics"), "emergent-test"),
    # not transfers: what adding Perspectrum to the shipped recipe's training does in-domain,
    # and Perspectrum's own in-domain reference
    "emergent + perspectrum -> emergent": (
        ("emergent-train", "perspectrum-train"),
        "emergent-test",
    ),
    "perspectrum -> perspectrum": (("perspectrum-train",), "perspectrum-test"),
}
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_SENT_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
_STOP = frozenset(
    "a an the of to in on at for by with and or but is are was were be been it its this that "
    "as from has have had he she they his her their we you i not will would said says".split()
)


@dataclass(frozen=True)
class StancePair:
    """One text read against one claim, with its gold stance."""

    text: str  # a sentence (Emergent: the headline; FNC-1: a body's sentence)
    claim: str  # Emergent: the claim; FNC-1: the headline
    label: str  # affirm | deny | report
    group: str  # what cross-validation groups by: the topic (an Emergent claim where known)
    item: str  # the scored unit: an FNC-1 (headline, body) pair spans k sentence rows
    source: str  # one of DIRECTIONS' set names


def words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in _STOP]


def sentences(body: str) -> list[str]:
    """A body's sentences (paragraph breaks and sentence-final punctuation; no parse)."""
    out = []
    for s in _SENT_END.split(body):
        s = " ".join(s.split())
        if len(words(s)) >= 4:
            out.append(s)
    return out


def closest_sentences(
    headline: str, sents: Sequence[str], idf: dict[str, float], k: int
) -> list[str]:
    """The ``k`` sentences sharing the most idf-weighted words with ``headline``, in body
    order (ties: the earlier sentence, as a news lede states the story)."""
    head = set(words(headline))
    scored = []
    for i, s in enumerate(sents):
        ws = set(words(s))
        overlap = sum(idf.get(w, 1.0) for w in ws & head)
        scored.append((-overlap / math.sqrt(len(ws) + 1), i))
    keep = sorted(i for _, i in sorted(scored)[:k])
    return [sents[i] for i in keep]


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def find_fnc1(data_dir: str | Path) -> Path:
    base = Path(data_dir)
    for cand in (base, base / "fnc1"):
        if (cand / STANCES_FILE).is_file() and (cand / BODIES_FILE).is_file():
            return cand
    raise UsageError(f"{base} holds no {STANCES_FILE} and {BODIES_FILE}; pass evaldata/fnc1")


def fnc1_topics(stances: Sequence[dict[str, str]]) -> dict[str, str]:
    """Headline -> topic id: the event (`claimgraph.eval.events.group_events`, connected
    components of the related headline–body pairs) of the bodies a headline is related to;
    a headline related to none is a topic of its own."""
    event_of, _ = group_events(stances)
    topic = {
        r["Headline"]: event_of[r["Body ID"].strip()] for r in stances if r["Stance"] in RELATED
    }
    return {r["Headline"]: topic.get(r["Headline"], "h:" + r["Headline"]) for r in stances}


def load_sets(emergent_dir: str | Path, fnc1_dir: str | Path, *, k: int = 2) -> dict:
    """The four sets named in `DIRECTIONS`, as lists of `StancePair`."""
    em = load_emergent(emergent_dir)
    sets: dict[str, list[StancePair]] = {
        f"emergent-{split}": [
            StancePair(
                r.headline, r.claim, r.label, "em:" + r.claim_id, "em:" + r.id, f"emergent-{split}"
            )
            for r in em
            if r.split == split
        ]
        for split in ("train", "test")
    }
    folder = find_fnc1(fnc1_dir)
    with (folder / STANCES_FILE).open(encoding="utf-8", newline="") as fh:
        stances = list(csv.DictReader(fh))
    with (folder / BODIES_FILE).open(encoding="utf-8", newline="") as fh:
        bodies = {r["Body ID"]: sentences(r["articleBody"]) for r in csv.DictReader(fh)}
    df = Counter(w for sents in bodies.values() for s in sents for w in set(words(s)))
    n_sents = sum(len(s) for s in bodies.values())
    idf = {w: math.log(n_sents / c) for w, c in df.items()}
    topic_of = fnc1_topics(stances)
    test_heads = {_norm(r.headline) for r in em if r.split == "test"}
    test_topics = {topic_of[h] for h in topic_of if _norm(h) in test_heads}
    # A topic that carries an Emergent claim's headline is grouped with that claim, so that
    # cross-validation over both datasets never trains on a held-out claim's FNC-1 bodies.
    claim_of = {_norm(r.headline): r.claim_id for r in em}
    group_of: dict[str, str] = {}
    for h, topic in sorted(topic_of.items()):
        if _norm(h) in claim_of:
            group_of.setdefault(topic, "em:" + claim_of[_norm(h)])
    sets["fnc1-train-topics"], sets["fnc1-test-topics"] = [], []
    for n, r in enumerate(stances):
        label = FNC1_LABELS.get(r["Stance"])
        sents = bodies[r["Body ID"]]
        if label is None or not sents:
            continue
        topic = topic_of[r["Headline"]]
        name = "fnc1-test-topics" if topic in test_topics else "fnc1-train-topics"
        for s in closest_sentences(r["Headline"], sents, idf, k):
            group = group_of.get(topic, "fnc:" + topic)
            sets[name].append(StancePair(s, r["Headline"], label, group, f"fnc:{n}", name))
    return sets


def find_perspectrum(data_dir: str | Path) -> Path:
    """The folder holding Perspectrum's three JSON files: ``data_dir`` itself, or the
    repository's ``data/dataset`` below it."""
    base = Path(data_dir)
    names = (PERSPECTRUM_CLAIMS, PERSPECTRUM_POOL, PERSPECTRUM_SPLIT)
    for cand in (base, base / "data" / "dataset"):
        if all((cand / n).is_file() for n in names):
            return cand
    raise UsageError(
        f"{base} holds no {', '.join(names)}; pass the data/dataset folder of "
        "github.com/CogComp/perspectrum"
    )


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise UsageError(
            f"{path} is not UTF-8 JSON ({exc}); fetch Perspectrum's file again"
        ) from exc


def load_perspectrum(data_dir: str | Path) -> dict[str, list[StancePair]]:
    """Perspectrum's train and test splits as ``perspectrum-train`` / ``perspectrum-test``
    pairs (perspective, claim): SUPPORT → affirm, UNDERMINE → deny, one pair per perspective
    of each gold cluster, grouped by claim for cross-validation. The dev split is left out."""
    folder = find_perspectrum(data_dir)
    pool = {int(p["pId"]): p["text"] for p in _read_json(folder / PERSPECTRUM_POOL)}
    split = {str(k): v for k, v in _read_json(folder / PERSPECTRUM_SPLIT).items()}
    sets: dict[str, list[StancePair]] = {"perspectrum-train": [], "perspectrum-test": []}
    seen: set[str] = set()
    for claim in _read_json(folder / PERSPECTRUM_CLAIMS):
        cid = str(claim["cId"])
        name = f"perspectrum-{split.get(cid, '')}"
        if name not in sets:
            continue
        claim_text = " ".join(claim["text"].split())
        for cluster in claim["perspectives"]:
            label = PERSPECTRUM_LABELS.get(cluster["stance_label_3"].upper())
            if label is None:
                continue
            for pid in cluster["pids"]:
                item = f"per:{cid}:{pid}"
                text = " ".join(pool.get(int(pid), "").split())
                if not text or item in seen:
                    continue
                seen.add(item)
                sets[name].append(StancePair(text, claim_text, label, "per:" + cid, item, name))
    return sets


def gold_macro_f1(result: dict[str, Any]) -> float:
    """Macro-F1 over the labels the gold holds (`claimgraph.eval.emergent.score`'s
    ``per_class``): affirm / deny / report on Emergent and FNC-1, affirm / deny on
    Perspectrum, where a report prediction is simply wrong."""
    f1s = [c["f1"] for c in result["per_class"].values() if c["support"]]
    return sum(f1s) / len(f1s) if f1s else 0.0


def item_votes(
    pairs: Sequence[StancePair], labels: Sequence[str], rows: Sequence[tuple[str, Any]]
) -> dict[str, dict[str, float]]:
    """Item -> summed votes of its rows: each row is (label, probabilities or None), and adds
    its probabilities (over ``labels``) where the classifier decided it, one vote for its
    label where a rule did (``None``)."""
    votes: dict[str, dict[str, float]] = {}
    for p, (label, probs) in zip(pairs, rows, strict=True):
        v = votes.setdefault(p.item, dict.fromkeys(labels, 0.0))
        if probs is None:
            v[label] += 1.0
        else:
            for lab, q in zip(labels, probs, strict=True):
                v[lab] += float(q)
    return votes


def score_votes(pairs: Sequence[StancePair], votes: dict[str, dict[str, float]]) -> dict:
    """`claimgraph.eval.emergent.score` of each item's top vote, with ``macro_f1_gold``
    (`gold_macro_f1`); where the gold has no report (Perspectrum) also ``mapped``: the same
    with a report prediction replaced by the higher of the item's affirm and deny votes."""
    from .emergent import score

    gold = {p.item: p.label for p in pairs}
    items = sorted(gold)
    pred = [max(votes[i], key=lambda k: votes[i][k]) for i in items]
    res = score([gold[i] for i in items], pred)
    res["macro_f1_gold"] = gold_macro_f1(res)
    if REPORT not in gold.values():
        two = [
            lab if lab != REPORT else max((AFFIRM, DENY), key=lambda k: votes[i][k])
            for i, lab in zip(items, pred, strict=True)
        ]
        mapped = score([gold[i] for i in items], two)
        mapped["macro_f1_gold"] = gold_macro_f1(mapped)
        res["mapped"] = mapped
    return res


def score_analyzer(analyzer: StanceAnalyzer, pairs: Sequence[StancePair]) -> dict:
    """Score ``analyzer`` (as shipped: rules, then its classifiers) on ``pairs``: each row is
    decided as the library decides, then an item's rows (an FNC-1 pair's sentences) vote, the
    classifiers' probabilities where they decided and one vote for a rule's label (as
    ``scripts/train_stance.py`` scores its models); see `score_votes`."""
    results = analyzer.predict([p.text for p in pairs], [p.claim for p in pairs])
    labels = (AFFIRM, DENY, REPORT)
    rows = [
        (
            r.label,
            [r.probs[lab] for lab in labels]
            if r.probs is not None and any(x.startswith("classifier") for x in r.reasons)
            else None,
        )
        for r in results
    ]
    return score_votes(pairs, item_votes(pairs, labels, rows))
