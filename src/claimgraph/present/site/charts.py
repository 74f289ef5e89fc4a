"""Chart geometry for the report and the UI: pure functions from numbers to shapes.

The templates draw the shapes as inline SVG (templates/charts.html), so there is no chart
library and no script; every shape carries its numbers in a `title` (tooltip, read by screen
readers) and each chart an `aria-label`. Colours are SVG presentation attributes, which the
Content-Security-Policy allows (inline `style` attributes it does not)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

PALETTE = (
    "#4263eb",
    "#e8590c",
    "#2b8a3e",
    "#c2255c",
    "#1098ad",
    "#f59f00",
    "#7048e8",
    "#5c940d",
    "#d6336c",
    "#0b7285",
    "#a61e4d",
    "#364fc7",
)
GREY = "#adb5bd"
STANCE_COLORS = {"affirm": "#2b8a3e", "deny": "#c92a2a", "report": "#5c7cfa", "mixed": "#7048e8"}
LABEL_W = 190  # room for row labels
HEAT_LABEL_W = 300
ROW_H = 26
BAR_W = 520
CELL_W = 92


def short(label: str, n: int = 26) -> str:
    """A label cut to fit a chart; the whole label stays in the shape's title."""
    return label if len(label) <= n else label[: n - 1] + "…"


def pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.0f}%"


def share_text(s: dict[str, Any]) -> str:
    """'44% (95% CI 30–60), 4 of 9' for a bootstrap share (claimgraph.analyze.profiles)."""
    text = pct(s.get("value"))
    if s.get("lo") is not None and s.get("hi") is not None:
        text += f" (95% CI {pct(s['lo'])[:-1]}–{pct(s['hi'])})"
    elif s.get("value") is not None:
        text += " (no interval: one article)"
    num, den = s.get("num"), s.get("den")
    if num is not None and den:
        text += f", {num:g} of {den:g}"
    return text


@dataclass
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    title: str
    opacity: float = 1.0
    href: str | None = None
    text: str = ""


@dataclass
class Label:
    x: float
    y: float
    text: str
    title: str
    anchor: str = "start"
    href: str | None = None


@dataclass
class Chart:
    """What templates/charts.html draws: rectangles, labels and a legend."""

    width: float
    height: float
    aria: str
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, name)

    @property
    def empty(self) -> bool:
        return not self.rects


def category_colors(categories: Sequence[str]) -> dict[str, str]:
    """Stable colours: placeholders ("(unknown)", "(no speaker)") grey, the rest the palette."""
    colors: dict[str, str] = {}
    i = 0
    for c in categories:
        if c.startswith("("):
            colors[c] = GREY if c != "(no speaker)" else "#dee2e6"
        else:
            colors[c] = PALETTE[i % len(PALETTE)]
            i += 1
    return colors


def stacked_bars(
    rows: Sequence[tuple[str, str | None, dict[str, dict[str, Any]]]],
    *,
    what: str,
    top: int = 8,
) -> Chart:
    """One horizontal 100% bar per row (label, href, {category: share}); segments in the
    order of their total share across rows; beyond `top` categories, the rest are "other"."""
    totals: dict[str, float] = {}
    for _, _, shares in rows:
        for cat, s in shares.items():
            totals[cat] = totals.get(cat, 0.0) + float(s.get("num") or 0.0)
    cats = sorted(totals, key=lambda c: (-totals[c], c))
    keep = cats[:top]
    colors = category_colors(keep)
    chart = Chart(
        width=LABEL_W + BAR_W + 10,
        height=len(rows) * ROW_H + 10,
        aria=f"{what}, one bar per outlet",
    )
    for i, (label, href, shares) in enumerate(rows):
        y = 5 + i * ROW_H
        chart.labels.append(Label(LABEL_W - 8, y + 16, short(label), label, "end", href))
        x = float(LABEL_W)
        other = {"value": 0.0, "num": 0.0, "den": None}
        for cat in cats:
            share = shares.get(cat)
            if not share or not share.get("value"):
                continue
            if cat not in colors:
                other["value"] = float(other["value"] or 0) + share["value"]
                other["num"] = float(other["num"] or 0) + float(share.get("num") or 0)
                other["den"] = share.get("den")
                continue
            w = BAR_W * share["value"]
            chart.rects.append(
                Rect(x, y, w, ROW_H - 6, colors[cat], f"{label} — {cat}: {share_text(share)}")
            )
            x += w
        if other["value"]:
            w = BAR_W * float(other["value"])
            chart.rects.append(
                Rect(x, y, w, ROW_H - 6, GREY, f"{label} — other: {share_text(other)}", 0.5)
            )
    chart.legend = [(colors[c], c) for c in keep]
    if len(cats) > top:
        chart.legend.append((GREY, "other"))
    return chart


