"""SQLite backend: WAL mode, one writer, every article written in one transaction; FTS5
tables kept beside the rows. The methods both backends share are in `base.SqlStore`."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..extract.records import Extraction
from .links import LinkedStore
from .rows import ExtractionRows
from .schema import SQLITE
from .search import SQLiteSearch


def open_store(db: str | Path, *, readonly: bool = False) -> SQLiteStore:
    """Open (and migrate) the store at `db`."""
    return SQLiteStore(db, readonly=readonly)


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


class SQLiteStore(SQLiteSearch, LinkedStore):
    dialect = SQLITE

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = self.label = str(path)
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

    # -- backend hooks (base.SqlStore) ---------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        # plain tuples zipped with the column names: a third cheaper than dict(sqlite3.Row),
        # and big reads (compare, the report) are millions of rows
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(sql, params)
        names = [d[0] for d in cur.description or ()]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    def _stream_tuples(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        cur = self.conn.cursor()
        cur.row_factory = None
        cur.execute(sql, params)
        yield tuple(d[0] for d in cur.description or ())
        yield from cur

    def _migration_lock(self) -> nullcontext[None]:
        return nullcontext()

    def _migration_step(self) -> Any:
        return self.transaction()  # BEGIN IMMEDIATE: one process migrates at a time

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return int(self.conn.execute(sql, params).lastrowid or 0)

    def _empty(self, tables: Sequence[str]) -> None:
        for table in tables:
            self.conn.execute(f"DELETE FROM {table}")

    def _integrity_error(self) -> type[Exception]:
        return sqlite3.IntegrityError

    def _sources_sql(self) -> str:
        return (
            "(SELECT group_concat(source, '; ') FROM (SELECT source FROM article_sources s"
            " WHERE s.article_id=a.id ORDER BY added_at, source))"
        )

    # FTS5 tables (migration 1), written beside the rows
    def _index_article(self, article_id: str, title: str, text: str) -> None:
        self.conn.execute(
            "INSERT INTO articles_fts (article_id, title, text) VALUES (?, ?, ?)",
            (article_id, title, text),
        )

    def _reindex_article(self, article_id: str, title: str, text: str | None = None) -> None:
        if text is None:
            self.conn.execute(
                "UPDATE articles_fts SET title=? WHERE article_id=?", (title, article_id)
            )
        else:
            self.conn.execute(
                "UPDATE articles_fts SET title=?, text=? WHERE article_id=?",
                (title, text, article_id),
            )

    def _index_statements(self, rows: ExtractionRows, ex: Extraction) -> None:
        self.conn.executemany(
            "INSERT INTO statements_fts (statement_id, speaker, text) VALUES (?, ?, ?)",
            [
                (r[0], st.speaker or "", st.text)
                for r, st in zip(rows.statements, ex.statements, strict=True)
            ],
        )

    def _unindex_statements(self, article_id: str) -> None:
        self.conn.execute(
            "DELETE FROM statements_fts WHERE statement_id IN"
            " (SELECT id FROM statements WHERE article_id=?)",
            (article_id,),
        )

    # -- schema, transactions, locks ----------------------------------------------------
    def _check_schema(self) -> None:
        try:
            self.conn.execute("SELECT version FROM schema_migrations").fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"{self.path} is not a claimgraph database (no schema_migrations table)"
            ) from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

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

    # -- reading ------------------------------------------------------------------------
    def search_articles(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search (FTS5). The query is passed as quoted terms: no FTS syntax injection."""
        terms = [t for t in query.split() if t]
        if not terms:
            return []
        match = " ".join('"' + t.replace('"', '""') + '"' for t in terms)
        return self._rows(
            "SELECT article_id, title, snippet(articles_fts, 2, '[', ']', '…', 12) AS snippet"
            " FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])
