"""Helpers shared by the claim tests (tests/test_link_store.py, tests/test_encoder_static.py):
the CLI run that must succeed, the stored claims as `claimgraph export claims` records, and
the seeds split into the two batches of the incremental tests."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from claimgraph.present.export import claim_records
from claimgraph.store import open_store
from conftest import invoke_cli


def cli_ok(*args: str) -> str:
    """Run ``claimgraph ARGS`` (in-process); its stdout, after asserting it exited 0."""
    res = invoke_cli(*args)
    assert res.returncode == 0, res.stderr.decode()
    return res.stdout.decode()


def claims_of(db: str | Path, *, rebuttals: bool = False) -> list[dict]:
    """`claimgraph export claims` as parsed records, read in-process (a subprocess per read
    would double a test module's time). The clustering tests read the members that joined
    by their words: rebuttals (``via`` = 'rebuttal', tests/test_link_rebuttals.py) are left
    out unless ``rebuttals``."""
    store = open_store(db, readonly=True)
    try:
        records = json.loads(json.dumps(list(claim_records(store)), ensure_ascii=False))
    finally:
        store.close()
    if not rebuttals:
        for r in records:
            r["members"] = [m for m in r["members"] if m["via"] != "rebuttal"]
    return records


def claim_with(claims: list[dict], fragment: str) -> dict:
    """The one claim with a member whose text holds ``fragment``."""
    (found,) = [c for c in claims if any(fragment in m["text"] for m in c["members"])]
    return found


def member_with(claim: dict, fragment: str) -> dict:
    """The one member of ``claim`` whose text holds ``fragment``."""
    (found,) = [m for m in claim["members"] if fragment in m["text"]]
    return found


def split_seeds(root: Path, seeds_dir: Path) -> tuple[Path, Path]:
    """Seeds 000-002 in one folder under ``root``, 003-004 in another."""
    first, second = root / "first", root / "second"
    for folder, prefixes in ((first, "012"), (second, "34")):
        folder.mkdir()
        for p in prefixes:
            (path,) = seeds_dir.glob(f"00{p}_*.txt")
            shutil.copy(path, folder / path.name)
    return first, second
