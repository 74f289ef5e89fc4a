"""Reported speech that goes on past its cue: "In response, Xu said the United States has
neither verified the information nor contacted the enterprises. It has used so-called
“forced labor” as an excuse to …" — the second sentence is still Xu's account of what the
United States did, though it has no reporting verb of its own.

`continued_sentences` reads it from the parse: after a sentence of indirect speech, each
following sentence of the same paragraph whose subject is
"it" or "they" standing for the reported clause's subject (agreeing in number) goes on with
that speech; the run ends at a sentence with another subject, at one that holds a statement
or a quotation of its own, or at the paragraph's end. A pronoun for the speaker ("He also
…") is the outlet's narration about the speaker, and ends it too.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span, Token

_SINGULAR = frozenset(["it"])
_PLURAL = frozenset(["they"])
_TRAILING = frozenset(".;:")
# "It is …", "it seems …": an "it" that stands for no one
_EMPTY_VERBS = frozenset("be seem appear remain look".split())


def _clause_subject(doc: Doc, content: tuple[int, int]) -> Token | None:
    """The subject of the reported clause: of the content's root verb, a noun, not a pronoun."""
    roots = [
        t
        for t in doc[content[0] : content[1]]
        if not (content[0] <= t.head.i < content[1]) or t.head is t
    ]
    verbs = [t for t in roots if t.pos_ in ("VERB", "AUX")]
    if len(verbs) != 1:
        return None
    subj = next((c for c in verbs[0].children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.pos_ not in ("NOUN", "PROPN"):
        return None
    return subj


def _agrees(pronoun: Token, subj: Token) -> bool:
    plural = subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in subj.children)
    if pronoun.lower_ in _SINGULAR:
        return not plural and subj.ent_type_ != "PERSON"
    return pronoun.lower_ in _PLURAL and plural


def _pronoun_subject(sent: Span) -> Token | None:
    """ "It has used …", "They also …": the sentence's subject, a pronoun opening it."""
    root = sent.root
    subj = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lower_ not in _SINGULAR | _PLURAL:
        return None
    if any(not (t.is_punct or t.pos_ in ("ADV", "CCONJ")) for t in sent[: subj.i - sent.start]):
        return None
    return subj


def continued_sentences(
    doc: Doc,
    content: tuple[int, int],
    speaker: Token | None,
    taken: Callable[[int, int], bool],
) -> list[tuple[int, int]]:
    """Character spans of the sentences that go on with the reported speech whose content is
    tokens ``content`` and whose speaker's head is ``speaker``; ``taken(start, end)`` says
    whether a statement or a quotation already covers characters of a sentence. Where the
    pronoun could stand for the speaker as well ("Intel said …. It did not give …"), or
    stands for nothing ("It is the difference …", "it seems"), the speech has ended."""
    subj = _clause_subject(doc, content)
    if subj is None or speaker is None or speaker.pos_ == "PRON" and speaker.lower_ == "it":
        return []
    sent = doc[content[1] - 1].sent
    out: list[tuple[int, int]] = []
    while sent.end < len(doc):
        between = doc[sent.end - 1 : sent.end + 1].text
        nxt = doc[sent.end].sent
        if "\n" in between or "\n" in nxt.text.strip():
            break  # a new paragraph, or a sentence that runs into one
        pronoun = _pronoun_subject(nxt)
        end = nxt.end
        while end > nxt.start and (doc[end - 1].is_space or doc[end - 1].text in _TRAILING):
            end -= 1
        start_char, end_char = nxt.start_char, doc[end - 1].idx + len(doc[end - 1])
        if (
            pronoun is None
            or not _agrees(pronoun, subj)
            or _agrees(pronoun, speaker)
            or pronoun.head.lemma_.lower() in _EMPTY_VERBS
            or pronoun.head.pos_ != "VERB"
            or taken(start_char, end_char)
        ):
            break
        out.append((start_char, end_char))
        sent = nxt
    return out
