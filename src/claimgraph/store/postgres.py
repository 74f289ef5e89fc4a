"""PostgreSQL backend (`--db postgresql://user@host:port/dbname`), for teams sharing a store.

The same public methods, return shapes and row order as SQLiteStore, and the same numbered
migrations (store/migrations_pg mirrors store/migrations). Every article is written in one
transaction; full-text search uses a generated tsvector column with a GIN index. Needs the
`[postgres]` extra (psycopg 3)."""

from __future__ import annotations

import getpass
import itertools
import json
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from ..extract.records import Extraction
from ..ingest.base import RawArticle
from .rows import (
    ARTICLE_COLUMNS,
    CUE_COLUMNS,
    CUE_LEAD_SQL,
    LINK_ROW_ORDER,
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
from .schema import Migration, load_migrations, split_statements
from .search import PostgresSearch

if TYPE_CHECKING:
    import psycopg

URL_PREFIXES = ("postgresql://", "postgres://")
TS_CONFIG = "simple"  # like FTS5's unicode61: case folded, no stemming, no stop words
INDEXED_CHARS = 100_000  # must match left(..., 100000) in migrations_pg/001_initial.sql
MIGRATION_LOCK = 0x636C_6D67  # pg_advisory_xact_lock key: one migrator at a time
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
# Snippet markers that cannot occur in stored text, turned into '[' ']' once the ellipses are set.
_START, _STOP = "\x02", "\x03"
_HEADLINE_OPTIONS = (
    f"StartSel={_START}, StopSel={_STOP}, MaxWords=12, MinWords=6, ShortWord=2, MaxFragments=1"
)
_cursor_ids = itertools.count()


def is_postgres_url(db: object) -> bool:
    return isinstance(db, str) and db.startswith(URL_PREFIXES)


def load_pg_migrations() -> list[Migration]:
    """The migrations shipped in claimgraph/store/migrations_pg, in version order."""
    found = []
    folder = resources.files("claimgraph.store") / "migrations_pg"
    for entry in folder.iterdir():
        m = re.fullmatch(r"(\d{3})_(\w+)\.sql", entry.name)
        if m:
            found.append(Migration(int(m.group(1)), m.group(2), entry.read_text("utf-8")))
    return sorted(found, key=lambda mig: mig.version)


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


PG_READS = link_read_sql(' COLLATE "C"')
LINK_LOCK_KEY = 0x636C_6169_6D67  # pg_advisory_lock key of the link step ("claimg")


class PostgresStore(PostgresSearch):
    def __init__(self, url: str, *, readonly: bool = False) -> None:
        pg = _import_psycopg()
        from psycopg.conninfo import conninfo_to_dict
        from psycopg.rows import dict_row

        self.url = url
        self.where = _where(url)

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
            self._article_cols = self._columns("articles")
            self._statement_cols = self._columns("statements")
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

    # -- schema -----------------------------------------------------------------------
    def _migrate(self) -> None:
        migrations = load_pg_migrations()
        if [(m.version, m.name) for m in migrations] != [
            (m.version, m.name) for m in load_migrations()
        ]:
            raise StoreError(
                "the PostgreSQL migrations in claimgraph/store/migrations_pg do not match the"
                " SQLite ones in claimgraph/store/migrations; reinstall claimgraph"
            )
        with self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            done = set(self.schema_versions())
            for mig in migrations:
                if mig.version in done:
                    continue
                for stmt in split_statements(mig.sql):
                    self.conn.execute(stmt)  # DDL shipped in this package, no parameters
                self.conn.execute(
                    "INSERT INTO schema_migrations VALUES (%s, %s, %s)",
                    (mig.version, mig.name, _now()),
                )

    def _check_schema(self) -> None:
        row = self.conn.execute("SELECT to_regclass('schema_migrations') AS t").fetchone()
        if row is None or row["t"] is None:
            raise StoreError(
                f"PostgreSQL database {self.where} is not a claimgraph database "
                "(no schema_migrations table); run 'claimgraph analyze --db URL' first"
            )

    def _columns(self, table: str) -> list[str]:
        """The table's columns in declared order, without the search vector (like `t.*`)."""
        rows = self.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = %s AND data_type <> 'tsvector'"
            " ORDER BY ordinal_position",
            (table,),
        )
        return [r["column_name"] for r in rows]

    def schema_versions(self) -> list[int]:
        rows = self.conn.execute("SELECT version FROM schema_migrations ORDER BY 1")
        return [int(r["version"]) for r in rows]

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection[dict[str, Any]]]:
        with self.conn.transaction():
            yield self.conn

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def link_lock(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Held while one process links this database; another waits for it (``on_wait`` is
        called first). A session-level advisory lock, released when the holder's connection
        ends however it ends."""
        got = self.conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (LINK_LOCK_KEY,))
        if not got.fetchone()["ok"]:  # type: ignore[index]
            if on_wait is not None:
                on_wait()
            self.conn.execute("SELECT pg_advisory_lock(%s)", (LINK_LOCK_KEY,))
        try:
            yield
        finally:
            self.conn.execute("SELECT pg_advisory_unlock(%s)", (LINK_LOCK_KEY,))

    # -- runs and files -----------------------------------------------------------------
    def begin_run(self, args: dict[str, Any]) -> int:
        with self.transaction():
            row = self.conn.execute(
                "INSERT INTO runs (started_at, args) VALUES (%s, %s) RETURNING id",
                (_now(), json.dumps(args)),
            ).fetchone()
        return int(row["id"]) if row else 0

    def finish_run(self, run_id: int, counts: dict[str, int]) -> None:
        with self.transaction():
            self.conn.execute(
                "UPDATE runs SET finished_at=%s, n_stored=%s, n_unchanged=%s, n_duplicate=%s,"
                " n_failed=%s WHERE id=%s",
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
                "INSERT INTO failures (run_id, source, reason, created_at) VALUES (%s, %s, %s, %s)",
                (run_id, source, reason, _now()),
            )

    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT run_id, source, reason, created_at FROM failures"
        if run_id is not None:
            return self.conn.execute(sql + " WHERE run_id=%s ORDER BY id", (run_id,)).fetchall()
        return self.conn.execute(sql + " ORDER BY id").fetchall()

    def file_unchanged(self, path: str, fingerprint: str) -> int | None:
        """Number of articles the file gave last time, if it was fully processed unchanged."""
        row = self.conn.execute(
            "SELECT n_articles FROM input_files WHERE path=%s AND fingerprint=%s",
            (path, fingerprint),
        ).fetchone()
        return None if row is None else int(row["n_articles"])

    def record_file(self, path: str, fingerprint: str, n_articles: int) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO input_files (path, fingerprint, n_articles, processed_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (path) DO UPDATE SET"
                " fingerprint=excluded.fingerprint, n_articles=excluded.n_articles,"
                " processed_at=excluded.processed_at",
                (path, fingerprint, n_articles, _now()),
            )

    def file_fingerprint(self, path: str) -> str | None:
        """The fingerprint the input file was recorded with (`pipeline`), None if never."""
        row = self.conn.execute(
            "SELECT fingerprint FROM input_files WHERE path=%s", (path,)
        ).fetchone()
        return None if row is None else str(row["fingerprint"])

    # -- metadata corrections (sidecar, --outlets) and --force re-reads -------------------
    def _first_source(self, article_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT source FROM article_sources WHERE article_id=%s"
            " ORDER BY added_at, source LIMIT 1",
            (article_id,),
        ).fetchone()
        return None if row is None else str(row["source"])

    def _outlet_row(self, name: str | None) -> tuple[Any, ...] | None:
        if not name:
            return None
        row = self.conn.execute(
            "SELECT domain, country, type, labels FROM outlets WHERE name=%s", (name,)
        ).fetchone()
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
        row = self.conn.execute(
            f"SELECT {cols} FROM articles WHERE id=%s", (article_id,)
        ).fetchone()
        if row is None:
            return False
        changed = tuple(row.values()) != tuple(values.values())
        outlet_before = self._outlet_row(values["outlet"])
        with self.transaction() as c:
            if changed:
                sets = ", ".join(f"{k}=%s" for k in values)
                c.execute(f"UPDATE articles SET {sets} WHERE id=%s", (*values.values(), article_id))
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
        with self.transaction() as c:
            for table in ("claim_members", "claim_candidates", "linked_articles"):
                c.execute(f"DELETE FROM {table} WHERE article_id=%s", (article_id,))
            for table in ("statements", "cues", "term_uses"):
                c.execute(f"DELETE FROM {table} WHERE article_id=%s", (article_id,))
            sets = ", ".join(f"{k}=%s" for k in values)
            c.execute(f"UPDATE articles SET {sets} WHERE id=%s", (*values.values(), article_id))
            c.execute(
                "INSERT INTO article_sources (article_id, source, fmt, added_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                (article_id, raw.source, raw.fmt, _now()),
            )
            self._upsert_outlet(raw)
            self._write_extraction(article_id, extraction)

    # -- articles ---------------------------------------------------------------------
    def has_article(self, article_id: str) -> bool:
        row = self.conn.execute("SELECT 1 FROM articles WHERE id=%s", (article_id,)).fetchone()
        return row is not None

    def add_source(self, article_id: str, source: str, fmt: str) -> bool:
        """Record another source of a stored article. True if it was new."""
        with self.transaction():
            cur = self.conn.execute(
                "INSERT INTO article_sources (article_id, source, fmt, added_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
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
        with self.transaction() as c:
            c.execute(insert_sql("articles", ARTICLE_COLUMNS, "%s"), row)
            c.execute(
                "INSERT INTO article_sources (article_id, source, fmt, added_at)"
                " VALUES (%s, %s, %s, %s)",
                (article_id, raw.source, raw.fmt, at),
            )
            self._upsert_outlet(raw)
            self._write_extraction(article_id, extraction)

    def _upsert_outlet(self, raw: RawArticle) -> None:
        name = raw.get("outlet")
        if not name:
            return
        info = raw.outlet_info
        self.conn.execute(
            "INSERT INTO outlets AS o (name, domain, country, type, labels)"
            " VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (name) DO UPDATE SET domain=coalesce(excluded.domain, o.domain),"
            " country=coalesce(excluded.country, o.country), type=coalesce(excluded.type, o.type),"
            " labels=coalesce(excluded.labels, o.labels)",
            (name, info.get("domain"), info.get("country"), info.get("type"), info.get("labels")),
        )

    def _write_extraction(self, article_id: str, ex: Extraction) -> None:
        rows = extraction_rows(article_id, ex)
        with self.conn.cursor() as cur:
            for table, columns, values in (
                ("statements", STATEMENT_SQL_COLUMNS, rows.statements),
                ("cues", CUE_COLUMNS, rows.cues),
                ("term_uses", TERM_COLUMNS, rows.terms),
            ):
                if values:
                    cur.executemany(insert_sql(table, columns, "%s"), values)

    # -- reading ----------------------------------------------------------------------
    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table}")
        row = self.conn.execute(f"SELECT count(*) AS n FROM {table}").fetchone()
        return int(row["n"]) if row else 0

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """Rows fetched in batches through a server-side cursor. WITH HOLD, so that no
        transaction stays open while the caller consumes (or abandons) the rows."""
        with self.conn.cursor(name=f"claimgraph_{next(_cursor_ids)}", withhold=True) as cur:
            cur.itersize = 1000
            cur.execute(sql, params)
            yield from cur

    def articles(self) -> Iterator[dict[str, Any]]:
        """Articles with their sources (joined by '; ' in first-seen order)."""
        cols = ", ".join(f"a.{c}" for c in self._article_cols)
        sql = (
            f"SELECT {cols}, (SELECT string_agg(s.source, '; ' ORDER BY s.added_at COLLATE"
            ' "C", s.source COLLATE "C") FROM article_sources s WHERE s.article_id=a.id)'
            " AS sources, o.country AS outlet_country, o.type AS outlet_type"
            " FROM articles a LEFT JOIN outlets o ON o.name=a.outlet"
            ' ORDER BY a.ingested_at COLLATE "C", a.id COLLATE "C"'
        )
        return self._stream(sql)

    def _first_source_sql(self) -> str:
        return (
            "(SELECT s.source FROM article_sources s WHERE s.article_id=a.id"
            ' ORDER BY s.added_at COLLATE "C", s.source COLLATE "C" LIMIT 1)'
        )

    def statements(self, article_id: str | None = None) -> Iterator[dict[str, Any]]:
        cols = ", ".join(f"st.{c}" for c in self._statement_cols)
        sql = (
            f"SELECT {cols}, {self._first_source_sql()} AS source, a.outlet AS outlet,"
            f" {CUE_LEAD_SQL} AS cue_lead FROM statements st JOIN articles a ON a.id=st.article_id"
        )
        params: Sequence[Any] = ()
        if article_id is not None:
            sql += " WHERE st.article_id=%s"
            params = (article_id,)
        sql += ' ORDER BY a.ingested_at COLLATE "C", a.id COLLATE "C", st.idx'
        return self._stream(sql, params)

    def cues(self) -> Iterator[dict[str, Any]]:
        """Cues with their article's source and outlet and, in a speaker's voice, the speaker."""
        sql = (
            f"SELECT t.*, {self._first_source_sql()} AS source, a.outlet AS outlet,"
            " st.speaker AS speaker FROM cues t JOIN articles a ON a.id=t.article_id"
            " LEFT JOIN statements st ON st.id=t.statement_id"
            ' ORDER BY a.ingested_at COLLATE "C", a.id COLLATE "C", t.idx'
        )
        return self._stream(sql)

    def term_uses(self) -> Iterator[dict[str, Any]]:
        return self._article_part("term_uses")

    def _article_part(self, table: str) -> Iterator[dict[str, Any]]:
        sql = (
            f"SELECT t.*, {self._first_source_sql()} AS source, a.outlet AS outlet"
            f" FROM {table} t JOIN articles a ON a.id=t.article_id"
            ' ORDER BY a.ingested_at COLLATE "C", a.id COLLATE "C", t.idx'
        )
        return self._stream(sql)

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
            if self._scalar("SELECT to_regclass(%s)", (t,)) is None
        ]
        if missing:
            problems.append(f"missing tables: {', '.join(missing)}")
        else:
            applied = self.schema_versions()
            shipped = [m.version for m in load_pg_migrations()]
            if applied != shipped[: len(applied)] or len(applied) < len(shipped):
                problems.append(f"schema versions {applied}, expected {shipped}")
            invalid = self.conn.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid=i.indexrelid"
                " JOIN pg_class t ON t.oid=i.indrelid JOIN pg_namespace n ON n.oid=t.relnamespace"
                " WHERE n.nspname = current_schema()"
                " AND NOT (i.indisvalid AND i.indisready)"
            ).fetchall()
            if invalid:
                problems.append("invalid indexes: " + ", ".join(r["relname"] for r in invalid))
            orphans = self._scalar(
                "SELECT count(*) FROM statements st"
                " WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id=st.article_id)"
            )
            if orphans:
                problems.append(f"{orphans} statements without an article")
        return "; ".join(problems) or "ok"

    # -- claims (written by the link step, claimgraph.claims.run) ---------------------------
    def _has_claims(self) -> bool:
        """False for a store opened read-only before migration 2: it has no claims yet."""
        return 2 in self.schema_versions()

    def claims(self) -> Iterator[dict[str, Any]]:
        """Claims, largest first: claim_id, label, key_terms (list), n_members, and the
        claim's topic (topic_id, topic: its label; None until topics are assigned)."""
        if not self._has_claims():
            return
        for row in self._stream(claims_sql(self.schema_versions(), ' COLLATE "C"')):
            yield claim_view(row)

    def claim_members(
        self, claim_id: str | None = None, *, context: int = 0
    ) -> Iterator[dict[str, Any]]:
        """Members of one claim (or all), with the article's first source and outlet; with
        ``context``, up to that many characters of the article before and after the
        member's words (context_before, context_after)."""
        if not self._has_claims():
            return iter(())
        around = f" {member_context_sql(context, 'greatest')}," if context > 0 else ""
        sql = (
            "SELECT m.member_id, m.claim_id, m.article_id, m.statement_id,"
            f" {self._first_source_sql()} AS source, a.outlet AS outlet, m.voice, m.speaker,"
            f' m.stance, m.text, m.start, m."end", m.similarity,{around}'
            f" {member_via_sql(self.schema_versions())}"
            " FROM claim_members m JOIN articles a ON a.id=m.article_id"
        )
        params: Sequence[Any] = ()
        if claim_id is not None:
            sql += " WHERE m.claim_id=%s"
            params = (claim_id,)
        sql += (
            ' ORDER BY m.claim_id COLLATE "C", m.article_id COLLATE "C", m.start,'
            ' m.member_id COLLATE "C"'
        )
        return self._stream(sql, params)

    def topics(self) -> Iterator[dict[str, Any]]:
        """Topics, largest first: topic_id, label, key_terms (list), n_claims, n_members;
        none before migration 6 or before the link step assigned them."""
        if TOPICS_MIGRATION not in self.schema_versions():
            return
        for row in self._stream(topics_sql(' COLLATE "C"')):
            yield claim_view(row)

    def write_topics(self, topics: Sequence[dict[str, Any]]) -> None:
        """Replace every topic and claim's topic in one transaction (`rows.topic_rows`)."""
        pg = _import_psycopg()
        rows, links = topic_rows(topics, _now())
        insert_topic, insert_link = topic_sql("%s")
        try:
            with self.transaction() as conn, conn.cursor() as cur:
                cur.execute("DELETE FROM claim_topics")
                cur.execute("DELETE FROM topics")
                if rows:
                    cur.executemany(insert_topic, rows)
                if links:
                    cur.executemany(insert_link, links)
        except pg.IntegrityError as exc:
            raise StoreError(
                f"cannot store topics in PostgreSQL database {self.where}: {exc}; was"
                " 'claimgraph link' running? Rerun it"
            ) from exc

    def articles_to_link(self, *, all_articles: bool = False) -> Iterator[dict[str, Any]]:
        """id, outlet, title, published, text of the articles the link step has not gathered units from yet
        (of every article with ``all_articles``), by id: the batches a run links are the same
        whenever the articles were stored."""
        sql = "SELECT a.id, a.outlet, a.title, a.published, a.text FROM articles a"
        if not all_articles:
            sql += " WHERE NOT EXISTS (SELECT 1 FROM linked_articles l WHERE l.article_id=a.id)"
        return self._stream(sql + ' ORDER BY a.id COLLATE "C"')

    def claim_centroids(self) -> Iterator[dict[str, Any]]:
        """The link step's view of each claim (`rows.centroid_views`)."""
        counts = self.conn.execute(PG_READS["member_counts"])
        yield from centroid_views(counts, self._stream(PG_READS["centroids"]))

    def claim_candidates(self) -> Iterator[dict[str, Any]]:
        """Units no other unit has joined yet (terms as a list), in candidate id order."""
        for row in self._stream(PG_READS["candidates"]):
            yield candidate_view(row)

    def write_actors(self, actors: dict[str, str]) -> None:
        """Replace the speaker -> actor map (`claimgraph.link.actors`) in one transaction."""
        with self.transaction() as conn, conn.cursor() as cur:
            cur.execute("DELETE FROM speaker_actors")
            if actors:
                cur.executemany(
                    "INSERT INTO speaker_actors (speaker, actor) VALUES (%s, %s)",
                    list(actors.items()),
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
        pg = _import_psycopg()
        rows = link_rows(
            claims=claims, members=members, candidates=candidates, linked=linked, at=_now()
        )
        sql = link_sql("%s")
        try:
            with self.transaction() as conn, conn.cursor() as cur:
                if replace:
                    cur.execute(
                        "TRUNCATE claim_topics, topics, claim_members, claim_state, claims,"
                        " claim_candidates, linked_articles"
                    )
                if drop_candidates:
                    cur.execute(
                        "DELETE FROM claim_candidates WHERE candidate_id = ANY(%s)",
                        (list(drop_candidates),),
                    )
                for what in LINK_ROW_ORDER:
                    values = getattr(rows, what)
                    if values:
                        cur.executemany(sql[what], values)
        except pg.IntegrityError as exc:
            raise StoreError(
                f"cannot store claims in PostgreSQL database {self.where}: {exc}; was another"
                " 'claimgraph link' running? Rerun it"
            ) from exc

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return None if row is None else next(iter(row.values()))


def _snippet(row: dict[str, Any]) -> str:
    """ts_headline's fragment with '[' ']' around matches and '…' where text was cut, like
    SQLite's snippet()."""
    headline: str = row["headline"] or ""
    plain = headline.replace(_START, "").replace(_STOP, "")
    body: str = row["body"] or ""
    lead = "" if body.startswith(plain) else "…"
    tail = "" if body.endswith(plain) and len(body) == row["body_len"] else "…"
    return lead + headline.replace(_START, "[").replace(_STOP, "]") + tail
