"""Search and an incremental `analyze` on an N-article PostgreSQL store (issue 29 item 3).

1. Start a throwaway PostgreSQL server (`scripts/pg_test_server.sh start DIR`, as the tests
   start theirs, with the bigger buffers of `SERVER_OPTS`) and analyze a small real corpus into
   it with the real CLI: examples/corpus with examples/outlets.csv, plus ../shared/seeds when
   present (the source of bench/bench_search.py).
2. Grow the store to N articles by replicating the source's rows on the server, INSERT …
   SELECT over generate_series (nothing is parsed again): articles, sources, statements, cues,
   term uses, claim members and the link step's record of linked articles, each replica with
   new ids (``<id>-r<replica>``) and its publication date shifted by its replica number. The
   replicas' members join the source's claims (claims, candidates and topics are the source's,
   their member counts scaled): the store looks linked, but its claims do not multiply with
   the articles as a real corpus's would. Secondary indexes are dropped during the load and
   built again after it, and foreign-key triggers are off in the loading session (the rows
   are consistent by construction); then VACUUM ANALYZE.
3. Measure: `GET /api/search` through FastAPI's TestClient with bench_search.py's queries
   (p50/p95/max, CPU count, load average); an incremental `claimgraph analyze --json` of
   `--new` new articles (PolNeAR train, then dev, then PTC train articles, as .txt files) into
   the big store: wall time, peak RSS of its largest process, the link step's summary, and
   what the run wrote to stored articles (linked_articles rows and claim members, before and
   after), which says whether it re-linked only the new articles; the database size.

    python bench/bench_pg_scale.py --articles 1000000 --keep /tmp/pgscale --doc docs/benchmarks.md

With ``--keep DIR`` the server's data stays in DIR and the server keeps running at the end;
a later run with the same DIR reuses the store (resuming the server if it was stopped). The
incremental run writes its articles into the store: a kept store that has them already is
measured again only after a fresh build.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_search  # noqa: E402  (a sibling script: the queries and helpers are shared)

REPO = bench_search.REPO
CLAIMGRAPH = bench_search.CLAIMGRAPH
EVAL = REPO.parent / "shared" / "evaldata"
SCRIPT = REPO / "scripts" / "pg_test_server.sh"
SECTION = "pg-scale-{n}"  # one section of docs/benchmarks.md per --articles
# A server for a benchmark, not for tests: buffers a team's server would have on this machine.
SERVER_OPTS = (
    "-c shared_buffers=2GB -c effective_cache_size=12GB -c work_mem=64MB"
    " -c maintenance_work_mem=1GB -c max_wal_size=2GB -c checkpoint_timeout=30min"
)
# Tables with one row set per replica, and how each column of a replica is made from the
# source row's (`t`) and the replica number (`r`); columns not named are copied.
REF = (
    "CASE WHEN t.{c} IS NULL THEN NULL ELSE split_part(t.{c}, ':', 1) || '-r' || r"
    " || substr(t.{c}, strpos(t.{c}, ':')) END"
)
PER_REPLICA: dict[str, dict[str, str]] = {
    "articles": {
        "id": "t.id || '-r' || r",
        "published": "CASE WHEN t.published ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'"
        " THEN to_char(t.published::date + (r % 1000), 'YYYY-MM-DD') ELSE t.published END",
    },
    "article_sources": {
        "article_id": "t.article_id || '-r' || r",
        "source": "t.source || '#r' || r",
    },
    "statements": {"id": REF.format(c="id"), "article_id": "t.article_id || '-r' || r"},
    "cues": {
        "id": REF.format(c="id"),
        "article_id": "t.article_id || '-r' || r",
        "statement_id": REF.format(c="statement_id"),
    },
    "term_uses": {
        "id": REF.format(c="id"),
        "article_id": "t.article_id || '-r' || r",
        "statement_id": REF.format(c="statement_id"),
    },
    "claim_members": {
        "member_id": "t.member_id || '-r' || r",
        "article_id": "t.article_id || '-r' || r",
        "statement_id": REF.format(c="statement_id"),
    },
    "linked_articles": {"article_id": "t.article_id || '-r' || r"},
}
CHUNK_ARTICLES = 50_000  # articles written per transaction


# ---------------------------------------------------------------- the server


def start_server(folder: Path) -> str:
    """A server with its data in `folder` (started, resumed, or found running): its URL."""
    port_file = folder / "port"
    if (folder / "data" / "postmaster.pid").exists() and port_file.exists():
        return f"postgresql://postgres@127.0.0.1:{port_file.read_text().strip()}/claimgraph_test"
    command = "resume" if (folder / "data").exists() else "start"
    env = {**os.environ, "PG_TEST_SERVER_OPTS": SERVER_OPTS}
    res = subprocess.run(
        ["bash", str(SCRIPT), command, str(folder)], capture_output=True, text=True, env=env
    )
    if res.returncode != 0:
        raise SystemExit(f"pg_test_server.sh {command} failed:\n{res.stderr}")
    return res.stdout.strip().splitlines()[-1]


def server_cpu_s(folder: Path) -> float | None:
    """CPU seconds of the server's ended processes: the postmaster's children times, which
    hold each backend's CPU once it exits (the API's pooled connections end when the app
    shuts down, at the end of the measurement: `backends_gone`)."""
    try:
        pid = (folder / "data" / "postmaster.pid").read_text().split()[0]
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")  # cutime, cstime


def backends_gone(url: str, timeout_s: float = 10.0) -> None:
    """Wait until the API's connections have ended (the app closes its pool when it shuts
    down): a backend's CPU reaches the postmaster's children times only when it exits."""
    deadline = time.monotonic() + timeout_s
    with connect(url) as conn:
        while time.monotonic() < deadline:
            if not scalar(
                conn,
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'claimgraph'",
            ):
                return
            time.sleep(0.05)


def settled_cpu_s(folder: Path, timeout_s: float = 5.0) -> float | None:
    """`server_cpu_s` once it stops growing: a backend leaves pg_stat_activity a moment
    before the postmaster reaps it and adds its CPU to the children times."""
    cpu, deadline = server_cpu_s(folder), time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = server_cpu_s(folder)
        if now == cpu:
            break
        cpu = now
    return cpu


def stop_server(folder: Path) -> None:
    subprocess.run(["bash", str(SCRIPT), "stop", str(folder)], check=False, capture_output=True)


@contextmanager
def connect(url: str) -> Iterator[Any]:
    import psycopg

    conn = psycopg.connect(url, autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


def scalar(conn: Any, sql: str) -> Any:
    return conn.execute(sql).fetchone()[0]


# ---------------------------------------------------------------- the store


def analyze_source(url: str) -> None:
    """The small real corpus, analyzed by the real CLI into the empty database."""
    bench_search.analyze_source(url)  # type: ignore[arg-type]  # a URL is a --db too


def columns(conn: Any, table: str) -> list[str]:
    """Stored columns in declared order, without generated ones (the search vectors)."""
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema ="
        " current_schema() AND table_name = %s AND is_generated = 'NEVER'"
        " ORDER BY ordinal_position",
        (table,),
    )
    return [r[0] for r in rows]


def replica_select(table: str, cols: list[str]) -> str:
    """The select list of one replica's row of `table` (a row `t` of the source, replica r)."""
    exprs = PER_REPLICA[table]
    return ", ".join(exprs.get(c, f't."{c}"') for c in cols)


