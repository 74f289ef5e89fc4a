"""Statements: every quote and piece of reported speech in an article, with its speaker.

`extract_statements(doc)` combines these passes:

1. `quotes.find_quotes` pairs the quotation marks once, over the raw text;
2. `reported.find_attributions` finds reporting verbs (and "according to") with their source
   and content in the parse. A content that is (almost) all quotation becomes a *direct*
   statement whose span is the quotation itself; a content with a quoted fragment is *mixed*
   (a clause) or *partial* (a noun phrase: "what he claimed to be the “ongoing genocide”");
   one without quotation marks is *indirect*; a verb read inside markup left in the text
   (``<tweet author="…">``) is no cue;
3. transcript lines that open with a name and a colon ("WALLACE: …"; the turn is kept even
   when it reports someone else inside it), and headlines of the form ``Name: “quote”`` or
   ``Name: claim`` / ``Poll: claim`` (PolNeAR, like a reader, credits the name with the
   claim; a label such as "Explainer: why …" or "Analysis: …" names no speaker);
4. quotations no verb claimed are attributed by position: a reporting verb right after the
   quote in its sentence (``"…," he said``), right before it (``X stressed, "…"``), a dash
   and a name (``“…” ― Sonya Herridge``), or a paragraph that ends by introducing it
   (``He said:`` ¶ ``"…"``; the same lead-in makes an unquoted paragraph after it an
   indirect statement); an embedded post (a paragraph signed on the next
   line "— Name (@handle) date") is Name's, word for word; else a quoted sentence continues
   the speaker of the statement just before it in the same or the previous paragraph (the
   news convention for a run of quoted paragraphs). Short quotations nobody is said to have
   said are scare quotes, and Title Case ones are names of shows or books: neither is a
   statement;
5. the parts of a quote interrupted by its attribution (``"A," he said, "B."``) become one
   statement, as PolNeAR marks them; several sentences of unmarked speech closed by one
   "…, said X" are X's up to the start of the paragraph.

Content spans of direct quotes *include* the quotation marks, as PolNeAR's Content spans do.
Speakers are resolved in text order by `speakers.resolve`, so pronouns and role nouns see the
discourse before them.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from .confidence import WEIGHED_KINDS, features, shipped_model
from .continuation import continued_sentences
from .doctext import doc_text as _text
from .quote_cues import bare_cue, inverted_cue, lead_in_cue
from .quotes import QuoteSpan, dateline_end, find_quotes, paragraph_spans, quote_words
from .records import DIRECT, DISTANCING, INDIRECT, MIXED, NEUTRAL, PARTIAL, Statement
from .reported import Attribution, find_attributions, relayed_speech
from .roles import is_agent_noun
from .speakers import ActorIndex, Speaker, resolve
from .verbs import ReportingLexicon, default_lexicon

_MARKS_AND_SPACE = frozenset("\"“”„'‘’«»` \t\n\u00a0")
_LONG_QUOTE_WORDS = 3  # shorter quotations need a reporting verb to count as speech
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


_MINOR_WORDS = frozenset("a an the and or of in on at to for with by from is are as".split())


def _is_title(inner: str) -> bool:
    """Title Case words: the name of a show, a book, a song or a headline."""
    words = [w for w in re.findall(r"[\w'’-]+", inner)]
    major = [w for w in words if w.lower() not in _MINOR_WORDS]
    return 0 < len(words) <= 8 and len(major) >= 2 and all(w[:1].isupper() for w in major)


def _starts_sentence(text: str, q: QuoteSpan) -> bool:
    """Does the quotation stand as a sentence of its own (not a fragment of the outlet's)?
    It does when it opens its paragraph or follows the end of a sentence."""
    line_start = text.rfind("\n", 0, q.start) + 1
    before = _OPENER.sub("", text[line_start : q.start].rstrip()).rstrip()
    return not before or before[-1] in ".?!:;\"”’'…)"


# a word that opens a sentence before its quotation ('…,” he said. But “It helps.”')
_OPENER = re.compile(r"(?:^|(?<=\s))(?:But|And|Yet|Still|So|Then|Also|Plus|However,?)$")


def _is_speech(doc: Doc, q: QuoteSpan) -> bool:
    """Is the quotation someone's words rather than a scare-quoted term? It is when it runs
    to three words or more, or holds a clause of its own ("We win")."""
    text = _text(doc)
    start, end = q.inner(text)
    words = quote_words(text, q)
    if _is_title(text[start:end]):
        return False  # “Fox News Sunday,” 'Legend in the Coal Fields.': a name, not words said
    if words >= _LONG_QUOTE_WORDS:
        return True
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and any(t.dep_ in ("nsubj", "nsubjpass", "expl") for t in span)


def _outside_words(text: str, start: int, end: int, masks: list[tuple[int, int]]) -> int:
    """Words of ``text[start:end]`` outside the masked spans (quotes, the attribution)."""
    chars = list(text[start:end])
    for m_start, m_end in masks:
        for i in range(max(m_start, start), min(m_end, end)):
            chars[i - start] = " "
    return len(_WORD_RE.findall("".join(chars)))


def _char_bounds(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    last = doc[span[1] - 1]
    return doc[span[0]].idx, last.idx + len(last)


def _clip(text: str, start: int, end: int, anchor: int) -> tuple[int, int]:
    """Keep a content span inside the paragraph of ``anchor`` (the cue), and drop a dateline
    ("BEIJING, Feb. 1 (Xinhua) --") from its beginning."""
    para_start = text.rfind("\n", 0, anchor) + 1
    para_end = text.find("\n", anchor)
    para_end = len(text) if para_end < 0 else para_end
    start, end = max(start, para_start), min(end, para_end)
    if start - para_start < 120:
        stop = dateline_end(text, para_start, end)
        if stop is not None and stop > start:
            start = stop
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _from_attribution(doc: Doc, att: Attribution, quotes: list[QuoteSpan], used: set[int]):
    text = _text(doc)
    start, end = _char_bounds(doc, att.content)
    start, end = _clip(text, start, end, doc[att.cue[0]].idx)
    if end <= start:
        return None
    inside = [
        i
        for i, q in enumerate(quotes)
        if q.start < end and start < q.end and not _is_title(text[slice(*q.inner(text))])
    ]
    if not inside:
        return _Draft(INDIRECT, start, end, att)
    qs = [quotes[i] for i in inside]
    if att.lemma in default_lexicon().quote_naming and qs[0].start <= start + 1:
        used.add(inside[0])  # "what Blinken called “internment camps” where …"
        return _Draft(PARTIAL, qs[0].start, qs[0].end, att)
    q_start, q_end = min(q.start for q in qs), max(q.end for q in qs)
    if att.postposed and start < q_start and text[start:q_start].rstrip().endswith(":"):
        # 'X scolded him: “…,” she said': the lead-in before the colon is the writer's
        start = q_start
    introduced = _setting_before(doc, att, start, q_start, text[q_end:end])
    if introduced:
        start = q_start  # 'Asked about the vote, he said, “…”': the question is not his words
    masks = [(q.start, q.end) for q in qs] + [_char_bounds(doc, att.cue)]
    if att.source is not None:  # '"A," he said, "B."': the attribution is not content
        masks.append(_char_bounds(doc, att.source))
    rest = _outside_words(text, start, end, masks)
    long = introduced or any(_is_speech(doc, q) for q in qs)  # 'he said, “Probably.”'
    i = qs[0].inner(text)[0]
    lower = text[i : i + 1].islower()  # 'says he “talked the talk”': a fragment
    if rest == 0 or (rest == 1 and not lower):
        if att.lemma in default_lexicon().belief:
            return None  # 'knows “LeBron will always be the king.”': not a quotation of hers
        if (
            not long
            and att.cue_class not in (DISTANCING,)
            and att.lemma not in default_lexicon().quote_naming
        ):
            return None  # a scare-quoted word, not speech: 'declared it "genocide"'
        used.update(inside)
        return _Draft(DIRECT if long else PARTIAL, q_start, q_end, att)
    used.update(inside)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in doc[att.content[0] : att.content[1]])
    kind = MIXED if has_verb else PARTIAL
    return _Draft(kind, min(start, q_start), max(end, q_end), att)


_SETTING_OPENERS = frozenset("asked pressed questioned speaking after".split())


def _setting_before(doc: Doc, att: Attribution, start: int, q_start: int, tail: str) -> bool:
    """``Asked about X, he said, “…”`` / ``Speaking to reporters, she said: “…”``: the
    content opens with the occasion of the quotation, then its speaker and cue, then the
    quotation to the end."""
    if att.postposed or att.source is None or tail.strip(" .,;") or start >= q_start:
        return False
    text = _text(doc)
    cue_end = _char_bounds(doc, att.cue)[1]
    if not start < doc[att.source[0]].idx < cue_end <= q_start:
        return False
    if text[cue_end:q_start].strip() not in ("", ",", ":"):
        return False
    words = [w.strip(",").lower() for w in text[start:q_start].split()[:2]]
    if words and words[0] == "when" and len(words) > 1:
        words = words[1:]  # "When asked …"
        return words[0] in ("asked", "pressed", "questioned")
    return bool(words) and words[0] in _SETTING_OPENERS


# Typographic attributions: a dash and a name, a name and a colon.

_DASH_RE = re.compile(r"[ \t\u00a0]*(?:―|—|–|--|-)[ \t\u00a0]*")


def dash_cue(doc: Doc, quote_end: int, text: str | None = None) -> Attribution | None:
    """``“…” ― Sonya Herridge``: a quotation (ending at character ``quote_end``) signed with a
    dash and a name."""
    m = _DASH_RE.match(_text(doc) if text is None else text, quote_end)
    if m is None:
        return None
    dash = doc.char_span(m.start(), m.end(), alignment_mode="expand")
    first = doc.char_span(m.end(), m.end() + 1, alignment_mode="expand")
    if dash is None or first is None:
        return None
    start = i = first.start
    while i < len(doc) and i < start + 4 and doc[i].pos_ == "PROPN" and doc[i].text[:1].isupper():
        i += 1
    if i == start:
        return None
    return Attribution(
        cue=(dash.start, dash.end),
        cue_class=NEUTRAL,
        lemma="―",
        content=(dash.start, dash.start),
        source=(start, i),
        source_head=i - 1,
        postposed=True,
    )


def colon_attribution(doc: Doc, start: int, end: int) -> Attribution | None:
    """``Pence: Gennifer Flowers Won't Be at Debate`` / ``WALLACE: If I may, sir, …``: a
    paragraph (a headline or a transcript line) that opens with a name and a colon. ``start``
    and ``end`` are the paragraph's character offsets."""
    para = doc.char_span(start, end, alignment_mode="expand")
    if para is None or len(para) < 4:
        return None
    colon = next((t for t in para[:6] if t.text == ":"), None)
    if colon is None or colon.i == para.start or colon.i + 1 >= para.end:
        return None
    name = doc[para.start : colon.i]
    is_name = all(t.pos_ == "PROPN" or t.is_upper or t.text in ("'s", "’s", ".") for t in name)
    document = name.text.lower() in _HEADLINE_DOCUMENTS or _agent_name(name)
    quote_follows = doc[colon.i + 1].is_quote  # 'Lind: "We will …"': any name will do
    if not document and (
        not is_name
        or not (
            quote_follows
            or any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.is_upper for t in name)
        )
    ):
        return None
    return _colon(colon, para.end, (name.start, name.end))


