"""The analysis tables as flat rows, for `claimgraph export profiles|matrix|variants|wire|
timeline`: one `compare()` result, flattened so a spreadsheet or a dataframe can read it.

Each table is (columns, rows of a compare result): columns are (name, kind) with kind "str",
"int", "float", "bool" or "json" (a list or dict, written as JSON text in CSV and Parquet).

- profiles: one row per (outlet, measure, key): every share and rate of the profiles with
  its bootstrap interval (measure ``terms_narrated_share`` carries the term as key);
- matrix: one row per (claim, outlet) cell, with its counts by voice and stance and the
  member, article and statement ids;
- variants: one row per member of a quote-variant group;
- wire: one row per member of a wire-copy group;
- timeline: one row per (period type, period, outlet, claim) count;
- talking_points: one row per use of a talking point (its first use marked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .matrix import matrix_rows
from .profiles import MEASURES

STR, INT, FLOAT, BOOL, JSON = "str", "int", "float", "bool", "json"
Columns = list[tuple[str, str]]

PROFILE_MEASURES = MEASURES
PROFILE_COLUMNS: Columns = [
    ("outlet", STR),
    ("n_articles", INT),
    ("measure", STR),
    ("key", STR),
    ("value", FLOAT),
    ("lo", FLOAT),
    ("hi", FLOAT),
    ("num", FLOAT),
    ("den", FLOAT),
]
MATRIX_COLUMNS: Columns = [
    ("claim_id", STR),
    ("claim_label", STR),
    ("topic_id", STR),
    ("topic", STR),
    ("outlet", STR),
    ("stance", STR),
    ("source", STR),
    ("carried", STR),
    ("outlet_affirm", INT),
    ("outlet_deny", INT),
    ("outlet_report", INT),
    ("speakers_affirm", INT),
    ("speakers_deny", INT),
    ("speakers_report", INT),
    ("n_members", INT),
    ("article_ids", JSON),
    ("member_ids", JSON),
    ("statement_ids", JSON),
]
VARIANT_COLUMNS: Columns = [
    ("group", INT),
    ("is_reference", BOOL),
    ("statement_id", STR),
    ("article_id", STR),
    ("source", STR),
    ("outlet", STR),
    ("kind", STR),
    ("speaker", STR),
    ("cue", STR),
    ("cue_class", STR),
    ("difference", STR),
    ("different_verb_class", BOOL),
    ("different_speaker", BOOL),
    ("similarity", FLOAT),
    ("is_wire_copy", BOOL),
    ("quote", STR),
]
WIRE_COLUMNS: Columns = [
    ("group", INT),
    ("original", STR),
    ("article_id", STR),
    ("source", STR),
    ("outlet", STR),
    ("agency", STR),
    ("published", STR),
    ("is_wire_copy", BOOL),
    ("jaccard_to_original", FLOAT),
    ("containment_to_original", FLOAT),
]
TALKING_POINT_COLUMNS: Columns = [
    ("talking_point_id", STR),
    ("phrase", STR),
    ("camp", STR),
    ("n_occasions", INT),
    ("is_first_use", BOOL),
    ("article_id", STR),
    ("outlet", STR),
    ("published", STR),
    ("voice", STR),
    ("statement_id", STR),
    ("speaker", STR),
    ("affiliation", STR),
    ("country", STR),
    ("start", INT),
    ("end", INT),
    ("text", STR),
]
TIMELINE_COLUMNS: Columns = [
    ("period_type", STR),
    ("period", STR),
    ("outlet", STR),
    ("claim_id", STR),
    ("n", INT),
]


def profile_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for p in result["outlets"]:
        base = {"outlet": p["label"], "n_articles": p["n_articles"]}
        for measure in PROFILE_MEASURES:
            for key, share in p[measure].items():
                yield {**base, "measure": measure, "key": key, **share}
        for term, v in p["terms"].items():
            yield {**base, "measure": "terms_narrated_share", "key": term, **v["narrated_share"]}


def variant_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for n, g in enumerate(result["quote_variants"], 1):
        for i, m in enumerate(g["members"]):
            yield {**m, "group": n, "is_reference": i == g["reference"]}


def wire_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for n, g in enumerate(result["wire_groups"], 1):
        for m in g["members"]:
            yield {**m, "group": n, "original": g["original"]}


def talking_point_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """One row per use of each talking point, its first use marked."""
    for tp in result["talking_points"]:
        base = {
            "talking_point_id": tp["id"],
            "phrase": tp["phrase"],
            "camp": tp["camp"],
            "n_occasions": tp["n_occasions"],
        }
        for i, u in enumerate(tp["uses"]):
            yield {**base, **u, "is_first_use": i == 0}


def timeline_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for period_type in ("day", "week"):
        for b in result["timeline"][f"by_{period_type}"]:
            yield {**b, "period_type": period_type}


TABLES: dict[str, tuple[Columns, Callable[[dict[str, Any]], Iterable[dict[str, Any]]]]] = {
    "profiles": (PROFILE_COLUMNS, profile_rows),
    "matrix": (MATRIX_COLUMNS, lambda r: matrix_rows(r["matrix"])),
    "variants": (VARIANT_COLUMNS, variant_rows),
    "wire": (WIRE_COLUMNS, wire_rows),
    "timeline": (TIMELINE_COLUMNS, timeline_rows),
    "talking_points": (TALKING_POINT_COLUMNS, talking_point_rows),
}


def analysis_rows(store: Any, what: str) -> Iterator[dict[str, Any]]:
    """Rows of analysis table `what` over the whole store (default compare options)."""
    from .compare import compare

    _, rows_of = TABLES[what]
    result = compare(store, list_limit=None)  # the rows list every member
    for r in rows_of(result):
        yield {name: r.get(name) for name, _ in TABLES[what][0]}
