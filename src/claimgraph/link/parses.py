"""Article parses handed from extraction to the link step.

The link step reads every unit (a statement's content, a narrated sentence) from a parse of its
article: the extraction workers parsed each article already, so `claimgraph analyze` keeps
those parses (`claimgraph.extract.parsebin`, in a `ParseSpill` for the run) and the link step
slices its units out of them instead of parsing them again. `claimgraph link` on its own, or
for articles whose parse was not kept, parses the articles (`link.run.DocCache.articles`); the
same article gives the same parse either way (NER, which linking does not read, aside), so
the claims do not depend on which path linked them.

A parse travels as a `spacy.tokens.DocBin` of one doc with the attributes the link step reads
(tags, parse, lemmas, morphology, sentence starts): about three times the article's text in
bytes (compressed). The spill is a SQLite file in the system's temporary folder (``TMPDIR``),
deleted when the run ends; it holds the parses of one run's new articles until they are
linked.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path


class ParseSpill:
    """Parses by article id, on disk for the length of one run."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="claimgraph-parses-"))
        self._db: sqlite3.Connection | None = sqlite3.connect(self._dir / "parses.db")
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE parses (article_id TEXT PRIMARY KEY, parse BLOB NOT NULL)")

    def put(self, article_id: str, parse: bytes) -> None:
        if self._db is None:
            raise ValueError("the parse spill is closed")
        self._db.execute("INSERT OR REPLACE INTO parses VALUES (?, ?)", (article_id, parse))

    def get(self, article_id: str) -> bytes | None:
        if self._db is None:
            return None
        row = self._db.execute(
            "SELECT parse FROM parses WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else bytes(row[0])

    def __len__(self) -> int:
        if self._db is None:
            return 0
        return int(self._db.execute("SELECT count(*) FROM parses").fetchone()[0])

    @property
    def path(self) -> Path:
        return self._dir

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        shutil.rmtree(self._dir, ignore_errors=True)