# Labels an outlet puts before a colon (notices, newsletter and column names): no one's voice.
_SECTION_LABELS = frozenset(
    "correction corrections clarification update updated note editor editors disclosure "
    "email e-mail related watch read listen video photo photos source sources stat "
    "advertisement sponsored exclusive analysis opinion transcript breaking".split()
)
_SECTION_HEADS = frozenset(
    "email e-mail newsletter daily digest briefing roundup podcast column".split()
)


def _label_start(att: Attribution) -> int:
    """The first token of what stands before the colon of a colon attribution."""
    return att.source[0] if att.source is not None else att.cue[0]


def _section_label(name: Span) -> bool:
    words = [t.lower_ for t in name if not t.is_punct and t.lower_ not in ("'s", "’s")]
    if not words:
        return False
    return words[0] in _SECTION_LABELS or (len(words) > 1 and words[-1] in _SECTION_HEADS)


def _colon(colon: Token, end: int, source: tuple[int, int]) -> Attribution:
    """The attribution of "NAME: content" (the colon its cue), the content up to ``end``."""
    return Attribution(
        cue=(colon.i, colon.i + 1),
        cue_class=NEUTRAL,
        lemma=":",
        content=(colon.i + 1, end),
        source=source,
        source_head=source[1] - 1,
        postposed=False,
    )


