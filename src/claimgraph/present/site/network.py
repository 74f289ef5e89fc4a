"""The claim network of the report's overview: outlets, the speakers they carry and the
claims, laid out in three columns as shapes that templates/charts.html (`network`) draws as
a static SVG, edges coloured by stance (the colours of `charts`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .charts import GREY, STANCE_COLORS, short

NET_COL_W = 300
NET_ROW_H = 22
NET_TOP = 40
MAX_SPEAKERS = 30


@dataclass
class NetNode:
    id: str
    x: float
    y: float
    kind: str  # outlet | actor | claim
    text: str
    title: str
    href: str | None = None


@dataclass
class NetEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float
    title: str


@dataclass
class Network:
    """A static claim network: outlets (left), the speakers they carry (middle), the claims
    (right, numbered; `claims` gives each number's full label), edges coloured by stance."""

    width: float
    height: float
    aria: str
    nodes: list[NetNode] = field(default_factory=list)
    edges: list[NetEdge] = field(default_factory=list)
    claims: list[tuple[str, str, str | None]] = field(default_factory=list)  # (no., label, href)
    legend: list[tuple[str, str]] = field(default_factory=list)
    left_out: int = 0  # speakers left out (only the most carried are drawn)

    @property
    def empty(self) -> bool:
        return not self.edges


def _order(ids: list[str], neighbours: dict[str, list[str]], pos: dict[str, float]) -> list[str]:
    """Nodes of a column by the mean position of their neighbours already placed (the
    barycentre heuristic: fewer crossing edges), ties by their order so far."""

    def key(i: int) -> tuple[float, int]:
        ys = [pos[n] for n in neighbours.get(ids[i], []) if n in pos]
        return (sum(ys) / len(ys) if ys else float("inf"), i)

    return [ids[i] for i in sorted(range(len(ids)), key=key)]


def network(
    nodes: Sequence[dict[str, Any]],
    edges: Sequence[dict[str, Any]],
    *,
    hrefs: dict[str, str] | None = None,
    max_speakers: int = MAX_SPEAKERS,
) -> Network:
    """Lay out the actor-claim-outlet graph (`claimgraph.present.gexf.build_graph`: nodes
    {id, label, attrs.type, attrs.n}, edges {source, target, weight, attrs.relation,
    attrs.stance}) in three columns; only the `max_speakers` most carried speakers are drawn."""
    hrefs = hrefs or {}
    by_id = {n["id"]: n for n in nodes}
    kind = {n["id"]: n["attrs"]["type"] for n in nodes}
    weight: dict[str, float] = {}
    for e in edges:
        for end in (e["source"], e["target"]):
            weight[end] = weight.get(end, 0.0) + float(e["weight"])
    actors = sorted(
        (i for i in by_id if kind[i] == "actor" and weight.get(i)),
        key=lambda i: (-weight[i], by_id[i]["label"]),
    )
    shown_actors = set(actors[:max_speakers])
    keep = [
        e
        for e in edges
        if all(
            kind.get(end) != "actor" or end in shown_actors for end in (e["source"], e["target"])
        )
    ]
    neighbours: dict[str, list[str]] = {}
    for e in keep:
        neighbours.setdefault(e["source"], []).append(e["target"])
        neighbours.setdefault(e["target"], []).append(e["source"])
    outlets = sorted((i for i in by_id if kind[i] == "outlet" and i in neighbours),
                     key=lambda i: by_id[i]["label"])  # fmt: skip
    claims = sorted(
        (i for i in by_id if kind[i] == "claim" and i in neighbours),
        key=lambda i: (-weight.get(i, 0), i),
    )
    pos: dict[str, float] = {o: float(k) for k, o in enumerate(outlets)}
    middle = _order([a for a in actors if a in shown_actors and a in neighbours], neighbours, pos)
    pos.update({a: float(k) for k, a in enumerate(middle)})
    number = {c: k + 1 for k, c in enumerate(claims)}
    right = _order(claims, neighbours, pos)
    rows = max(len(outlets), len(middle), len(right), 1)
    height = NET_TOP + rows * NET_ROW_H + 10
    net = Network(
        width=3 * NET_COL_W,
        height=height,
        aria="Claim network: outlets, the speakers they carry and the claims, "
        "edges coloured by stance",
        left_out=max(0, len([a for a in actors if a in neighbours or a in weight]) - len(middle)),
    )
    xy: dict[str, tuple[float, float]] = {}
    for ids, x, anchor_kind in (
        (outlets, 200.0, "outlet"),
        (middle, NET_COL_W + 140.0, "actor"),
        (right, 2 * NET_COL_W + 40.0, "claim"),
    ):
        spread = rows / max(1, len(ids))
        for k, i in enumerate(ids):
            y = NET_TOP + (k + 0.5) * spread * NET_ROW_H
            xy[i] = (x, y)
            label = by_id[i]["label"]
            text = (
                f"{number[i]}. {short(label, 34)}" if anchor_kind == "claim" else short(label, 26)
            )
            net.nodes.append(NetNode(i, x, y, anchor_kind, text, label, hrefs.get(i)))
    for e in keep:
        if e["source"] not in xy or e["target"] not in xy:
            continue
        (x1, y1), (x2, y2) = xy[e["source"]], xy[e["target"]]
        relation = e["attrs"].get("relation")
        stance = e["attrs"].get("stance")
        color = STANCE_COLORS.get(stance or "", GREY) if relation != "carries" else "#ced4da"
        what = {"carries": "carries", "stance": "speaks to", "narrates": "narrates"}.get(
            relation or "", relation or ""
        )
        title = f"{by_id[e['source']]['label']} {what} {by_id[e['target']]['label']}"
        title += f": {e['weight']:g}" + (f", {stance}" if relation != "carries" else "")
        net.edges.append(
            NetEdge(x1, y1, x2, y2, color, round(min(6.0, 0.8 + float(e["weight"]) / 2), 2), title)
        )
    net.claims = [(str(number[c]), by_id[c]["label"], hrefs.get(c)) for c in claims]
    net.legend = [(STANCE_COLORS[k], k) for k in ("affirm", "deny", "report", "mixed")]
    net.legend.append(("#ced4da", "carries (outlet → speaker)"))
    return net
