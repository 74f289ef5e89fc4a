"""Python's cyclic garbage collector, tuned for the commands that parse many articles.

Parsing and linking allocate millions of short-lived objects (spaCy docs and tokens, rule
rows, dicts). With the default thresholds the collector runs a young-generation pass every 700
allocations, and every so often a full pass over everything alive, spaCy's models included.
`relax` raises the young-generation threshold to `YOUNG_THRESHOLD`: objects are still freed by
reference counting as soon as they are unused, only reference cycles wait longer; the claims
are the same (the time saved is in docs/benchmarks.md). The loaded model is not frozen out of
the collector's reach (`gc.freeze`): that changes the claims of later link batches (likely
floating point that depends on where arrays land in memory).

Only the CLI commands that parse (`analyze`, `link`) and the extraction workers call
`relax`: a program that imports claimgraph as a library keeps its own collector settings.
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000  # the default is 700


def relax() -> None:
    """Collect less often for the rest of this process."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, older, oldest)