def secondary_indexes(conn: Any) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the replicated tables' indexes that back no
    constraint: dropped for the load, built again after it."""
    rows = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema()"
        " AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
        " WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))"
        "::regclass) ORDER BY i.indexname",
        (list(PER_REPLICA),),
    )
    return [(r[0], r[1]) for r in rows]


def replicate(url: str, n_articles: int, say: Any = print) -> dict[str, Any]:
    """Add replicas of the source's rows until the store holds at least `n_articles`
    articles (a whole number of replicas of the source); seconds per phase."""
    seconds: dict[str, float] = {}
    with connect(url) as conn:
        n_src = scalar(conn, "SELECT count(*) FROM articles")
        replicas = max(1, -(-n_articles // n_src))
        conn.execute("DROP SCHEMA IF EXISTS bench_src CASCADE")
        conn.execute("CREATE SCHEMA bench_src")
        cols = {t: columns(conn, t) for t in PER_REPLICA}
        for table in PER_REPLICA:
            names = ", ".join(f'"{c}"' for c in cols[table])
            conn.execute(f"CREATE TABLE bench_src.{table} AS SELECT {names} FROM {table}")
        indexes = secondary_indexes(conn)
        t = time.perf_counter()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        per_chunk = max(1, CHUNK_ARTICLES // n_src)
        for lo in range(1, replicas, per_chunk):
            hi = min(replicas - 1, lo + per_chunk - 1)
            with conn.transaction():
                conn.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
                for table in PER_REPLICA:
                    names = ", ".join(f'"{c}"' for c in cols[table])
                    conn.execute(
                        f"INSERT INTO {table} ({names}) SELECT {replica_select(table, cols[table])}"
                        f" FROM bench_src.{table} t, generate_series({lo}, {hi}) r"
                    )
            say(
                f"  replicas {lo}-{hi} of {replicas - 1}: {(hi + 1) * n_src:,} articles,"
                f" {time.perf_counter() - t:.0f} s"
            )
        # every replica's members are members of the source's claims
        conn.execute(f"UPDATE claims SET n_members = n_members * {replicas}")
        conn.execute("DROP SCHEMA bench_src CASCADE")
        seconds["rows"] = time.perf_counter() - t
        t = time.perf_counter()
        for name, ddl in indexes:
            conn.execute(ddl)
            say(f"  index {name}: {time.perf_counter() - t:.0f} s")
        seconds["indexes"] = time.perf_counter() - t
        t = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        seconds["vacuum"] = time.perf_counter() - t
    return {"replicas": replicas, "source_articles": n_src, "seconds": seconds}


def store_info(url: str) -> dict[str, Any]:
    with connect(url) as conn:
        info: dict[str, Any] = {
            t: scalar(conn, f"SELECT count(*) FROM {t}")
            for t in ("articles", "statements", "claim_members", "claims", "claim_candidates")
        }
        info["db_bytes"] = scalar(conn, "SELECT pg_database_size(current_database())")
        info["tables"] = conn.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c"
            " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
            " AND c.relkind = 'r' ORDER BY 2 DESC LIMIT 6"
        ).fetchall()
        info["server"] = scalar(conn, "SHOW server_version")
        info["settings"] = {
            k: scalar(conn, f"SHOW {k}") for k in ("shared_buffers", "work_mem", "fsync")
        }
    return info


def build(url: str, n_articles: int, say: Any = print) -> dict[str, Any]:
    t = time.perf_counter()
    analyze_source(url)
    source_s = time.perf_counter() - t
    say(f"source analyzed in {source_s:.0f} s")
    rep = replicate(url, n_articles, say)
    rep["seconds"]["source"] = source_s
    rep["seconds"]["total"] = time.perf_counter() - t
    return rep


# ---------------------------------------------------------------- the incremental run


def new_texts(n: int) -> list[Path]:
    """`n` news articles the store has not seen, in a fixed order: PolNeAR train, then dev
    (their raw .txt), then PTC's training articles."""
    folders = [
        EVAL / "polnear" / "data" / "train" / "text",
        EVAL / "polnear" / "data" / "dev" / "text",
        EVAL / "ptc" / "train-articles",
    ]
    paths = [p for f in folders if f.is_dir() for p in sorted(f.glob("*.txt"))]
    if len(paths) < n:
        raise SystemExit(f"only {len(paths)} new articles in {EVAL}; pass --new {len(paths)}")
    return paths[:n]


