"""Speakers: who a source mention refers to, within one article.

`ActorIndex` is built once per `Doc`. It collects the people named in the article (PERSON
entities, plus bare surnames the small model mislabels as ORG, found by matching the words of
names already seen), their titles and affiliations (pre-modifiers such as "Chinese Foreign
Ministry spokesperson Wang Wenbin", appositions such as "Xu Guixiang, deputy head of …"), and a
discourse history of mentions. `resolve` maps a mention to a canonical `Actor`:

- a name, full or partial ("Wang", "Wenbin") -> the fullest form of that name in the article
  (a bare surname to a full name it ends, before a longer "name" it is a word of: "Trump" is
  Donald Trump, not the "Trump Turnberry" resort the model took for a person);
- he/she -> the most recent person who was a subject or a speaker (skipping people known to
  be of the other gender); they/it -> the most recent collective/organisation/document;
- a role noun ("the spokesperson", "the Chinese spokesman", "a senior official") -> by
  discourse: the most recent person holding that role, unless an organisation was the subject
  of a sentence more recently (then "<organisation> spokesperson"); an indefinite role noun
  with no antecedent looks ahead for the official named next;
- organisations, countries (capitals as metonyms: Beijing -> China), documents ("the report")
  and collectives ("critics", "Uyghur activists").

Names are read without the titles the model sometimes swallows ("Foreign Ministry spokesperson
Ilka Dorn" -> "Ilka Dorn", with that title); a name in apposition to a role noun wins over the
possessor ("Marenne's foreign minister, Teodor Ashby" -> Teodor Ashby, affiliation Marenne);
one-word "people" that own a government or a foreign minister are countries; an indefinite
role noun with "on condition of anonymity" is an anonymous source, never an earlier name.
Datelines ("KORVA, March 15 (VNA) --") name no one: they are cut from mentions and kept out
of the discourse history.
"""

from __future__ import annotations

import bisect
import itertools
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .doctext import doc_text
from .quotes import datelines
from .roles import (
    _COLLECTIVE_ROLES,
    _DESCRIPTORS,
    _DOCUMENT_WORDS,
    _FEMALE,
    _MALE,
    _ORG_WORDS,
    _PERSON_NOUNS,
    _PERSON_PRONOUNS,
    _PLURAL_PRONOUNS,
    _QUANTITY_WORDS,
    _ROLE_WORDS,
    COLLECTIVE,
    COUNTRY,
    DOCUMENT,
    ORGANISATION,
    PERSON,
    _clean_name,
    _headline_verb,
    _title_span,
    affiliation_of,
    country_of,
    expand_body_abbreviations,
    first_name_gender,
    is_bare_body,
    is_state_possessor,
    name_core,
    role_of,
)
from .roles import is_agent_noun as is_agent_noun  # re-exported
from .verbs import default_lexicon

# Titles whose holders meet their like from other states: never taken to share a state.
_COUNTERPART = re.compile(
    r"\b(?:president|prime minister|premier|chancellor|king|queen|emperor|minister|"
    r"counterpart|foreign secretary|head of state)\b",
    re.I,
)
_INDEFINITE = frozenset(["a", "an", "one", "another"])
_ANONYMITY = re.compile(
    r"anonymity|anonymously|not authori[sz]ed to|declined to be (?:named|identified)|"
    r"asked not to be (?:named|identified)"
)


@dataclass(eq=False)
class Actor:
    name: str
    type: str
    role: str | None = None
    title: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    words: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Speaker:
    actor: Actor | None
    mention: str
    start: int  # character offsets of the mention
    end: int


