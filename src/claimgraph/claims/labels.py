"""A claim's label: one plain sentence that says who or what does what ("The US uses the
pretext of so-called human rights issues to concoct malicious lies."), at most `MAX_WORDS`
words, taken from a member's own words.

A member's proposition clause (`claimgraph.claims.clusters.content_root`: below its reporting
shell, "the U.S. assessment that …" read from "Beijing …") is cut down along its parse until
it fits (`_shorten`): the smallest phrase whose removal is enough, asides (adverbial and
relative clauses, appositions, parentheticals) before coordinated clauses before trailing
prepositional phrases; a short leading frame ("In essence,") is dropped. The
claim's label is the best such sentence among its members: one with a subject that names
someone (not "they"), a finite verb, not a denial, that fitted without being cut mid-phrase,
closest to the claim's centre. Quotation marks are dropped, the first letter is capitalised
and the sentence ends with a full stop. A member that yields no clause (a fragment such as
"the allegation of genocide") gives its words as they are, cut to `MAX_WORDS`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .frames import PRETEXT_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MAX_WORDS = 15
MIN_WORDS = 3  # fewer is no sentence ("Are.")
FRAME_WORDS = 3  # a leading prepositional phrase this short is a frame, not content
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
# The kinds of dependents `_shorten` may drop, in the order it prefers them.
ASIDES = ("parataxis", "intj", "advcl", "relcl", "acl", "appos", "npadvmod")
# Verbs whose preposition is part of what they say: "relied *on anonymous testimony*"
PREP_VERBS = frozenset("rely depend consist belong refer account insist amount hinge".split())
# What a naming verb names is no tail: "what it described *as resettlement camps*"
NAMING = frozenset("describe call term label brand dub name refer characterize".split())
LISTS = ("conj",)
TAILS = ("prep", "agent", "advmod", "dative")
QUOTES = frozenset("\"“”‘’'«»")
SPACE_BEFORE = re.compile(r"\s+([,.;:)])")
PUNCT_RUN = re.compile(r"([,;:])(?:\s*[,;:])+")
PRONOUN_SUBJECTS = frozenset("they it he she we i you this that these those".split())


@dataclass(frozen=True)
class Candidate:
    sentence: str
    named_subject: bool  # a subject that is not a pronoun
    finite: bool
    whole: bool  # fitted by dropping whole phrases (not cut at MAX_WORDS)

    def rank(self) -> tuple[int, int, int]:
        return (self.named_subject, self.finite, self.whole)


def _words(tokens: Sequence[Token]) -> int:
    return sum(any(c.isalnum() for c in t.text) for t in tokens)


def _size(t: Token, kept: set[int]) -> int:
    return _words([s for s in t.subtree if s.i in kept])


def _shorten(root: Token, kept: set[int]) -> None:
    """Drop dependents of ``root``'s clause until it has at most `MAX_WORDS` words: the
    smallest phrase whose removal is enough, asides before coordinated clauses before
    trailing phrases; when no one phrase is enough, the largest aside (then list, then
    tail) and again."""
    order = {dep: n for n, kinds in enumerate((ASIDES, LISTS, TAILS)) for dep in kinds}
    while (total := _words([t for t in root.subtree if t.i in kept])) > MAX_WORDS:
        options = [
            t
            for t in root.subtree
            if t.i in kept
            and t.i != root.i
            and t.dep_ in order
            and t.head.i in kept
            and not _needed(t)
        ]
        if not options:
            return
        sizes = {t.i: _size(t, kept) for t in options}
        fitting = [t for t in options if total - sizes[t.i] <= MAX_WORDS]
        if fitting:
            pick = min(fitting, key=lambda t: (sizes[t.i], order[t.dep_], -t.i))
        elif clauses := [t for t in options if t.dep_ == "conj" and t.head.i == root.i]:
            # a second predicate of the clause ("…, and uses these as a reason to …") is a
            # proposition of its own: it goes whole before the first loses its words
            pick = max(clauses, key=lambda t: (sizes[t.i], t.i))
        else:
            first = min(order[t.dep_] for t in options)
            pick = max(
                (t for t in options if order[t.dep_] == first), key=lambda t: (sizes[t.i], t.i)
            )
        while pick.dep_ in TAILS and pick.head.pos_ == "ADP" and pick.head.i != root.i:
            pick = pick.head  # "from across the world": the whole phrase, not "from" alone
        _drop(pick, kept)


def _needed(t: Token) -> bool:
    """``t`` is part of what its head says, never an aside or a tail to drop."""
    if t.dep_ == "advmod" and t.head.like_num:  # "nearly 1,000" keeps "nearly"
        return True
    if t.dep_ == "prep":
        head = t.head.lemma_.lower()
        if t.lower_ == "as" and t.head.lemma_ in NAMING:  # what a naming verb names
            return True
        if head in PREP_VERBS:  # "relied on anonymous testimony"
            return True
        # "under the guise of human rights issues": the accusation itself
        if head in PRETEXT_NOUNS or any(c.lemma_.lower() in PRETEXT_NOUNS for c in t.children):
            return True
    return _predicate(t) or _plural_subject_part(t)


def _predicate(t: Token) -> bool:
    """``t`` is what a copula predicates ("the people … are *in the best position* …"): a
    clause of "be" without its complement says nothing ("The people in Xinjiang are.")."""
    head = t.head
    if head.lemma_ != "be" or t.dep_ not in ("prep", "advmod") or t.i < head.i:
        return False
    return not any(c.dep_ in ("attr", "acomp", "xcomp", "ccomp") for c in head.children)


def _plural_subject_part(t: Token) -> bool:
    """``t`` is a conjunct of a singular subject whose verb agrees with the whole list ("The
    US and some Western forces *seek*"): dropping it would leave "The US seek"."""
    head = t.head
    if t.dep_ != "conj" or head.dep_ not in SUBJECTS or head.tag_ not in ("NN", "NNP"):
        return False
    verb = head.head
    return verb.tag_ == "VBP" or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ == "VBP" for c in verb.children
    )


