"""Speakers: who a source mention refers to, within one article.

`ActorIndex` is built once per `Doc`. It collects the people named in the article (PERSON
entities, plus bare surnames the small model mislabels as ORG, found by matching the words of
names already seen), their titles and affiliations (pre-modifiers such as "Chinese Foreign
Ministry spokesperson Wang Wenbin", appositions such as "Xu Guixiang, deputy head of …"), and a
discourse history of mentions. `resolve` maps a mention to a canonical `Actor`:

- a name, full or partial ("Wang", "Wenbin") -> the fullest form of that name in the article;
- he/she -> the most recent person who was a subject or a speaker (skipping people known to
  be of the other gender); they/it -> the most recent collective/organisation/document;
- a role noun ("the spokesperson", "the Chinese spokesman", "a senior official") -> by
  discourse: the most recent person holding that role, unless an organisation was the subject
  of a sentence more recently (then "<organisation> spokesperson"); an indefinite role noun
  with no antecedent looks ahead for the official named next;
- organisations, countries (capitals as metonyms: Beijing -> China), documents ("the report")
  and collectives ("critics", "Uyghur activists").
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .verbs import CUE_LEMMAS

PERSON, ORGANISATION, COUNTRY, DOCUMENT, COLLECTIVE = (
    "person",
    "organisation",
    "country",
    "document",
    "collective",
)

_ROLE_WORDS: dict[str, str] = {}
for _role, _words in {
    "spokesperson": "spokesman spokeswoman spokesperson spokespeople spokesmen",
    "official": "official minister secretary ambassador envoy diplomat head chief director "
    "commissioner chairman chairwoman chair deputy governor mayor administrator officer "
    "president premier leader representative delegate counselor consul commander",
    "politician": "senator congressman congresswoman lawmaker legislator rep. rep mp "
    "candidate politician nominee speaker",
    "expert": "expert analyst professor researcher scholar economist scientist academic "
    "lawyer attorney specialist historian fellow",
    "activist": "activist campaigner advocate dissident",
    "victim_witness": "survivor witness victim detainee resident relative refugee eyewitness",
    "journalist": "journalist reporter correspondent editor columnist",
    "anonymous": "source insider aide person",
}.items():
    for _w in _words.split():
        _ROLE_WORDS[_w] = _role

_DOCUMENT_WORDS = frozenset(
    "report statement document study survey poll letter assessment resolution law bill "
    "paper white-paper communique memo filing lawsuit complaint ruling verdict data analysis "
    "article editorial investigation review audit website post tweet release".split()
)
_ORG_WORDS = frozenset(
    "panel committee commission council agency ministry department office government court "
    "organization organisation party campaign company firm group union bureau administration "
    "embassy consulate parliament congress senate house university institute association "
    "network newspaper outlet media foundation authority authorities police military army".split()
)
_TITLE_ADJECTIVES = frozenset("senior deputy former chief high top acting vice another".split())
_COLLECTIVE_ROLES = {
    "critic": "collective",
    "activist": "activist",
    "campaigner": "activist",
    "expert": "expert",
    "analyst": "expert",
    "official": "official",
    "observer": "expert",
    "resident": "victim_witness",
    "survivor": "victim_witness",
    "witness": "victim_witness",
    "people": "collective",
    "group": "collective",
    "government": "organisation",
}
_COUNTRIES: dict[str, str] = {
    alias: country
    for country, aliases in {
        "United States": "us|u.s.|united states|the united states|america|washington|american",
        "China": "china|beijing|chinese|prc",
        "United Kingdom": "uk|u.k.|britain|british|london",
        "Russia": "russia|moscow|russian",
    }.items()
    for alias in aliases.split("|")
}
_MALE = frozenset(["he", "him", "his", "himself", "mr.", "mr"])
_FEMALE = frozenset(["she", "her", "hers", "herself", "ms.", "ms", "mrs.", "mrs"])
_PERSON_PRONOUNS = _MALE | _FEMALE
_PLURAL_PRONOUNS = frozenset(["they", "them", "their"])
_HONORIFICS = frozenset("mr. mrs. ms. dr. mr mrs ms dr sen. rep. gov. president".split())


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


def is_agent_noun(tok: Token) -> bool:
    """Can this common noun say something? (a role, a document, a group)"""
    lemma = tok.lemma_.lower()
    return (
        lemma in _ROLE_WORDS
        or lemma in _DOCUMENT_WORDS
        or lemma in _COLLECTIVE_ROLES
        or lemma in _ORG_WORDS
        or tok.tag_ in ("NNS", "NNPS")
    )


def country_of(text: str) -> str | None:
    key = text.lower().removesuffix("'s").removesuffix("’s").strip()
    return _COUNTRIES.get(key)


def _clean_name(span: Span) -> list[str]:
    words = [t.text for t in span if t.pos_ != "PART" and t.text not in ("'s", "’s", "'", "’")]
    while words and words[0].lower() in _HONORIFICS:
        words = words[1:]
    return [w for w in words if w[:1].isupper()]


def role_of(title: str | None) -> str | None:
    if not title:
        return None
    words = [w.strip(",.").lower() for w in title.split()]
    # the head of a title is its last role word before "of"/"for" ("deputy head of ...")
    cut = next((i for i, w in enumerate(words) if w in ("of", "for", "at", "to")), len(words))
    for w in reversed(words[:cut]):
        if w in _ROLE_WORDS:
            return _ROLE_WORDS[w]
    for w in words:
        if w in _ROLE_WORDS:
            return _ROLE_WORDS[w]
    return None


def affiliation_of(title: str | None, ents: list[Span] | None = None) -> str | None:
    """The organisation (or country) a title names: "deputy head of the Publicity Department
    of X" -> "the Publicity Department of X"; "Chinese Foreign Ministry spokesperson" ->
    "Chinese Foreign Ministry"."""
    if not title:
        return None
    words = title.split()
    for i, w in enumerate(words):
        if w.lower() in ("of", "for", "at") and i + 1 < len(words):
            rest = words[i + 1 :]
            if rest[0].lower() == "the":
                rest = rest[1:]
            if len(rest) == 1 and rest[0].lower() in ("state", "defense", "defence"):
                continue  # "Secretary of State" is a title, not an affiliation
            return " ".join(rest).strip(",") or None
    for ent in ents or []:
        if ent.label_ == "ORG" and ent.text.lower() not in ("state", "defense"):
            return ent.text
    if words and words[-1].lower().strip(",") in _ROLE_WORDS and len(words) > 1:
        rest = [w for w in words[:-1] if w.lower() not in _TITLE_ADJECTIVES]
        if rest and rest[-1].lower() in _ORG_WORDS:
            return " ".join(rest)  # "foreign ministry spokesperson"
    for ent in ents or []:
        if ent.label_ in ("GPE", "NORP") and country_of(ent.text):
            return country_of(ent.text)
    return None


def _title_span(doc: Doc, ent: Span) -> tuple[int, int] | None:
    """Token span of the title attached to a person name, if any."""
    head = ent.root
    # pre-modifiers: "Chinese Foreign Ministry spokesperson Wang Wenbin"
    left = head.left_edge.i
    pre = [t for t in doc[left : ent.start] if t.dep_ not in ("det", "poss", "case", "punct")]
    pre = [t for t in pre if t.lower_ not in ("another", "former")]
    if pre and any(t.lower_ in _ROLE_WORDS for t in pre):
        return pre[0].i, ent.start
    # apposition after the name: "Xu Guixiang, deputy head of …"
    for child in head.children:
        if child.dep_ == "appos" and child.i > ent.end - 1:
            return child.left_edge.i, child.right_edge.i + 1
    # name in apposition to a role noun: "Another ministry spokesperson, Hua Chunying"
    if head.dep_ == "appos" and head.head.i < ent.start and head.head.lower_ in _ROLE_WORDS:
        noun = head.head
        start = noun.left_edge.i
        while start < noun.i and (doc[start].dep_ == "det" or doc[start].lower_ == "another"):
            start += 1
        end = ent.start
        while end > start and doc[end - 1].is_punct:
            end -= 1
        return start, end
    return None


class ActorIndex:
    """The actors of one article and the discourse history used to resolve mentions."""

    def __init__(self, doc: Doc, quoted: list[bool]) -> None:
        self.doc = doc
        self.quoted = quoted
        self.by_word: dict[str, list[Actor]] = {}
        self.persons: list[Actor] = []
        self.named: dict[str, Actor] = {}
        # history: (char offset, actor, is_subject), in text order
        self.history: list[tuple[int, Actor, bool]] = []
        self._build()

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
        """Names the model missed: a run of 2-3 capitalised proper nouns in apposition to a
        role noun ("High Commissioner for Human Rights Michelle Bachelet")."""
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
        return found

    def _build(self) -> None:
        doc = self.doc
        for ent in sorted(list(doc.ents) + self._unlabelled_names(), key=lambda e: e.start):
            if ent.label_ != "PERSON":
                continue
            words = _clean_name(ent)
            if not words:
                continue
            actor = self._person(words)
            span = _title_span(doc, ent)
            if span is not None and actor.title is None:
                title = doc[span[0] : span[1]].text.strip(" ,")
                if role_of(title):
                    actor.title = title
                    actor.role = role_of(title)
                    inner = [e for e in doc.ents if span[0] <= e.start and e.end <= span[1]]
                    actor.affiliation = affiliation_of(title, inner)
            prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
            if prev in _MALE or prev in _FEMALE:
                actor.gender = "m" if prev in _MALE else "f"
        self._collect_history()

    def _collect_history(self) -> None:
        doc = self.doc
        for ent in doc.ents:
            if self.quoted[ent.start]:
                continue
            root = ent.root
            if root.dep_ in ("appos", "compound") and root.head is not root:
                root = root.head  # "Another spokesperson, Hua Chunying, said"
            # subjects of main clauses are salient; "after Zhao Lijian left" is not
            verb = root.head
            is_subj = root.dep_ in ("nsubj", "nsubjpass") and (
                verb.dep_ in ("ROOT", "conj", "ccomp") or verb.lemma_ in CUE_LEMMAS
            )
            actor = self.name_actor(ent)
            if actor is not None:
                self.history.append((ent.start_char, actor, is_subj))
        self.history.sort(key=lambda h: h[0])
        self._offsets = [h[0] for h in self.history]

    def name_actor(self, ent: Span) -> Actor | None:
        """The actor a named entity refers to (persons via their name words)."""
        words = _clean_name(ent)
        if ent.label_ == "PERSON" or (words and self._person_words(words)):
            return self._lookup_person(words) if words else None
        if ent.label_ in ("GPE", "NORP") and country_of(ent.text):
            return self._named(country_of(ent.text) or ent.text, COUNTRY)
        if ent.label_ == "ORG" and ent.root.dep_ in ("nsubj", "nsubjpass", "pobj", "poss"):
            name = ent.text.removeprefix("the ").removeprefix("The ")
            for suffix in ("'s", "’s"):
                name = name.removesuffix(suffix)
            return self._named(name, ORGANISATION)
        return None

    def _named(self, name: str, kind: str) -> Actor:
        actor = self.named.get(name)
        if actor is None:
            role = "country" if kind == COUNTRY else "organisation"
            actor = self.named[name] = Actor(name=name, type=kind, role=role)
        return actor

    def _person_words(self, words: list[str]) -> bool:
        return all(w.lower() in self.by_word for w in words)

    def _lookup_person(self, words: list[str]) -> Actor | None:
        cands = None
        for w in words:
            found = set(self.by_word.get(w.lower(), []))
            cands = found if cands is None else cands & found
        if not cands:
            return self._person(words)
        # the most recently registered actor sharing the words
        return max(cands, key=self.persons.index)

    # -- discourse -------------------------------------------------------------------
    def remember(self, pos: int, actor: Actor) -> None:
        """Record a resolved speaker at character offset ``pos``."""
        i = bisect.bisect_left(self._offsets, pos)
        self._offsets.insert(i, pos)
        self.history.insert(i, (pos, actor, True))

    def before(self, pos: int):
        """History entries before ``pos``, most recent first."""
        i = bisect.bisect_left(self._offsets, pos)
        for j in range(i - 1, -1, -1):
            yield self.history[j]

    def after(self, pos: int):
        i = bisect.bisect_right(self._offsets, pos)
        for j in range(i, len(self.history)):
            yield self.history[j]


def _resolve_pronoun(index: ActorIndex, head: Token, pos: int) -> Actor | None:
    low = head.lower_
    if low in _PERSON_PRONOUNS:
        gender = "m" if low in _MALE else "f"
        fallback = None
        for _, actor, is_subj in index.before(pos):
            if actor.type != PERSON or (actor.gender and actor.gender != gender):
                continue
            if is_subj:
                actor.gender = actor.gender or gender
                return actor
            fallback = fallback or actor
        if fallback is not None:
            fallback.gender = fallback.gender or gender
        return fallback
    if low in _PLURAL_PRONOUNS or low == "it":
        wanted = (COLLECTIVE, ORGANISATION, COUNTRY) if low != "it" else (ORGANISATION, COUNTRY)
        sent_start = head.sent.start_char
        for at, actor, is_subj in index.before(pos):
            if (is_subj or at >= sent_start) and actor.type in wanted + (DOCUMENT,):
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
    for _, actor, is_subj in index.before(pos):
        if actor.type == PERSON and actor.role in (role, "official" if role else None):
            if (actor.role == role or role == "official") and _compatible(actor, nation):
                return actor
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
    for _, actor, is_subj in index.before(pos) if definite else ():
        # a person whose role the article has not stated yet
        if actor.type == PERSON and actor.role is None and is_subj:
            if nation is None or actor.affiliation is None or _compatible(actor, nation):
                actor.role = role
                return actor
    if not definite:  # "A senior official of X on Monday denounced …" -> named below
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


def _plain_actor(index: ActorIndex, mention: Span, head: Token) -> Actor | None:
    lemma = head.lemma_.lower()
    if head.ent_type_ in ("GPE", "NORP") and country_of(head.text):
        return index._named(country_of(head.text) or head.text, COUNTRY)
    if head.ent_type_ in ("GPE", "ORG", "NORP"):
        ent = next((e for e in mention.ents if e.start <= head.i < e.end), None)
        name = ent.text if ent is not None else _np_core(mention, head)
        name = name.removeprefix("the ").removeprefix("The ")
        return index._named(name, COUNTRY if head.ent_type_ == "GPE" else ORGANISATION)
    name = _np_core(mention, head)
    if lemma in _DOCUMENT_WORDS:
        actor = index._named(name, DOCUMENT)
        actor.role = "document"
        return actor
    if lemma in _ORG_WORDS and head.tag_ not in ("NNS", "NNPS"):
        return index._named(name, ORGANISATION)
    if head.tag_ in ("NNS", "NNPS") or lemma in _COLLECTIVE_ROLES:
        actor = index._named(name, COLLECTIVE)
        actor.role = _COLLECTIVE_ROLES.get(lemma, "collective")
        return actor
    if head.pos_ == "PROPN":
        return index._person([t.text for t in mention if t.pos_ == "PROPN"] or [head.text])
    return None


def resolve(index: ActorIndex, start: int, end: int, head_i: int | None) -> Speaker:
    """Resolve the source mention ``doc[start:end]`` (its syntactic head at ``head_i``)."""
    doc = index.doc
    while end > start + 1 and doc[end - 1].is_punct:
        end -= 1
    while start < end - 1 and doc[start].is_punct:
        start += 1
    mention = doc[start:end]
    head = doc[head_i] if head_i is not None else mention.root
    pos = mention.start_char
    actor: Actor | None = None
    # 1. a name inside the mention, preferring the one that contains the head
    ents = [e for e in mention.ents if e.label_ in ("PERSON", "ORG", "GPE", "NORP")]
    ents.sort(key=lambda e: (not (e.start <= head.i < e.end), e.label_ != "PERSON"))
    for ent in ents:
        words = _clean_name(ent)
        if ent.label_ == "PERSON" or (words and index._person_words(words)):
            actor = index._lookup_person(words) if words else None
            if actor is not None:
                break
    if actor is None and head.pos_ == "PROPN" and index._person_words([head.text]):
        actor = index._lookup_person([head.text])
    if actor is None and head.pos_ == "PRON":
        actor = _resolve_pronoun(index, head, pos)
    elif actor is None and (head.lower_ in _ROLE_WORDS or head.lemma_.lower() in _ROLE_WORDS):
        if head.tag_ not in ("NNS", "NNPS"):
            actor = _resolve_role(index, mention, head, pos)
    if actor is None:
        actor = _plain_actor(index, mention, head)
    if actor is None and head.pos_ != "PRON":
        text = mention.text
        role = _ROLE_WORDS.get(head.lower_)
        actor = Actor(name=text, type=PERSON, role="anonymous" if role is None else role)
    if actor is not None:
        index.remember(pos, actor)
    return Speaker(actor, mention.text, mention.start_char, mention.end_char)
