"""The read model of the HTML report and the web UI: what each page shows, built from a store.

`SiteModel.build(store)` reads the store in streams, never holding the corpus: claims and
their members once (aggregates, and per article the few fields its page needs), then the
articles with their statements, cues and terms in one ordered pass (counts, speakers, the
timeline, a slim row per article for the lists). What it keeps is small per article and per
speaker; text, statements and members are read again where a page shows them: the report in
streams (claimgraph.present.report), the web UI per request with indexed queries.
The page functions (`overview`, `outlets_view`, `claim_view`, ...) return plain dicts for the
templates. The report and the web UI use the same URLs, relative to the site root:

    index.html  outlets.html  claims.html  speakers.html  articles.html  search.html (UI only)
    article/<key>.html#s<i>   speaker/<key>.html   claim/<key>.html

Long lists are cut into pages of PAGE_SIZE rows: page n > 1 of `x.html` is `x.p<n>.html`
(`page_href`); keys never hold a dot, so the names cannot collide.

Keys are ids that are safe in a file name, else a slug plus a hash of the id
(`page_key`). Nothing here escapes: the templates do (autoescape), and `segments_html`
escapes the highlighted text; links to the outside are kept only when they are http(s)
URLs (`safe_url`)."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ..analyze.matrix import assemble, cell_summary, order_columns
from ..analyze.profiles import cue_voice, is_unnamed_label, outlet_order
from ..extract.terms import load_lexicon
from ..ingest.base import article_label
from ..ingest.outlets import outlet_of
from ..store import Store, negated, speaks
from ..store.base import Peek
from .site import charts
from .site import network as netchart
from .site.highlight import Segment, Span, article_spans, highlight, segments_html
from .site.urls import (
    UNRESOLVED,
    article_href,
    claim_href,
    page_key,
    record_anchor,
    safe_url,
    speaker_href,
)

STANCES = ("affirm", "deny", "report")
PAGE_SIZE = 500  # rows per page of a long list (articles, speakers, a speaker's statements)
__all__ = [
    "PAGE_SIZE",
    "Segment",
    "SiteModel",
    "Span",
    "UNRESOLVED",
    "article_href",
    "article_spans",
    "claim_href",
    "highlight",
    "page_href",
    "page_key",
    "record_anchor",
    "safe_url",
    "speaker_href",
]


# -- pages of long lists --------------------------------------------------------------------


def page_href(base: str, page: int) -> str:
    """`base` ("articles", "speaker/<key>") -> its page `page` (1-based), relative to root."""
    return f"{base}.html" if page <= 1 else f"{base}.p{page}.html"


def n_pages(n: int, size: int | None = None) -> int:
    """Pages of PAGE_SIZE rows (read at each call) that `n` rows fill, at least one."""
    return max(1, -(-n // (size or PAGE_SIZE)))


def pager(base: str, page: int, pages: int) -> dict[str, Any] | None:
    """Links between the pages of one list (None when it fits one page): first, last, and
    the pages near this one."""
    if pages <= 1:
        return None
    near = sorted({1, pages, *range(max(1, page - 3), min(pages, page + 3) + 1)})
    links: list[tuple[int | None, str | None]] = []
    for i, p in enumerate(near):
        if i and p != near[i - 1] + 1:
            links.append((None, None))  # a gap
        links.append((p, page_href(base, p)))
    return {
        "page": page,
        "pages": pages,
        "prev": page_href(base, page - 1) if page > 1 else None,
        "next": page_href(base, page + 1) if page < pages else None,
        "links": links,
    }


def parse_page_name(name: str) -> tuple[str, int] | None:
    """'abc' -> ('abc', 1); 'abc.p3' -> ('abc', 3); a bad page number -> None."""
    if ".p" not in name:
        return (name, 1) if "." not in name else None
    base, _, num = name.rpartition(".p")
    if not num.isdigit() or num.startswith("0") or "." in base or not base or int(num) < 2:
        return None
    return base, int(num)


# -- the model ------------------------------------------------------------------------------


@dataclass(slots=True)
class ArticleRow:
    """What the lists show of an article."""

    id: str
    key: str
    href: str
    label: str
    outlet_label: str
    published: str | None
    n_words: int
    n_statements: int = 0
    n_cues: int = 0


@dataclass
class SpeakerAgg:
    """A speaker's counts over all their statements (their page's summary)."""

    name: str
    n: int = 0
    roles: Counter[str] = field(default_factory=Counter)
    affiliations: Counter[str] = field(default_factory=Counter)
    mentions: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)  # other names folded into it
    outlets: Counter[str] = field(default_factory=Counter)
    verbs: Counter[str] = field(default_factory=Counter)
    claims: dict[int, list[int]] = field(default_factory=dict)  # claim index -> per STANCES


def decorate_article(a: dict[str, Any]) -> dict[str, Any]:
    """An article as `Store.articles()` yields it, with what its page shows added."""
    a["key"] = page_key(a["id"])
    a["href"] = article_href(a["id"])
    a["label"] = article_label(a.get("title"), (a.get("sources") or "").split("; ")[0], a["id"])
    a["outlet_label"] = outlet_of(a)
    a["url_href"] = safe_url(a.get("url"))
    return a


def _suffix(record_id: str) -> str:
    return sys.intern(record_anchor(record_id))


@dataclass
class SiteModel:
    """Aggregates of the whole store, with lookups by page key; no text and no statements.

    Members are kept per article in a compact form: (statement anchor, claim index, stance)
    for a statement's, (None, claim index, stance, member_id, speaker, text, start, end) for
    the outlet's own narration."""

    claims: list[dict[str, Any]] = field(default_factory=list)
    # claims grouped by issue (claimgraph.claims.topics), biggest first: label, key, anchor,
    # href, n_members and the indices of its claims (biggest first)
    topics: list[dict[str, Any]] = field(default_factory=list)
    claim_by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    claim_index: dict[str, int] = field(default_factory=dict)
    articles: list[ArticleRow] = field(default_factory=list)
    article_by_id: dict[str, int] = field(default_factory=dict)
    article_by_key: dict[str, int] = field(default_factory=dict)
    speakers: dict[str, SpeakerAgg] = field(default_factory=dict)  # by actor
    speaker_by_key: dict[str, str] = field(default_factory=dict)
    actors: dict[str, str] = field(default_factory=dict)  # speaker -> actor, where they differ
    outlets: list[str] = field(default_factory=list)
    outlet_articles: Counter[str] = field(default_factory=Counter)
    outlet_statements: Counter[str] = field(default_factory=Counter)
    # per outlet, what the store holds (`Store.outlet_summary`: the one query behind the
    # outlet counts of the report, the API and compare)
    outlet_summary: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    members_of_article: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    # per claim index: {outlet label: [own affirm, deny, report, carried affirm, deny, report]}
    claim_cells: list[dict[str, list[int]]] = field(default_factory=list)
    claim_speakers: list[Counter[str]] = field(default_factory=list)
    dated: Counter[tuple[str, str]] = field(default_factory=Counter)  # (outlet, yyyy-mm-dd)
    undated: int = 0
    comparison: dict[str, Any] | None = None
    graph: tuple[list[dict[str, Any]], list[dict[str, Any]]] | None = None  # gexf.build_graph
    _matrix: dict[str, Any] | None = None
    _claim_refs: dict[tuple[int, str], dict[str, Any]] = field(default_factory=dict)

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        store: Store,
        *,
        compare: bool = True,
        n_boot: int = 1000,
        on_article: Any = None,
    ) -> SiteModel:
        """Read the store. `compare`: compute the outlet comparison and the claim network
        (both read the store in bounded memory whatever its size). `on_article(model,
        article, statements, cues, terms)` is called for each article of the ordered pass
        (the report renders there)."""
        model = cls(actors=store.actor_map())
        model.outlet_summary = {o["name"]: o for o in store.outlet_summary()}
        model.read_claims(store)
        if compare:
            from ..analyze.compare import compare as do_compare
            from ..analyze.wire import store_wire_groups
            from .gexf import build_graph

            # the wire groups found once, over every article's text, for both: the
            # comparison lists a group's first members only, the graph needs every copy
            groups = store_wire_groups(store)
            model.comparison = do_compare(store, n_boot=n_boot, groups=groups)
            model.graph = build_graph(store, wire_copies={c for g in groups for c in g.copies})
        for art, sts, cues, terms in iter_articles(store):
            model.add_article(art, sts, cues, terms)
            if on_article is not None:
                on_article(model, art, sts, cues, terms)
        model.finish()
        return model

    def read_claims(self, store: Store) -> None:
        """Claims, and one pass over their members."""
        from ..analyze.matrix import has_claims

        if not has_claims(store):
            return
        for c in store.claims():  # type: ignore[attr-defined]
            c["key"] = page_key(c["claim_id"])
            c["href"] = claim_href(c["claim_id"])
            self.claim_index[c["claim_id"]] = len(self.claims)
            self.claim_by_key[c["key"]] = c
            self.claims.append(c)
            self.claim_cells.append({})
            self.claim_speakers.append(Counter())
        self.topics = group_topics(self.claims)
        stance_no = {s: i for i, s in enumerate(STANCES)}
        for m in store.claim_members():  # type: ignore[attr-defined]
            ci = self.claim_index.get(m["claim_id"])
            if ci is None:
                continue
            stance = sys.intern(m["stance"])
            per = self.members_of_article.setdefault(m["article_id"], [])
            if m["statement_id"]:
                per.append((_suffix(m["statement_id"]), ci, stance))
            else:
                per.append(
                    (
                        None,
                        ci,
                        stance,
                        m["member_id"],
                        m.get("speaker"),
                        m["text"],
                        m["start"],
                        m["end"],
                    )
                )
            counts = self.claim_cells[ci].setdefault(outlet_of(m), [0] * 6)
            counts[stance_no[stance] + (0 if m["voice"] == "outlet" else 3)] += 1
            if m.get("speaker"):
                self.claim_speakers[ci][self.actor_of(m["speaker"])] += 1

    def add_article(
        self,
        art: dict[str, Any],
        statements: list[dict[str, Any]],
        cues: list[dict[str, Any]],
        terms: list[dict[str, Any]],
    ) -> None:
        """Count one article of the ordered pass; decorates `art` and its statements."""
        decorate_article(art)
        row = ArticleRow(
            id=art["id"],
            key=art["key"],
            href=art["href"],
            label=art["label"],
            outlet_label=art["outlet_label"],
            published=art.get("published"),
            n_words=art.get("n_words") or 0,
            n_statements=len(statements),
            n_cues=len(cues),
        )
        self.article_by_id[row.id] = len(self.articles)
        self.article_by_key[row.key] = len(self.articles)
        self.articles.append(row)
        outlet = row.outlet_label
        self.outlet_articles[outlet] += 1
        self.outlet_statements[outlet] += len(statements)
        day = _parse_day(row.published)
        if day is None:
            self.undated += len(statements)
        elif statements:
            self.dated[(outlet, day.isoformat())] += len(statements)
        claims_of = self.statement_claims(row.id)
        for s in statements:
            s["claims"] = claims_of.get(record_anchor(s["id"]), [])
            if not speaks(s):  # no speaker, or a negated report: not said
                continue
            name = s["actor"] = self.actor_of(s["speaker"])
            agg = self.speakers.get(name)
            if agg is None:
                agg = self.speakers[name] = SpeakerAgg(name)
                self.speaker_by_key[page_key(name)] = name
            agg.n += 1
            if s.get("speaker_role"):
                agg.roles[s["speaker_role"]] += 1
            if s.get("speaker_affiliation"):
                agg.affiliations[s["speaker_affiliation"]] += 1
            if s.get("speaker_mention"):
                agg.mentions[s["speaker_mention"]] += 1
            if s["speaker"] != name:
                agg.names[s["speaker"]] += 1
            agg.outlets[outlet] += 1
            if s.get("cue"):
                agg.verbs[s["cue"]] += 1
            for m in s["claims"]:
                agg.claims.setdefault(m["claim_index"], [0, 0, 0])[STANCES.index(m["stance"])] += 1
        self.counts["statements"] = self.counts.get("statements", 0) + len(statements)
        self.counts["cues"] = self.counts.get("cues", 0) + len(cues)
        self.counts["terms"] = self.counts.get("terms", 0) + len(terms)

    def finish(self) -> None:
        counts = self.outlet_articles
        self.outlets = sorted(counts, key=lambda o: outlet_order(o, counts[o]))
        self.counts.update(
            articles=len(self.articles),
            outlets=len(self.outlets),
            speakers=len(self.speakers),
            claims=len(self.claims),
        )
        for k in ("statements", "cues", "terms"):
            self.counts.setdefault(k, 0)

    # -- lookups ----------------------------------------------------------------------------

    def claim_ref(self, ci: int, stance: str) -> dict[str, Any]:
        """The (shared, read-only) link to claim `ci` with a stance, as pages show it."""
        ref = self._claim_refs.get((ci, stance))
        if ref is None:
            c = self.claims[ci]
            ref = self._claim_refs[(ci, stance)] = {
                "claim_id": c["claim_id"],
                "claim_index": ci,
                "claim_label": c["label"],
                "claim_href": c["href"],
                "stance": stance,
            }
        return ref

    def statement_claims(self, article_id: str) -> dict[str, list[dict[str, Any]]]:
        """Statement anchor -> the claims it is a member of, for one article."""
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in self.members_of_article.get(article_id, ()):
            if m[0] is not None:
                out[m[0]].append(self.claim_ref(m[1], m[2]))
        return out

    def outlet_members(self, article_id: str) -> list[dict[str, Any]]:
        """The claim members of one article in the outlet's own narration."""
        out = []
        for m in self.members_of_article.get(article_id, ()):
            if m[0] is None:
                _, ci, stance, member_id, speaker, text, start, end = m
                out.append(
                    {
                        **self.claim_ref(ci, stance),
                        "member_id": member_id,
                        "statement_id": None,
                        "speaker": speaker,
                        "text": text,
                        "start": start,
                        "end": end,
                        "anchor": f"m-{page_key(member_id)}",
                    }
                )
        return out

    def article_row(self, article_id: str) -> ArticleRow | None:
        i = self.article_by_id.get(article_id)
        return None if i is None else self.articles[i]

    def article_label(self, article_id: str) -> str:
        row = self.article_row(article_id)
        return row.label if row else article_id

    def actor_of(self, speaker: str) -> str:
        """The corpus's name for a speaker as its article names it (`claimgraph.link.actors`)."""
        return self.actors.get(speaker, speaker)  # never None: a speaker is given

    def speaker_href_of(self, name: str | None) -> str | None:
        """Only speakers of stored statements have a page; a narrated sentence relaying
        someone ("China has denied ...") names a speaker that may have none."""
        name = self.actor_of(name) if name else None
        return speaker_href(name) if name and name in self.speakers else None

    @property
    def matrix(self) -> dict[str, Any]:
        """The claim x outlet matrix: the comparison's, which leaves wire copies out, or,
        without a comparison, from all articles (claimgraph.analyze.matrix's rules, on
        counts kept while streaming)."""
        if self._matrix is None:
            given = (self.comparison or {}).get("matrix")
            if isinstance(given, dict) and "rows" in given:
                self._matrix = given
            else:
                self._matrix = matrix_from_counts(self)
        return self._matrix


