"""Stable article identity: the same article read from .txt, .html or a record gets one id."""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Everything but letters and digits: re's Unicode \w is exactly ``str.isalnum() or "_"``
# (tested on every code point), so this keeps what ``c.isalnum()`` keeps, without a Python
# step per character.
_NOT_ALNUM = re.compile(r"[\W_]+")


def identity_key(text: str) -> str:
    """The text reduced for identity: NFKC, casefolded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NOT_ALNUM.sub("", folded)


def article_id(text: str) -> str:
    """First 16 hex digits of the SHA-256 of `identity_key(text)`.

    Whitespace, punctuation, case and compatibility forms do not change the id, so a page and
    its plain-text copy collide as intended; any change of a letter or digit does.
    """
    return hashlib.sha256(identity_key(text).encode("utf-8")).hexdigest()[:16]
