"""PostgreSQL backend (`--db postgresql://user@host:port/dbname`), for teams sharing a store.

The methods both backends share are in `base.SqlStore`; this module holds the connection, the
advisory locks, and full-text search over the generated tsvector columns (with a GIN index)
of migration 1. Every article is written in one transaction. Needs the `[postgres]` extra
(psycopg 3)."""

from __future__ import annotations

import getpass
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from .base import TABLES
from .links import LinkedStore
from .schema import POSTGRES, load_migrations
from .search import PostgresSearch

if TYPE_CHECKING:
    import psycopg

URL_PREFIXES = ("postgresql://", "postgres://")
TS_CONFIG = "simple"  # like FTS5's unicode61: case folded, no stemming, no stop words
INDEXED_CHARS = 100_000  # must match left(..., 100000) in migrations/001_initial.postgres.sql
MIGRATION_LOCK = 0x636C_6D67  # pg_advisory_xact_lock key: one migrator at a time
LINK_LOCK_KEY = 0x636C_6169_6D67  # pg_advisory_lock key of the link step ("claimg")
# Snippet markers that cannot occur in stored text, turned into '[' ']' once the ellipses are set.
_START, _STOP = "\x02", "\x03"
_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=12, MinWords=6, ShortWord=2, MaxFragments=1"
)
_cursor_ids = itertools.count()


def is_postgres_url(db: object) -> bool:
    return isinstance(db, str) and db.startswith(URL_PREFIXES)