def touched(url: str, since: str | None = None) -> dict[str, int]:
    """Counts of the link step's tables and, with `since` (the clock linked_at is written
    with), the linked_articles rows written after it and the claim members of the articles
    linked before it."""
    with connect(url) as conn:
        out = {
            "linked": scalar(conn, "SELECT count(*) FROM linked_articles"),
            "members": scalar(conn, "SELECT count(*) FROM claim_members"),
            "claims": scalar(conn, "SELECT count(*) FROM claims"),
            "candidates": scalar(conn, "SELECT count(*) FROM claim_candidates"),
            "articles": scalar(conn, "SELECT count(*) FROM articles"),
        }
        if since is not None:
            out["linked_since"] = scalar(
                conn, f"SELECT count(*) FROM linked_articles WHERE linked_at >= '{since}'"
            )
            # members of the articles linked before `since` (the replicas and the source)
            out["members_old"] = scalar(
                conn,
                "SELECT count(*) FROM claim_members m JOIN linked_articles l"
                f" ON l.article_id = m.article_id WHERE l.linked_at < '{since}'",
            )
    return out


def incremental(url: str, n_new: int, tmp: Path) -> dict[str, Any]:
    """`claimgraph analyze --json` of `n_new` new articles into the store, timed."""
    folder = tmp / "new"
    folder.mkdir()
    for p in new_texts(n_new):
        shutil.copy(p, folder / p.name)
    before = touched(url)
    from claimgraph.store.rows import now

    since = now()  # the clock linked_at is written with
    cmd = [str(CLAIMGRAPH), "analyze", str(folder), "--db", url, "--json", "--quiet"]
    timed = ["/usr/bin/time", "-f", "MAXRSS_KB %M"] if Path("/usr/bin/time").exists() else []
    t = time.perf_counter()
    res = subprocess.run([*timed, *cmd], capture_output=True, text=True)
    wall = time.perf_counter() - t
    if res.returncode != 0:
        raise SystemExit(f"analyze failed ({res.returncode}):\n{res.stderr[-3000:]}")
    m = re.search(r"MAXRSS_KB (\d+)", res.stderr)
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    after = touched(url, since)
    return {
        "command": " ".join(["claimgraph", "analyze", "NEW", "--db", "URL", "--json"]),
        "wall": wall,
        "rss_mb": int(m.group(1)) / 1024 if m else None,
        "summary": summary,
        "before": before,
        "after": after,
    }


