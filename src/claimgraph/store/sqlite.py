"""SQLite backend: WAL mode, one writer, every article written in one transaction."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..extract.records import Extraction
from ..ingest.base import RawArticle
from .rows import (
    ARTICLE_COLUMNS,
    CANDIDATE_FIELDS,
    CUE_COLUMNS,
    CUE_LEAD_SQL,
    LINK_ROW_ORDER,
    LINK_TABLES,
    MEMBER_FIELDS,
    STATEMENT_COLUMNS,
    STATEMENT_SQL_COLUMNS,
    TERM_COLUMNS,
    TOPICS_MIGRATION,
    article_row,
    candidate_view,
    centroid_views,
    claim_view,
    claims_sql,
    extraction_rows,
    insert_sql,
    link_read_sql,
    link_rows,
    link_sql,
    member_context_sql,
    member_via_sql,
    metadata_values,
    topic_rows,
    topic_sql,
    topics_sql,
)
from .rows import now as _now
from .schema import load_migrations, split_statements
from .search import SQLiteSearch

__all__ = ["ARTICLE_COLUMNS", "CANDIDATE_FIELDS", "MEMBER_FIELDS", "STATEMENT_COLUMNS"]


def open_store(db: str | Path, *, readonly: bool = False) -> SQLiteStore:
    """Open (and migrate) the store at `db`."""
    return SQLiteStore(db, readonly=readonly)


SQLITE_READS = link_read_sql("")


def _wal(conn: sqlite3.Connection, wait: float = 30.0) -> None:
    """Switch to write-ahead logging. Processes that open one new database at the same moment
    race for the switch, and SQLite answers the loser "database is locked" at once, whatever
    the busy timeout: it waits and tries again, as a write would."""
    deadline = time.monotonic() + wait
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SQLiteStore(SQLiteSearch):
    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        try:
            if readonly:
                if not Path(self.path).exists():
                    raise StoreError(
                        f"database not found: {self.path}; run 'claimgraph analyze' first"
                    )
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None)
            else:
                parent = Path(self.path).resolve().parent
                if not parent.is_dir():
                    raise StoreError(
                        f"cannot create database {self.path}: folder {parent} does not exist"
                    )
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
                _wal(self.conn)
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.execute("PRAGMA busy_timeout=30000")
            self.conn.row_factory = sqlite3.Row
            if not readonly:
                self._migrate()
            else:
                self._check_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"cannot open database {self.path}: {exc}; is it a claimgraph database?"
            ) from exc

    # -- schema -----------------------------------------------------------------------
    def _migrate(self) -> None:
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.conn.execute("SELECT version FROM schema_migrations")}
        for mig in load_migrations():
            if mig.version in done:
                continue
            with self.transaction():  # BEGIN IMMEDIATE: one process migrates at a time
                # another process may have applied it since the read above: look again,
                # holding the write lock
                if self.conn.execute(
                    "SELECT 1 FROM schema_migrations WHERE version = ?", (mig.version,)
                ).fetchone():
                    continue
                for stmt in split_statements(mig.sql):
                    self.conn.execute(stmt)
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                    (mig.version, mig.name, _now()),
                )

    def _check_schema(self) -> None:
        try:
            self.conn.execute("SELECT version FROM schema_migrations").fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"{self.path} is not a claimgraph database (no schema_migrations table)"
            ) from exc

    def schema_versions(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT version FROM schema_migrations ORDER BY 1")]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def link_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Held while one process links this store; another waits for it (``on_wait`` is
        called first). An exclusive lock on ``<database>.link-lock`` beside the database, which
        the operating system releases however the holder ends."""
        import fcntl

        with open(self.path + ".link-lock", "a+b") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    # -- runs and files -----------------------------------------------------------------
    def begin_run(self, args: dict[str, Any]) -> int:
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO runs (started_at, args) VALUES (?, ?)", (_now(), json.dumps(args))
            )
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        with self.transaction():
            self.conn.execute(
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
            self.conn.execute(
                "INSERT INTO failures (run_id, source, reason, created_at) VALUES (?, ?, ?, ?)",
                (run_id, source, reason, _now()),
            )

    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT run_id, source, reason, created_at FROM failures"
        rows = (
            self.conn.execute(sql + " WHERE run_id=? ORDER BY id", (run_id,))
            if run_id is not None
            else self.conn.execute(sql + " ORDER BY id")
        )
        return [dict(r) for r in rows]

    def file_unchanged(self, path: str, fingerprint: str) -> int | None:
        """Number of articles the file gave last time, if it was fully processed unchanged."""
        row = self.conn.execute(
            "SELECT n_articles FROM input_files WHERE path=? AND fingerprint=?", (path, fingerprint)
        ).fetchone()
        return None if row is None else int(row[0])

    def record_file(self, path: str, fingerprint: str, n_articles: int) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO input_files (path, fingerprint, n_articles, processed_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT(path) DO UPDATE SET"
                " fingerprint=excluded.fingerprint, n_articles=excluded.n_articles,"
                " processed_at=excluded.processed_at",
                (path, fingerprint, n_articles, _now()),
            )

    def file_fingerprint(self, path: str) -> str | None:
        """The fingerprint the input file was recorded with (`pipeline`), None if never."""
        row = self.conn.execute(
            "SELECT fingerprint FROM input_files WHERE path=?", (path,)
        ).fetchone()
        return None if row is None else str(row[0])

    # -- metadata corrections (sidecar, --outlets) and --force re-reads -------------------
    def _first_source(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT source FROM article_sources WHERE article_id=?"
            " ORDER BY added_at, source LIMIT 1",
            (article_id,),
        ).fetchone()
        return None if row is None else str(row[0])

    def _outlet_row(self, name: str | None) -> tuple[Any, ...] | None:
        if not name:
            return None
        row = self.conn.execute(
            "SELECT domain, country, type, labels FROM outlets WHERE name=?", (name,)
        ).fetchone()
        return None if row is None else tuple(row)

    def update_metadata(self, article_id: str, raw: RawArticle) -> bool:
        """Apply the metadata of a re-read input (a new or edited sidecar, an --outlets
        table) to a stored article, without touching what was extracted from its text. Only
        the article's first source speaks for it (a copy read from another file does not
        overwrite it). True if the article's metadata or its outlet's details changed."""
        if self._first_source(article_id) != raw.source:
            return False
        values = metadata_values(raw)
        cols = ", ".join(values)
        row = self.conn.execute(f"SELECT {cols} FROM articles WHERE id=?", (article_id,)).fetchone()
        if row is None:
            return False
        changed = tuple(row) != tuple(values.values())
        outlet_before = self._outlet_row(values["outlet"])
        with self.transaction() as c:
            if changed:
                sets = ", ".join(f"{k}=?" for k in values)
                c.execute(f"UPDATE articles SET {sets} WHERE id=?", (*values.values(), article_id))
                c.execute(
                    "UPDATE articles_fts SET title=? WHERE article_id=?",
                    (values["title"] or "", article_id),
                )
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
        with self.transaction() as c:
            for table in ("claim_members", "claim_candidates", "linked_articles"):
                c.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
            c.execute(
                "DELETE FROM statements_fts WHERE statement_id IN"
                " (SELECT id FROM statements WHERE article_id=?)",
                (article_id,),
            )
            for table in ("statements", "cues", "term_uses"):
                c.execute(f"DELETE FROM {table} WHERE article_id=?", (article_id,))
            sets = ", ".join(f"{k}=?" for k in values)
            c.execute(f"UPDATE articles SET {sets} WHERE id=?", (*values.values(), article_id))
            c.execute(
                "UPDATE articles_fts SET title=?, text=? WHERE article_id=?",
                (title or "", raw.text, article_id),
            )
            c.execute(
                "INSERT OR IGNORE INTO article_sources VALUES (?, ?, ?, ?)",
                (article_id, raw.source, raw.fmt, _now()),
            )
            self._upsert_outlet(raw)
            self._write_extraction(article_id, extraction)

    # -- articles ---------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone()
        return row is not None

    def add_source(self, article_id: str, source: str, fmt: str) -> bool:
        """Record another source of a stored article. True if it was new."""
        with self.transaction():
            cur = self.conn.execute(
                "INSERT OR IGNORE INTO article_sources VALUES (?, ?, ?, ?)",
                (article_id, source, fmt, _now()),
            )
        return cur.rowcount > 0

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
        with self.transaction() as c:
            c.execute(insert_sql("articles", ARTICLE_COLUMNS, "?"), row)
            c.execute(
                "INSERT INTO article_sources VALUES (?, ?, ?, ?)",
                (article_id, raw.source, raw.fmt, at),
            )
            c.execute(
                "INSERT INTO articles_fts (article_id, title, text) VALUES (?, ?, ?)",
                (article_id, title or "", raw.text),
            )
            self._upsert_outlet(raw)
            self._write_extraction(article_id, extraction)

    def _upsert_outlet(self, raw: RawArticle) -> None:
        name = raw.get("outlet")
        if not name:
            return
        info = raw.outlet_info
        self.conn.execute(
            "INSERT INTO outlets (name, domain, country, type, labels) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(name) DO UPDATE SET domain=coalesce(excluded.domain, domain),"
            " country=coalesce(excluded.country, country), type=coalesce(excluded.type, type),"
            " labels=coalesce(excluded.labels, labels)",
            (name, info.get("domain"), info.get("country"), info.get("type"), info.get("labels")),
        )

    def _write_extraction(self, article_id: str, ex: Extraction) -> None:
        rows = extraction_rows(article_id, ex)
        c = self.conn
        c.executemany(insert_sql("statements", STATEMENT_SQL_COLUMNS, "?"), rows.statements)
        c.executemany(
            "INSERT INTO statements_fts (statement_id, speaker, text) VALUES (?, ?, ?)",
            [
                (r[0], st.speaker or "", st.text)
                for r, st in zip(rows.statements, ex.statements, strict=True)
            ],
        )
        c.executemany(insert_sql("cues", CUE_COLUMNS, "?"), rows.cues)
        c.executemany(insert_sql("term_uses", TERM_COLUMNS, "?"), rows.terms)

    # -- reading ----------------------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in {
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
        }:
            raise ValueError(f"unknown table {table}")
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def articles(self) -> Iterator[dict[str, Any]]:
        """Articles with their sources (joined by '; ' in first-seen order)."""
        sql = (
            "SELECT a.*, (SELECT group_concat(source, '; ') FROM"
            " (SELECT source FROM article_sources s WHERE s.article_id=a.id ORDER BY added_at, source))"
            " AS sources, o.country AS outlet_country, o.type AS outlet_type"
            " FROM articles a LEFT JOIN outlets o ON o.name=a.outlet ORDER BY a.ingested_at, a.id"
        )
        for row in self.conn.execute(sql):
            yield dict(row)

    def _first_source_sql(self) -> str:
        return (
            "(SELECT source FROM article_sources s WHERE s.article_id=a.id"
            " ORDER BY added_at, source LIMIT 1)"
        )

    def statements(self, article_id: str | None = None) -> Iterator[dict[str, Any]]:
        sql = (
            f"SELECT st.*, {self._first_source_sql()} AS source, a.outlet AS outlet,"
            f" {CUE_LEAD_SQL} AS cue_lead FROM statements st JOIN articles a ON a.id=st.article_id"
        )
        params: Sequence[Any] = ()
        if article_id is not None:
            sql += " WHERE st.article_id=?"
            params = (article_id,)
        sql += " ORDER BY a.ingested_at, a.id, st.idx"
        for row in self.conn.execute(sql, params):
            yield dict(row)

    def cues(self) -> Iterator[dict[str, Any]]:
        sql = (
            f"SELECT c.*, {self._first_source_sql()} AS source, a.outlet AS outlet,"
            " st.speaker AS speaker FROM cues c JOIN articles a ON a.id=c.article_id"
            " LEFT JOIN statements st ON st.id=c.statement_id ORDER BY a.ingested_at, a.id, c.idx"
        )
        for row in self.conn.execute(sql):
            yield dict(row)

    def term_uses(self) -> Iterator[dict[str, Any]]:
        sql = (
            f"SELECT t.*, {self._first_source_sql()} AS source, a.outlet AS outlet"
            " FROM term_uses t JOIN articles a ON a.id=t.article_id ORDER BY a.ingested_at, a.id, t.idx"
        )
        for row in self.conn.execute(sql):
            yield dict(row)

    def search_articles(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search (FTS5). The query is passed as quoted terms: no FTS syntax injection."""
        terms = [t for t in query.split() if t]
        if not terms:
            return []
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.conn.execute(
            "SELECT article_id, title, snippet(articles_fts, 2, '[', ']', '…', 12) AS snippet"
            " FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        return [dict(r) for r in rows]

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- claims (written by the link step, claimgraph.claims.run) ---------------------------
    def _has_claims(self) -> bool:
        """False for a store opened read-only before migration 2: it has no claims yet."""
        return 2 in self.schema_versions()

    def claims(self) -> Iterator[dict[str, Any]]:
        """Claims, largest first: claim_id, label, key_terms (list), n_members, and the
        claim's topic (topic_id, topic: its label; None until topics are assigned)."""
        if not self._has_claims():
            return
        for row in self.conn.execute(claims_sql(self.schema_versions())):
            yield claim_view(row)

    def claim_members(
        self, claim_id: str | None = None, *, context: int = 0
    ) -> Iterator[dict[str, Any]]:
        """Members of one claim (or all), with the article's first source and outlet; with
        ``context``, up to that many characters of the article before and after the
        member's words (context_before, context_after)."""
        if not self._has_claims():
            return
        around = f" {member_context_sql(context, 'max')}," if context > 0 else ""
        sql = (
            "SELECT m.member_id, m.claim_id, m.article_id, m.statement_id,"
            f" {self._first_source_sql()} AS source, a.outlet AS outlet, m.voice, m.speaker,"
            f' m.stance, m.text, m.start, m."end", m.similarity,{around}'
            f" {member_via_sql(self.schema_versions())}"
            " FROM claim_members m JOIN articles a ON a.id=m.article_id"
        )
        params: Sequence[Any] = ()
        if claim_id is not None:
            sql += " WHERE m.claim_id=?"
            params = (claim_id,)
        sql += " ORDER BY m.claim_id, m.article_id, m.start, m.member_id"
        for row in self.conn.execute(sql, params):
            yield dict(row)

    def topics(self) -> Iterator[dict[str, Any]]:
        """Topics, largest first: topic_id, label, key_terms (list), n_claims, n_members;
        none before migration 6 or before the link step assigned them."""
        if TOPICS_MIGRATION not in self.schema_versions():
            return
        for row in self.conn.execute(topics_sql()):
            yield claim_view(row)

    def write_topics(self, topics: Sequence[dict[str, Any]]) -> None:
        """Replace every topic and claim's topic in one transaction (`rows.topic_rows`)."""
        rows, links = topic_rows(topics, _now())
        insert_topic, insert_link = topic_sql("?")
        try:
            with self.transaction() as c:
                c.execute("DELETE FROM claim_topics")
                c.execute("DELETE FROM topics")
                c.executemany(insert_topic, rows)
                c.executemany(insert_link, links)
        except sqlite3.IntegrityError as exc:
            raise StoreError(
                f"cannot store topics in {self.path}: {exc}; was 'claimgraph link' running? "
                "Rerun it"
            ) from exc

    def articles_to_link(self, *, all_articles: bool = False) -> Iterator[dict[str, Any]]:
        """id, outlet, title, published, text of the articles the link step has not gathered units from yet
        (of every article with ``all_articles``), by id: the batches a run links are the same
        whenever the articles were stored."""
        sql = "SELECT a.id, a.outlet, a.title, a.published, a.text FROM articles a"
        if not all_articles:
            sql += " WHERE NOT EXISTS (SELECT 1 FROM linked_articles l WHERE l.article_id=a.id)"
        for row in self.conn.execute(sql + " ORDER BY a.id"):
            yield dict(row)

    def claim_centroids(self) -> Iterator[dict[str, Any]]:
        """The link step's view of each claim (`rows.centroid_views`)."""
        counts = self.conn.execute(SQLITE_READS["member_counts"])
        yield from centroid_views(counts, self.conn.execute(SQLITE_READS["centroids"]))

    def claim_candidates(self) -> Iterator[dict[str, Any]]:
        """Units no other unit has joined yet (terms as a list), in candidate id order."""
        for row in self.conn.execute(SQLITE_READS["candidates"]):
            yield candidate_view(row)

    def write_actors(self, actors: dict[str, str]) -> None:
        """Replace the speaker -> actor map (`claimgraph.link.actors`) in one transaction."""
        with self.transaction() as c:
            c.execute("DELETE FROM speaker_actors")
            c.executemany(
                "INSERT INTO speaker_actors (speaker, actor) VALUES (?, ?)", actors.items()
            )

    def write_links(
        self,
        *,
        claims: Sequence[dict[str, Any]],
        members: Sequence[dict[str, Any]],
        candidates: Sequence[dict[str, Any]],
        drop_candidates: Sequence[str],
        linked: Sequence[tuple[str, int]],
        replace: bool = False,
    ) -> None:
        """Apply one link run atomically. ``claims`` are new (``new`` true) or grown ones;
        ``replace`` first empties every claims table (a full relink)."""
        rows = link_rows(
            claims=claims, members=members, candidates=candidates, linked=linked, at=_now()
        )
        sql = link_sql("?")
        try:
            with self.transaction() as c:
                if replace:
                    for table in LINK_TABLES:
                        c.execute(f"DELETE FROM {table}")
                c.executemany(
                    "DELETE FROM claim_candidates WHERE candidate_id=?",
                    [(k,) for k in drop_candidates],
                )
                for what in LINK_ROW_ORDER:
                    c.executemany(sql[what], getattr(rows, what))
        except sqlite3.IntegrityError as exc:
            raise StoreError(
                f"cannot store claims in {self.path}: {exc}; was another 'claimgraph link' "
                "running? Rerun it"
            ) from exc
