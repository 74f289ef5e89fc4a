"""Crash safety on the PostgreSQL backend: `analyze` with worker processes, SIGKILLed at random
moments 8 times over 160 articles. After every kill, what the database shows is whole:
each stored article has exactly the statements, cues and term uses a complete extraction gives
it, once; nothing half-written is visible. A final re-run then stores every article exactly once.

The server is a real, throwaway PostgreSQL (tests/pg_fixture.py). The expected records per article
come from running the extractor on each text in this process (the oracle for "complete"); what is
under test is that killing the writer never leaves less, or more, than that in the database.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from claimgraph.ingest import IngestOptions, article_id, parse_input
from conftest import CLAIMGRAPH, run_cli

pytest_plugins = ["pg_fixture"]  # the pg_server and pg_url fixtures
psycopg = pytest.importorskip("psycopg")

N_ARTICLES = 160
N_KILLS = 8
WORKERS = "2"
BATCH = "2"  # a flush every WORKERS * BATCH articles: many commits to land between


def _write_corpus(folder: Path) -> list[Path]:
    """Distinct articles with 1-3 quotations and some framing, so records vary per article."""
    folder.mkdir()
    paths = []
    for i in range(N_ARTICLES):
        extra = "".join(
            f'\n\n"Section {j} of project {i} is on schedule," engineer Tomas Berg said.'
            for j in range(i % 3)
        )
        body = (
            f"Bridge {i} plan approved\n\n"
            f"Officials in district {i} met on Monday.\n\n"
            f'"We will rebuild bridge number {i} before winter," Mayor Lena Varga said.\n\n'
            f"Critics said the so-called rescue plan for district {i} was too expensive, "
            "according to a local report."
            f"{extra}\n\nVarga rejected claims of waste, saying the budget had been audited."
        )
        path = folder / f"article_{i:03d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


def _reference(nlp: Any, paths: list[Path]) -> dict[str, tuple[int, int, int]]:
    """article id -> (statements, cues, term uses) of a complete extraction."""
    from claimgraph.extract.run import extract_doc

    ref = {}
    for path in paths:
        [raw] = parse_input(str(path), path.read_bytes(), IngestOptions())
        ex = extract_doc(nlp(raw.text))
        ref[article_id(raw.text)] = (len(ex.statements), len(ex.cues), len(ex.terms))
    return ref


def _count(conn: Any, table: str) -> dict[str, int]:
    rows = conn.execute(f"SELECT article_id, count(*) FROM {table} GROUP BY article_id")
    return {a: n for a, n in rows}


def _state(conn: Any) -> dict[str, tuple[int, int, int]]:
    """What a reader sees: article id -> (statements, cues, term uses)."""
    ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
    st, cues, terms = (_count(conn, t) for t in ("statements", "cues", "term_uses"))
    return {a: (st.get(a, 0), cues.get(a, 0), terms.get(a, 0)) for a in ids}


def _stored(conn: Any) -> int:
    """Articles stored so far; 0 before the first run has created the schema."""
    try:
        return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except psycopg.errors.UndefinedTable:
        return 0


def _check_whole(conn: Any, ref: dict[str, tuple[int, int, int]]) -> int:
    """Every visible article is complete and stored once; returns how many are stored."""
    if not _stored(conn):
        return 0  # killed before the schema or the first article was committed
    state = _state(conn)
    assert set(state) <= set(ref), "an article that is not in the corpus"
    partial = {a: (got, ref[a]) for a, got in state.items() if got != ref[a]}
    assert not partial, f"partial or duplicated records visible: {partial}"
    for table in ("statements", "cues", "term_uses"):
        dup = conn.execute(
            f"SELECT count(*) FROM (SELECT article_id, idx FROM {table}"
            " GROUP BY article_id, idx HAVING count(*) > 1) d"
        ).fetchone()[0]
        assert dup == 0, f"{table}: a record stored twice"
    sources = conn.execute("SELECT count(*), count(DISTINCT article_id) FROM article_sources")
    n_sources, n_with_source = sources.fetchone()
    assert n_sources == n_with_source == len(state), "each article has exactly its one source"
    return len(state)


def _kill_group(pgid: int) -> None:
    """Kill what the killed run left behind: its extraction workers outlive it (they are not
    told that their parent died) and would hold their memory until the machine restarts."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.mark.slow
def test_sigkill_with_workers_on_postgres_then_rerun_stores_everything_once(pg_url, nlp, tmp_path):
    paths = _write_corpus(tmp_path / "corpus")
    ref = _reference(nlp, paths)
    assert len(ref) == N_ARTICLES and sum(s for s, _, _ in ref.values()) > N_ARTICLES
    rng = random.Random(20260309)
    cmd = [
        str(CLAIMGRAPH), "analyze", str(tmp_path / "corpus"), "--db", pg_url, "--quiet",
        "--no-link", "--workers", WORKERS, "--batch-size", BATCH,
    ]  # fmt: skip
    kills = stored = 0
    with psycopg.connect(pg_url, autocommit=True) as conn:
        for _ in range(N_KILLS + 5):  # a few spare runs, in case one ends before its kill
            if kills == N_KILLS:
                break
            target = stored + rng.randint(1, 6)  # kill once it has written a few more ...
            proc = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
            )
            deadline = time.monotonic() + 180
            while proc.poll() is None and time.monotonic() < deadline:
                if _stored(conn) >= target:
                    break
                time.sleep(0.03)
            time.sleep(rng.uniform(0, 0.15))  # ... at a random moment between or inside writes
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait()
            _kill_group(proc.pid)
            stored = _check_whole(conn, ref)
        assert kills == N_KILLS, f"only {kills} runs could be killed before they finished"
        assert 0 < stored < N_ARTICLES

        final = run_cli(*cmd[1:], timeout=600)
        assert final.returncode == 0, final.stderr.decode()
        assert _check_whole(conn, ref) == N_ARTICLES
        assert _state(conn) == ref
        n_files = conn.execute("SELECT count(*) FROM input_files").fetchone()[0]
        assert n_files == N_ARTICLES
