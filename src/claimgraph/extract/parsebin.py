"""An article's parse as bytes, for the link step to read its units from
(`claimgraph.link.parses`): the token attributes linking reads (tags, dependency parse,
lemmas, morphology, sentence starts), no entities, no user data.

The layout is this module's own, not a `spacy.tokens.DocBin`: one ``Doc.to_array`` of the
attributes, the strings their hashes stand for (each once; a worker process's vocabulary
knows strings the parent's may not), and zlib at its fastest level. DocBin's ``add`` reads
nine strings per token through Python and compresses harder; on 600 PolNeAR articles writing
and reading the parses took about twice as long that way. The bytes never leave one run
(a temporary spill), so the layout carries no version.
"""

from __future__ import annotations

import struct
import zlib
from typing import TYPE_CHECKING

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, NORM, ORTH, POS, SENT_START, SPACY, TAG

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

PARSE_ATTRS = [ORTH, NORM, SPACY, TAG, POS, MORPH, LEMMA, DEP, HEAD, SENT_START]
_STRING_COLUMNS = [PARSE_ATTRS.index(a) for a in (ORTH, NORM, TAG, MORPH, LEMMA, DEP)]
_SPACY = PARSE_ATTRS.index(SPACY)
_READ = [a for a in PARSE_ATTRS if a != SPACY]  # spaces go to the Doc's constructor
_READ_COLUMNS = [PARSE_ATTRS.index(a) for a in _READ]
_HEADER = struct.Struct("<III")  # tokens, attributes, strings


def serialize(doc: Doc) -> bytes:
    """One parsed article as bytes (compressed: about four times its text)."""
    array = np.ascontiguousarray(doc.to_array(PARSE_ATTRS), dtype=np.uint64)
    store = doc.vocab.strings
    strings = []
    for h in np.unique(array[:, _STRING_COLUMNS]).tolist():
        if h in store:  # 0 (no value) is no string
            strings.append(store[h].encode("utf-8"))
    lengths = np.array([len(s) for s in strings], dtype=np.uint32)
    head = _HEADER.pack(array.shape[0], array.shape[1], len(strings))
    return zlib.compress(head + array.tobytes() + lengths.tobytes() + b"".join(strings), 1)


def deserialize(data: bytes, vocab: Vocab) -> Doc:
    """The parse `serialize` wrote, its strings added to ``vocab``."""
    from spacy.tokens import Doc

    raw = zlib.decompress(data)
    n, k, n_strings = _HEADER.unpack_from(raw)
    pos = _HEADER.size
    array = np.frombuffer(raw, dtype=np.uint64, count=n * k, offset=pos).reshape(n, k)
    pos += n * k * 8
    lengths = np.frombuffer(raw, dtype=np.uint32, count=n_strings, offset=pos).tolist()
    pos += n_strings * 4
    add = vocab.strings.add
    for length in lengths:
        add(raw[pos : pos + length].decode("utf-8"))
        pos += length
    words = [vocab.strings[h] for h in array[:, 0].tolist()]
    doc = Doc(vocab, words=words, spaces=array[:, _SPACY].astype(bool).tolist())
    return doc.from_array(_READ, np.ascontiguousarray(array[:, _READ_COLUMNS]))  # type: ignore[arg-type]
