"""The actor-claim-outlet network as GEXF 1.3, for Gephi (`claimgraph export graph --format
gexf --out FILE`). Reads the store only.

Nodes (attribute ``type``):
- ``outlet``: one per outlet (an article no input names the outlet of is under its own
  "unnamed source: …" label, `claimgraph.ingest.outlets.outlet_of`), with its country and
  number of articles;
- ``actor``: one per actor (`claimgraph.link.actors`: "Trump" in one article and "Donald
  Trump" in another are one node; case and spacing folded), with the affiliation, country
  and role the profiles resolve for it (the most frequent over its statements);
- ``claim``: one per stored claim (none until the link step has run), with its key terms
  and its topic (``topic``: the label of the claims' group by issue, ``topic_id``; none
  before the link step grouped them, `claimgraph.claims.topics`).

Edges (directed, attribute ``relation``):
- outlet -> actor, ``carries``: weight = the outlet's statements by that speaker;
- actor -> claim, ``stance``: weight = the speaker's members of the claim, with the counts by
  stance and a summary ``stance`` (affirm / deny by the larger count, ``mixed`` on a tie,
  ``report`` when neither);
- outlet -> claim, ``narrates``: the outlet's own narration on the claim, likewise.

Wire copies are left out (their outlet did not write them), as in `claimgraph compare`.
The store is read a row at a time (`build_graph`): memory grows with the articles (one outlet
reference each), the actors and the edges, not with the statements or the claim members.
Labels and values come from articles: characters that XML 1.0 forbids are dropped and
whitespace is collapsed; ElementTree escapes the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..analyze.matrix import MIXED, STANCES, has_claims, member_stances, polar
from ..analyze.wire import store_wire_groups
from ..errors import UsageError
from ..ingest.outlets import outlet_of
from ..link.actors import actor_of
from ..link.sides import Affiliations
from ..store import Store, speaks

NS = "http://gexf.net/1.3"
_ILLEGAL = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NODE_ATTRS = [
    ("type", "string"),
    ("affiliation", "string"),
    ("country", "string"),
    ("role", "string"),
    ("n", "integer"),
    ("key_terms", "string"),
    ("topic", "string"),
    ("topic_id", "string"),
]
EDGE_ATTRS = [
    ("relation", "string"),
    ("stance", "string"),
    ("n_affirm", "integer"),
    ("n_deny", "integer"),
    ("n_report", "integer"),
]


def xml_text(value: Any) -> str:
    """A value as XML 1.0 text: illegal characters dropped, whitespace collapsed."""
    return " ".join(_ILLEGAL.sub("", str(value)).split())


def _actor_id(name: str) -> str:
    return "actor:" + " ".join(name.casefold().split())


def _outlet_id(article: dict[str, Any]) -> str:
    return "outlet:" + outlet_of(article)


def _most(counts: Counter[str]) -> str | None:
    """The most frequent value (the alphabetically first on a tie), leaving out none and the
    "(unknown)"-like stand-ins."""
    c = {v: n for v, n in counts.items() if v and not v.startswith("(")}
    return min(c, key=lambda k: (-c[k], k)) if c else None


@dataclass(slots=True)
class _Actor:
    """What an actor's node needs of its statements: how many, and their values by count."""

    label: str
    n: int = 0
    affiliation: Counter[str] = field(default_factory=Counter)
    country: Counter[str] = field(default_factory=Counter)
    role: Counter[str] = field(default_factory=Counter)

    def node(self, aid: str) -> dict[str, Any]:
        return {
            "id": aid,
            "label": self.label,
            "attrs": {
                "type": "actor",
                "affiliation": _most(self.affiliation),
                "country": _most(self.country),
                "role": _most(self.role),
                "n": self.n,
            },
        }


