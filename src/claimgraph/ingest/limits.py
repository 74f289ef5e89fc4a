"""Per-article limits that bound the time extraction can take on one text.

Parsing and extraction cost grows with the text's length, and faster than linearly on a few
shapes of hostile text: spaCy's tokenizer is quadratic in the length of a run of symbols
without a space (``=====…``, ``____…``, a long run of quote marks), and the per-quotation steps of the cue
extractor look at the whole document for each quotation. So an article is refused, with a
named reason, when it is longer than ``--max-chars``, holds more quote marks than
``--max-quotes``, or has a run of more than `MAX_SYMBOL_RUN` symbols. Within those limits the
time per article is bounded (docs/reliability.md gives the measured worst cases).
"""

from __future__ import annotations

import re
import unicodedata

from claimgraph.ingest.base import IngestFailure, IngestOptions
from claimgraph.ingest.decode import display

# Longest run of characters that are neither letters, digits nor whitespace ("_" counts as a
# symbol). Real copy has rules of ~80 "=" or "-" at most; a run of 100 costs the tokenizer
# ~10 ms, one of 10,000 about 90 s.
MAX_SYMBOL_RUN = 100
_SYMBOL_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_SYMBOL_RUN + 1},}}")
# Quote marks as the quote scanner sees them: every double mark and guillemet, and single
# marks at a word edge (an apostrophe inside a word, as in "China's", is not counted).
_QUOTE_MARK = re.compile(r"[\"“”„«»‹›]|(?<!\w)['‘’‚]|['‘’‚](?!\w)")


def _symbol(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"  # punctuation (incl. "_") or symbol


def longest_symbol_run(text: str) -> tuple[int, int]:
    """(start, length) of the longest run of punctuation and symbols over `MAX_SYMBOL_RUN`
    characters, or (0, 0) when there is none. Combining marks and other non-letters do not
    count: only what the tokenizer splits off as prefixes and suffixes."""
    best = (0, 0)
    for m in _SYMBOL_RUN.finditer(text):
        start = None
        for i in range(m.start(), m.end() + 1):
            if i < m.end() and _symbol(text[i]):
                start = i if start is None else start
            elif start is not None:
                if i - start > best[1]:
                    best = (start, i - start)
                start = None
    return best if best[1] > MAX_SYMBOL_RUN else (0, 0)


def count_quote_marks(text: str) -> int:
    """Quote marks in `text` (double marks, guillemets, single marks at a word edge)."""
    return sum(1 for _ in _QUOTE_MARK.finditer(text))


def check_text(source: str, text: str, options: IngestOptions) -> IngestFailure | None:
    """The failure for an article text over a limit, or None when it is within them all."""
    name = display(source)
    if len(text) > options.max_chars:
        return IngestFailure(
            source,
            f"{name}: text is {len(text):,} characters, over the "
            f"{options.max_chars:,}-character limit; pass --max-chars to raise it",
        )
    marks = count_quote_marks(text)
    if marks > options.max_quotes:
        return IngestFailure(
            source,
            f"{name}: text has {marks:,} quote marks, over the {options.max_quotes:,}-mark "
            "limit that keeps extraction time bounded; pass --max-quotes to raise it",
        )
    start, length = longest_symbol_run(text)
    if length:
        return IngestFailure(
            source,
            f"{name}: text has a run of {length:,} punctuation marks or symbols without a "
            f"space at character {start:,}, over the {MAX_SYMBOL_RUN}-character limit (the "
            "tokenizer slows down quadratically on such runs); shorten the run in the input",
        )
    return None
