"""The read model of the HTML report and the web UI: what each page shows, built from a store.

`SiteData.load(store)` reads the store once (articles, statements, cues, terms, claims, the
outlet comparison); the page functions (`overview`, `outlets_view`, `claim_view`, ...) are pure
functions of it returning plain dicts for the templates. The report renders every page to a
file; the web UI renders one page per request. Both use the same URLs, relative to the site
root, so the same templates and links work from disk and from the server:

    index.html  outlets.html  claims.html  speakers.html  articles.html  search.html (UI only)
    article/<key>.html#s<i>   speaker/<key>.html   claim/<key>.html

Keys are ids that are safe in a file name, else a slug plus a hash of the id
(`page_key`). Nothing here escapes: the templates do (autoescape); links to the outside are
kept only when they are http(s) URLs (`safe_url`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any

from ..analyze.matrix import build_matrix, load_claims
from ..store import Store
from .site import charts
from .site.highlight import Segment, Span, article_spans, highlight
from .site.urls import (
    NO_OUTLET,
    UNRESOLVED,
    article_href,
    claim_href,
    outlet_label,
    page_key,
    record_anchor,
    safe_url,
    speaker_href,
)

STANCES = ("affirm", "deny", "report")
__all__ = [
    "Segment",
    "SiteData",
    "Span",
    "UNRESOLVED",
    "article_href",
    "article_spans",
    "claim_href",
    "highlight",
    "page_key",
    "record_anchor",
    "safe_url",
    "speaker_href",
]


# -- loading --------------------------------------------------------------------------------


@dataclass
class SiteData:
    """Everything the pages show, read once from the store, with lookups by page key."""

    articles: list[dict[str, Any]]
    statements: list[dict[str, Any]]
    cues: list[dict[str, Any]]
    terms: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    members: list[dict[str, Any]]
    comparison: dict[str, Any] | None = None
    article_by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    speaker_by_key: dict[str, str] = field(default_factory=dict)
    claim_by_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    outlets: list[str] = field(default_factory=list)
    # records by article, speaker and claim: each page reads its own, not the whole corpus
    by_article: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    by_speaker: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    by_claim: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Store, *, compare: bool = True, n_boot: int = 1000) -> SiteData:
        """Read the store. `compare=False` leaves out the outlet profiles (faster)."""
        claims, members = load_claims(store)
        comparison = None
        if compare:
            from ..analyze.compare import compare as do_compare

            comparison = do_compare(store, n_boot=n_boot)
        data = cls(
            articles=list(store.articles()),
            statements=list(store.statements()),
            cues=list(store.cues()),
            terms=list(store.term_uses()),
            claims=claims,
            members=members,
            comparison=comparison,
        )
        data._index()
        return data

    def _index(self) -> None:
        for a in self.articles:
            a["key"] = page_key(a["id"])
            a["href"] = article_href(a["id"])
            a["label"] = a["title"] or _source_name(a.get("sources")) or a["id"]
            a["outlet_label"] = outlet_label(a["outlet"])
            a["url_href"] = safe_url(a.get("url"))
            self.article_by_key[a["key"]] = a
        by_article = {a["id"]: a for a in self.articles}
        for rec in (*self.statements, *self.cues, *self.terms, *self.members):
            rec["outlet_label"] = outlet_label(rec.get("outlet"))
            art = by_article.get(rec["article_id"])
            rec["article_label"] = art["label"] if art else rec["article_id"]
            rec["published"] = art["published"] if art else None
        for s in self.statements:
            s["href"] = article_href(s["article_id"], s["id"])
            if s["speaker"]:
                s["speaker_href"] = speaker_href(s["speaker"])
                self.speaker_by_key[page_key(s["speaker"])] = s["speaker"]
            else:
                s["speaker_href"] = None
        for c in self.claims:
            c["key"] = page_key(c["claim_id"])
            c["href"] = claim_href(c["claim_id"])
            self.claim_by_key[c["key"]] = c
        claim_by_id = {c["claim_id"]: c for c in self.claims}
        for m in self.members:
            anchor = m["statement_id"] or f"m-{page_key(m['member_id'])}"
            m["href"] = article_href(m["article_id"], anchor)
            m["claim_label"] = claim_by_id.get(m["claim_id"], {}).get("label", m["claim_id"])
            m["claim_href"] = claim_href(m["claim_id"])
        counts = Counter(a["outlet_label"] for a in self.articles)
        self.outlets = sorted(counts, key=lambda o: (-counts[o], o == NO_OUTLET, o))
        self._group()
        for m in self.members:
            # Only speakers of stored statements have a page; a narrated sentence relaying
            # someone ("China has denied ...") names a speaker that may have none.
            speaker = m.get("speaker")
            m["speaker_href"] = speaker_href(speaker) if speaker in self.by_speaker else None

    def _group(self) -> None:
        of_statement: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_claim: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for m in self.members:
            by_claim[m["claim_id"]].append(m)
            if m["statement_id"]:
                of_statement[m["statement_id"]].append(m)
        self.by_claim = dict(by_claim)
        by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for st in self.statements:
            st["claims"] = of_statement.get(st["id"], [])
            if st["speaker"]:
                by_speaker[st["speaker"]].append(st)
        self.by_speaker = dict(by_speaker)
        groups: dict[str, dict[str, list[dict[str, Any]]]] = {
            a["id"]: {"statements": [], "cues": [], "terms": [], "members": []}
            for a in self.articles
        }
        for kind, records in (
            ("statements", self.statements),
            ("cues", self.cues),
            ("terms", self.terms),
            ("members", self.members),
        ):
            for rec in records:
                if rec["article_id"] in groups:
                    groups[rec["article_id"]][kind].append(rec)
        self.by_article = groups


def _source_name(sources: str | None) -> str | None:
    if not sources:
        return None
    return PurePosixPath(sources.split("; ")[0].replace("\\", "/")).name or None


# -- the claim x outlet matrix and the timeline ---------------------------------------------


def claim_matrix(data: SiteData) -> dict[str, Any]:
    """The claim x outlet matrix (claimgraph.analyze.matrix): the comparison's, which leaves
    wire copies out, or, without a comparison, built from all articles."""
    given = (data.comparison or {}).get("matrix")
    if isinstance(given, dict) and "rows" in given:
        return given
    return build_matrix(data.claims, data.members, data.articles)


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


def stance_matrix(data: SiteData, claim_ids: list[str] | None = None) -> dict[str, Any]:
    """The matrix's rows (all, or the claims named) as a heat map and a table. A cell's colour
    is the outlet's stance: its own narration's where it has one, else "report"; a cell
    where the outlet only carries others is drawn lighter and names what it carries."""
    matrix = claim_matrix(data)
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


def _dated_items(data: SiteData) -> tuple[list[tuple[str, date]], int, str]:
    """(outlet, date) of each dated statement or narrated claim sentence, the number left
    out (undated, or dated only to the month or year), and where the dates come from."""
    given = (data.comparison or {}).get("timeline")
    if isinstance(given, dict) and isinstance(given.get("items"), list):
        dated, left = [], 0
        for it in given["items"]:
            d = _parse_day(it.get("date"))
            if d is None or it.get("granularity") not in ("day", "week"):
                left += 1
                continue
            dated.append((outlet_label(it.get("outlet")), d))
        return dated, left, "the words around each statement, else its article's date"
    dated = []
    for s in data.statements:
        d = _parse_day(s.get("published"))
        if d is not None:
            dated.append((s["outlet_label"], d))
    return dated, len(data.statements) - len(dated), "each statement's article date"


def timeline_view(data: SiteData) -> dict[str, Any]:
    """Statements per outlet and period (day, week or month, by the corpus's span of dates),
    dated by claimgraph.analyze.timeline where the comparison has it."""
    dated, left, source = _dated_items(data)
    if not dated:
        return {"chart": None, "undated": left, "unit": None, "source": source}
    first, last = min(d for _, d in dated), max(d for _, d in dated)
    span = (last - first).days
    unit = "day" if span <= 31 else "week" if span <= 730 else "month"
    counts: Counter[tuple[str, str]] = Counter((o, _period(d, unit)) for o, d in dated)
    periods: list[str] = []
    d = first
    while d <= last:
        p = _period(d, unit)
        if not periods or periods[-1] != p:
            periods.append(p)
        d += timedelta(days=1)
    outlets = [o for o in data.outlets if any(k[0] == o for k in counts)]
    chart = charts.timeline(
        outlets, periods, dict(counts), what=f"Statements per {unit} and outlet"
    )
    return {"chart": chart, "undated": left, "unit": unit, "source": source}


# -- pages ----------------------------------------------------------------------------------


def _profiles(data: SiteData) -> list[dict[str, Any]]:
    return list((data.comparison or {}).get("outlets", []))


def voice_chart(data: SiteData, by: str = "country", what: str = "voices") -> charts.Chart:
    rows = [
        (p["label"], f"outlets.html#o-{page_key(p['label'])}", p[f"{what}_by_{by}"])
        for p in _profiles(data)
    ]
    name = "Share of statements" if what == "voices" else "Share of quoted words"
    return charts.stacked_bars(rows, what=f"{name} by speaker {by}")


def speakers_summary(data: SiteData) -> list[dict[str, Any]]:
    """Speakers by number of statements, with role, affiliation and outlets carrying them."""
    by: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in data.statements:
        if s["speaker"]:
            by[s["speaker"]].append(s)
    out = []
    for name, sts in by.items():
        out.append(
            {
                "name": name,
                "href": speaker_href(name),
                "n": len(sts),
                "role": _top(s["speaker_role"] for s in sts),
                "affiliation": _top(s["speaker_affiliation"] for s in sts),
                "outlets": sorted({s["outlet_label"] for s in sts}),
            }
        )
    return sorted(out, key=lambda r: (-r["n"], r["name"]))


def _top(values: Any) -> str | None:
    c = Counter(v for v in values if v)
    return c.most_common(1)[0][0] if c else None


def overview(data: SiteData) -> dict[str, Any]:
    by_outlet = Counter(s["outlet_label"] for s in data.statements)
    arts = Counter(a["outlet_label"] for a in data.articles)
    return {
        "counts": {
            "articles": len(data.articles),
            "outlets": len(data.outlets),
            "statements": len(data.statements),
            "speakers": len(data.speaker_by_key),
            "claims": len(data.claims),
            "cues": len(data.cues),
            "terms": len(data.terms),
        },
        "outlets": [
            {"label": o, "articles": arts[o], "statements": by_outlet[o]} for o in data.outlets
        ],
        "voices": voice_chart(data) if data.comparison else None,
        "matrix": stance_matrix(data, [c["claim_id"] for c in data.claims[:12]])
        if data.claims
        else None,
        "timeline": timeline_view(data),
        "speakers": speakers_summary(data)[:12],
        "claims": data.claims[:12],
    }


def outlets_view(data: SiteData) -> dict[str, Any]:
    profiles = _profiles(data)
    comparison = data.comparison or {}
    cue_types = sorted({k for p in profiles for k in p["cues_per_1k_words"]})
    term_names = sorted({k for p in profiles for k in p["terms"]})
    for p in profiles:
        p["key"] = page_key(p["label"])
    return {
        "profiles": profiles,
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
        "term_names": term_names,
        "matrix": stance_matrix(data) if data.claims else None,
        "timeline": timeline_view(data),
        "wire_groups": [_linked(data, g) for g in comparison.get("wire_groups", [])],
        "quote_variants": [_linked(data, g) for g in comparison.get("quote_variants", [])[:40]],
        "interval": comparison.get("options", {}).get("interval"),
        "share_text": charts.share_text,
    }


def _linked(data: SiteData, group: dict[str, Any]) -> dict[str, Any]:
    """A wire group or quote-variant group whose members link to their article (statement)."""
    members = []
    for m in group["members"]:
        art = data.article_by_key.get(page_key(m["article_id"]))
        members.append(
            {
                **m,
                "href": article_href(m["article_id"], m.get("statement_id")),
                "label": art["label"] if art else m["article_id"],
            }
        )
    return {**group, "members": members}


def claims_index(data: SiteData) -> dict[str, Any]:
    return {
        "claims": data.claims,
        "matrix": stance_matrix(data) if data.claims else None,
    }


def claim_view(data: SiteData, key: str) -> dict[str, Any] | None:
    """A claim: where each outlet stands (the matrix row) and every member, by outlet."""
    claim = data.claim_by_key.get(key)
    if claim is None:
        return None
    matrix = stance_matrix(data, [claim["claim_id"]])
    cells = {c["outlet"]: c for c in matrix["rows"][0]["cells"]} if matrix["rows"] else {}
    members = data.by_claim.get(claim["claim_id"], [])
    by_outlet: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in members:
        by_outlet[m["outlet_label"]].append(m)
    groups = []
    for o in data.outlets:
        ms = by_outlet.get(o, [])
        cell = cells.get(o)
        counts = Counter(m["stance"] for m in ms)
        groups.append(
            {
                "outlet": o,
                "anchor": f"o-{page_key(o)}",
                "members": ms,
                "stance": cell["stance"] if cell else ("absent" if not ms else "report"),
                "label": cell["label"] if cell else "",
                "counts": {s: counts.get(s, 0) for s in STANCES},
                "in_matrix": cell is not None,
            }
        )
    return {
        "claim": claim,
        "matrix": matrix,
        "groups": groups,
        "n_members": len(members),
        "speakers": Counter(m["speaker"] for m in members if m.get("speaker")).most_common(),
    }


def speakers_index(data: SiteData) -> dict[str, Any]:
    return {"speakers": speakers_summary(data)}


def speaker_view(data: SiteData, key: str) -> dict[str, Any] | None:
    name = data.speaker_by_key.get(key)
    if name is None:
        return None
    sts = data.by_speaker.get(name, [])
    claims: dict[str, dict[str, Any]] = {}
    for s in sts:
        for m in s["claims"]:
            row = claims.setdefault(
                m["claim_id"],
                {"label": m["claim_label"], "href": m["claim_href"], **dict.fromkeys(STANCES, 0)},
            )
            row[m["stance"]] += 1
    return {
        "name": name,
        "statements": sts,
        "n": len(sts),
        "roles": Counter(s["speaker_role"] for s in sts if s["speaker_role"]).most_common(),
        "affiliations": Counter(
            s["speaker_affiliation"] for s in sts if s["speaker_affiliation"]
        ).most_common(),
        "mentions": Counter(
            s["speaker_mention"] for s in sts if s["speaker_mention"]
        ).most_common(),
        "outlets": Counter(s["outlet_label"] for s in sts).most_common(),
        "verbs": Counter(s["cue"] for s in sts if s["cue"]).most_common(),
        "claims": sorted(claims.values(), key=lambda r: -(r["affirm"] + r["deny"] + r["report"])),
    }


def articles_index(data: SiteData) -> dict[str, Any]:
    n_st = Counter(s["article_id"] for s in data.statements)
    n_cues = Counter(c["article_id"] for c in data.cues)
    rows = [{**a, "n_statements": n_st[a["id"]], "n_cues": n_cues[a["id"]]} for a in data.articles]
    return {"articles": rows}


META = ("outlet", "published", "dateline", "agency", "author", "language", "url")


def article_view(data: SiteData, key: str) -> dict[str, Any] | None:
    art = data.article_by_key.get(key)
    if art is None:
        return None
    aid = art["id"]
    own = data.by_article[aid]
    sts, cues, terms, members = own["statements"], own["cues"], own["terms"], own["members"]
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
        "segments": highlight(art["text"], article_spans(sts, cues, terms, members)),
        "statements": sts,
        "cues": [{**c, "anchor": record_anchor(c["id"])} for c in cues],
        "terms": [{**t, "anchor": record_anchor(t["id"])} for t in terms],
        "outlet_members": [
            {**m, "anchor": f"m-{page_key(m['member_id'])}"}
            for m in members
            if m["statement_id"] is None
        ],
    }
