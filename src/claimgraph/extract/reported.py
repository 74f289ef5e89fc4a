"""Reported speech over the dependency parse: a reporting verb (or "according to"), the
phrase that names its source, and the clause or object that is its content.

Patterns (each has a test case in tests/test_statements_reported.py):

- ``X said (that) S`` / ``S, X said`` / ``S, said X`` — content is the verb's clausal
  complement (``ccomp``), before or after the verb;
- ``according to X, S`` — content is the rest of the clause;
- ``X accused Y of Z`` / ``X denounced Y as Z`` — content is the object and its phrase;
- ``X urged/called on Y to V`` / ``X vowed to V`` — content is the infinitive clause;
- ``X rejects claims …, saying S`` — "saying" inherits the subject of the verb it hangs on;
- ``…, who said S`` — the relative pronoun is replaced by the noun it refers to;
- ``X said yes`` — the answer is the content; ``told the Herald`` names an addressee, not
  content, and ``told a meeting of Y that S`` has S as content;
- ``As X reported, S`` / ``S, as X noted`` — the clause the as-clause hangs on;
- ``Asked whether S`` / ``asked about X`` — the question or its topic, with no source;
- ``X's claim that S`` — a speech noun's that-clause, its possessor the source;
- ``S, experts say.`` — the closing reporting clause is not part of the content; a direct
  object's content leaves out a subordinate clause of time or reason ("after …");
- a subject is never taken from another paragraph (a headline the parser ran into the first
  sentence): the name right before the verb stands in ("Mira Halvik says …").

Nothing here knows who the source *is*; `speakers` resolves the mention later. The words the
rules look for (reporting verbs and their classes and frames, speech and document nouns, the
verbs of each pattern above) come from a `claimgraph.extract.verbs.ReportingLexicon` that
`find_attributions` passes down; the module keeps only grammatical words of its own
(prepositions, subordinators).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .roles import is_agent_noun
from .verbs import NEUTRAL, ReportingLexicon, default_lexicon, frame_of

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_INHERIT = ("advcl", "xcomp", "conj", "pcomp")
_EDGE_PUNCT = set(",;:—–-.()[]")
# Belief verbs that take an infinitive as their content ("wants to leave").
_PREP_CONTENT = frozenset("about to of on for against over".split())
_OBJ_PREPS = frozenset("of for as over about".split())


@dataclass
class Attribution:
    """One reporting event found in the parse; spans are token offsets, end exclusive."""

    cue: tuple[int, int]
    cue_class: str
    lemma: str
    content: tuple[int, int]
    source: tuple[int, int] | None
    source_head: int | None
    postposed: bool  # the cue comes after its content ("…, X said")
    weighed: bool = False  # the cue is one of the weighed ones, not of the lexicon


def _particle(lex: ReportingLexicon, tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "prt" or (child.dep_ == "prep" and child.i == tok.i + 1):
            if (tok.lemma_.lower(), child.lower_) in lex.phrasal:
                return child
    return None


def _nearest_person(verb: Token) -> Token | None:
    """The closest PERSON name before ``verb`` in its sentence (for absolute constructions
    such as "with spokesperson Zhao Lijian … saying that …")."""
    for ent in reversed(verb.sent.ents):
        if ent.label_ == "PERSON" and ent.end <= verb.i:
            return ent.root
    return None


def _same_paragraph(a: Token, b: Token) -> bool:
    lo, hi = (a, b) if a.i < b.i else (b, a)
    return not any("\n" in t.text for t in a.doc[lo.i : hi.i])


_ABBREVIATIONS = frozenset("dept govt gov admin corp inc co ltd assn intl natl".split())


def _name_before(verb: Token) -> Token | None:
    """The proper name right before ``verb`` in its paragraph ("Mira Halvik says"), for a
    verb the parser hung on a sentence of the paragraph before."""
    doc, i = verb.doc, verb.i - 1
    while i >= 0 and (
        doc[i].pos_ in ("ADV", "AUX", "PART")
        or doc[i].ent_type_ in ("DATE", "TIME")
        or (doc[i].lower_ == "on" and doc[i + 1].ent_type_ == "DATE")
    ):  # "Foreign Minister Teodor Ashby on Thursday accused"
        i -= 1
    if i > 0 and doc[i].text == "." and doc[i - 1].lower_ in _ABBREVIATIONS:
        i -= 1  # "State Dept. Again Accuses China": the tokenizer cut the abbreviation's dot
    if i >= 0 and doc[i].pos_ == "PROPN" and _same_paragraph(doc[i], verb):
        return doc[i]
    return None


def _source_span(subj: Token) -> tuple[int, int]:
    """The subject's phrase, kept inside the subject's paragraph (a headline the parser ran
    into the first sentence is not part of it)."""
    doc, start, end = subj.doc, subj.left_edge.i, subj.right_edge.i + 1
    for t in doc[start : subj.i]:
        if "\n" in t.text:
            start = t.i + 1
    for t in doc[subj.i : end]:
        if "\n" in t.text:
            end = t.i
            break
    return start, end


def _dangling_coordination(subj: Token) -> bool:
    """A subject with an "and" but nothing after it: the parser read the next noun of a list
    ("relatives of others and advocate[s]") as the verb, so there is no report here."""
    deps = {c.dep_ for c in subj.children}
    return "cc" in deps and "conj" not in deps


def _subject(
    lex: ReportingLexicon, verb: Token, depth: int = 0, origin: Token | None = None
) -> Token | None:
    subj = _subject_in_parse(lex, verb, depth, origin)
    if subj is not None and _in_quotation(subj) and not _in_quotation(verb):
        # "treating the remark as a compliment -- ''That makes me smart'' -- and … asserting,
        # ''…''": the parser joined the verb to the quotation's; a word of the quotation
        # never speaks for the outlet's clause
        subj = _subject_outside_quotation(verb) or subj
    if subj is None or not _same_paragraph(subj, verb):
        detached = verb.dep_ == "ROOT" or not _same_paragraph(verb, verb.head)
        found = _name_before(verb) if subj is not None or detached else None
        if found is None and subj is not None:
            found = _paragraph_opener(verb)
        return found
    return subj


_QUOTED = "claimgraph_quoted"  # doc.user_data key: which tokens lie inside quotations


def _in_quotation(tok: Token) -> bool:
    """Inside a quotation, as `find_attributions` was told (`claimgraph.extract.quotes`)."""
    quoted: list[bool] | None = tok.doc.user_data.get(_QUOTED)
    return quoted is not None and tok.i < len(quoted) and quoted[tok.i]


def _subject_outside_quotation(verb: Token) -> Token | None:
    """The nearest subject before ``verb`` in its sentence outside quotation marks."""
    for t in reversed(verb.doc[verb.sent.start : verb.i]):
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("PROPN", "NOUN", "PRON"):
            if not _in_quotation(t):
                return t
    return None


def _paragraph_opener(verb: Token) -> Token | None:
    """ "7 p.m. ¶ Donald Trump is once again questioning …, encouraging …": the parser ran the
    paragraph into the line before and found the verb's subject there; the name that opens
    the verb's paragraph, followed by its verb, is the subject."""
    doc, i = verb.doc, verb.i
    while i > 0 and "\n" not in doc[i - 1].text:
        i -= 1
    if doc[i].lower_ == "the":
        i += 1
    ent = next((e for e in verb.doc.ents if e.start == i), None)
    if ent is None or ent.label_ not in ("PERSON", "ORG", "NORP") or ent.end >= verb.i:
        return None
    after = doc[ent.end]
    if after.pos_ not in ("AUX", "VERB") or after.tag_ not in ("VBZ", "VBD", "VBP", "MD"):
        return None
    return ent.root


