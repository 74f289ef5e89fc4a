"""Article parses handed from extraction to the link step.

The link step reads every unit (a statement's content, a narrated sentence) from a parse of its
article: the extraction workers parsed each article already, so `claimgraph analyze` keeps
those parses (`claimgraph.extract.parsebin`, in a `ParseSpill` for the run) and the link step
slices its units out of them instead of parsing them again. `claimgraph link` on its own, or
for articles whose parse was not kept, parses the articles
(`claimgraph.claims.caches.DocCache.articles`; on an engine's workers where it has some, which
hand the parses back in this form); the same article gives the same parse either way (NER,
which linking does not read, aside), so the claims do not depend on which path linked them.

A parse travels as one token array with the attributes the link step reads (tags, parse,
lemmas, morphology, sentence starts) and the strings they stand for
(`claimgraph.extract.parsebin`): about four times the article's text in bytes (compressed). The spill is one anonymous file in the system's temporary folder
(``TMPDIR``): created unlinked, so it has no name there and the operating system frees it when
the run ends however it ends (a run killed with SIGKILL leaves nothing behind); an index of
(offset, length) by article id stays in memory (a few dozen bytes per article). It holds the
parses of one run's new articles until they are linked.
"""

from __future__ import annotations

import tempfile
from typing import IO


class ParseSpill:
    """Parses by article id, on disk for the length of one run."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = tempfile.TemporaryFile(prefix="claimgraph-parses-")
        self._index: dict[str, tuple[int, int]] = {}
        self._end = 0

    def put(self, article_id: str, parse: bytes) -> None:
        """Keep ``parse``; a later parse of the same article replaces the earlier one."""
        if self._file is None:
            raise ValueError("the parse spill is closed")
        self._file.seek(self._end)
        self._file.write(parse)
        self._index[article_id] = (self._end, len(parse))
        self._end += len(parse)

    def get(self, article_id: str) -> bytes | None:
        where = self._index.get(article_id)
        if self._file is None or where is None:
            return None
        self._file.seek(where[0])
        return self._file.read(where[1])

    def __len__(self) -> int:
        return len(self._index)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
            self._index.clear()
