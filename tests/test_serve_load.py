"""`claimgraph serve` under load while `claimgraph analyze` writes to the same SQLite store
(issue 9): the real server (uvicorn, started by the real CLI on a free loopback port), real
HTTP clients in threads, a real writer process. Zero errors, and no reader ever sees a
half-written article: every article seen during the load has, in that response, exactly the
statements, cues and term uses the database holds for it once the writer has finished.

The suite runs a short load (20 clients, ~5 s); `make fuzz` runs the long one:
CLAIMGRAPH_LOAD_CLIENTS=50 CLAIMGRAPH_LOAD_SECONDS=30."""

from __future__ import annotations

import os
import random
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import CLAIMGRAPH, CORPUS, REPO, copy_store

pytestmark = [pytest.mark.slow, pytest.mark.seeds]

CLIENTS = int(os.environ.get("CLAIMGRAPH_LOAD_CLIENTS", "20"))
SECONDS = float(os.environ.get("CLAIMGRAPH_LOAD_SECONDS", "5"))
WORDS = ["china", "genocide", "said", "river", "dam", "rights", "xinjiang", '"human rights"', ""]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def store(tmp_path, seeds_store) -> Path:
    """A store holding the seeds: the server has something to serve from the start."""
    return copy_store(seeds_store[0], tmp_path / "live.db")


@pytest.fixture
def server(store, tmp_path) -> Iterator[str]:
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [str(CLAIMGRAPH), "serve", "--db", str(store), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(
                    f"serve exited {proc.returncode}: {(tmp_path / 'serve.log').read_text()}"
                )
            try:
                if httpx.get(base + "/api/outlets", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("serve did not answer within 90 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


class Load:
    """Shared state of the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.seen: list[tuple[str, int, int, int]] = []  # article, statements, cues, terms
        self.listed: list[tuple[str, int]] = []  # article, n_statements in /api/articles
        self.totals: set[int] = set()  # article totals seen by /api/articles
        self.hit_ids: set[str] = set()
        self.requests = 0


def client_loop(base: str, load: Load, stop: threading.Event, seed: int) -> None:
    rnd = random.Random(seed)
    with httpx.Client(base_url=base, timeout=30) as http:
        while not stop.is_set():
            with load.lock:
                ids = list(load.ids)
            choice = rnd.random()
            try:
                if choice < 0.45 and ids:
                    params = {
                        "q": rnd.choice(WORDS),
                        "kind": rnd.choice(["articles", "statements"]),
                    }
                    if rnd.random() < 0.3:
                        params["cue_type"] = "scare_quote"
                    res = http.get("/api/search", params=params)
                    body = res.json() if res.status_code == 200 else None
                    if body is not None:
                        with load.lock:
                            load.hit_ids.update(h["article_id"] for h in body["hits"])
                elif choice < 0.6 or not ids:
                    res = http.get("/api/articles", params={"limit": 200})
                    if res.status_code == 200:
                        items = res.json()["items"]
                        with load.lock:
                            load.ids = [a["id"] for a in items]
                            load.listed += [(a["id"], a["n_statements"]) for a in items]
                            load.totals.add(res.json()["total"])
                else:
                    aid = rnd.choice(ids)
                    res = http.get(f"/api/articles/{aid}")
                    if res.status_code == 200:
                        a = res.json()
                        with load.lock:
                            load.seen.append(
                                (aid, len(a["statements"]), len(a["cues"]), len(a["terms"]))
                            )
                with load.lock:
                    load.requests += 1
                    if res.status_code != 200:
                        load.errors.append(f"{res.request.url}: {res.status_code} {res.text[:200]}")
            except Exception as exc:  # every failure is counted and reported below
                with load.lock:
                    load.errors.append(f"{type(exc).__name__}: {exc}")


def final_counts(db: Path) -> dict[str, tuple[int, int, int]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out: dict[str, list[int]] = {
            r[0]: [0, 0, 0] for r in conn.execute("SELECT id FROM articles")
        }
        for i, table in enumerate(("statements", "cues", "term_uses")):
            for aid, n in conn.execute(f"SELECT article_id, count(*) FROM {table} GROUP BY 1"):
                out[aid][i] = n
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return {k: (v[0], v[1], v[2]) for k, v in out.items()}
    finally:
        conn.close()


def test_serve_answers_load_while_analyze_writes(server, store, tmp_path):
    before = set(final_counts(store))
    load = Load()
    stop = threading.Event()
    threads = [
        threading.Thread(target=client_loop, args=(server, load, stop, i), daemon=True)
        for i in range(CLIENTS)
    ]
    for t in threads:
        t.start()
    time.sleep(0.5)  # the load is running before the writer starts
    writer = subprocess.Popen(
        [
            str(CLAIMGRAPH),
            "analyze",
            str(CORPUS),
            "--outlets",
            str(REPO / "examples" / "outlets.csv"),
            "--db",
            str(store),
            "-q",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started = time.monotonic()
    try:
        out, err = writer.communicate(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
    # keep the load on for SECONDS in all, and a little past the writer's last commit
    time.sleep(max(0.5, SECONDS - (time.monotonic() - started)))
    stop.set()
    for t in threads:
        t.join(timeout=60)
    assert writer.returncode == 0, err.decode()[-2000:]

    print(
        f"{load.requests} requests from {CLIENTS} clients in"
        f" {time.monotonic() - started:.0f} s, {len(load.errors)} errors;"
        f" {len(load.seen)} article reads checked"
    )
    assert load.errors == [], f"{len(load.errors)} errors, first: {load.errors[:5]}"
    final = final_counts(store)
    assert len(final) > len(before)
    assert load.requests >= CLIENTS * 5
    # the reads overlapped the writes: some listing saw the store before the last article,
    # and articles the writer added were read back in detail
    assert min(load.totals) < len(final), load.totals
    assert any(s[0] not in before for s in load.seen), "no new article was read"
    for aid, n_st, n_cues, n_terms in load.seen:
        assert (n_st, n_cues, n_terms) == final[aid], f"article {aid} seen half-written"
    for aid, n_st in load.listed:
        assert n_st == final[aid][0], f"article {aid} listed with {n_st} statements"
    assert load.hit_ids <= set(final)
