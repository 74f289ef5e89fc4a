"""A per-file time limit (``--file-timeout``): `parse_input` in a child process.

A reader stuck on a pathological file (an HTML parser's worst case, a decoder loop) cannot be
interrupted safely inside this process: a thread cannot be killed, and an alarm raised in the
middle of lxml or a regex could leave shared state half-updated. A child process can be killed
outright, so each input's bytes go to one long-lived child that parses them and sends back the
results; when it takes longer than the limit, or dies (a crash in a C extension, the
out-of-memory killer), the file is recorded as failed with the reason, the child is killed and
the next file gets a fresh one. Nothing in this process is touched by the kill.

The child comes from a forkserver with `claimgraph.ingest` preloaded, so it starts from a clean,
single-threaded process (never a fork of this one, which may hold threads and open database
connections), and a replacement after a kill starts in milliseconds.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
from multiprocessing.connection import Connection
from typing import Any, Protocol

from claimgraph.ingest import parse_input
from claimgraph.ingest.base import IngestFailure, IngestOptions, RawArticle
from claimgraph.ingest.decode import display
from claimgraph.ingest.outlets import OutletMap

Result = RawArticle | IngestFailure
log = logging.getLogger(__name__)
STARTUP_SECONDS = 120.0  # for the child to import the readers (slow on a loaded machine)


class Parser(Protocol):
    def parse(self, path: str, data: bytes) -> list[Result]: ...

    def close(self) -> None: ...


class InlineParser:
    """No time limit: parse in this process."""

    def __init__(self, options: IngestOptions, outlets: OutletMap | None) -> None:
        self.options, self.outlets = options, outlets

    def parse(self, path: str, data: bytes) -> list[Result]:
        return parse_input(path, data, self.options, outlets=self.outlets)

    def close(self) -> None:
        pass


def _serve(conn: Connection, options: IngestOptions, outlets: OutletMap | None) -> None:
    """The child: parse each (path, data) it is sent until told to stop or the parent is gone.
    Ctrl-C is the parent's to handle (it then closes the pipe, and this loop ends)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn.send("ready")
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        path, data = message
        try:
            results = parse_input(path, data, options, outlets=outlets)
        except Exception as exc:  # MemoryError, RecursionError, a reader bug: this file fails
            results = [IngestFailure(path, f"reading {display(path)} failed: {exc!r}")]
        conn.send(results)


class SandboxParser:
    """`parse_input` in a killable child process, at most `timeout` seconds per input."""

    def __init__(self, options: IngestOptions, outlets: OutletMap | None, timeout: float) -> None:
        self.options, self.outlets, self.timeout = options, outlets, timeout
        self._proc: Any = None
        self._conn: Connection | None = None
        self._broken = False  # the child cannot be started here: parse inline

    def _start(self) -> Connection | None:
        if self._conn is not None or self._broken:
            return self._conn
        proc = None
        try:
            ctx = multiprocessing.get_context("forkserver")  # ValueError where there is none
            ctx.set_forkserver_preload(["claimgraph.ingest.sandbox"])
            parent, child = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(child, self.options, self.outlets), daemon=True)
            proc.start()
            child.close()
            if not parent.poll(STARTUP_SECONDS) or parent.recv() != "ready":
                raise OSError("the reader process did not start")
        except (OSError, EOFError, ValueError) as exc:
            log.warning("no per-file time limit (%s); reading in this process", exc)
            self._broken = True
            if proc is not None and proc.is_alive():
                proc.kill()
            return None
        self._proc, self._conn = proc, parent
        return parent

    def _kill(self) -> int | None:
        """Stop the child now; returns its exit code."""
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is None:
            return None
        if proc.is_alive():
            proc.kill()
        proc.join(10)
        return proc.exitcode

    def parse(self, path: str, data: bytes) -> list[Result]:
        conn = self._start()
        if conn is None:
            return parse_input(path, data, self.options, outlets=self.outlets)
        name = display(path)
        try:
            conn.send((path, data))
            if conn.poll(self.timeout):
                results: list[Result] = conn.recv()
                return results
        except (EOFError, OSError) as exc:
            code = self._kill()
            how = (
                f"exit code {code}" if code is not None and code >= 0 else f"signal {-(code or 0)}"
            )
            return [
                IngestFailure(
                    path,
                    f"reading {name} crashed the reader process ({how}; {type(exc).__name__}); "
                    "the file may be corrupt",
                )
            ]
        self._kill()
        return [
            IngestFailure(
                path,
                f"reading {name} took longer than the {self.timeout:g}-second limit; "
                "pass --file-timeout to raise it",
            )
        ]

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
            if self._proc is not None:
                self._proc.join(5)
        self._kill()


def make_parser(options: IngestOptions, outlets: OutletMap | None) -> Parser:
    """A sandboxed parser when `options.file_timeout` is set, else an inline one."""
    if options.file_timeout:
        return SandboxParser(options, outlets, options.file_timeout)
    return InlineParser(options, outlets)
