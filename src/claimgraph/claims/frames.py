"""Proposition frames: accusations whose proposition is their shape, not their words.

"The US uses the pretext of so-called human rights issues to concoct malicious lies" (Wang
Wenbin), "under the guise of human rights issues, they are trying to undermine the overall
stability of Xinjiang" (Elijan Anayat), "stop using Xinjiang-related issues to interfere in
China's internal affairs" (Zhao Lijian) and "the United States is not able to contain China's
development … under the pretext of protecting human rights" (Wang Wenbin) state one
proposition in four wordings: *the other side uses the issue itself as a pretext for hostile
ends*. Their words share little (pretext, guise, using; interfere, undermine, contain), and
the negation in the last one ("not able to contain") is about the hostile end succeeding, not
about the pretext: all four affirm the accusation.

`pretext` finds that frame in a parse:

- a pretext noun ("pretext", "guise", "excuse", "pretence", "cloak", "smokescreen") under
  "under" / "as" / "on", or as what is used ("uses the pretext of …");
- a softer one ("cover", "name", "banner", "reason", "tool", "card") only in "under the banner
  of", "in the name of", "as a cover", with a hostile end in the sentence;
- a verb of using ("use", "exploit", "weaponize", "manipulate") with an object and a hostile
  purpose ("using Xinjiang-related issues to interfere").

Only when what is used names the issue in general ("human rights", "Xinjiang-related issues",
"it"), not a charge: Xu Guixiang's "it has used so-called 'forced labor' in Xinjiang as an
excuse to implement long-arm jurisdiction" denies the forced-labour charge, and stays with
that claim. The clustering (`claimgraph.claims.clusters`) lets framed units meet only each
other; the stance (`claimgraph.claims.stance`) reads a framed member of a framed claim as an
affirmation unless the verb that carries the frame is itself negated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import polarity as P

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

PRETEXT = "pretext"  # the one frame so far; its marker among a unit's terms is "%pretext"
MARK = "%"  # first character of a frame's marker term (never a key term nor a name)

PRETEXT_NOUNS = frozenset("pretext guise excuse pretence pretense cloak smokescreen".split())
SOFT_NOUNS = frozenset("cover name banner reason tool card".split())
USE_VERBS = frozenset("use exploit weaponize weaponise manipulate utilize utilise".split())
# the hostile ends a pretext serves, as verbs or nouns
HOSTILE = frozenset(
    "interfere interference meddle meddling contain containment smear undermine destabilize "
    "destabilise suppress suppression concoct obstruct mess attack slander demonize demonise "
    "vilify sabotage disrupt split hype curb intervene intervention oppress bully coerce "
    "pressure discredit defame".split()
)
# what may be used as the pretext: the issue in general, not a charge ("forced labor")
ISSUE_NOUNS = frozenset(
    "right issue affair matter question concern topic problem situation democracy freedom "
    "value card".split()
)


@dataclass(frozen=True)
class Frame:
    name: str
    head: int  # the token that carries the frame: the verb of using, or the pretext's verb
    used: tuple[int, ...]  # what is used as the pretext
    explicit: bool = True  # says "pretext" (or "guise", "excuse", …), not "cover", "using X to …"


def marker(name: str) -> str:
    return MARK + name


def _hostile(doc: Doc) -> bool:
    return any(t.lemma_.lower() in HOSTILE or t.lower_ in HOSTILE for t in doc)


def _generic(tokens: list[Token]) -> bool:
    """What is used names the issue in general: issue nouns, names, pronouns, no charge."""
    nouns = [t for t in tokens if t.pos_ in ("NOUN", "PROPN", "PRON")]
    if not nouns:
        return False
    return all(
        t.pos_ in ("PROPN", "PRON") or t.lemma_.lower() in ISSUE_NOUNS or t.is_stop for t in nouns
    )


def _phrase(t: Token) -> list[Token]:
    """``t``'s phrase without the clauses that hang on it ("issues *to concoct lies*")."""
    out: list[Token] = [t]
    for c in t.children:
        if c.dep_ not in ("relcl", "acl", "advcl"):
            out += _phrase(c)
    return sorted(out, key=lambda x: x.i)


def _of_object(noun: Token) -> list[Token]:
    """The words after "of": "the pretext *of protecting human rights*"."""
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            return [t for g in c.children for t in _phrase(g)]
    return []


def _verb_above(t: Token) -> Token:
    """The nearest verb governing ``t`` (``t`` itself when it is one)."""
    for a in [t, *t.ancestors]:
        if a.pos_ in ("VERB", "AUX"):
            return a
    return t


def _object(verb: Token) -> list[Token]:
    for c in verb.children:
        if c.dep_ in ("dobj", "obj"):
            return list(c.subtree)
    return []


def _find(doc: Doc) -> Frame | None:
    hostile = None
    for t in doc:
        lem = t.lemma_.lower()
        if t.pos_ == "NOUN" and (lem in PRETEXT_NOUNS or lem in SOFT_NOUNS):
            head = t.head
            prep = head.lower_ if head.dep_ == "prep" or head.pos_ == "ADP" else ""
            if lem in SOFT_NOUNS:
                if hostile is None:
                    hostile = _hostile(doc)
                if not hostile or prep not in ("under", "as", "in"):
                    continue
            used: list[Token] = []
            anchor: Token | None = None
            if prep in ("under", "on", "in"):
                used, anchor = _of_object(t), _verb_above(head)
            elif prep == "as":
                verb = _verb_above(head)
                if verb.lemma_.lower() in USE_VERBS:
                    used, anchor = _object(verb), verb
            elif t.dep_ == "dobj" and head.lemma_.lower() in USE_VERBS:
                used, anchor = _of_object(t), head
            if anchor is not None and _generic(used):
                return Frame(PRETEXT, anchor.i, tuple(u.i for u in used), lem in PRETEXT_NOUNS)
        elif t.pos_ == "VERB" and lem in USE_VERBS:
            used = _object(t)
            purpose = [
                c
                for c in t.children
                if c.dep_ in ("xcomp", "advcl", "conj")
                and (c.lemma_.lower() in HOSTILE or c.lower_ in HOSTILE)
            ]
            if used and purpose and _generic(used):
                return Frame(PRETEXT, t.i, tuple(u.i for u in used), explicit=False)
    return None


def pretext(doc: Doc) -> Frame | None:
    """The pretext frame of ``doc`` (see the module docstring), worked out once per doc."""
    return P.memo(doc, "frames.pretext", _find)


def negated(doc: Doc, frame: Frame) -> bool:
    """Whether the verb that carries the frame is itself negated ("does not use human rights
    as a pretext"); a negation elsewhere ("is not able to contain … under the pretext") is
    about something else."""
    head = doc[frame.head]
    return any(c.dep_ == "neg" for c in head.children)