_HEADLINE_SPEAKER_ENTS = ("PERSON", "ORG", "GPE", "NORP")
_DASHES = frozenset("–—-―")


def headline_attribution(doc: Doc, start: int, end: int) -> Attribution | None:
    """The article's first paragraph read as a headline that credits its words to someone
    before a colon, a news convention: ``Pence: Gennifer Flowers Won't Be at Debate``,
    ``Gillibrand on Hillary's Speech Transcripts: 'I Think She Will.'``, ``A lesson from Loretta
    Lynch: 'Be the voice …'``, ``Politifact: Trump Is Right``. The speaker is the name the
    words before the colon open with (``Elizabeth Warren`` of ``Elizabeth Warren Hammers Wells
    Fargo CEO``), else the person they name, else the whole of a short title-case source
    ("News Guide", "WSJ editorial"). Whether that source is a speaker or a label ("Explainer:")
    is `_headline_speaker`'s to say."""
    para = doc.char_span(start, end, alignment_mode="expand")
    if para is None or not 4 <= len(para) <= 40:
        return None
    colon = next((t for t in para[:14] if t.text == ":"), None)
    if colon is None or colon.i + 1 >= para.end:
        return None
    lead = doc[para.start : colon.i]
    # "EXCLUSIVE – Roger Stone: …": a label and a dash before the name
    dash = next((t.i for t in lead if t.text in _DASHES), None)
    if dash is not None and dash + 1 < colon.i and doc[lead.start].lower_ in _HEADLINE_LABELS:
        lead = doc[dash + 1 : colon.i]
    if not len(lead):
        return None
    source = _headline_source(lead, quoted=doc[colon.i + 1].is_quote)
    return None if source is None else _colon(colon, para.end, source)


def _headline_source(lead: Span, *, quoted: bool) -> tuple[int, int] | None:
    """The speaker's tokens in the words before a headline's colon (see
    `headline_attribution`); ``quoted``: a quotation follows the colon."""
    doc, first = lead.doc, lead[0]
    if first.pos_ == "VERB" or any(t.pos_ == "AUX" or t.lower_ == "and" for t in lead):
        return None  # "Bill is back: …", "Netanyahu and Obama: A tortured relationship"
    # a name first, or after a title or two ("Senator Ann Dorn Slams …: …")
    name = next(_entities(lead), None)
    if name is not None and name[0] <= lead.start + 2:
        if all(t.pos_ == "PROPN" for t in doc[lead.start : name[0]]):
            return name
    if first.pos_ == "PROPN":
        end = first.i + 1
        while end < lead.end and doc[end].pos_ == "PROPN" and doc[end].ent_iob_ != "B":
            end += 1
        return first.i, end
    person = next((e for e in _entities(lead, ("PERSON",))), None)
    if person is not None and quoted:  # "A lesson from Loretta Lynch: 'Be the voice …'"
        return person
    words = [t for t in lead if not t.is_punct and t.lower_ not in ("'s", "’s")]
    if 0 < len(words) <= 3 and words[0].is_title and any(t.pos_ == "PROPN" for t in words):
        return lead.start, lead.end  # "WSJ editorial", "News Guide"
    return None


