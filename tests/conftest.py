from __future__ import annotations

import contextlib
import gc
import os
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