def build_graph(
    store: Store, *, wire_copies: set[str] | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(nodes, edges) as plain dicts: nodes {id, label, attrs}, edges {source, target,
    weight, attrs}; in a stable order.

    `wire_copies`: the ids of the wire copies, if already found (the report passes those of
    its comparison); else they are looked for. The store is read a row at a time; what is
    kept is each article's outlet node (to place its statements and claim members), the
    corpus's `Affiliations`, and per actor, per (outlet, actor) and per edge to a claim the
    counts the nodes and edges show: memory grows with articles, actors and edges, not with
    statements or claim members."""
    if wire_copies is None:
        wire_copies = {c for g in store_wire_groups(store) for c in g.copies}
    nodes, outlet_at, countries = _outlet_nodes(store, wire_copies)
    affiliations = Affiliations(
        (s for s in store.statement_speakers() if s["article_id"] in outlet_at), countries
    )
    actors = store.actor_map()
    carries: Counter[tuple[str, str]] = Counter()
    by_actor: dict[str, _Actor] = {}
    for s in store.statements():
        outlet = outlet_at.get(s["article_id"])
        if outlet is None or not speaks(s):  # a wire copy; no speaker, or a negated report
            continue
        name = str(actor_of(actors, s["speaker"]))  # speaks: it has a speaker
        aid = _actor_id(name)
        actor = by_actor.get(aid)
        if actor is None:
            actor = by_actor[aid] = _Actor(name)
        actor.n += 1
        actor.affiliation[affiliations.of(s)] += 1
        actor.country[affiliations.country_of_statement(s)] += 1
        actor.role[s.get("speaker_role") or ""] += 1
        carries[(outlet, aid)] += 1
    for aid, actor in by_actor.items():
        nodes[aid] = actor.node(aid)
    edges = [
        {"source": o, "target": a, "weight": n, "attrs": {"relation": "carries"}}
        for (o, a), n in sorted(carries.items())
    ]
    edges += _claim_edges(store, outlet_at, nodes, actors)
    return list(nodes.values()), edges


def _outlet_nodes(
    store: Store, wire_copies: set[str]
) -> tuple[dict[str, dict[str, Any]], dict[str, str], list[str]]:
    """(the outlet nodes of the articles that are no wire copy, in order of their first
    article; each such article's outlet node id; the outlet countries as `Affiliations`
    reads them: one per country, as `{c.casefold(): c for c in every article's}` keeps)."""
    nodes: dict[str, dict[str, Any]] = {}
    outlet_at: dict[str, str] = {}
    countries: dict[str, str] = {}
    for a in store.articles():
        if a.get("outlet_country"):
            countries[a["outlet_country"].casefold()] = a["outlet_country"]
        if a["id"] in wire_copies:
            continue
        nid = _outlet_id(a)
        node = nodes.get(nid)
        if node is None:
            node = nodes[nid] = {
                "id": nid,
                "label": outlet_of(a),
                "attrs": {"type": "outlet", "n": 0},
            }
        node["attrs"]["n"] += 1
        if a.get("outlet_country"):
            node["attrs"]["country"] = a["outlet_country"]
        outlet_at[a["id"]] = node["id"]  # one string per outlet, shared by its articles
    return nodes, outlet_at, list(countries.values())


def _claim_edges(
    store: Store,
    outlet_at: dict[str, str],
    nodes: dict[str, dict[str, Any]],
    actors: dict[str, str],
) -> list[dict[str, Any]]:
    claims = list(store.claims()) if has_claims(store) else []
    stances: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for m in member_stances(store):
        outlet = outlet_at.get(m["article_id"])
        if outlet is None:
            continue
        if m["voice"] == "outlet":
            key = (outlet, "claim:" + m["claim_id"], "narrates")
        elif m.get("speaker"):
            key = (
                _actor_id(actors.get(m["speaker"], m["speaker"])),
                "claim:" + m["claim_id"],
                "stance",
            )
        else:
            continue
        stances[key][m["stance"]] += 1
    linked = {c for _, c, _ in stances}
    for c in claims:
        cid = "claim:" + c["claim_id"]
        if cid in linked:
            nodes[cid] = {
                "id": cid,
                "label": c["label"],
                "attrs": {
                    "type": "claim",
                    "n": c.get("n_members", 0),
                    "key_terms": ", ".join(c.get("key_terms") or []),
                    "topic": c.get("topic"),
                    "topic_id": c.get("topic_id"),
                },
            }
    out = []
    for (src, dst, relation), counts in sorted(stances.items()):
        if src not in nodes:  # a speaker with no statement of their own in the store
            m_label = src.removeprefix("actor:")
            nodes[src] = {"id": src, "label": m_label, "attrs": {"type": "actor", "n": 0}}
        by = {s: counts.get(s, 0) for s in STANCES}
        out.append(
            {
                "source": src,
                "target": dst,
                "weight": sum(by.values()),
                "attrs": {
                    "relation": relation,
                    "stance": polar(by, MIXED),
                    "n_affirm": by["affirm"],
                    "n_deny": by["deny"],
                    "n_report": by["report"],
                },
            }
        )
    return out


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _attvalues(parent: ET.Element, decl: list[tuple[str, str]], attrs: dict[str, Any]) -> None:
    values = [(i, attrs[name]) for i, (name, _) in enumerate(decl) if attrs.get(name) is not None]
    if not values:
        return
    box = ET.SubElement(parent, _q("attvalues"))
    for i, v in values:
        ET.SubElement(box, _q("attvalue"), {"for": str(i), "value": xml_text(v)})


def to_gexf(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *, date: str | None) -> bytes:
    """A GEXF 1.3 document (UTF-8 bytes) for the nodes and edges of `build_graph`."""
    ET.register_namespace("", NS)
    root = ET.Element(_q("gexf"), {"version": "1.3"})
    meta = ET.SubElement(root, _q("meta"), {"lastmodifieddate": date} if date else {})
    ET.SubElement(meta, _q("creator")).text = f"claimgraph {__version__}"
    ET.SubElement(meta, _q("description")).text = "actor-claim-outlet network"
    graph = ET.SubElement(root, _q("graph"), {"defaultedgetype": "directed", "mode": "static"})
    for cls, decl in (("node", NODE_ATTRS), ("edge", EDGE_ATTRS)):
        box = ET.SubElement(graph, _q("attributes"), {"class": cls})
        for i, (name, kind) in enumerate(decl):
            ET.SubElement(box, _q("attribute"), {"id": str(i), "title": name, "type": kind})
    xn = ET.SubElement(graph, _q("nodes"), {"count": str(len(nodes))})
    for n in nodes:
        el = ET.SubElement(xn, _q("node"), {"id": xml_text(n["id"]), "label": xml_text(n["label"])})
        _attvalues(el, NODE_ATTRS, n["attrs"])
    xe = ET.SubElement(graph, _q("edges"), {"count": str(len(edges))})
    for i, e in enumerate(edges):
        el = ET.SubElement(
            xe,
            _q("edge"),
            {
                "id": f"e{i}",
                "source": xml_text(e["source"]),
                "target": xml_text(e["target"]),
                "weight": str(float(e["weight"])),
            },
        )
        _attvalues(el, EDGE_ATTRS, e["attrs"])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def export_graph(store: Store, what: str, fmt: str, out: str | None) -> int:
    """Write the network to `out` as GEXF; returns the number of nodes plus edges."""
    if what != "graph":
        raise UsageError(
            f"gexf is the format of the graph export; export {what} as jsonl, csv or parquet"
        )
    if fmt != "gexf":
        raise UsageError("the graph exports as gexf: pass --format gexf")
    if out is None:
        raise UsageError("gexf is written to a file: pass --out FILE.gexf")
    nodes, edges = build_graph(store)
    stamp = max((a.get("ingested_at") or "" for a in store.articles()), default="")
    date = stamp[:10] or None
    data = to_gexf(nodes, edges, date=date)
    with open(out, "wb") as f:
        f.write(data)
    return len(nodes) + len(edges)