def _entities(
    span: Span, labels: tuple[str, ...] = _HEADLINE_SPEAKER_ENTS
) -> Iterator[tuple[int, int]]:
    """Token spans of the entities of ``labels`` that start in ``span``, cut at its end (the
    model may run an entity on across a headline's colon: "Oskar Lind: '")."""
    doc = span.doc
    for t in span:
        if t.ent_iob_ == "B" and t.ent_type_ in labels:
            end = t.i + 1
            while end < span.end and doc[end].ent_iob_ == "I":
                end += 1
            yield t.i, end


class _Paragraphs:
    def __init__(self, text: str) -> None:
        self.spans = paragraph_spans(text)
        self.starts = [p[0] for p in self.spans]

    def index(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1


def _attribute_quote(
    doc: Doc, q: QuoteSpan, span: tuple[int, int], prev: _Draft | None, paras: _Paragraphs
) -> _Draft | None:
    if _is_title(_text(doc)[slice(*q.inner(_text(doc)))]):
        return None  # “Fox News Sunday,” said Pence: a name, not his words
    speech = _is_speech(doc, q)
    att = (
        bare_cue(doc, span, after_only=not speech)
        or inverted_cue(doc, span)
        or dash_cue(doc, q.end, _text(doc))
        or _lead_in(doc, paras, q.start, span)
    )
    if att is not None:  # '"I would," she said' is speech however short
        return _Draft(DIRECT, q.start, q.end, att)
    if not speech:
        return None
    if (
        prev is not None
        and paras.index(q.start) - paras.index(prev.end) <= 1
        and _starts_sentence(_text(doc), q)
    ):  # an unattributed quoted paragraph carries on the last speaker
        return _Draft(DIRECT, q.start, q.end, None, follows=True)
    return None


def _lead_in(doc: Doc, paras: _Paragraphs, start: int, content: tuple[int, int]):
    """The attribution in the paragraph before the one that opens at character ``start``,
    when that paragraph ends by introducing it (``He said:``); see `lead_in_cue`."""
    n = paras.index(start)
    if n <= 0 or paras.spans[n][0] != start:
        return None
    p_start, p_end = paras.spans[n - 1]
    last = _text(doc)[p_end - 1]
    if last != ":" and not last.isalpha():
        return None
    lead = doc.char_span(p_start, p_end, alignment_mode="expand")
    return lead_in_cue(doc, (lead.start, lead.end), content) if lead is not None else None


def _block_drafts(doc: Doc, paras: _Paragraphs, taken: list[_Draft]) -> list[_Draft]:
    """Paragraphs without quotation marks that a lead-in attributes (``The governor added:``
    ¶ ``It's typical of Hillary Clinton. …``): a block quotation, or a summary; indirect.
    Statements found inside the paragraph stay, nested in it ("He knows nothing about …");
    one that reaches out of it keeps the paragraph from being one."""
    text, out = _text(doc), []
    for n in range(1, len(paras.spans)):
        start, end = paras.spans[n]
        if text[start] in _MARKS_AND_SPACE or any(
            d.start < end and start < d.end and (d.start < start or d.end > end) for d in taken
        ):
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        att = _lead_in(doc, paras, start, (span.start, span.end)) if span is not None else None
        if att is not None:
            out.append(_Draft(INDIRECT, start, end, att))
    return out


# Labels that open a headline before a colon without naming anyone who spoke.
_HEADLINE_LABELS = frozenset(
    "explainer analysis opinion editorial watch video videos exclusive breaking update live "
    "photos photo review interview factbox factcheck fact check q&a commentary letters letter "
    "podcast timeline news comment op-ed column essay feature focus insight preview recap "
    "quiz wow look revealed bombshell busted spoiler notice".split()
) | frozenset(["the latest", "just in", "just leaked", "must watch", "paid notice"])
# Document-like speakers PolNeAR's annotators (and readers) credit with a headline claim.
_HEADLINE_DOCUMENTS = frozenset(
    "report poll survey study sources source official officials".split()
)


def _agent_name(name: Span) -> bool:
    """ "Foreign ministry: …", "Police: …": a short phrase ending in a body, role or group
    that can speak ("Poll: …", "Report: …" are documents, see `_HEADLINE_DOCUMENTS`)."""
    return (
        0 < len(name) <= 3
        and is_agent_noun(name[-1])
        and name[-1].lower_ not in _HEADLINE_LABELS
        and all(t.pos_ in ("ADJ", "NOUN", "PROPN") for t in name)
    )


def _headline_speaker(doc: Doc, att: Attribution, *, headline: bool = False) -> bool:
    """``Pence: Flowers Won't Be at Debate`` / ``Poll: Clinton leads``: a headline that opens
    with a name (or a report, a poll) and a colon says what that source said; ``Explainer:
    why …`` and ``Analysis: …`` are the outlet's labels. ``headline``: the source is the one
    `headline_attribution` chose, a speaker unless it is a label."""
    if att.source is None:
        return False
    name = doc[att.source[0] : att.source[1]]
    low = name.text.lower()
    if low in _HEADLINE_LABELS or any(t.lower_ in _HEADLINE_LABELS for t in name[:1]):
        return False
    if headline or low in _HEADLINE_DOCUMENTS or _agent_name(name):
        return True
    return len(name) <= 4 and any(
        t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.pos_ == "PROPN" for t in name
    )


def _has_quote(quotes: list[QuoteSpan], start: int, end: int) -> bool:
    return any(start <= q.start and q.end <= end for q in quotes)


def _overlaps(a: _Draft, b: _Draft) -> bool:
    return a.start < b.end and b.start < a.end


def _colon_drafts(doc: Doc, paras: _Paragraphs, quotes: list[QuoteSpan]) -> list[_Draft]:
    """Headlines ("Pence: …") and transcript lines ("WALLACE: …")."""
    out = []
    text = _text(doc)
    for n, (start, end) in enumerate(paras.spans):
        if n > 2 and text[start : start + 1] in ('"', "“"):
            start += 1  # a transcript quoted paragraph by paragraph: '"WALLACE: If I may …'
        head = text[start : min(end, start + (100 if n == 0 else 40))]
        if ":" not in head or (n > 2 and not head.split(":")[0].isupper()):
            continue
        att = colon_attribution(doc, start, end)
        headline = att is None and n == 0
        if headline:
            att = headline_attribution(doc, start, end)
        if att is None or _section_label(doc[_label_start(att) : att.cue[0]]):
            continue  # "CORRECTION: …", "Monday's Morning Email: …": the outlet's label
        c_start, c_end = _char_bounds(doc, att.content)
        if n <= 2 and text[c_start:c_end].rstrip(" .\"'”’").endswith("?"):
            continue  # "Oskar Lind: Reformer or career politician?" asks, credits no one
        whole = [q for q in quotes if q.start <= c_start + 1 and q.end >= c_end - 1]
        if n <= 2 and not whole and not _headline_speaker(doc, att, headline=headline):
            continue  # a headline "Explainer: why …": the outlet's label, not a speaker
        kind = DIRECT if whole else MIXED if _has_quote(quotes, c_start, c_end) else INDIRECT
        out.append(_Draft(kind, c_start, c_end, att))
    return out


# An embedded post as a web page's text keeps it: the post, then its signature line
# "— Jeb Bush (@JebBush) December 2, 2015" (Twitter's embed code; other networks sign alike).
# The date is required: a byline "— Jane Doe (@janedoe)" closing an article signs no post.
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_SIGNATURE_RE = re.compile(
    r"[ \t\u00a0]*(?:―|—|–|--|-)[ \t\u00a0]*(?P<name>[^\s()@][^()\n]{0,80}?)[ \t\u00a0]*"
    r"\(@\w{1,30}\)[ \t\u00a0]*"
    rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
)
_POST_TAIL_RE = re.compile(r"(?:\s+(?:https?://|pic\.twitter\.com/)\S+)+\s*$")


def _signed_post_drafts(doc: Doc, paras: _Paragraphs) -> list[_Draft]:
    """Embedded posts: a paragraph followed by a signature line "— Name (@handle) date" is
    Name's post, word for word (a direct statement though it has no quotation marks); the
    links that close it (its picture, a short URL) are left out."""
    text = _text(doc)
    out = []
    for n in range(1, len(paras.spans)):
        start, end = paras.spans[n]
        sig = _SIGNATURE_RE.match(text, start, end)
        if sig is None:
            continue
        p_start, p_end = paras.spans[n - 1]
        tail = _POST_TAIL_RE.search(text, p_start, p_end)
        c_end = tail.start() if tail is not None and tail.start() > p_start else p_end
        dash = doc.char_span(start, sig.start("name"), alignment_mode="expand")
        name = doc.char_span(sig.start("name"), sig.end("name"), alignment_mode="expand")
        content = doc.char_span(p_start, c_end, alignment_mode="expand")
        if dash is None or name is None or content is None or not text[p_start:c_end].strip():
            continue
        att = Attribution(
            cue=(dash.start, name.start),
            cue_class=NEUTRAL,
            lemma="post",
            content=(content.start, content.end),
            source=(name.start, name.end),
            source_head=name.end - 1,
            postposed=True,
        )
        out.append(_Draft(DIRECT, p_start, c_end, att))
    return out


# Markup left in a text (`<tweet author="…" tweet_id="…">`, `<a href="…">`): its words are
# no one's, so a reporting verb read inside a tag ("tweet") makes no statement.
_TAG_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>\n]{0,400})?/?>")


