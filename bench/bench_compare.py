"""Streamed outlet profiles and claim x outlet matrix (issue 29): exact equality with the
in-memory computation on real news, and the memory of `claimgraph compare` before and after.

    python bench/bench_compare.py equal --limit 900 [--pg URL] --doc docs/benchmarks.md
    python bench/bench_compare.py memory --articles 100000 --against REV --keep STORE \\
        --doc docs/benchmarks.md

``equal``: the first ``--limit`` PolNeAR train+dev texts written as .txt files, each with a
sidecar naming its outlet (the file name's prefix: breitbart, nyt, …, 7 outlets of 132
articles) and its date, so that every outlet's bootstrap resamples many articles; analyzed by
the real CLI into SQLite (with ``--pg``, the same rows copied into that fresh PostgreSQL
database); then compare's wire groups, profiles, matrix, timeline, quote variants and talking
points, and `outlet_profiles` and the API's talking points under other options, checked string for string against the in-memory reference
(tests/streamed_reference.py, through tests/test_compare_stream.py's `assert_same`).

``memory``: the replicated store of bench/bench_search.py (``--keep`` builds it there once,
or reuses it); the peak RSS and wall time of ``claimgraph compare --json``, and of the
profiles, the matrix or the wire groups alone (``--what``), each in a process of its own, for
this checkout and for git revision ``--against`` (its src/ exported with ``git archive``).
``--section compare-wire`` writes the figures to that section of ``--doc`` instead.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO / "tests"))
from bench_search import big_store, update_doc  # noqa: E402

CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"
POLNEAR = REPO.parent / "shared" / "evaldata" / "polnear"

# One process's peak RSS (MB) and wall seconds for a snippet run with PYTHONPATH=src.
_MEASURED = (
    "import resource,sys,time\n"
    "t=time.perf_counter()\n"
    "{body}\n"
    "u=resource.getrusage(resource.RUSAGE_SELF)\n"
    "k=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "sys.stderr.write('%.1f %.1f %.0f %.1f %.0f\\n' % (time.perf_counter()-t,"
    " u.ru_utime+u.ru_stime, u.ru_maxrss/1024, k.ru_utime+k.ru_stime, k.ru_maxrss/1024))\n"
)
WHAT = {
    "compare": (
        "from claimgraph.cli import main\n"
        "sys.argv=['claimgraph','compare','--db',sys.argv[1],'--json']\n"
        "sys.stdout=open('/dev/null','w')\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    ),
    "compare-workers": (
        "from claimgraph.cli import main\n"
        "sys.argv=['claimgraph','compare','--db',sys.argv[1],'--json','--workers','3']\n"
        "sys.stdout=open('/dev/null','w')\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    ),
    "profiles": (
        "from claimgraph.store import open_store\n"
        "from claimgraph.analyze.profiles import outlet_profiles\n"
        "s=open_store(sys.argv[1], readonly=True); outlet_profiles(s, count_wire_copies=True)"
    ),
    # what compare runs for the matrix and the timeline, on every article (no wire copy left
    # out, none looked for), each cell and the timeline listing up to compare's LIST_LIMIT
    "matrix": (
        "from claimgraph.store import open_store\n"
        "from claimgraph.analyze.compare import LIST_LIMIT, _matrix_part\n"
        "from claimgraph.analyze.corpus import article_index\n"
        "from claimgraph.analyze.profiles import PROFILED_COLUMNS\n"
        "s=open_store(sys.argv[1], readonly=True); ix=article_index(s, PROFILED_COLUMNS)\n"
        "_matrix_part(s, ix, ix.select(None), LIST_LIMIT)"
    ),
    # what compare runs: each group lists its first 100 copies
    "wire": (
        "from claimgraph.store import open_store\n"
        "from claimgraph.analyze.wire import store_wire_groups\n"
        "s=open_store(sys.argv[1], readonly=True); store_wire_groups(s, listed=101)"
    ),
    "variants": (
        "from claimgraph.store import open_store\n"
        "from claimgraph.analyze.variants import quote_variants\n"
        "s=open_store(sys.argv[1], readonly=True); quote_variants(s)"
    ),
    "talking": (
        "from claimgraph.store import open_store\n"
        "from claimgraph.analyze.talking_points import store_talking_points\n"
        "s=open_store(sys.argv[1], readonly=True); store_talking_points(s)"
    ),
    # the claim network as `claimgraph export graph` builds it: the wire copies looked for
    "graph": (
        "from claimgraph.store import open_store\n"
        "from claimgraph.present.gexf import build_graph\n"
        "s=open_store(sys.argv[1], readonly=True); build_graph(s)"
    ),
    # the same with no wire copy (every article's statements counted) and no search for them:
    # the streamed graph's worst case; the in-memory one told that no article is a copy
    "graph_all": (
        "import inspect\n"
        "from claimgraph.store import open_store\n"
        "import claimgraph.present.gexf as g\n"
        "s=open_store(sys.argv[1], readonly=True)\n"
        "if 'wire_copies' in inspect.signature(g.build_graph).parameters:\n"
        "    g.build_graph(s, wire_copies=set())\n"
        "else:\n"
        "    g.find_wire_groups=lambda articles: []; g.build_graph(s)"
    ),
}
# The Markdown section each `memory` run writes (--section), and its title.
SECTIONS = {
    "compare-memory": "`compare` memory with streamed profiles and matrix (issue 29)",
    "compare-wire": "`compare` memory with streamed wire groups (issue 29)",
    "compare-memory-variants": "`compare` memory with quote variants and talking points"
    " off the statement list (issue 29)",
    "compare-1m": "`compare` at 100,011 and 1,000,008 articles (issue 29)",
    "compare-pg": "`compare` on a PostgreSQL store (issue 29)",
}


def measured(src: Path, what: str, db: Path | str) -> tuple[float, float, float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MB, and the CPU seconds and largest peak RSS MB
    of the worker processes it waited for) of one snippet of `WHAT` run on `db` with `src`
    first."""
    env = dict(os.environ, PYTHONPATH=str(src))
    code = _MEASURED.format(body=WHAT[what])
    res = subprocess.run(
        [sys.executable, "-c", code, str(db)], env=env, capture_output=True, text=True
    )
    if res.returncode != 0:
        raise SystemExit(f"{what} failed with {src}:\n{res.stderr[-2000:]}")
    secs, cpu, rss, kcpu, krss = res.stderr.strip().splitlines()[-1].split()
    return float(secs), float(cpu), float(rss), float(kcpu), float(krss)


