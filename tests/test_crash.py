"""A run killed with SIGKILL at any moment, then re-run, ends with every article and statement
stored exactly once and an intact database."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CLAIMGRAPH, invoke_cli

N_ARTICLES = 36


def _write_corpus(folder: Path) -> None:
    folder.mkdir()
    for i in range(N_ARTICLES):
        body = (
            f"Officials in district {i} met on Monday.\n\n"
            f'"We will rebuild bridge number {i} before winter," Mayor Lena Varga said.\n\n'
            f"Critics said the plan for district {i} was too expensive, according to a local report.\n\n"
            f"Varga rejected claims of waste, saying the budget for project {i} had been audited."
        )
        (folder / f"article_{i:03d}.txt").write_text(body, encoding="utf-8")


def _counts(db: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(db)
    try:
        return tuple(
            con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "statements", "article_sources")
        )  # type: ignore[return-value]
    finally:
        con.close()


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(con.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_stores_everything_once(tmp_path):
    corpus = tmp_path / "corpus"
    _write_corpus(corpus)
    ref = tmp_path / "ref.db"
    assert invoke_cli("analyze", str(corpus), "--db", str(ref), "--quiet").returncode == 0
    ref_counts = _counts(ref)
    assert ref_counts[0] == N_ARTICLES and ref_counts[1] > N_ARTICLES

    db = tmp_path / "killed.db"
    kills = 0
    for target in (1, 10, 20):  # kill after at least `target` articles are stored
        proc = subprocess.Popen(
            [
                str(CLAIMGRAPH),
                "analyze",
                str(corpus),
                "--db",
                str(db),
                "--quiet",
                "--batch-size",
                "2",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while proc.poll() is None and _stored(db) < target and time.monotonic() < deadline:
            time.sleep(0.02)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    assert kills >= 2, "the runs finished before they could be killed"
    assert _stored(db) < N_ARTICLES or kills < 3

    final = invoke_cli("analyze", str(corpus), "--db", str(db), "--quiet", "--json")
    assert final.returncode == 0, final.stderr
    assert _counts(db) == ref_counts
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        per_article = dict(con.execute("SELECT article_id, count(*) FROM statements GROUP BY 1"))
    finally:
        con.close()
    con = sqlite3.connect(ref)
    try:
        assert per_article == dict(
            con.execute("SELECT article_id, count(*) FROM statements GROUP BY 1")
        )
    finally:
        con.close()
