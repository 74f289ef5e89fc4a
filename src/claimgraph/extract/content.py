"""What a statement says: its span less the attribution that sits inside it.

A quotation split by its attribution ('"A," Smith said on Monday, "B."') is stored as one
statement whose span runs from the first quoted word to the last; its *content* is the two
quoted pieces. The evaluation (`claimgraph.eval.polnear`, as PolNeAR's Content leaves out
Source and Cue) and the link step (`claimgraph.claims.run.statement_units`, which makes the
speaker's claim units of it) read the content through `attribution_gap`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Where a quote resumes after an attribution inside it ('"…," Smith said on Monday, "…"').
RESUME = re.compile(r"[\"“‘«]|''|(?<!\w)'")
# Characters after the attribution within which a quote mark resumes the content of a
# statement that is not all quotation (farther, it is not the same piece).
RESUME_WITHIN = 80


def attribution_gap(
    text: str,
    start: int,
    end: int,
    kind: str | None,
    spans: Iterable[tuple[int | None, int | None]],
) -> tuple[int, int] | None:
    """The stretch of the statement ``text[start:end]`` that is not its content, or None: the
    attribution (``spans``: its speaker and cue spans, those inside the statement count) from
    its first character, less the spaces before it, to where the content resumes. That is
    the next opening quote mark: for a direct quote however far, since the words between its
    quoted pieces are the outlet's ('"…," Obama said after meeting Putin. He did not suggest
    retaliation. "…"'); for other kinds when one follows within `RESUME_WITHIN` characters.
    Else the content resumes after the spaces and punctuation that follow the attribution."""
    inside = [(a, b) for a, b in spans if a is not None and b is not None and start < a and b < end]
    if not inside:
        return None
    a, b = min(x for x, _ in inside), max(y for _, y in inside)
    while a > start and text[a - 1].isspace():
        a -= 1
    limit = end if kind == "direct" else min(end, b + RESUME_WITHIN)
    resume = _resumed_quote(text, b, limit) if _closes_quote(text, start, a) else None
    if resume is not None:
        b = resume
    else:
        while b < end and (text[b].isspace() or text[b] in ",.:;"):
            b += 1
    return a, b


_CLOSING = "\"”’»'"


def _closes_quote(text: str, start: int, at: int) -> bool:
    """Does the statement's text before ``at`` end a quotation (its closing mark, then at most
    punctuation): '"A," Smith said …' and not 'In a statement, Cruz said he is certain …'?"""
    i = at
    while i > start and (text[i - 1].isspace() or text[i - 1] in ",.;:—–-"):
        i -= 1
    return i > start and text[i - 1] in _CLOSING


def _resumed_quote(text: str, at: int, limit: int) -> int | None:
    """Where the quotation resumes after an attribution ending at ``at``: the first opening
    quote mark before ``limit`` that opens a piece, right after the attribution or after
    punctuation or a line break, a conjunction allowed ('…," she said. "…' / '…," he said, but
    "…'), not a title quoted inside the attribution ('said on CNN's "State of the Union"
    Sunday. "…')."""
    for m in RESUME.finditer(text, at, limit):
        if m.end() >= len(text) or text[m.end()].isspace():
            continue  # a closing mark ('… was "b." ')
        before = _JOINED.sub("", text[at : m.start()])  # '…," he said, but "…'
        if not before.strip(" \t") or before.rstrip(" \t")[-1] in ",.;:!?—–-\n":
            return m.start()
    return None


_JOINED = re.compile(r"(?:^|(?<=\s))(?:and|but|or)\s*$")