def _subject_in_parse(
    lex: ReportingLexicon, verb: Token, depth: int = 0, origin: Token | None = None
) -> Token | None:
    origin = origin if origin is not None else verb
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if len(subjects) > 1:  # '"The evidence … points to …," said Amara Quist': the nearest
        subjects.sort(key=lambda c: abs(c.i - verb.i))
    for child in subjects + [c for c in verb.children if c.dep_ == "nsubjpass"]:
        if child.dep_ in ("nsubj", "csubj"):
            if (verb.tag_ == "VBG" or depth) and child.pos_ == "NOUN" and not is_agent_noun(child):
                # "after her departure saying …"; "X's remark comes after Blinken met …
                # and expressed …" (a conjunct hung on the wrong verb)
                return _nearest_person(origin) or child
            return child
        if child.dep_ == "nsubjpass":
            if (origin.dep_ == "xcomp" and origin.head.i == verb.i) or (
                origin.dep_ == "pcomp" and origin.head.head.i == verb.i
            ):  # "After saying …, she was rushed to …": she said it
                # the passive's subject does what its infinitive says: "the U.S. is reported
                # to be calling for …", "Mr. Trump was prompted (by the moderators) to say …"
                return child
            for c2 in verb.children:
                if c2.dep_ == "agent":
                    return next((p for p in c2.children if p.dep_ == "pobj"), None)
            return None
    if verb.dep_ == "relcl":
        return verb.head
    unlabelled = [c for c in verb.children if c.dep_ == "dep" and c.i < verb.i]
    if unlabelled and unlabelled[-1].pos_ == "PROPN" and verb.pos_ == "VERB":
        return unlabelled[-1]  # "With her film, DuVernay both documents …" (a name as "dep")
    stranded = _stranded_subject(verb) or _subject_of_participle_after(lex, verb)
    if stranded is not None:
        return stranded
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and _people(verb.head):
        return verb.head  # "an ad featuring Hispanics telling their stories"
    if verb.dep_ == "acl" and verb.head.lower_ in lex.document_nouns:
        # "X issued a statement saying …": the issuer says it; "a statement saying …" alone,
        # the statement
        return _issuer(lex, verb.head) or verb.head
    carrier = _carrier_subject(lex, verb, depth, origin)
    if carrier is not None:
        return carrier
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lex.object_control:
        obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
        if obj is not None and obj.pos_ in ("PROPN", "NOUN", "PRON"):
            return obj  # "forced Stumpf to admit that …": Stumpf admits it
    if verb.dep_ == "ROOT" and verb.tag_ == "NNS":
        return _misread_verb_subject(verb)  # "Trump charges that …"
    if verb.dep_ == "acl" and verb.head.dep_ == "ROOT" and verb.head.tag_ == "NNS":
        return _misread_verb_subject(verb.head)  # "Trump avoids condemning …"
    setting = _setting_of(lex, verb)
    if setting is not None and depth < 4:
        # "she said at a news conference announcing that …": who spoke there announces it
        return _subject_in_parse(lex, setting, depth + 1, origin)
    if depth < 4 and verb.dep_ in _INHERIT + _CONTROL and verb.head is not verb:
        head = verb.head
        if (
            depth == 0
            and verb.tag_ == "VBG"
            and verb.lemma_.lower() in lex.cue_lemmas
            and head.dep_ == "ccomp"
            and head.head.lemma_.lower() in lex.cue_lemmas
            and head.head.i < head.i  # the reporting verb before what it reports
            and _has_subj(head)
        ):
            # 'Trump told Newsmax that Romney "had a crazy policy," adding, "…"': the parser
            # hangs "adding" on the reported clause; the reporter adds, not Romney
            head = head.head
        elif (
            depth == 0
            and verb.tag_ == "VBG"
            and head.dep_ == "relcl"
            and verb.doc[verb.i - 1].text == ","
            and head.head.head.pos_ == "VERB"
        ):
            # "… not paying an architect who said he was stiffed …, saying, “…”": the
            # participle after the comma is the main clause's, not the relative clause's
            head = head.head.head
        elif verb.dep_ == "conj" and head.pos_ in ("NOUN", "PROPN") and head.dep_ == "pobj":
            # "used the phrase often in his campaign, and criticized …": a verb the parser
            # joined to a noun is the clause's around it
            head = head.head.head if head.head.head.pos_ == "VERB" else head
        return _subject_in_parse(lex, head, depth + 1, origin)
    if verb.dep_ in ("acl", "advcl", "pcomp") or depth:
        return _nearest_person(origin)
    return None


# Links up to the verb whose subject a cue inherits: "avoids condemning …" (xcomp), "after
# saying …" (prep, pcomp), "was able to tout …" (acomp), "stopped short of calling …" (advmod).
_CONTROL = ("prep", "pcomp", "acomp", "advmod")


def _people(noun: Token) -> bool:
    """A people's plural: "Hispanics", "Republicans" (who may speak)."""
    return noun.ent_type_ == "NORP" and noun.tag_ in ("NNS", "NNPS")


def _issues_what_it_says(lex: ReportingLexicon, verb: Token) -> bool:
    """ "X released a statement saying …": the release is no statement of its own; what the
    statement says is (the speaker X, through the statement)."""
    if verb.lemma_.lower() not in lex.issuing:
        return False
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None or obj.lemma_.lower() not in lex.document_nouns:
        return False
    return any(
        c.tag_ == "VBG" and c.lemma_.lower() in lex.cue_lemmas
        for c in [*verb.children, *obj.children]
        if c.dep_ in ("advcl", "acl", "xcomp")
    )


