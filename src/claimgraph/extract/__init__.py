"""Per-article extractors: pure functions of a spaCy ``Doc`` yielding typed records."""

from .quotes import QuoteSpan, find_quotes
from .records import (
    ASSERTIVE,
    ATTACKING,
    DIRECT,
    DISTANCING,
    ENDORSING,
    INDIRECT,
    MIXED,
    NEUTRAL,
    PARTIAL,
    Cue,
    Extraction,
    Statement,
    TermUse,
)
from .statements import extract_statements
from .verbs import verb_class

__all__ = [
    "ASSERTIVE",
    "ATTACKING",
    "DIRECT",
    "DISTANCING",
    "ENDORSING",
    "INDIRECT",
    "MIXED",
    "NEUTRAL",
    "PARTIAL",
    "Cue",
    "Extraction",
    "QuoteSpan",
    "Statement",
    "TermUse",
    "extract_statements",
    "find_quotes",
    "verb_class",
]