def _outside_markup(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    text = _text(doc)
    if "<" not in text:
        return drafts
    tags = [(m.start(), m.end()) for m in _TAG_RE.finditer(text)]
    if not tags:
        return drafts
    starts = [a for a, _ in tags]

    def in_tag(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and pos < tags[k][1]

    return [d for d in drafts if d.att is None or not in_tag(doc[d.att.cue[0]].idx)]


def _merge_parts(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """``"A," he said. "B."`` -> one statement, as PolNeAR marks it: a quote that carries on
    the same speaker in the same paragraph, with only the attribution in between (however
    long the speaker's title: ``"A," said X, a professor at Y. "B."``). A statement inside
    the attribution ("…,” he told Reuters when asked if he had met Trump. “…”) stays, nested
    in the joined one."""
    text = _text(doc)
    out: list[_Draft] = []
    last = -1  # the last quotation (direct or mixed) in ``out``; what follows it is nested
    for d in drafts:
        prev = out[last] if last >= 0 else None
        if prev is not None and d.kind == DIRECT:
            same = d.follows or (
                d.att is not None and prev.att is not None and d.att.cue == prev.att.cue
            )
            if (
                same
                and text.find("\n", prev.end, d.start) < 0  # one paragraph: a bounded gap
                and _joins(doc, text, prev, d)
                and all(prev.end <= o.start and o.end <= d.start for o in out[last + 1 :])
            ):
                out[last] = _Draft(prev.kind, prev.start, d.end, prev.att or d.att)
                continue
        before = out[-1] if out else None
        if (
            before is not None
            and before.kind == INDIRECT
            and before.att is not None
            and not before.att.weighed  # a cue the model weighs may not be speech at all
            and before.end <= doc[before.att.cue[0]].idx < d.start  # "…, Schiff said. “…”"
            and d.kind == DIRECT
            and d.follows
            and d.att is None  # carried on from the speaker before, no cue of its own
            and text.find("\n", before.end, d.start) < 0
            and _joins(doc, text, before, d)
        ):  # "A, Schiff said. “B.”": the speaker's words go on as a quotation
            out[-1] = _Draft(MIXED, before.start, d.end, before.att)
            last = len(out) - 1
            continue
        out.append(d)
        if d.kind in (DIRECT, MIXED):
            last = len(out) - 1
    return out


def _joins(doc: Doc, text: str, prev: _Draft, d: _Draft) -> bool:
    """Only the attribution between the two parts: a few words, or the cue and its speaker's
    title."""
    words = len(text[prev.end : d.start].split())
    cue_between = prev.att is not None and prev.end <= doc[prev.att.cue[0]].idx < d.start
    return words <= 12 or (cue_between and words <= 45)


def _drafts(
    doc: Doc, paras: _Paragraphs, quotes: list[QuoteSpan], lexicon: ReportingLexicon
) -> list[_Draft]:
    q_tokens, quoted = _quote_tokens(doc, quotes)
    used: set[int] = set()
    found = find_attributions(doc, quoted, lexicon)
    drafts = [_from_attribution(doc, a, quotes, used) for a in found]
    taken = _outside_markup(doc, [d for d in drafts if d is not None])
    turns = []
    for c in _colon_drafts(doc, paras, quotes):
        # a transcript line ("WALLACE: …") is its speaker's turn even when it reports
        # someone else inside it; other overlaps keep the verb's reading
        inside = all(c.start <= d.start and d.end <= c.end for d in taken if _overlaps(c, d))
        if (inside and c.kind == INDIRECT) or not any(_overlaps(c, d) for d in taken):
            taken.append(c)
            turns.append(c)
    for post in _signed_post_drafts(doc, paras):
        # statements inside the post stay, nested in it; one that reaches out of it wins
        across = [
            d for d in taken if _overlaps(post, d) and (d.start < post.start or d.end > post.end)
        ]
        if not across:
            taken.append(post)
    taken.sort(key=lambda d: d.start)
    for i, q in enumerate(quotes):
        if i in used or q_tokens[i][1] <= q_tokens[i][0]:
            continue
        if any(d.start <= q.start and q.end <= d.end for d in taken):
            continue
        if any(q.start <= t.start and t.end <= q.end for t in turns):
            continue  # a quoted transcript: its turns ("WALLACE: …") are the statements
        prev = max((d for d in taken if d.end <= q.start), key=lambda d: d.end, default=None)
        draft = _attribute_quote(doc, q, q_tokens[i], prev, paras)
        if draft is not None:
            taken.append(draft)
            taken.sort(key=lambda d: d.start)
    return sorted(taken + _block_drafts(doc, paras, taken), key=lambda d: d.start)


def _finish(
    doc: Doc, paras: _Paragraphs, quotes: list[QuoteSpan], drafts: list[_Draft]
) -> list[_Draft]:
    """The parts of one quotation joined, unmarked speech closed by "…, said X", and
    reported speech that goes on past its cue (`claimgraph.extract.continuation`)."""
    return _continue_speech(
        doc, quotes, _extend_unmarked(doc, paras, quotes, _merge_parts(doc, drafts))
    )


def _continue_speech(doc: Doc, quotes: list[QuoteSpan], drafts: list[_Draft]) -> list[_Draft]:
    """Each sentence that goes on with indirect speech ("Xu said the United States has …. It
    has used …") as a statement of its own, of the same speaker (`follows`)."""
    spans = sorted((d.start, d.end) for d in drafts)

    def taken(start: int, end: int) -> bool:
        speech = any(q.start < end and start < q.end and _is_speech(doc, q) for q in quotes)
        return speech or any(s < end and start < e for s, e in spans)

    extra = []
    for d in drafts:
        att = d.att
        if (
            d.kind != INDIRECT
            or att is None
            or att.lemma not in default_lexicon().quote_saying
            or att.postposed
        ):
            continue
        speaker = doc[att.source_head] if att.source_head is not None else None
        for start, end in continued_sentences(doc, att.content, speaker, taken):
            extra.append(_Draft(INDIRECT, start, end, None, follows=True))
    return sorted(drafts + extra, key=lambda d: d.start) if extra else drafts


def _extend_unmarked(
    doc: Doc, paras: _Paragraphs, quotes: list[QuoteSpan], drafts: list[_Draft]
) -> list[_Draft]:
    """Several sentences of unmarked speech closed by one "…, said X": the whole paragraph up
    to the attribution is X's (``The achievements … are obvious. … There is no problem, said
    Elijan Anayat``), when nothing else in the paragraph is attributed or quoted."""
    text = _text(doc)
    for n, d in enumerate(drafts):
        att = d.att
        if (
            att is None
            or not att.postposed
            or d.kind == DIRECT
            or att.lemma not in default_lexicon().quote_saying
        ):
            continue
        first = doc[att.content[0]]
        if first.i != first.sent.start or first.idx != d.start:
            continue
        p_start, p_end = paras.spans[paras.index(d.start)]
        if p_start >= d.start or text[doc[att.cue[0]].sent.end_char : p_end].strip():
            continue  # the attribution must close the paragraph
        earlier = [o for o in drafts[:n] if o.end > p_start]
        if earlier or any(p_start <= q.start < d.start for q in quotes):
            continue
        stop = dateline_end(text, p_start, d.start)
        drafts[n] = _Draft(d.kind, stop or p_start, d.end, att)
    return drafts


# What a speaker speaks through: "said in a statement", "released a letter saying".
_MEDIUM_NOUNS = frozenset(
    "statement letter email e-mail post tweet interview op-ed memo release video ad "
    "speech message".split()
)


def _medium(doc: Doc, att: Attribution | None) -> str | None:
    """The medium the cue names: "X said in a statement (released by …)", "X released a
    statement saying …", "X wrote in a letter"."""
    if att is None or att.lemma in ("according to", ":"):
        return None
    cue = doc[att.cue[0]]
    if cue.dep_ == "acl" and cue.head.lemma_.lower() in _MEDIUM_NOUNS:
        return cue.head.lemma_.lower()  # "a statement saying …"
    if cue.dep_ in ("advcl", "xcomp", "conj"):  # "released a statement late Tuesday saying"
        obj = next((c for c in cue.head.children if c.dep_ == "dobj"), None)
        if obj is not None and obj.lemma_.lower() in _MEDIUM_NOUNS:
            return obj.lemma_.lower()
    for prep in cue.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "through", "via"):
            for obj in prep.children:
                if obj.dep_ == "pobj" and obj.lemma_.lower() in _MEDIUM_NOUNS:
                    return obj.lemma_.lower()
    return None


def _statement(doc: Doc, d: _Draft, speaker: Speaker | None) -> Statement:
    att = d.att
    cue = cue_start = cue_end = cue_class = None
    if att is not None:
        c = doc[att.cue[0] : att.cue[1]]
        cue_start, cue_end, cue_class = c.start_char, c.end_char, att.cue_class
        while cue_start < cue_end and _text(doc)[cue_start] in _MARKS_AND_SPACE:
            cue_start += 1  # a dash glued to the closing quote mark: ”―
        cue = _text(doc)[cue_start:cue_end]
    actor = speaker.actor if speaker is not None else None
    return Statement(
        kind=d.kind,
        start=d.start,
        end=d.end,
        text=_text(doc)[d.start : d.end],
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
        medium=_medium(doc, att),
    )


def extract_statements(
    doc: Doc, *, min_confidence: float | None = None, lexicon: ReportingLexicon | None = None
) -> list[Statement]:
    """Every quote and piece of reported speech in ``doc``, sorted by start offset, less the
    indirect ones the shipped statement model (`claimgraph.extract.confidence`) finds less
    likely than ``min_confidence`` (by default the model's own threshold; 0 keeps all the
    rules find). ``lexicon`` is the reporting-verb lexicon the attribution rules read
    (default: `claimgraph.extract.verbs.default_lexicon`; training passes its own).

    A statement the model drops is gone before the quotes around it are joined and their
    speakers carried on: a clause inside an attribution ("…,” Graham told CBS News, when a
    dozen states held contests to choose nominees. “…”) neither splits the quotation nor
    passes its subject to the quote after it."""
    text = _text(doc)
    paras, quotes = _Paragraphs(text), find_quotes(text)
    raw = _drafts(doc, paras, quotes, lexicon or default_lexicon())
    found = _extract(doc, _finish(doc, paras, quotes, raw))
    model = shipped_model()
    if model is None or min_confidence == 0:
        return [st for _, st in found]
    least = model.threshold if min_confidence is None else min_confidence

    def kept(st: Statement) -> bool:
        return (
            st.kind not in WEIGHED_KINDS
            or st.cue is None  # speech that goes on past its cue: as sure as the cue's
            or _led_in(st, text)
            or _voices_a_stance(doc, st)
            or model.probability(features(doc, st)) >= least
        )

    dropped = [d for d, st in found if not kept(st)]
    if _may_shape_others(dropped, found, raw, paras):
        # a dropped draft is one of the raw ones, or made from one and keeping its attribution
        gone = {id(d) for d in dropped} | {id(d.att) for d in dropped if d.att is not None}
        raw = [
            d
            for d in raw
            if d.kind not in WEIGHED_KINDS or not (id(d) in gone or id(d.att) in gone)
        ]
        found = _extract(doc, _finish(doc, paras, quotes, raw))
    return _outside_others([(d, st) for d, st in found if kept(st)])


def _outside_others(found: list[tuple[_Draft, Statement]]) -> list[Statement]:
    """The statements, less those a weighed cue makes inside another one, cue and content
    ("Blinken called on China to **end** what he claimed to be …"): words of the statement
    around them, not a report of their own (PolNeAR train +0.2 F1 at overlap 0.3). One sweep
    by start offset (a long article may have thousands of statements)."""
    sts = [st for _, st in found]  # in text order (`_extract`)
    queries = []  # (lo, hi, index) of each weighed statement, cue included
    for i, (d, st) in enumerate(found):
        if d.att is not None and d.att.weighed:
            lo = min(st.start, st.cue_start if st.cue_start is not None else st.start)
            hi = max(st.end, st.cue_end if st.cue_end is not None else st.end)
            queries.append((lo, hi, i))
    inside: set[int] = set()
    best: list[tuple[int, int]] = []  # the two largest (end, index) of those started so far
    k = 0
    for lo, hi, i in sorted(queries):
        while k < len(sts) and sts[k].start <= lo:
            best = sorted([*best, (sts[k].end, k)], reverse=True)[:2]
            k += 1
        if any(end >= hi and j != i for end, j in best):
            inside.add(i)
    return [st for i, st in enumerate(sts) if i not in inside]


def _may_shape_others(
    dropped: list[_Draft],
    found: list[tuple[_Draft, Statement]],
    raw: list[_Draft],
    paras: _Paragraphs,
) -> bool:
    """Whether dropping ``dropped`` may change the statements around them: one was joined
    from raw drafts, shares its paragraph with another statement (joined quotes, unmarked
    speech closed by "…, said X"), or has a speaker a later statement may carry on
    (`follows`). Else the drafts need not be worked out again without them. Linear in the
    statements (a long article may have thousands)."""
    raw_ids = {id(r) for r in raw}

    def block(d: _Draft) -> int | None:  # the paragraph holding all of ``d``, if one does
        k = paras.index(d.start)
        return k if d.end <= paras.spans[k][1] else None

    per_block = Counter(block(o) for o, _ in found)
    last_follows = max((o.start for o, _ in found if o.follows), default=-1)
    speaks = {id(o): st.speaker_mention is not None for o, st in found}
    for d in dropped:
        b = block(d)
        if id(d) not in raw_ids or (b is not None and per_block[b] > 1):
            return True
        if speaks.get(id(d)) and last_follows > d.start:
            return True
    return False


_STANCE_VERBS = frozenset(["express", "voice"])


def _voices_a_stance(doc: Doc, st: Statement) -> bool:
    """ "expressed concern that …", "voiced support for …": a stance put into words, kept
    whatever the model weighs (PolNeAR train: 61 of the 80 such statements the rules find are
    annotated; keeping them all adds 8 to what the model keeps, 4 of them matched at 0.8)."""
    if st.cue_start is None or st.cue_end is None:
        return False
    cue = doc.char_span(st.cue_start, st.cue_end, alignment_mode="expand")
    return cue is not None and cue[0].lemma_.lower() in _STANCE_VERBS


def _led_in(st: Statement, text: str) -> bool:
    """Is ``st`` a paragraph a lead-in introduced ("The governor added:" ¶ …)? Its
    attribution is the paragraph before, as sure as a quotation's: not weighed."""
    return st.cue_end is not None and st.cue_end <= st.start and "\n" in text[st.cue_end : st.start]


def _extract(doc: Doc, drafts: list[_Draft]) -> list[tuple[_Draft, Statement]]:
    """Each draft with its statement, in text order; speakers resolved in the order of their
    mentions, a draft that `follows` taking the last speaker before it."""
    quoted = [False] * len(doc)
    for d in drafts:
        if d.kind == DIRECT:
            span = doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None:
                quoted[span.start : span.end] = [True] * len(span)
    index = ActorIndex(doc, quoted)
    out: list[tuple[_Draft, Statement]] = []
    last: Speaker | None = None
    order = sorted(drafts, key=lambda d: _mention_pos(doc, d))
    resolved: dict[int, Speaker | None] = {}
    for d in order:
        if d.att is not None and d.att.source is not None:
            turn = _interview_turn(doc, d.att)
            if turn is not None:
                label = doc[d.att.source[0]]
                actor = index.most_mentioned_person() if turn == "A" else None
                resolved[id(d)] = Speaker(actor, label.text, label.idx, label.idx + len(label))
                continue
            resolved[id(d)] = resolve(index, d.att.source[0], d.att.source[1], d.att.source_head)
    for d in sorted(drafts, key=lambda d: d.start):
        speaker = resolved.get(id(d))
        if d.follows:
            speaker = last
        out.append((d, _statement(doc, d, speaker)))
        if speaker is not None:
            last = speaker
    _mark_relays(doc, out)
    return out


def _mark_relays(doc: Doc, found: list[tuple[_Draft, Statement]]) -> None:
    """ "“…,” said Marsh in an interview, according to the Valley Weekly": the statements
    inside what the "according to" phrase reports, with a speaker of their own, keep that
    speaker; the relaying source is their ``via``."""
    for d, st in list(found):
        att = d.att
        if att is None or att.lemma != "according to" or st.speaker is None:
            continue
        if relayed_speech(doc, att.content) is None:
            continue
        for k, (inner_d, inner) in enumerate(found):
            if inner is st or inner.speaker is None or inner.via is not None:
                continue
            if st.start <= inner.start and inner.end <= st.end + 1 and inner.speaker != st.speaker:
                found[k] = (inner_d, replace(inner, via=st.speaker_mention or st.speaker))


def _interview_turn(doc: Doc, att: Attribution) -> str | None:
    """ "Q" or "A" where ``att`` is a question-and-answer transcript's line ("Q: …", "A: …"):
    the question is the interviewer's (no one named), the answer the interviewee's (the
    person the article names most), not a speaker called "A"."""
    if att.lemma != ":" or att.source is None or att.source[1] - att.source[0] != 1:
        return None
    label = doc[att.source[0]].text
    return label if label in ("Q", "A") else None


def _mention_pos(doc: Doc, d: _Draft) -> int:
    if d.att is not None and d.att.source is not None:
        return doc[d.att.source[0]].idx
    return d.start