def export_src(rev: str, into: Path) -> Path:
    """The src/ of git revision `rev`, exported into `into`."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def memory(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="cgbench") as tmp:
        if args.db:  # a store built elsewhere (bench_pg_scale.py's PostgreSQL replicas)
            big, built = args.db, "store given with --db"
        else:
            big, built = big_store(args.keep, Path(tmp), args.articles)
        codes = [("this checkout", REPO / "src")]
        if args.against != "none":  # "none": this checkout alone (a store too big for the old)
            codes.insert(0, (args.against, export_src(args.against, Path(tmp))))
        r: dict[str, Any] = {"built": built, "cpus": os.cpu_count(), "runs": []}
        r["counts"] = _counts(big)
        for what in args.what.split(","):
            for label, src in codes:
                secs, cpu, rss, kcpu, krss = measured(src, what, big)
                run = {"what": what, "code": label, "s": secs, "cpu_s": cpu, "rss_mb": rss}
                if kcpu:
                    run.update(workers_cpu_s=kcpu, workers_rss_mb=krss)
                r["runs"].append(run)
                print(json.dumps(r["runs"][-1]), flush=True)
        return r


def _counts(db: Path | str) -> dict[str, int]:
    from claimgraph.store import open_store

    store = open_store(db, readonly=True)
    try:
        return {
            t: store.count(t)
            for t in ("articles", "statements", "cues", "term_uses", "claim_members")
        }
    finally:
        store.close()


def memory_markdown(r: dict[str, Any], command: str, section: str) -> str:
    c = r["counts"]
    lines = [
        f"<!-- bench:{section} -->",
        f"### {SECTIONS[section]}",
        "",
        f"`{command}` (Python {platform.python_version()}, {r['cpus']} CPUs shared with"
        " other work;"
        f" {r['built']}): {c['articles']:,} articles, {c['statements']:,} statements,"
        f" {c['cues']:,} cues, {c['term_uses']:,} term uses, {c['claim_members']:,} claim"
        " members, replicated in SQL from the sample corpus and the seeds (bench_search.py,"
        " or bench_pg_scale.py on PostgreSQL)."
        " Each row is one process: wall time, CPU time (user + system) and peak RSS"
        " (`ru_maxrss`). *profiles*:"
        " `outlet_profiles(store, count_wire_copies=True)`, every article profiled (the replicas"
        " of an article are wire copies of each other: with copies left out a few dozen would"
        " be); *matrix*: the matrix and the timeline as compare makes them (`_matrix_part`),"
        " over every article; *wire*: `store_wire_groups(store, listed=101)`, the"
        " wire groups alone as compare finds them; *variants*: `quote_variants(store)`;"
        " *talking*: `store_talking_points(store)` (what the API serves: wire groups, quote"
        " variants, then the talking points); *compare*: `claimgraph compare --json`; *compare-workers*: the same with"
        " `--workers 3`.",
        "",
        "| what | code | wall | CPU | peak RSS |",
        "|---|---|---:|---:|---:|",
    ]
    for run in r["runs"]:
        cpu = f"{run['cpu_s']:.0f} s" if "cpu_s" in run else "–"
        rss = f"{run['rss_mb']:,.0f} MB"
        if run.get("workers_cpu_s"):
            cpu += f" + {run['workers_cpu_s']:.0f} s in the workers"
            rss += f" (largest worker {run['workers_rss_mb']:,.0f} MB)"
        lines.append(f"| {run['what']} | {run['code']} | {run['s']:.0f} s | {cpu} | {rss} |")
    lines.append(f"<!-- /bench:{section} -->")
    return "\n".join(lines)


def write_polnear(data: Path, limit: int, corpus: Path) -> int:
    """The PolNeAR texts as .txt files with sidecars (outlet, date from the file name)."""
    from claimgraph.eval.polnear import load_split

    n = 0
    for split in ("train", "dev"):
        for a in load_split(data, split):
            if n == limit:
                return n
            outlet, day = a.name.split("_")[:2]
            (corpus / f"{a.name}.txt").write_text(a.text, encoding="utf-8")
            meta = {"outlet": outlet, "published": day}
            (corpus / f"{a.name}.meta.json").write_text(json.dumps(meta), encoding="utf-8")
            n += 1
    return n


def equal(args: argparse.Namespace) -> dict[str, Any]:
    from test_compare_stream import assert_same, copy_to_postgres

    with tempfile.TemporaryDirectory(prefix="cgbench") as tmp:
        corpus, db = Path(tmp) / "corpus", Path(tmp) / "polnear.db"
        corpus.mkdir()
        r: dict[str, Any] = {"articles": write_polnear(args.data, args.limit, corpus)}
        t = time.perf_counter()
        cmd = [str(CLAIMGRAPH), "analyze", str(corpus), "--db", str(db), "--quiet"]
        subprocess.run(cmd, check=True, capture_output=True)
        r["analyze_s"] = time.perf_counter() - t
        r["backends"] = {}
        targets: list[tuple[str, Any]] = [("SQLite", db)]
        if args.pg:
            copy_to_postgres(db, args.pg)
            targets.append(("PostgreSQL", args.pg))
        for name, where in targets:
            t = time.perf_counter()
            result = assert_same(where, variants=True)  # raises where they differ
            r["backends"][name] = {
                "check_s": time.perf_counter() - t,
                "outlets": len(result["outlets"]),
                "voices": sum(p["n_voices"] for p in result["outlets"]),
                "members": sum(x["n_members"] for x in result["matrix"]["rows"]),
                "claims": len(result["matrix"]["rows"]),
                "variant_groups": len(result["quote_variants"]),
                "variant_members": sum(len(v["members"]) for v in result["quote_variants"]),
                "talking_points": len(result["talking_points"]),
            }
            print(name, json.dumps(r["backends"][name]), flush=True)
        return r


def equal_markdown(r: dict[str, Any], command: str) -> str:
    lines = [
        "<!-- bench:compare-equal -->",
        "### Streamed analyses equal the in-memory ones on PolNeAR (issue 29)",
        "",
        f"`{command}` ({time.strftime('%Y-%m-%d')}; {os.cpu_count()} CPUs shared with other"
        f" work, load average {os.getloadavg()[0]:.1f} at the end): the first"
        f" {r['articles']} PolNeAR train+dev articles, each under its outlet from its file name,"
        f" analyzed by the real CLI in {r['analyze_s']:,.0f} s (and copied into PostgreSQL)."
        " compare's wire groups, profiles (bootstrap intervals, 1,000 resamples), matrix,"
        " timeline, quote variants and talking points, `outlet_profiles` with wire copies"
        " counted, for two outlets, and by article, and the API's talking points with wire"
        " copies left out and counted, equal the in-memory reference"
        " (`tests/streamed_reference.py`) as JSON text, keys, order and every float:",
        "",
    ]
    for name, b in r["backends"].items():
        lines.append(
            f"- {name}: equal; {b['outlets']} outlets, {b['voices']:,} voices,"
            f" {b['claims']:,} claims with {b['members']:,} members in the matrix,"
            f" {b['variant_groups']:,} quote-variant groups of {b['variant_members']:,}"
            f" members, {b['talking_points']:,} talking points (checked in {b['check_s']:.0f} s)"
        )
    lines.append("<!-- /bench:compare-equal -->")
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("equal")
    e.add_argument("--data", type=Path, default=POLNEAR)
    e.add_argument("--limit", type=int, default=900)
    e.add_argument("--pg", help="a fresh, empty PostgreSQL database URL to check too")
    m = sub.add_parser("memory")
    m.add_argument("--articles", type=int, default=100_000)
    m.add_argument(
        "--against", default="1109172", help="git revision to compare with ('none': no other)"
    )
    m.add_argument("--keep", type=Path, help="build (or reuse) the big store at this path")
    m.add_argument(
        "--db", help="measure on this store instead (e.g. bench_pg_scale.py's PostgreSQL URL)"
    )
    m.add_argument(
        "--what",
        default="profiles,matrix,compare",
        help="which of them to run (or wire, variants, talking)",
    )
    m.add_argument("--section", default="compare-memory", choices=sorted(SECTIONS))
    for q in (e, m):
        q.add_argument("--doc", type=Path, help="update this Markdown file's section")
    args = p.parse_args()
    command = "python bench/bench_compare.py " + " ".join(sys.argv[1:])
    if args.cmd == "equal":
        md = equal_markdown(equal(args), command)
        section = "compare-equal"
    else:
        md = memory_markdown(memory(args), command, args.section)
        section = args.section
    print(md)
    if args.doc:
        update_doc(args.doc, section, md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
