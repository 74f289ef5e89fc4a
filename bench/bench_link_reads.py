"""What the link step reads back of a big store (issue 29): for each batch of new articles,
the stored claims with their member counts (`Store.claim_centroids`), and for the topics, at
each run, the words of every claim member. Peak RSS, wall and CPU time of each read in a
process of its own, as this checkout reads them and as the code before "link: a batch reads
its own articles' counts; topics read member words" (3734eac) read them:

- centroids, before: `claim_centroids()`, every claim with its per-article member counts;
- centroids, after: `claim_centroids(ids)` for a batch of 150 article ids (stored articles,
  so that the counts are not empty: a new batch's are);
- topics, before: every member of `claim_members()` (with its article's columns), its text
  kept per claim; after: `member_words()`, each claim's distinct texts kept once.

    python bench/bench_link_reads.py STORE

STORE: a linked store, e.g. bench/bench_search.py's replicated one (`--keep`), opened
read-only.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

WHAT = ("centroids-before", "centroids-after", "topics-before", "topics-after")


def measure(what: str, db: str) -> dict[str, object]:
    from claimgraph.store import open_store

    store = open_store(db, readonly=True)
    t, c = time.perf_counter(), time.process_time()
    n = 0
    if what.startswith("centroids"):
        if what == "centroids-before":
            rows = list(store.claim_centroids())
        else:
            batch = [a["id"] for a in store.articles_to_link(all_articles=True)][:150]
            rows = list(store.claim_centroids(batch))
        n = sum(len(r["articles"]) for r in rows)
        assert rows, "the store has no claims with their link state (claim_state)"
    elif what == "topics-before":
        kept: dict[str, list[str]] = defaultdict(list)
        for m in store.claim_members():
            if m.get("via", "meaning") == "meaning":
                kept[m["claim_id"]].append(m["text"])
        n = sum(len(v) for v in kept.values())
    else:
        once: dict[str, dict[str, None]] = defaultdict(dict)
        for m in store.member_words():
            once[m["claim_id"]].setdefault(m["text"])
        n = sum(len(v) for v in once.values())
    return {
        "what": what,
        "rows_kept": n,
        "wall_s": round(time.perf_counter() - t, 1),
        "cpu_s": round(time.process_time() - c, 1),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }


def main() -> None:
    if len(sys.argv) == 3:  # one measure, in this process
        print(json.dumps(measure(sys.argv[1], sys.argv[2])))
        return
    db = sys.argv[1]
    if not Path(db).exists():
        raise SystemExit(f"{db}: no such store")
    for what in WHAT:
        out = subprocess.run(
            [sys.executable, __file__, what, db], capture_output=True, text=True, check=True
        )
        print(out.stdout.strip())


if __name__ == "__main__":
    main()
