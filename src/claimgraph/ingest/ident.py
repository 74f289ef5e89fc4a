"""Stable article identity: the same article read from .txt, .html or a record gets one id."""

from __future__ import annotations

import hashlib
import unicodedata


def identity_key(text: str) -> str:
    """The text reduced for identity: NFKC, casefolded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if c.isalnum())


def article_id(text: str) -> str:
    """First 16 hex digits of the SHA-256 of `identity_key(text)`.

    Whitespace, punctuation, case and compatibility forms do not change the id, so a page and
    its plain-text copy collide as intended; any change of a letter or digit does.
    """
    return hashlib.sha256(identity_key(text).encode("utf-8")).hexdigest()[:16]
