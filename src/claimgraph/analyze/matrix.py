"""Claim x outlet matrix: for each claim, where each outlet stands, and blindspots.

Claims come from the store (`Store.claims()` / `Store.claim_members()`, filled by the link
step). Each member is one voice on the claim in one article, with a stance (affirm / deny /
report) and a **voice**: the outlet's own narration (`voice="outlet"`) or a speaker the outlet
carries (`voice="speaker"`). The two are counted apart: carrying a denial is not denying.

A cell (claim, outlet) summarises the members from that outlet's articles:

- **outlet voice present**: the cell's stance is the outlet's own. Affirm if its narration
  affirms more often than it denies, deny if the reverse, else report (a narration that only
  reports, or affirms and denies as often). ``source = "outlet"``.
- **only carried speakers**: the outlet reports others; the cell's stance is ``report`` and
  ``carried`` says what it carries: affirm or deny when one outnumbers the other, ``mixed``
  when both appear as often, ``report`` when the speakers neither affirm nor deny.
  ``source = "speakers"``.
- **no member**: ``absent``, and the claim is a **blindspot** of the outlet.

Every cell keeps the counts by voice and stance, and the member, article and statement ids,
so any cell can be traced back to the words; a member's ``via`` says whether its words joined
the claim (``meaning``) or it is a generic denial counted against the claim (``rebuttal``,
`claimgraph.claims.run.rebuttal_rows`). Wire copies are left out unless
`count_wire_copies` (as in the profiles: the outlet did not write them). Reads the store only;
a store without claims (not linked yet, or an older schema) gives an empty matrix.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ..ingest.outlets import outlet_of
from ..store import Store
from .corpus import Selection, in_chunks
from .profiles import outlet_order

AFFIRM, DENY, REPORT, ABSENT, MIXED = "affirm", "deny", "report", "absent", "mixed"
STANCES = (AFFIRM, DENY, REPORT)
CLAIMS_MIGRATION = 2


def has_claims(store: Store) -> bool:
    """Whether the store can hold claims (the claims migration is applied)."""
    if not hasattr(store, "claims") or not hasattr(store, "claim_members"):
        return False
    return CLAIMS_MIGRATION in store.schema_versions()


def load_claims(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(claims, members) from the store; ([], []) where claims are not stored yet."""
    if not has_claims(store):
        return [], []
    claims = list(store.claims())  # type: ignore[attr-defined]
    members = list(store.claim_members())  # type: ignore[attr-defined]
    return claims, members


def member_stances(store: Store) -> Iterator[dict[str, Any]]:
    """Every claim member without its words (`Store.member_stances`), streamed; none where
    claims are not stored yet."""
    if not has_claims(store):
        return iter(())
    return store.member_stances()


def polar(counts: dict[str, int], tie: str) -> str:
    """affirm / deny by the larger polar count; `tie` when they are equal and non-zero;
    report when both are zero."""
    if counts[AFFIRM] > counts[DENY]:
        return AFFIRM
    if counts[DENY] > counts[AFFIRM]:
        return DENY
    return tie if counts[AFFIRM] else REPORT


