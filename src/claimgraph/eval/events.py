"""Multi-event precision of the claims, scored on FNC-1 train bodies (issue 25).

A claim should be one proposition, so on a corpus of many unrelated events its members should
come from one event. FNC-1 (Pomerleau & Rao 2017) pairs headlines with article bodies and
labels each pair agree / disagree / discuss (the body is *related* to the headline's claim) or
unrelated. Bodies linked by a shared related headline report the same claim, so the
connected components of that relation are events with known members: 1,683 train bodies
fall in 191 events, 177 of them with two bodies or more. Only the *train* split is read: the
competition's test split is a held-out judge.

`evaluate` runs the real pipeline on a subset of events: the bodies are written as records
of a JSONL file (text only: FNC-1 bodies have no title, outlet or date) and go through
`claimgraph.pipeline.run_analyze`, the function `claimgraph analyze` calls, into a fresh
SQLite store; the stored claims and their members are then scored (`score`):

* **member-weighted purity**: the members from their claim's majority event, summed over
  claims, over all members; the share of claims at purity >= 95% and at 100%; **macro
  purity**, the mean of the claims' purities; the largest claim;
* **units in some claim**: members over the units the link step placed;
* **coverage**: the share of the subset's events with two bodies or more that some claim
  joins two or more bodies of; and the same counting only claims whose majority event it is.

Layout read by `load` (``data_dir`` is the ``fnc1/`` folder)::

    train_bodies.csv    Body ID, articleBody
    train_stances.csv   Headline, Body ID, Stance (agree | disagree | discuss | unrelated)
"""

from __future__ import annotations

import csv
import json
import random
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError

BODIES_FILE = "train_bodies.csv"
STANCES_FILE = "train_stances.csv"
RELATED = frozenset({"agree", "disagree", "discuss"})
STANCES = RELATED | {"unrelated"}
PURE = 0.95  # a claim is pure enough at this share of members from one event (issue 25)


@dataclass(frozen=True)
class Corpus:
    """FNC-1 bodies grouped into events. Event ids are ``e<smallest body id>``."""

    bodies: dict[str, str]  # body id -> text
    event_of: dict[str, str]  # body id -> event id (every body with a related headline)
    headline: dict[str, str]  # event id -> its most frequent related headline

    def events(self) -> dict[str, list[str]]:
        """Event id -> its body ids, in body id order."""
        out: dict[str, list[str]] = defaultdict(list)
        for body in sorted(self.event_of, key=_body_key):
            out[self.event_of[body]].append(body)
        return dict(out)


@dataclass(frozen=True)
class Member:
    """A claim member as the scorer sees it: its claim, its body and (for examples) more."""

    claim_id: str
    body_id: str
    text: str = ""
    stance: str = ""


def _body_key(body_id: str) -> tuple[int, str]:
    return (int(body_id), body_id) if body_id.isdigit() else (-1, body_id)


