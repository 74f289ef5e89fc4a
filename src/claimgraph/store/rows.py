"""What the two backends write, as rows: one place that turns an article, its extraction and a
link run into the values of the tables' columns, and the SQL (``?`` placeholders, see
`schema.Dialect`) that writes and reads them, so SQLite and PostgreSQL store the same records."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..extract.records import Extraction
from ..extract.verbs import negated_cue, negated_lead
from ..ingest.base import META_FIELDS, RawArticle
from ..ingest.outlets import unnamed_outlet

ARTICLE_COLUMNS = (
    "id",
    *[c for f in META_FIELDS for c in (f, f"{f}_prov")],
    "text",
    "n_words",
    "fmt",
    "ingested_at",
    "extractor_version",
)
STATEMENT_COLUMNS = (
    "kind",
    "text",
    "start",
    "end",
    "speaker",
    "speaker_mention",
    "speaker_start",
    "speaker_end",
    "speaker_type",
    "speaker_role",
    "speaker_title",
    "speaker_affiliation",
    "cue",
    "cue_start",
    "cue_end",
    "cue_class",
    "medium",
    "via",
)
# The `claimgraph.extract.verbs.CUE_LEAD` (30) characters of the article before a statement's
# cue, as ``cue_lead`` (``st`` the statement, ``a`` its article; 1-based substr in both
# dialects): enough to tell a negated cue ("did not disclose") without reading the article.
CUE_LEAD_SQL = (
    "CASE WHEN st.cue_start IS NULL THEN NULL"
    " WHEN st.cue_start > 30 THEN substr(a.text, st.cue_start - 29, 30)"
    " ELSE substr(a.text, 1, st.cue_start) END"
)


def negated(st: Mapping[str, Any]) -> bool:
    """Whether a stored statement row's cue is negated ("did not disclose"): its ``negated``
    flag (migration 11), or, in a store opened read-only before that migration, what the
    characters before its cue tell (``cue_lead``, `CUE_LEAD_SQL`)."""
    if st.get("negated") is not None:
        return bool(st["negated"])
    return negated_lead(st.get("cue_lead"))


def speaks(st: Mapping[str, Any]) -> bool:
    """Whether a stored statement row counts for its speaker wherever speakers are listed
    and counted (the report's and the web UI's speaker pages, the summary, the claim
    network): it has a speaker and is no negated report ("Her end-of-visit statement did not
    call out …" is nobody's voice). `speaks_sql` is the same rule for the SQL lists (the API,
    the search facets, the link step's speaker counts); both read the stored flag only, so
    that a store opened read-only before migration 11 counts the same in every view."""
    return bool(st.get("speaker")) and not st.get("negated")


def speaks_sql(alias: str, versions: Sequence[int]) -> str:
    """`speaks` as a WHERE condition on the statements aliased `alias`, for a store at the
    migration `versions`. ``speaker > ''`` and ``negated = 0`` as written here let SQLite and
    PostgreSQL count from the partial index statements_speaking (migration 11)."""
    if 11 not in versions:
        return f"{alias}.speaker > ''"
    return f"{alias}.speaker > '' AND {alias}.negated = 0"


# Field order of write_links' member and candidate dicts (and of their INSERTs).
MEMBER_FIELDS = (
    "member_id",
    "claim_id",
    "article_id",
    "statement_id",
    "voice",
    "speaker",
    "stance",
    "text",
    "start",
    "end",
    "similarity",
    "via",
)
CANDIDATE_FIELDS = (
    "candidate_id",
    "unit_key",
    "article_id",
    "statement_id",
    "voice",
    "speaker",
    "stance_text",
    "text",
    "start",
    "end",
    "centroid",
    "context",
    "terms",
)
CUE_COLUMNS = (
    "id",
    "article_id",
    "idx",
    "type",
    "text",
    "start_char",
    "end_char",
    "technique",
    "statement_id",
    "detail",
    "voice",
)
TERM_COLUMNS = (
    "id",
    "article_id",
    "idx",
    "term",
    "variant",
    "grp",
    "voice",
    "start_char",
    "end_char",
    "statement_id",
)
# A full relink empties these, in this order (topics first: they point to claims).
LINK_TABLES = (
    "claim_topics",
    "topics",
    "claim_members",
    "claim_state",
    "claims",
    "claim_candidates",
    "linked_articles",
)


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def col(name: str) -> str:
    """Record field -> SQL column (start/end are SQL keywords)."""
    return {"start": "start_char", "end": "end_char"}.get(name, name)


def insert_sql(table: str, columns: Sequence[str]) -> str:
    """``INSERT INTO table (columns) VALUES (?, …)``; "end" is quoted (a keyword)."""
    names = ", ".join('"end"' if c == "end" else c for c in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({', '.join(['?'] * len(columns))})"


STATEMENT_SQL_COLUMNS = (
    "id",
    "article_id",
    "idx",
    *[col(f) for f in STATEMENT_COLUMNS],
    "negated",  # migration 11: the cue is negated (`negated_cue`), 1 or 0
)
CANDIDATE_SQL_COLUMNS = (*CANDIDATE_FIELDS, "created_at")


def article_row(
    article_id: str, raw: RawArticle, *, n_words: int, extractor_version: str, at: str
) -> list[Any]:
    """The ``articles`` row of one article, in `ARTICLE_COLUMNS` order."""
    values: dict[str, Any] = {"id": article_id, **metadata_values(raw)}
    values.update(
        text=raw.text,
        n_words=n_words,
        fmt=raw.fmt,
        ingested_at=at,
        extractor_version=extractor_version,
    )
    return [values[k] for k in ARTICLE_COLUMNS]


def metadata_values(raw: RawArticle) -> dict[str, Any]:
    """{column: value} of an article's metadata fields and their provenance."""
    values: dict[str, Any] = {}
    for f in META_FIELDS:
        meta = raw.meta.get(f)
        if f == "outlet" and not (meta and meta.value):
            meta = unnamed_outlet(raw.source, raw.get("url"))
        values[f] = meta.value if meta else None
        values[f"{f}_prov"] = meta.provenance if meta else "none"
    return values


@dataclass
class ExtractionRows:
    """The rows of one article's statements, cues and term uses (ids "<article>:s<n>",
    ":c<n>", ":t<n>"; a cue or term inside a statement points to the statement's id)."""

    statements: list[list[Any]]
    cues: list[tuple[Any, ...]]
    terms: list[tuple[Any, ...]]


def extraction_rows(article_id: str, ex: Extraction, text: str) -> ExtractionRows:
    """The rows of an article's extraction; `text` is the article's, which tells whether a
    statement's cue is negated (`negated_cue`: written once, with the statement)."""
    sids = [f"{article_id}:s{i}" for i in range(len(ex.statements))]

    def sid(index: int | None) -> str | None:
        return sids[index] if index is not None and 0 <= index < len(sids) else None

    statements = []
    for i, st in enumerate(ex.statements):
        d = st.to_dict()
        statements.append(
            [sids[i], article_id, i, *[d[f] for f in STATEMENT_COLUMNS], int(negated_cue(text, d))]
        )
    cues = [
        (
            f"{article_id}:c{i}",
            article_id,
            i,
            cue.type,
            cue.text,
            cue.start,
            cue.end,
            cue.technique,
            sid(cue.statement_index),
            json.dumps(cue.detail, sort_keys=True) if cue.detail else None,
            cue.voice,
        )
        for i, cue in enumerate(ex.cues)
    ]
    terms = [
        (
            f"{article_id}:t{i}",
            article_id,
            i,
            t.term,
            t.variant,
            t.group,
            t.voice,
            t.start,
            t.end,
            sid(t.statement_index),
        )
        for i, t in enumerate(ex.terms)
    ]
    return ExtractionRows(statements, cues, terms)


# -- link runs ------------------------------------------------------------------------------


@dataclass
class LinkRows:
    """The rows one link run writes: new claims, grown claims (updates), every claim's state,
    members, candidates and the articles linked."""

    new_claims: list[tuple[Any, ...]]
    grown_claims: list[tuple[Any, ...]]
    states: list[tuple[Any, ...]]
    members: list[list[Any]]
    candidates: list[list[Any]]
    linked: list[tuple[Any, ...]]


def link_rows(
    *,
    claims: Sequence[dict[str, Any]],
    members: Sequence[dict[str, Any]],
    candidates: Sequence[dict[str, Any]],
    linked: Sequence[tuple[str, int]],
    at: str,
) -> LinkRows:
    new, grown = [], []
    for cl in claims:
        values = (
            cl["label"],
            json.dumps(cl["key_terms"], ensure_ascii=False),
            cl["centroid"],
            cl["n_members"],
            at,
        )
        if cl["new"]:
            new.append((*values, at, cl["claim_id"]))
        else:
            grown.append((*values, cl["claim_id"]))
    return LinkRows(
        new_claims=new,
        grown_claims=grown,
        states=[
            (
                cl["claim_id"],
                json.dumps(cl["terms"], sort_keys=True),
                cl["text"],
                cl.get("context"),
            )
            for cl in claims
        ],
        members=[[m[k] for k in MEMBER_FIELDS] for m in members],
        candidates=[
            [*(u[k] for k in CANDIDATE_FIELDS[:-1]), json.dumps(u["terms"]), at] for u in candidates
        ],
        linked=[(a, n, at) for a, n in linked],
    )


def link_sql() -> dict[str, str]:
    """The statements a link run executes with `LinkRows`."""
    return {
        "new_claims": insert_sql(
            "claims",
            ("label", "key_terms", "centroid", "n_members", "created_at", "updated_at", "claim_id"),
        ),
        "grown_claims": (
            "UPDATE claims SET label=?, key_terms=?, centroid=?, n_members=?, updated_at=?"
            " WHERE claim_id=?"
        ),
        "states": (
            "INSERT INTO claim_state (claim_id, terms, text, context)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (claim_id) DO UPDATE"
            " SET terms=excluded.terms, text=excluded.text, context=excluded.context"
        ),
        "members": insert_sql("claim_members", MEMBER_FIELDS),
        "candidates": insert_sql("claim_candidates", CANDIDATE_SQL_COLUMNS),
        "linked": insert_sql("linked_articles", ("article_id", "n_units", "linked_at")),
    }


REBUTTALS_MIGRATION = 4


def member_via_sql(versions: Sequence[int]) -> str:
    """The select of a member's ``via``: 'meaning' for every member of a store opened
    read-only before migration 4 (it has no rebuttals, and no column for them)."""
    return "m.via" if REBUTTALS_MIGRATION in versions else "'meaning' AS via"


TOPICS_MIGRATION = 6


def claims_sql(versions: Sequence[int], collate: str = "") -> str:
    """Claims, largest first, each with its topic (``topic_id``, ``topic``: its label); both
    null before migration 6 (a store opened read-only) or before topics are assigned.

    ``n_members`` counts the claim's member rows, as its page lists them: the one number
    every view shows for a claim's size. ``n_rebuttals`` of them joined by rebuttal (a
    denial that names the accusations only in general); the stored ``claims.n_members`` is
    the link step's cluster size (members joined by meaning), kept for its centroids."""
    if TOPICS_MIGRATION in versions:
        topic = (
            ", t.topic_id, t.label AS topic FROM claims c"
            " LEFT JOIN claim_topics ct ON ct.claim_id=c.claim_id"
            " LEFT JOIN topics t ON t.topic_id=ct.topic_id"
        )
    else:
        topic = ", NULL AS topic_id, NULL AS topic FROM claims c"
    count = "(SELECT count(*) FROM claim_members m WHERE m.claim_id = c.claim_id)"
    rebuttals = (
        "(SELECT count(*) FROM claim_members m WHERE m.claim_id = c.claim_id"
        " AND m.via = 'rebuttal')"
        if REBUTTALS_MIGRATION in versions
        else "0"
    )
    return (
        f"SELECT c.claim_id, c.label, c.key_terms, {count} AS n_members,"
        f" {rebuttals} AS n_rebuttals{topic}"
        f" ORDER BY n_members DESC, c.claim_id{collate}"
    )


def topics_sql(collate: str = "") -> str:
    """Topics, largest first (members, then claims), ties by id."""
    return (
        "SELECT topic_id, label, key_terms, n_claims, n_members FROM topics"
        f" ORDER BY n_members DESC, n_claims DESC, topic_id{collate}"
    )


def claim_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored claim or topic as read (key_terms as a list)."""
    return {**row, "key_terms": json.loads(row["key_terms"])}


def topic_rows(
    topics: Sequence[Mapping[str, Any]], at: str
) -> tuple[list[tuple[Any, ...]], list[tuple[str, str]]]:
    """The ``topics`` rows and the (claim_id, topic_id) rows of `write_topics`: each topic
    a dict with topic_id, label, key_terms (list), n_members and claim_ids."""
    rows = [
        (
            t["topic_id"],
            t["label"],
            json.dumps(list(t["key_terms"]), ensure_ascii=False),
            len(t["claim_ids"]),
            int(t["n_members"]),
            at,
        )
        for t in topics
    ]
    links = [(c, t["topic_id"]) for t in topics for c in t["claim_ids"]]
    return rows, links


def topic_sql() -> tuple[str, str]:
    """The INSERTs of `topic_rows`."""
    return (
        insert_sql(
            "topics", ("topic_id", "label", "key_terms", "n_claims", "n_members", "updated_at")
        ),
        insert_sql("claim_topics", ("claim_id", "topic_id")),
    )


def member_context_sql(chars: int, greatest: str) -> str:
    """The select of up to `chars` characters of a member's article before (``context_before``) and
    after (``context_after``) its words; ``greatest`` is the dialect's two-argument maximum (SQLite
    ``max``, PostgreSQL ``greatest``). `chars` is an int, formatted into the SQL."""
    n = int(chars)
    lo = f"{greatest}(0, m.start - {n})"
    return (
        f"substr(a.text, {lo} + 1, m.start - {lo}) AS context_before,"
        f' substr(a.text, m."end" + 1, {n}) AS context_after'
    )


LINK_ROW_ORDER = ("new_claims", "grown_claims", "states", "members", "candidates", "linked")


# -- what the link step reads back ----------------------------------------------------------


def link_read_sql(collate: str = "", n_articles: int | None = None) -> dict[str, str]:
    """The link step's reads, ordered by id (``collate``: ' COLLATE "C"' where the database's
    default collation is not byte order). With ``n_articles``, the member counts are of that
    many articles only (their ids the query's parameters), without the dates, which
    ``member_days`` reads grouped by day."""
    only = ""
    published = " (SELECT a.published FROM articles a WHERE a.id=m.article_id) AS published"
    if n_articles is not None:
        only = f" AND m.article_id IN ({', '.join('?' * n_articles)})"
        published = " NULL AS published"
    return {
        "member_counts": (
            f"SELECT m.claim_id, m.article_id, count(*) AS n,{published}"
            f" FROM claim_members m WHERE m.via='meaning'{only} GROUP BY m.claim_id, m.article_id"
            f" ORDER BY m.claim_id{collate}, m.article_id{collate}"
        ),
        "member_days": (
            "SELECT m.claim_id, substr(a.published, 1, 10) AS published"
            " FROM claim_members m JOIN articles a ON a.id=m.article_id"
            " WHERE m.via='meaning' AND a.published IS NOT NULL"
            " GROUP BY m.claim_id, substr(a.published, 1, 10)"
            f" ORDER BY m.claim_id{collate}"
        ),
        "centroids": (
            "SELECT c.claim_id, c.label, c.centroid, c.n_members, s.terms, s.text, s.context"
            " FROM claims c"
            f" JOIN claim_state s ON s.claim_id=c.claim_id ORDER BY c.claim_id{collate}"
        ),
        "candidates": (
            "SELECT candidate_id, unit_key, article_id, statement_id, voice, speaker, stance_text,"
            ' text, start, "end", centroid, context, terms,'
            " (SELECT a.published FROM articles a WHERE a.id=c.article_id) AS published"
            f" FROM claim_candidates c ORDER BY candidate_id{collate}"
        ),
    }


def _blob(value: Any) -> bytes | None:
    return bytes(value) if value is not None else None  # PostgreSQL gives a memoryview


def centroid_views(
    member_counts: Iterable[Mapping[str, Any]],
    claims: Iterable[Mapping[str, Any]],
    member_days: Iterable[Mapping[str, Any]] | None = None,
) -> Iterator[dict[str, Any]]:
    """The link step's view of each claim: centroid (float32 bytes), n_members, label, terms
    ({term: members}), text (representative sentence), articles ({id: members}), published
    (the publication dates its members' articles give, each once; with ``member_days``, the
    dates' first ten characters, read from there: all the link step reads of a date).

    The inputs come ordered by claim id in byte order (`link_read_sql`), the order Python
    compares strings in, so they are read side by side: one claim's counts are held at a
    time, and a reader that stops after the first claim (`encoders.stored_dim`) reads no
    more of the counts than that claim's."""
    counts = iter(member_counts)
    count = next(counts, None)
    days = iter(member_days) if member_days is not None else iter(())
    day = next(days, None)
    for row in claims:
        d = dict(row)
        claim_id = d["claim_id"]
        per_article: dict[str, int] = {}
        dates: set[str] = set()
        while count is not None and count["claim_id"] <= claim_id:
            if count["claim_id"] == claim_id:  # a lower id: members of a claim not listed
                per_article[count["article_id"]] = int(count["n"])
                if count["published"]:
                    dates.add(str(count["published"]))
            count = next(counts, None)
        while day is not None and day["claim_id"] <= claim_id:
            if day["claim_id"] == claim_id and day["published"]:
                dates.add(str(day["published"]))
            day = next(days, None)
        d["centroid"] = _blob(d["centroid"])
        d["context"] = _blob(d["context"])
        d["terms"] = json.loads(d["terms"])
        d["articles"] = per_article
        d["published"] = sorted(dates)
        yield d


def candidate_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stored candidate as the link step reads it (terms as a list)."""
    return {
        **row,
        "centroid": _blob(row["centroid"]),
        "context": _blob(row["context"]),
        "terms": json.loads(row["terms"]),
    }
