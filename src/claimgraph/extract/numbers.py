"""Numeric claims: a number, what it counts and who says it.

"up to two million Uighurs", "More than 60 countries", "nearly 1,000 non-governmental
organizations", "about 45 percent of the population", "almost half of the world's supply",
"thousands of Uyghur family members". Each becomes a ``numeric_claim`` `Cue` whose detail is

    {"value": lower bound or exact (int | float), "qualifier": "more than" | "up to" |
     "nearly" | "about" | "at least" | "less than" | None, "qualifier_text": words as written,
     "unit": lemma of the counted noun ("Uighur", "country", "percent"), "of": what a
     percentage or fraction is of, "speaker": who says it, "speaker_source": "statement" |
     "parse" | None}

The speaker is the `Statement.speaker` of the innermost statement containing the number, else
that of a statement whose reporting verb governs it in the parse; with no statements given at
all, the subject of a reporting verb that governs it ("a UN human rights panel alleged that up
to two million …"). None means the outlet's own voice.

Not claims: dates and years ("Oct. 19, 2019", "2020", "March 08"), times, ordinals, durations,
bill and article numbers ("H.R. 1"), and numbers that count nothing ("zero credibility").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Token

from .doctext import doc_text
from .records import Cue, Statement
from .terms import containing_statement, singular
from .verbs import default_lexicon

_SKIP_ENTS = frozenset({"DATE", "TIME", "ORDINAL"})
_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80}
_WORDS |= {"ninety": 90, "a": 1, "an": 1, "dozen": 12}
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 10**9}
_SCALE |= {"trillion": 10**12}
# vague plurals ("thousands of") count at least one of their unit
_VAGUE = {"dozens": 12, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000}
_VAGUE |= {"billions": 10**9, "scores": 20, "tens": 10}
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "two-thirds": 2 / 3}
_FRACTIONS |= {"three-quarters": 0.75}
_CURRENCY = {"$": "dollar", "US$": "dollar", "€": "euro", "£": "pound", "¥": "yuan"}
_QUALIFIERS = [
    ("more than", "more than"),
    ("over", "more than"),
    ("upwards of", "more than"),
    ("in excess of", "more than"),
    ("at least", "at least"),
    ("up to", "up to"),
    ("as many as", "up to"),
    ("nearly", "nearly"),
    ("almost", "nearly"),
    ("close to", "nearly"),
    ("just under", "nearly"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    ("roughly", "about"),
    ("some", "about"),
    ("an estimated", "about"),
    ("estimated", "about"),
    ("less than", "less than"),
    ("fewer than", "less than"),
    ("under", "less than"),
]
_PERCENT = frozenset({"percent", "per cent", "%", "percentage"})
_NOT_A_COUNT = re.compile(
    r"^(?:h\.\s?r\.|s\.|no\.|art\.|article|section|resolution|chapter|rule|#|"
    r"res\.|h\.res\.|vol\.|page|p\.|room|flight|route|number)$",
    re.I,
)


def _num_value(toks: list[Token]) -> float | None:
    """Value of a run of number tokens ("1,200", "two million", "a million", "2.5 billion")."""
    total, current, seen = 0.0, 0.0, False
    for t in toks:
        w = t.lower_.replace(",", "")
        if re.fullmatch(r"\d+(?:\.\d+)?", w):
            current += float(w)
        elif w in _WORDS:
            current += _WORDS[w]
        elif w in _SCALE:
            current = max(current, 1.0) * _SCALE[w]
            if _SCALE[w] >= 1000:
                total, current = total + current, 0.0
        elif w in ("and", "-"):
            continue
        else:
            return None
        seen = True
    return total + current if seen else None


def _as_number(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 4)


def _number_run(doc: Doc, i: int) -> int:
    """End (exclusive) of the run of number words that starts at token i."""
    j = i + 1
    while j < len(doc) and (
        doc[j].lower_ in _SCALE or (doc[j].like_num and doc[j].ent_type_ not in _SKIP_ENTS)
    ):
        j += 1
    return j


def _qualifier(doc: Doc, i: int) -> tuple[str | None, str | None, int]:
    """(normalized qualifier, words as written, start token) just before token i."""
    before = doc[max(0, i - 3) : i].text.lower()
    for words, norm in _QUALIFIERS:
        if re.search(rf"(?:^|\s){re.escape(words)}$", before):
            start = i - len(words.split())
            return norm, doc[start:i].text, start
    return None, None, i


def _counted(doc: Doc, end: int) -> tuple[Token | None, Token | None]:
    """(unit noun, of-noun) after a number run ending at token `end`."""
    nxt = doc[end] if end < len(doc) else None
    if nxt is None:
        return None, None
    if nxt.lower_ in _PERCENT:
        return nxt, _of_noun(doc, end + 1)
    if nxt.lower_ == "of":  # "thousands of Uyghur family members", "half of the supply"
        return _of_noun(doc, end), None
    head = doc[end - 1].head
    if head.i >= end and head.pos_ in ("NOUN", "PROPN"):
        return head, None
    for t in doc[end : min(len(doc), end + 5)]:  # "1,200 state-run internment camps"
        if t.pos_ in ("NOUN", "PROPN") and t.tag_ in ("NNS", "NNPS"):
            return t, None
        if t.pos_ not in ("ADJ", "NOUN", "PROPN", "PUNCT", "VERB"):
            break
    return None, None


def _of_noun(doc: Doc, of_i: int) -> Token | None:
    if of_i >= len(doc) or doc[of_i].lower_ != "of":
        return None
    objs = [c for c in doc[of_i].children if c.dep_ == "pobj"]
    return objs[0] if objs else None


def _unit_name(tok: Token) -> str:
    if tok.lower_ in _PERCENT:
        return "percent"
    if tok.text in _CURRENCY:
        return _CURRENCY[tok.text]
    if tok.text[:1].isupper():  # "Uighurs" -> "Uighur" (the lemmatizer lowercases names)
        return singular(tok.text) if tok.tag_ in ("NNS", "NNPS") else tok.text
    return tok.lemma_


def is_reporting(tok: Token, *, beliefs: bool = True) -> bool:
    """A verb that introduces speech (the reporting-verb lexicon of `verbs`); with
    ``beliefs=False`` not verbs of belief or desire (think, want)."""
    lemma, lex = tok.lemma_.lower(), default_lexicon()
    if not beliefs and lemma in lex.belief:
        return False
    return tok.pos_ in ("VERB", "AUX") and (lemma in lex.classes or lemma in lex.figure_reporting)


def governing_verbs(tok: Token) -> list[Token]:
    """Reporting verbs whose content (not whose subject) holds `tok`, nearest first."""
    out, child = [], tok
    for anc in tok.ancestors:
        if child.dep_ not in ("nsubj", "nsubjpass", "csubj") and is_reporting(anc, beliefs=False):
            out.append(anc)
        child = anc
    return out


def _parse_speaker(tok: Token) -> str | None:
    for verb in governing_verbs(tok):
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if subj:
            head = subj[0]
            return head.doc[head.left_edge.i : head.i + 1].text
    return None


def _speaker(
    doc: Doc, tok: Token, start: int, end: int, statements: Sequence[Statement]
) -> tuple[int | None, str | None, str | None]:
    """(containing statement, speaker, how the speaker was found)."""
    idx = containing_statement(statements, start, end)
    if idx is not None:
        return idx, statements[idx].speaker, "statement"
    verbs = {v.i for v in governing_verbs(tok)}
    for s in statements:
        if s.cue_start is None or s.speaker is None:
            continue
        cue = doc.char_span(s.cue_start, s.cue_end or s.cue_start + 1, alignment_mode="expand")
        if cue is not None and any(t.i in verbs for t in cue):
            return None, s.speaker, "statement"
    if not statements:
        who = _parse_speaker(tok)
        if who:
            return None, who, "parse"
    return None, None, None


def _is_year(toks: list[Token], unit: Token | None) -> bool:
    return (
        len(toks) == 1
        and re.fullmatch(r"1[89]\d\d|20\d\d", toks[0].text) is not None
        and (unit is None or unit.tag_ not in ("NNS", "NNPS"))
    )


def find_numeric_claims(doc: Doc, statements: Sequence[Statement] = ()) -> list[Cue]:
    """Every numeric claim in the doc, in text order."""
    cues: list[Cue] = []
    i, n = 0, len(doc)
    while i < n:
        tok, low = doc[i], doc[i].lower_
        of_next = i + 1 < n and doc[i + 1].lower_ == "of"
        if tok.ent_type_ in _SKIP_ENTS:
            end, kind = i + 1, None
        elif low in _FRACTIONS and of_next:
            end, kind = i + 1, "fraction"
        elif low in _VAGUE and of_next:
            end, kind = i + 1, "vague"
        elif low in ("a", "an") and i + 1 < n and doc[i + 1].lower_ in _SCALE:
            end, kind = _number_run(doc, i + 1), "number"
        elif tok.like_num and (tok.tag_ == "CD" or low in _SCALE):
            end, kind = _number_run(doc, i), "number"
        else:
            end, kind = i + 1, None
        cue = _claim(doc, i, end, kind, statements) if kind else None
        if cue is not None:
            cues.append(cue)
        i = end
    return cues


def _claim(doc: Doc, i: int, end: int, kind: str, statements: Sequence[Statement]) -> Cue | None:
    """The numeric claim whose number runs over tokens [i, end), or None."""
    toks = list(doc[i:end])
    prev = doc[i - 1] if i > 0 else None
    if prev is not None and _NOT_A_COUNT.match(prev.text):
        return None
    money = prev is not None and prev.text in _CURRENCY
    unit: Token | None
    of: Token | None
    if kind == "fraction":
        value: float | None = _FRACTIONS[doc[i].lower_]
        unit, of = doc[i], _of_noun(doc, end)
    elif kind == "vague":
        value = _VAGUE[doc[i].lower_]
        unit, of = _of_noun(doc, end), None
    else:
        value = _num_value(toks)
        unit, of = (prev, None) if money else _counted(doc, end)
    if value is None or unit is None or _is_year(toks, unit):
        return None
    if kind == "number" and not money and unit.lower_ not in _PERCENT:
        if unit.tag_ not in ("NNS", "NNPS"):
            return None  # "zero credibility", "a single center": counts nothing
    qualifier, qualifier_text, q_start = _qualifier(doc, i - 1 if money else i)
    if kind == "vague" and qualifier is None:
        qualifier = "at least"
    last = max(unit.i, of.i if of is not None else -1, end - 1)
    start, stop = doc[q_start].idx, doc[last].idx + len(doc[last])
    idx, speaker, source = _speaker(doc, doc[i], start, stop, statements)
    detail = {
        "value": _as_number(value),
        "qualifier": qualifier,
        "qualifier_text": qualifier_text,
        "unit": "fraction" if kind == "fraction" else _unit_name(unit),
        "of": _unit_name(of) if of is not None else None,
        "speaker": speaker,
        "speaker_source": source,
    }
    text = doc_text(doc)[start:stop]
    return Cue("numeric_claim", start, stop, text, statement_index=idx, detail=detail)
