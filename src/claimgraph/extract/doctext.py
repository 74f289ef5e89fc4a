"""The text of a spaCy `Doc`, read once per article.

``Doc.text`` joins every token each time it is read; extractors that slice it per quote, cue
or numeric claim would take time quadratic in the article's length (a 200,000-character
article took 54 s). `doc_text` keeps the joined text in ``doc.user_data``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

_KEY = "claimgraph.doc_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text
