"""Statements: every quote and piece of reported speech in an article, with its speaker.

`extract_statements(doc)` combines three passes:

1. `quotes.find_quotes` pairs the quotation marks once, over the raw text;
2. `reported.find_attributions` finds reporting verbs (and "according to") with their source
   and content in the parse. A content that is (almost) all quotation becomes a *direct*
   statement whose span is the quotation itself; a content with a quoted fragment is *mixed*
   (a clause) or *partial* (a noun phrase: "what he claimed to be the “ongoing genocide”");
   one without quotation marks is *indirect*;
3. quotations no verb claimed are attributed by position: a reporting verb right after the
   quote in its sentence (``"…," he said``) or right before it (``X stressed, "…"``); else a
   quote of sentence length continues the speaker of the statement just before it in the same
   or the previous paragraph (the news convention for a run of quoted paragraphs). Short
   quotations nobody is said to have said are scare quotes, not statements.

Content spans of direct quotes *include* the quotation marks, as PolNeAR's do. Speakers are
resolved in text order by `speakers.resolve`, so pronouns and role nouns see the discourse
before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from .quotes import QuoteSpan, find_quotes, quote_words
from .records import DIRECT, INDIRECT, MIXED, PARTIAL, Statement
from .reported import Attribution, bare_cue, find_attributions
from .speakers import ActorIndex, Speaker, resolve

_LONG_QUOTE_WORDS = 5  # shorter quotations need a reporting verb to count as speech
_WORD_RE = re.compile(r"\w+")


@dataclass
class _Draft:
    kind: str
    start: int  # characters
    end: int
    att: Attribution | None = None  # where the cue and the source mention come from
    follows: bool = False  # continues the previous statement's speaker


def _quote_tokens(doc: Doc, quotes: list[QuoteSpan]) -> tuple[list[tuple[int, int]], list[bool]]:
    spans, quoted = [], [False] * len(doc)
    for q in quotes:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            spans.append((0, 0))
            continue
        spans.append((span.start, span.end))
        for i in range(span.start, span.end):
            quoted[i] = True
    return spans, quoted


def _is_long(text: str, q: QuoteSpan) -> bool:
    inner = text[slice(*q.inner(text))]
    return quote_words(text, q) >= _LONG_QUOTE_WORDS or bool(re.search(r"[.?!]$", inner))


def _outside_words(text: str, start: int, end: int, quotes: list[QuoteSpan]) -> int:
    chars = list(text[start:end])
    for q in quotes:
        for i in range(max(q.start, start), min(q.end, end)):
            chars[i - start] = " "
    return len(_WORD_RE.findall("".join(chars)))


def _from_attribution(doc: Doc, att: Attribution, quotes: list[QuoteSpan], used: set[int]):
    text = doc.text
    start, end = doc[att.content[0]].idx, doc[att.content[1] - 1].idx + len(
        doc[att.content[1] - 1]
    )
    inside = [i for i, q in enumerate(quotes) if q.start < end and start < q.end]
    if not inside:
        return _Draft(INDIRECT, start, end, att)
    used.update(inside)
    q_start = min(quotes[i].start for i in inside)
    q_end = max(quotes[i].end for i in inside)
    rest = _outside_words(text, start, end, [quotes[i] for i in inside])
    if rest <= 1 and (any(_is_long(text, quotes[i]) for i in inside) or att.lemma != "call"):
        kind = DIRECT if any(_is_long(text, quotes[i]) for i in inside) else PARTIAL
        return _Draft(kind, q_start, q_end, att)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc[att.content[0] : att.content[1]])
    kind = MIXED if has_verb else PARTIAL
    return _Draft(kind, min(start, q_start), max(end, q_end), att)


def _paragraph_of(text: str, pos: int) -> int:
    return text.count("\n\n", 0, pos) + text.count("\n", 0, pos)


def _attribute_quote(doc: Doc, q: QuoteSpan, span: tuple[int, int], prev: _Draft | None):
    text = doc.text
    long = _is_long(text, q)
    att = bare_cue(doc, span)
    if att is not None:
        return _Draft(DIRECT if long else PARTIAL, q.start, q.end, att)
    if not long:
        return None
    if prev is not None and _paragraph_of(text, q.start) - _paragraph_of(text, prev.end) <= 2:
        return _Draft(DIRECT, q.start, q.end, None, follows=True)
    return None


def _drafts(doc: Doc) -> list[_Draft]:
    text = doc.text
    quotes = find_quotes(text)
    q_tokens, quoted = _quote_tokens(doc, quotes)
    used: set[int] = set()
    drafts = [_from_attribution(doc, a, quotes, used) for a in find_attributions(doc, quoted)]
    drafts = _dedupe(drafts)
    taken = sorted(drafts, key=lambda d: d.start)
    for i, q in enumerate(quotes):
        if i in used or q_tokens[i][1] <= q_tokens[i][0]:
            continue
        if any(d.start <= q.start and q.end <= d.end for d in taken):
            continue
        prev = max((d for d in taken if d.end <= q.start), key=lambda d: d.end, default=None)
        draft = _attribute_quote(doc, q, q_tokens[i], prev)
        if draft is not None:
            taken.append(draft)
            taken.sort(key=lambda d: d.start)
    return taken


def _dedupe(drafts: list[_Draft]) -> list[_Draft]:
    """Drop a statement whose content lies inside another's with the same source head (the
    second verb of "said X and added Y" is kept: its content does not nest)."""
    out: list[_Draft] = []
    for d in sorted(drafts, key=lambda d: (d.start, -d.end)):
        if any(
            o.start <= d.start and d.end <= o.end and (o.start, o.end) != (d.start, d.end)
            for o in out
        ):
            continue
        if any((o.start, o.end) == (d.start, d.end) for o in out):
            continue
        out.append(d)
    return out


def _statement(doc: Doc, d: _Draft, speaker: Speaker | None) -> Statement:
    att = d.att
    cue = cue_start = cue_end = cue_class = None
    if att is not None:
        c = doc[att.cue[0] : att.cue[1]]
        cue, cue_start, cue_end, cue_class = c.text, c.start_char, c.end_char, att.cue_class
    actor = speaker.actor if speaker is not None else None
    return Statement(
        kind=d.kind,
        start=d.start,
        end=d.end,
        text=doc.text[d.start : d.end],
        speaker=actor.name if actor is not None else None,
        speaker_mention=speaker.mention if speaker is not None else None,
        speaker_start=speaker.start if speaker is not None else None,
        speaker_end=speaker.end if speaker is not None else None,
        speaker_type=actor.type if actor is not None else None,
        speaker_role=actor.role if actor is not None else None,
        speaker_title=actor.title if actor is not None else None,
        speaker_affiliation=actor.affiliation if actor is not None else None,
        cue=cue,
        cue_start=cue_start,
        cue_end=cue_end,
        cue_class=cue_class,
    )


def extract_statements(doc: Doc) -> list[Statement]:
    """Every quote and piece of reported speech in ``doc``, sorted by start offset."""
    drafts = _drafts(doc)
    quoted = [False] * len(doc)
    for d in drafts:
        if d.kind == DIRECT:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None:
                quoted[span.start : span.end] = [True] * len(span)
    index = ActorIndex(doc, quoted)
    out: list[Statement] = []
    last: Speaker | None = None
    order = sorted(drafts, key=lambda d: d.att.source[0] if d.att and d.att.source else -1)
    order = sorted(drafts, key=lambda d: _mention_pos(doc, d))
    resolved: dict[int, Speaker | None] = {}
    for d in order:
        if d.att is not None and d.att.source is not None:
            resolved[id(d)] = resolve(index, d.att.source[0], d.att.source[1], d.att.source_head)
    for d in sorted(drafts, key=lambda d: d.start):
        speaker = resolved.get(id(d))
        if d.follows:
            speaker = last
        out.append(_statement(doc, d, speaker))
        if speaker is not None:
            last = speaker
    return [replace(s) for s in out]


def _mention_pos(doc: Doc, d: _Draft) -> int:
    if d.att is not None and d.att.source is not None:
        return doc[d.att.source[0]].idx
    return d.start
