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
Labels and values come from articles: characters that XML 1.0 forbids are dropped and
whitespace is collapsed; ElementTree escapes the rest.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from .. import __version__
from ..analyze.matrix import MIXED, STANCES, load_claims, polar
from ..analyze.wire import find_wire_groups
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


def _most(values: Iterable[str]) -> str | None:
    c = Counter(v for v in values if v and not v.startswith("("))
    return min(c, key=lambda k: (-c[k], k)) if c else None


def build_graph(store: Store) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(nodes, edges) as plain dicts: nodes {id, label, attrs}, edges {source, target,
    weight, attrs}; in a stable order."""
    all_articles = list(store.articles())
    copies = {c for g in find_wire_groups(all_articles) for c in g.copies}
    articles = {a["id"]: a for a in all_articles if a["id"] not in copies}
    statements = [s for s in store.statements() if s["article_id"] in articles]
    affiliations = Affiliations(
        statements, [a["outlet_country"] for a in all_articles if a.get("outlet_country")]
    )
    nodes: dict[str, dict[str, Any]] = {}
    for a in articles.values():
        nid = _outlet_id(a)
        node = nodes.setdefault(
            nid,
            {"id": nid, "label": outlet_of(a), "attrs": {"type": "outlet", "n": 0}},
        )
        node["attrs"]["n"] += 1
        if a.get("outlet_country"):
            node["attrs"]["country"] = a["outlet_country"]
    carries: Counter[tuple[str, str]] = Counter()
    actor_sts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    actors = store.actor_map()
    for s in statements:
        if not speaks(s):  # no speaker, or a negated report: not said
            continue
        s["actor"] = actor_of(actors, s["speaker"])
        aid = _actor_id(s["actor"])
        actor_sts[aid].append(s)
        carries[(_outlet_id(articles[s["article_id"]]), aid)] += 1
    for aid, sts in actor_sts.items():
        nodes[aid] = {
            "id": aid,
            "label": sts[0]["actor"],
            "attrs": {
                "type": "actor",
                "affiliation": _most(affiliations.of(s) for s in sts),
                "country": _most(affiliations.country_of_statement(s) for s in sts),
                "role": _most(s.get("speaker_role") or "" for s in sts),
                "n": len(sts),
            },
        }
    edges = [
        {"source": o, "target": a, "weight": n, "attrs": {"relation": "carries"}}
        for (o, a), n in sorted(carries.items())
    ]
    edges += _claim_edges(store, articles, nodes, actors)
    return list(nodes.values()), edges


def _claim_edges(
    store: Store,
    articles: dict[str, dict[str, Any]],
    nodes: dict[str, dict[str, Any]],
    actors: dict[str, str],
) -> list[dict[str, Any]]:
    claims, members = load_claims(store)
    stances: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    for m in members:
        a = articles.get(m["article_id"])
        if a is None:
            continue
        if m["voice"] == "outlet":
            key = (_outlet_id(a), "claim:" + m["claim_id"], "narrates")
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
    stamps = [a.get("ingested_at") or "" for a in store.articles()]
    date = max(stamps)[:10] if any(stamps) else None
    data = to_gexf(nodes, edges, date=date)
    with open(out, "wb") as f:
        f.write(data)
    return len(nodes) + len(edges)