def cell(members: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary of one (claim, outlet) cell from its members (see the module doc)."""
    acc = Cell()
    for m in members:
        acc.add(m)
    return acc.to_dict()


def _member(m: Mapping[str, Any]) -> dict[str, Any]:
    """What a cell lists of one member."""
    return {
        "member_id": m["member_id"],
        "article_id": m["article_id"],
        "statement_id": m.get("statement_id"),
        "voice": m["voice"],
        "speaker": m.get("speaker"),
        "stance": m["stance"],
        "via": m.get("via", "meaning"),
    }


class Cell:
    """One (claim, outlet) cell as its members stream by: the counts by voice and stance
    of all of them, and the lists (members in the order they come, distinct article ids
    sorted) up to ``limit`` entries each (None: every one). What it holds does not grow
    past the limit, however many members the cell has."""

    __slots__ = ("articles", "carried", "limit", "members", "own", "rebuttals")

    def __init__(self, limit: int | None = None) -> None:
        self.limit = limit
        self.own = dict.fromkeys(STANCES, 0)
        self.carried = dict.fromkeys(STANCES, 0)
        self.rebuttals = 0
        self.members: list[dict[str, Any]] = []
        self.articles: list[str] = []

    def add(self, m: Mapping[str, Any]) -> None:
        counts = self.own if m["voice"] == "outlet" else self.carried
        counts[m["stance"]] += 1  # affirm, deny or report: the store checks it
        self.rebuttals += m.get("via", "meaning") == "rebuttal"
        limit = self.limit
        if limit is None or len(self.members) < limit:
            self.members.append(_member(m))
        aid = m["article_id"]
        i = bisect_left(self.articles, aid)
        if (i == len(self.articles) or self.articles[i] != aid) and (limit is None or i < limit):
            self.articles.insert(i, aid)
            if limit is not None and len(self.articles) > limit:
                self.articles.pop()

    def to_dict(self) -> dict[str, Any]:
        return {
            **cell_summary(self.own, self.carried),
            "rebuttals": self.rebuttals,
            "articles": list(self.articles),
            "members": list(self.members),
        }


def cell_summary(own: Mapping[str, int], carried: Mapping[str, int]) -> dict[str, Any]:
    """A cell's stance, source and counts from its members' counts by stance, in the
    outlet's own voice (``own``) and in the speakers' it carries (see the module doc)."""
    own_c = {s: int(own.get(s, 0)) for s in STANCES}
    carried_c = {s: int(carried.get(s, 0)) for s in STANCES}
    n_own, n_carried = sum(own_c.values()), sum(carried_c.values())
    if not n_own and not n_carried:
        stance, source, carried_stance = ABSENT, None, None
    elif n_own:
        stance, source = polar(own_c, REPORT), "outlet"
        carried_stance = polar(carried_c, MIXED) if n_carried else None
    else:
        stance, source, carried_stance = REPORT, "speakers", polar(carried_c, MIXED)
    return {
        "stance": stance,
        "source": source,
        "carried": carried_stance,
        "outlet_voice": own_c,
        "speakers": carried_c,
        "n_members": n_own + n_carried,
    }


def claim_matrix(
    store: Store,
    articles: Sequence[dict[str, Any]],
    *,
    key_of: Any = None,
) -> dict[str, Any]:
    """The matrix over the given articles (as `Store.articles()` yields them, wire copies
    already left out or not by the caller).

    `key_of(article)` names the column of an article (default: its outlet, `outlet_of`).
    Returns ``{"columns": [...], "rows": [{"claim_id", "label", "topic_id", "topic",
    "key_terms", "n_members", "cells": {column_label: cell}}], "topics": [...]
    (`topic_groups`), "blindspots": {column_label: [claim_id, ...]}}``;
    column labels are outlet names (an unnamed source's own label), ordered as the profiles."""
    claims = list(store.claims()) if has_claims(store) else []
    return build_matrix(claims, member_stances(store), articles, key_of=key_of)


def build_matrix(
    claims: Sequence[dict[str, Any]],
    members: Iterable[Mapping[str, Any]],
    articles: Sequence[dict[str, Any]] | Selection,
    *,
    key_of: Any = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """`claim_matrix` on claims already read and their members, read once as they come
    (`Store.claim_members` or, without the words, `Store.member_stances`): what is kept of
    each member of the selected articles is what its cell lists (`_member`), nothing else,
    and with ``limit`` each cell lists at most that many members and article ids (its counts
    are of all its members): memory bounded by the cells, not the members. ``articles``: the
    selected articles' rows (each under ``key_of``), or their `Selection` (its columns).
    `matrix_of_rows` on the members as `MemberRow` tuples."""
    rows = (
        (
            m["claim_id"],
            m["article_id"],
            m["member_id"],
            m.get("statement_id"),
            m["voice"],
            m.get("speaker"),
            m["stance"],
            m.get("via", "meaning"),
        )
        for m in members
    )
    return matrix_of_rows(claims, rows, articles, key_of=key_of, limit=limit)


# A claim member as the matrix reads it (`Store.member_stance_rows`): claim_id, article_id,
# member_id, statement_id, voice, speaker, stance, via
MemberRow = tuple[str, str, str, str | None, str, str | None, str, str]


def member_stance_rows(store: Store) -> Iterator[MemberRow]:
    """Every claim member without its words, as `MemberRow` tuples in `claim_members`
    order (`Store.member_stance_rows`); none where claims are not stored yet."""
    if not has_claims(store):
        return iter(())
    return store.member_stance_rows()


def matrix_of_rows(
    claims: Sequence[dict[str, Any]],
    rows: Iterable[MemberRow],
    articles: Sequence[dict[str, Any]] | Selection,
    *,
    key_of: Any = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """`build_matrix` on the members as `MemberRow` tuples, read a chunk at a time: each
    chunk's columns found at once (`Selection` positions, or the articles' ``key_of``), its
    counts added per cell by numpy, its members and article ids listed per cell."""
    if isinstance(articles, Selection):
        sizes = articles.sizes()
        columns = order_columns({str(k): n for k, n in sizes.items()})
        at = {c: j for j, c in enumerate(columns)}
        index = articles.index
        # each label's column, -1 for a label no selected article has
        label_col = np.array([at.get(str(x), -1) for x in index.labels] + [-1], dtype=np.int64)
        picked = np.where(articles.mask, index.key, len(index.labels))

        def columns_of(ids: list[str]) -> np.ndarray:
            # an article's members of a claim come together: each run of one id looked up once
            arr = np.array(ids, dtype=object)
            first = np.ones(len(arr), dtype=bool)
            first[1:] = arr[1:] != arr[:-1]
            pos = index.positions(arr[first].tolist())
            if not len(picked):
                return np.full(len(ids), -1, dtype=np.int64)  # an empty index: none found
            found = np.where(pos >= 0, label_col[picked[pos]], -1)
            return found[np.cumsum(first) - 1]
    else:
        key = key_of or outlet_of
        column_of = {a["id"]: str(key(a)) for a in articles}
        columns = order_columns(Counter(column_of.values()))
        at = {c: j for j, c in enumerate(columns)}
        col_of = {aid: at[c] for aid, c in column_of.items()}

        def columns_of(ids: list[str]) -> np.ndarray:
            return np.fromiter((col_of.get(a, -1) for a in ids), dtype=np.int64, count=len(ids))

    cells = _Cells(claims, len(columns), limit)
    for chunk in in_chunks(rows):
        cells.add(chunk, columns_of([r[1] for r in chunk]))
    return assemble(
        columns,
        claims,
        lambda _, c: {col: cells.to_dict(c["claim_id"], j) for j, col in enumerate(columns)},
    )


_STANCE_AT = {s: i for i, s in enumerate(STANCES)}


class _Cells:
    """Every (claim, column) cell of a matrix as the member rows stream by, a chunk at a
    time: the counts by voice and stance and the rebuttals of all of them in one array (a
    row per cell: own affirm, deny, report, carried affirm, deny, report, rebuttals), and
    per cell its members in the order they come and its distinct article ids sorted, each
    list up to ``limit`` entries (None: every one), as `Cell` keeps them."""

    def __init__(self, claims: Sequence[dict[str, Any]], n_columns: int, limit: int | None):
        self.claim_at = {c["claim_id"]: i for i, c in enumerate(claims)}
        self.n_columns = n_columns
        self.limit = limit
        self.counts = np.zeros((len(claims) * n_columns, 7), dtype=np.int64)
        self.members: dict[int, list[MemberRow]] = {}
        self.articles: dict[int, list[str]] = {}

    def add(self, rows: Sequence[MemberRow], columns: np.ndarray) -> None:
        """A chunk of member rows, each with its column (-1: an article not selected)."""
        claim_at = self.claim_at
        claims = np.fromiter((claim_at.get(r[0], -1) for r in rows), np.int64, len(rows))
        kept = np.flatnonzero((claims >= 0) & (columns >= 0))
        if not len(kept):
            return
        cell = claims[kept] * self.n_columns + columns[kept]
        picked = [rows[i] for i in kept.tolist()]
        # affirm, deny or report (the store checks it), in the outlet's voice or carried
        code = np.array([(r[4] != "outlet") * 3 + _STANCE_AT[r[6]] for r in picked], dtype=np.int64)
        np.add.at(self.counts, (cell, code), 1)
        rebuttal = np.array([r[7] == "rebuttal" for r in picked], dtype=bool)
        np.add.at(self.counts[:, 6], cell[rebuttal], 1)
        # each cell's rows of the chunk, in the order they came
        order = np.argsort(cell, kind="stable")
        cuts = np.flatnonzero(np.diff(cell[order])) + 1
        limit = self.limit
        for group in np.split(order, cuts):
            c = int(cell[group[0]])
            listed = self.members.setdefault(c, [])
            room = None if limit is None else limit - len(listed)
            if room is None or room > 0:
                listed.extend(picked[i] for i in group[:room].tolist())
            ids = self.articles.get(c, [])
            new = {picked[i][1] for i in group.tolist()}
            if limit is not None and len(ids) >= limit:  # only a smaller id is listed now
                new = {a for a in new if ids and a < ids[-1]}
            if new:
                self.articles[c] = sorted(new.union(ids))[:limit]

    def to_dict(self, claim_id: str, column: int) -> dict[str, Any]:
        """The cell of a claim and a column, as `Cell.to_dict` gives it."""
        i = self.claim_at.get(claim_id)
        if i is None:
            return Cell().to_dict()
        c = i * self.n_columns + column
        n = self.counts[c].tolist()
        return {
            **cell_summary(
                dict(zip(STANCES, n[:3], strict=True)), dict(zip(STANCES, n[3:6], strict=True))
            ),
            "rebuttals": n[6],
            "articles": list(self.articles.get(c, [])),
            "members": [_row_member(r) for r in self.members.get(c, [])],
        }


def _row_member(r: MemberRow) -> dict[str, Any]:
    """What a cell lists of one member row (`_member`)."""
    return {
        "member_id": r[2],
        "article_id": r[1],
        "statement_id": r[3],
        "voice": r[4],
        "speaker": r[5],
        "stance": r[6],
        "via": r[7],
    }


def order_columns(sizes: Mapping[str, int]) -> list[str]:
    """Outlet columns as the profiles order them (`outlet_order`): named outlets first, most
    articles first, then by name."""
    return sorted(sizes, key=lambda c: outlet_order(c, sizes[c]))


def assemble(
    columns: Sequence[str],
    claims: Sequence[dict[str, Any]],
    cells_of: Callable[[int, dict[str, Any]], dict[str, dict[str, Any]]],
) -> dict[str, Any]:
    """The matrix from each claim's cells (``cells_of(index, claim)``, one per column): its
    rows, biggest claim first, without the claims no selected article carries, and each
    column's blindspots (claims it leaves absent). Shared by `build_matrix` and the report's
    streaming counts (`claimgraph.present.siteviews.matrix_from_counts`)."""
    rows = []
    blindspots: dict[str, list[str]] = {c: [] for c in columns}
    for i, c in enumerate(claims):
        cells = cells_of(i, c)
        if not any(v["n_members"] for v in cells.values()):
            continue  # a claim carried only by articles outside the selection
        for col, v in cells.items():
            if v["stance"] == ABSENT:
                blindspots[col].append(c["claim_id"])
        rows.append(
            {
                "claim_id": c["claim_id"],
                "label": c["label"],
                "topic_id": c.get("topic_id"),
                "topic": c.get("topic"),
                "key_terms": list(c.get("key_terms") or []),
                # members in the selected articles (wire copies left out by the caller)
                "n_members": sum(v["n_members"] for v in cells.values()),
                # every member of the claim, as its page lists them (`Store.claims`)
                "n_members_all": int(c.get("n_members") or 0),
                "cells": cells,
            }
        )
    rows.sort(key=lambda r: (-r["n_members"], r["claim_id"]))
    return {
        "columns": list(columns),
        "rows": rows,
        "topics": topic_groups(rows),
        "blindspots": blindspots,
    }


def topic_groups(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The matrix's claims (rows, biggest first) grouped under their topic
    (`claimgraph.claims.topics`): ``[{"topic_id", "topic", "n_members", "claim_ids"}]``, the
    topic with most members (in the matrix) first, ties by id; claims keep their order.
    Claims without a topic (topics not assigned yet) are one group, topic_id None, last."""
    groups: dict[str | None, dict[str, Any]] = {}
    for r in rows:
        tid = r.get("topic_id")
        g = groups.setdefault(
            tid, {"topic_id": tid, "topic": r.get("topic"), "n_members": 0, "claim_ids": []}
        )
        g["n_members"] += r["n_members"]
        g["claim_ids"].append(r["claim_id"])
    return sorted(
        groups.values(),
        key=lambda g: (g["topic_id"] is None, -g["n_members"], g["topic_id"] or ""),
    )


def matrix_rows(matrix: dict[str, Any]) -> Iterable[dict[str, Any]]:
    """The matrix as flat rows, one per (claim, column), for exports."""
    for r in matrix["rows"]:
        for col, v in r["cells"].items():
            yield {
                "claim_id": r["claim_id"],
                "claim_label": r["label"],
                "topic_id": r.get("topic_id"),
                "topic": r.get("topic"),
                "outlet": col,
                "stance": v["stance"],
                "source": v["source"],
                "carried": v["carried"],
                "outlet_affirm": v["outlet_voice"][AFFIRM],
                "outlet_deny": v["outlet_voice"][DENY],
                "outlet_report": v["outlet_voice"][REPORT],
                "speakers_affirm": v["speakers"][AFFIRM],
                "speakers_deny": v["speakers"][DENY],
                "speakers_report": v["speakers"][REPORT],
                "n_members": v["n_members"],
                "article_ids": v["articles"],
                "member_ids": [m["member_id"] for m in v["members"]],
                "statement_ids": [m["statement_id"] for m in v["members"] if m["statement_id"]],
            }