def _drop(t: Token, kept: set[int]) -> None:
    kept.difference_update(s.i for s in t.subtree)
    if t.dep_ in ASIDES:  # the commas that set an aside off go with it
        doc = t.doc
        for i in (t.left_edge.i - 1, t.right_edge.i + 1):
            if 0 <= i < len(doc) and doc[i].text == ",":
                kept.discard(i)
    if t.dep_ == "conj":  # "A, B and C": the "and" right before a dropped conjunct
        joiners = {c.i for c in t.head.children if c.dep_ in ("cc", "punct")}
        # not the "and" of a conjunct still kept after it ("growth, harmony *and* stability,
        # better living standards": dropping the last leaves "harmony and stability")
        before = [i for i in kept if i < t.left_edge.i and i not in joiners]
        after = max(before, default=t.head.i)
        kept.difference_update(i for i in joiners if after < i < t.left_edge.i)


def _render(doc: Doc, kept: set[int]) -> str:
    tokens = [doc[i] for i in sorted(kept)]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ in ("mark", "cc", "prep")):
        if tokens[0].dep_ == "prep":
            head = tokens[0]
            phrase = {s.i for s in head.subtree}
            # a short leading frame ("In essence,", "At present,") goes; "Under the guise
            # of human rights issues, …" is part of what is claimed
            if _words([t for t in tokens if t.i in phrase]) > FRAME_WORDS:
                break
            tokens = [t for t in tokens if t.i not in phrase]
            continue
        tokens = tokens[1:]
    parts = []
    for n, t in enumerate(tokens):
        nxt = tokens[n + 1].i if n + 1 < len(tokens) else None
        space = t.whitespace_ if nxt == t.i + 1 else " "
        parts.append(space if t.text in QUOTES else t.text + space)
    out = "".join(parts)
    out = " ".join(out.split())
    out = PUNCT_RUN.sub(r"\1", SPACE_BEFORE.sub(r"\1", out)).strip(" ,;:-–—")
    while out and out[-1] in ".,;:":
        out = out[:-1].rstrip()
    return out[:1].upper() + out[1:] + "." if out else ""


def candidate(doc: Doc, root: Token | None) -> Candidate | None:
    """A member's plain sentence, or None when its parse gives nothing to read."""
    if root is None or not len(doc):
        return None
    # the "that" of "that X happened" is not part of the sentence the label reads as
    kept = {
        t.i
        for t in root.subtree
        if not t.is_space and not (t.dep_ == "mark" and t.head.i == root.i and t.i < root.i)
    }
    whole = True
    _shorten(root, kept)
    if _words([doc[i] for i in kept]) > MAX_WORDS:
        whole = False
        n = 0
        for i in sorted(kept):
            n += any(c.isalnum() for c in doc[i].text)
            if n > MAX_WORDS:
                kept.discard(i)
    sentence = _render(doc, kept)
    if _words([doc[i] for i in kept]) < MIN_WORDS:
        return None
    subj = [c for c in root.children if c.dep_ in SUBJECTS and c.i in kept]
    named = bool(subj) and subj[0].lower_ not in PRONOUN_SUBJECTS
    finite = root.tag_ in ("VBD", "VBZ", "VBP", "MD") or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBZ", "VBP", "MD")
        for c in root.children
    )
    return Candidate(sentence, named, finite, whole)


def fallback(text: str) -> str:
    """A member's words as a label when its parse gives no clause: quotation marks dropped,
    cut to `MAX_WORDS` words, capitalised."""
    words = [w for w in (w.strip("".join(QUOTES)) for w in text.split()) if w][:MAX_WORDS]
    out = " ".join(words).strip(" ,;:-–—.")
    return out[:1].upper() + out[1:] + "." if out else ""
