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