def _carrier_subject(lex: ReportingLexicon, verb: Token, depth: int, origin: Token) -> Token | None:
    """A participle on the object of a verb speaks for the verb's subject: "The council
    approved a resolution condemning …", "the senator opened a rally blasting …"; on the
    object of a preposition, for that object: "ads attacking …", "candidates proposing …"."""
    noun = verb.head
    if verb.dep_ != "acl" or verb.tag_ != "VBG" or noun.pos_ not in ("NOUN", "PROPN"):
        return None
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB" and depth < 4:
        return _subject_in_parse(lex, noun.head, depth + 1, origin)
    if noun.dep_ == "pobj" and is_agent_noun(noun) and noun.head.head.pos_ != "NOUN":
        return noun  # not "an army of supporters planning …": the army's, if anyone's
    return None


def _issuer(lex: ReportingLexicon, document: Token) -> Token | None:
    """Who issued ``document``: the subject of the verb it is the object of ("Black Lives
    Matter issued a statement", "His office put out a statement", "both men released a
    statement")."""
    verb = document.head
    if document.dep_ != "dobj" or verb.lemma_.lower() not in lex.issuing:
        return None
    return next((c for c in verb.children if c.dep_ == "nsubj"), None)


def _stranded_subject(verb: Token) -> Token | None:
    """The subject the parser hung as a conjunct on the clause before: "… located in Geneva,
    the U.S. and several allies are now reported to be calling for …" ("the U.S." a conjunct
    of "Geneva"). Only for a finite verb with no subject of its own whose auxiliaries follow
    a noun right after a comma."""
    doc, i, aux = verb.doc, verb.i - 1, False
    while i > 0 and doc[i].head == verb and doc[i].dep_ in ("aux", "auxpass", "advmod", "neg"):
        aux = aux or doc[i].dep_ in ("aux", "auxpass")
        i -= 1
    if not aux or any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children):
        return None
    tok = doc[i]
    if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ != "conj" or tok.head.i > tok.i:
        return None
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        if any(t.text == "," for t in doc[tok.head.i + 1 : tok.left_edge.i]):
            return tok  # the first conjunct after the comma: the subject's own list starts
        tok = tok.head
    return None


def _subject_of_participle_after(lex: ReportingLexicon, verb: Token) -> Token | None:
    """ "…," said retired neurosurgeon Ben Carson, asked about his claims …: the parser made
    the name after "said" the subject of the participle that follows it; it is the speaker."""
    if verb.lemma_.lower() not in lex.cue_lemmas or verb.i + 1 >= len(verb.doc):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl") for c in verb.children):
        return None
    for c in verb.children:
        if c.i <= verb.i or c.dep_ not in ("ccomp", "advcl", "conj", "xcomp"):
            continue
        if c.pos_ != "VERB" or verb.doc[c.i - 1].text != ",":
            continue  # (the participle is often read as a past tense: "Carson asked")
        subj = next((x for x in c.children if x.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and subj.i < c.i and subj.left_edge.i == verb.i + 1:
            return subj
    return None


def _speakers_participle(lex: ReportingLexicon, verb: Token) -> bool:
    """``verb`` is the participle after a postposed speaker ('said Ben Carson, asked about
    his claims'): it describes the speaker ("asked" is put to him), it does not report."""
    if verb.head is verb:
        return False
    subj = _subject_of_participle_after(lex, verb.head)
    return subj is not None and subj.head.i == verb.i


def _raised(lex: ReportingLexicon, verb: Token) -> bool:
    """``verb`` is the passive of a raising verb with no agent ("is reported to"), its
    subject found by the parser or not ("… in Geneva, the U.S. and several allies are now
    reported to be calling for …", the subject hung on "Geneva")."""
    return (
        verb.lemma_.lower() in lex.raising
        and any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        and not any(c.dep_ == "agent" for c in verb.children)
    )


def _raised_subject(lex: ReportingLexicon, verb: Token, content: tuple[int, int]) -> Token | None:
    """The subject of an agentless raising passive whose content is its infinitive ("The
    magnate was expected to cruise past …", "Clinton was known to use the house"): the
    infinitive's own subject, so part of the content. The first one in the verb's paragraph
    when the parser found several."""
    if not _raised(lex, verb) or content[0] <= verb.i:
        return None
    if not any(c.dep_ == "xcomp" and c.i > verb.i for c in verb.children):
        return None
    subjects = [
        c
        for c in verb.children
        if c.dep_ == "nsubjpass" and c.i < verb.i and _same_paragraph(c.left_edge, verb)
    ]
    return min(subjects, key=lambda c: c.left_edge.i) if subjects else None


def _np_start(noun: Token) -> int:
    start = noun.i
    while start > 0 and noun.doc[start - 1].head == noun and noun.doc[start - 1].dep_ != "punct":
        start -= 1
    return start


def _span_of(tokens: list[Token]) -> tuple[int, int] | None:
    if not tokens:
        return None
    return min(t.left_edge.i for t in tokens), max(t.right_edge.i for t in tokens) + 1


def trim(doc: Doc, span: tuple[int, int]) -> tuple[int, int]:
    """Drop edge punctuation (but not quote marks) and a leading conjunction."""
    start, end = span
    while start < end and (doc[start].text in _EDGE_PUNCT or doc[start].dep_ == "cc"):
        start += 1
    while end > start and (doc[end - 1].text in _EDGE_PUNCT or doc[end - 1].dep_ == "cc"):
        end -= 1
    return start, end


def _clause_content(verb: Token) -> tuple[int, int] | None:
    comps = [c for c in verb.children if c.dep_ in ("ccomp", "parataxis") and c.pos_ != "PUNCT"]
    comps = [c for c in comps if (c.dep_ == "ccomp" or c.i < verb.i) and _same_paragraph(c, verb)]
    if comps and max(c.i for c in comps) < verb.i:
        # "S, X said, and still S2": a conjoined verb with no subject continues the content
        comps += [
            c for c in verb.children if c.dep_ == "conj" and c.i > verb.i and not _has_subj(c)
        ]
    if comps and min(c.i for c in comps) > verb.i:
        # "said that A but that B": a second that-clause the parser hung on the verb
        comps += [
            c
            for c in verb.children
            if c.dep_ == "conj"
            and c.i > max(c.i for c in comps)
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]
    if comps and min(c.i for c in comps) > verb.i:
        # 'claiming that fraud is “a big problem” but “nobody has the guts …”': a clause
        # the parser hung on the verb that goes on in quotation marks is the speaker's too
        doc, end = verb.doc, max(c.right_edge.i for c in comps) + 1
        comps += [
            c
            for c in verb.children
            if c.dep_ == "conj"
            and c.i >= end
            and _has_subj(c)
            and any(t.is_quote and t.is_left_punct for t in doc[end : c.left_edge.i + 2])
        ]
    if any(c.i > verb.i and c.dep_ == "ccomp" for c in comps):
        # "It is unlikely; her team says she will go on", "… set off fireworks: Republicans
        # said they are convinced …": a clause before a semicolon, or before a colon that
        # introduces the speaker, is the writer's when the verb has its content after it
        subj = next((c for c in verb.children if c.dep_ in _SUBJ and c.i < verb.i), None)
        lead = subj.left_edge.i if subj is not None else verb.i
        stops = [
            t.i
            for t in verb.doc[verb.sent.start : verb.i]
            if t.text == ";" or (t.text == ":" and t.i < lead)
        ]
        if stops:
            comps = [c for c in comps if c.i > stops[-1]]
    if not comps:
        comps = _that_clause_of_prep(verb)
    if not comps and _parenthetical(verb):
        head = verb.head
        return head.left_edge.i, head.right_edge.i + 1  # "S1, X said, S2"
    return _span_of(comps)


def _that_clause_of_prep(verb: Token) -> list[Token]:
    """``said in a statement that S``: the parser hangs the that-clause on "statement"."""
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        for pobj in prep.children:
            for clause in pobj.children:
                if clause.dep_ in ("acl", "relcl", "ccomp") and any(
                    c.dep_ == "mark" and c.lower_ == "that" for c in clause.children
                ):
                    return [clause]
    return []


def _has_subj(tok: Token) -> bool:
    return any(c.dep_ in _SUBJ for c in tok.children)


def _parenthetical(verb: Token) -> bool:
    """``Acts of protest, Mr. Obama said, are acts of patriotism``: the reporting clause hangs
    (as parataxis) on the verb of the reported clause, set off by commas."""
    doc = verb.doc
    if verb.dep_ not in ("parataxis", "advcl", "ccomp") or verb.head.pos_ not in ("VERB", "AUX"):
        return False
    left = verb.left_edge.i
    right = verb.right_edge.i
    before = doc[left - 1].text if left > 0 else ""
    after = doc[right + 1].text if right + 1 < len(doc) else ""
    return (doc[left].text == "," or before == ",") and (doc[right].text == "," or after == ",")


def _object_content(lex: ReportingLexicon, verb: Token) -> tuple[int, int] | None:
    parts = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "dative") and c.i > verb.i]
    if not parts:
        return None
    if verb.lemma_.lower() in lex.addressee_verbs | {"warn"}:
        for obj in parts:  # "told a meeting of leaders that S": the parser hung S on them
            for clause in obj.subtree:
                if clause.dep_ in ("acl", "relcl", "ccomp") and any(
                    m.dep_ == "mark" and m.lower_ == "that" and m.i < clause.i
                    for m in clause.children
                ):
                    return clause.left_edge.i, clause.right_edge.i + 1
    first = min(c.i for c in parts)
    parts += [
        c
        for c in verb.children
        if c.dep_ == "prep" and (c.lower_ in _OBJ_PREPS or (c.i > first and not _setting(lex, c)))
    ]
    parts += [
        c
        for c in verb.children
        if c.dep_ in ("xcomp", "advcl") and c.i > verb.i and not _subordinate(c)
    ]
    return _span_of(parts)


