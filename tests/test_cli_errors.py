"""User mistakes are one-line errors with a non-zero exit and no traceback."""

from __future__ import annotations

import pytest

from conftest import REPO, invoke_cli, run_cli


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "no/such/folder"], "error: path not found: no/such/folder; check the path"),
        (
            ["export", "articles", "--db", "missing.db"],
            "error: database not found: missing.db; run 'claimgraph analyze' first",
        ),
        (
            ["summary", "--db", "missing.db"],
            "error: database not found: missing.db; run 'claimgraph analyze' first",
        ),
        (
            ["analyze", "x.txt", "--encoding", "klingon"],
            "error: unknown encoding 'klingon'; use a name like utf-8, latin-1 or cp1252",
        ),
    ],
    ids=["missing-path", "export-missing-db", "summary-missing-db", "bad-encoding"],
)
def test_user_mistakes_are_one_line_errors(tmp_path, args, message):
    """The installed executable, as a user runs it: nothing but the message on stderr (no
    warning printed while the command imports what it needs)."""
    if "x.txt" in args:
        (tmp_path / "x.txt").write_text("Some text.", encoding="utf-8")
    res = run_cli(*args, cwd=tmp_path)
    err = res.stderr.decode()
    assert res.returncode == 2
    assert err.strip() == message
    assert "Traceback" not in err


def test_bad_option_value_is_a_usage_error(tmp_path):
    res = invoke_cli("analyze", ".", "--max-bytes", "0", cwd=tmp_path)
    assert res.returncode == 2
    assert "Invalid value for '--max-bytes'" in res.stderr.decode()
    assert "Traceback" not in res.stderr.decode()


def test_parquet_to_stdout_is_refused(tmp_path):
    db = tmp_path / "e.db"
    from claimgraph.store import open_store

    open_store(db).close()
    res = invoke_cli("export", "articles", "--db", str(db), "--format", "parquet")
    assert res.returncode == 2
    assert res.stderr.decode().strip() == "error: parquet is binary: pass --out FILE.parquet"


def test_cli_reference_is_current():
    from claimgraph.clidoc import cli_markdown

    doc = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert doc == cli_markdown(), "regenerate: python -m claimgraph.clidoc > docs/cli.md"
    # the help options the CLI takes (its context settings), on every command's page: the
    # page is the same whether or not a command ran in this process before
    assert doc.count("-h, --help") == doc.count("## `claimgraph")


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://ann:s3cret@db.local:5432/news", "postgresql://ann:***@db.local:5432/news"),
        ("postgresql://ann@db.local/news", "postgresql://ann@db.local/news"),
        ("claimgraph.db", "claimgraph.db"),
    ],
    ids=["password", "no-password", "sqlite-file"],
)
def test_database_urls_are_shown_without_password(url, shown):
    from claimgraph.cli import _redact

    assert _redact(url) == shown


def test_an_unreachable_ray_address_is_a_quick_clear_error(tmp_path):
    """`--engine ray --address HOST:PORT` where nothing listens: a one-line error at once, not a
    wait without end (ray.init's own), and no article stored as if extracted."""
    import socket
    import time

    pytest.importorskip("ray")
    with socket.socket() as s:  # a port nothing listens on once closed
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text('"No," the minister said.', encoding="utf-8")
    db = tmp_path / "x.db"
    t = time.monotonic()
    res = invoke_cli(
        "analyze", str(tmp_path / "c"), "--db", str(db),
        "--engine", "ray", "--workers", "1", "--address", f"127.0.0.1:{port}",
    )  # fmt: skip
    assert res.returncode == 2, res.stderr.decode()
    err = res.stderr.decode()
    assert f"cannot reach Ray at 127.0.0.1:{port}" in err and "ray start --head" in err
    assert time.monotonic() - t < 60
    if db.exists():
        import sqlite3

        with sqlite3.connect(db) as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
