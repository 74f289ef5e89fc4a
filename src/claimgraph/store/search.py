"""Faceted full-text search and the paged reads behind the JSON API, for both backends.

Why a bounded candidate window: on a large store a common word matches most articles
(100,000 on a 100,000-article store), and ranking, joining and faceting every match costs
far more than a search request may take. So a search gathers at most ``CANDIDATES`` hits that
satisfy the text query and every filter, in index order, and ranks, pages and facets those.
Below that many hits (the usual case for a filtered or specific query) everything is exact.
Above it, ``total`` is counted exactly when that fits in ``COUNT_BUDGET_S`` seconds
(``total_exact`` says whether it did), the facets count the window (``facets_exact``), and the
ranking orders the window (the first ``CANDIDATES`` matches in storage order).

A filter that matches nothing at all is found by one index lookup before any scan. A
selective filter on a common word still scans many index entries per hit; on SQLite that
scan stops after ``SCAN_BUDGET_S`` seconds and the hits found so far are returned with
``partial`` set (``total`` is then a lower bound), like a search engine's time-out.

The text query is read by `query.parse_query` (Media Cloud's syntax: AND, OR, NOT, "phrases",
prefix*, outlet: and speaker: filters, spelling and plural variants folded) and compiled for
each backend: SQLite gets an FTS5 expression of string literals and operators, PostgreSQL a
tsquery built by SQL functions from bound parameters. Every value reaches SQL as a bound
parameter or an FTS5 string literal.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, NamedTuple

from ..extract.verbs import negated_cue, negated_lead
from ..ingest.base import article_label
from .query import Parsed, QueryError, parse_query, to_fts5, to_tsquery_sql
from .rows import CUE_LEAD_SQL, speaks_sql

__all__ = ["KINDS", "FACETS", "QueryError", "SearchQuery"]

KINDS = ("articles", "statements")
FACETS = ("outlet", "speaker", "claim", "stance", "cue_type")
CANDIDATES = 500
COUNT_BUDGET_S = 0.01
SCAN_BUDGET_S = 0.06
COMMON_SHARE = 0.1  # PostgreSQL: a word in this share of articles is matched along a filter
SNIPPET_CHARS = 240
MMAP_BYTES = 1 << 31  # SQLite's default ceiling (SQLITE_MAX_MMAP_SIZE)


@dataclass(frozen=True)
class SearchQuery:
    """One search: text, kind of hit, filters (values within a facet are OR-ed, facets are
    AND-ed), dates as 'YYYY-MM-DD' (inclusive), and the page."""

    q: str = ""
    kind: str = "articles"
    outlet: tuple[str, ...] = ()
    speaker: tuple[str, ...] = ()
    claim: tuple[str, ...] = ()
    stance: tuple[str, ...] = ()
    cue_type: tuple[str, ...] = ()
    date_from: str | None = None
    date_to: str | None = None
    limit: int = 20
    offset: int = 0
    facet_limit: int = 20
    parsed: Parsed = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        for d in (self.date_from, self.date_to):
            if d is not None:
                date.fromisoformat(d)  # ValueError names the bad date
        object.__setattr__(self, "parsed", parse_query(self.q))  # QueryError says what's wrong

    @property
    def filtered(self) -> bool:
        return bool(
            self.outlet
            or self.speaker
            or self.claim
            or self.stance
            or self.cue_type
            or self.date_from
            or self.date_to
            or self.parsed.filters
        )

    @property
    def text(self) -> bool:
        """Whether the query has words to search for (not only filters or punctuation)."""
        return self.parsed.expr is not None


def fts5_match(q: str) -> str:
    """The text query as an FTS5 MATCH expression ('' when it has no word to search for)."""
    expr = parse_query(q).expr
    return to_fts5(expr) if expr is not None else ""


hit_label = article_label  # what a hit is called: its title, else its file's name


_FIRST_SOURCE = (
    "(SELECT s.source FROM article_sources s WHERE s.article_id = a.id"
    " ORDER BY s.added_at, s.source LIMIT 1)"
)


def _next_day(d: str) -> str:
    return (date.fromisoformat(d) + timedelta(days=1)).isoformat()


def _in(column: str, values: Sequence[str], params: list[Any]) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join('?' * len(values))})"


class Cand(NamedTuple):
    """A candidate hit: its id, its rank (lower is better; None without a text query) and
    the backend's reference to its full-text row (for snippets)."""

    key: str
    score: float | None = None
    ref: int | None = None