class ActorIndex:
    """The actors of one article and the discourse history used to resolve mentions."""

    def __init__(self, doc: Doc, quoted: list[bool]) -> None:
        self.doc = doc
        self.ents = doc.ents  # `doc.ents` builds a new tuple on every access: read it once
        self._ent_starts = [e.start for e in self.ents]
        self.quoted = quoted
        self.by_word: dict[str, list[Actor]] = {}
        self.persons: list[Actor] = []
        self.named: dict[str, Actor] = {}
        # history: (char offset, actor, is_subject), in text order
        self.history: list[tuple[int, Actor, bool]] = []
        self.datelines = datelines(doc_text(doc)[:2000])
        self.places = self._places()
        self._build()

    def ent_at(self, i: int) -> Span | None:
        """The entity that covers token ``i``, if any."""
        k = bisect.bisect_right(self._ent_starts, i) - 1
        return self.ents[k] if k >= 0 and self.ents[k].end > i else None

    def ents_in(self, start: int, end: int) -> list[Span]:
        """The entities inside tokens [start, end): ``doc[start:end].ents`` without its scan
        of every entity of the article (quadratic over a long article's statements)."""
        out = []
        for i in range(bisect_left(self._ent_starts, start), len(self.ents)):
            ent = self.ents[i]
            if ent.start >= end:
                break
            if ent.end <= end:
                out.append(ent)
        return out

    def in_dateline(self, pos: int) -> int | None:
        """End of the dateline that holds character ``pos``, if any."""
        return next((end for start, end in self.datelines if start <= pos < end), None)

    def _places(self) -> set[str]:
        """One-word names the model takes for people but the article treats as states:
        "Marenne's government", "Korva's foreign minister"."""
        multi = {
            w.lower()
            for e in self.ents
            if len(e) > 1 and e.label_ == "PERSON"
            for w in e.text.split()
        }
        return {
            e.text.lower()
            for e in self.ents
            if e.label_ == "PERSON"
            and len(e) == 1
            and e.text.lower() not in multi
            and is_state_possessor(e.root)
        }

    # -- building ----------------------------------------------------------------------
    def _person(self, words: list[str]) -> Actor:
        key = {w.lower() for w in words}
        for actor in reversed(self.persons):
            if key <= actor.words or actor.words <= key:
                if len(key) > len(actor.words):
                    actor.name, actor.words = " ".join(words), key
                    for w in key:
                        self.by_word.setdefault(w, []).append(actor)
                return actor
        actor = Actor(name=" ".join(words), type=PERSON, words=key)
        self.persons.append(actor)
        for w in key:
            self.by_word.setdefault(w, []).append(actor)
        return actor

    def _unlabelled_names(self) -> list[Span]:
        """Names the model missed or mislabelled: a run of 2-3 capitalised proper nouns in
        apposition to a role noun ("High Commissioner for Human Rights Michelle Bachelet"),
        or an ORG right after a role word ("spokesperson Ilka Dorn")."""
        doc, found = self.doc, []
        for ent_head in doc:
            if ent_head.dep_ != "appos" or ent_head.pos_ != "PROPN" or ent_head.ent_type_:
                continue
            if ent_head.head.lower_ not in _ROLE_WORDS:
                continue
            start = ent_head.i
            while start > ent_head.i - 1 and doc[start - 1].pos_ == "PROPN":
                start -= 1
            if ent_head.i > start and all(
                t.is_title and t.is_alpha for t in doc[start : ent_head.i + 1]
            ):
                found.append(Span(doc, start, ent_head.i + 1, label="PERSON"))
        runs = [e for e in self.ents if e.label_ in ("ORG", "GPE")] + self._propn_runs()
        for ent in runs:
            if not 2 <= len(ent) <= 3:
                continue
            if not all(t.is_title and t.is_alpha and t.pos_ == "PROPN" for t in ent):
                continue
            prev = doc[ent.start - 1] if ent.start else None
            by_role = prev is not None and prev.is_lower and prev.lower_ in _ROLE_WORDS
            appos = ent.root.dep_ == "appos" and ent.root.head.lower_ in _ROLE_WORDS
            if by_role or appos:
                found.append(Span(doc, ent.start, ent.end, label="PERSON"))
        return found

    def _propn_runs(self) -> list[Span]:
        """Runs of proper nouns right after a lower-case role word, outside any entity
        ("spokesperson Ilka Dorn" where the model saw no name)."""
        doc, out = self.doc, []
        for t in doc:
            if t.is_lower and t.lower_ in _ROLE_WORDS and t.i + 1 < len(doc):
                end = t.i + 1
                while end < len(doc) and doc[end].pos_ == "PROPN" and not doc[end].ent_type_:
                    end += 1
                if end > t.i + 1:
                    out.append(doc[t.i + 1 : end])
        return out

    def _build(self) -> None:
        doc = self.doc
        titled: list[tuple[int, int, int, Actor]] = []  # title start, name start, end, actor
        self._missed = self._unlabelled_names()
        for ent in sorted(list(self.ents) + self._missed, key=lambda e: e.start):
            if ent.label_ != "PERSON" or ent.text.lower() in self.places:
                continue
            if ent[-1].lower_ in _PLACE_HEADS:
                continue  # "Trump Tower", "Trump University": a place or body named after one
            if self.in_dateline(ent.start_char) is not None:
                continue
            ent = name_core(ent)
            words = _clean_name(ent)
            if not words:
                continue
            gender = _honorific_gender(ent)
            actor = self._lookup_person(words, gender) if gender else self._person(words)
            span = _title_span(doc, ent)
            if span is not None and actor.title is None:
                self._set_title(actor, span)
            actor.gender = actor.gender or gender
            if span is not None and span[1] <= ent.start:
                titled.append((span[0], ent.start, ent.end, actor))
        self._share_joint_affiliation(titled)
        self._collect_history()

    def _share_joint_affiliation(self, titled: list[tuple[int, int, int, Actor]]) -> None:
        """Two titled people joined by "and" whose second title names no state or body are
        of the first one's: "Secretary of State Antony Blinken and ambassador-at-large for
        international religious freedom Rashad Hussain both underlined …" (titles before
        the names only). Not a head of state or government, or a minister: "… Blinken and
        Foreign Minister Wang Yi met" joins counterparts, and an unnamed state is the
        reader's guess, not the text's."""
        doc = self.doc
        for (_, _, end1, first), (start2, name2, _, second) in itertools.pairwise(titled):
            if (
                start2 != end1 + 1
                or doc[end1].lower_ not in ("and", "&")
                or not first.affiliation
                or second.affiliation
                or second.role not in ("official", "spokesperson")
                or not second.title
                or _COUNTERPART.search(second.title)
                or any(country_of(w) for w in second.title.split())
                or any(t.ent_type_ in ("GPE", "NORP") for t in doc[start2:name2])
            ):
                continue
            second.affiliation = first.affiliation

    def _set_title(self, actor: Actor, span: tuple[int, int]) -> None:
        doc = self.doc
        start = span[0]
        owner = None
        for t in doc[span[0] : span[1]]:
            if t.dep_ == "case" and t.head.dep_ == "poss" and t.head.left_edge.i == span[0]:
                # "Marenne's foreign minister" (not "spokesperson of People's Government")
                owner, start = doc[span[0] : t.i].text, t.i + 1
                owner_words = owner.split()
                verbs = [k for k, w in enumerate(owner_words) if k and _headline_verb(w)]
                if verbs:  # "Donald Trump Praises Breitbart’s … Editor": Breitbart's
                    owner = " ".join(owner_words[verbs[-1] + 1 :])
        breaks = [
            t.i
            for t in doc[start : span[1] - 1]
            if "\n" in t.text
            or (t.text in _DATELINE_ENDS and t.whitespace_ and doc[t.i - 1].whitespace_)
        ]
        if breaks:
            # "2:14 p.m.\n\nSenate Majority Leader …", "Dec 29 (Reuters) - U.S. Democratic
            # presidential candidate …": a title starts after a paragraph break or dateline
            start = breaks[-1] + 1
        if any(self.quoted[i] for i in range(start, span[1])):
            return  # "“Very good reporter, very good reporter this guy,” Trump said"
        toks = doc[start : span[1]]
        if any(t.tag_ in _FINITE or t.tag_ in ("WP", "WDT") for t in toks):
            return  # "the party leaders who can support the candidate of their choice"
        if any(t.is_quote or t.ent_type_ == "PERSON" for t in toks):
            return  # a headline: "Ben Carson: Hillary Clinton ‘Not Fit To Serve …"
        title = doc[start : span[1]].text.strip(" ,")
        if _kinship(title):
            return  # "the daughter of former President Bill Clinton": his role, not hers
        if role_of(title):
            actor.title = title
            actor.role = role_of(title)
            inner = [e for e in self.ents if start <= e.start and e.end <= span[1]]
            actor.affiliation = affiliation_of(title, inner)
            if owner:
                actor.affiliation = country_of(owner) or owner
            elif (
                actor.affiliation
                and is_bare_body(actor.affiliation)
                and not any(country_of(w) for w in title.split())  # "Chinese Foreign Ministry"
            ):
                country = self._country_before(span[0])
                if country:
                    actor.affiliation = f"{actor.affiliation} ({country})"

    def _country_before(self, i: int) -> str | None:
        """The country last named as a subject before token ``i``, in its sentence or the two
        before, out of quotes: whose "foreign ministry" it is ("China would use the trip … It
        duly did so, with foreign ministry spokesperson Zhao Lijian …"). Only a subject: the
        state that acts, not one the content talks about ("produced by the US …, Foreign
        Ministry spokesperson Wang Wenbin said")."""
        doc = self.doc
        sent = doc[i].sent
        lo = sent.start
        for _ in range(2):
            if lo == 0:
                break
            lo = doc[lo - 1].sent.start
        for ent in reversed(self.ents_in(lo, i)):
            if (
                ent.label_ in ("GPE", "NORP")
                and ent.root.dep_ in ("nsubj", "nsubjpass")
                and not self.quoted[ent.start]
            ):
                country = country_of(ent.text)
                if country:
                    return country
        return None

    def _collect_history(self) -> None:
        # a name the model missed is a mention too ("U.N. High Commissioner for Human Rights
        # Michelle Bachelet wrapped up a trip …" makes her the subject "her" refers to next)
        missed = [s for s in self._missed if not self.ents_in(s.start, s.end)]
        for ent in [*self.ents, *missed]:
            if self.quoted[ent.start] or self.in_dateline(ent.start_char) is not None:
                continue
            root = ent.root
            if root.dep_ in ("appos", "compound") and root.head is not root:
                root = root.head  # "Another spokesperson, Hua Chunying, said"
            # subjects of main clauses are salient; "after Zhao Lijian left" is not
            verb = root.head
            is_subj = root.dep_ in ("nsubj", "nsubjpass") and (
                verb.dep_ in ("ROOT", "conj")
                or (verb.dep_ == "ccomp" and not _has_subject(verb.head))
                or verb.lemma_ in default_lexicon().cue_lemmas
            )  # not the subject of what another subject says or doubts ("… that Marsh can win")
            actor = self.name_actor(ent)
            if actor is not None:
                self.history.append((ent.start_char, actor, is_subj))
        for tok in self.doc:
            # "Okafor later apologized": a surname of the article's the model left unlabelled
            if (
                tok.dep_ in ("nsubj", "nsubjpass")
                and tok.pos_ == "PROPN"
                and not tok.ent_type_
                and tok.is_title
                and not self.quoted[tok.i]
                and tok.lower_ in self.by_word
                and tok.head.dep_ in ("ROOT", "conj", "ccomp")
            ):
                self.history.append((tok.idx, self._lookup_person([tok.text]), True))
        self.history.sort(key=lambda h: h[0])
        self._offsets = [h[0] for h in self.history]

    def name_actor(self, ent: Span) -> Actor | None:
        """The actor a named entity refers to (persons via their name words)."""
        words = _clean_name(ent)
        if ent.text.lower() in self.places:
            return self._named(ent.text, COUNTRY)
        if ent[-1].lower_ in _PLACE_HEADS:
            return None
        if ent.label_ == "PERSON" or (words and self._person_words(words)):
            return self._lookup_person(words) if words else None
        if ent.label_ in ("GPE", "NORP") and country_of(ent.text):
            return self._named(country_of(ent.text) or ent.text, COUNTRY)
        if ent.label_ == "GPE":
            return self._named(ent.text.removesuffix("'s").removesuffix("’s"), COUNTRY)
        root = ent.root
        if root.dep_ == "conj" and root.head.dep_ in ("nsubj", "nsubjpass"):
            root = root.head  # "The Korva Dam Authority and the Marenne Dam Authority met"
        if ent.label_ == "ORG" and root.dep_ in ("nsubj", "nsubjpass", "pobj", "poss"):
            name = ent.text.removeprefix("the ").removeprefix("The ")
            for suffix in ("'s", "’s"):
                name = name.removesuffix(suffix)
            return self._named(name, ORGANISATION)
        return None

    def _named(self, name: str, kind: str) -> Actor:
        name = expand_body_abbreviations(name)
        actor = self.named.get(name)
        if actor is None:
            role = "country" if kind == COUNTRY else "organisation"
            actor = self.named[name] = Actor(name=name, type=kind, role=role)
        return actor

    def _person_words(self, words: list[str]) -> bool:
        return all(w.lower() in self.by_word for w in words)

    def _lookup_person(self, words: list[str], gender: str | None = None) -> Actor:
        cands = None
        for w in words:
            found = set(self.by_word.get(w.lower(), []))
            cands = found if cands is None else cands & found
        if not cands:
            return self._person(words)
        if gender is not None:
            # "Mr. Bush" after "Laura Bush" and "Jeb Bush": not the one known to be a woman
            for fit in (
                {a for a in cands if (a.gender or first_name_gender(a.name)) == gender},
                {a for a in cands if not (a.gender or first_name_gender(a.name))},
            ):
                if fit:
                    actor = max(fit, key=self.persons.index)
                    actor.gender = actor.gender or gender
                    return actor
        # a bare surname is the surname of a full name, not a word inside a longer one
        # ("Trump" is Donald Trump, not the "Trump Turnberry" resort the model took for a name)
        last = words[-1].lower()
        by_surname = {a for a in cands if a.name.split()[-1].lower() == last}
        # the most recently registered actor sharing the words
        return max(by_surname or cands, key=self.persons.index)

    # -- discourse -------------------------------------------------------------------
    def remember(self, pos: int, actor: Actor, is_subj: bool = True) -> None:
        """Record a resolved speaker at character offset ``pos``."""
        i = bisect.bisect_left(self._offsets, pos)
        self._offsets.insert(i, pos)
        self.history.insert(i, (pos, actor, is_subj))

    def before(self, pos: int):
        """History entries before ``pos``, most recent first."""
        i = bisect.bisect_left(self._offsets, pos)
        for j in range(i - 1, -1, -1):
            yield self.history[j]

    def most_mentioned_person(self) -> Actor | None:
        """The person the article names most often (the first named, of equals): in a
        question-and-answer transcript, whoever gives the answers."""
        counts: Counter[int] = Counter()
        first: dict[int, Actor] = {}
        for _, actor, _ in self.history:
            if actor.type == PERSON:
                counts[id(actor)] += 1
                first.setdefault(id(actor), actor)
        if not counts:
            return None
        top = max(counts.values())
        return next(a for k, a in first.items() if counts[k] == top)

    def after(self, pos: int):
        i = bisect.bisect_right(self._offsets, pos)
        for j in range(i, len(self.history)):
            yield self.history[j]