def _setting(lex: ReportingLexicon, prep: Token) -> bool:
    """``prep`` (on the verb, after its object) says when, where or in what the speaker spoke:
    its object is a date or time, or a speech event ("in an interview", "at a rally")."""
    obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
    if obj is None:
        return False
    return obj.ent_type_ in ("DATE", "TIME") or obj.lemma_.lower() in lex.setting_nouns


def _subordinate(clause: Token) -> bool:
    """``endorsed gay marriage after his son came out``: a clause with its own
    subordinator (after, because, as, when …) tells when or why, not what was said."""
    return any(c.dep_ == "mark" and c.lower_ != "that" for c in clause.children)


def _infinitive_content(verb: Token) -> tuple[int, int] | None:
    xcomps = [c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i]
    if not xcomps:
        return None
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i > verb.i]
    if len(xcomps) == 1 and xcomps[0].lemma_ == "be" and not objs:
        attrs = [c for c in xcomps[0].children if c.dep_ in ("attr", "acomp")]
        if attrs:  # "what he claimed to be the “ongoing genocide”"
            return _span_of(attrs)
    return _span_of(xcomps + objs)


def _around_content(verb: Token) -> tuple[int, int] | None:
    """``Though the transition was smooth, he said, replacing her would be harder``: a
    reporting clause set off by commas whose content the parser scattered around it."""
    doc, sent = verb.doc, verb.sent
    subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
    left = min(verb.i, subj.left_edge.i if subj is not None else verb.i)
    right = max(t.i for t in verb.subtree if t.i <= verb.i + 1 and t.dep_ != "punct" or t == verb)
    if left <= sent.start or doc[left - 1].text != ",":
        return None
    after = doc[right + 1].text if right + 1 < sent.end else "."
    if after not in (",", ".", ";") or (after == "," and right + 2 >= sent.end):
        return None
    if after != "," or right + 2 >= sent.end:
        return sent.start, left - 1  # "S, experts say.": the reporting clause closes it
    return sent.start, sent.end


_TIME_MARKS = frozenset("after before since when once until".split())


def _clause_made_head(verb: Token) -> tuple[int, int] | None:
    """``Days after China said a visit had put to rest "lies", the State Department …``: the
    parser hung the reported clause over the reporting one ("said" an adverbial clause of
    "put"). Taken only when the cue's clause opens with a time conjunction, the cue has no
    dependant after it and the verb it hangs on has its own subject after the cue; the
    content runs to the comma that closes the time clause."""
    head, doc = verb.head, verb.doc
    if (
        verb.dep_ != "advcl"
        or head.i <= verb.i + 1
        or head.pos_ not in ("VERB", "AUX")
        or any(c.i > verb.i for c in verb.children)
        or not any(c.dep_ == "mark" and c.lower_ in _TIME_MARKS for c in verb.children)
        or not any(c.dep_ in _SUBJ and verb.i < c.i < head.i for c in head.children)
    ):
        return None
    root = verb.sent.root
    commas = [t.i for t in doc[head.i : root.i] if t.text == ","] if root.i > head.i else []
    end = max(head.right_edge.i + 1, commas[-1] if commas else 0)
    return verb.i + 1, end


