"""Reporting-verb lexicon: which words introduce speech (or an attributed belief), and what
the outlet's choice of verb says about its stance towards the speaker.

`ReportingLexicon` holds every word list the speech rules read: the verb classes, the frames
a verb reports in, the phrasal cues, the verb and noun lists of `claimgraph.extract.reported`
and the verbs of the link step's relayed sayings. It is frozen; `default_lexicon()` is the one
the package uses, built once with the statement model's weighed cues. `extract_statements`
passes a lexicon (by default that one) down the attribution rules of `reported`, which is how
training runs them with each fold's own weighed cues (`ReportingLexicon.with_weighed`); the
other extractors read only the fixed lists and take them from `default_lexicon()`.

**Adding a reporting verb is one edit**: put its lemma (as spaCy's lemmatizer gives it) in the
list of its class below (``neutral`` … ``attacking``). That makes it a cue with a clausal
complement ("X averred that …") and gives its statements the class; add it to
``object_content`` too if its content is its direct object ("X decried the plan").

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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from .records import ASSERTIVE, ATTACKING, DISTANCING, ENDORSING, NEUTRAL

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FRAME_NAMES = ("ccomp", "xcomp", "dobj", "other")
CLASSES = (NEUTRAL, ASSERTIVE, DISTANCING, ENDORSING, ATTACKING)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _frames(**by_frame: str) -> Mapping[str, frozenset[str]]:
    return MappingProxyType({frame: _words(by_frame.get(frame, "")) for frame in FRAME_NAMES})


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
_MINED = _frames(
    ccomp="acknowledge add admit agree allege announce appear argue ask assert assure boast call "
    "charge claim complain concede conclude confirm consider contend continue convince "
    "declare demonstrate deny describe discuss emphasize estimate expect explain fear find "
    "hop hope imply indicate insist joke know learn maintain note point post predict "
    "promise question read realize recall recognize reiterate remark remember remind reply "
    "report respond reveal say seem show state suggest tell think tweet vow warn wonder "
    "worry write",
    xcomp="agree aim appear ask call claim decide decline encourage expect hop like look offer "
    "order pledge promise propose refuse report say seek seem show support tell threaten "
    "urge vote vow",
    dobj="accuse acknowledge announce applaud ask attack blame blast call characterize chide "
    "cite claim condemn confirm congratulate contrast credit criticize declare decry deem "
    "defend denounce deny describe detail disavow disclose discuss dismiss distance echo "
    "email emphasize endorse explain express fear highlight issue lament list mention mock "
    "name note offer oppose order outline point portray post praise predict prefer promise "
    "propose publish question quote recall recite recount reference reiterate reject "
    "remember remind repeat report restrict reveal say show signal slam sound stress talk "
    "tell thank tout tweet urge voice warn write",
    other="accord accuse acknowledge advocate announce apologize argue ask assure believe boast "
    "brag call claim complain conclude confirm criticize declare deem describe disagree "
    "echo endorse expect explain know mention note pivot plead point push rail refer reject "
    "remember reply report respond reveal say seem side suggest talk title tweet vouch warn "
    "worry write",
)
# Speech, belief and intent verbs that PolNeAR train marks as cues in 40-45% of their
# occurrences in a frame (and at least 5 times): below the mining threshold, but above half
# the current F1, so each adds more matches than false alarms. Verbs of action or appearance
# in that band (seem, appear, look, vote, decide, seek, issue, publish, name) stay out.
_NEAR_MINED = _frames(
    ccomp="share express endorse suspect offer guess want assume",
    xcomp="suggest prefer know push",
    dobj="state liken dispute articulate retweete rebut chant attribute hail compare invoke "
    "expect identify suggest underscore pledge charge answer",
    other="recall lash hint yell shout question dismiss predict joke disclose insist consider "
    "think hop remark tell agree learn press add",
)


@dataclass(frozen=True, eq=False)
class ReportingLexicon:
    """The reporting verbs and speech words the rules read (all lemmas, lower-case).

    Frozen: build another with `dataclasses.replace` or `with_weighed`. The frame table
    (`frames`), the class of each lemma (`classes`) and the lemmas that are cues in some frame
    (`cue_lemmas`) are derived from the lists, so a verb is added in one list only."""

    # --- classes of reporting verbs; a lemma in neutral and another class takes the other
    neutral: frozenset[str] = _words(
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
    )
    assertive: frozenset[str] = _words(
        "stress insist emphasize emphasise underline underscore reiterate restate maintain assert "
        "affirm declare vow pledge promise warn assure swear guarantee proclaim retort counter "
        "protest thunder"
    )
    distancing: frozenset[str] = _words("claim allege purport contend profess aver")
    endorsing: frozenset[str] = _words(
        "confirm reveal show find prove demonstrate disclose admit concede acknowledge "
        "establish document verify clarify confess"
    )
    attacking: frozenset[str] = _words(
        "denounce slam accuse condemn blast criticize criticise lambast decry deride "
        "attack rebuke refute reject deny dismiss mock ridicule scold chide castigate "
        "blame smear disparage assail berate excoriate scoff sneer rant jeer taunt"
    )
    # Multi-word cues: (first lemma, particle) -> class
    phrasal: Mapping[tuple[str, str], str] = field(
        default_factory=lambda: MappingProxyType(
            {
                ("point", "out"): ENDORSING,
                ("lash", "out"): ATTACKING,
                ("hit", "out"): ATTACKING,
                ("call", "on"): NEUTRAL,
                ("call", "for"): NEUTRAL,
                ("go", "on"): NEUTRAL,
                ("make", "clear"): ASSERTIVE,
            }
        )
    )
    # Verbs of cognition/desire: attributed beliefs rather than speech acts.
    belief: frozenset[str] = _words(
        "think believe feel hope hop want wish expect fear worry consider guess assume suppose "
        "plan intend prefer know see view realize wonder"
    )
    # Cues by frame beyond the classes' own clausal frame (see _MINED and _NEAR_MINED above).
    mined: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: MappingProxyType(
            {f: _MINED[f] | _NEAR_MINED[f] for f in FRAME_NAMES}
        )
    )
    # Verbs of action or appearance that annotators mark but that are no one's statement.
    not_speech: frozenset[str] = _words(
        "seem appear look vote like aim decide seek order restrict name publish contrast "
        "distance sound pivot side title email issue list convince demonstrate"
    )
    # Verbs whose content is their direct object (+ "of"/"for" phrase) rather than a clause.
    object_content: frozenset[str] = _words(
        "accuse blame criticize criticise praise thank condemn denounce slam blast decry deride "
        "attack rebuke refute reject deny dismiss mock ridicule announce describe characterize "
        "label dub call confirm reveal disclose acknowledge admit propose demand request cite "
        "castigate lambast scold chide smear disparage assail berate excoriate mention term "
        "repeat restate echo relay"
    )
    # (lemma, frame) pairs outside the frames that PolNeAR train annotators still mark as cues
    # ("wants to triple the size of AmeriCorps", "see the program as an easier way", "support
    # the regulations"): too often no one's statement to be cues on their own, so a statement
    # one of them introduces is an indirect or mixed one that the statement model
    # (`claimgraph.extract.confidence`) weighs like every other, and a quotation never takes
    # one as its cue. The shipped table comes inside the statement model's file
    # ("weighed_cues"), since the model was trained on the statements it finds:
    # scripts/train_statements.py mines it with `weighed_frames` and writes both.
    weighed: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: _frames()  # none unless given
    )
    # Verbs of putting out a document: "X released its report" makes X the report's owner
    # (speakers) and a sentence about it X's relayed saying (link step).
    publishing: frozenset[str] = _words("release publish issue unveil")
    # Other verbs that issue a document ("put out a statement", "sent a letter").
    issuing_extra: frozenset[str] = _words("put send post circulate")
    # Judgement and restatement verbs outside the classes that still mark a narrated sentence
    # as relaying someone's position (link step: `claimgraph.claims.run.relayed_by`).
    judging: frozenset[str] = _words(
        "restate reaffirm assess determine designate brand recognize recognise classify"
    )
    # Nouns of speech and belief whose that-clause is attributed content: "his claim that S".
    speech_nouns: frozenset[str] = _words(
        "claim assertion contention allegation suggestion argument statement warning concern "
        "fear promise pledge belief insistence accusation denial announcement assurance "
        "admission charge complaint prediction vow threat hope expectation view"
    )
    # Documents that carry their issuer's words ("a statement saying …").
    document_nouns: frozenset[str] = _words(
        "statement report letter document release communique study survey poll post"
    )
    # Where and when something was said, not what ("criticized the plan in a statement on
    # Monday"); the document nouns are settings too.
    setting_extra: frozenset[str] = _words(
        "interview speech tweet rally conference meeting hearing debate event appearance "
        "broadcast show program briefing session forum address remarks op-ed column"
    )
    # Speech events whose speaker speaks through them ("said at a news conference
    # announcing …").
    occasions: frozenset[str] = _words(
        "conference briefing event rally speech interview appearance hearing meeting "
        "session forum call"
    )
    # Subjects of "prove", "show", "tell" that are nobody: the rhetoric of "facts have proved
    # that …" / "history shows that …" (the speaker whose statement holds it is the voice).
    evidence_subjects: frozenset[str] = _words("fact reality truth history practice experience")
    # Verbs whose object does what their infinitive says: "forced Stumpf to admit …", "has led
    # the journalist to fear …".
    object_control: frozenset[str] = _words("force lead urge persuade convince pressure press push")
    # "X is said / reported / believed to V": a hedge on X's own act, not a report by anyone
    # named.
    raising: frozenset[str] = _words("say report believe think understand know rumor rumour expect")
    # Verbs that report the words around them as said ("…, he said, …"); `say_like` the ones
    # that also take a bare answer ("said yes") or no object at all.
    say_like_all: frozenset[str] = _words(
        "say add tell note write argue explain insist stress warn claim allege accuse deny "
        "suggest acknowledge complain"
    )
    say_like: frozenset[str] = _words(
        "say add tell note write argue explain insist stress continue"
    )
    # Verbs whose "to" phrase names the addressee ("wrote to the minister", "spoke to
    # reporters"), verbs of response, and verbs whose object is whom they address.
    to_whom: frozenset[str] = _words("write speak talk complain explain appeal send tweet post")
    response_verbs: frozenset[str] = _words("respond reply react answer")
    addressee_verbs: frozenset[str] = _words("tell inform brief assure remind ask thank email")
    # Verbs of "As X reported, S" / "S, as X noted".
    as_lemmas: frozenset[str] = _words(
        "report note say write tell point explain describe mention argue show predict reveal "
        "confirm detail document disclose recount acknowledge admit"
    )
    # Verbs of naming: "what it terms 'training centers'" (the name is the content).
    naming: frozenset[str] = _words("term call dub label brand describe characterize")
    # Verbs of designation, cues whatever their frame ("declared X a terrorist group").
    designating: frozenset[str] = _words("declare designate")
    # Nouns "say" takes as its object in idioms: "said goodbye to", "said grace before …".
    not_misread: frozenset[str] = _words("goodbye hello grace amen thanks sorry farewell")
    # Verbs whose object is an allegation: in "accusations that China hotly disputes" the
    # "that" is their object (a relative clause), not the content of the accusations.
    takes_allegation: frozenset[str] = _words(
        "dispute deny reject dismiss refute rebut contest make level raise face repeat echo "
        "investigate examine support hear receive publish consider accept take"
    )
    # Verbs that put a speech noun into words: "expressed concern that …", "made the claim".
    holding_verbs: frozenset[str] = _words("express voice raise issue make repeat reiterate offer")
    # Phrasal verbs that introduce a quotation though their verb alone does not speak:
    # '"…," Trump went on', '"…," she shot back' (`claimgraph.extract.quote_cues`).
    quote_phrasal: frozenset[tuple[str, str]] = frozenset(
        [("go", "on"), ("shoot", "back"), ("fire", "back"), ("chime", "in"), ("pipe", "up")]
    )
    # Participles of speech the tagger reads as nouns ("took a swipe at X, writing, “…”"): a
    # verb where it heads a clause of its own (`claimgraph.extract.quote_cues`).
    speech_ing: frozenset[str] = _words("writing saying adding telling noting tweeting posting")
    # Headline verbs of attack and rebuttal beside the cue lemmas ("Clinton Cash Debunks
    # Hillary", "Bernie Sanders Pins …"; `claimgraph.extract.roles`).
    headline_extra: frozenset[str] = _words("debunk pin rip bash hit knock back torch trash roast")
    # Verbs whose quotation right after them is a name, not speech ("called it “genocide”"),
    # and the verbs a short quotation needs to count as speech (`claimgraph.extract.statements`).
    quote_naming: frozenset[str] = _words("call term dub label describe brand")
    quote_saying: frozenset[str] = _words("say add tell note stress insist explain argue")
    # Verbs whose complement is the label an outlet or speaker gives a contested thing ("what
    # it terms 'training centers'"; `claimgraph.extract.terms`).
    term_naming: frozenset[str] = _words(
        "call term describe dub label brand characterize characterise refer"
    )
    # Verbs that report a figure beside the classes ("restated that 43 were killed";
    # `claimgraph.extract.numbers`).
    figure_reporting: frozenset[str] = _words("restate reaffirm allege accuse charge")

    def __post_init__(self) -> None:
        weighed = {f: frozenset(self.weighed.get(f, ())) for f in FRAME_NAMES}
        object.__setattr__(self, "weighed", MappingProxyType(weighed))

    def __reduce__(self) -> tuple[Any, ...]:
        # MappingProxyType does not pickle: rebuild from plain dicts
        state = {
            name: dict(value) if isinstance(value, Mapping) else value
            for name, value in self.__dict__.items()
            if name in self.__dataclass_fields__
        }
        return (_rebuild, (state,))

    @cached_property
    def classes(self) -> Mapping[str, str]:
        """lemma -> class; later classes win over "neutral" where a verb appears twice."""
        out: dict[str, str] = {}
        for cls in CLASSES:
            for lemma in sorted(getattr(self, cls)):
                if cls != NEUTRAL or lemma not in out:
                    out[lemma] = cls
        return MappingProxyType(out)

    @cached_property
    def frames(self) -> Mapping[str, frozenset[str]]:
        """Frame -> the lemmas that introduce attributed content in it on their own."""
        speech = frozenset(self.classes) - self.belief
        return MappingProxyType(
            {
                # "believe that S" falls just short of the mining threshold but is an
                # attributed belief as often as "think" (+0.2 F1 on train)
                "ccomp": (self.mined["ccomp"] | speech | {"believe"}) - self.not_speech,
                "xcomp": self.mined["xcomp"] - self.not_speech,
                # "declared victory / an emergency" is an act, not a statement
                "dobj": (self.mined["dobj"] | self.object_content) - self.not_speech - {"declare"},
                "other": self.mined["other"] - self.not_speech,
            }
        )

    @cached_property
    def cue_lemmas(self) -> frozenset[str]:
        """The lemmas that are cues in some frame on their own."""
        return frozenset().union(*self.frames.values())

    @cached_property
    def weighed_lemmas(self) -> frozenset[str]:
        return frozenset().union(*self.weighed.values())

    @cached_property
    def issuing(self) -> frozenset[str]:
        return self.publishing | self.issuing_extra

    @cached_property
    def setting_nouns(self) -> frozenset[str]:
        return self.document_nouns | self.setting_extra

    def verb_class(self, lemma: str, particle: str | None = None) -> str:
        """Class of a reporting verb given its lemma (and particle for phrasal verbs); verbs
        outside the lexicon are neutral."""
        lemma = lemma.lower()
        if particle is not None and (lemma, particle.lower()) in self.phrasal:
            return self.phrasal[(lemma, particle.lower())]
        return self.classes.get(lemma, NEUTRAL)

    def is_cue(self, lemma: str, frame: str, *, weighed: bool = True) -> bool:
        """Does ``lemma`` introduce attributed content in ``frame`` (ccomp/xcomp/dobj/other),
        on its own (`frames`) or, unless ``weighed`` is false, as a candidate the statement
        model weighs (`weighed`)?"""
        return lemma in self.frames[frame] or (weighed and lemma in self.weighed[frame])

    def may_report(self, lemma: str) -> bool:
        """Is ``lemma`` a cue in some frame (the verbs `reported` looks at)?"""
        return lemma in self.cue_lemmas or lemma in self.weighed_lemmas

    def with_weighed(self, table: Mapping[str, Iterable[str]]) -> ReportingLexicon:
        """This lexicon with ``table`` (frame -> lemmas) as its weighed cues: training mines
        each cross-validation fold's own table from the other folds
        (scripts/train_statements.py)."""
        return replace(self, weighed={f: frozenset(v) for f, v in table.items()})


def _rebuild(state: dict[str, Any]) -> ReportingLexicon:
    fields: dict[str, Any] = {
        k: MappingProxyType(v) if isinstance(v, dict) else v for k, v in state.items()
    }
    return ReportingLexicon(**fields)


@lru_cache(maxsize=1)
def default_lexicon() -> ReportingLexicon:
    """The package's lexicon: the lists above and the shipped statement model's weighed cues
    (none without the model file). Built once per process."""
    from .confidence import shipped_model  # it imports this module

    model = shipped_model()
    lexicon = ReportingLexicon()
    return lexicon.with_weighed(model.weighed_cues) if model is not None else lexicon


def verb_class(lemma: str, particle: str | None = None) -> str:
    """`ReportingLexicon.verb_class` of the default lexicon."""
    return default_lexicon().verb_class(lemma, particle)


def weighed_frames(
    counts: Mapping[tuple[str, str], list[int]],
    min_count: int,
    min_rate: float,
    lexicon: ReportingLexicon | None = None,
) -> dict[str, frozenset[str]]:
    """A weighed-cue table from `count_cue_frames` statistics: the pairs marked as cues
    ``min_count`` times and at ``min_rate`` of their occurrences outside quotation marks, less
    those the lexicon's frames have, verbs of action or appearance (``not_speech``) and lemmas
    not all letters."""
    lex = lexicon or ReportingLexicon()
    out: dict[str, set[str]] = {frame: set() for frame in FRAME_NAMES}
    for (lemma, frame), (cues, n) in counts.items():
        if (
            cues >= min_count
            and cues >= min_rate * n
            and lemma.isalpha()
            and lemma not in lex.not_speech
            and lemma not in lex.frames[frame]
        ):
            out[frame].add(lemma)
    return {frame: frozenset(lemmas) for frame, lemmas in out.items()}


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