_EVIDENCE_VERBS = frozenset("show prove demonstrate indicate reveal confirm suggest mean".split())


_DATELINE_ENDS = frozenset(["-", "—", "–", "--"])
_FINITE = frozenset(["VBD", "VBP", "VBZ", "MD"])


# Last words of a name that make it a place or a body named after a person.
_PLACE_HEADS = frozenset(
    "tower towers hotel grill plaza center centre building university college foundation "
    "institute street avenue square airport stadium hall library school museum bridge".split()
)


def _has_subject(verb: Token) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _honorific_gender(ent: Span) -> str | None:
    """ "Mr." / "Mrs." / "Ms." before or at the start of a name: "m" or "f"."""
    doc = ent.doc
    for tok in (ent[0], doc[ent.start - 1] if ent.start > 0 else None):
        if tok is not None and tok.lower_ in ("mr.", "mr"):
            return "m"
        if tok is not None and tok.lower_ in ("mrs.", "mrs", "ms.", "ms", "miss"):
            return "f"
    return None


def _possessive(tok: Token) -> bool:
    """The possessive marker after a name ("'s", "’s", or a bare apostrophe after "Sanders")."""
    return tok.tag_ == "POS" or tok.dep_ == "case" or tok.text in ("'s", "’s", "'", "’")


