"""A one-page HTML summary of a store: what `make demo` opens. Reads the store only.

Every value from an article is escaped; the page carries a Content-Security-Policy that allows
no script at all. The full report (charts, claim pages) is `claimgraph report`."""

from __future__ import annotations

from collections import Counter, defaultdict
from html import escape
from pathlib import Path
from typing import Any

from ..analyze.profiles import cue_voice
from ..extract.records import OUTLET_VOICE, SPEAKER_VOICE
from ..ingest.base import article_label
from ..ingest.outlets import outlet_of
from ..link.actors import actor_of
from ..store import Store, negated, speaks

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4} .prov{color:#888;font-size:.8em} .k{font-weight:600}
.kind{font-size:.8em;background:#eef;padding:0 .3em;border-radius:3px}
.cls-distancing,.cls-attacking{color:#a33} .cls-assertive{color:#a60} .cls-endorsing{color:#270}
details{margin:.3rem 0} summary{cursor:pointer}
"""


def _e(value: Any) -> str:
    return "" if value is None else escape(str(value), quote=True)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _with_prov(a: dict[str, Any], field: str) -> str:
    if a.get(field) is None:
        return '<span class="prov">—</span>'
    return f'{_e(a[field])} <span class="prov">{_e(a[field + "_prov"])}</span>'


def build_summary(store: Store) -> str:
    articles = list(store.articles())
    statements = list(store.statements())
    cues = list(store.cues())
    terms = list(store.term_uses())
    by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in statements:
        by_article[s["article_id"]].append(s)
    outlets = [o for o in store.outlet_summary() if o["n_articles"]]
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        f"<title>claimgraph summary</title><style>{STYLE}</style></head><body>",
        "<h1>claimgraph summary</h1>",
        f"<p>{len(articles)} articles, {len(outlets)} outlets, "
        f"{len(statements)} statements, {len(cues)} framing cues, {len(terms)} contested-term uses.</p>",
        "<h2>Outlets</h2>",
        _table(
            ["outlet", "articles", "statements"],
            [[_e(o["name"]), _e(o["n_articles"]), _e(o["n_statements"])] for o in outlets],
        ),
        "<h2>Articles</h2>",
        _articles_table(articles, by_article),
        "<h2>Speakers</h2>",
        _speakers_table(statements, store.actor_map()),
        "<h2>Framing cues by outlet: outlet's own voice / inside statements</h2>",
        _cue_table(cues),
        "<h2>Contested terms: narrated / quoted by outlet</h2>",
        _terms_table(terms),
        "<h2>Statements by article</h2>",
        *(_article_statements(a, by_article[a["id"]]) for a in articles),
        "</body></html>",
    ]
    return "\n".join(parts)


def _label(a: dict[str, Any]) -> str:
    return article_label(a.get("title"), (a.get("sources") or "").split("; ")[0], a["id"])


def _articles_table(articles: list[dict[str, Any]], by_article: dict[str, list[Any]]) -> str:
    rows = [
        [
            _e(_label(a)),
            _with_prov(a, "outlet"),
            _with_prov(a, "published"),
            _with_prov(a, "dateline"),
            _with_prov(a, "agency"),
            _e(a["n_words"]),
            _e(len(by_article[a["id"]])),
            _e(a["sources"]),
        ]
        for a in articles
    ]
    headers = [
        "title",
        "outlet",
        "published",
        "dateline",
        "agency",
        "words",
        "statements",
        "source",
    ]
    return _table(headers, rows)


def _speakers_table(statements: list[dict[str, Any]], actors: dict[str, str]) -> str:
    """Speakers by actor (`claimgraph.link.actors`): "Trump" and "Donald Trump" are one row;
    statements without a speaker under "(unresolved)", negated reports left out (`speaks`)."""
    counts: Counter[str] = Counter()
    outlets: dict[str, set[str]] = defaultdict(set)
    roles: dict[str, str] = {}
    for s in statements:
        if s.get("speaker") and not speaks(s):  # a negated report: not said
            continue
        name = actor_of(actors, s["speaker"]) or "(unresolved)"
        counts[name] += 1
        outlets[name].add(outlet_of(s))
        roles.setdefault(name, s["speaker_role"] or "")
    rows = [
        [_e(n), _e(roles[n]), _e(c), _e(", ".join(sorted(outlets[n])))]
        for n, c in counts.most_common()
    ]
    return _table(["speaker", "role", "statements", "outlets"], rows)


def _cue_table(cues: list[dict[str, Any]]) -> str:
    """Cues by outlet and type, those of the outlet's own voice (narration, headline) apart
    from those inside the statements it carries (the speakers')."""
    counts: Counter[tuple[str, str, str]] = Counter(
        (outlet_of(c), c["type"], cue_voice(c)) for c in cues
    )
    keys = sorted({(o, t) for o, t, _ in counts})
    rows = [
        [_e(o), _e(t), _e(counts[(o, t, OUTLET_VOICE)]), _e(counts[(o, t, SPEAKER_VOICE)])]
        for o, t in keys
    ]
    return _table(["outlet", "type", "outlet's voice", "speakers' voice"], rows)


def _terms_table(terms: list[dict[str, Any]]) -> str:
    counts: Counter[tuple[str, str, str]] = Counter(
        (outlet_of(t), t["term"], t["voice"]) for t in terms
    )
    keys = sorted({(o, t) for o, t, _ in counts})
    rows = [
        [_e(o), _e(t), _e(counts[(o, t, "narrated")]), _e(counts[(o, t, "quoted")])]
        for o, t in keys
    ]
    return _table(["outlet", "term", "narrated", "quoted"], rows)


def _article_statements(a: dict[str, Any], statements: list[dict[str, Any]]) -> str:
    rows = [
        [
            f'<span class="kind">{_e(s["kind"])}</span>',
            f'<span class="k">{_e(s["speaker"] or "(unresolved)")}</span>'
            f'<br><span class="prov">{_e(s["speaker_mention"])}</span>',
            f'<span class="cls-{_e(s["cue_class"])}">{_e(s["cue"])}</span>'
            + ('<br><span class="prov">negated</span>' if negated(s) else ""),
            _e(s["text"]),
        ]
        for s in statements
    ]
    title = _e(_label(a))
    outlet = _e(outlet_of(a))
    return (
        f"<details><summary>{title} <span class='prov'>({outlet}, {len(statements)} statements)"
        f"</span></summary>{_table(['kind', 'speaker', 'cue', 'text'], rows)}</details>"
    )


def write_summary(store: Store, out: str | Path) -> Path:
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(build_summary(store), encoding="utf-8")
    return path
