"""Framing cues: scare quotes, "so-called", distancing, loaded labels, name-calling, hedges,
intensifiers and numeric claims by rule and lexicon, and loaded language and name-calling
learned from PTC (`claimgraph.extract.loaded`, on by default; the opt-in propaganda-technique
model lives in `claimgraph.extract.propaganda`).

`extract_cues(doc, statements=…)` returns `Cue` records in text order; ``statement_index`` is
the innermost given statement that contains the cue. Everything works without statements too
(parse heuristics alone); given statements sharpen two decisions: a quotation that *is* a
statement's content is speech, not a scare quote, and a numeric claim inside one is that
speaker's.

Scare quotes. A short quotation (1–4 words) is a scare quote when

1. it is nested inside someone's quotation (``"The crimes of 'abuse' … ," the spokesman
   said``): the speaker's own scare quote, with ``statement_index`` set;
2. a labelling word comes right before it: so-called, such as, of ("allegations of
   "genocide""), no, a determiner or possessive ("his 'determination'"), or it is listed
   after another scare quote (``“genocide”, “forced labor” and “forced sterilization”``);
3. it is not a given statement's content and follows "as" ("declare … as "genocide"");
4. none of these, yet it is no Title Case name, no clause ("who "concocted lies"" is a
   partial quote) and no reporting verb or speech noun governs it (``China said a visit had
   put to rest “lies and rumors”`` is China's partial quote).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Span, Token

from .doctext import doc_text
from .numbers import find_numeric_claims, governing_verbs, is_reporting
from .quotes import QuoteSpan, find_quotes
from .records import DIRECT, Cue, Statement
from .terms import Lexicon, PhraseIndex, containing_statement, load_lexicon, units

CUE_TYPES = (
    "scare_quote",
    "so_called",
    "distancing",
    "loaded_label",
    "loaded_language",
    "name_calling",
    "hedge",
    "intensifier",
    "numeric_claim",
)
MAX_SCARE_WORDS = 4
_NEAR_VERB = 15  # tokens
_MARKS = "\"“”„'‘’‚«»‹›`"
_STRONG_BEFORE = frozenset(
    "so-called such-as of no the a an his her its their this these those our your my any "
    "alleged purported supposed self-proclaimed self-styled".split()
)
_SPEECH_NOUNS = frozenset(
    "assessment allegation accusation claim charge statement determination conclusion finding "
    "report declaration assertion argument belief view".split()
)
_LIST_GLUE = re.compile(r"^\s*(?:,|,?\s*(?:and|or))\s*(?:an?|the)?\s*$", re.IGNORECASE)
_BEFORE = re.compile(r"(so[-‐‑\s]called|such\s+as|[\w’'-]+)[\s\u00a0]*$", re.IGNORECASE)
_SO_CALLED = re.compile(r"\bso[-‐‑\s]called\b", re.IGNORECASE)
_WHAT_CLAIMED = re.compile(
    r"\bwhat\s+(?:[\w.’'-]+\s+){1,4}?(?:claim(?:s|ed)?|allege[sd]?|purport(?:s|ed)?)\s+"
    r"(?:to\s+be|was|were|is|are)\b",
    re.IGNORECASE,
)
_WHAT_TERMS = re.compile(
    r"\bwhat\s+(?:[\w.’'-]+\s+){1,4}?(?:terms?|termed|calls?|called|dubs?|dubbed|labels?|"
    r"labell?ed|brands?|branded|describes?\s+as|described\s+as|refers?\s+to\s+as|"
    r"referred\s+to\s+as)\b(?!\s+(?:on|for|upon|off|out|up|in|it)\b)",
    re.IGNORECASE,
)
_DISTANCING_ADJ = frozenset({"allege", "alleged", "purport", "purported", "suppose", "supposed"})


def extract_cues(
    doc: Doc,
    *,
    statements: Sequence[Statement] = (),
    lexicon: Lexicon | None = None,
    learned: bool = True,
) -> list[Cue]:
    """Every framing cue in the doc, in text order; ``learned``: with the loaded-language and
    name-calling taggers (`claimgraph.extract.loaded`)."""
    lexicon = lexicon or load_lexicon()
    cues = [
        *scare_quotes(doc, statements),
        *so_called(doc, statements),
        *distancing(doc, statements),
        *lexicon_cues(doc, statements, lexicon),
        *find_numeric_claims(doc, statements),
    ]
    if learned:
        from .loaded import loaded_cues

        cues += loaded_cues(doc, statements)
    cues = in_whose_words(doc, cues, statements)
    return sorted(_dedupe(cues), key=lambda c: (c.start, c.end, CUE_TYPES.index(c.type)))


# A whole state or an unnamed crowd utters nothing the outlet could be paraphrasing ("China
# rejects claims …, saying it has been taking measures against separatists who are seeking to
# join Takfiri outfits"): the unquoted words of such a statement are the outlet's summary.
_NO_UTTERER = frozenset({"country", "collective"})
_PROPOSITION_CUES = frozenset({"numeric_claim"})  # what is claimed, not how it is worded


def _paraphrased_by_outlet(st: Statement) -> bool:
    return st.kind != DIRECT and st.speaker_type in _NO_UTTERER and st.medium is None


def in_whose_words(doc: Doc, cues: Sequence[Cue], statements: Sequence[Statement]) -> list[Cue]:
    """The cues with ``statement_index`` cleared (the outlet's voice) where the words are the
    outlet's own although a statement contains them: no quotation mark touches the cue and
    every statement around it is a country's or a collective's position with no utterance
    named (no "in a statement", "in a letter"), none a person's or a body's. A number stays
    the speaker's claim whatever its wording."""
    if not any(_paraphrased_by_outlet(st) for st in statements):
        return list(cues)
    quotes = [(q.start, q.end) for q in find_quotes(doc_text(doc))]
    out = []
    for c in cues:
        around = [st for st in statements if st.start <= c.start and c.end <= st.end]
        if (
            c.statement_index is not None
            and c.type not in _PROPOSITION_CUES
            and all(_paraphrased_by_outlet(st) for st in around)
            and not any(s < c.end and c.start < e for s, e in quotes)
        ):
            c = replace(c, statement_index=None)
        out.append(c)
    return out


def _dedupe(cues: list[Cue]) -> list[Cue]:
    """One cue per (type, span); of overlapping cues of one type keep the longest."""
    kept: list[Cue] = []
    for c in sorted(cues, key=lambda c: -(c.end - c.start)):
        if not any(k.type == c.type and k.start < c.end and c.start < k.end for k in kept):
            kept.append(c)
    return kept


def _cue(
    doc: Doc,
    kind: str,
    start: int,
    end: int,
    statements: Sequence[Statement],
    detail: dict[str, Any] | None = None,
) -> Cue:
    idx = containing_statement(statements, start, end)
    return Cue(kind, start, end, doc_text(doc)[start:end], statement_index=idx, detail=detail)


# ------------------------------------------------------------------------------ scare quotes
def _inner(text: str, start: int, end: int) -> tuple[int, int]:
    """Offsets of the quoted words: without marks, edge spaces and trailing punctuation."""
    s, e = start, end
    while s < e and (text[s] in _MARKS or text[s].isspace()):
        s += 1
    while e > s and (text[e - 1] in _MARKS or text[e - 1].isspace() or text[e - 1] in ".,;:!?"):
        e -= 1
    return s, e


def _nested(text: str, q: QuoteSpan) -> Iterator[tuple[int, int]]:
    """Single-quoted words inside a double quotation (apostrophes are skipped)."""
    opened: int | None = None
    for i in range(q.start + 1, q.end - 1):
        ch, prev, nxt = text[i], text[i - 1], text[i + 1]
        if ch not in "'‘’":
            continue
        if opened is None and ch != "’" and not prev.isalnum() and nxt.isalpha():
            opened = i
        elif (
            opened is not None
            and ch != "‘"
            and not nxt.isalnum()
            and (prev.isalnum() or prev in ".!?")
        ):
            if len(text[opened:i].split()) <= MAX_SCARE_WORDS + 2:
                yield opened, i + 1
            opened = None


def _span(doc: Doc, start: int, end: int) -> Span | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def _is_clause(span: Span) -> bool:
    return any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "compound") for t in span)


