from __future__ import annotations

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