_KINSHIP = frozenset(
    "daughter son wife husband mother father sister brother widow widower child children "
    "grandson granddaughter niece nephew cousin partner fiancee fiance".split()
)


def _kinship(title: str) -> bool:
    """A title that names someone's relative ("the daughter of …", "his wife")."""
    words = [w.lower().strip(",") for w in title.split()]
    words = [w for w in words if w not in ("the", "a", "an", "his", "her", "their", "former")]
    return bool(words) and words[0] in _KINSHIP


def _no_referent(pronoun: Token) -> bool:
    """A pronoun that names no actor, so the mention stays unresolved: ``it once again shows
    that …`` ("it" a thing, the assessment or the fact, not the last organisation named), and
    the "it" of "it is premature to say …", "it will be the first time that …"."""
    low, verb = pronoun.lower_, pronoun.head.lemma_.lower()
    return (low in ("it", "this", "that") and verb in _EVIDENCE_VERBS) or (
        low == "it" and verb == "be"
    )


def _resolve_pronoun(index: ActorIndex, head: Token, pos: int) -> Actor | None:
    low = head.lower_
    if low in _PERSON_PRONOUNS:
        gender = "m" if low in _MALE else "f"
        fallback = weak = None
        for _, actor, is_subj in index.before(pos):
            if actor.type != PERSON or (actor.gender and actor.gender != gender):
                continue
            if actor.gender is None and first_name_gender(actor.name) not in (None, gender):
                # "Bill Clinton" for "she": only if no one else will do
                weak = weak or (actor if is_subj else None)
                continue
            if weak is not None and not actor.words:
                continue  # past a named person, only another named one ("The debate" is none)
            if is_subj:
                actor.gender = actor.gender or gender
                return actor
            fallback = fallback or actor
        if fallback is not None:
            fallback.gender = fallback.gender or gender
        return fallback or weak
    if low in _PLURAL_PRONOUNS or low == "it":
        # "they" are people or bodies before they are a state, and a state only as a subject
        # ("… pour into Philadelphia, so will an army of supporters … what they call"); "it"
        # a body or a state. Each pass: the kinds wanted, and whether a mention earlier in
        # the sentence will do when it is not a subject.
        passes = (
            [((COLLECTIVE, ORGANISATION, DOCUMENT), True), ((COUNTRY,), False)]
            if low != "it"
            else [((ORGANISATION, COUNTRY, DOCUMENT), True)]
        )
        sent_start = head.sent.start_char
        for wanted, near_will_do in passes:
            for at, actor, is_subj in index.before(pos):
                if (is_subj or (near_will_do and at >= sent_start)) and actor.type in wanted:
                    return actor
    return None


