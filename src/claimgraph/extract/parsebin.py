"""An article's parse as bytes, for the link step to read its units from
(`claimgraph.link.parses`): a one-doc `spacy.tokens.DocBin` with the attributes linking reads
(tags, dependency parse, lemmas, morphology, sentence starts), no entities, no user data."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

PARSE_ATTRS = ["ORTH", "NORM", "SPACY", "TAG", "POS", "MORPH", "LEMMA", "DEP", "HEAD", "SENT_START"]


def serialize(doc: Doc) -> bytes:
    """One parsed article as bytes (compressed: about three times its text)."""
    from spacy.tokens import DocBin

    out = DocBin(attrs=PARSE_ATTRS, store_user_data=False)
    out.add(doc)
    return bytes(out.to_bytes())


def deserialize(data: bytes, vocab: Vocab) -> Doc:
    """The parse `serialize` wrote, with ``vocab``'s strings (the same pipeline's)."""
    from spacy.tokens import DocBin

    (doc,) = DocBin().from_bytes(data).get_docs(vocab)
    return doc
