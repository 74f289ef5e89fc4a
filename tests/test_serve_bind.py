"""`claimgraph serve` listens on loopback only unless told otherwise (the real server, checked
in the kernel's socket table, not from its own log line)."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from conftest import CLAIMGRAPH, invoke_cli

LOOPBACK_HEX = "0100007F"  # 127.0.0.1 as /proc/net/tcp writes it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> set[str]:
    """Local addresses (hex) listening on `port`, from /proc/net/tcp (state 0A = LISTEN)."""
    out = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        addr, hex_port = fields[1].split(":")
        if int(hex_port, 16) == port and fields[3] == "0A":
            out.add(addr)
    return out


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux /proc/net/tcp")
def test_serve_binds_loopback_by_default(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text('"We will build it," the minister said.\n', encoding="utf-8")
    db = tmp_path / "s.db"
    assert invoke_cli("analyze", str(art), "--db", str(db), "-q", "--no-link").returncode == 0
    port = _free_port()
    proc = subprocess.Popen(
        [str(CLAIMGRAPH), "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "serve did not start listening"
            time.sleep(0.2)
        assert _listening(port) == {LOOPBACK_HEX}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
