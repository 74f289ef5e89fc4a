"""spaCy integration: the ``claimgraph_statements`` component sets ``doc._.statements``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .statements import extract_statements

if not Doc.has_extension("statements"):
    Doc.set_extension("statements", default=None)


class StatementsComponent:
    """Pipeline component: runs `extract_statements` and stores the list on ``doc._.statements``.
    ``min_confidence`` as in `extract_statements` (None: the statement model's threshold; 0:
    every statement the rules find), e.g. ``nlp.add_pipe("claimgraph_statements",
    config={"min_confidence": 0})``."""

    def __init__(self, nlp: Language, name: str, min_confidence: float | None = None) -> None:
        self.name = name
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        doc._.statements = extract_statements(doc, min_confidence=self.min_confidence)
        return doc


@Language.factory("claimgraph_statements", default_config={"min_confidence": None})
def make_statements(
    nlp: Language, name: str, min_confidence: float | None = None
) -> StatementsComponent:
    return StatementsComponent(nlp, name, min_confidence)
