"""Exports of stored records as JSONL, CSV or Parquet. Reads the store only.

CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
prefixed with a single quote: article text is untrusted."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from ..errors import UsageError
from ..extract.content import attribution_gap
from ..ingest.base import META_FIELDS
from ..link.actors import actor_of
from ..store import Store, negated

FORMATS = ("jsonl", "csv", "parquet")
STR, INT, JSON = "str", "int", "json"

ARTICLE_COLUMNS: list[tuple[str, str]] = [
    ("id", STR),
    ("source", STR),
    ("sources", STR),
    ("outlet", STR),
    ("outlet_country", STR),
    ("outlet_type", STR),
    ("title", STR),
    ("published", STR),
    ("dateline", STR),
    ("agency", STR),
    ("language", STR),
    ("author", STR),
    ("url", STR),
    ("n_words", INT),
    ("format", STR),
    *[(f"{f}_provenance", STR) for f in META_FIELDS],
]
STATEMENT_COLUMNS: list[tuple[str, str]] = [
    ("id", STR),
    ("article_id", STR),
    ("source", STR),
    ("outlet", STR),
    ("kind", STR),
    ("text", STR),
    ("content", STR),  # the text less an attribution inside it (extract.content)
    ("start", INT),
    ("end", INT),
    ("speaker", STR),
    ("actor", STR),
    ("speaker_mention", STR),
    ("speaker_start", INT),
    ("speaker_end", INT),
    ("speaker_type", STR),
    ("speaker_role", STR),
    ("speaker_title", STR),
    ("speaker_affiliation", STR),
    ("cue", STR),
    ("cue_start", INT),
    ("cue_end", INT),
    ("cue_class", STR),
    ("medium", STR),
    ("via", STR),
    ("negated", "bool"),  # the cue is negated: "did not disclose" (extract.verbs.negated_cue)
]
CUE_COLUMNS: list[tuple[str, str]] = [
    ("id", STR),
    ("article_id", STR),
    ("source", STR),
    ("outlet", STR),
    ("type", STR),
    ("text", STR),
    ("start", INT),
    ("end", INT),
    ("technique", STR),
    ("statement_id", STR),
    ("voice", STR),  # outlet (its narration, headline) or speaker (inside statement_id)
    ("speaker", STR),  # the statement's speaker, in a speaker's voice
    ("detail", JSON),
]
TERM_COLUMNS: list[tuple[str, str]] = [
    ("term", STR),
    ("variant", STR),
    ("group", STR),
    ("article_id", STR),
    ("source", STR),
    ("outlet", STR),
    ("voice", STR),
    ("start", INT),
    ("end", INT),
    ("statement_id", STR),
]


def _article_rows(store: Store) -> Iterator[dict[str, Any]]:
    for a in store.articles():
        sources = (a.pop("sources") or "").split("; ")
        row = dict(a)
        row["source"] = sources[0] if sources else None
        row["sources"] = "; ".join(sources)
        row["format"] = a["fmt"]
        for f in META_FIELDS:
            row[f"{f}_provenance"] = a[f"{f}_prov"]
        yield row


def _renamed(rows: Iterable[dict[str, Any]], **names: str) -> Iterator[dict[str, Any]]:
    for r in rows:
        for old, new in names.items():
            r[new] = r.pop(old)
        yield r


def _statement_rows(store: Store) -> Iterator[dict[str, Any]]:
    actors = store.actor_map()  # the corpus's name for each speaker (claimgraph.link.actors)
    for r in _renamed(store.statements(), start_char="start", end_char="end"):
        r["actor"] = actor_of(actors, r["speaker"])
        r["negated"] = negated(r)
        r["content"] = statement_content(r)
        yield r


def statement_content(st: dict[str, Any]) -> str:
    """A stored statement's words less the attribution inside it, the two pieces joined by
    " … " ('"We will win," Smith said on Monday, "and soon."' -> '"We will win," … "and
    soon."'): what the speaker said, as the link step and the evaluation read it."""
    text, lo = st["text"], st["start"]
    spans = [
        (st[a] - lo, st[b] - lo)
        for a, b in (("cue_start", "cue_end"), ("speaker_start", "speaker_end"))
        if st.get(a) is not None and st.get(b) is not None
    ]
    gap = attribution_gap(text, 0, len(text), st.get("kind"), spans)
    if gap is None:
        return text
    pieces = (text[: gap[0]].rstrip(), text[gap[1] :].lstrip())
    return " … ".join(p for p in pieces if p) or text


def _cue_rows(store: Store) -> Iterator[dict[str, Any]]:
    for r in _renamed(store.cues(), start_char="start", end_char="end"):
        r["detail"] = json.loads(r["detail"]) if r["detail"] else None
        yield r


CLAIM_COLUMNS: list[tuple[str, str]] = [
    ("claim_id", STR),
    ("label", STR),
    ("topic_id", STR),  # the claim's topic (claimgraph.claims.topics); null until assigned
    ("topic", STR),  # its label
    ("key_terms", JSON),
    ("n_members", INT),
]
TOPIC_COLUMNS: list[tuple[str, str]] = [
    ("topic_id", STR),
    ("label", STR),
    ("key_terms", JSON),
    ("n_claims", INT),
    ("n_members", INT),
    ("claim_ids", JSON),  # its claims, largest first
]
MEMBER_COLUMNS: list[tuple[str, str]] = [
    ("member_id", STR),
    ("statement_id", STR),
    ("article_id", STR),
    ("source", STR),
    ("outlet", STR),
    ("speaker", STR),
    ("actor", STR),
    ("voice", STR),
    ("stance", STR),
    ("text", STR),
    ("start", INT),
    ("end", INT),
    ("via", STR),
]


def claim_records(store: Store) -> Iterator[dict[str, Any]]:
    """One record per claim (largest first), its members nested in document order."""
    members: dict[str, list[dict[str, Any]]] = {}
    actors = store.actor_map()  # as in the statements export (claimgraph.link.actors)
    for m in store.claim_members():
        m["actor"] = actor_of(actors, m["speaker"])
        members.setdefault(m["claim_id"], []).append({k: m[k] for k, _ in MEMBER_COLUMNS})
    for c in store.claims():
        yield {**{k: c[k] for k, _ in CLAIM_COLUMNS}, "members": members.get(c["claim_id"], [])}


def topic_records(store: Store) -> Iterator[dict[str, Any]]:
    """One record per topic (largest first) with the ids of its claims (largest first)."""
    ids: dict[str, list[str]] = {}
    for c in store.claims():
        if c.get("topic_id"):
            ids.setdefault(c["topic_id"], []).append(c["claim_id"])
    for t in store.topics():
        yield {**t, "claim_ids": ids.get(t["topic_id"], [])}


def _claim_member_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Claims flattened for CSV and Parquet: one row per member, the claim's fields repeated."""
    for record in claim_records(store):
        members = record.pop("members")
        for m in members:
            yield {**record, **m}


TABLES: dict[str, tuple[list[tuple[str, str]], Callable[[Store], Iterable[dict[str, Any]]]]] = {
    "articles": (ARTICLE_COLUMNS, _article_rows),
    "statements": (
        STATEMENT_COLUMNS,
        _statement_rows,
    ),
    "cues": (CUE_COLUMNS, _cue_rows),
    "terms": (
        TERM_COLUMNS,
        lambda s: _renamed(s.term_uses(), start_char="start", end_char="end", grp="group"),
    ),
    "claims": (CLAIM_COLUMNS + MEMBER_COLUMNS, _claim_member_rows),
    "topics": (TOPIC_COLUMNS, topic_records),
}


def neutralize_formula(value: Any) -> Any:
    """Make a CSV cell inert in spreadsheets (CSV formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _rows(
    store: Store, what: str, fmt: str
) -> tuple[list[tuple[str, str]], Iterator[dict[str, Any]]]:
    from ..analyze.tables import TABLES as ANALYSIS_TABLES
    from ..analyze.tables import analysis_rows

    if what not in TABLES and what not in ANALYSIS_TABLES:
        names = [*TABLES, *ANALYSIS_TABLES, "graph"]
        raise UsageError(f"unknown export {what!r}; choose one of: {', '.join(names)}")
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    if what in ANALYSIS_TABLES:
        return ANALYSIS_TABLES[what][0], analysis_rows(store, what)
    columns, rows_of = TABLES[what]
    return columns, ({name: r.get(name) for name, _ in columns} for r in rows_of(store))


def export(store: Store, what: str, fmt: str, out: str | None) -> int:
    """Write table `what` in `fmt` to file `out` (stdout if None). Returns the record count
    (for "graph", the number of nodes and edges)."""
    if what == "graph" or fmt == "gexf":
        from .gexf import export_graph

        return export_graph(store, what, fmt, out)
    if fmt == "parquet":
        columns, rows = _rows(store, what, fmt)
        if out is None:
            raise UsageError("parquet is binary: pass --out FILE.parquet")
        return _write_parquet(columns, rows, out)
    if out is None:
        return write_text(store, what, fmt, sys.stdout)
    with open(out, "w", encoding="utf-8", newline="") as stream:
        return write_text(store, what, fmt, stream)


def write_text(store: Store, what: str, fmt: str, stream: IO[str]) -> int:
    """Write table `what` as jsonl or csv to an open text stream."""
    columns, rows = _rows(store, what, fmt)
    if fmt == "jsonl" and what == "claims":  # nested: one record per claim
        return _write_jsonl(claim_records(store), stream)
    if fmt == "jsonl":
        return _write_jsonl(rows, stream)
    if fmt == "csv":
        return _write_csv(columns, rows, stream)
    raise UsageError(f"{fmt} is not a text format; pass --out FILE")


def _write_jsonl(rows: Iterable[dict[str, Any]], stream: IO[str]) -> int:
    n = 0
    for r in rows:
        stream.write(json.dumps(r, ensure_ascii=False) + "\n")
        n += 1
    return n


def _write_csv(
    columns: list[tuple[str, str]], rows: Iterable[dict[str, Any]], stream: IO[str]
) -> int:
    writer = csv.writer(stream)
    writer.writerow([name for name, _ in columns])
    n = 0
    for r in rows:
        cells = []
        for name, kind in columns:
            v = r[name]
            if kind == JSON and v is not None:
                v = json.dumps(v, ensure_ascii=False, sort_keys=True)
            cells.append(neutralize_formula(v))
        writer.writerow(cells)
        n += 1
    return n


def _write_parquet(columns: list[tuple[str, str]], rows: Iterable[dict[str, Any]], out: str) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        STR: pa.string(),
        INT: pa.int64(),
        JSON: pa.string(),
        "float": pa.float64(),
        "bool": pa.bool_(),
    }
    schema = pa.schema([(name, types[kind]) for name, kind in columns])
    data = []
    for r in rows:
        for name, kind in columns:
            if kind == JSON and r[name] is not None:
                r[name] = json.dumps(r[name], ensure_ascii=False, sort_keys=True)
        data.append(r)
    pq.write_table(pa.Table.from_pylist(data, schema=schema), out)
    return len(data)
