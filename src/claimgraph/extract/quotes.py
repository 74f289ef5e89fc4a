"""Quotation-mark pairing over raw text.

One left-to-right pass over the quote characters of the article (never over tokens) finds the
top-level quotations, with character offsets that *include* the marks — PolNeAR's Content
spans include them too (``“gifted hands, enhanced imagination.”``).

Rules, each a habit of news copy:

- Double marks (``"`` ``“`` ``”`` ``„`` and the typewriter pairs ``''`` and ````) form one
  family: a straight or curly mark may close a quote opened by the other kind, as copy desks
  mix them. Whether a mark opens or closes is read from its neighbours, not from its shape
  alone, because a ``”`` typed as an opener is common.
- Single marks (``'`` ``‘`` ``’``) open a top-level quote only before a letter and after a
  space or an opening bracket; between two letters they are apostrophes (China's, don't).
  Inside a double quote they are nested quotes and are ignored.
- Guillemets ``«`` ``»`` pair with each other.
- A quote still open at the end of a paragraph continues into the next paragraph when that
  paragraph opens with a quote mark (the news convention for multi-paragraph quotes);
  otherwise it is closed at the paragraph end and flagged ``closed=False``.
- An odd number of marks never raises: unmatched closers are ignored, unmatched openers
  end at their paragraph.
"""

from __future__ import annotations

import re
from typing import NamedTuple

DOUBLE_OPEN = frozenset("“„")
DOUBLE_CLOSE = frozenset("”")
SINGLE = frozenset("'‘’‚")
GUILLEMET_OPEN = frozenset("«‹")
GUILLEMET_CLOSE = frozenset("»›")

_MARK_RE = re.compile(r"''|``|[\"“”„'‘’‚«»‹›]")
_PARA_RE = re.compile(r"\n\s*")
_OPEN_LEFT = set(" \t\n\r([{—–-/\u00a0") | set("\"“”„'‘’«»")
_CLOSE_RIGHT = set(" \t\n\r.,;:!?)]}—–-/\u00a0…") | set("\"“”„'‘’«»")


class QuoteSpan(NamedTuple):
    """A top-level quotation: ``text[start:end]`` runs from the opening mark to the closing
    mark inclusive (or to the end of the paragraph for an unclosed quote)."""

    start: int
    end: int
    closed: bool
    paragraphs: int  # how many paragraphs the quote runs over

    def inner(self, text: str) -> tuple[int, int]:
        """Offsets of the quoted words without the marks and edge spaces."""
        m = re.match(r"(?:''|``|[\"“”„'‘’‚«»‹›\s])*", text[self.start : self.end])
        start = self.start + (m.end() if m else 0)
        end = self.end
        while end > start and text[end - 1] in "\"“”„'‘’‚«»‹› \n\t":
            end -= 1
        return start, end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for m in _PARA_RE.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _ctx(text: str, start: int, end: int) -> tuple[bool, bool]:
    """(may open, may close) for the mark at text[start:end], from its neighbours."""
    prev = text[start - 1] if start > 0 else " "
    nxt = text[end] if end < len(text) else " "
    may_open = prev in _OPEN_LEFT and not nxt.isspace()
    may_close = not prev.isspace() and nxt in _CLOSE_RIGHT
    return may_open, may_close


