"""The same inputs give the same stored records in-process, with a process pool, and on Ray."""

from __future__ import annotations

import json
import shutil
import tempfile

import pytest

from conftest import run_cli

TEXTS = [
    '"We will not accept this," Foreign Minister Ana Perez said on Tuesday. "Never."',
    "The ministry said the bridge was safe, according to a statement. Critics disagreed.",
    "Mayor Lena Varga rejected claims of waste, saying the budget had been audited.",
    "There is no crisis, said government spokesman Tomas Reyes. He added that aid was on its way.",
    'Activists called it a so-called "reform" that would hurt more than 10,000 families.',
    "The report accused the company of hiding losses. The company denied it.",
]


def _corpus(folder):
    folder.mkdir()
    for i, t in enumerate(TEXTS):
        (folder / f"a{i}.txt").write_text(t, encoding="utf-8")


def _dump(db):
    out = {}
    for what in ("articles", "statements", "cues", "terms"):
        res = run_cli("export", what, "--db", str(db), "--format", "jsonl")
        assert res.returncode == 0, res.stderr.decode()
        rows = [json.loads(x) for x in res.stdout.decode().splitlines()]
        out[what] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    return out


@pytest.mark.slow
def test_engines_store_identical_records(tmp_path, monkeypatch):
    # Ray's socket paths must stay short: a pytest tmp path is too long for them.
    ray_tmp = tempfile.mkdtemp(prefix="cgray")
    monkeypatch.setenv("CLAIMGRAPH_RAY_TMPDIR", ray_tmp)
    try:
        _compare_engines(tmp_path)
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)


def _compare_engines(tmp_path):
    corpus = tmp_path / "c"
    _corpus(corpus)
    dumps = {}
    for name, args in {
        "inline": [],
        "pool": ["--workers", "2"],
        "ray": ["--engine", "ray", "--workers", "2"],
    }.items():
        db = tmp_path / f"{name}.db"
        res = run_cli("analyze", str(corpus), "--db", str(db), "--quiet", "--json", *args)
        assert res.returncode == 0, res.stderr.decode()[-2000:]
        assert json.loads(res.stdout)["stored"] == len(TEXTS)
        dumps[name] = _dump(db)
    assert dumps["inline"]["statements"], "the corpus must yield statements"
    assert dumps["pool"] == dumps["inline"]
    assert dumps["ray"] == dumps["inline"]