def _prep_content(lex: ReportingLexicon, verb: Token) -> tuple[int, int] | None:
    """``talked about X`` / ``referring to X``: the object of the verb's preposition; after
    "say" only "about" ("said little about X"; "said of Latinos", "said on Twitter" tell
    whom or where, not what)."""
    say = verb.lemma_.lower() == "say"
    for prep in verb.children:
        if say and prep.lower_ != "about":
            continue
        if prep.lower_ == "to" and verb.lemma_.lower() in lex.response_verbs:
            continue  # "responded to a question about the ban": what prompted it, not content
        if prep.lower_ == "to" and verb.lemma_.lower() in lex.to_whom:
            continue  # "have written to the High Commissioner": to whom, not what
        if prep.dep_ == "prep" and prep.i > verb.i and prep.lower_ in _PREP_CONTENT:
            objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
            if objs:
                return _span_of(objs)
    return None


_ANSWERS = frozenset(["yes", "no", "so"])


def _only_addressees(lex: ReportingLexicon, verb: Token) -> bool:
    objs = [c for c in verb.children if c.dep_ in ("dobj", "dative") and c.i > verb.i]
    return all(
        o.pos_ in ("PROPN", "PRON")
        or o.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
        or (is_agent_noun(o) and o.lemma_.lower() not in lex.document_nouns)
        for o in objs
    )


def _as_content(lex: ReportingLexicon, verb: Token) -> tuple[int, int] | None:
    """``As the Courier reported, S`` / ``S, as she noted``: the clause the as-clause hangs on
    is the content, without the as-clause itself."""
    if (
        verb.lemma_.lower() not in lex.as_lemmas
        or verb.dep_ != "advcl"
        or not any(c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i for c in verb.children)
    ):
        return None
    if any(c.dep_ in ("ccomp", "dobj", "xcomp") and c.i > verb.i for c in verb.children):
        return None  # "as he said that …": a clause of its own
    head, lo, hi = verb.head, verb.left_edge.i, verb.right_edge.i + 1
    if hi <= head.i:
        return hi, head.right_edge.i + 1
    if lo > head.i:
        return head.left_edge.i, lo
    return None


def _object_before_clause(verb: Token) -> bool:
    """The verb's direct object comes before its clausal complement."""
    after = [c for c in verb.children if c.i > verb.i]
    obj = next((c.i for c in after if c.dep_ in ("dobj", "oprd")), None)
    clause = next((c.i for c in after if c.dep_ == "ccomp"), None)
    return obj is not None and clause is not None and obj < clause


def _content(lex: ReportingLexicon, verb: Token, lemma: str) -> tuple[int, int] | None:
    """The content of a reporting verb, in the first frame its parse offers, if the verb
    introduces content in that frame (`ReportingLexicon.frames`); never only a date or a time
    ("spoke on Tuesday", "talked for about 30 minutes")."""
    span = _frame_content(lex, verb, lemma)
    if span is not None and all(
        t.ent_type_ in ("DATE", "TIME") or t.is_punct for t in verb.doc[span[0] : span[1]]
    ):
        return None
    return span


def _frame_content(lex: ReportingLexicon, verb: Token, lemma: str) -> tuple[int, int] | None:
    span = _as_content(lex, verb)
    if span is not None:
        return span
    if lemma in lex.naming and _object_before_clause(verb):
        # "what it terms 'training centers' – or what Blinken called 'camps'": the name is
        # the content; the clause after it is a rival naming the parser hung on this one
        return _object_content(lex, verb) if lex.is_cue(lemma, "dobj") else None
    span = _clause_content(verb)
    if span is not None:
        # "S, X said" is how speech is reported; a verb only weighed as a cue takes no
        # content before it ("Officials refute allegations, welcome foreign visits")
        return span if lex.is_cue(lemma, "ccomp", weighed=span[0] > verb.i) else None
    answer = next((c for c in verb.children if c.i == verb.i + 1 and c.lower_ in _ANSWERS), None)
    if answer is not None and lemma in lex.say_like:
        return answer.i, answer.i + 1  # "Asked whether he would run, Obama said yes"
    deps = {c.dep_ for c in verb.children if c.i > verb.i}
    if lemma in lex.say_like and not deps & {"xcomp", "dobj", "dative"}:
        span = _around_content(verb) or _clause_made_head(verb)
        if span is not None:
            return span
    if "xcomp" in deps:
        return _infinitive_content(verb) if lex.is_cue(lemma, "xcomp") else None
    if deps & {"dobj", "dative", "oprd"}:
        if lemma in lex.addressee_verbs and _only_addressees(lex, verb):
            return None  # "told the Meridian Herald by telephone": whom, not what
        misread = _misread_clause(lex, verb)
        if misread is not None:
            return misread  # "abuses which … have said amount to genocide"
        if lemma in lex.say_like and _bare_noun_object(verb):
            return None  # "have said amount": a verb the parser read as a noun
        if lex.is_cue(lemma, "dobj") or _designation(lex, verb, lemma):
            return _object_content(lex, verb)
        return None
    return _prep_content(lex, verb) if lex.is_cue(lemma, "other") else None


def _bare_noun_object(verb: Token) -> bool:
    """The verb's only object is one common noun with nothing on it ("said amount"): what
    was said is never a bare noun, so the parse is wrong."""
    objs = [c for c in verb.children if c.dep_ in ("dobj", "oprd", "dative") and c.i > verb.i]
    return len(objs) == 1 and objs[0].pos_ == "NOUN" and not list(objs[0].children)


def _misread_clause(lex: ReportingLexicon, verb: Token) -> tuple[int, int] | None:
    """The clause of a verb the parser read as the bare noun object right after "said"
    ("… have said amount to genocide": "amount" a noun, "to genocide" on it or on "said")."""
    if verb.lemma_.lower() != "say" or verb.i + 2 >= len(verb.doc):
        return None
    noun, nxt = verb.doc[verb.i + 1], verb.doc[verb.i + 2]
    if noun.head != verb or noun.dep_ not in ("dobj", "oprd") or noun.tag_ != "NN":
        return None
    if noun.pos_ != "NOUN" or noun.lower_ in lex.not_misread or noun.n_lefts:
        return None
    if nxt.dep_ != "prep" or nxt.head not in (verb, noun):
        return None
    end = max(c.right_edge.i for c in verb.children if c.i >= noun.i)
    return trim(verb.doc, (noun.i, end + 1))


def _designation(lex: ReportingLexicon, verb: Token, lemma: str) -> bool:
    """``declared the actions in Xinjiang "genocide"`` / ``… as genocide``: a verb of
    declaring is a statement when it names its object as something (declaring an emergency
    or victory is an act)."""
    if lemma not in lex.designating:
        return False
    deps = {c.dep_ for c in verb.children}
    named_as = any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)
    return named_as or "oprd" in deps or {"dative", "dobj"} <= deps


