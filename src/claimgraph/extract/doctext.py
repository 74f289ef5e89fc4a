"""What the extractors and the link step work out once per spaCy `Doc`, kept on the doc.

``Doc.text`` joins every token each time it is read; extractors that slice it per quote, cue
or numeric claim would take time quadratic in the article's length (a 200,000-character
article took 54 s). `doc_text` keeps the joined text, `memo` anything else worked out from a
doc (the term matcher's units, the polarity rules' tokens and operators).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, cast

if TYPE_CHECKING:
    from spacy.tokens import Doc

T = TypeVar("T")


def memo(doc: Doc, name: str, compute: Callable[[Doc], T]) -> T:
    """``compute(doc)``, worked out once per doc and kept in ``doc.user_data``. The entry
    carries the doc's id and length, so a copy of ``user_data`` into another doc
    (``Doc.copy``, ``Doc.from_docs``) or a doc retokenized in place is recomputed, never read
    for the wrong tokens."""
    key = "claimgraph." + name
    stamp = (id(doc), len(doc))
    found = doc.user_data.get(key)
    if found is None or found[0] != stamp:
        found = doc.user_data[key] = (stamp, compute(doc))
    return cast(T, found[1])


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc."""
    return memo(doc, "doc_text", lambda d: d.text)