def _speech_governed(root: Token) -> bool:
    """A reporting verb or a speech noun ("assessment that …") governs `root`, or (the parse
    of long news sentences is often wrong) a reporting verb shortly before it in its sentence."""
    if governing_verbs(root):
        return True
    sent_start = root.sent.start if root.doc.has_annotation("SENT_START") else 0
    for t in root.doc[max(sent_start, root.left_edge.i - _NEAR_VERB) : root.left_edge.i]:
        if is_reporting(t, beliefs=False) and t.dep_ != "amod":
            return True
    child = root
    for anc in root.ancestors:
        if anc.lemma_.lower() in _SPEECH_NOUNS and child.dep_ in ("acl", "ccomp", "relcl"):
            return True
        child = anc
    return False


def _statement_content(statements: Sequence[Statement], text: str, s: int, e: int) -> bool:
    """Is the quotation [s, e) (inner words) the whole content of a given statement?"""
    return any(_inner(text, st.start, st.end) == (s, e) for st in statements)


def _scare_reason(
    doc: Doc, q_start: int, s: int, e: int, statements: Sequence[Statement], prev_end: int | None
) -> str | None:
    """Why [s, e) is a scare quote ("so-called", "as", "list", …), or None when it is not."""
    text = doc_text(doc)
    m = _BEFORE.search(text, max(0, q_start - 30), q_start)
    before = re.sub(r"[\s‐‑]+", "-", m.group(1).lower()) if m else ""
    words = text[s:e].split()
    if len(words) > 1 and all(w[:1].isupper() for w in words) and before != "so-called":
        return None  # a title or a name: "Hidden Figures"
    if prev_end is not None and _LIST_GLUE.match(text[prev_end:q_start]):
        return "list"
    if before in _STRONG_BEFORE:
        return before
    if _statement_content(statements, text, s, e):
        return None
    if before == "as":
        return "as"
    span = _span(doc, s, e)
    if span is None or _is_clause(span) or _speech_governed(span.root):
        return None
    return "unattributed"


