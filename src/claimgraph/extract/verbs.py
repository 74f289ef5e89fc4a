"""Reporting-verb lexicon: which words introduce speech (or an attributed belief), and what
the outlet's choice of verb says about its stance towards the speaker.

Classes (constants from `records`):

- **neutral** — plain report of speech: said, told, added, noted, stated, wrote, tweeted,
  explained, according to. Also verbs of belief and intent (think, believe, want, hope): they
  attribute a position without the outlet taking a side.
- **assertive** — the speaker presses the point: stressed, insisted, emphasized, warned,
  vowed, declared, reiterated, maintained.
- **distancing** — the outlet signals doubt: claimed, alleged, purported, "what he claimed to
  be", asserted (as used by hostile outlets), contended.
- **endorsing** — the outlet presents the content as true: confirmed, revealed, pointed out,
  showed, found, acknowledged, admitted, disclosed, noted that (in its factive sense is kept
  neutral).
- **attacking** — the speech act is an attack: denounced, slammed, accused, condemned,
  blasted, criticized, lashed out, rejected, refuted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .records import ASSERTIVE, ATTACKING, DISTANCING, ENDORSING, NEUTRAL

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_LEXICON: dict[str, list[str]] = {
    NEUTRAL: (
        "say tell add note state write tweet post explain answer reply respond comment remark "
        "announce report describe mention continue recall ask suggest argue propose predict "
        "estimate observe quip joke muse recount relate testify brief inform indicate "
        "speak talk agree concur caution advise recommend urge request demand call "
        "think believe feel hope want wish expect fear worry consider guess assume suppose "
        "plan intend prefer know see view say recall conclude acknowledge signal describe "
        "characterize label dub cite quote read repeat echo relay term "
        # manner of speaking and musing ("“…,” the judge exclaimed")
        "exclaim shout yell scream whisper mutter murmur lament plead beg implore confide "
        "speculate theorize posit opine surmise interject recite narrate"
    ).split(),
    ASSERTIVE: (
        "stress insist emphasize emphasise underline underscore reiterate restate maintain assert "
        "affirm declare vow pledge promise warn assure swear guarantee proclaim retort counter "
        "protest thunder"
    ).split(),
    DISTANCING: ("claim allege purport contend profess aver").split(),
    ENDORSING: (
        "confirm reveal show find prove demonstrate disclose admit concede acknowledge "
        "establish document verify clarify confess"
    ).split(),
    ATTACKING: (
        "denounce slam accuse condemn blast criticize criticise lambast decry deride "
        "attack rebuke refute reject deny dismiss mock ridicule scold chide castigate "
        "blame smear disparage assail berate excoriate scoff sneer rant jeer taunt"
    ).split(),
}

# lemma -> class; later classes win over "neutral" where a verb appears twice.
VERB_CLASS: dict[str, str] = {}
for _cls, _lemmas in _LEXICON.items():
    for _lemma in _lemmas:
        if _cls != NEUTRAL or _lemma not in VERB_CLASS:
            VERB_CLASS[_lemma] = _cls

# Verbs of cognition/desire: attributed beliefs rather than speech acts.
BELIEF_LEMMAS = frozenset(
    "think believe feel hope hop want wish expect fear worry consider guess assume suppose plan "
    "intend prefer know see view realize wonder".split()
)

# Frames: in which construction a verb introduces attributed content, keyed by what the parse
# gives it: a clausal complement (ccomp: "said that …"), an infinitive (xcomp: "vowed to …"),
# a direct object (dobj: "denounced the allegations"), or none of these ("other": the content
# is a quotation, a parenthetical clause or a prepositional object: "talked about …").
#
# _MINED lists the (lemma, frame) pairs that PolNeAR *train* annotators mark as attribution
# cues in at least 45% of their occurrences outside quotation marks (and at least 6 times):
# counted over the 840 train articles parsed by en_core_web_sm 3.8 (lemmas as spaCy gives
# them: "hop" is its lemma of "hoped"); `count_cue_frames` below rebuilds the counts and the
# table exactly. Verbs of action or appearance that PolNeAR counts but
# that are no one's statement (seem, appear, vote, decide, order, …) are left out on purpose.
_MINED: dict[str, frozenset[str]] = {
    "ccomp": frozenset(
        "acknowledge add admit agree allege announce appear argue ask assert assure boast call "
        "charge claim complain concede conclude confirm consider contend continue convince "
        "declare demonstrate deny describe discuss emphasize estimate expect explain fear find "
        "hop hope imply indicate insist joke know learn maintain note point post predict "
        "promise question read realize recall recognize reiterate remark remember remind reply "
        "report respond reveal say seem show state suggest tell think tweet vow warn wonder "
        "worry write ".split()
    ),
    "xcomp": frozenset(
        "agree aim appear ask call claim decide decline encourage expect hop like look offer "
        "order pledge promise propose refuse report say seek seem show support tell threaten "
        "urge vote vow ".split()
    ),
    "dobj": frozenset(
        "accuse acknowledge announce applaud ask attack blame blast call characterize chide "
        "cite claim condemn confirm congratulate contrast credit criticize declare decry deem "
        "defend denounce deny describe detail disavow disclose discuss dismiss distance echo "
        "email emphasize endorse explain express fear highlight issue lament list mention mock "
        "name note offer oppose order outline point portray post praise predict prefer promise "
        "propose publish question quote recall recite recount reference reiterate reject "
        "remember remind repeat report restrict reveal say show signal slam sound stress talk "
        "tell thank tout tweet urge voice warn write ".split()
    ),
    "other": frozenset(
        "accord accuse acknowledge advocate announce apologize argue ask assure believe boast "
        "brag call claim complain conclude confirm criticize declare deem describe disagree "
        "echo endorse expect explain know mention note pivot plead point push rail refer reject "
        "remember reply report respond reveal say seem side suggest talk title tweet vouch warn "
        "worry write ".split()
    ),
}
_NOT_SPEECH = frozenset(
    "seem appear look vote like aim decide seek order restrict name publish contrast distance "
    "sound pivot side title email issue list convince demonstrate".split()
)
# Verbs whose content is their direct object (+ "of"/"for" phrase) rather than a clause.
OBJECT_CONTENT_LEMMAS = frozenset(
    "accuse blame criticize criticise praise thank condemn denounce slam blast decry deride "
    "attack rebuke refute reject deny dismiss mock ridicule announce describe characterize "
    "label dub call confirm reveal disclose acknowledge admit propose demand request cite "
    "castigate lambast scold chide smear disparage assail berate excoriate mention term "
    "repeat restate echo relay".split()
)
# Multi-word cues: (first lemma, particle) -> class
PHRASAL: dict[tuple[str, str], str] = {
    ("point", "out"): ENDORSING,
    ("lash", "out"): ATTACKING,
    ("hit", "out"): ATTACKING,
    ("call", "on"): NEUTRAL,
    ("call", "for"): NEUTRAL,
    ("go", "on"): NEUTRAL,
    ("make", "clear"): ASSERTIVE,
}


def verb_class(lemma: str, particle: str | None = None) -> str:
    """Class of a reporting verb given its lemma (and particle for phrasal verbs); verbs
    outside the lexicon are neutral."""
    lemma = lemma.lower()
    if particle is not None and (lemma, particle.lower()) in PHRASAL:
        return PHRASAL[(lemma, particle.lower())]
    return VERB_CLASS.get(lemma, NEUTRAL)


# Speech, belief and intent verbs that PolNeAR train marks as cues in 40-45% of their
# occurrences in a frame (and at least 5 times): below the mining threshold, but above half
# the current F1, so each adds more matches than false alarms. Verbs of action or appearance
# in that band (seem, appear, look, vote, decide, seek, issue, publish, name) stay out.
_NEAR_MINED: dict[str, frozenset[str]] = {
    "ccomp": frozenset("share express endorse suspect offer guess want assume".split()),
    "xcomp": frozenset("suggest prefer know push".split()),
    "dobj": frozenset(
        "state liken dispute articulate retweete rebut chant attribute hail compare invoke "
        "expect identify suggest underscore pledge charge answer".split()
    ),
    "other": frozenset(
        "recall lash hint yell shout question dismiss predict joke disclose insist consider "
        "think hop remark tell agree learn press add".split()
    ),
}

FRAMES: dict[str, frozenset[str]] = {
    # "believe that S" falls just short of the mining threshold but is an attributed belief
    # as often as "think" (+0.2 F1 on train)
    "ccomp": (
        _MINED["ccomp"]
        | _NEAR_MINED["ccomp"]
        | (frozenset(VERB_CLASS) - BELIEF_LEMMAS)
        | {"believe"}
    )
    - _NOT_SPEECH,
    "xcomp": (_MINED["xcomp"] | _NEAR_MINED["xcomp"]) - _NOT_SPEECH,
    # "declared victory / an emergency" is an act, not a statement
    "dobj": (_MINED["dobj"] | _NEAR_MINED["dobj"] | OBJECT_CONTENT_LEMMAS)
    - _NOT_SPEECH
    - {"declare"},
    "other": (_MINED["other"] | _NEAR_MINED["other"]) - _NOT_SPEECH,
}
CUE_LEMMAS = frozenset().union(*FRAMES.values())

# (lemma, frame) pairs outside FRAMES that PolNeAR train annotators still mark as cues
# ("wants to triple the size of AmeriCorps", "see the program as an easier way", "support the
# regulations"): too often no one's statement to be cues on their own, so a statement one of
# them introduces is an indirect or mixed one that the statement model
# (`claimgraph.extract.confidence`) weighs like every other, and a quotation never takes one
# as its cue. The table ships inside the statement model's file (its "weighed_cues", read by
# `confidence.shipped_model`), since the model was trained on the statements it finds:
# scripts/train_statements.py mines it with `weighed_frames` and writes both. Without the
# model file there are none.
_Table = tuple[dict[str, frozenset[str]], frozenset[str]]  # frame -> lemmas; all the lemmas
_override: _Table | None = None  # set by `weighed_cues` (training)


def _table(by_frame: Mapping[str, Iterable[str]]) -> _Table:
    table = {frame: frozenset(by_frame.get(frame, ())) for frame in FRAMES}
    return table, frozenset().union(*table.values())


@lru_cache(maxsize=1)
def _shipped() -> _Table:
    from .confidence import shipped_model  # it imports this module

    model = shipped_model()
    return _table(model.weighed_cues if model is not None else {})


def _weighed() -> _Table:
    return _override if _override is not None else _shipped()


def weighed_frames(
    counts: Mapping[tuple[str, str], list[int]], min_count: int, min_rate: float
) -> dict[str, frozenset[str]]:
    """A weighed-cue table from `count_cue_frames` statistics: the pairs marked as cues
    ``min_count`` times and at ``min_rate`` of their occurrences outside quotation marks, less
    those FRAMES has, verbs of action or appearance (`_NOT_SPEECH`) and lemmas not all
    letters."""
    out: dict[str, set[str]] = {frame: set() for frame in FRAMES}
    for (lemma, frame), (cues, n) in counts.items():
        if (
            cues >= min_count
            and cues >= min_rate * n
            and lemma.isalpha()
            and lemma not in _NOT_SPEECH
            and lemma not in FRAMES[frame]
        ):
            out[frame].add(lemma)
    return {frame: frozenset(lemmas) for frame, lemmas in out.items()}


# Verbs of putting out a document: "X released its report" makes X the report's owner
# (speakers) and a sentence about it X's relayed saying (link step).
PUBLISHING_LEMMAS = frozenset("release publish issue unveil".split())
_ASKED = frozenset(["ask", "asks", "asked", "asking"])


def is_put_question(cue: str | None, speaker: str | None) -> bool:
    """A statement that is a question unnamed journalists put to a speaker ("… Wang said
    when asked what counter measures …"): it prompts the answer that follows and takes no
    side, so it is no voice (profiles) and no claim member (link step)."""
    return not speaker and (cue or "").lower() in _ASKED


# "did not disclose", "has never said", "didn't publicly call": up to one word between the
# negation and the cue.
_NEGATED_CUE = re.compile(r"(?:\bnot|\bnever|n['’]t)\s+(?:[a-z]+\s+)?$", re.I)


CUE_LEAD = 30  # characters before a cue that `negated_cue` reads


def negated_cue(text: str, st: Mapping[str, Any]) -> bool:
    """Is a stored statement's reporting verb negated in its article ``text`` ("Wang did not
    disclose the names …", "Her statement did not call out the abuses …")? Its content is
    then what the speaker did *not* say: no voice of theirs (profiles), no claim member of
    theirs on it (link step), and ``negated`` in the exports and pages."""
    start = st.get("cue_start")
    return start is not None and negated_lead(text[max(0, start - CUE_LEAD) : start])


def negated_lead(lead: str | None) -> bool:
    """`negated_cue` from the `CUE_LEAD` characters before the cue alone (the stores read them
    as ``cue_lead`` with a statement: `claimgraph.store.rows.CUE_LEAD_SQL`)."""
    return lead is not None and _NEGATED_CUE.search(lead) is not None


def is_cue(lemma: str, frame: str, *, weighed: bool = True) -> bool:
    """Does ``lemma`` introduce attributed content in ``frame`` (ccomp/xcomp/dobj/other),
    on its own (FRAMES) or, unless ``weighed`` is false, as a candidate the statement model
    weighs (the weighed cues above)?"""
    return lemma in FRAMES[frame] or (weighed and lemma in _weighed()[0][frame])


def may_report(lemma: str) -> bool:
    """Is ``lemma`` a cue in some frame (the verbs `reported` looks at)?"""
    return lemma in CUE_LEMMAS or lemma in _weighed()[1]


@contextmanager
def weighed_cues(table: Mapping[str, frozenset[str]]) -> Iterator[None]:
    """Use ``table`` as the weighed-cue table inside the block: training mines each
    cross-validation fold's own table from the other folds (scripts/train_statements.py).
    Not thread-safe; the package itself never calls it."""
    global _override
    saved = _override
    _override = _table(table)
    try:
        yield
    finally:
        _override = saved


def frame_of(tok: Token) -> str:
    """The frame a verb's parse offers: "ccomp", "xcomp", "dobj" or "other"."""
    deps = {c.dep_ for c in tok.children}
    for frame in ("ccomp", "xcomp", "dobj"):
        if frame in deps:
            return frame
    return "other"


def count_cue_frames(
    annotated: Iterable[tuple[Doc, set[int]]],
) -> dict[tuple[str, str], list[int]]:
    """Rebuild the statistics behind `_MINED`: for each (lemma, frame) of a VERB outside
    quotation marks, [times it is (part of) a gold cue, times it occurs]. ``annotated`` yields
    parsed PolNeAR train articles with the character offsets their Cue spans cover::

        counts = count_cue_frames((nlp(text), cue_chars) for text, cue_chars in train)
        mined = {(l, f) for (l, f), (c, n) in counts.items() if c >= 6 and c / n >= 0.45}
    """
    from .doctext import doc_text
    from .quotes import find_quotes

    counts: dict[tuple[str, str], list[int]] = {}
    for doc, cue_chars in annotated:
        quoted = {i for q in find_quotes(doc_text(doc)) for i in range(q.start, q.end)}
        for tok in doc:
            if tok.pos_ != "VERB" or tok.idx in quoted:
                continue
            row = counts.setdefault((tok.lemma_.lower(), frame_of(tok)), [0, 0])
            row[1] += 1
            if any(i in cue_chars for i in range(tok.idx, tok.idx + len(tok))):
                row[0] += 1
    return counts