def group_topics(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims (as `Store.claims()` yields them, biggest first; decorated with their
    topic's `topic_href` here) grouped under their topic, the topic with most members
    first; claims without a topic (topics not assigned yet) are one last group, label None."""
    groups: dict[str | None, dict[str, Any]] = {}
    for i, c in enumerate(claims):
        tid = c.get("topic_id")
        g = groups.get(tid)
        if g is None:
            key = page_key(tid) if tid else None
            g = groups[tid] = {
                "topic_id": tid,
                "label": c.get("topic"),
                "key": key,
                "anchor": f"t-{key}" if key else None,
                "href": f"claims.html#t-{key}" if key else None,
                "n_members": 0,
                "claims": [],
            }
        g["n_members"] += c.get("n_members") or 0
        g["claims"].append(i)
        c["topic_href"] = g["href"]
    return sorted(
        groups.values(), key=lambda g: (g["topic_id"] is None, -g["n_members"], g["topic_id"] or "")
    )


def iter_articles(
    store: Store,
) -> Iterator[
    tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]
]:
    """Each article with its statements, cues and term uses, in one ordered pass: the four
    streams come in the same order (ingest time, then id), so they are merged, not grouped
    in memory."""
    streams = [Peek(store.statements()), Peek(store.cues()), Peek(store.term_uses())]
    for art in store.articles():
        aid = art["id"]
        parts = [s.take(aid) for s in streams]
        yield art, parts[0], parts[1], parts[2]


def matrix_from_counts(model: SiteModel) -> dict[str, Any]:
    """`claimgraph.analyze.matrix.build_matrix` over all articles, from the stance counts
    per (claim, outlet) kept by `read_claims`: the same columns, rows, cells and blindspots
    (a cell without its member lists, which the pages do not show)."""
    columns = order_columns(model.outlet_articles)
    return assemble(
        columns,
        model.claims,
        lambda i, _: {col: _cell(model.claim_cells[i].get(col)) for col in columns},
    )


def _cell(counts: list[int] | None) -> dict[str, Any]:
    """claimgraph.analyze.matrix.cell from counts (own affirm/deny/report, carried ...)."""
    c = counts or [0] * 6
    return cell_summary(
        dict(zip(STANCES, c[:3], strict=True)), dict(zip(STANCES, c[3:], strict=True))
    )


# -- the claim x outlet matrix and the timeline ---------------------------------------------


def _cell_title(claim: str, outlet: str, cell: dict[str, Any]) -> str:
    if cell["stance"] == "absent":
        return f"{outlet} on “{claim}”: absent (a blindspot)"
    own = ", ".join(f"{v} {k}" for k, v in cell["outlet_voice"].items() if v)
    carried = ", ".join(f"{v} {k}" for k, v in cell["speakers"].items() if v)
    parts = [f"{outlet} on “{claim}”: {cell['stance']}"]
    if own:
        parts.append(f"in its own voice {own}")
    if carried:
        parts.append(f"carries speakers: {carried}")
    return "; ".join(parts)


def stance_matrix(data: SiteModel, claim_ids: list[str] | None = None) -> dict[str, Any]:
    """The matrix's rows (all, or the claims named) as a heat map and a table. A cell's colour
    is the outlet's stance: its own narration's where it has one, else "report"; a cell
    where the outlet only carries others is drawn lighter and names what it carries."""
    matrix = data.matrix
    rows = matrix["rows"]
    if claim_ids is not None:
        order = {c: i for i, c in enumerate(claim_ids)}
        rows = sorted(
            (r for r in rows if r["claim_id"] in order), key=lambda r: order[r["claim_id"]]
        )
    cols = list(matrix["columns"])
    shapes: list[tuple[str, str | None]] = []
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    table = []
    for i, r in enumerate(rows):
        href = claim_href(r["claim_id"])
        shapes.append((r["label"], href))
        row = []
        for j, col in enumerate(cols):
            cell = r["cells"][col]
            own = cell["source"] == "outlet"
            label = cell["stance"] if cell["source"] != "speakers" else f"carries {cell['carried']}"
            cells[(i, j)] = {
                "stance": cell["stance"] if own else (cell["carried"] or "report"),
                "n": cell["n_members"],
                "own": own,
                "text": "" if cell["stance"] == "absent" else label,
                "title": _cell_title(r["label"], col, cell),
                "href": f"{href}#o-{page_key(col)}",
            }
            row.append({"outlet": col, "label": label, **cell})
        table.append({"claim_id": r["claim_id"], "label": r["label"], "href": href, "cells": row})
    chart = charts.heat_map(shapes, cols, cells, what="Claims by outlet: where each outlet stands")
    return {
        "chart": chart,
        "rows": table,
        "outlets": cols,
        "blindspots": matrix.get("blindspots", {}),
    }


def _parse_day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _period(d: date, unit: str) -> str:
    if unit == "day":
        return d.isoformat()
    if unit == "week":
        return (d - timedelta(days=d.weekday())).isoformat()
    return d.isoformat()[:7]


def _dated_items(data: SiteModel) -> tuple[Counter[tuple[str, date]], int, str]:
    """How many dated statements or narrated claim sentences per (outlet, day), the number
    left out (undated, or dated only to the month or year), and where the dates come from."""
    given = (data.comparison or {}).get("timeline")
    dated: Counter[tuple[str, date]] = Counter()
    if isinstance(given, dict) and isinstance(given.get("by_date"), list):
        for row in given["by_date"]:
            d = _parse_day(row.get("date"))
            if d is not None:
                dated[(outlet_of(row), d)] += int(row["n"])
        left = int(given.get("n_items", 0)) - sum(dated.values())
        return dated, left, "the words around each statement, else its article's date"
    for (o, day), n in data.dated.items():
        dated[(o, date.fromisoformat(day))] += n
    return dated, data.undated, "each statement's article date"


# A timeline is drawn when at least this share of the statements and claim sentences has a
# day date, in two periods or more: a chart of 8 dated items next to 84 undated ones shows
# the dates of one article, not when things were said.
TIMELINE_MIN_DATED = 0.5


def timeline_view(data: SiteModel) -> dict[str, Any]:
    """Statements per outlet and period (day, week or month, by the corpus's span of dates),
    dated by claimgraph.analyze.timeline where the comparison has it; the chart only where
    enough of them are dated (`TIMELINE_MIN_DATED`), else how many are, by outlet."""
    dated, left, source = _dated_items(data)
    n_dated = sum(dated.values())
    view: dict[str, Any] = {
        "chart": None,
        "undated": left,
        "dated": n_dated,
        "unit": None,
        "source": source,
        "by_outlet": [],
        "span": None,
    }
    if not dated:
        return view
    first, last = min(d for _, d in dated), max(d for _, d in dated)
    span = (last - first).days
    unit = "day" if span <= 31 else "week" if span <= 730 else "month"
    counts: Counter[tuple[str, str]] = Counter()
    per_outlet: Counter[str] = Counter()
    for (o, d), n in dated.items():
        counts[(o, _period(d, unit))] += n
        per_outlet[o] += n
    periods: list[str] = []
    d = first
    while d <= last:
        p = _period(d, unit)
        if not periods or periods[-1] != p:
            periods.append(p)
        d += timedelta(days=1)
    outlets = [o for o in data.outlets if per_outlet[o]]
    view.update(
        unit=unit,
        span=(first.isoformat(), last.isoformat()),
        by_outlet=[(o, per_outlet[o]) for o in outlets],
    )
    if n_dated >= TIMELINE_MIN_DATED * (n_dated + left) and len(periods) > 1:
        view["chart"] = charts.timeline(
            outlets, periods, dict(counts), what=f"Statements per {unit} and outlet"
        )
    return view


# -- pages ----------------------------------------------------------------------------------


def _profiles(data: SiteModel) -> list[dict[str, Any]]:
    return list((data.comparison or {}).get("outlets", []))


def voice_chart(data: SiteModel, by: str = "country", what: str = "voices") -> charts.Chart:
    rows = [
        (p["label"], f"outlets.html#o-{page_key(p['label'])}", p[f"{what}_by_{by}"])
        for p in _profiles(data)
    ]
    name = "Share of voices" if what == "voices" else "Share of quoted words"
    return charts.stacked_bars(rows, what=f"{name} by speaker {by}", colors=category_colors(data))


def category_colors(data: SiteModel) -> dict[str, str]:
    """One colour per country, affiliation or role across the whole report, by how many
    voices each has over all outlets (the most voiced first in the palette)."""
    totals: dict[str, float] = defaultdict(float)
    for p in _profiles(data):
        for measure in ("voices_by_country", "voices_by_affiliation", "voices_by_role"):
            for key, share in p.get(measure, {}).items():
                totals[key] += float(share.get("num") or 0)
    return charts.category_colors(sorted(totals, key=lambda k: (-totals[k], k)))


def _group_title(group_id: str) -> tuple[str, list[str]]:
    """What a term group names and its labels, from the shipped lexicon where it has the
    group (a group of a user's lexicon, or one the articles set side by side, goes by id)."""
    if group_id.startswith("discovered:"):
        word = group_id.split(":", 1)[1]
        return f"labels the articles themselves set side by side (“{word}”)", []
    group = load_lexicon().group(group_id)
    if group is None:
        return group_id.replace("_", " "), []
    return group.referent or group_id.replace("_", " "), group.labels()


def rival_terms(data: SiteModel) -> dict[str, Any]:
    """Per lexicon group of rival labels, each profiled outlet's uses of each label in its
    own narration and inside quotes (the profiles' counts: wire copies left out), drawn
    where at least two of the group's labels are used; groups with one label in use are
    listed with the rivals nobody used."""
    profiles = _profiles(data)
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for p in profiles:
        for term, u in p["terms"].items():
            groups[u.get("group") or term][term] += u["narrated"] + u["quoted"]
    drawn, single = [], []
    for gid in sorted(groups, key=lambda g: (-sum(groups[g].values()), g)):
        used = groups[gid]
        terms = sorted(used, key=lambda t: (-used[t], t))
        title, labels = _group_title(gid)
        if len(terms) < 2:
            unused = [t for t in labels if t not in used]
            single.append({"group": gid, "title": title, "term": terms[0], "unused": unused})
            continue
        rows, unused_by = [], []
        for p in profiles:
            uses = {
                t: (u["narrated"], u["quoted"])
                for t, u in p["terms"].items()
                if (u.get("group") or t) == gid
            }
            if uses:
                rows.append((p["label"], f"outlets.html#o-{page_key(p['label'])}", uses))
            else:
                unused_by.append(p["label"])
        chart = charts.rival_terms(
            rows, terms, what=f"Rival terms for {title}: uses per outlet, own words and quotes"
        )
        drawn.append(
            {"group": gid, "title": title, "terms": terms, "chart": chart, "none": unused_by}
        )
    return {"groups": drawn, "single": single}


def _top(c: Counter[str]) -> str | None:
    return c.most_common(1)[0][0] if c else None


def speakers_summary(data: SiteModel) -> list[dict[str, Any]]:
    """Speakers by number of statements, with role, affiliation and outlets carrying them."""
    out = [
        {
            "name": agg.name,
            "href": speaker_href(agg.name),
            "n": agg.n,
            "role": _top(agg.roles),
            "affiliation": _top(agg.affiliations),
            "outlets": sorted(agg.outlets),
        }
        for agg in data.speakers.values()
    ]
    return sorted(out, key=lambda r: (-r["n"], r["name"]))


def outlet_rows(data: SiteModel) -> list[dict[str, Any]]:
    """Each outlet's counts as every view shows them: articles and statements in the store
    (`Store.outlet_summary`), and, where outlets are compared, the articles profiled (wire
    copies left out) and the statements counted as its voices."""
    profiles = {p["label"]: p for p in _profiles(data)}
    rows = []
    for o in data.outlets:
        stored = data.outlet_summary.get(o, {})
        p = profiles.get(o)
        rows.append(
            {
                "label": o,
                "key": page_key(o),
                "articles": int(stored.get("n_articles", data.outlet_articles[o])),
                "statements": int(stored.get("n_statements", data.outlet_statements[o])),
                "profiled": p["n_articles"] if p else None,
                "voices": p["n_voices"] if p else None,
            }
        )
    return rows


def network_chart(data: SiteModel) -> netchart.Network | None:
    """The claim network (outlets, the speakers they carry, the claims), each node linked
    to its page; None without a comparison (`compare=False`)."""
    if data.graph is None:
        return None
    nodes, edges = data.graph
    hrefs: dict[str, str] = {}
    for n in nodes:
        kind, label = n["attrs"]["type"], n["label"]
        if kind == "claim":
            hrefs[n["id"]] = claim_href(n["id"].removeprefix("claim:"))
        elif kind == "outlet" and data.comparison is not None:
            hrefs[n["id"]] = f"outlets.html#o-{page_key(label)}"
        elif kind == "actor" and (href := data.speaker_href_of(label)):
            hrefs[n["id"]] = href
    return netchart.network(nodes, edges, hrefs=hrefs)


def overview(data: SiteModel) -> dict[str, Any]:
    return {
        "network": network_chart(data),
        "counts": dict(data.counts),
        "outlets": outlet_rows(data),
        "voices": voice_chart(data) if data.comparison else None,
        "rival_terms": rival_terms(data) if data.comparison else None,
        "matrix": stance_matrix(data, [c["claim_id"] for c in data.claims[:12]])
        if data.claims
        else None,
        "timeline": timeline_view(data),
        "speakers": speakers_summary(data)[:12],
        "claims": data.claims[:12],
        "compared": data.comparison is not None,
        "unnamed": unnamed_outlets(data),
    }


def unnamed_outlets(data: SiteModel) -> list[str]:
    """The rows of sources no input names the outlet of, which the pages ask to name."""
    return [o for o in data.outlets if is_unnamed_label(o)]


def outlets_view(data: SiteModel) -> dict[str, Any]:
    profiles = _profiles(data)
    comparison = data.comparison or {}
    cue_types = sorted({k for p in profiles for k in p["cues_per_1k_words"]})
    speaker_cue_types = sorted(
        {k for p in profiles for k in p.get("speaker_cues_per_1k_words", {})}
    )
    term_names = sorted({k for p in profiles for k in p["terms"]})
    for p in profiles:
        p["key"] = page_key(p["label"])
    return {
        "profiles": profiles,
        "compared": data.comparison is not None,
        "unnamed": unnamed_outlets(data),
        "n_articles": len(data.articles),
        "charts": {
            "country": voice_chart(data, "country") if profiles else None,
            "affiliation": voice_chart(data, "affiliation") if profiles else None,
            "role": voice_chart(data, "role") if profiles else None,
            "quoted_country": voice_chart(data, "country", "quoted_words") if profiles else None,
            "verbs": charts.stacked_bars(
                [(p["label"], None, p["verb_classes"]) for p in profiles],
                what="Reporting verbs by class",
            )
            if profiles
            else None,
        },
        "cue_types": cue_types,
        "speaker_cue_types": speaker_cue_types,
        "talking_points": talking_points(data),
        "term_names": term_names,
        "rival_terms": rival_terms(data) if profiles else None,
        "matrix": stance_matrix(data) if data.claims else None,
        "timeline": timeline_view(data),
        "wire_groups": [_linked(data, g) for g in comparison.get("wire_groups", [])],
        "quote_variants": [_linked(data, g) for g in comparison.get("quote_variants", [])[:40]],
        "interval": comparison.get("options", {}).get("interval"),
        "share_text": charts.share_text,
    }


def _linked(data: SiteModel, group: dict[str, Any]) -> dict[str, Any]:
    """A wire group or quote-variant group whose members link to their article (statement)."""
    members = [
        {
            **m,
            "href": article_href(m["article_id"], m.get("statement_id")),
            "label": data.article_label(m["article_id"]),
        }
        for m in group["members"]
    ]
    return {**group, "members": members}


def claims_index(data: SiteModel) -> dict[str, Any]:
    """The claims page: the claims under their topics, and the matrix in the same order."""
    topics = [{**t, "claims": [data.claims[i] for i in t["claims"]]} for t in data.topics]
    order = [c["claim_id"] for t in topics for c in t["claims"]]
    return {
        "claims": data.claims,
        "topics": topics,
        "matrix": stance_matrix(data, order) if data.claims else None,
    }


def claim_view(
    data: SiteModel, key: str, members: Iterable[dict[str, Any]] | None = None, page: int = 1
) -> dict[str, Any] | None:
    """Page `page` of a claim (None when there is no such claim or page). `members`: the
    claim's members as `Store.claim_members(claim_id)` yields them."""
    claim = data.claim_by_key.get(key)
    if claim is None or members is None:
        return None
    pages = ClaimPages(data, claim, members)
    return pages.view(page) if page <= pages.pages else None


class ClaimPages:
    """A claim's pages: where each outlet stands (the matrix row) and its members, by
    outlet, PAGE_SIZE to a page. Page 1 has a section for every outlet (the heat map links
    to them); a later page only those with members on it."""

    def __init__(self, data: SiteModel, claim: dict[str, Any], members: Iterable[dict[str, Any]]):
        self.data, self.claim = data, claim
        self.matrix = stance_matrix(data, [claim["claim_id"]])
        rows = self.matrix["rows"]
        self.cells = {c["outlet"]: c for c in rows[0]["cells"]} if rows else {}
        self.by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in members:
            self.by_outlet[outlet_of(m)].append(m)
        extra = sorted(o for o in self.by_outlet if o not in data.outlet_articles)
        self.order = [*data.outlets, *extra]
        self.counts = {o: Counter(m["stance"] for m in ms) for o, ms in self.by_outlet.items()}
        self.n_members = sum(len(v) for v in self.by_outlet.values())
        self.pages = n_pages(self.n_members)
        self.base = f"claim/{claim['key']}"

    def view(self, page: int) -> dict[str, Any]:
        data = self.data
        lo, hi = (page - 1) * PAGE_SIZE, page * PAGE_SIZE
        groups = []
        seen = 0
        for o in self.order:
            ms = self.by_outlet.get(o, [])
            first, seen = seen, seen + len(ms)
            shown = ms[max(0, lo - first) : max(0, hi - first)]
            if page > 1 and not shown:
                continue
            cell = self.cells.get(o)
            counts = self.counts.get(o, Counter())
            others = []
            if ms:
                for p in range(first // PAGE_SIZE + 1, (seen - 1) // PAGE_SIZE + 2):
                    if p != page:
                        others.append((p, page_href(self.base, p)))
            groups.append(
                {
                    "outlet": o,
                    "anchor": f"o-{page_key(o)}",
                    "members": [_member_row(data, m) for m in shown],
                    "n": len(ms),
                    "other_pages": others,
                    "stance": cell["stance"] if cell else ("absent" if not ms else "report"),
                    "label": cell["label"] if cell else "",
                    "counts": {s: counts.get(s, 0) for s in STANCES},
                    "in_matrix": cell is not None,
                }
            )
        ci = data.claim_index[self.claim["claim_id"]]
        topic = next((t for t in data.topics if ci in t["claims"]), None)
        return {
            "claim": self.claim,
            "topic": topic if topic and topic["topic_id"] else None,
            "related": [
                data.claims[i]
                for i in (topic["claims"] if topic and topic["topic_id"] else ())
                if i != ci
            ],
            "matrix": self.matrix,
            "groups": groups,
            "n_members": self.n_members,
            "speakers": data.claim_speakers[ci].most_common(),
            "pager": pager(self.base, page, self.pages),
        }


def _member_row(data: SiteModel, m: dict[str, Any]) -> dict[str, Any]:
    anchor = m["statement_id"] or f"m-{page_key(m['member_id'])}"
    return {
        "stance": m["stance"],
        "via": m.get("via", "meaning"),
        "voice": m["voice"],
        "speaker": m.get("speaker"),
        "speaker_href": data.speaker_href_of(m.get("speaker")),
        "text": m["text"],
        "before": excerpt_before(m.get("context_before")),
        "after": excerpt_after(m.get("context_after")),
        "href": article_href(m["article_id"], anchor),
        "article_label": data.article_label(m["article_id"]),
    }


# Characters of the article read around a member's words on its claim's page (the excerpt
# keeps them within the member's paragraph and cuts them at a word's end).
CONTEXT_CHARS = 160


def excerpt_before(text: str | None) -> str:
    """The article's words before a member's, as its excerpt opens: from the paragraph's
    start, or from a word's start after an ellipsis where the context was cut."""
    if not text:
        return ""
    para = text.rsplit("\n", 1)
    if len(para) == 2:
        return " ".join(para[1].split()) + (" " if para[1][-1:].isspace() else "")
    if len(text) < CONTEXT_CHARS:
        return text.lstrip()
    cut = text.split(None, 1)
    return "…" + (cut[1] if len(cut) == 2 else text)


def excerpt_after(text: str | None) -> str:
    """The article's words after a member's, to the paragraph's end or an ellipsis."""
    if not text:
        return ""
    para = text.split("\n", 1)
    if len(para) == 2:
        return para[0].rstrip()
    if len(text) < CONTEXT_CHARS:
        return text.rstrip()
    cut = text.rsplit(None, 1)
    return (cut[0] if len(cut) == 2 else text) + "…"


def speakers_index(data: SiteModel, page: int = 1) -> dict[str, Any] | None:
    rows = speakers_summary(data)
    pages = n_pages(len(rows))
    if page > pages:
        return None
    return {
        "speakers": rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(rows),
        "pager": pager("speakers", page, pages),
    }


def _negated(s: dict[str, Any]) -> bool:
    """Whether a statement row's cue is negated: as the store wrote or read it
    (`claimgraph.store.negated`)."""
    return negated(s)


def speaker_statement(data: SiteModel, s: dict[str, Any]) -> dict[str, Any]:
    """A row of a speaker's page from a statement (`Store.statements()` or
    `Store.statement_page()` rows: id, article_id, kind, text, cue, cue_class, outlet, and
    cue_lead or negated)."""
    if "claim_refs" in s:  # (claim index, stance) pairs, kept with a spilled row
        claims = [data.claim_ref(ci, stance) for ci, stance in s["claim_refs"]]
    else:
        claims = data.statement_claims(s["article_id"]).get(record_anchor(s["id"]), [])
    return {
        "outlet_label": outlet_of(s),
        "cue": s.get("cue"),
        "cue_class": s.get("cue_class"),
        "negated": _negated(s),
        "kind": s["kind"],
        "text": s["text"],
        "href": article_href(s["article_id"], s["id"]),
        "article_label": data.article_label(s["article_id"]),
        "claims": claims,
    }


def speaker_view(
    data: SiteModel, key: str, statements: list[dict[str, Any]] | None, page: int = 1
) -> dict[str, Any] | None:
    """A speaker's page `page`: the summary over all their statements, and `statements`,
    the rows of this page (`speaker_statement`), by article id and position."""
    name = data.speaker_by_key.get(key)
    if name is None or statements is None:
        return None
    agg = data.speakers[name]
    pages = n_pages(agg.n)
    if page > pages:
        return None
    claims = [
        {
            "label": data.claims[ci]["label"],
            "href": data.claims[ci]["href"],
            **dict(zip(STANCES, counts, strict=True)),
        }
        for ci, counts in agg.claims.items()
    ]
    return {
        "name": name,
        "statements": statements,
        "n": agg.n,
        "roles": agg.roles.most_common(),
        "affiliations": agg.affiliations.most_common(),
        "mentions": agg.mentions.most_common(),
        "names": agg.names.most_common(),
        "outlets": agg.outlets.most_common(),
        "verbs": agg.verbs.most_common(),
        "claims": sorted(claims, key=lambda r: -(r["affirm"] + r["deny"] + r["report"])),
        "first": (page - 1) * PAGE_SIZE + 1,
        "pager": pager(f"speaker/{key}", page, pages),
    }


def articles_index(data: SiteModel, page: int = 1) -> dict[str, Any] | None:
    pages = n_pages(len(data.articles))
    if page > pages:
        return None
    return {
        "articles": data.articles[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "total": len(data.articles),
        "pager": pager("articles", page, pages),
    }


META = ("outlet", "published", "dateline", "agency", "author", "language", "url")


@dataclass
class ArticleMembers:
    """The model's part of one article's page: the claims of each statement (by anchor) and
    the claim sentences in the outlet's own narration. Plain data: it goes to worker
    processes."""

    claims_of: dict[str, list[dict[str, Any]]]
    outlet_members: list[dict[str, Any]]

    @classmethod
    def of(cls, data: SiteModel, article_id: str) -> ArticleMembers:
        return cls(dict(data.statement_claims(article_id)), data.outlet_members(article_id))

    def as_dict(self) -> dict[str, Any]:
        return {"claims_of": self.claims_of, "outlet_members": self.outlet_members}


def article_view(
    members: ArticleMembers,
    art: dict[str, Any],
    statements: list[dict[str, Any]],
    cues: list[dict[str, Any]],
    terms: list[dict[str, Any]],
) -> dict[str, Any]:
    """An article page from the article (decorated: `decorate_article`), its records as the
    store yields them, and its claim members (`ArticleMembers.of(model, article_id)`)."""
    for s in statements:
        s["claims"] = members.claims_of.get(record_anchor(s["id"]), [])
        s["negated"] = _negated(s)  # "did not disclose": not said
        # a speaker's page is their actor's (set by `SiteModel.add_article` or the web UI);
        # a negated report is not on it
        who = s.get("actor") or s.get("speaker")
        s["speaker_href"] = speaker_href(who) if who and not s["negated"] else None
    own = members.outlet_members
    speakers = {s["id"]: s.get("speaker") for s in statements}
    meta = [
        {
            "field": f,
            "value": art.get(f),
            "prov": art.get(f"{f}_prov"),
            "href": art["url_href"] if f == "url" else None,
        }
        for f in META
    ]
    return {
        "article": art,
        "meta": meta,
        "text_html": segments_html(
            highlight(art["text"], article_spans(statements, cues, terms, own))
        ),
        "statements": statements,
        "cues": [
            {
                **c,
                "anchor": record_anchor(c["id"]),
                "voice": cue_voice(c),
                "speaker": c.get("speaker") or speakers.get(c.get("statement_id")),
            }
            for c in cues
        ],
        "terms": [{**t, "anchor": record_anchor(t["id"])} for t in terms],
        "outlet_members": own,
    }


# -- talking points --------------------------------------------------------------------


def talking_point_href(tp_id: str) -> str:
    return f"talking-point/{page_key(tp_id)}.html"


def talking_points(data: SiteModel) -> list[dict[str, Any]]:
    """The comparison's talking points (claimgraph.analyze.talking_points), each with the
    link to its page."""
    return [
        {**tp, "href": talking_point_href(tp["id"])}
        for tp in (data.comparison or {}).get("talking_points", [])
    ]


def talking_point_view(data: SiteModel, key: str) -> dict[str, Any] | None:
    """A talking point's page: who used it first, and every use, in its words' context, with
    its voice (a speaker's, or the outlet's own narration) and a link to its article."""
    for tp in talking_points(data):
        if page_key(tp["id"]) != key:
            continue
        uses = [
            {
                **u,
                "href": article_href(u["article_id"], u["statement_id"]),
                "outlet_label": outlet_of(u),
            }
            for u in tp["uses"]
        ]
        return {"tp": tp, "uses": uses}
    return None