def heat_map(
    rows: Sequence[tuple[str, str | None]],
    cols: Sequence[str],
    cells: dict[tuple[int, int], dict[str, Any]],
    *,
    what: str,
) -> Chart:
    """Rows x columns of cells {"stance", "n", "own", "text", "title", "href"}: a cell's colour
    is its stance, its opacity grows with its number of members and is lower where the
    outlet only carries others' words (`own` false); an absent cell is a pale blank."""
    top = 34
    label_w = HEAT_LABEL_W
    chart = Chart(
        width=label_w + CELL_W * max(1, len(cols)) + 10,
        height=top + len(rows) * ROW_H + 10,
        aria=what,
    )
    for j, col in enumerate(cols):
        chart.labels.append(
            Label(label_w + j * CELL_W + CELL_W / 2, 22, short(col, 13), col, "middle")
        )
    biggest = max((c["n"] for c in cells.values()), default=1) or 1
    for i, (label, href) in enumerate(rows):
        y = top + i * ROW_H
        chart.labels.append(Label(label_w - 8, y + 16, short(label, 44), label, "end", href))
        for j, _ in enumerate(cols):
            cell = cells.get((i, j))
            x = label_w + j * CELL_W
            if not cell or cell["stance"] == "absent" or not cell["n"]:
                title = cell["title"] if cell else "absent"
                chart.rects.append(Rect(x + 2, y, CELL_W - 4, ROW_H - 4, "#f1f3f5", title))
                continue
            strength = 0.45 + 0.55 * cell["n"] / biggest
            chart.rects.append(
                Rect(
                    x + 2,
                    y,
                    CELL_W - 4,
                    ROW_H - 4,
                    STANCE_COLORS.get(cell["stance"], GREY),
                    cell["title"],
                    round(strength if cell["own"] else strength * 0.6, 3),
                    cell.get("href"),
                    short(cell["text"], 14),
                )
            )
    chart.legend = [(STANCE_COLORS[k], k) for k in ("affirm", "deny", "report", "mixed")]
    return chart


def timeline(
    rows: Sequence[str], periods: Sequence[str], counts: dict[tuple[str, str], int], *, what: str
) -> Chart:
    """Rows (outlets) x periods: a cell's opacity grows with its count of statements."""
    cell_w = max(8.0, min(60.0, 640 / max(1, len(periods))))
    top = 34
    chart = Chart(
        width=LABEL_W + cell_w * max(1, len(periods)) + 10,
        height=top + len(rows) * ROW_H + 10,
        aria=what,
    )
    step = max(1, math.ceil(84 / cell_w))
    for j, p in enumerate(periods):
        if j % step == 0:
            chart.labels.append(Label(LABEL_W + j * cell_w, 22, p, p))
    biggest = max(counts.values(), default=1) or 1
    for i, row in enumerate(rows):
        y = top + i * ROW_H
        chart.labels.append(Label(LABEL_W - 8, y + 16, short(row), row, "end"))
        for j, p in enumerate(periods):
            n = counts.get((row, p), 0)
            if n:
                chart.rects.append(
                    Rect(
                        LABEL_W + j * cell_w + 1,
                        y,
                        cell_w - 2,
                        ROW_H - 4,
                        PALETTE[0],
                        f"{row}, {p}: {n} statement{'s' if n != 1 else ''}",
                        round(0.25 + 0.75 * n / biggest, 3),
                    )
                )
    return chart