def _read_csv(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise UsageError(f"{path} is missing: pass --data with the evaldata/fnc1 folder")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise UsageError(f"{path} has no column {missing[0]!r}; is it FNC-1's file?")
        return list(reader)


def group_events(rows: Iterable[Mapping[str, str]]) -> tuple[dict[str, str], dict[str, str]]:
    """(body id -> event id, event id -> headline) from stance rows: bodies sharing a related
    headline are in one event (union-find over the headlines); unrelated rows are ignored."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    counts: Counter[str] = Counter()
    first_body: dict[str, str] = {}
    for r in rows:
        stance = r["Stance"].strip()
        if stance not in STANCES:
            raise UsageError(f"{STANCES_FILE}: unknown stance {stance!r}; is it FNC-1's file?")
        if stance not in RELATED:
            continue
        head, body = r["Headline"], r["Body ID"].strip()
        counts[head] += 1
        if head in first_body:
            parent[find(body)] = find(first_body[head])
        else:
            first_body[head] = body
            find(body)
    members: dict[str, list[str]] = defaultdict(list)
    for body in parent:
        members[find(body)].append(body)
    event_of: dict[str, str] = {}
    for bodies in members.values():
        event = "e" + min(bodies, key=_body_key)
        event_of.update((b, event) for b in bodies)
    by_event: dict[str, list[str]] = defaultdict(list)
    for head, body in first_body.items():
        by_event[event_of[body]].append(head)
    headline = {e: min(hs, key=lambda h: (-counts[h], h)) for e, hs in by_event.items()}
    return event_of, headline


def load(data_dir: str | Path) -> Corpus:
    """FNC-1 train's bodies and their events (`group_events`)."""
    folder = Path(data_dir)
    bodies_rows = _read_csv(folder / BODIES_FILE, ["Body ID", "articleBody"])
    bodies = {r["Body ID"].strip(): r["articleBody"] for r in bodies_rows}
    stance_rows = _read_csv(folder / STANCES_FILE, ["Headline", "Body ID", "Stance"])
    event_of, headline = group_events(stance_rows)
    unknown = sorted(set(event_of) - set(bodies), key=_body_key)
    if unknown:
        raise UsageError(f"{STANCES_FILE} names body {unknown[0]}, which {BODIES_FILE} lacks")
    return Corpus(bodies=bodies, event_of=event_of, headline=headline)


def select(
    corpus: Corpus, *, events: int | None = None, limit: int | None = None, seed: int = 0
) -> list[str]:
    """Body ids of a deterministic subset: ``events`` events drawn with ``seed`` (all of them
    when None), each with its bodies in id order, cut at ``limit`` bodies in all. A body whose
    text repeats one already taken is left out (the store would keep one article for both)."""
    by_event = corpus.events()
    ids = sorted(by_event, key=lambda e: _body_key(e[1:]))
    order = random.Random(seed).sample(ids, k=len(ids))
    chosen, seen = [], set()
    for event in order[:events] if events is not None else order:
        for body in by_event[event]:
            text = corpus.bodies[body]
            if text not in seen:
                seen.add(text)
                chosen.append(body)
    return chosen[:limit] if limit is not None else chosen


# ---------------------------------------------------------------- metrics


def _share(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


def _majority(counts: Counter[str]) -> str:
    """The event with most members (ties: the smallest event id)."""
    return min(counts, key=lambda e: (-counts[e], e))


def score(members: Sequence[Member], event_of: Mapping[str, str], *, units: int) -> dict[str, Any]:
    """The figures of the module docstring for stored claim ``members``; ``event_of`` maps
    every scored body (the subset as stored) to its event, ``units`` is how many units the
    link step placed."""
    per_claim: dict[str, Counter[str]] = defaultdict(Counter)
    joined: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in members:
        event = event_of[m.body_id]
        per_claim[m.claim_id][event] += 1
        joined[(m.claim_id, event)].add(m.body_id)
    purity = {c: max(n.values()) / sum(n.values()) for c, n in per_claim.items()}
    majority = {c: _majority(n) for c, n in per_claim.items()}
    sizes = Counter(event_of.values())
    multi = {e for e, n in sizes.items() if n >= 2}
    covered = {e for (_, e), bodies in joined.items() if len(bodies) >= 2}
    covered_major = {
        e for (c, e), bodies in joined.items() if len(bodies) >= 2 and majority[c] == e
    }
    n_claims = len(per_claim)
    return {
        "bodies": len(event_of),
        "events": len(sizes),
        "events_multi": len(multi),
        "units": units,
        "claims": n_claims,
        "members": len(members),
        "in_claim": _share(len(members), units),
        "purity": _share(sum(max(n.values()) for n in per_claim.values()), len(members)),
        "claims_pure95": _share(sum(1 for p in purity.values() if p >= PURE), n_claims),
        "claims_pure100": _share(sum(1 for p in purity.values() if p == 1.0), n_claims),
        "macro_purity": _share(sum(purity.values()), n_claims),
        "largest": max((sum(n.values()) for n in per_claim.values()), default=0),
        "covered": len(covered & multi),
        "coverage": _share(len(covered & multi), len(multi)),
        "covered_majority": len(covered_major & multi),
        "coverage_majority": _share(len(covered_major & multi), len(multi)),
    }


def _spread(members: Sequence[Member], event_of: Mapping[str, str], k: int) -> list[Member]:
    """Up to ``k`` members taking turns across their events, largest event first."""
    queues: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        queues[event_of[m.body_id]].append(m)
    ordered = sorted(queues.values(), key=lambda q: (-len(q), event_of[q[0].body_id]))
    out: list[Member] = []
    for i in range(max((len(q) for q in ordered), default=0)):
        out.extend(q[i] for q in ordered if i < len(q))
    return out[:k]


def impure_examples(
    members: Sequence[Member],
    corpus: Corpus,
    labels: Mapping[str, str],
    *,
    n: int = 3,
    per_claim: int = 6,
) -> list[dict[str, Any]]:
    """The ``n`` claims with most members outside their majority event (then the largest):
    label, purity, members per event with the event's headline, a few members' texts."""
    by_claim: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        by_claim[m.claim_id].append(m)
    rows = []
    for claim, ms in by_claim.items():
        counts = Counter(corpus.event_of[m.body_id] for m in ms)
        stray = len(ms) - max(counts.values())
        if stray:
            rows.append((-stray, -len(ms), claim, counts))
    out = []
    for _, _, claim, counts in sorted(rows)[:n]:
        ms = by_claim[claim]
        events = sorted(counts, key=lambda e: (-counts[e], e))
        out.append(
            {
                "claim_id": claim,
                "label": labels.get(claim, ""),
                "size": len(ms),
                "purity": max(counts.values()) / len(ms),
                "events": [
                    {"event": e, "members": counts[e], "headline": corpus.headline.get(e, "")}
                    for e in events
                ],
                "members": [
                    {
                        "event": corpus.event_of[m.body_id],
                        "body": m.body_id,
                        "stance": m.stance,
                        "text": m.text,
                    }
                    for m in _spread(ms, corpus.event_of, per_claim)
                ],
            }
        )
    return out


# ---------------------------------------------------------------- the run


def write_records(path: Path, corpus: Corpus, bodies: Sequence[str]) -> None:
    """The bodies as JSONL records (line N is ``bodies[N-1]``): the text, and the FNC-1
    body id in a field no reader takes, for whoever inspects the file."""
    with path.open("w", encoding="utf-8") as fh:
        for body in bodies:
            record = {"body_id": body, "text": corpus.bodies[body]}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


def _line(source: str) -> int:
    """N of a record source ``PATH#N`` (the first of an article's sources)."""
    first = source.split("; ")[0]
    tail = first.rsplit("#", 1)[-1]
    if not tail.isdigit():
        raise UsageError(f"unexpected source {first!r} in the store: not a JSONL record")
    return int(tail)


def _failure(source: str, reason: str, bodies: Sequence[str]) -> dict[str, Any]:
    """A failed input as reported: the body of a failed record (None for the whole file)."""
    tail = source.rsplit("#", 1)[-1]
    body = bodies[int(tail) - 1] if tail.isdigit() else None
    return {"body": body, "source": source, "reason": reason}


def read_store(
    db: str | Path, bodies: Sequence[str]
) -> tuple[list[str], list[Member], dict[str, str]]:
    """(the bodies stored, the claim members, claim id -> label) from a store that
    `write_records` of ``bodies`` was analyzed into."""
    from ..store import open_store

    store = open_store(db, readonly=True)
    try:
        stored = [bodies[_line(a["sources"]) - 1] for a in store.articles()]
        members = [
            Member(m["claim_id"], bodies[_line(m["source"]) - 1], m["text"], m["stance"] or "")
            for m in store.claim_members()
        ]
        labels = {c["claim_id"]: c["label"] for c in store.claims()}
    finally:
        store.close()
    return stored, members, labels


def evaluate(
    data_dir: str | Path,
    *,
    events: int | None = None,
    limit: int | None = None,
    seed: int = 0,
    db: str | Path | None = None,
    encoder: str | None = None,
    workers: int = 1,
    examples: int = 3,
) -> dict[str, Any]:
    """Analyze a subset of FNC-1 train bodies (`select`) with `run_analyze` into a fresh
    SQLite store (``db``, kept, or a temporary one) and score its claims (`score`), with
    ``examples`` impure claims (`impure_examples`)."""
    from ..ingest.base import IngestOptions
    from ..pipeline import run_analyze

    corpus = load(data_dir)
    chosen = select(corpus, events=events, limit=limit, seed=seed)
    if db is not None and "://" in str(db):
        raise UsageError(f"--db takes a SQLite file here, not {db!r}")
    if db is not None and Path(db).exists():
        raise UsageError(f"{db} exists; pass --db a new path (the run needs an empty store)")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="claimgraph-fnc1-") as tmp:
        store = Path(db) if db is not None else Path(tmp) / "fnc1.db"
        records = Path(f"{store}.bodies.jsonl") if db is not None else Path(tmp) / "bodies.jsonl"
        write_records(records, corpus, chosen)
        summary = run_analyze(
            [str(records)], db=str(store), options=IngestOptions(), workers=workers, encoder=encoder
        )
        stored, members, labels = read_store(store, chosen)
    link = summary.link
    metrics = score(
        members, {b: corpus.event_of[b] for b in stored}, units=link.units if link else 0
    )
    return {
        "data": str(data_dir),
        "seed": seed,
        "events_asked": events,
        "limit": limit,
        "db": str(db) if db is not None else None,
        "encoder": link.encoder if link else encoder,
        "selected": len(chosen),
        "duplicate": summary.duplicate,
        "failed": summary.failed,
        "failures": [_failure(f.source, f.reason, chosen) for f in summary.failures],
        **metrics,
        "examples": impure_examples(members, corpus, labels, n=examples),
        "seconds": time.perf_counter() - started,
    }


# ---------------------------------------------------------------- the report


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _table(r: dict[str, Any]) -> list[str]:
    multi = r["events_multi"]
    rows = [
        ("units placed", f"{r['units']:,}", "statements and narrated sentences"),
        ("claims", f"{r['claims']:,}", ""),
        ("members", f"{r['members']:,}", ""),
        ("units in some claim", _pct(r["in_claim"]), ""),
        ("purity, member-weighted", _pct(r["purity"]), "members from their claim's main event"),
        ("claims with purity >= 95%", _pct(r["claims_pure95"]), ""),
        ("claims with purity 100%", _pct(r["claims_pure100"]), ""),
        ("purity, macro", _pct(r["macro_purity"]), "mean of the claims' purities"),
        ("largest claim", f"{r['largest']:,}", "members"),
        (
            "coverage",
            _pct(r["coverage"]),
            f"{r['covered']} of {multi} events with >= 2 bodies: a claim joins >= 2 of them",
        ),
        (
            "coverage, main event",
            _pct(r["coverage_majority"]),
            f"{r['covered_majority']} of {multi}: by a claim whose main event it is",
        ),
    ]
    width = max(len(k) for k, _, _ in rows)
    return [f"{k:<{width}}  {v:>7}  {note}".rstrip() for k, v, note in rows]


def _example(ex: dict[str, Any]) -> list[str]:
    lines = [
        f"impure claim {ex['claim_id']}: {ex['size']} members, purity {_pct(ex['purity'])},"
        f" label {_cut(ex['label'], 80)!r}"
    ]
    lines += [
        f"  {e['event']:>6} x{e['members']:<3} {_cut(e['headline'], 80)}" for e in ex["events"]
    ]
    lines += [
        f"    {m['event']:>6} body {m['body']:>5} {m['stance'] or '-':<6} {_cut(m['text'], 90)}"
        for m in ex["members"]
    ]
    return lines


def format_report(result: dict[str, Any]) -> str:
    """The figures as a small text table, then the example impure claims."""
    r = result
    subset = f"seed {r['seed']}"
    subset += f", {r['events_asked']} events drawn" if r["events_asked"] else ""
    subset += f", cut at {r['limit']} bodies" if r["limit"] else ""
    lines = [
        f"FNC-1 train: {r['bodies']:,} bodies of {r['events']} events ({r['events_multi']} with"
        f" >= 2 bodies; {subset}), analyzed and linked by claimgraph ({r['encoder']} encoder,"
        f" {r['seconds']:.1f} s)",
        "",
        *_table(r),
        "",
        "issue 25's targets: purity, member-weighted >= 95%; coverage >= 60%",
    ]
    for f in r["failures"]:
        what = f"body {f['body']}" if f["body"] is not None else f["source"]
        lines.append(f"not scored: {what} failed: {_cut(f['reason'], 160)}")
    if r["duplicate"]:
        lines.append(
            f"not scored: {r['duplicate']} of the {r['selected']:,} bodies drawn, the same text"
            " as another's once cleaned (stored once)"
        )
    for ex in r["examples"]:
        lines += ["", *_example(ex)]
    return "\n".join(lines)
