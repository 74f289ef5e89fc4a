"""Attribution of a quotation by the reporting verb right next to it: ``"…," X said`` /
``"…," said X`` / ``"…," Halvik, 58, told …`` / ``X stressed, "…"`` / ``Said X: "…"``. Used
for quotations that no reporting verb in the parse claimed as its content. A quotation never
takes a weighed cue, so these rules read the default lexicon
(`claimgraph.extract.verbs.default_lexicon`) whatever lexicon the statements use."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .reported import _SUBJ, Attribution, _np_start, _particle, _source_span, _subject
from .verbs import default_lexicon


def _speech_verb(tok: Token) -> bool:
    lemma = tok.lemma_.lower()
    lex = default_lexicon()
    if tok.tag_ == "NN" and tok.lower_ in lex.speech_ing:
        return tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.pos_ in ("VERB", "AUX")
    if tok.pos_ != "VERB":
        return False
    if any(
        c.dep_ in ("prt", "advmod") and (lemma, c.lower_) in lex.quote_phrasal for c in tok.children
    ):
        return True
    return lemma in lex.frames["ccomp"] and lemma not in lex.belief


def _near_cue(doc: Doc, start: int, end: int) -> tuple[Token, Token | None] | None:
    """The reporting verb that attributes a quotation ending at token ``start``:
    ``"…," X said`` / ``"…," said X`` — only the verb's subject and punctuation between."""
    if start >= len(doc):
        return None
    sent_end = max(doc[start - 1].sent.end, doc[start].sent.end) if start > 0 else len(doc)
    for i in range(start, min(end, sent_end)):
        tok = doc[i]
        if "\n" in tok.text:
            return None
        if _speech_verb(tok):
            subj = _subject(default_lexicon(), tok)
            between = doc[start:i]
            if subj is not None and subj.i < start:
                # the parser took a word of the quotation for the subject ("“Very good
                # reporter, … this guy,” Trump, the 2016 GOP frontrunner …, said")
                name = _first_name(between)
                return (tok, name) if name is not None else None
            if all(t.is_punct or (subj is not None and t in subj.subtree) for t in between):
                return tok, subj
            name = _name_between(between)
            return (tok, name) if name is not None else None
    return None


def _name_between(between) -> Token | None:
    """``"…," Halvik, 58, told …``: a name (with an age or a short apposition) that the
    parser did not make the verb's subject."""
    words = [t for t in between if not t.is_punct]
    n = _name_run(words)
    if not n:
        return None
    rest = words[n:]
    if len(rest) > 1 or any(t.pos_ != "NUM" for t in rest) or n > 4:
        return None
    return words[n - 1]


def _name_run(words: list[Token]) -> int:
    """How many title-case proper nouns open ``words`` (a name)."""
    n = 0
    while n < len(words) and words[n].pos_ == "PROPN" and words[n].is_title:
        n += 1
    return n


def _first_name(between) -> Token | None:
    """The name (or personal pronoun) that opens the words between a quotation and its
    verb, whatever apposition follows it: ``"…," Quist, the party's frontrunner …, said``."""
    words = [t for t in between if not t.is_punct]
    if not words:
        return None
    if words[0].pos_ == "PRON" and words[0].lower_ in ("he", "she", "they", "we", "i"):
        return words[0]
    n = _name_run(words)
    if n:
        return words[n - 1] if n <= 4 else None
    # "a senior official, who asked not to be named, said": the first noun heads the phrase
    return next((t for t in words[:4] if t.pos_ == "NOUN"), None)


def _cue_before(doc: Doc, q_start: int) -> Token | None:
    """``X stressed, "…"`` / ``X said: "…"``: the last reporting verb before the quotation in
    its sentence, when only the verb's own phrases and punctuation stand between."""
    if q_start == 0:
        return None
    if doc[q_start - 1].text not in (",", ":", "—", "–", "-"):
        return None
    sent = doc[q_start].sent
    for i in range(q_start - 1, sent.start - 1, -1):
        tok = doc[i]
        if "\n" in tok.text:
            return None
        if _speech_verb(tok):
            between = doc[i + 1 : q_start]
            if all(t.is_punct or tok in t.ancestors for t in between):
                return tok
            return None
    return None


def bare_cue(
    doc: Doc, quote: tuple[int, int], *, limit: int = 40, after_only: bool = False
) -> Attribution | None:
    """Attribute a quotation (token span) by the reporting verb right after or before it."""
    q_start, q_end = quote
    near = _near_cue(doc, q_end, min(len(doc), q_end + limit))
    lex = default_lexicon()
    verb, subj = near if near is not None else (None, None)
    if verb is None and not after_only:
        verb = _cue_before(doc, q_start)
        subj = _subject(lex, verb) if verb is not None else None
    if verb is None or subj is None:
        return None
    source = _source_span(subj)
    if subj.dep_ not in _SUBJ and subj.pos_ == "PROPN":  # "Halvik, 58, told"
        source = (_np_start(subj), subj.i + 1)
    if source[0] < q_end and q_start < source[1]:
        source = (subj.i, subj.i + 1)
    particle = _particle(lex, verb)
    lemma = verb.lemma_.lower()
    cls = lex.verb_class(lemma, particle.lower_ if particle is not None else None)
    return Attribution(
        cue=(verb.i, (particle.i if particle is not None else verb.i) + 1),
        cue_class=cls,
        lemma=lemma,
        content=quote,
        source=source,
        source_head=subj.i,
        postposed=verb.i >= q_end,
    )