def _nation(tokens: Span) -> str | None:
    for t in tokens:
        if t.dep_ in ("amod", "compound", "poss") and country_of(t.text):
            return country_of(t.text)
    return None


def _compatible(actor: Actor, nation: str | None) -> bool:
    if nation is None:
        return True
    text = " ".join(filter(None, [actor.title, actor.affiliation, actor.name]))
    return any(country_of(w.strip(",.")) == nation for w in text.split())


def _resolve_role(index: ActorIndex, mention: Span, head: Token, pos: int) -> Actor | None:
    role = _ROLE_WORDS.get(head.lower_) or _ROLE_WORDS.get(head.lemma_.lower())
    nation = _nation(mention)
    definite = any(t.lower_ in ("the", "this", "that") for t in mention[:2])
    if mention[0].lower_ in _INDEFINITE:
        if _ANONYMITY.search(head.sent.text):  # "a senior official, speaking on condition
            core = _np_core(mention, head)  # of anonymity": nobody the article names
            first, _, rest = core.partition(" ")
            name = rest if first.lower() in _INDEFINITE and rest else core
            actor = index._named(name, PERSON)
            actor.role, actor.title = "anonymous", name
            return actor
        return _named_below(index, mention, role)
    possessed = any(c.dep_ == "poss" for c in head.children)
    titled = _titled_before(index, mention, head, pos)
    if titled is not None:
        return titled
    for _, actor, is_subj in index.before(pos):
        if actor.type == PERSON and actor.role in (role, "official" if role else None):
            if (actor.role == role or role == "official") and _compatible(actor, nation):
                return actor
        if actor.role == "anonymous" and head.lower_ in (actor.title or "").split():
            return actor  # "a senior official, speaking on condition of anonymity" … "the official"
        if (
            definite
            and role == "spokesperson"
            and is_subj
            and actor.type == ORGANISATION
            and _compatible(actor, nation)
        ):
            person = index._named(f"{actor.name} {head.lower_}", PERSON)
            person.role, person.affiliation = "spokesperson", actor.name
            return person
    guess = definite and head.lemma_.lower() not in _OTHER_PARTY_ROLES
    for _, actor, is_subj in index.before(pos) if guess else ():
        # a person whose role the article has not stated yet
        if actor.type == PERSON and actor.role is None and is_subj:
            if nation is None or actor.affiliation is None or _compatible(actor, nation):
                actor.role = role
                return actor
    if not definite or possessed:  # "Marenne's foreign minister accused …" -> named below
        return _named_below(index, mention, role)
    return None


