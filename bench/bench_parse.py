"""claimgraph's spaCy pipeline against the stock one: the same annotations, and what each
component costs (`claimgraph.extract.fastpipe`).

On the same PolNeAR texts as bench_analyze.py: both pipelines parse every text, every token
attribute claimgraph or spaCy stores is compared (text, tag, part of speech, morphology, lemma,
dependency and head, sentence starts, entities, norm), and each component is timed on its own
(process CPU time, docs passed from component to component as `nlp.pipe` does).

    python bench/bench_parse.py --limit 1000 --doc docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import load_texts, polnear_parser, publish  # noqa: E402

SECTION = "parse-components"


def component_seconds(nlp: Any, texts: list[str], batch_size: int) -> tuple[dict[str, float], list]:
    """CPU seconds per component (tokenizer first) and the parsed docs."""
    out: dict[str, float] = {}
    t = time.process_time()
    docs = [nlp.make_doc(x) for x in texts]
    out["tokenizer"] = time.process_time() - t
    for name, proc in nlp.pipeline:
        t = time.process_time()
        docs = list(proc.pipe(docs, batch_size=batch_size))
        out[name] = time.process_time() - t
    return out, docs


def differing(a_docs: list, b_docs: list) -> int:
    import numpy as np
    from spacy import attrs as sa

    attrs = [sa.ORTH, sa.TAG, sa.POS, sa.MORPH, sa.LEMMA, sa.DEP, sa.HEAD, sa.SENT_START]
    attrs += [sa.ENT_IOB, sa.ENT_TYPE, sa.NORM, sa.IS_SPACE]
    bad = 0
    for a, b in zip(a_docs, b_docs, strict=True):
        if not np.array_equal(a.to_array(attrs), b.to_array(attrs)) or [
            (t.lemma_, t.pos_, str(t.morph)) for t in a
        ] != [(t.lemma_, t.pos_, str(t.morph)) for t in b]:
            bad += 1
    return bad


def run(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    from claimgraph.extract.run import MODEL, load_pipeline

    texts = [t for _, t in load_texts(args.data, args.limit)]
    stock, ours = spacy.load(MODEL), load_pipeline()
    stock(texts[0]), ours(texts[0])  # warm both (lazy tables)
    stock_s, stock_docs = component_seconds(stock, texts, args.batch_size)
    ours_s, ours_docs = component_seconds(ours, texts, args.batch_size)
    return {
        "articles": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "stock": stock_s,
        "ours": ours_s,
        "differ": differing(stock_docs, ours_docs),
    }


def markdown(r: dict[str, Any], command: str) -> str:
    stock, ours = r["stock"], r["ours"]
    lines = [
        f"<!-- bench:{SECTION} -->",
        "### claimgraph's spaCy pipeline against the stock one (issue 8)",
        "",
        f"{r['articles']} PolNeAR train+dev articles ({r['words']:,} words); process CPU"
        f" seconds per component; x86_64, Python {platform.python_version()}."
        f" Command: `{command}`",
        "",
        "| component | stock spaCy (s) | claimgraph (s) |",
        "|---|---:|---:|",
    ]
    lines += [f"| {n} | {stock[n]:.2f} | {ours[n]:.2f} |" for n in stock]
    total_s, total_o = sum(stock.values()), sum(ours.values())
    lines += [
        f"| **all** | **{total_s:.2f}** | **{total_o:.2f}** ({total_o / total_s:.2f}×) |",
        "",
        f"- articles whose annotations differ in any token attribute: **{r['differ']}** of"
        f" {r['articles']}",
        f"<!-- /bench:{SECTION} -->",
    ]
    return "\n".join(lines)


def main() -> int:
    args = polnear_parser(__doc__.split("\n")[0]).parse_args()
    if not (args.data / "data").is_dir():
        raise SystemExit(f"PolNeAR not found at {args.data}")
    return publish(args, "bench_parse.py", SECTION, markdown, run(args))


if __name__ == "__main__":
    raise SystemExit(main())