class _Scanner:
    """State for one pass; `feed` every mark of one paragraph, then `end_paragraph`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes: list[QuoteSpan] = []
        self.open_at: int | None = None  # start of the open top-level quote
        self.family: str | None = None  # "double", "single", "guillemet"
        self.paras = 1
        self.nested = 0  # double quotes opened inside the open double quote, not yet closed
        self.nested_close: int | None = None  # end of the last mark that closed one of them

    def _close(self, end: int, closed: bool = True) -> None:
        if self.open_at is not None:
            self.quotes.append(QuoteSpan(self.open_at, end, closed, self.paras))
        self.open_at, self.family, self.paras = None, None, 1
        self.nested, self.nested_close = 0, None

    def feed(self, mark: str, start: int, end: int) -> None:
        may_open, may_close = _ctx(self.text, start, end)
        if mark in GUILLEMET_OPEN or mark in GUILLEMET_CLOSE:
            self._feed_guillemet(mark, start, end)
        elif mark in SINGLE:
            self._feed_single(mark, start, end, may_open, may_close)
        else:
            self._feed_double(mark, start, end, may_open, may_close)

    def _feed_guillemet(self, mark: str, start: int, end: int) -> None:
        if self.open_at is None and mark in GUILLEMET_OPEN:
            self.open_at, self.family = start, "guillemet"
        elif self.family == "guillemet" and mark in GUILLEMET_CLOSE:
            self._close(end)

    def _feed_double(self, mark: str, start: int, end: int, may_open: bool, may_close: bool):
        if self.family == "double":
            if mark in DOUBLE_OPEN and may_open and not may_close:
                # a nested quote ('… what he calls “hell” than …') or a stray; a mark doubled
                # at the quote's start ('"“You don't …') opens nothing
                if self.open_at is not None and self.text[self.open_at + 1 : start].strip():
                    self.nested += 1
                return
            if may_close or not may_open or mark in DOUBLE_CLOSE:
                if self.nested:  # it closes the nested quote, not this one
                    self.nested -= 1
                    self.nested_close = end
                else:
                    self._close(end)
            return
        if self.family == "single":
            if not may_open or mark in DOUBLE_CLOSE:
                return
            self.open_at, self.family = None, None  # the single mark was no quote
        if self.open_at is None and (mark in DOUBLE_OPEN or may_open) and mark not in DOUBLE_CLOSE:
            self.open_at, self.family = start, "double"
        elif self.open_at is None and mark in DOUBLE_CLOSE and may_open and not may_close:
            self.open_at, self.family = start, "double"  # a ” typed as an opener

    def _feed_single(self, mark: str, start: int, end: int, may_open: bool, may_close: bool):
        text = self.text
        prev = text[start - 1] if start > 0 else " "
        nxt = text[end] if end < len(text) else " "
        if prev.isalnum() and nxt.isalnum():
            return  # apostrophe inside a word
        if self.family == "single":
            if may_close and mark != "‘":
                self._close(end)
        elif self.family is None and may_open and nxt.isalpha() and mark != "’":
            self.open_at, self.family = start, "single"

    def end_paragraph(self, para_end: int, next_para: tuple[int, int] | None) -> bool:
        """Close or carry the open quote at a paragraph break. Returns True when the quote
        continues and the next paragraph's first mark must be skipped."""
        if self.open_at is None:
            return False
        if next_para is not None:
            first = self.text[next_para[0] : next_para[0] + 2]
            opener = _MARK_RE.match(first)
            if opener and _ctx(self.text, next_para[0], next_para[0] + len(opener.group()))[0]:
                fam = "single" if opener.group() in SINGLE else "double"
                if fam == self.family or (self.family == "guillemet" and opener.group() in "«"):
                    self.paras += 1
                    self.nested, self.nested_close = 0, None
                    return True
        if self.nested_close is not None:
            # the quote does not go on, and a mark inside it closed what looked like a nested
            # quote: the opener was a stray, and the quote ends there ('“He said “no.” Then …')
            self._close(self.nested_close)
            return False
        if self.family == "single":
            self.open_at, self.family, self.paras = None, None, 1  # never a quote
            return False
        end = para_end
        while end > self.open_at and self.text[end - 1].isspace():
            end -= 1
        self._close(end, closed=False)
        return False


def find_quotes(text: str) -> list[QuoteSpan]:
    """All top-level quotations in ``text``, in order. Never raises on unbalanced marks."""
    scanner = _Scanner(text)
    paras = paragraph_spans(text)
    skip_first = False
    for i, (p_start, p_end) in enumerate(paras):
        for j, m in enumerate(_MARK_RE.finditer(text, p_start, p_end)):
            if j == 0 and skip_first and m.start() == p_start:
                continue
            scanner.feed(m.group(), m.start(), m.end())
        nxt = paras[i + 1] if i + 1 < len(paras) else None
        skip_first = scanner.end_paragraph(p_end, nxt)
    return scanner.quotes


def quote_words(text: str, span: QuoteSpan) -> int:
    """Number of words between the marks."""
    start, end = span.inner(text)
    return len(text[start:end].split())


# A wire-copy dateline opening a paragraph: "BEIJING, Feb. 1 (Xinhua) --", "LUSSEN, March 16
# --", "KORVA, March 15 (VNA) -". Its place and agency are no one's words and no speaker.
_DATELINE_RES = (
    re.compile(r"[^\n]{0,120}?\([A-Z][\w .&-]{1,30}\)[ \t]*(?::|--|—|–|-)[ \t]*"),
    re.compile(
        r"[A-Z][A-Z.'’-]+(?:[ \t][A-Z][A-Z.'’-]+){0,3}(?:,[ \t][^\n()—–]{1,40}?)?"
        r"(?:[ \t]*\([^()\n]{1,40}\))?[ \t]*(?:--|—|–|-)[ \t]+"
    ),
)


def dateline_end(text: str, para_start: int, limit: int | None = None) -> int | None:
    """End offset of the dateline that opens the paragraph starting at ``para_start``, if
    any (at most ``limit``)."""
    end = len(text) if limit is None else limit
    for pattern in _DATELINE_RES:
        m = pattern.match(text, para_start, end)
        if m is not None:
            return m.end()
    return None


def datelines(text: str) -> list[tuple[int, int]]:
    """Character spans of the datelines that open paragraphs of ``text``."""
    out = []
    for start, end in paragraph_spans(text):
        stop = dateline_end(text, start, end)
        if stop is not None:
            out.append((start, stop))
    return out