# A role noun and the forms of it written before a name: "the senator" is who the article
# called "Sen." or "Senator", not the last "Rep." named.
_TITLE_FORMS = {
    "senator": ("senator", "sen."),
    "representative": ("representative", "rep.", "congressman", "congresswoman"),
    "congressman": ("congressman", "rep.", "representative"),
    "congresswoman": ("congresswoman", "rep.", "representative"),
    "governor": ("governor", "gov."),
    "mayor": ("mayor",),
    "spokesman": ("spokesman", "spokesperson", "spokeswoman"),
    "spokeswoman": ("spokeswoman", "spokesperson", "spokesman"),
    "spokesperson": ("spokesperson", "spokesman", "spokeswoman"),
    "aide": ("aide",),
    "secretary": ("secretary",),
    "minister": ("minister",),
    "ambassador": ("ambassador", "amb."),
    "president": ("president",),
    "chairman": ("chairman", "chair"),
    "chairwoman": ("chairwoman", "chair"),
}


def _titled_before(index: ActorIndex, mention: Span, head: Token, pos: int) -> Actor | None:
    """The person last named before ``pos`` with a title of ``head``'s role noun ("the
    senator" <- "Sen. Dana Whitfield", "the press aide" <- "press aide Nora Feld"), passing
    over people whose title names another office ("Rep. Mark Olsen"); None where a holder
    of the role with no title comes first, or the mention names a body ("a State
    Department spokesperson"), so the role is read by discourse."""
    forms = _TITLE_FORMS.get(head.lower_) or _TITLE_FORMS.get(head.lemma_.lower())
    if forms is None or any(t.ent_type_ == "ORG" for t in mention):
        return None
    role = _ROLE_WORDS.get(head.lower_) or _ROLE_WORDS.get(head.lemma_.lower())
    nation = _nation(mention)
    for _, actor, is_subj in index.before(pos):
        if actor.type == ORGANISATION and is_subj and role == "spokesperson":
            return None  # "the State Department said … said the spokesperson": its spokesperson
        if actor.type != PERSON or not _compatible(actor, nation):
            continue
        if not actor.title:
            if actor.role == role:
                return None
            continue
        words = actor.title.lower().replace(",", " ").split()
        if any(w in forms for w in words):
            return actor
    return None


def _named_below(index: ActorIndex, mention: Span, role: str | None) -> Actor | None:
    """ "A senior official of X on Monday denounced …": the official the article names next."""
    for n, (_, actor, _) in enumerate(index.after(mention.sent.end_char)):
        if n > 12:
            break
        if actor.type == PERSON and actor.role in (role, "official") and actor.title:
            return actor
    return None


def _np_core(mention: Span, head: Token) -> str:
    """The mention without relative clauses, appositions and a leading article."""
    drop = {"relcl", "acl", "appos", "punct", "advmod", "det", "prep"}
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ in drop and not (child.dep_ == "prep" and child.lower_ == "of"):
            skip.update(t.i for t in child.subtree)
    toks = [t for t in mention if t.i not in skip]
    if not toks:
        return head.text
    return mention.doc[toks[0].i : toks[-1].i + 1].text


_GROUP_NOUNS = frozenset("group coalition handful number majority bunch".split())


def _members_of_group(head: Token) -> Token | None:
    """``group of Uighurs``: the plural (or people's name) a group noun counts."""
    if head.lemma_.lower() not in _GROUP_NOUNS:
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and (
                    pobj.tag_ in ("NNS", "NNPS") or pobj.ent_type_ == "NORP"
                ):
                    return pobj
    return None


def _document(index: ActorIndex, mention: Span, head: Token, name: str) -> Actor:
    """A document as speaker, named and affiliated by its owner when the text gives one:
    "Her end-of-visit statement" (Michelle Bachelet's), or "The report" after "the State
    Department released its annual report" (the State Department's)."""
    owner = _document_owner(index, head, mention.start_char)
    if owner is not None and owner.name.casefold() not in name.casefold():
        poss = next((c for c in head.children if c.dep_ == "poss"), None)
        core = [t for t in mention if t.i not in {x.i for x in poss.subtree}] if poss else None
        if core:
            name = mention.doc[core[0].i : core[-1].i + 1].text
        name = f"{owner.name}'s {name}" if owner.type == PERSON else f"{owner.name} {name}"
    actor = index._named(name, DOCUMENT)
    actor.role = "document"
    if owner is not None and actor.affiliation is None:
        own = owner.name if owner.type in (ORGANISATION, COUNTRY) else None
        actor.affiliation = owner.affiliation or own
    return actor


