"""Build the news background that tells a talking point from stock wording: in how many
articles of general English news each common word occurs.

    python scripts/build_news_words.py [--data ../shared/evaldata]
                                       [--out src/claimgraph/data/news_words.json]

Reads PolNeAR's training texts (US political news, ``polnear/data/train/text``) and the
training part of PTC (``ptc/train-articles``, the ids of ``src/claimgraph/data/ptc_split.json``'s
``train``: its held-out part and SemEval-2020 Task 11's dev and test sets are not read). Each
article's words are split and stemmed as `claimgraph.analyze.talking_points.words` does; the
table keeps, for each stem found in at least ``--min-share`` of the articles, the number of
articles it occurs in. Counts of single words only: no text, no phrase, nothing of an
article's order survives. Deterministic.
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path

from claimgraph.analyze.talking_points import words

REPO = Path(__file__).resolve().parents[1]


def article_texts(data: Path) -> list[str]:
    split = json.loads((REPO / "src/claimgraph/data/ptc_split.json").read_text(encoding="utf-8"))
    polnear = sorted((data / "polnear/data/train/text").glob("*.txt"))
    ptc = [data / f"ptc/train-articles/article{aid}.txt" for aid in sorted(split["train"])]
    if not polnear or not all(p.is_file() for p in ptc):
        raise SystemExit(f"{data} lacks polnear/data/train/text or ptc/train-articles")
    return [p.read_text(encoding="utf-8") for p in (*polnear, *ptc)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared/evaldata")
    ap.add_argument("--out", type=Path, default=REPO / "src/claimgraph/data/news_words.json")
    ap.add_argument("--min-share", type=float, default=0.01)
    args = ap.parse_args()
    texts = article_texts(args.data)
    df: Counter[str] = Counter()
    for text in texts:
        df.update({w.key for run in words(text) for w in run})
    min_df = math.ceil(args.min_share * len(texts))
    table = {
        "note": "articles of PolNeAR train and PTC's training part holding each word (stem); "
        "made by scripts/build_news_words.py",
        "articles": len(texts),
        "min_df": min_df,
        "df": {k: n for k, n in sorted(df.items()) if n >= min_df},
    }
    args.out.write_text(json.dumps(table, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{len(texts)} articles, {len(table['df'])} words in >= {min_df} -> {args.out}")


if __name__ == "__main__":
    main()