def _where(url: str) -> str:
    """HOST:PORT/DB of a connection URL, for messages (never the password)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:  # reported when the URL is parsed for connecting
        return "(unparsable URL)"
    user = params.get("user") or getpass.getuser()
    return (
        f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
        f"/{params.get('dbname') or user}"
    )


def _connect_error(url: str, exc: Exception) -> StoreError:
    # libpq: 'connection failed: connection to server at "h", port 5432 failed: FATAL:  ...'
    line = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    reason = line.split("FATAL:", 1)[-1].rsplit(" failed: ", 1)[-1].strip()
    if re.search(r"database .* does not exist", reason):
        hint = "create it first (createdb), or fix the database name in the URL"
    elif re.search(r"role .* does not exist|password|authentication", reason):
        hint = "check the user and password in the URL"
    else:
        hint = "is the server running?"
    return StoreError(f"cannot connect to PostgreSQL at {_where(url)}: {reason}; {hint}")


def _import_psycopg() -> Any:
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError(
            "a postgresql:// store needs psycopg; install it with "
            "pip install 'claimgraph[postgres]'"
        ) from exc
    return psycopg


class PostgresStore(PostgresSearch, LinkedStore):
    dialect = POSTGRES

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        pg = _import_psycopg()
        from psycopg.conninfo import conninfo_to_dict
        from psycopg.rows import dict_row

        self.url = url
        self.where = _where(url)
        self.label = f"PostgreSQL database {self.where}"

        try:
            params = conninfo_to_dict(url)
        except pg.ProgrammingError as exc:
            reason = str(exc).split(" in URI", 1)[0].strip()
            raise StoreError(
                f"invalid PostgreSQL URL: {reason}; "
                "expected postgresql://user[:password]@host[:port]/dbname"
            ) from exc
        extra = {} if "connect_timeout" in params else {"connect_timeout": 10}
        try:
            self.conn: psycopg.Connection[dict[str, Any]] = pg.connect(
                url, autocommit=True, row_factory=dict_row, application_name="claimgraph", **extra
            )
        except pg.OperationalError as exc:
            raise _connect_error(url, exc) from exc
        try:
            if readonly:
                self.conn.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
                self._check_schema()
            else:
                self._migrate()
            self._stored_columns = {t: self._columns(t) for t in ("articles", "statements")}
        except pg.Error as exc:
            self.conn.close()
            hint = (
                "is it a claimgraph database?" if readonly else "may this user create tables in it?"
            )
            raise StoreError(
                f"cannot open PostgreSQL database {self.where}: {exc}; {hint}"
            ) from exc
        except BaseException:
            self.conn.close()
            raise

    # -- backend hooks (base.SqlStore) ---------------------------------------------------
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[dict[str, Any]]:
        if not params:
            return self.conn.execute(sql)
        return self.conn.execute(self.dialect.sql(sql), params)

    def _executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with self.conn.cursor() as cur:
                cur.executemany(self.dialect.sql(sql), rows)

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Rows fetched in batches through a server-side cursor. WITH HOLD, so that no
        transaction stays open while the caller consumes (or abandons) the rows."""
        with self.conn.cursor(name=f"claimgraph_{next(_cursor_ids)}", withhold=True) as cur:
            cur.itersize = 1000
            cur.execute(self.dialect.sql(sql) if params else sql, params or None)
            yield from cur

    def _stream_tuples(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        from psycopg.rows import tuple_row

        name = f"claimgraph_{next(_cursor_ids)}"
        with self.conn.cursor(name=name, withhold=True, row_factory=tuple_row) as cur:
            cur.itersize = 1000
            cur.execute(self.dialect.sql(sql) if params else sql, params or None)
            yield tuple(d.name for d in cur.description or ())
            yield from cur

    @contextmanager
    def _migration_lock(self) -> Iterator[None]:
        with self.conn.transaction():
            self._execute("SELECT pg_advisory_xact_lock(?)", (MIGRATION_LOCK,))
            yield

    def _migration_step(self) -> nullcontext[None]:
        return nullcontext()  # the whole run is one transaction, under _migration_lock

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        row = self._execute(sql + " RETURNING id", params).fetchone()
        return int(row["id"]) if row else 0

    def _empty(self, tables: Sequence[str]) -> None:
        self._execute(f"TRUNCATE {', '.join(tables)}")

    def _integrity_error(self) -> type[Exception]:
        return _import_psycopg().IntegrityError  # type: ignore[no-any-return]

    def _star(self, alias: str, table: str) -> str:
        if table not in self._stored_columns:
            return f"{alias}.*"
        return ", ".join(f"{alias}.{c}" for c in self._stored_columns[table])

    def _sources_sql(self) -> str:
        return (
            "(SELECT string_agg(s.source, '; ' ORDER BY s.added_at COLLATE"
            ' "C", s.source COLLATE "C") FROM article_sources s WHERE s.article_id=a.id)'
        )

    # -- schema, transactions, locks ----------------------------------------------------
    def _check_schema(self) -> None:
        if not self._has_table("schema_migrations"):
            raise StoreError(
                f"PostgreSQL database {self.where} is not a claimgraph database "
                "(no schema_migrations table); run 'claimgraph analyze --db URL' first"
            )

    def _columns(self, table: str) -> list[str]:
        """The table's columns in declared order, without the search vector (like `t.*`).
        Read from pg_attribute: every API request opens a store, and on a new connection the
        information_schema view costs ~8 ms a table to plan, pg_attribute well under 1 ms."""
        rows = self._execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(?)"
            " AND attnum > 0 AND NOT attisdropped AND atttypid <> 'tsvector'::regtype"
            " ORDER BY attnum",
            (table,),
        )
        return [r["attname"] for r in rows]

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        with self.conn.transaction():
            yield self.conn

    @contextmanager
    def link_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Held while one process links this database; another waits for it (``on_wait`` is
        called first). A session-level advisory lock, released when the holder's connection
        ends however it ends."""
        got = self._one("SELECT pg_try_advisory_lock(?) AS ok", (LINK_LOCK_KEY,))
        if not (got and got["ok"]):
            if on_wait is not None:
                on_wait()
            self._execute("SELECT pg_advisory_lock(?)", (LINK_LOCK_KEY,))
        try:
            yield
        finally:
            self._execute("SELECT pg_advisory_unlock(?)", (LINK_LOCK_KEY,))

    # -- reading ------------------------------------------------------------------------
    def search_articles(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
        """Full-text search. The query is a parameter read by plainto_tsquery: its words are
        all required and no operator in it is interpreted (no tsquery syntax injection)."""
        words = query.replace("\x00", " ").split()
        if not words:
            return []
        rows = self.conn.execute(
            "SELECT a.id AS article_id, coalesce(a.title, '') AS title,"
            " ts_headline(%(cfg)s::regconfig, left(a.text, %(n)s), q, %(opts)s) AS headline,"
            " left(a.text, %(n)s) AS body, length(a.text) AS body_len"
            " FROM articles a, plainto_tsquery(%(cfg)s::regconfig, %(q)s) q"
            " WHERE numnode(q) > 0 AND a.fts @@ q"
            ' ORDER BY ts_rank(a.fts, q) DESC, a.ingested_at COLLATE "C", a.id COLLATE "C"'
            " LIMIT %(limit)s",
            {
                "cfg": TS_CONFIG,
                "n": INDEXED_CHARS,
                "opts": _HEADLINE_OPTIONS,
                "q": " ".join(words),
                "limit": limit,
            },
        ).fetchall()
        return [
            {"article_id": r["article_id"], "title": r["title"], "snippet": _snippet(r)}
            for r in rows
        ]

    def integrity_check(self) -> str:
        """'ok', or what is wrong: tables, migrations and search indexes are checked."""
        problems = []
        missing = [
            t
            for t in (*TABLES, "input_files", "runs", "schema_migrations")
            if not self._has_table(t)
        ]
        if missing:
            problems.append(f"missing tables: {', '.join(missing)}")
        else:
            applied = self.schema_versions()
            shipped = [m.version for m in load_migrations(self.dialect)]
            if applied != shipped[: len(applied)] or len(applied) < len(shipped):
                problems.append(f"schema versions {applied}, expected {shipped}")
            invalid = self._rows(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid=i.indexrelid"
                " JOIN pg_class t ON t.oid=i.indrelid JOIN pg_namespace n ON n.oid=t.relnamespace"
                " WHERE n.nspname = current_schema()"
                " AND NOT (i.indisvalid AND i.indisready)"
            )
            if invalid:
                problems.append("invalid indexes: " + ", ".join(r["relname"] for r in invalid))
            orphans = self._one(
                "SELECT count(*) AS n FROM statements st"
                " WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id=st.article_id)"
            )
            if orphans and orphans["n"]:
                problems.append(f"{orphans['n']} statements without an article")
        return "; ".join(problems) or "ok"


def _snippet(row: dict[str, Any]) -> str:
    """ts_headline's fragment with '[' ']' around matches and '…' where text was cut, like
    SQLite's snippet()."""
    headline: str = row["headline"] or ""
    plain = headline.replace(_START, "").replace(_STOP, "")
    body: str = row["body"] or ""
    lead = "" if body.startswith(plain) else "…"
    tail = "" if body.endswith(plain) and len(body) == row["body_len"] else "…"
    return lead + headline.replace(_START, "[").replace(_STOP, "]") + tail