def _document_owner(index: ActorIndex, head: Token, pos: int) -> Actor | None:
    """Whose document: its possessor ("her", "China's"), or, for "the report", the subject
    of a release in this or the two sentences before ("X released its report …")."""
    poss = next((c for c in head.children if c.dep_ == "poss"), None)
    if poss is not None:
        if poss.pos_ == "PRON":  # only a person known to be "her"/"his": no guess
            return next(
                (
                    a
                    for _, a, is_subj in index.before(pos)
                    if is_subj
                    and a.type == PERSON
                    # known by the text, or by a first name of one usual gender ("Michelle")
                    and (gender := a.gender or first_name_gender(a.name)) is not None
                    and poss.lower_ in (_MALE if gender == "m" else _FEMALE)
                ),
                None,
            )
        ent = index.ent_at(poss.i)
        return index.name_actor(ent) if ent is not None else None
    source = next(
        (c for c in head.children if c.dep_ == "prep" and c.lower_ in ("from", "by")), None
    )
    obj = next((c for c in source.children if c.dep_ == "pobj"), None) if source else None
    if obj is not None:  # "a statement from the ministry", "a report by Human Rights Watch"
        ent = index.ent_at(obj.i)
        if ent is not None:
            return index.name_actor(ent)
        if obj.lemma_.lower() in _ORG_WORDS:
            return index._named(_np_core(obj.doc[obj.left_edge.i : obj.i + 1], obj), ORGANISATION)
        return None
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in head.children):
        return None
    doc, lo = head.doc, head.sent.start
    for _ in range(2):  # this sentence and the two before it
        lo = doc[lo - 1].sent.start if lo > 0 else lo
    for tok in reversed(doc[lo : head.i]):
        if tok.pos_ == "VERB" and tok.lemma_.lower() in default_lexicon().publishing:
            subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
            if subj is None:
                return None
            ent = index.ent_at(subj.i)
            if ent is not None and ent.label_ in ("ORG", "GPE", "NORP", "PERSON"):
                return index.name_actor(ent)
            return None
    return None


# Role nouns that usually name another party than the article's last subject ("the judge"
# in a story about a defendant, "the host" in one about a guest): never guessed to be that
# subject when the article has not given anyone that title.
_OTHER_PARTY_ROLES = frozenset(
    "judge justice sheriff host anchor pundit commentator author counsel".split()
)


def _body_named_before(index: ActorIndex, mention: Span, head: Token) -> Actor | None:
    """ "The campaign said": the one body the article has named with that word before ("the
    Clinton campaign", "the State Department" for "the department"), for a definite mention
    of the bare word (no name in it)."""
    if mention[0].lower_ != "the" or any(t.pos_ == "PROPN" for t in mention):
        return None
    word = head.lower_
    found = {
        id(actor): actor
        for _, actor, _ in index.before(mention.start_char)
        if actor.type == ORGANISATION
        and actor.name.lower().split()[-1:] == [word]
        and actor.name.lower() != word
    }
    # only when the article has named one such body: "the campaign" after both the Clinton
    # and the Trump campaigns is either
    return next(iter(found.values())) if len(found) == 1 else None


def _described(index: ActorIndex, mention: Span, pos: int) -> Actor | None:
    """ "The billionaire businessman said": a definite description of the person last named
    as a subject ("Donald Trump … The billionaire businessman"); "a businessman" is no one
    the article names."""
    if mention[0].lower_ not in ("the", "this", "that"):
        return None
    for _, actor, is_subj in index.before(pos):
        if actor.type == PERSON and actor.words and is_subj:
            return actor
    return None


# Role nouns of people that name one person in the singular (their plural is a collective):
# the role they give, an unnamed critic or campaigner being an anonymous source.
_ONE_OF_MANY = {
    lemma: ("anonymous" if role == "collective" else role)
    for lemma, role in _COLLECTIVE_ROLES.items()
    if lemma
    in "critic activist campaigner expert analyst official observer resident survivor witness".split()
}


def _plain_actor(index: ActorIndex, mention: Span, head: Token) -> Actor | None:
    lemma = head.lemma_.lower()
    if lemma in _QUANTITY_WORDS or head.like_num:
        # "72 percent of Democrats", "about half of voters": a share of people
        actor = index._named(mention.text, COLLECTIVE)
        actor.role = "collective"
        return actor
    if head.ent_type_ == "NORP" and head.tag_ == "NNPS":
        # "Americans", "Republicans", "Democrats": people, not a state or a party's office
        actor = index._named(_np_core(mention, head), COLLECTIVE)
        actor.role = "collective"
        return actor
    if head.ent_type_ in ("GPE", "NORP") and country_of(head.text):
        return index._named(country_of(head.text) or head.text, COUNTRY)
    if head.ent_type_ in ("GPE", "ORG", "NORP"):
        ent = next(
            (e for e in index.ents_in(mention.start, mention.end) if e.start <= head.i < e.end),
            None,
        )
        name = ent.text if ent is not None else _np_core(mention, head)
        name = name.removeprefix("the ").removeprefix("The ")
        return index._named(name, COUNTRY if head.ent_type_ == "GPE" else ORGANISATION)
    members = _members_of_group(head)
    if members is not None:  # "the ethnic group of Uighurs", "a group of activists"
        own = head.doc[members.left_edge.i : members.right_edge.i + 1]
        actor = index._named(_np_core(own, members), COLLECTIVE)
        actor.type = COLLECTIVE  # people, whatever entity label the name got elsewhere
        actor.role = _COLLECTIVE_ROLES.get(members.lemma_.lower(), "collective")
        return actor
    name = _np_core(mention, head)
    if lemma in _DOCUMENT_WORDS:
        return _document(index, mention, head, name)
    if lemma in _ORG_WORDS and head.tag_ not in ("NNS", "NNPS"):
        return _body_named_before(index, mention, head) or index._named(name, ORGANISATION)
    if head.tag_ not in ("NNS", "NNPS") and lemma in _ONE_OF_MANY:
        # "a senior official said", "an analyst said": one person the article does not name
        actor = index._named(name, PERSON)
        actor.role = _ONE_OF_MANY[lemma]
        return actor
    if head.tag_ in ("NNS", "NNPS") or lemma in _COLLECTIVE_ROLES:
        actor = index._named(name, COLLECTIVE)
        actor.role = _COLLECTIVE_ROLES.get(lemma, "collective")
        return actor
    if head.pos_ == "PROPN":
        core = name_core(mention)
        return index._person([t.text for t in core if t.pos_ == "PROPN"] or [head.text])
    return None


