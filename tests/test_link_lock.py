"""One link step per store at a time: a second run waits for the first, then links what is
left, on SQLite (a lock file beside the database) and PostgreSQL (an advisory lock). Real
`claimgraph` processes against real stores."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimgraph.store import open_store
from conftest import CLAIMGRAPH, invoke_cli

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures

WAITING = "waiting for another run's link step"


def _unlinked(db: str, seeds: Path) -> None:
    files = sorted(seeds.glob("*.txt"))[:2]
    done = invoke_cli("analyze", *map(str, files), "--db", db, "--no-link", "--quiet")
    assert done.returncode == 0, done.stderr


def _link_while_locked(db: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Start `claimgraph link` while this process holds the store's link lock; release it once
    the child says it waits. Returns the child's result and how long it ran after release."""
    store = open_store(db)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    try:
        with store.link_lock():
            child = subprocess.Popen(
                [str(CLAIMGRAPH), "link", "--db", db, "--json"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            assert child.stderr is not None
            line = child.stderr.readline()  # blocks until the child writes (or exits)
            assert WAITING in line, line
            time.sleep(1.0)
            assert child.poll() is None  # still waiting while the lock is held
        t = time.perf_counter()
        out, err = child.communicate(timeout=600)
        return subprocess.CompletedProcess(child.args, child.returncode, out, err), t
    finally:
        store.close()


def _claims(db: str) -> int:
    store = open_store(db, readonly=True) if not db.startswith("postgres") else open_store(db)
    try:
        return sum(1 for _ in store.claims())
    finally:
        store.close()


def test_a_second_sqlite_link_waits_for_the_first(tmp_path, seeds_dir):
    db = str(tmp_path / "s.db")
    _unlinked(db, seeds_dir)
    result, _ = _link_while_locked(db)
    assert result.returncode == 0, result.stderr
    assert '"claims"' in result.stdout and _claims(db) > 0


def test_a_second_postgres_link_waits_for_the_first(pg_url, seeds_dir):
    _unlinked(pg_url, seeds_dir)
    result, _ = _link_while_locked(pg_url)
    assert result.returncode == 0, result.stderr
    assert _claims(pg_url) > 0


def test_two_analyze_runs_on_one_sqlite_store_both_succeed(tmp_path, seeds_dir):
    db = str(tmp_path / "two.db")
    files = sorted(seeds_dir.glob("*.txt"))
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    runs = [
        subprocess.Popen(
            [str(CLAIMGRAPH), "analyze", *map(str, part), "--db", db, "--quiet"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for part in (files[:3], files[3:])
    ]
    results = [r.communicate(timeout=900) for r in runs]
    for r, (_, err) in zip(runs, results, strict=True):
        assert r.returncode == 0, err
    store = open_store(db, readonly=True)
    try:
        unlinked = list(store.articles_to_link())
        members = list(store.claim_members())
    finally:
        store.close()
    assert unlinked == []  # every article of both runs is linked
    ids = [m["member_id"] for m in members]
    assert len(ids) == len(set(ids)) and ids


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("fcntl locks are POSIX")


def _open(path: str, barrier) -> None:  # a worker process: open (and so migrate) at once
    barrier.wait()
    open_store(path).close()


def test_processes_creating_one_sqlite_store_at_once_all_succeed(tmp_path):
    import multiprocessing as mp

    ctx = mp.get_context("fork")  # the children only open the store: no spawn re-import
    for attempt in range(4):
        path = str(tmp_path / f"fresh{attempt}.db")
        barrier = ctx.Barrier(6)
        procs = [ctx.Process(target=_open, args=(path, barrier)) for _ in range(6)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(120)
        assert [p.exitcode for p in procs] == [0] * 6, attempt
        store = open_store(path, readonly=True)
        try:
            versions = store.schema_versions()
        finally:
            store.close()
        assert versions == sorted(set(versions)) and len(versions) >= 9