# "Trump issued the following statement:" — a noun that names what follows the colon.
_LEAD_NOUNS = frozenset("statement comment remark message tweet post note letter".split())


def _lead_noun(tok: Token) -> Token | None:
    """``X issued the following statement:``: the verb whose object the noun is."""
    if tok.lemma_.lower() not in _LEAD_NOUNS or tok.dep_ not in ("dobj", "pobj"):
        return None
    if not any(c.lower_ == "following" for c in tok.children):
        return None
    head = tok.head if tok.dep_ == "dobj" else tok.head.head
    return head if head.pos_ in ("VERB", "AUX") else None


def lead_in_cue(doc: Doc, para: tuple[int, int], content: tuple[int, int]) -> Attribution | None:
    """A paragraph that closes on a reporting verb and a colon introduces the next one:
    ``He said:`` / ``The governor added:`` / ``Trump issued the following statement:``
    ¶ ``"…"``. ``para`` is the lead-in paragraph's token span, ``content`` the next
    paragraph's (or its quotation's); the verb must have a subject, and only its own
    phrases may stand before the colon (``He said the plan failed:`` has said it already)."""
    start, end = para
    while end > start and (doc[end - 1].is_space or doc[end - 1].text == ":"):
        end -= 1
    if end <= start:
        return None
    colon = any(t.text == ":" for t in doc[end : para[1]])
    # without a colon, only a paragraph that stops on the verb itself ("Dr. Ward stated")
    first = max(start, doc[end - 1].sent.start) if colon else end - 1
    for i in range(end - 1, first - 1, -1):
        tok = doc[i]
        verb = tok if _speech_verb(tok) else _lead_noun(tok)
        if verb is None:
            continue
        between = doc[verb.i + 1 : end]
        if any(t.dep_ in _SUBJ for t in between):
            return None  # "Lind said the talks had failed:" has said it already
        if not all(t.is_punct or verb in t.ancestors for t in between):
            return None  # "Trump, he said, won the following states:"
        lex = default_lexicon()
        subj = _subject(lex, verb)
        if subj is None or subj.i >= end:
            return None
        particle = _particle(lex, tok) if tok is verb else None  # the cue: the verb or the noun
        lemma = tok.lemma_.lower()
        return Attribution(
            cue=(tok.i, (particle.i if particle is not None else tok.i) + 1),
            cue_class=lex.verb_class(lemma, particle.lower_ if particle is not None else None),
            lemma=lemma,
            content=content,
            source=_source_span(subj),
            source_head=subj.i,
            postposed=False,
        )
    return None


# "Said Ellis: “…”": the inverted lead-in, a verb that the parser often reads as a first name.
_INVERTED = {
    "said": "say",
    "says": "say",
    "added": "add",
    "adds": "add",
    "asked": "ask",
    "asks": "ask",
    "wrote": "write",
    "writes": "write",
    "explained": "explain",
    "tweeted": "tweet",
}


def inverted_cue(doc: Doc, quote: tuple[int, int]) -> Attribution | None:
    """``Said Ellis: "…"`` / ``Added the senator: "…"``: a sentence that opens with a reporting
    verb, then its speaker and a colon, right before the quotation (token span ``quote``)."""
    colon = quote[0] - 1
    if colon < 2 or doc[colon].text != ":":
        return None
    start = colon - 1  # the speaker's first token: back to the verb, at most six words
    while start > 0 and colon - start < 7 and doc[start - 1].lower_ not in _INVERTED:
        if doc[start - 1].text in (".", "!", "?") or "\n" in doc[start - 1].text:
            return None
        start -= 1
    verb = doc[start - 1] if start > 0 else None
    if verb is None or verb.lower_ not in _INVERTED or not verb.is_title:
        return None
    if verb.i > 0 and not (doc[verb.i - 1].is_space or doc[verb.i - 1].text in '.!?"”'):
        return None  # not where a sentence starts
    name = doc[verb.i + 1 : colon]
    named = any(t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in name)
    role = name[0].lower_ == "the" and name[-1].pos_ == "NOUN"  # "Added the senator: …"
    if not (named or role):
        return None
    lemma = _INVERTED[verb.lower_]
    return Attribution(
        cue=(verb.i, verb.i + 1),
        cue_class=default_lexicon().verb_class(lemma),
        lemma=lemma,
        content=quote,
        source=(name.start, name.end),
        source_head=name.end - 1,
        postposed=False,
    )
