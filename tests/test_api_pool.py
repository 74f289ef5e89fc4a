"""The API's pooled PostgreSQL connections (claimgraph.store.pool), seen from the server's side
(pg_stat_activity on a real PostgreSQL server): requests reuse a few connections, never more
than the pool's size at once, a connection the server drops is replaced, and shutting the app
down closes them all."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from claimgraph.store import open_store
from claimgraph.store.pool import StorePool
from pg_fixture import pg_server, pg_url  # noqa: F401
from test_api import make_app

BACKENDS = (
    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
    " AND application_name = 'claimgraph'"
)


def _until(check, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


@pytest.mark.slow
def test_requests_share_pooled_connections_and_survive_dropped_ones(pg_url):  # noqa: F811
    import psycopg

    open_store(pg_url).close()  # an empty claimgraph database
    app = make_app(pg_url)
    app.state.store_pool = StorePool(pg_url, size=2)  # used: it is for the app's database
    with psycopg.connect(pg_url, autocommit=True) as admin:

        def backends() -> set[int]:
            return {pid for (pid,) in admin.execute(BACKENDS)}

        with TestClient(app) as client:

            def ok(q: str) -> int:
                return client.get("/api/search", params={"q": q}).status_code

            # one request after another: one connection, kept between requests
            assert [ok("genocide") for _ in range(5)] == [200] * 5
            first = backends()
            assert len(first) == 1
            for path in ("/api/outlets", "/api/articles", "/api/speakers"):
                assert client.get(path).status_code == 200
            assert backends() == first

            # 12 threads at once: never more connections than the pool's 2
            seen: list[int] = []
            done = threading.Event()

            def watch() -> None:
                with psycopg.connect(pg_url, autocommit=True) as conn:
                    while not done.is_set():
                        seen.append(len(conn.execute(BACKENDS).fetchall()))

            watcher = threading.Thread(target=watch)
            watcher.start()
            try:
                with ThreadPoolExecutor(12) as pool:
                    codes = list(pool.map(ok, [f"word{i}" for i in range(48)]))
            finally:
                done.set()
                watcher.join()
            assert codes == [200] * 48
            assert seen and max(seen) <= 2
            assert 1 <= len(backends()) <= 2

            # the server drops every connection (as a restart does): the next request gets
            # a new one, and the dead ones are not lent again
            dropped = backends()
            for pid in dropped:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            assert _until(lambda: not backends())
            assert [ok("genocide") for _ in range(3)] == [200] * 3
            now = backends()
            assert len(now) == 1 and not now & dropped

        # the app's shutdown closes its connections
        assert _until(lambda: not backends()), backends()


def test_a_pool_lends_sqlite_stores_as_before_and_refuses_after_close(tmp_path):
    """SQLite: each borrow opens the file and closes it (nothing pooled); a closed pool of
    PostgreSQL stores lends nothing."""
    db = tmp_path / "s.db"
    open_store(db).close()
    pool = StorePool(db)
    with pool.borrow() as a:
        assert a.schema_versions()
    with pool.borrow() as b:
        assert b is not a
    with pytest.raises(Exception, match="closed|Cannot operate"):
        a.schema_versions()
    pg = StorePool("postgresql://nobody@127.0.0.1:1/none")
    pg.close()
    with pytest.raises(Exception, match="shutting down"):
        with pg.borrow():
            pass
    with pytest.raises(ValueError, match="at least one"):
        StorePool(db, size=0)
