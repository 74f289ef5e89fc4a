"""A real PostgreSQL server for the tests: `pg_server` (session) starts a throwaway cluster with
scripts/pg_test_server.sh (installing Debian's postgresql the first time, a minute or two);
`pg_url` (per test) is a fresh, empty database on it, dropped afterwards.

Set CLAIMGRAPH_TEST_PG_URL=postgresql://user@host:port/db to use a running server instead (the
user needs CREATEDB). Tests skip, with the reason, only when PostgreSQL cannot be installed here
(no apt-get, not root) or psycopg is missing; under CI=true those are failures, not skips.

Use from a test module: `from pg_fixture import pg_server, pg_url  # noqa: F401`."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "pg_test_server.sh"
CANNOT_INSTALL, APT_FAILED = 3, 4


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of a PostgreSQL server's maintenance database, running for the whole session."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _skip_or_fail("psycopg is not installed; pip install -e '.[postgres]'")
    given = os.environ.get("CLAIMGRAPH_TEST_PG_URL")
    if given:
        yield given
        return
    workdir = tempfile.mkdtemp(prefix="claimgraph-pg-")  # short: the unix socket lives here
    res = subprocess.run(
        ["bash", str(SCRIPT), "start", workdir], capture_output=True, text=True, timeout=900
    )
    if res.returncode in (CANNOT_INSTALL, APT_FAILED):
        shutil.rmtree(workdir, ignore_errors=True)
        _skip_or_fail(res.stderr.strip().splitlines()[-1] if res.stderr.strip() else "no server")
    if res.returncode != 0:
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.fail(f"pg_test_server.sh start failed:\n{res.stderr}", pytrace=False)
    try:
        yield res.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", workdir], capture_output=True, timeout=120)
        shutil.rmtree(workdir, ignore_errors=True)


def _with_dbname(url: str, dbname: str) -> str:
    return urlsplit(url)._replace(path=f"/{dbname}").geturl()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh database (ICU en-US collation where the server has ICU, like a typical team
    server, so that SQLite's byte order has to be asked for), dropped after the test."""
    import psycopg

    name = f"cg_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as admin:
        try:
            admin.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' STRATEGY file_copy"
                " LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            )
        except psycopg.Error:  # before PostgreSQL 15, or built without ICU
            admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield _with_dbname(pg_server, name)
    finally:
        with psycopg.connect(pg_server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
