"""Read-only stores lent to a server's requests, one request at a time.

On PostgreSQL a new connection costs a backend process and cold catalog caches, 10-15 ms
before the first query and more in every query of the request after it; a search spends a
quarter of its time there. So the API keeps up to `POOL_SIZE` open read-only stores and lends
each to one request at a time. A store is checked before it is lent: one that the server has
closed (a restart, pg_terminate_backend, a dropped network) or whose schema has moved on (a
migration by a newer `analyze`: the store's column lists are read at open) is closed and a new
one opened; a store that comes back inside a transaction, or broken, is closed, not kept.

On SQLite every borrow opens the file and closes it after, as before: a connection belongs to
one thread, and opening one costs well under a millisecond.

psycopg_pool would do the PostgreSQL half, but it is another dependency for ~80 lines, and the
stores' own state (read-only session, column lists, schema version) has to be checked anyway.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import StoreError
from .postgres import PostgresStore, is_postgres_url

if TYPE_CHECKING:
    from . import Store

# At most this many connections per server process: more searches at once than a server has
# cores do not finish sooner, and PostgreSQL's default max_connections (100) is shared by a
# team's servers and `analyze` runs. FastAPI runs up to 40 requests at once in its threads;
# those beyond the pool wait for a store.
POOL_SIZE = 8
POOL_TIMEOUT_S = 10.0  # how long a request waits for a free store before a 503


class StorePool:
    """Read-only stores of the database `db` (a SQLite path or a PostgreSQL URL) for
    `borrow`; `close` closes the idle ones, and those still lent when they come back."""

    def __init__(
        self, db: str | Path, *, size: int = POOL_SIZE, timeout_s: float = POOL_TIMEOUT_S
    ) -> None:
        if size < 1:
            raise ValueError(f"a pool needs at least one connection, not {size}")
        self.db = str(db)
        self.size = size
        self.timeout_s = timeout_s
        self.pooled = is_postgres_url(self.db)
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(size)  # open stores, idle or lent
        self._idle: list[tuple[PostgresStore, int]] = []  # (store, schema version), LIFO
        self._closed = False

    @contextmanager
    def borrow(self) -> Iterator[Store]:
        """A read-only store for this thread's use until the block ends. StoreError when the
        database cannot be opened, or no store came free within the timeout."""
        if not self.pooled:
            from . import open_store

            store = open_store(self.db, readonly=True)
            try:
                yield store
            finally:
                store.close()
            return
        if self._closed:
            raise StoreError("the server is shutting down; no new requests")
        if not self._slots.acquire(timeout=self.timeout_s):
            raise StoreError(
                f"all {self.size} connections to the database are busy; try again shortly"
            )
        try:
            store, version = self._take()
        except BaseException:
            self._slots.release()
            raise
        try:
            yield store
        finally:
            self._give_back(store, version)
            self._slots.release()

    def close(self) -> None:
        """Close the idle stores; a store still lent is closed when it comes back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for store, _ in idle:
            store.close()

    # -- internals -----------------------------------------------------------------------
    def _take(self) -> tuple[PostgresStore, int]:
        """The most recently used idle store that still answers at the same schema version,
        else a new one (the newest first: the fewest connections stay warm)."""
        while True:
            with self._lock:
                item = self._idle.pop() if self._idle else None
            if item is None:
                break
            store, version = item
            if _version(store) == version:
                return store, version
            store.close()
        store = PostgresStore(self.db, readonly=True)
        try:
            opened = _version(store)
        except BaseException:
            store.close()
            raise
        if opened is None:  # the server went away right after the open
            store.close()
            raise StoreError(f"{store.label} stopped answering; is the server running?")
        return store, opened

    def _give_back(self, store: PostgresStore, version: int) -> None:
        keep = _reusable(store.conn)
        with self._lock:
            if keep and not self._closed:
                self._idle.append((store, version))
                return
        store.close()


def _version(store: PostgresStore) -> int | None:
    """The store's schema version, read from the server (one round trip); None when the
    connection is unusable (closed by the server, or broken)."""
    import psycopg

    if store.conn.closed:
        return None
    try:
        row = store.conn.execute("SELECT max(version) AS v FROM schema_migrations").fetchone()
    except psycopg.Error:
        return None
    return int(row["v"]) if row and row["v"] is not None else None


def _reusable(conn: Any) -> bool:
    """An open connection outside any transaction (autocommit: a request left nothing)."""
    from psycopg.pq import TransactionStatus

    return bool(
        not conn.closed
        and not conn.broken
        and conn.info.transaction_status == TransactionStatus.IDLE
    )
