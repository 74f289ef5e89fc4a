"""How likely a found statement is a real attribution: a small logistic regression over the
statement's cue, frame, subject and shape, trained on PolNeAR's training split
(scripts/train_statements.py) and shipped as JSON (src/claimgraph/data/statement_model.json:
one weight per feature, readable as it is).

The parse rules find a statement wherever a reporting verb governs content ("X said …",
"according to X"), and verbs that report in one sentence do not in another ("the poll shows
Trump ahead" is reported, "Clinton wanted to show consistency" is not). The model reads what
tells them apart in the training data, and `extract_statements` drops an indirect statement
(reported speech without quote marks; quoted words are always kept) whose probability is
below the threshold chosen by cross-validation on the training split (its effect on PolNeAR
dev, never read in training, is in docs/benchmarks.md). ``min_confidence=0`` keeps every
statement the rules find.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import ModelError
from .verbs import frame_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from .records import Statement

# Reported speech is weighed, with or without quoted words in it ("mixed"): a weighed cue
# (`verbs.ReportingLexicon.is_cue`) may introduce either. Quotations themselves (direct) and
# quoted words an outlet gives to a speaker ('what Blinken called "internment camps"',
# partial) are that speaker's, kept whatever the model says (the contested terms and quote
# variants read them).
WEIGHED_KINDS = frozenset({"indirect", "mixed"})
MODEL_FILE = "statement_model.json"
_PRONOUNS = frozenset({"he", "she", "they", "i", "we", "you", "it", "who"})
_CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "advcl", "conj"})


def _cue_token(doc: Doc, st: Statement) -> Token | None:
    """The statement's cue word: its first verb, else its first token."""
    if st.cue_start is None or st.cue_end is None:
        return None
    span = doc.char_span(st.cue_start, st.cue_end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return next((t for t in span if t.pos_ == "VERB"), span[0])


def _length(n: int) -> str:
    return "s" if n < 20 else "m" if n < 60 else "l" if n < 150 else "xl"


def features(doc: Doc, st: Statement) -> dict[str, float]:
    """The statement's features: the cue's lemma and frame (`verbs.frame_of`), its dependency,
    tag, children, negation, auxiliaries and prepositions; its subject's entity type, pronoun
    and part of speech; the statement's kind, whether a speaker was resolved and of what type,
    its length in characters, and whether it holds a quotation mark."""
    f: dict[str, float] = {
        "kind=" + st.kind: 1.0,
        "spk=" + ("yes" if st.speaker_mention else "no"): 1.0,
        "sptype=" + str(st.speaker_type): 1.0,
        "len=" + _length(st.end - st.start): 1.0,
        "quote": float(any(c in st.text for c in '"“”')),
    }
    t = _cue_token(doc, st)
    if t is None:
        f["nocue"] = 1.0
        return f
    lem, frame = t.lemma_.lower(), frame_of(t)
    f.update(
        {
            "lem=" + lem: 1.0,
            "fr=" + frame: 1.0,
            "lf=" + lem + "|" + frame: 1.0,
            "dep=" + t.dep_: 1.0,
            "tag=" + t.tag_: 1.0,
            "pos=" + t.pos_: 1.0,
            "headdep=" + t.head.dep_: 1.0,
        }
    )
    if t.dep_ in _CLAUSE_DEPS:
        f["headlem=" + t.head.lemma_.lower()] = 1.0
    subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        f["subj=none"] = 1.0
    else:
        f["subjent=" + (subj.ent_type_ or "-")] = 1.0
        f["subjpron=" + (subj.lower_ if subj.lower_ in _PRONOUNS else "-")] = 1.0
        f["subjpos=" + subj.pos_] = 1.0
        f["subjdep=" + subj.dep_] = 1.0
    for c in t.children:
        f["child=" + c.dep_] = 1.0
        if c.dep_ == "aux":
            f["aux=" + c.lower_] = 1.0
        elif c.dep_ == "neg":
            f["neg"] = 1.0
        elif c.dep_ == "prep":
            f["prep=" + c.lower_] = 1.0
    return f


@dataclass(frozen=True)
class StatementModel:
    """A binary logistic regression over named features, and the threshold to keep at."""

    weights: Mapping[str, float]
    intercept: float
    threshold: float
    meta: Mapping[str, Any]
    # the weighed cues (`verbs.ReportingLexicon.is_cue`) the model was trained with: frame -> lemmas
    weighed_cues: Mapping[str, list[str]] = field(default_factory=dict)

    def probability(self, feats: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.weights.get(k, 0.0) * v for k, v in feats.items())
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "intercept": self.intercept,
            "threshold": self.threshold,
            "meta": dict(self.meta),
            "weights": dict(sorted(self.weights.items())),
            "weighed_cues": {frame: sorted(ls) for frame, ls in sorted(self.weighed_cues.items())},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> StatementModel:
        try:
            return cls(
                weights={str(k): float(v) for k, v in data["weights"].items()},
                intercept=float(data["intercept"]),
                threshold=float(data["threshold"]),
                meta=dict(data.get("meta") or {}),
                weighed_cues={
                    str(frame): [str(lemma) for lemma in lemmas]
                    for frame, lemmas in (data.get("weighed_cues") or {}).items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelError(f"the statement model is malformed ({exc!r}); reinstall") from exc


@lru_cache(maxsize=1)
def shipped_model() -> StatementModel | None:
    """The model shipped with the package (None where it is not there: then every statement
    the rules find is kept)."""
    path = resources.files("claimgraph") / "data" / MODEL_FILE
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the statement model {MODEL_FILE}: {exc}") from exc
    return StatementModel.from_json(data)