@dataclass
class _Where:
    """WHERE clauses and their parameters, built in order."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    article_columns: bool = False  # a clause reads `a` (statements need the join)

    def join(self) -> str:
        """The join a statement search needs for these clauses ('' when none)."""
        return " JOIN articles a ON a.id = st.article_id" if self.article_columns else ""

    def sql(self) -> str:
        return " AND ".join(self.clauses) if self.clauses else "1=1"


class SearchMixin:
    """The read side used by the API. A backend provides `_rows` (``?`` placeholders, see
    `base.SqlStore`), `_has_table`, the id-list fragment and the full-text parts; the rest of
    the SQL is shared."""

    # -- backend hooks ------------------------------------------------------------------
    _NULLS_LAST = ""  # what makes undated articles sort last in a DESC order

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        raise NotImplementedError

    def _has_table(self, name: str) -> bool:
        raise NotImplementedError

    def schema_versions(self) -> list[int]:
        raise NotImplementedError

    def _speaks(self, alias: str) -> str:
        """The statements (aliased `alias`) that count for their speaker: `rows.speaks_sql`."""
        return speaks_sql(alias, self.schema_versions())

    def _ids_sql(self) -> str:
        """A subquery yielding the values of one list parameter."""
        raise NotImplementedError

    def _prepare_reads(self) -> None:
        """Tune the connection for a burst of index reads (optional)."""

    def _ids_param(self, ids: Sequence[str]) -> Any:
        raise NotImplementedError

    def _fts_candidates_sql(
        self, query: SearchQuery, where: _Where, cap: int
    ) -> tuple[str, list[Any]]:
        """SQL giving columns k (id), score (lower is better) and ref (full-text row)."""
        raise NotImplementedError

    def _bounded_rows(
        self, sql: str, params: Sequence[Any], budget_s: float
    ) -> tuple[list[Cand], bool]:
        """Candidates from `sql`, and whether the query ran to its end within the budget."""
        raise NotImplementedError

    def _fts_count_sql(self, query: SearchQuery, where: _Where) -> tuple[str, list[Any]]:
        raise NotImplementedError

    def _bounded_count(self, sql: str, params: Sequence[Any], budget_s: float) -> int | None:
        """Run a count(*) query; None if it takes longer than the budget."""
        raise NotImplementedError

    def _snippets(self, query: SearchQuery, page: Sequence[Cand]) -> dict[str, str]:
        raise NotImplementedError

    # -- filters ------------------------------------------------------------------------
    def _filters(
        self, query: SearchQuery, named: dict[str, list[str]] | None = None
    ) -> _Where | None:
        """WHERE over `a` (articles) and, for statements, `st`; ``named``: the stored names
        the query's outlet: and speaker: filters stand for (`_named`). None: nothing can
        match (a claim or stance filter on a store without claims, a name that is not
        stored)."""
        named = named or {}
        if any(not v for v in named.values()):
            return None
        w = _Where(
            article_columns=bool(
                query.outlet or query.date_from or query.date_to or "outlet" in named
            )
        )
        p = w.params
        if query.outlet:
            w.clauses.append(_in("a.outlet", query.outlet, p))
        if "outlet" in named:
            w.clauses.append(_in("a.outlet", named["outlet"], p))
        if query.date_from:
            w.clauses.append("a.published >= ?")
            p.append(query.date_from)
        if query.date_to:
            w.clauses.append("a.published < ?")
            p.append(_next_day(query.date_to))
        statements = query.kind == "statements"
        for names in (query.speaker, named.get("speaker")):
            if not names:
                continue
            speakers = self._speaker_names(names)
            if statements:
                w.clauses.append(_in("st.speaker", speakers, p))
            else:
                sub = _in("s.speaker", speakers, p)
                w.clauses.append(
                    f"EXISTS (SELECT 1 FROM statements s WHERE s.article_id = a.id AND {sub})"
                )
        if query.cue_type:
            link = "c.statement_id = st.id" if statements else "c.article_id = a.id"
            sub = _in("c.type", query.cue_type, p)
            w.clauses.append(f"EXISTS (SELECT 1 FROM cues c WHERE {link} AND {sub})")
        if query.claim or query.stance:
            if not self._has_table("claim_members"):
                return None
            link = "m.statement_id = st.id" if statements else "m.article_id = a.id"
            subs = [link]
            if query.claim:
                subs.append(_in("m.claim_id", query.claim, p))
            if query.stance:
                subs.append(_in("m.stance", query.stance, p))
            w.clauses.append(f"EXISTS (SELECT 1 FROM claim_members m WHERE {' AND '.join(subs)})")
        return w

    def _plain_candidates_sql(
        self, query: SearchQuery, where: _Where, cap: int
    ) -> tuple[str, list[Any]]:
        """Without a text query: newest articles first; statements by id (article, then
        position), an order the speaker and primary-key indexes give without sorting."""
        if query.kind == "articles":
            sql = (
                "SELECT a.id AS k, NULL AS score, NULL AS ref FROM articles a"
                f" WHERE {where.sql()}"
                f" ORDER BY a.published DESC{self._NULLS_LAST}, a.id DESC LIMIT ?"
            )
        else:
            sql = (
                f"SELECT st.id AS k, NULL AS score, NULL AS ref FROM statements st{where.join()}"
                f" WHERE {where.sql()} ORDER BY st.id LIMIT ?"
            )
        return sql, [*where.params, cap]

    def _possible(self, query: SearchQuery) -> bool:
        """False when some filter matches no row at all (one index lookup per filter)."""
        p: list[Any] = []
        checks: list[tuple[str, list[Any]]] = []
        if query.outlet:
            checks.append((f"SELECT 1 FROM articles WHERE {_in('outlet', query.outlet, p)}", p))
        if query.date_from or query.date_to:
            lo, hi = query.date_from or "", _next_day(query.date_to) if query.date_to else "~"
            checks.append(
                ("SELECT 1 FROM articles WHERE published >= ? AND published < ?", [lo, hi])
            )
        if query.speaker:
            p = []
            speakers = self._speaker_names(query.speaker)
            checks.append((f"SELECT 1 FROM statements WHERE {_in('speaker', speakers, p)}", p))
        if query.cue_type:
            p = []
            checks.append((f"SELECT 1 FROM cues WHERE {_in('type', query.cue_type, p)}", p))
        if query.claim or query.stance:
            p = []
            subs = [_in("claim_id", query.claim, p)] if query.claim else []
            subs += [_in("stance", query.stance, p)] if query.stance else []
            checks.append((f"SELECT 1 FROM claim_members WHERE {' AND '.join(subs)}", p))
        return all(self._rows(sql + " LIMIT 1", params) for sql, params in checks)

    def _plain_count_sql(self, query: SearchQuery, where: _Where) -> tuple[str, list[Any]]:
        if query.kind == "articles":
            sql = f"SELECT count(*) AS n FROM articles a WHERE {where.sql()}"
        else:
            sql = f"SELECT count(*) AS n FROM statements st{where.join()} WHERE {where.sql()}"
        return sql, where.params

    def _named(self, query: SearchQuery) -> dict[str, list[str]]:
        """The stored names each outlet: / speaker: filter of the query stands for: the name
        itself in any case, else the names holding it as whole words ("speaker:Hussain" is
        "Mushahid Hussain"). An empty list: no stored name fits."""
        out: dict[str, list[str]] = {}
        for name, values in query.parsed.filters.items():
            if name == "outlet":
                rows = self._rows(
                    "SELECT outlet AS v FROM articles WHERE outlet IS NOT NULL GROUP BY outlet"
                )
                stored = [r["v"] for r in rows]
            else:
                rows = self._rows(
                    "SELECT speaker AS v FROM statements WHERE speaker > '' GROUP BY speaker"
                )
                stored = [r["v"] for r in rows]
                if self._has_table("speaker_actors"):
                    actors = self._rows("SELECT DISTINCT actor AS v FROM speaker_actors")
                    stored = sorted(set(stored) | {r["v"] for r in actors})
            found: list[str] = []
            for value in values:
                exact = [s for s in stored if s.casefold() == value.casefold()]
                if not exact:
                    pattern = re.compile(rf"(?<!\w){re.escape(value)}(?!\w)", re.I)
                    exact = [s for s in stored if pattern.search(s)]
                found += [s for s in exact if s not in found]
            out[name] = found
        return out

    # -- search -------------------------------------------------------------------------
    def faceted_search(self, query: SearchQuery) -> dict[str, Any]:
        """Hits of one page, the total, and facet counts over the (windowed) result; what
        was searched (the query with its variants, ``searched``) and, when nothing matched,
        a looser query to try (``suggestion``)."""
        self._prepare_reads()
        result = self._search(query)
        result["searched"] = query.parsed.describe()
        result["suggestion"] = query.parsed.looser() if result["total"] == 0 else None
        return result

    def _search(self, query: SearchQuery) -> dict[str, Any]:
        where = self._filters(query, self._named(query))
        text = query.text
        empty = {
            "total": 0,
            "total_exact": True,
            "facets_exact": True,
            "hits": [],
            "facets": {f: [] for f in FACETS},
        }
        nothing = query.q.strip() and not text and not query.parsed.filters
        if where is None or nothing or not self._possible(query):
            return {**empty, "partial": False}
        cand, complete = self._candidates(query, where)
        windowed = len(cand) > CANDIDATES or not complete
        cand = cand[:CANDIDATES]
        total: int | None = len(cand)
        if not complete:
            total = None
        elif windowed:
            count_sql = self._fts_count_sql if text else self._plain_count_sql
            total = self._bounded_count(*count_sql(query, where), COUNT_BUDGET_S)
        if text:  # best first (lower score is better), then by key for a stable order
            cand.sort(key=lambda c: (c.score if c.score is not None else 0.0, c.key))
        page = cand[query.offset : query.offset + query.limit]
        return {
            "total": total if total is not None else len(cand),
            "total_exact": total is not None,
            "facets_exact": not windowed,
            "partial": not complete,
            "hits": self._hits(query, page, text),
            "facets": self._facets(query, [c.key for c in cand]),
        }

    def _candidates(self, query: SearchQuery, where: _Where) -> tuple[list[Cand], bool]:
        """The window: up to CANDIDATES + 1 hits (one more says there are more), and whether
        the scan ran to its end."""
        sql_of = self._fts_candidates_sql if query.text else self._plain_candidates_sql
        return self._bounded_rows(*sql_of(query, where, CANDIDATES + 1), SCAN_BUDGET_S)

    def _hits(self, query: SearchQuery, page: Sequence[Cand], text: bool) -> list[dict[str, Any]]:
        keys = [c.key for c in page]
        if not keys:
            return []
        ids = self._ids_sql()
        if query.kind == "articles":
            sql = (
                "SELECT a.id AS k, a.id AS article_id, NULL AS statement_id, a.title, a.outlet,"
                f" a.published, NULL AS speaker, substr(a.text, 1, {SNIPPET_CHARS}) AS body,"
                f" {_FIRST_SOURCE} AS source FROM articles a WHERE a.id IN {ids}"
            )
        else:
            sql = (
                "SELECT st.id AS k, a.id AS article_id, st.id AS statement_id, a.title, a.outlet,"
                f" a.published, st.speaker, substr(st.text, 1, {SNIPPET_CHARS}) AS body,"
                f" {_FIRST_SOURCE} AS source"
                f" FROM statements st JOIN articles a ON a.id = st.article_id WHERE st.id IN {ids}"
            )
        rows = {r["k"]: r for r in self._rows(sql, [self._ids_param(keys)])}
        snippets = self._snippets(query, page) if text else {}
        hits = []
        for k in keys:
            r = rows.get(k)
            if r is None:  # vanished between the two reads (a concurrent writer cannot delete)
                continue
            body = " ".join((r["body"] or "").split())
            hits.append(
                {
                    "kind": query.kind[:-1],
                    "article_id": r["article_id"],
                    "statement_id": r["statement_id"],
                    "title": r["title"],
                    "source": r["source"],
                    "label": hit_label(r["title"], r["source"], r["article_id"]),
                    "outlet": r["outlet"],
                    "published": r["published"],
                    "speaker": r["speaker"],
                    "snippet": snippets.get(k) or body,
                }
            )
        return hits

    def _facets(self, query: SearchQuery, keys: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Counts of hits (articles or statements) per facet value, most first, top N; the
        speaker facet counts the statements that speak for their speaker (`rows.speaks`).

        One statement for every facet (`_facets_sql`): on PostgreSQL each statement is a
        round trip and a plan, and the claim and stance facets read the window's claim
        members once between them."""
        out: dict[str, list[dict[str, Any]]] = {f: [] for f in FACETS}
        if not keys:
            return out
        sql, n_ids = self._facets_sql(query)
        rows = self._rows(sql, [*[self._ids_param(keys)] * n_ids, query.facet_limit])
        for r in rows:
            facet = r.pop("facet")
            if facet != "claim":  # a claim's label is looked up for the top N only
                r.pop("label")
            out[facet].append(r)
        return out

    def _facets_sql(self, query: SearchQuery) -> tuple[str, int]:
        """The facets' statement, and how many times it takes the hits' ids. Each facet
        counts distinct (hit, value) pairs, which PostgreSQL hashes where count(DISTINCT)
        sorted every row of the window's statements, cues or members by value."""
        ids = self._ids_sql()
        arts = query.kind == "articles"
        # speakers by actor, where the link step folded any names (claimgraph.link.actors)
        folds = self._folds()
        who = "coalesce(sa.actor, s.speaker)" if folds else "s.speaker"
        actors = " LEFT JOIN speaker_actors sa ON sa.speaker = s.speaker" if folds else ""
        parts: dict[str, str] = {
            "outlet": (
                f"SELECT a.outlet AS value, count(*) AS count FROM articles a WHERE a.id IN {ids}"
                if arts
                else "SELECT a.outlet AS value, count(*) AS count FROM statements st"
                f" JOIN articles a ON a.id = st.article_id WHERE st.id IN {ids}"
            )
            + " AND a.outlet IS NOT NULL GROUP BY a.outlet",
            "speaker": (
                "SELECT d.value, count(*) AS count FROM (SELECT DISTINCT s.article_id,"
                f" {who} AS value FROM statements s{actors} WHERE s.article_id IN {ids}"
                f" AND {self._speaks('s')}) d GROUP BY d.value"
                if arts
                else f"SELECT {who} AS value, count(*) AS count FROM statements s{actors}"
                f" WHERE s.id IN {ids} AND {self._speaks('s')} GROUP BY {who}"
            ),
            "cue_type": (
                "SELECT d.value, count(*) AS count FROM (SELECT DISTINCT c.article_id AS k,"
                f" c.type AS value FROM cues c WHERE c.article_id IN {ids}) d GROUP BY d.value"
                if arts
                else "SELECT d.value, count(*) AS count FROM (SELECT DISTINCT c.statement_id AS k,"
                f" c.type AS value FROM cues c WHERE c.statement_id IN {ids}) d GROUP BY d.value"
            ),
        }
        n_ids = len(parts)
        members = ""
        if self._has_table("claim_members"):
            col = "m.article_id" if arts else "m.statement_id"
            members = (
                f"WITH win AS (SELECT {col} AS k, m.claim_id, m.stance FROM claim_members m"
                f" WHERE {col} IN {ids}) "
            )
            n_ids += 1
            for facet, column in (("claim", "claim_id"), ("stance", "stance")):
                parts[facet] = (
                    f"SELECT d.value, count(*) AS count FROM (SELECT DISTINCT w.k,"
                    f" w.{column} AS value FROM win w) d GROUP BY d.value"
                )
        union = " UNION ALL ".join(
            f"SELECT '{facet}' AS facet, p.value, p.count FROM ({sql}) p"
            for facet, sql in parts.items()
        )
        label = (
            "CASE WHEN f.facet = 'claim' THEN"
            " (SELECT c.label FROM claims c WHERE c.claim_id = f.value) END"
            if members
            else "NULL"
        )
        sql = (
            f"{members}SELECT f.facet, f.value, f.count, {label} AS label FROM"
            " (SELECT u.facet, u.value, u.count, row_number() OVER"
            " (PARTITION BY u.facet ORDER BY u.count DESC, u.value) AS rn"
            f" FROM ({union}) u) f WHERE f.rn <= ? ORDER BY f.facet, f.rn"
        )
        return sql, n_ids

    # -- paged reads --------------------------------------------------------------------
    def article_page(
        self,
        *,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Articles, newest first, with their statement counts, and the total."""
        w = self._filters(
            SearchQuery(
                outlet=(outlet,) if outlet is not None else (),
                date_from=date_from,
                date_to=date_to,
            )
        )
        if w is None:  # cannot happen: no claim or stance filter here
            return {"total": 0, "items": []}
        total = self._rows(f"SELECT count(*) AS n FROM articles a WHERE {w.sql()}", w.params)
        items = self._rows(
            "SELECT a.id, a.title, a.outlet, a.published, a.url, a.language, a.n_words,"
            f" {_FIRST_SOURCE} AS source,"
            " (SELECT count(*) FROM statements s WHERE s.article_id = a.id) AS n_statements"
            f" FROM articles a WHERE {w.sql()}"
            f" ORDER BY a.published DESC{self._NULLS_LAST}, a.id DESC"
            " LIMIT ? OFFSET ?",
            [*w.params, limit, offset],
        )
        for it in items:
            it["label"] = article_label(it["title"], it["source"], it["id"])
        return {"total": int(total[0]["n"]), "items": items}

    def article_detail(self, article_id: str) -> dict[str, Any] | None:
        """One article with its sources, statements, cues and term uses; None if unknown."""
        rows = self._rows("SELECT * FROM articles WHERE id = ?", [article_id])
        if not rows:
            return None
        art = {k: v for k, v in rows[0].items() if k != "fts"}
        art["sources"] = [
            r["source"]
            for r in self._rows(
                "SELECT source FROM article_sources WHERE article_id = ? ORDER BY added_at, source",
                [article_id],
            )
        ]
        art["label"] = article_label(
            art.get("title"), art["sources"][0] if art["sources"] else None, article_id
        )
        art["statements"] = self._part("statements", article_id)
        for st in art["statements"]:
            st["negated"] = negated_cue(art["text"], st)  # "did not disclose": not said
        art["cues"] = self._part("cues", article_id)
        art["terms"] = self._part("term_uses", article_id)
        speakers = {st["id"]: st.get("speaker") for st in art["statements"]}
        for cue in art["cues"]:
            if cue.get("detail"):
                cue["detail"] = json.loads(cue["detail"])
            cue["speaker"] = speakers.get(cue.get("statement_id"))  # in a speaker's voice
        return art

    def _part(self, table: str, article_id: str) -> list[dict[str, Any]]:
        rows = self._rows(f"SELECT * FROM {table} WHERE article_id = ? ORDER BY idx", [article_id])
        return [{k: v for k, v in r.items() if k != "fts"} for r in rows]

    def statement_page(
        self,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        article_id: str | None = None,
        speaking: bool = False,
        limit: int = 20,
        offset: int = 0,
    ) -> dict[str, Any]:
        """Statements in stored order (article, then position), with the total; `speaking`:
        only those that count for their speaker (`rows.speaks`: a speaker's page)."""
        w = _Where()
        if speaker is not None:
            w.clauses.append(_in("st.speaker", self._speaker_names([speaker]), w.params))
        if speaking:
            w.clauses.append(self._speaks("st"))
        if outlet is not None:
            w.clauses.append("a.outlet = ?")
            w.params.append(outlet)
        if article_id is not None:
            w.clauses.append("st.article_id = ?")
            w.params.append(article_id)
        frm = f"FROM statements st JOIN articles a ON a.id = st.article_id WHERE {w.sql()}"
        total = self._rows(f"SELECT count(*) AS n {frm}", w.params)
        items = self._rows(
            "SELECT st.id, st.article_id, st.idx, st.kind, st.text, st.speaker, st.speaker_role,"
            " st.speaker_affiliation, st.cue, st.cue_class, st.start_char, st.end_char,"
            f" {CUE_LEAD_SQL} AS cue_lead,"
            f" a.outlet, a.title, a.published {frm} ORDER BY st.article_id, st.idx"
            " LIMIT ? OFFSET ?",
            [*w.params, limit, offset],
        )
        for item in items:
            item["negated"] = negated_lead(item.pop("cue_lead"))
        return {"total": int(total[0]["n"]), "items": items}

    def outlet_summary(self) -> list[dict[str, Any]]:
        """Every outlet that has articles (or is registered), with article/statement counts."""
        return self._rows(
            "SELECT n.name, o.domain, o.country, o.type,"
            " (SELECT count(*) FROM articles a WHERE a.outlet = n.name) AS n_articles,"
            " (SELECT count(*) FROM statements st JOIN articles a ON a.id = st.article_id"
            "  WHERE a.outlet = n.name) AS n_statements"
            " FROM (SELECT name FROM outlets UNION SELECT outlet FROM articles"
            "  WHERE outlet IS NOT NULL) n LEFT JOIN outlets o ON o.name = n.name"
            " ORDER BY n_articles DESC, n.name"
        )

    def _folds(self) -> bool:
        """Does the store fold any speaker into another's actor (`claimgraph.link.actors`)?"""
        return self._has_table("speaker_actors") and bool(
            self._rows("SELECT 1 AS x FROM speaker_actors LIMIT 1")
        )

    def _speaker_names(self, names: Sequence[str]) -> list[str]:
        """The speakers an actor's name stands for: the names themselves and those folded
        into them ("Donald Trump": also "Trump" and "Donald J. Trump")."""
        out = list(names)
        if out and self._folds():
            p: list[Any] = []
            rows = self._rows(f"SELECT speaker FROM speaker_actors WHERE {_in('actor', out, p)}", p)
            out += sorted({r["speaker"] for r in rows} - set(out))
        return out

    def speaker_counts(self) -> list[tuple[str, str | None, int]]:
        """(speaker, speaker_type, statements) over the store, negated reports left out
        (`rows.speaks`): what `fold_speakers` reads. The type is that of the speaker's first
        statement: counted from a speaker index alone (statements_speaking), the query takes
        0.1 s on 1.4 million statements (grouping by the type too read every row: 8.6 s)."""
        rows = self._rows(
            "SELECT s.speaker, count(*) AS n, (SELECT t.speaker_type FROM statements t"
            " WHERE t.speaker = s.speaker ORDER BY t.id LIMIT 1) AS speaker_type"
            f" FROM statements s WHERE {self._speaks('s')} GROUP BY s.speaker"
        )
        return [(r["speaker"], r["speaker_type"], int(r["n"])) for r in rows]

    def actor_map(self) -> dict[str, str]:
        """{speaker: actor} for the speakers the link step folded (`claimgraph.link.actors`);
        empty for a store linked before migration 5 (or never linked)."""
        if not self._has_table("speaker_actors"):
            return {}
        return {
            r["speaker"]: r["actor"]
            for r in self._rows("SELECT speaker, actor FROM speaker_actors")
        }

    def speaker_summary(self, *, limit: int = 100, offset: int = 0) -> dict[str, Any]:
        """Speakers (by actor, `claimgraph.link.actors`) by number of statements, with how
        many articles and outlets carry them; a negated report ("Her statement did not call
        out …") is no statement of its speaker's (`rows.speaks`)."""
        folds = self._folds()
        who = "coalesce(sa.actor, st.speaker)" if folds else "st.speaker"
        actors = " LEFT JOIN speaker_actors sa ON sa.speaker = st.speaker" if folds else ""
        speaks = self._speaks("st")
        total = self._rows(
            f"SELECT count(DISTINCT {who}) AS n FROM statements st{actors} WHERE {speaks}"
        )
        items = self._rows(
            f"SELECT {who} AS name, count(*) AS n_statements,"
            " count(DISTINCT st.article_id) AS n_articles, count(DISTINCT a.outlet) AS n_outlets"
            f" FROM statements st JOIN articles a ON a.id = st.article_id{actors}"
            f" WHERE {speaks} GROUP BY {who}"
            " ORDER BY n_statements DESC, name LIMIT ? OFFSET ?",
            [limit, offset],
        )
        return {"total": int(total[0]["n"]), "items": items}


def _fts5(query: SearchQuery) -> str:
    expr = query.parsed.expr
    return to_fts5(expr) if expr is not None else ""


def _tsquery(query: SearchQuery) -> tuple[str, list[str]]:
    """The query's tsquery expression and its parameters (`query.to_tsquery_sql`)."""
    expr = query.parsed.expr
    if expr is None:
        return "''::tsquery", []
    return to_tsquery_sql(expr)


class SQLiteSearch(SearchMixin):
    """FTS5 over articles_fts(article_id, title, text) and statements_fts(statement_id,
    speaker, text)."""

    conn: sqlite3.Connection

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def _ids_sql(self) -> str:
        return "(SELECT value FROM json_each(?))"

    def _prepare_reads(self) -> None:
        # Memory-mapped reads: each request opens a fresh connection, whose own page cache
        # starts empty; through mmap it reads the OS page cache without a system call a page.
        self.conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")

    def _ids_param(self, ids: Sequence[str]) -> Any:
        return json.dumps(list(ids))

    def _fts_from(self, query: SearchQuery, where: _Where) -> str:
        # CROSS JOIN keeps the full-text index as the outer loop: a hit is found by the index,
        # then checked against the filters, and the scan stops at the cap.
        if query.kind == "articles":
            return "articles_fts f CROSS JOIN articles a ON a.id = f.article_id"
        return (
            "statements_fts f CROSS JOIN statements st ON st.id = f.statement_id"
            + where.join().replace(" JOIN", " CROSS JOIN")
        )

    @staticmethod
    def _fts_table(query: SearchQuery) -> str:
        return "articles_fts" if query.kind == "articles" else "statements_fts"

    def _fts_candidates_sql(
        self, query: SearchQuery, where: _Where, cap: int
    ) -> tuple[str, list[Any]]:
        key = "a.id" if query.kind == "articles" else "st.id"
        table = self._fts_table(query)
        sql = (
            f"SELECT {key}, f.rank, f.rowid FROM {self._fts_from(query, where)}"
            f" WHERE {table} MATCH ? AND {where.sql()} LIMIT ?"
        )
        return sql, [_fts5(query), *where.params, cap]

    def _bounded_rows(
        self, sql: str, params: Sequence[Any], budget_s: float
    ) -> tuple[list[Cand], bool]:
        out: list[Cand] = []
        deadline = time.monotonic() + budget_s
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            for r in self.conn.execute(sql, list(params)):
                out.append(Cand(r[0], None if r[1] is None else float(r[1]), r[2]))
        except sqlite3.OperationalError as exc:
            if "interrupt" not in str(exc):
                raise
            return out, False
        finally:
            self.conn.set_progress_handler(None, 0)
        return out, True

    def _fts_count_sql(self, query: SearchQuery, where: _Where) -> tuple[str, list[Any]]:
        table = self._fts_table(query)
        if not where.clauses:  # the index alone: no row is read
            return f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [_fts5(query)]
        sql = f"SELECT count(*) FROM {self._fts_from(query, where)} WHERE {table} MATCH ? AND {where.sql()}"
        return sql, [_fts5(query), *where.params]

    def _bounded_count(self, sql: str, params: Sequence[Any], budget_s: float) -> int | None:
        deadline = time.monotonic() + budget_s
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            return int(self.conn.execute(sql, list(params)).fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "interrupt" in str(exc):
                return None
            raise
        finally:
            self.conn.set_progress_handler(None, 0)

    def _snippets(self, query: SearchQuery, page: Sequence[Cand]) -> dict[str, str]:
        """Plain-text fragments around the matches (no markers), for one page of hits."""
        table = self._fts_table(query)
        idcol = "article_id" if query.kind == "articles" else "statement_id"
        rows = self.conn.execute(
            f"SELECT {idcol}, snippet({table}, 2, '', '', '…', 32) FROM {table}"
            f" WHERE {table} MATCH ? AND rowid IN (SELECT value FROM json_each(?))",
            [_fts5(query), json.dumps([c.ref for c in page])],
        )
        return {r[0]: " ".join(r[1].split()) for r in rows}


class PostgresSearch(SearchMixin):
    """tsvector columns `fts` on articles and statements, read with the compiled tsquery."""

    conn: Any
    _NULLS_LAST = " NULLS LAST"  # PostgreSQL sorts NULL first in DESC; SQLite last

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute("SELECT to_regclass(%s) AS t", (name,)).fetchone()
        return row is not None and row["t"] is not None

    def _ids_sql(self) -> str:
        return "(SELECT unnest(?::text[]))"

    def _ids_param(self, ids: Sequence[str]) -> Any:
        return list(ids)

    def _fts_parts(self, query: SearchQuery, where: _Where) -> tuple[str, str]:
        if query.kind == "articles":
            return "a.id", "articles a"
        return "st.id", "statements st" + where.join()  # the article only for its columns

    def _plain_candidates_sql(
        self, query: SearchQuery, where: _Where, cap: int
    ) -> tuple[str, list[Any]]:
        """Newest articles first as on SQLite, undated last. PostgreSQL sorts NULL first in
        a DESC order, and the NULLS LAST that fixes that matches no index (migration 3's
        articles_published is ascending): every article was sorted, 0.1 s at 100,000. So the
        dated and the undated are read apart, each in the order of an index read backwards,
        and their first `cap` each merged."""
        if query.kind != "articles":
            return super()._plain_candidates_sql(query, where, cap)
        w = where.sql()
        sql = (
            "SELECT u.k, NULL AS score, NULL AS ref FROM ("
            f"(SELECT a.id AS k, a.published AS p FROM articles a WHERE {w}"
            " AND a.published IS NOT NULL ORDER BY a.published DESC, a.id DESC LIMIT ?)"
            f" UNION ALL (SELECT a.id AS k, NULL AS p FROM articles a WHERE {w}"
            " AND a.published IS NULL ORDER BY a.id DESC LIMIT ?)"
            f") u ORDER BY u.p DESC{self._NULLS_LAST}, u.k DESC LIMIT ?"
        )
        return sql, [*where.params, cap, *where.params, cap, cap]

    def _fts_candidates_sql(
        self, query: SearchQuery, where: _Where, cap: int
    ) -> tuple[str, list[Any]]:
        key, frm = self._fts_parts(query, where)
        vec = "a.fts" if query.kind == "articles" else "st.fts"
        tsq, tparams = _tsquery(query)
        sql = (
            f"SELECT {key} AS k, -ts_rank({vec}, t.q) AS score, NULL AS ref"
            f" FROM {frm}, (SELECT {tsq} AS q) t"
            f" WHERE {vec} @@ t.q AND {where.sql()} LIMIT ?"
        )
        return sql, [*tparams, *where.params, cap]

    def _candidates(self, query: SearchQuery, where: _Where) -> tuple[list[Cand], bool]:
        """As on SQLite, but a common word under an outlet or date filter is matched along
        the filter's index. PostgreSQL's GIN index answers only as a bitmap of every matching
        article (47,000 for "river" at 100,000 articles, ten times that at 1,000,000), which
        the planner ANDs with the filter's before the LIMIT can stop anything; read along the
        outlet or date index instead, checking each article's words, the window fills after
        about CANDIDATES / (the word's share of articles) rows whatever the store's size. A
        word under COMMON_SHARE of the articles keeps the bitmap (small, and a scan along the
        filter could read far); a scan that runs past SCAN_BUDGET_S (the word and the filter
        rarely meet) gives way to the bitmap."""
        if not (query.text and query.kind == "articles" and where.article_columns):
            return super()._candidates(query, where)
        import psycopg

        sql, params = self._fts_candidates_sql(query, where, CANDIDATES + 1)
        if self._text_share(query) >= COMMON_SHARE:
            try:
                with self.conn.transaction():
                    for setting in ("enable_bitmapscan", "enable_seqscan"):
                        self.conn.execute(f"SET LOCAL {setting} = off")
                    ms = max(1, int(SCAN_BUDGET_S * 1000))
                    self.conn.execute(f"SET LOCAL statement_timeout = {ms}")
                    return self._bounded_rows(sql, params, SCAN_BUDGET_S)
            except psycopg.errors.QueryCanceled:
                pass
        return self._bounded_rows(sql, params, SCAN_BUDGET_S)

    def _text_share(self, query: SearchQuery) -> float:
        """The planner's estimate of the share of articles the text query matches (from
        the statistics of the `fts` column: no row is read)."""
        tsq, tparams = _tsquery(query)
        plan = self._rows(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a WHERE a.fts @@ {tsq}", tparams
        )
        matches = float(plan[0]["QUERY PLAN"][0]["Plan"]["Plan Rows"])
        size = self._rows(
            "SELECT greatest(reltuples, 1) AS n FROM pg_class WHERE oid = 'articles'::regclass"
        )
        return matches / float(size[0]["n"]) if size else 0.0

    def _bounded_rows(
        self, sql: str, params: Sequence[Any], budget_s: float
    ) -> tuple[list[Cand], bool]:
        # No partial results here: a cancelled PostgreSQL query returns no rows at all.
        rows = self._rows(sql, params)
        return [Cand(r["k"], None if r["score"] is None else float(r["score"])) for r in rows], True

    def _fts_count_sql(self, query: SearchQuery, where: _Where) -> tuple[str, list[Any]]:
        _, frm = self._fts_parts(query, where)
        vec = "a.fts" if query.kind == "articles" else "st.fts"
        tsq, tparams = _tsquery(query)
        sql = (
            f"SELECT count(*) AS n FROM {frm}, (SELECT {tsq} AS q) t"
            f" WHERE {vec} @@ t.q AND {where.sql()}"
        )
        return sql, [*tparams, *where.params]

    def _bounded_count(self, sql: str, params: Sequence[Any], budget_s: float) -> int | None:
        import psycopg

        ms = max(1, int(budget_s * 1000))
        try:
            with self.conn.transaction():
                self.conn.execute(f"SET LOCAL statement_timeout = {ms}")
                rows = self._rows(sql, params)
        except psycopg.errors.QueryCanceled:
            return None
        return int(rows[0]["n"])

    def _snippets(self, query: SearchQuery, page: Sequence[Cand]) -> dict[str, str]:
        keys = [c.key for c in page]
        if query.kind == "articles":
            sql = "SELECT a.id AS k, left(a.text, 100000) AS body FROM articles a"
            sql += " WHERE a.id = ANY(?)"
        else:
            sql = "SELECT st.id AS k, st.text AS body FROM statements st WHERE st.id = ANY(?)"
        tsq, tparams = _tsquery(query)
        rows = self._rows(
            f"SELECT d.k, ts_headline('simple', d.body, {tsq},"
            ' \'StartSel="", StopSel="", MaxWords=30, MinWords=12, MaxFragments=1\') AS s'
            f" FROM ({sql}) d",
            [*tparams, list(keys)],
        )
        return {r["k"]: " ".join((r["s"] or "").split()) for r in rows}