def _tail_cut(lex: ReportingLexicon, doc: Doc, tok: Token, cue: Token) -> int | None:
    """Where the content ends if ``tok`` starts something that is not part of it."""
    comma = _comma_before(doc, tok.left_edge.i)
    if tok.dep_ in ("conj", "advcl") and tok.pos_ == "VERB" and tok.lemma_ in lex.say_like_all:
        return tok.left_edge.i  # "… review, and warned that …" / "…, arguing that …"
    if tok.dep_ == "relcl" and comma is not None:
        return comma  # "…Trump, who is 70"
    if tok.dep_ == "advcl" and tok.tag_ == "VBG" and comma is not None:
        return comma  # "…, reflecting the party's shift"; '… “strong leader,” comparing …'
    if tok.dep_ == "prep" and tok.lower_ == "despite" and cue.i in (tok.head.i, tok.head.head.i):
        # "…, despite the war" on the cue or the content's verb; deeper, it is content
        before_despite = _comma_before(doc, tok.i)
        if before_despite is not None:
            return before_despite
    if (
        tok.dep_ == "conj"
        and tok.pos_ == "VERB"
        and tok.tag_ == cue.tag_
        and tok.head.tag_ != cue.tag_
        and not any(c.dep_ in _SUBJ for c in tok.children)
    ):  # "suggested [X be fired] and defended Trump": the cue's own second verb
        return tok.left_edge.i
    return None


_OPENING_QUOTES = frozenset("“‘«„`")


def _comma_before(doc: Doc, i: int) -> int | None:
    """Where the content ends if token ``i`` follows a comma: before the comma, or after the
    closing quotation mark the comma sits inside (American style: '“a strong leader,”
    comparing him …' ends with the quotation); None where no comma comes right before."""
    j = i - 1
    while j > 0 and doc[j].is_quote and doc[j].text not in _OPENING_QUOTES:
        j -= 1
    if j < 0 or doc[j].text != ",":
        return None
    return j if j == i - 1 else i


def _cut_tail(
    lex: ReportingLexicon, doc: Doc, span: tuple[int, int], cue: Token
) -> tuple[int, int]:
    """End the content before what the parser hung on it but the speaker did not say."""
    start, end = span
    for tok in doc[start + 1 : end]:
        if tok.i < cue.i:
            # the words before the cue are the speaker's, asides and all ("S, which …, she
            # said", "S, leaving …, she said", "A, X said, B")
            continue
        cut = _tail_cut(lex, doc, tok, cue)
        if cut is not None and cut > start + 1 and not cut <= cue.i < end:
            return start, cut
    return span


def _cut_at_comma(doc: Doc, head: Token) -> tuple[int, int]:
    end = head.right_edge.i + 1
    comma = next((t.i for t in doc[head.i : end] if t.text == ","), None)
    return head.left_edge.i, comma if comma is not None else end


def _according_to(doc: Doc, tok: Token) -> Attribution | None:
    to = doc[tok.i + 1]
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
    if pobj is None:
        pobj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if pobj is None:
        return None
    phrase_start, phrase_end = tok.i, max(pobj.right_edge.i, to.i) + 1
    head = tok.head if tok.head is not tok else tok
    clause = (head.left_edge.i, head.right_edge.i + 1) if head is not tok else None
    if clause is None or (clause[0] >= phrase_start and clause[1] <= phrase_end):
        clause = (tok.sent.start, tok.sent.end)
    if phrase_start - clause[0] <= 1:
        content = (phrase_end, clause[1])  # "According to X, S"
        if not any(t.dep_ in _SUBJ or t.dep_ == "expl" for t in doc[slice(*content)]):
            # the parser ran S's subject into the phrase ("According to CBP, which will
            # oversee it from June 21, apparel, chemicals and goods … are …"): S starts after
            # the first comma with no verb after it in the phrase
            comma = next(
                (
                    t.i
                    for t in doc[pobj.i : phrase_end]
                    if t.text == ","
                    and not any(x.pos_ in ("VERB", "AUX") for x in doc[t.i : phrase_end])
                ),
                None,
            )
            content = (comma + 1, clause[1]) if comma is not None else content
    elif clause[1] - phrase_end <= 2:
        # "S, according to X.": all of the sentence before the phrase (the parser may hang
        # the phrase on one conjunct, or leave S's subject out of its clause), from a
        # semicolon, colon or line break before the clause if there is one
        start = tok.sent.start
        for t in doc[start : clause[0]]:
            if t.text in (";", ":") or "\n" in t.text:
                start = t.i + 1
        content = (min(start, clause[0]), phrase_start)
    else:
        content = clause  # "S1, according to X, S2": the whole clause around it
    content = trim(doc, content)
    if content[1] <= content[0]:
        return None
    return Attribution(
        cue=(tok.i, to.i + 1),
        cue_class=NEUTRAL,
        lemma="according to",
        content=content,
        source=_cut_at_comma(doc, pobj),
        source_head=pobj.i,
        postposed=content[0] < tok.i,
    )


def relayed_speech(
    doc: Doc, content: tuple[int, int], lexicon: ReportingLexicon | None = None
) -> Token | None:
    """The speech verb, with a speaker of its own, inside what an "according to X" phrase
    reports ('“…,” said Marsh in an interview, according to the Valley Weekly'): X relays
    the statement, it does not make it."""
    lex = lexicon or default_lexicon()
    for t in doc[content[0] : content[1]]:
        if t.pos_ != "VERB" or t.lemma_.lower() not in lex.say_like_all:
            continue
        subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None and content[0] <= subj.i < content[1] and subj.pos_ != "PRON":
            if t.dep_ in ("ROOT", "conj") or t.i > t.head.i:
                return t
    return None


def _bare_when_clause(verb: Token) -> bool:
    """``… Wang said when asked what …`` (tagged as a past tense): a subjectless clause under
    "when"/"if"/"after"/"as"/"once" is a passive one."""
    return (
        verb.dep_ == "advcl"
        and not _has_subj(verb)
        and any(
            c.dep_ in ("mark", "advmod") and c.lower_ in ("when", "if", "after", "as", "once")
            for c in verb.children
        )
    )