def scare_quotes(doc: Doc, statements: Sequence[Statement] = ()) -> list[Cue]:
    text = doc_text(doc)
    out: list[Cue] = []
    prev_end: int | None = None
    for q in find_quotes(text):
        s, e = _inner(text, q.start, q.end)
        n = len(text[s:e].split())
        if text[q.start] not in "'‘’‚":
            for ns, ne in _nested(text, q):
                i_s, i_e = _inner(text, ns, ne)
                if 1 <= len(text[i_s:i_e].split()) <= MAX_SCARE_WORDS:
                    detail = {"quoted": text[i_s:i_e], "context": "nested", "closed": True}
                    out.append(_cue(doc, "scare_quote", ns, ne, statements, detail))
        if not 1 <= n <= MAX_SCARE_WORDS:
            prev_end = None
            continue
        reason = _scare_reason(doc, q.start, s, e, statements, prev_end)
        prev_end = q.end if reason else None
        if reason:
            end = q.end if q.closed else e
            detail = {"quoted": text[s:e], "context": reason, "closed": q.closed}
            out.append(_cue(doc, "scare_quote", q.start, end, statements, detail))
    return out


# ------------------------------------------------------------------------------ so-called
def _target_end(doc: Doc, after: int, quotes: list[QuoteSpan]) -> int | None:
    """End offset of what "so-called" modifies: a quotation or a noun phrase's head."""
    text = doc_text(doc)
    pos = after
    while pos < len(text) and text[pos].isspace():
        pos += 1
    quote = next((q for q in quotes if q.start == pos), None)
    if quote is not None:
        return quote.end if quote.closed else _inner(text, quote.start, quote.end)[1]
    span = _span(doc, pos, min(len(text), pos + 1))
    if span is None:
        return None
    first = span[0]
    called = doc[first.i - 1] if first.i else None
    head = called.head if called is not None and called.lower_ == "called" else None
    if (
        head is not None
        and head.i >= first.i
        and head.pos_ in ("NOUN", "PROPN")
        and head.i - first.i < 8
    ):
        return head.idx + len(head)
    last = None
    for t in doc[first.i : first.i + 8]:
        if t.pos_ in ("NOUN", "PROPN"):
            last = t
        elif last is not None and t.text not in "-‐‑":
            break
    return last.idx + len(last) if last is not None else None


def so_called(doc: Doc, statements: Sequence[Statement] = ()) -> list[Cue]:
    text = doc_text(doc)
    quotes = find_quotes(text)
    out = []
    for m in _SO_CALLED.finditer(text):
        end = _target_end(doc, m.end(), quotes)
        if end is None:
            continue
        target = text[m.end() : end].strip().strip(_MARKS)
        out.append(_cue(doc, "so_called", m.start(), end, statements, {"target": target}))
    return out


# ------------------------------------------------------------------------------ distancing
def distancing(doc: Doc, statements: Sequence[Statement] = ()) -> list[Cue]:
    """ "what he claimed to be", "what it terms", attributive "alleged"/"purported"/
    "supposed" (not the reporting verb "X alleged that …", not "supposed to")."""
    text = doc_text(doc)
    out = []
    for rx, rule in ((_WHAT_CLAIMED, "what_claimed"), (_WHAT_TERMS, "what_terms")):
        for m in rx.finditer(text):
            if "\n" not in m.group():
                out.append(_cue(doc, "distancing", m.start(), m.end(), statements, {"rule": rule}))
    for t in doc:
        if t.lower_ not in _DISTANCING_ADJ:
            continue
        nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
        attributive = t.dep_ == "amod" or (t.tag_ == "JJ" and t.dep_ != "ROOT")
        if attributive and (nxt is None or nxt.lower_ != "to"):
            end = t.idx + len(t)
            out.append(_cue(doc, "distancing", t.idx, end, statements, {"rule": "adjective"}))
    return out


# ------------------------------------------------------------------------------ lexicon cues
_LEXICON_ORDER = ("loaded_label", "name_calling", "intensifier", "hedge", "distancing")


@lru_cache(maxsize=8)
def _cue_index(lexicon: Lexicon) -> PhraseIndex:
    entries = [(p, (kind, p)) for kind in _LEXICON_ORDER for p in lexicon.cue_phrases(kind)]
    return PhraseIndex(entries)


def _modifier(tok: Token) -> bool:
    """Used as a modifier ("terrorist activities"), not as a label of its own."""
    while tok.dep_ == "conj":
        tok = tok.head
    return tok.dep_ in ("amod", "compound") and tok.head.i > tok.i


def lexicon_cues(doc: Doc, statements: Sequence[Statement], lexicon: Lexicon) -> list[Cue]:
    us = units(doc)
    out = []
    for m in _cue_index(lexicon).find(doc, us):
        kind, phrase = m.payload
        if kind == "name_calling" and _modifier(doc[us[m.end - 1].tok_end - 1]):
            continue
        start, end = us[m.start].start, us[m.end - 1].end
        out.append(_cue(doc, kind, start, end, statements, {"phrase": phrase}))
    return out