def resolve(index: ActorIndex, start: int, end: int, head_i: int | None) -> Speaker:
    """Resolve the source mention ``doc[start:end]`` (its syntactic head at ``head_i``)."""
    doc = index.doc
    while end > start + 1 and doc[end - 1].is_punct:
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    stop = index.in_dateline(doc[start].idx)
    while stop is not None and start < end - 1 and doc[start].idx < stop:
        start += 1  # "KORVA, March 15 (VNA) -- Valdoria": the dateline names no one
    mention = doc[start:end]
    head = doc[head_i] if head_i is not None and start <= head_i < end else mention.root
    pos = mention.start_char
    actor: Actor | None = None
    # 1. a name inside the mention: the one that contains the head, or in apposition to it
    # ("Marenne's foreign minister, Teodor Ashby"), persons first, possessors last
    ents = [e for e in index.ents_in(start, end) if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
    ents.sort(
        key=lambda e: (
            not (e.start <= head.i < e.end),
            not (e.root.dep_ == "appos" and e.root.head == head),
            e.root.dep_ == "poss",
            e.label_ != "PERSON",
        )
    )
    for ent in ents:
        if head.pos_ == "NOUN" and ent.root.head == head and ent.root.i < head.i:
            if ent.root.dep_ in ("amod", "compound", "poss", "nmod"):
                continue  # "a senior Zemlandic official": the name qualifies the speaker
        if head.pos_ == "NOUN" and ent.end <= head.i and _possessive(doc[ent.end]):
            continue  # "Bernie Sanders’ campaign" (however parsed): the campaign speaks
        if ent.text.lower() in index.places:
            if ent.start <= head.i < ent.end:
                actor = index._named(ent.text, COUNTRY)
                break
            continue
        if ent.label_ == "PERSON" and ent[-1].lower_ in _ORG_WORDS and ent[-1].i == head.i:
            actor = index._named(ent.text, ORGANISATION)  # "the Obama White House" speaks
            break
        words = _clean_name(ent)
        if ent.label_ == "PERSON" or (words and index._person_words(words)):
            actor = index._lookup_person(words, _honorific_gender(ent)) if words else None
            if actor is not None:
                break
    if actor is None and head.is_title and head.pos_ in ("PROPN", "NOUN"):
        # "Trump at the time said": a name of the article's, even read as a common noun
        if index._person_words([head.text]):
            actor = index._lookup_person([head.text])
    if actor is None and head.pos_ == "PRON" and not _no_referent(head):
        actor = _resolve_pronoun(index, head, pos)
    elif actor is None and (head.lower_ in _ROLE_WORDS or head.lemma_.lower() in _ROLE_WORDS):
        if head.tag_ not in ("NNS", "NNPS"):
            actor = _resolve_role(index, mention, head, pos)
    elif actor is None and head.lemma_.lower() in _DESCRIPTORS and head.tag_ == "NN":
        actor = _described(index, mention, pos)
    if actor is None:
        actor = _plain_actor(index, mention, head)
    if actor is None and head.pos_ != "PRON":
        # "a campaign surrogate who said …": the mention runs to "who"; the name does not
        name_end = end
        while name_end > start + 1 and (
            doc[name_end - 1].tag_ in ("WP", "WDT") or doc[name_end - 1].is_punct
        ):
            name_end -= 1
        text = doc[start:name_end].text
        role = _ROLE_WORDS.get(head.lower_)
        if role is None and (head.pos_ != "NOUN" or head.lemma_.lower() in _PERSON_NOUNS):
            role = "anonymous"  # "a woman", "one man in Manchester"; not "the sentence"
        actor = Actor(name=text, type=PERSON, role=role)
    if actor is not None:  # "according to X": a speaker, but no sentence's subject
        index.remember(pos, actor, head.dep_ != "pobj")
    return Speaker(actor, mention.text, mention.start_char, mention.end_char)
