"""Typed records that the extractors yield. Offsets are character offsets into the article's
stored text (``doc.text``), end exclusive."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Statement kinds
DIRECT = "direct"  # the whole content is inside quotation marks
INDIRECT = "indirect"  # reported speech, no quotation marks
MIXED = "mixed"  # reported speech that contains a quoted part
PARTIAL = "partial"  # a quoted fragment inside the outlet's sentence

# Reporting-verb classes
NEUTRAL = "neutral"
ASSERTIVE = "assertive"
DISTANCING = "distancing"
ENDORSING = "endorsing"
ATTACKING = "attacking"


@dataclass(frozen=True)
class Statement:
    """A quote or a piece of reported speech with its speaker and cue."""

    kind: str
    start: int
    end: int
    text: str
    speaker: str | None = None  # canonical display name within the article
    speaker_mention: str | None = None  # the words that name the speaker here
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_type: str | None = None  # person, organisation, country, document, collective
    speaker_role: str | None = None  # official, spokesperson, politician, expert, ...
    speaker_title: str | None = None  # e.g. "Chinese Foreign Ministry spokesperson"
    speaker_affiliation: str | None = None  # organisation or country
    cue: str | None = None  # reporting verb or "according to"
    cue_start: int | None = None
    cue_end: int | None = None
    cue_class: str | None = None
    medium: str | None = None  # what the speaker spoke through: "statement", "letter", "post"
    via: str | None = None  # who relays it: "according to the Valley Weekly" after "X said"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


OUTLET_VOICE = "outlet"  # the outlet's own narration or headline
SPEAKER_VOICE = "speaker"  # inside a statement: the quoted or reported speaker's words


@dataclass(frozen=True)
class Cue:
    """A framing device as a span: scare quote, so-called, loaded label, ...

    Its `voice` follows from `statement_index`: a cue inside a statement's content is the
    speaker's framing, any other the outlet's own."""

    type: str  # scare_quote, so_called, distancing, loaded_label, name_calling, hedge,
    #            intensifier, numeric_claim, propaganda
    start: int
    end: int
    text: str
    technique: str | None = None  # SemEval-2020 Task 11 technique, if any
    statement_index: int | None = None  # index into Extraction.statements if inside one
    detail: dict[str, Any] | None = None  # e.g. numeric claim: count, unit, speaker

    @property
    def voice(self) -> str:
        return OUTLET_VOICE if self.statement_index is None else SPEAKER_VOICE

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "voice": self.voice}


@dataclass(frozen=True)
class TermUse:
    """One use of a contested term (a label with rivals for the same referent)."""

    term: str  # canonical label, e.g. "internment camps"
    variant: str  # the words as written
    start: int
    end: int
    voice: str  # "narrated" (outlet's own voice) or "quoted" (inside a statement)
    group: str | None = None  # the referent the rival labels share, e.g. "xinjiang camps"
    statement_index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Extraction:
    """Everything extracted from one article."""

    statements: list[Statement] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)
    terms: list[TermUse] = field(default_factory=list)
    # the article's parse, serialized (`claimgraph.extract.parsebin`), when asked for
    # (`ExtractOptions.keep_parse`): the link step reads its units from it; never stored
    parse: bytes | None = field(default=None, repr=False, compare=False)