def _asked(verb: Token) -> Attribution | None:
    """``X was asked whether S`` / ``Asked if S, X said …`` / ``asked about X``: the question
    (or its topic) is content; who asked it is rarely said."""
    passive = any(c.dep_ == "auxpass" for c in verb.children)
    if not passive and (verb.dep_ not in ("advcl", "ROOT") or _has_subj(verb)):
        return None  # "the questions she asked …": an adjective, not a report
    comps = [
        c
        for c in verb.children
        if c.i > verb.i
        and (
            c.dep_ == "ccomp"
            or (c.dep_ == "advcl" and any(m.lower_ in ("if", "whether") for m in c.children))
        )
    ]
    if not comps:
        comps = [
            pobj
            for prep in verb.children
            if prep.dep_ == "prep" and prep.lower_ == "about" and prep.i > verb.i
            for pobj in prep.children
            if pobj.dep_ in ("pobj", "pcomp")
        ]
    span = _span_of(comps) if comps else None
    if span is None:
        return None
    content = trim(verb.doc, span)
    if content[1] <= content[0]:
        return None
    return Attribution(
        cue=(verb.i, verb.i + 1),
        cue_class=NEUTRAL,
        lemma="ask",
        content=content,
        source=None,
        source_head=None,
        postposed=False,
    )


def _verb_attribution(lex: ReportingLexicon, doc: Doc, verb: Token) -> Attribution | None:
    lemma = verb.lemma_.lower()
    particle = _particle(lex, verb)
    cls = lex.verb_class(lemma, particle.lower_ if particle is not None else None)
    if lemma == "ask" and (
        verb.tag_ == "VBN" or _bare_when_clause(verb) or _speakers_participle(lex, verb)
    ):
        return _asked(verb)  # "when asked about …": the speaker was asked, not asking
    if _raised(lex, verb) and any(
        c.dep_ == "xcomp" and c.lemma_.lower() in lex.cue_lemmas for c in verb.children
    ):
        return None  # "X is reported to be calling for Y": X's call (the xcomp's statement)
    content = _content(lex, verb, lemma)
    if content is None or _issues_what_it_says(lex, verb):
        return None
    weighed = lemma not in lex.designating and not lex.is_cue(lemma, frame_of(verb), weighed=False)
    raised = _raised_subject(lex, verb, content)
    if raised is not None:
        # "The birth is expected to coincide with …": what is expected is the whole clause;
        # its subject is what it is about, not who expects it (no one is named)
        content = trim(doc, _cut_tail(lex, doc, (raised.left_edge.i, content[1]), verb))
        return Attribution(
            cue=(verb.i, verb.i + 1),
            cue_class=cls,
            lemma=lemma,
            content=content,
            source=None,
            source_head=None,
            postposed=False,
            weighed=weighed,
        )
    subj = _subject(lex, verb)
    if subj is None and not weighed:
        subj = _subject_by_position(verb, content)
    after = _subject_of_participle_after(lex, verb) if subj is not None else None
    if subj is not None and after is not None and after.i == subj.i:
        # '"…," said X, asked about …': what was said is before the verb; the participle
        # after it is about the speaker, not what was said
        if content[0] > verb.i:
            return None
        content = trim(verb.doc, (content[0], min(content[1], verb.i)))
    if subj is not None and subj.lemma_.lower() in lex.evidence_subjects and subj.pos_ == "NOUN":
        return None  # "facts have proved that …", "the fact that … shows that …": no speaker
    if subj is not None and _dangling_coordination(subj):
        return None  # "… detainees, relatives of others and advocate about …": a noun misread
    if weighed and subj is None:
        return None  # "Praying for the victims": a verb only weighed as a cue needs a holder
    if (lemma in lex.belief or weighed) and subj is not None:
        if subj.pos_ == "NOUN" and not is_agent_noun(subj):
            # "the economy expects …", "this issue did not concern …": no one's belief or
            # position (a verb only weighed as a cue needs someone who holds it, too)
            return None
    source = None
    if subj is not None and subj.tag_ in ("WP", "WDT") and subj.head.dep_ == "relcl":
        # "Reid, who called him a “con artist”": the mention runs from the name to "who";
        # also for a verb joined to the relative clause ("Sanders, who endorsed Canova and
        # said he would campaign with him")
        antecedent = subj.head.head
        source = (_np_start(antecedent), subj.i + 1)
        subj = antecedent
    elif subj is not None:
        source = _source_span(subj)
        if content[0] <= verb.i < content[1]:
            pass  # parenthetical: the reporting clause sits inside its content
        elif source[0] < content[1] and content[0] < source[1]:
            # subject inside the content span: keep only the head's own words
            source = (subj.i, subj.i + 1)
            if content[0] <= subj.i < content[1]:
                return None
    content = trim(doc, _cut_tail(lex, doc, content, verb))
    if content[1] <= content[0]:
        return None
    cue_end = (particle.i + 1) if particle is not None else verb.i + 1
    return Attribution(
        cue=(verb.i, cue_end),
        cue_class=cls,
        lemma=lemma,
        content=content,
        source=source,
        source_head=subj.i if subj is not None else None,
        postposed=content[1] <= verb.i,
        weighed=weighed,
    )


def _relative_that(lex: ReportingLexicon, clause: Token) -> bool:
    """``clause`` (after "that") lacks the object its verb needs, so "that" fills it."""
    return clause.lemma_.lower() in lex.takes_allegation and not any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "attr", "acomp", "oprd", "nsubjpass")
        for c in clause.children
    )


def _noun_attribution(lex: ReportingLexicon, doc: Doc, noun: Token) -> Attribution | None:
    """``his contention that S`` / ``the administration's claim that S``: the noun's
    that-clause is content; its possessor (or a "by" phrase) is the source."""
    clause = next(
        (
            c
            for c in noun.children
            if c.dep_ in ("acl", "ccomp", "relcl")
            and c.i > noun.i
            and any(m.dep_ == "mark" and m.lower_ == "that" and m.i < c.i for m in c.children)
        ),
        None,
    )
    if clause is None or _relative_that(lex, clause):
        return None
    content = trim(doc, (clause.left_edge.i, clause.right_edge.i + 1))
    if content[1] <= content[0]:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by else None
    if owner is None:
        owner = _misread_verb_subject(noun) or _holder(lex, noun)
    source = None
    if owner is not None:
        source = (owner.left_edge.i, owner.right_edge.i + 1)
        if doc[source[1] - 1].text in ("'s", "’s", "'", "’"):
            source = (source[0], source[1] - 1)
    lemma = noun.lemma_.lower()
    return Attribution(
        cue=(noun.i, noun.i + 1),
        cue_class=lex.verb_class(lemma),
        lemma=lemma,
        content=content,
        source=source if source is not None and source[1] > source[0] else None,
        source_head=owner.i if owner is not None else None,
        postposed=False,
    )


_NAMED = ("PERSON", "ORG", "NORP", "GPE")


