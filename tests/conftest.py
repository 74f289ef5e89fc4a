from __future__ import annotations

import contextlib
import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
EVALDATA = SHARED / "evaldata"
CORPUS = REPO / "examples" / "corpus"
CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is not present")
    return SEEDS


def copy_store(src: Path, dest: Path) -> Path:
    """A copy of the closed SQLite store ``src`` at ``dest`` (a closed store is its one file:
    its write-ahead log is empty or gone)."""
    wal = Path(f"{src}-wal")
    assert not wal.exists() or wal.stat().st_size == 0, f"{src} is open or was not closed"
    shutil.copyfile(src, dest)
    return dest


@pytest.fixture(scope="session")
def seeds_store(seeds_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The seeds analyzed and linked once per session, ``claimgraph analyze SEEDS --quiet``
    (in-process): the store and what the run printed. Nothing opens this store: a module
    takes its own copy (`copy_store`), read it or write to it."""
    db = tmp_path_factory.mktemp("session-seeds") / "seeds.db"
    res = invoke_cli("analyze", str(seeds_dir), "--db", str(db), "--quiet")
    assert res.returncode == 0, res.stderr.decode()
    return db, res.stdout.decode()


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """The sample corpus with its outlets table, analyzed and linked once per session,
    ``claimgraph analyze examples/corpus --outlets examples/outlets.csv --json``
    (in-process): the store and the run's JSON summary. Nothing opens this store: a module
    takes its own copy (`copy_store`)."""
    import json

    db = tmp_path_factory.mktemp("session-corpus") / "corpus.db"
    outlets = CORPUS.parent / "outlets.csv"
    res = invoke_cli("analyze", str(CORPUS), "--outlets", str(outlets), "--db", str(db), "--json")
    assert res.returncode == 0, res.stderr.decode()
    return db, json.loads(res.stdout)


@pytest.fixture(scope="session")
def nlp():
    from claimgraph.extract.run import load_pipeline

    return load_pipeline()


# A statement's speaker as the report, web UI and API group it: its actor across the corpus
# (claimgraph.link.actors; the link step stores the names that fold in speaker_actors).
ACTOR_SQL = (
    "coalesce((SELECT x.actor FROM speaker_actors x WHERE x.speaker = statements.speaker), speaker)"
)


def negated_statements(db: Path | str) -> dict[str, tuple[str, str]]:
    """{statement id: (speaker, cue)} of the statements whose reporting verb the article's
    stored text negates ("Wang did not disclose …"), read with `negated_cue` over each
    article's text (not the store's own flag): what no speaker list or facet counts."""
    import sqlite3

    from claimgraph.extract.verbs import negated_cue

    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    texts = dict(con.execute("SELECT id, text FROM articles").fetchall())
    rows = [dict(r) for r in con.execute("SELECT * FROM statements")]
    con.close()
    return {
        r["id"]: (r["speaker"], r["cue"]) for r in rows if negated_cue(texts[r["article_id"]], r)
    }


def speaking_sql(db: Path | str) -> str:
    """A WHERE condition on ``statements``: those a speaker list counts, a speaker and no
    negated report (`negated_statements`)."""
    ids = [f"'{i}'" for i in negated_statements(db)] or ["''"]  # hex ids: "<article>:s<n>"
    return f"speaker <> '' AND id NOT IN ({', '.join(ids)})"


# The two negated reports of the seeds, as read in the text: seeds/001 "Wang Wenbin did not
# disclose the names …", seeds/004 "Her end-of-visit statement did not call out …" (hers:
# "U.N. High Commissioner for Human Rights Michelle Bachelet wrapped up …" just before).
SEEDS_NEGATED = {
    ("Wang Wenbin", "disclose"),
    ("Michelle Bachelet's end-of-visit statement", "call"),
}


def run_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    timeout: int = 600,
    env: dict[str, str] | None = None,
):
    """Run the real `claimgraph` executable; returns CompletedProcess with text output.
    $CLAIMGRAPH_DB is not inherited (a test sets it through ``env``)."""
    base = {k: v for k, v in os.environ.items() if k != "CLAIMGRAPH_DB"}
    env = dict(base, PYTHONUNBUFFERED="1", COLUMNS="200", **(env or {}))
    return subprocess.run(
        [str(CLAIMGRAPH), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=timeout,
        env=env,
    )


def invoke_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run `claimgraph ARGS` in this process with click's CliRunner: the same command, options,
    output and exit status as `run_cli`, without the ~2 s start of a process that imports
    spaCy and the models. For tests of what a command prints, stores or refuses; a test of
    process behaviour (kills, signals, worker processes, the installed executable) uses
    `run_cli`. An exception the command lets through is raised here (a process would print
    its traceback and exit 1). $CLAIMGRAPH_DB is not inherited; the collector settings a
    command changes (claimgraph.scale.gcpolicy) are put back afterwards."""
    from click.testing import CliRunner

    from claimgraph.cli import main

    environ: dict[str, str | None] = {"CLAIMGRAPH_DB": None, "COLUMNS": "200", **(env or {})}
    threshold = gc.get_threshold()
    try:
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            res = CliRunner().invoke(
                main,
                list(args),
                input=stdin,
                env=environ,
                catch_exceptions=False,
                prog_name="claimgraph",
            )
    finally:
        gc.set_threshold(*threshold)
    return subprocess.CompletedProcess(
        ["claimgraph", *args], res.exit_code, res.stdout_bytes, res.stderr_bytes
    )