# ---------------------------------------------------------------- the report


def markdown(
    info: dict[str, Any],
    search: dict[str, Any],
    inc: dict[str, Any] | None,
    command: str,
    section: str,
) -> str:
    times: dict[str, list[float]] = search["times"]
    cpu: dict[str, list[float]] = search["cpu"]
    every = [t for ts in times.values() for t in ts]
    every_cpu = [t for ts in cpu.values() for t in ts]
    p95, p95_cpu = bench_search.percentile(every, 95), bench_search.percentile(every_cpu, 95)
    pct = bench_search.percentile
    server_cpu = (
        f"{info['server_cpu_ms']:.1f} ms" if info.get("server_cpu_ms") is not None else "unknown"
    )
    added = (
        f", and {info['added_articles']:,} articles an earlier incremental run of this"
        " command added to the kept store, with the claims they made"
        if info.get("added_articles")
        else ""
    )
    sizes = ", ".join(f"{name} {size / 1e9:.1f} GB" for name, size in info["tables"])
    lines = [
        f"<!-- bench:{section} -->",
        f"### Search and incremental analyze on a {info['articles']:,}-article PostgreSQL store"
        " (issue 29)",
        "",
        f"{info['articles']:,} articles ({info['statements']:,} statements,"
        f" {info['claim_members']:,} claim members, {info['claims']:,} claims), replicated on"
        f" the server from {info['source_articles']} analyzed articles (examples/corpus + seeds;"
        " INSERT … SELECT over generate_series, new ids, dates shifted by replica; the replicas'"
        " members join the source's claims, so claims do not multiply with the articles)"
        f"{added}."
        f" PostgreSQL {info['server']} (a throwaway server from scripts/pg_test_server.sh:"
        f" fsync {info['settings']['fsync']}, shared_buffers {info['settings']['shared_buffers']},"
        f" work_mem {info['settings']['work_mem']}), on the same machine as the client."
        f" {info['cpus']} CPUs shared with other work, {info['ram_gb']:.0f} GB RAM,"
        f" {platform.machine()}, Python {platform.python_version()}. {info['built']}"
        f" Command: `{command}`",
        "",
        f"**Database size: {info['db_bytes'] / 1e9:.1f} GB** (largest tables with their"
        f" indexes and TOAST: {sizes}).",
        "",
        f"**Search** (`GET /api/search` with facets through FastAPI's TestClient, one client,"
        f" {len(bench_search.QUERIES)} queries of bench/bench_search.py × {info['rounds']} rounds"
        f" after a warm-up round; load average {info['load']:.1f} before, {info['load_end']:.1f}"
        " after):",
        "",
        "| query | total hits | p50 ms | p95 ms | max ms | CPU p50 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, qs in bench_search.QUERIES:
        ts = times[label]
        lines.append(
            f"| {label} (`{qs or '(none)'}`) | {search['totals'][label]:,} |"
            f" {statistics.median(ts):.1f} | {pct(ts, 95):.1f} | {max(ts):.1f} |"
            f" {statistics.median(cpu[label]):.1f} |"
        )
    lines += [
        "",
        f"- all requests: p50 {statistics.median(every):.1f} ms, p95 {p95:.1f} ms,"
        f" max {max(every):.1f} ms (target p95 ≤ 100 ms: {'met' if p95 <= 100 else 'missed'});"
        f" CPU time of the client process per request p50 {statistics.median(every_cpu):.1f} ms,"
        f" p95 {p95_cpu:.1f} ms; the server's CPU per request, the mean over every request"
        f" (warm-up included): {server_cpu}",
    ]
    if inc is not None:
        lines += incremental_lines(inc)
    lines.append(f"<!-- /bench:{section} -->")
    return "\n".join(lines)


def incremental_lines(inc: dict[str, Any]) -> list[str]:
    s, b, a = inc["summary"], inc["before"], inc["after"]
    link = s.get("link") or {}
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in (link.get("timings") or {}).items())
    relinked_old = a["linked_since"] - s["stored"]
    rss = f"{inc['rss_mb']:,.0f} MB" if inc["rss_mb"] is not None else "not measured"
    return [
        "",
        f"**Incremental analyze** of {s['stored']:,} new articles ({inc['n_new']:,} .txt files:"
        " PolNeAR train, then dev, then PTC train articles) into that store, one worker:"
        f" `{inc['command']}`.",
        "",
        "| measure | value |",
        "|---|---:|",
        f"| wall time, whole `analyze` | **{inc['wall']:.0f} s** |",
        f"| link step (its own timer) | {link.get('seconds', 0):.0f} s ({timings}) |",
        f"| peak RSS, largest process | {rss} |",
        f"| link step: articles linked | {link.get('articles', 0):,} |",
        f"| link step: units, new claims, grown claims, members added |"
        f" {link.get('units', 0):,}, {link.get('new_claims', 0):,},"
        f" {link.get('grown_claims', 0):,}, {link.get('members_added', 0):,} |",
        f"| linked_articles rows written by the run | {a['linked_since']:,}"
        f" (stored articles re-linked: {relinked_old:,}) |",
        f"| claim members of the articles stored before the run, before → after |"
        f" {b['members']:,} → {a['members_old']:,} |",
        f"| database size after the run | {inc['db_bytes'] / 1e9:.1f} GB |",
        f"| claims, candidates before → after | {b['claims']:,} → {a['claims']:,},"
        f" {b['candidates']:,} → {a['candidates']:,} |",
        "",
    ]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=1_000_000)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--new", type=int, default=1000, help="new articles for the incremental run")
    p.add_argument("--keep", type=Path, help="the server's folder, kept (and reused) after")
    p.add_argument("--doc", type=Path, help="update this Markdown file's section")
    p.add_argument("--skip-incremental", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="cgpgscale") as tmp_name:
        tmp = Path(tmp_name)
        # its own folder under /tmp: as root, the server's user must reach it
        folder = args.keep.resolve() if args.keep else Path(tempfile.mkdtemp(prefix="cgpgscale"))
        reused = (folder / "data").exists()
        url = start_server(folder)
        try:
            if reused:
                # brought to the code's schema (its newer migrations' indexes) first
                from claimgraph.store import open_store

                open_store(url).close()
                built = "Store reused (`--keep`)."
            else:
                rep = build(url, args.articles, say=lambda m: print(m, file=sys.stderr))
                s = rep["seconds"]
                built = (
                    f"Store built in {s['total']:.0f} s: source analyzed {s['source']:.0f} s,"
                    f" {rep['replicas'] - 1:,} replicas written {s['rows']:.0f} s, indexes"
                    f" {s['indexes']:.0f} s, VACUUM ANALYZE {s['vacuum']:.0f} s."
                )
            print(built, file=sys.stderr)
            info = store_info(url)
            with connect(url) as conn:
                # the replicated articles, and those a kept store's earlier runs added
                info["source_articles"] = scalar(
                    conn,
                    "SELECT count(*) FROM articles a WHERE a.id !~ '-r[0-9]+$' AND EXISTS"
                    " (SELECT 1 FROM articles r WHERE r.id = a.id || '-r1')",
                )
                info["added_articles"] = (
                    scalar(conn, "SELECT count(*) FROM articles WHERE id !~ '-r[0-9]+$'")
                    - info["source_articles"]
                )
            info.update(
                cpus=os.cpu_count(),
                ram_gb=os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9,
                rounds=args.rounds,
                built=built,
                load=os.getloadavg()[0],
            )
            cpu0 = server_cpu_s(folder)
            search = bench_search.measure(url, args.rounds)  # type: ignore[arg-type]
            backends_gone(url)
            cpu1 = settled_cpu_s(folder)
            requests = (args.rounds + 1) * len(bench_search.QUERIES)
            info["server_cpu_ms"] = (
                (cpu1 - cpu0) * 1000 / requests if cpu0 is not None and cpu1 is not None else None
            )
            info["load_end"] = os.getloadavg()[0]
            inc = None
            if not args.skip_incremental:
                inc = incremental(url, args.new, tmp)
                inc["n_new"] = args.new
                print(json.dumps(inc, default=str), file=sys.stderr)
                with connect(url) as conn:
                    inc["db_bytes"] = scalar(conn, "SELECT pg_database_size(current_database())")
        finally:
            if args.keep is None:
                stop_server(folder)
                shutil.rmtree(folder, ignore_errors=True)
    command = "python bench/bench_pg_scale.py " + " ".join(sys.argv[1:])
    md = markdown(info, search, inc, command, SECTION.format(n=args.articles))
    print(md)
    if args.doc:
        bench_search.update_doc(args.doc, SECTION.format(n=args.articles), md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