def _subject_by_position(verb: Token, content: tuple[int, int]) -> Token | None:
    """The speaker of a reporting verb the parser gave no subject, read from where it stands:
    the noun phrase right after a verb that follows its quotation ('“…,” added a South
    Carolina Democrat', parsed as an object), or a name right before the verb, an aside
    between commas allowed ("Jay Dix, the club's president, suggested that …", the name
    parsed as part of the clause before). Never a word of the content."""
    doc, sent = verb.doc, verb.sent
    if content[1] <= verb.i:  # inverted: "…," added X
        obj = next((c for c in verb.children if c.dep_ in ("dobj", "attr") and c.i > verb.i), None)
        if obj is not None and obj.pos_ in ("PROPN", "NOUN") and obj.left_edge.i <= verb.i + 3:
            return obj
    i = verb.i - 1
    while i > sent.start and (doc[i].pos_ in ("ADV", "AUX", "PART") or doc[i].dep_ == "neg"):
        i -= 1
    if doc[i].text == "," and i > sent.start:
        # an aside between commas: "X, the club's president, said"; "X, who …, said"
        j = i - 1
        while j > sent.start and doc[j].text != "," and not doc[j].is_quote:
            j -= 1
        if doc[j].text != ",":
            return None
        i = j - 1
    tok = doc[i] if i >= sent.start else None
    if tok is None or content[0] <= tok.i < content[1] or tok.is_quote:
        return None
    if tok.dep_ == "conj" and doc[tok.left_edge.i - 1].dep_ == "cc":
        return None  # "… mishandled the investigation and Democrats accused …": a conjunct
    if tok.ent_type_ in ("PERSON", "ORG", "NORP") or (
        tok.pos_ == "PROPN" and tok.is_title and tok.ent_type_ not in ("DATE", "TIME", "GPE")
    ):
        return tok
    return None


def _setting_of(lex: ReportingLexicon, verb: Token) -> Token | None:
    """The verb of "said at a news conference announcing …": a participle on the occasion
    where the verb's subject spoke."""
    noun = verb.head
    if verb.dep_ != "acl" or verb.tag_ != "VBG" or noun.lemma_.lower() not in lex.occasions:
        return None
    prep = noun.head
    if noun.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.pos_ not in ("VERB", "AUX"):
        return None
    return prep.head


def _misread_verb_subject(noun: Token) -> Token | None:
    """ "Trump claims that …", "Trump charges that …": the parser read the verb as a plural
    noun heading the sentence, the name before it as a compound; the name is the subject."""
    if noun.dep_ != "ROOT" or noun.tag_ != "NNS":
        return None
    before = [c for c in noun.children if c.dep_ == "compound" and c.i == noun.i - 1]
    if not before or not before[0].is_title:
        return None
    name = before[0]
    if name.ent_type_ in ("PERSON", "ORG") or name.pos_ == "PROPN":
        return name
    # tagged as a common noun: a name only if the article names a person so elsewhere
    if any(e.label_ == "PERSON" and name.text in e.text.split() for e in noun.doc.ents):
        return name
    return None


def _holder(lex: ReportingLexicon, noun: Token) -> Token | None:
    """ "Republicans have expressed concern that …", "X made the claim that …": who puts
    the noun into words is the verb's subject."""
    verb = noun.head
    if noun.dep_ != "dobj" or verb.lemma_.lower() not in lex.holding_verbs:
        return None
    subj = _subject(lex, verb)
    if subj is None or subj.tag_ in ("WP", "WDT") or subj.pos_ == "PRON" and subj.lower_ == "it":
        return None
    return subj


_PREPOSITIONAL = frozenset(
    "regarding concerning including following considering respecting".split()
)


def _prepositional(tok: Token) -> bool:
    """A participle used as a preposition ("measures … regarding the assessment"): no verb
    of its own, so no cue."""
    return tok.dep_ == "prep" or (
        tok.lower_ in _PREPOSITIONAL
        and not any(c.dep_ in ("aux", "auxpass", *_SUBJ) for c in tok.children)
    )


def _put_it(lex: ReportingLexicon, doc: Doc, verb: Token) -> Attribution | None:
    """``As X put it, S`` / ``S, as X put it`` / ``X put it bluntly: S``: "put it" reports the
    clause it hangs on (or the one after its colon), without the reporting clause itself."""
    it = next((c for c in verb.children if c.dep_ == "dobj" and c.lower_ == "it"), None)
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if it is None or subj is None:
        return None
    head, lo, hi = verb.head, verb.left_edge.i, verb.right_edge.i + 1
    if verb.dep_ in ("advcl", "ccomp", "parataxis") and head.pos_ in ("VERB", "AUX"):
        if hi <= head.i:
            content = (hi, head.right_edge.i + 1)  # "As X put it, S" / "X put it: S"
        elif lo > head.i:
            content = (head.left_edge.i, lo)  # "S, as X put it"
        else:
            return None
    elif verb.dep_ == "ROOT" and hi < verb.sent.end and doc[hi].text == ":":
        content = (hi + 1, verb.sent.end)  # 'X put it this way: "…"'
    else:
        return None
    content = trim(doc, content)
    if content[1] <= content[0]:
        return None
    return Attribution(
        cue=(verb.i, verb.i + 1),
        cue_class=lex.verb_class("put"),
        lemma="put",
        content=content,
        source=_source_span(subj),
        source_head=subj.i,
        postposed=content[1] <= verb.i,
        weighed=False,
    )


def find_attributions(
    doc: Doc, quoted: list[bool] | None = None, lexicon: ReportingLexicon | None = None
) -> list[Attribution]:
    """Reporting events in ``doc``. ``quoted[i]`` marks tokens inside quotations: verbs there
    belong to the quoted speaker's own words and are skipped. The rules read their words from
    ``lexicon`` (default: `default_lexicon`)."""
    lex = lexicon or default_lexicon()
    found: list[Attribution] = []
    if quoted is not None:
        doc.user_data[_QUOTED] = quoted
    for tok in doc:
        if quoted is not None and quoted[tok.i]:
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            att = _according_to(doc, tok)
        elif tok.pos_ == "VERB" and tok.lemma_.lower() == "put":
            att = _put_it(lex, doc, tok)
        elif (
            tok.pos_ == "VERB"
            and not _prepositional(tok)
            and (tok.lemma_.lower() in lex.designating or lex.may_report(tok.lemma_.lower()))
        ):
            att = _verb_attribution(lex, doc, tok)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in lex.speech_nouns:
            att = _noun_attribution(lex, doc, tok)
        else:
            continue
        if att is not None:
            found.append(att)
    return found
