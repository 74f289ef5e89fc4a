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

from .records import ASSERTIVE, ATTACKING, DISTANCING, ENDORSING, NEUTRAL

_LEXICON: dict[str, tuple[str, ...]] = {
    NEUTRAL: (
        "say tell add note state write tweet post explain answer reply respond comment remark "
        "announce report describe mention continue recall ask suggest argue propose predict "
        "estimate observe quip joke muse recount relate testify brief inform indicate "
        "speak talk agree concur caution advise recommend urge request demand call "
        "think believe feel hope want wish expect fear worry consider guess assume suppose "
        "plan intend prefer know see view say recall conclude acknowledge signal describe "
        "characterize label dub cite quote read"
    ).split(),
    ASSERTIVE: (
        "stress insist emphasize emphasise underline underscore reiterate maintain assert "
        "affirm declare vow pledge promise warn assure swear guarantee"
    ).split(),
    DISTANCING: ("claim allege purport contend profess aver").split(),
    ENDORSING: (
        "confirm reveal show find prove demonstrate disclose admit concede acknowledge "
        "establish document verify clarify"
    ).split(),
    ATTACKING: (
        "denounce slam accuse condemn blast criticize criticise lambast decry deride "
        "attack rebuke refute reject deny dismiss mock ridicule scold chide castigate "
        "blame smear disparage assail berate excoriate"
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
    "think believe feel hope want wish expect fear worry consider guess assume suppose plan "
    "intend prefer know see view".split()
)

# Verbs whose content is their direct object (+ "of"/"for" phrase) rather than a clause.
OBJECT_CONTENT_LEMMAS = frozenset(
    "accuse blame criticize criticise praise thank condemn denounce slam blast decry deride "
    "attack rebuke refute reject deny dismiss mock ridicule announce describe characterize "
    "label dub call confirm reveal disclose acknowledge admit propose demand request cite "
    "castigate lambast scold chide smear disparage assail berate excoriate mention".split()
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

ACCORDING_TO = "according to"


def verb_class(lemma: str, particle: str | None = None) -> str | None:
    """Class of a reporting verb given its lemma (and particle for phrasal verbs), or None
    when the word is not a reporting verb."""
    lemma = lemma.lower()
    if particle is not None and (lemma, particle.lower()) in PHRASAL:
        return PHRASAL[(lemma, particle.lower())]
    return VERB_CLASS.get(lemma)


def is_reporting_lemma(lemma: str) -> bool:
    return lemma.lower() in VERB_CLASS
