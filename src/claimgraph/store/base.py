"""The store's methods, written once for both backends.

`SqlStore` holds every method whose SQL both dialects share, written with ``?`` placeholders
(links.py adds those of the link step's tables). A backend (sqlite.py, postgres.py) supplies
its connection and the hooks below: how a statement runs (`_execute`, `_executemany`,
`_stream`), transactions and the migration lock, the id of an inserted row, emptying tables,
full-text index upkeep, and the `Dialect` (placeholders, collation, column types)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any

from ..extract.records import Extraction
from ..extract.verbs import negated_lead
from ..ingest.base import RawArticle
from .articles import _IDS_PER_QUERY, ArticleReads, Flags
from .rows import (
    ARTICLE_COLUMNS,
    CUE_COLUMNS,
    CUE_LEAD_SQL,
    STATEMENT_SQL_COLUMNS,
    TERM_COLUMNS,
    ExtractionRows,
    article_row,
    extraction_rows,
    insert_sql,
    metadata_values,
)
from .rows import now as _now
from .schema import Dialect, load_migrations, split_statements
from .search import SearchMixin

# What `SqlStore.quoted_statements` reads of a statement, in this order (``outlet`` is its
# article's).
QUOTED_STATEMENT_COLUMNS = (
    "id",
    "article_id",
    "text",
    "kind",
    "speaker",
    "cue",
    "cue_class",
    "outlet",
)

# What `count` may count.
TABLES = (
    "articles",
    "article_sources",
    "statements",
    "cues",
    "term_uses",
    "failures",
    "outlets",
    "claims",
    "claim_members",
    "topics",
)


class SqlStore(ArticleReads, SearchMixin):
    """One store over a DB-API connection; the backends fill in the hooks."""

    dialect: Dialect
    label: str  # the store as messages name it
    conn: Any

    # -- backend hooks ------------------------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders); the driver's cursor."""
        raise NotImplementedError

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """The rows of a query as dicts, read as the caller goes."""
        raise NotImplementedError

    def _stream_tuples(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """The column names of a query (a tuple), then its rows as plain tuples, read as the
        caller goes: for big reads, where a dict a row costs more than the query."""
        raise NotImplementedError

    def _tuple_rows(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """`_stream_tuples` without the column names: the rows alone, in select order."""
        rows = self._stream_tuples(sql, params)
        next(rows)
        return rows

    def transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _migration_lock(self) -> AbstractContextManager[Any]:
        """Held around the whole migration run."""
        raise NotImplementedError

    def _migration_step(self) -> AbstractContextManager[Any]:
        """Held around each migration applied."""
        raise NotImplementedError

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT into a table with an `{autoid}` id; the new row's id."""
        raise NotImplementedError

    def _empty(self, tables: Sequence[str]) -> None:
        """Delete every row of `tables` (in that order: foreign keys point down the list)."""
        raise NotImplementedError

    def _integrity_error(self) -> type[Exception]:
        raise NotImplementedError

    def _sources_sql(self) -> str:
        """The select of an article's (``a``) sources joined by '; ', first seen first."""
        raise NotImplementedError

    def _star(self, alias: str, table: str) -> str:
        """The select list of every stored column of `table` as `alias` (no search vector)."""
        return f"{alias}.*"

    # Full-text index upkeep, where the index is not kept by the database itself.
    def _index_article(self, article_id: str, title: str, text: str) -> None:
        pass

    def _reindex_article(self, article_id: str, title: str, text: str | None = None) -> None:
        pass

    def _index_statements(self, rows: ExtractionRows, ex: Extraction) -> None:
        pass

    def _unindex_statements(self, article_id: str) -> None:
        pass

    # -- the shared SQL -----------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        return [dict(r) for r in self._execute(sql, list(params))]

    def _one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        row = self._execute(sql, params).fetchone()
        return None if row is None else dict(row)

    def _migrate(self) -> None:
        with self._migration_lock():
            self._execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = set(self.schema_versions())
            for mig in load_migrations(self.dialect):
                if mig.version in done:
                    continue
                with self._migration_step():
                    # another process may have applied it since the read above: look again,
                    # holding the lock
                    if self._one(
                        "SELECT 1 AS applied FROM schema_migrations WHERE version = ?",
                        (mig.version,),
                    ):
                        continue
                    for stmt in split_statements(mig.sql):
                        self._execute(stmt)  # DDL shipped in this package, no parameters
                    if mig.version == 11:
                        self._backfill_negated()
                    self._execute(
                        "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                        (mig.version, mig.name, _now()),
                    )

    def _backfill_negated(self) -> None:
        """Migration 11's second half, in its transaction: flag the statements already
        stored whose cue is negated, by the rule new statements are written with
        (`claimgraph.extract.verbs.negated_lead` over `CUE_LEAD_SQL`), which SQL alone cannot
        state in both dialects. Reads 30 characters a statement; keeps only the ids flagged."""
        ids = [
            (r["id"],)
            for r in self._stream(
                f"SELECT st.id, {CUE_LEAD_SQL} AS cue_lead FROM statements st"
                " JOIN articles a ON a.id = st.article_id WHERE st.cue_start IS NOT NULL"
            )
            if negated_lead(r["cue_lead"])
        ]
        self._executemany("UPDATE statements SET negated = 1 WHERE id = ?", ids)

    def schema_versions(self) -> list[int]:
        rows = self._execute("SELECT version FROM schema_migrations ORDER BY 1")
        return [int(r["version"]) for r in rows]

    def close(self) -> None:
        self.conn.close()

    # -- runs and files -----------------------------------------------------------------
    def begin_run(self, args: dict[str, Any]) -> int:
        with self.transaction():
            return self._insert_id(
                "INSERT INTO runs (started_at, args) VALUES (?, ?)", (_now(), json.dumps(args))
            )

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        with self.transaction():
            self._execute(
                "UPDATE runs SET finished_at=?, n_stored=?, n_unchanged=?, n_duplicate=?, n_failed=?"
                " WHERE id=?",
                (
                    _now(),
                    counts.get("stored", 0),
                    counts.get("unchanged", 0),
                    counts.get("duplicate", 0),
                    counts.get("failed", 0),
                    run_id,
                ),
            )

    def record_failure(self, run_id: int, source: str, reason: str) -> None:
        with self.transaction():
            self._execute(
                "INSERT INTO failures (run_id, source, reason, created_at) VALUES (?, ?, ?, ?)",
                (run_id, source, reason, _now()),
            )

    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT run_id, source, reason, created_at FROM failures"
        if run_id is not None:
            return self._rows(sql + " WHERE run_id=? ORDER BY id", (run_id,))
        return self._rows(sql + " ORDER BY id")

    def file_unchanged(self, path: str, fingerprint: str) -> int | None:
        """Number of articles the file gave last time, if it was fully processed unchanged."""
        row = self._one(
            "SELECT n_articles FROM input_files WHERE path=? AND fingerprint=?", (path, fingerprint)
        )
        return None if row is None else int(row["n_articles"])

    def record_file(self, path: str, fingerprint: str, n_articles: int) -> None:
        with self.transaction():
            self._execute(
                "INSERT INTO input_files (path, fingerprint, n_articles, processed_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET"
                " fingerprint=excluded.fingerprint, n_articles=excluded.n_articles,"
                " processed_at=excluded.processed_at",
                (path, fingerprint, n_articles, _now()),
            )

    def file_fingerprint(self, path: str) -> str | None:
        """The fingerprint the input file was recorded with (`pipeline`), None if never."""
        row = self._one("SELECT fingerprint FROM input_files WHERE path=?", (path,))
        return None if row is None else str(row["fingerprint"])

    # -- metadata corrections (sidecar, --outlets) and --force re-reads -------------------
    def _first_source(self, article_id: str) -> str | None:
        row = self._one(
            "SELECT source FROM article_sources WHERE article_id=?"
            f" ORDER BY added_at{self.dialect.collate}, source{self.dialect.collate} LIMIT 1",
            (article_id,),
        )
        return None if row is None else str(row["source"])

    def _outlet_row(self, name: str | None) -> tuple[Any, ...] | None:
        if not name:
            return None
        row = self._one("SELECT domain, country, type, labels FROM outlets WHERE name=?", (name,))
        return None if row is None else tuple(row.values())

    def update_metadata(self, article_id: str, raw: RawArticle) -> bool:
        """Apply the metadata of a re-read input (a new or edited sidecar, an --outlets
        table) to a stored article, without touching what was extracted from its text. Only
        the article's first source speaks for it (a copy read from another file does not
        overwrite it). True if the article's metadata or its outlet's details changed."""
        if self._first_source(article_id) != raw.source:
            return False
        values = metadata_values(raw)
        cols = ", ".join(values)
        row = self._one(f"SELECT {cols} FROM articles WHERE id=?", (article_id,))
        if row is None:
            return False
        changed = tuple(row.values()) != tuple(values.values())
        outlet_before = self._outlet_row(values["outlet"])
        with self.transaction():
            if changed:
                sets = ", ".join(f"{k}=?" for k in values)
                self._execute(
                    f"UPDATE articles SET {sets} WHERE id=?", (*values.values(), article_id)
                )
                self._reindex_article(article_id, values["title"] or "")
            self._upsert_outlet(raw)
        return changed or self._outlet_row(values["outlet"]) != outlet_before

    def replace_article(
        self,
        article_id: str,
        raw: RawArticle,
        extraction: Extraction,
        *,
        n_words: int,
        extractor_version: str,
    ) -> None:
        """Replace a stored article's metadata and everything extracted from it (analyze
        --force), atomically; its sources and first-ingest time stay. Its claim memberships
        go: the link step after a --force run relinks the whole store."""
        values = metadata_values(raw)
        values.update(
            text=raw.text, n_words=n_words, fmt=raw.fmt, extractor_version=extractor_version
        )
        title = values["title"]
        with self.transaction():
            for table in ("claim_members", "claim_candidates", "linked_articles"):
                self._execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
            self._unindex_statements(article_id)
            for table in ("statements", "cues", "term_uses"):
                self._execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
            sets = ", ".join(f"{k}=?" for k in values)
            self._execute(f"UPDATE articles SET {sets} WHERE id=?", (*values.values(), article_id))
            self._reindex_article(article_id, title or "", raw.text)
            self._add_source(article_id, raw.source, raw.fmt, _now())
            self._upsert_outlet(raw)
            self._write_extraction(article_id, extraction, raw.text)

    # -- articles ---------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        return self._one("SELECT 1 AS found FROM articles WHERE id=?", (article_id,)) is not None

    def _add_source(self, article_id: str, source: str, fmt: str, at: str) -> int:
        cur = self._execute(
            "INSERT INTO article_sources (article_id, source, fmt, added_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (article_id, source, fmt, at),
        )
        return int(cur.rowcount)

    def add_source(self, article_id: str, source: str, fmt: str) -> bool:
        """Record another source of a stored article. True if it was new."""
        with self.transaction():
            return self._add_source(article_id, source, fmt, _now()) > 0

    def write_article(
        self,
        article_id: str,
        raw: RawArticle,
        extraction: Extraction,
        *,
        n_words: int,
        extractor_version: str,
    ) -> None:
        """Write one article, its source and everything extracted from it, atomically."""
        at = _now()
        row = article_row(
            article_id, raw, n_words=n_words, extractor_version=extractor_version, at=at
        )
        title = row[ARTICLE_COLUMNS.index("title")]
        with self.transaction():
            self._execute(insert_sql("articles", ARTICLE_COLUMNS), row)
            self._execute(
                "INSERT INTO article_sources (article_id, source, fmt, added_at)"
                " VALUES (?, ?, ?, ?)",
                (article_id, raw.source, raw.fmt, at),
            )
            self._index_article(article_id, title or "", raw.text)
            self._upsert_outlet(raw)
            self._write_extraction(article_id, extraction, raw.text)

    def _upsert_outlet(self, raw: RawArticle) -> None:
        name = raw.get("outlet")
        if not name:
            return
        info = raw.outlet_info
        self._execute(
            "INSERT INTO outlets AS o (name, domain, country, type, labels)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET domain=coalesce(excluded.domain, o.domain),"
            " country=coalesce(excluded.country, o.country), type=coalesce(excluded.type, o.type),"
            " labels=coalesce(excluded.labels, o.labels)",
            (name, info.get("domain"), info.get("country"), info.get("type"), info.get("labels")),
        )

    def _write_extraction(self, article_id: str, ex: Extraction, text: str) -> None:
        rows = extraction_rows(article_id, ex, text)
        self._executemany(insert_sql("statements", STATEMENT_SQL_COLUMNS), rows.statements)
        self._index_statements(rows, ex)
        self._executemany(insert_sql("cues", CUE_COLUMNS), rows.cues)
        self._executemany(insert_sql("term_uses", TERM_COLUMNS), rows.terms)

    # -- reading ----------------------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table}")
        row = self._one(f"SELECT count(*) AS n FROM {table}")
        return int(row["n"]) if row else 0

    def _by_article(self) -> str:
        """ORDER BY keys of rows in their articles' stored order."""
        c = self.dialect.collate
        return f"a.ingested_at{c}, a.id{c}"

    def articles(self) -> Iterator[dict[str, Any]]:
        """Articles with their sources (joined by '; ' in first-seen order)."""
        sql = (
            f"SELECT {self._star('a', 'articles')}, {self._sources_sql()} AS sources,"
            " o.country AS outlet_country, o.type AS outlet_type"
            f" FROM articles a LEFT JOIN outlets o ON o.name=a.outlet ORDER BY {self._by_article()}"
        )
        return self._stream(sql)

    def _first_source_sql(self) -> str:
        c = self.dialect.collate
        return (
            "(SELECT s.source FROM article_sources s WHERE s.article_id=a.id"
            f" ORDER BY s.added_at{c}, s.source{c} LIMIT 1)"
        )

    def statements(self, article_id: str | None = None) -> Iterator[dict[str, Any]]:
        sql = (
            f"SELECT {self._star('st', 'statements')}, {self._first_source_sql()} AS source,"
            f" a.outlet AS outlet, {CUE_LEAD_SQL} AS cue_lead"
            " FROM statements st JOIN articles a ON a.id=st.article_id"
        )
        params: Sequence[Any] = ()
        if article_id is not None:
            sql += " WHERE st.article_id=?"
            params = (article_id,)
        return self._stream(sql + f" ORDER BY {self._by_article()}, st.idx", params)

    def quoted_statements(self, kinds: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """`QUOTED_STATEMENT_COLUMNS` of each statement whose kind is one of ``kinds``, in
        the order of `statements`, as tuples: what the quote variants read of a corpus
        (`claimgraph.analyze.variants`), without the other columns and without the article's
        first source, which `statements` looks up a row at a time (`first_sources` gives it
        for the few articles that need it)."""
        cols = ", ".join(
            "a.outlet" if c == "outlet" else f"st.{c}" for c in QUOTED_STATEMENT_COLUMNS
        )
        marks = ", ".join("?" * len(kinds))
        rows = self._stream_tuples(
            f"SELECT {cols} FROM statements st JOIN articles a ON a.id=st.article_id"
            f" WHERE st.kind IN ({marks}) ORDER BY {self._by_article()}, st.idx",
            tuple(kinds),
        )
        next(rows)
        return rows

    def first_sources(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """The first source of each of the articles named (the ``source`` that `statements`
        gives their rows), by article id; an unknown id is left out."""
        ids = sorted(set(article_ids))
        sql = (
            f"SELECT a.id, {self._first_source_sql()} FROM articles a"
            f" WHERE a.id IN {self._ids_sql()}"
        )
        found: dict[str, str | None] = {}
        for lo in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[lo : lo + _IDS_PER_QUERY]
            rows = self._stream_tuples(sql, (self._ids_param(chunk),))
            next(rows)
            found.update(rows)
        return found

    def statement_speakers(self) -> Iterator[dict[str, Any]]:
        """article_id, speaker, speaker_type, speaker_affiliation of every statement, in the
        order of `statements`: what `claimgraph.link.sides.Affiliations` reads of a corpus,
        without the texts."""
        return self._stream(
            "SELECT st.article_id, st.speaker, st.speaker_type, st.speaker_affiliation"
            " FROM statements st JOIN articles a ON a.id=st.article_id"
            f" ORDER BY {self._by_article()}, st.idx"
        )

    def speaker_rows(self) -> Iterator[tuple[Any, ...]]:
        """(article_id, speaker, speaker_type, speaker_affiliation) of the statements
        `statement_speakers` gives that name a speaker and either an affiliation or a
        country speaker, as plain tuples in the same order: all
        `claimgraph.link.sides.Affiliations` counts of a corpus."""
        rows = self._stream_tuples(
            "SELECT st.article_id, st.speaker, st.speaker_type, st.speaker_affiliation"
            " FROM statements st JOIN articles a ON a.id=st.article_id"
            " WHERE st.speaker <> '' AND (st.speaker_affiliation <> ''"
            " OR st.speaker_type = 'country')"
            f" ORDER BY {self._by_article()}, st.idx"
        )
        next(rows)
        return rows

    def article_records(
        self,
        *,
        skip: Flags | None = None,
        columns: Mapping[str, Sequence[str]] | None = None,
        cue_types: Sequence[str] | None = None,
    ) -> Iterator[tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]:
        """(article id, its statements, its cues, its term uses) for each article in stored
        order: the rows as stored (a statement with its ``cue_lead`` in a store opened
        read-only before migration 11), without the article's source and outlet that
        `statements`, `cues` and `term_uses` add (a third of the time to read them). The four
        streams share one order, so they are merged as they come: one article's rows in
        memory at a time, whatever the corpus size.

        ``skip``: a flag per article in stored order; a flagged article's rows are read past
        as plain tuples and given as empty lists (no dict is built for them). ``columns``:
        per table ("statements", "cues", "term_uses") the columns its rows hold (with
        ``article_id``), every one when the table is not named, none read when empty.
        ``cue_types``: the cues of those types only."""
        order = self._by_article()
        old = 11 not in self.schema_versions()
        ids = self._stream_tuples(f"SELECT a.id FROM articles a ORDER BY {order}")
        next(ids)
        streams: list[tuple[tuple[str, ...], Peek] | None] = []
        for table in ("statements", "cues", "term_uses"):
            cols = None if columns is None else columns.get(table)
            if cols is not None and not cols:
                streams.append(None)
                continue
            if cols is None:
                lead = f", {CUE_LEAD_SQL} AS cue_lead" if old and table == "statements" else ""
                select = f"x.*{lead.replace('st.', 'x.')}"
            else:
                select = ", ".join(
                    f"{CUE_LEAD_SQL.replace('st.', 'x.')} AS cue_lead"
                    if c == "cue_lead" and old
                    else f"x.{c}"
                    for c in dict.fromkeys(("article_id", *cols))
                )
            where = ""
            params: Sequence[Any] = ()
            if table == "cues" and cue_types is not None:
                where = f" WHERE x.type IN ({', '.join('?' * len(cue_types))})"
                params = tuple(cue_types)
            rows = self._stream_tuples(
                f"SELECT {select} FROM {table} x JOIN articles a ON a.id=x.article_id"
                f"{where} ORDER BY {order}, x.idx",
                params,
            )
            names = next(rows)
            streams.append((names, Peek(rows, names.index("article_id"))))
        for pos, (aid,) in enumerate(ids):
            want = skip is None or not skip[pos]
            got: list[list[dict[str, Any]]] = []
            for stream in streams:
                if stream is None:
                    got.append([])
                elif want:
                    names, peek = stream
                    got.append([dict(zip(names, r, strict=True)) for r in peek.take(aid)])
                else:
                    stream[1].skip(aid)
                    got.append([])
            yield aid, got[0], got[1], got[2]

    def cues(self) -> Iterator[dict[str, Any]]:
        """Cues with their article's source and outlet and, in a speaker's voice, the speaker."""
        sql = (
            f"SELECT c.*, {self._first_source_sql()} AS source, a.outlet AS outlet,"
            " st.speaker AS speaker FROM cues c JOIN articles a ON a.id=c.article_id"
            " LEFT JOIN statements st ON st.id=c.statement_id"
            f" ORDER BY {self._by_article()}, c.idx"
        )
        return self._stream(sql)

    def term_uses(self) -> Iterator[dict[str, Any]]:
        sql = (
            f"SELECT t.*, {self._first_source_sql()} AS source, a.outlet AS outlet"
            " FROM term_uses t JOIN articles a ON a.id=t.article_id"
            f" ORDER BY {self._by_article()}, t.idx"
        )
        return self._stream(sql)


class Peek:
    """A stream of rows in article order: dicts by default, or tuples whose ``at``-th field
    is the article id. `take(aid)` returns the next rows of `aid`; `skip(aid)` reads past
    them."""

    def __init__(self, rows: Iterator[Any], at: int | str = "article_id") -> None:
        self._it = rows
        self._at = at
        self._head: Any = next(self._it, None)

    def take(self, article_id: str) -> list[Any]:
        out = []
        at, it, head = self._at, self._it, self._head
        while head is not None and head[at] == article_id:
            out.append(head)
            head = next(it, None)
        self._head = head
        return out

    def skip(self, article_id: str) -> None:
        at, it, head = self._at, self._it, self._head
        while head is not None and head[at] == article_id:
            head = next(it, None)
        self._head = head
