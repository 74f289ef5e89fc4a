"""spaCy integration: the ``claimgraph_statements`` component sets ``doc._.statements``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from .statements import extract_statements

if not Doc.has_extension("statements"):
    Doc.set_extension("statements", default=None)


class StatementsComponent:
    """Pipeline component: runs `extract_statements` and stores the list on ``doc._.statements``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.statements = extract_statements(doc)
        return doc


@Language.factory("claimgraph_statements")
def make_statements(nlp: Language, name: str) -> StatementsComponent:
    return StatementsComponent(nlp, name)
