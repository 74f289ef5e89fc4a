"""Chart geometry for the report and the UI: pure functions from numbers to shapes.

The templates draw the shapes as inline SVG (templates/charts.html), so there is no chart
library and no script; every shape prints its number where there is room and carries it in a
`title` (tooltip, read by screen readers), each chart has an `aria-label`, and labels wrap
rather than being cut where a reader needs them whole. The claim network is in `network`. Colours are SVG presentation attributes, which the
Content-Security-Policy allows (inline `style` attributes it does not)."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Categorical colours (countries, affiliations, roles, verb classes): none of them a stance
# colour (green, red, blue, purple mean affirm, deny, report, mixed, and only that).
PALETTE = (
    "#e8590c",
    "#1098ad",
    "#f59f00",
    "#c2255c",
    "#8d5524",
    "#66a80f",
    "#f783ac",
    "#0b7285",
    "#d4a373",
    "#e64980",
    "#15aabf",
    "#ae3ec9",
)
GREY = "#adb5bd"
STANCE_COLORS = {"affirm": "#2b8a3e", "deny": "#c92a2a", "report": "#5c7cfa", "mixed": "#7048e8"}
LABEL_W = 215  # room for row labels
HEAT_LABEL_W = 330
HEAT_WRAP = 44  # characters of a claim label per line (12px type in HEAT_LABEL_W)
COL_WRAP = 12  # characters of an outlet name per line over a CELL_W column (10.5px type)
LINE_H = 14
ROW_H = 26
BAR_W = 520
CELL_W = 92


def short(label: str, n: int = 26) -> str:
    """A label cut to fit a chart; the whole label stays in the shape's title."""
    return label if len(label) <= n else label[: n - 1] + "…"


def wrap(label: str, width: int) -> list[str]:
    """A label in lines of at most `width` characters, at spaces where it can (a long file
    name is cut into pieces): shown in full, never cut short."""
    return textwrap.wrap(label, width, break_on_hyphens=False) or [label]


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
    text_cls: str = "celltext"  # "celltext dark" on a pale fill


@dataclass
class Label:
    x: float
    y: float
    text: str
    title: str
    anchor: str = "start"
    href: str | None = None
    cls: str = "lbl"  # "axis" for an axis tick
    lines: list[tuple[float, str]] = field(default_factory=list)  # (y, line): wrapped text


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


PLACEHOLDER_COLORS = {
    "(international body)": "#495057",  # a body of many states: dark, not "unknown"
    "(unknown)": GREY,
    "(no speaker)": "#dee2e6",
    "(no cue)": "#dee2e6",
}


def category_colors(categories: Sequence[str]) -> dict[str, str]:
    """Colours of a chart's categories: placeholders by `PLACEHOLDER_COLORS` (each its own
    grey), the rest the palette in order."""
    colors: dict[str, str] = {}
    i = 0
    for c in categories:
        if c.startswith("("):
            colors[c] = PLACEHOLDER_COLORS.get(c, GREY)
        else:
            colors[c] = PALETTE[i % len(PALETTE)]
            i += 1
    return colors


def stacked_bars(
    rows: Sequence[tuple[str, str | None, dict[str, dict[str, Any]]]],
    *,
    what: str,
    top: int = 8,
    colors: dict[str, str] | None = None,
) -> Chart:
    """One horizontal 100% bar per row (label, href, {category: share}); segments in the
    order of their total share across rows; beyond `top` categories, the rest are "other".
    `colors`: the report's colour of each category, so that a country keeps its colour from
    chart to chart (by default, `category_colors` of this chart's categories)."""
    totals: dict[str, float] = {}
    for _, _, shares in rows:
        for cat, s in shares.items():
            totals[cat] = totals.get(cat, 0.0) + float(s.get("num") or 0.0)
    cats = sorted(totals, key=lambda c: (-totals[c], c))
    keep = cats[:top]
    own = category_colors(keep)
    colors = {c: (colors or {}).get(c, own[c]) for c in keep}
    chart = Chart(
        width=LABEL_W + BAR_W + 10,
        height=len(rows) * ROW_H + 30,
        aria=f"{what}, one bar per outlet",
    )
    axis_y = 5 + len(rows) * ROW_H + 12
    for tick in (0, 25, 50, 75, 100):
        anchor = "start" if tick == 0 else "end" if tick == 100 else "middle"
        chart.labels.append(
            Label(
                LABEL_W + BAR_W * tick / 100,
                axis_y,
                f"{tick}%",
                f"{tick}% of the bar",
                anchor,
                cls="axis",
            )
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
                Rect(
                    x,
                    y,
                    w,
                    ROW_H - 6,
                    colors[cat],
                    f"{label} — {cat}: {share_text(share)}",
                    text=pct(share["value"]) if w >= 30 else "",
                )
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
    outlet only carries others' words (`own` false); an absent cell is a pale blank. Row
    labels (claims) and column labels (outlets) wrap to be read in full; a row is as tall as
    its label."""
    label_w = HEAT_LABEL_W
    col_lines = [wrap(col, COL_WRAP) for col in cols]
    top = 10 + LINE_H * max((len(c) for c in col_lines), default=1) + 6
    row_lines = [wrap(label, HEAT_WRAP) for label, _ in rows]
    heights = [max(ROW_H, LINE_H * len(lines) + 8) for lines in row_lines]
    chart = Chart(
        width=label_w + CELL_W * max(1, len(cols)) + 10,
        height=top + sum(heights) + 10,
        aria=what,
    )
    for j, (col, lines) in enumerate(zip(cols, col_lines, strict=True)):
        x = label_w + j * CELL_W + CELL_W / 2
        chart.labels.append(
            Label(
                x,
                top - 8,
                "",
                col,
                "middle",
                cls="lbl small-lbl",
                lines=[(top - 8 - LINE_H * (len(lines) - 1 - k), t) for k, t in enumerate(lines)],
            )
        )
    biggest = max((c["n"] for c in cells.values()), default=1) or 1
    y = float(top)
    for i, ((label, href), lines, h) in enumerate(zip(rows, row_lines, heights, strict=True)):
        first = y + (h - 4) / 2 + 4 - LINE_H * (len(lines) - 1) / 2
        chart.labels.append(
            Label(
                label_w - 8,
                first,
                "",
                label,
                "end",
                href,
                lines=[(first + LINE_H * k, t) for k, t in enumerate(lines)],
            )
        )
        for j, _ in enumerate(cols):
            cell = cells.get((i, j))
            x = label_w + j * CELL_W
            if not cell or cell["stance"] == "absent" or not cell["n"]:
                title = cell["title"] if cell else "absent"
                chart.rects.append(Rect(x + 2, y, CELL_W - 4, h - 4, "#f1f3f5", title))
                continue
            strength = 0.45 + 0.55 * cell["n"] / biggest
            chart.rects.append(
                Rect(
                    x + 2,
                    y,
                    CELL_W - 4,
                    h - 4,
                    STANCE_COLORS.get(cell["stance"], GREY),
                    cell["title"],
                    round(strength if cell["own"] else strength * 0.6, 3),
                    cell.get("href"),
                    short(cell["text"], 14),
                )
            )
        y += h
    chart.legend = [(STANCE_COLORS[k], k) for k in ("affirm", "deny", "report", "mixed")]
    return chart


def timeline(
    rows: Sequence[str], periods: Sequence[str], counts: dict[tuple[str, str], int], *, what: str
) -> Chart:
    """Rows (outlets) x periods: a cell's opacity grows with its count of statements, which
    it shows where it is wide enough."""
    cell_w = max(8.0, min(60.0, 640 / max(1, len(periods))))
    top = 34
    chart = Chart(
        width=LABEL_W + cell_w * max(1, len(periods)) + 80,  # room for the last period's date
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
                        "#495057",
                        f"{row}, {p}: {n} statement{'s' if n != 1 else ''}",
                        round(opacity := 0.25 + 0.75 * n / biggest, 3),
                        text=str(n) if cell_w >= 16 else "",
                        text_cls="celltext" if opacity >= 0.55 else "celltext dark",
                    )
                )
    return chart


# -- rival terms ------------------------------------------------------------------------------

RT_SUB_H = 18  # one bar: the outlet's own words, or inside quotes
RT_GAP = 12
RT_SUB_W = 78  # room for "own words" / "in quotes"
RT_BAR_W = 440


def _ticks(biggest: int) -> list[int]:
    """Whole-number ticks from 0 to at least `biggest`, at most 6 of them (1, 2, 5 x 10^k)."""
    step = 1
    while biggest / step > 5:
        for k in (2, 5, 10):
            if biggest / (step * k) <= 5:
                step *= k
                break
        else:
            step *= 10
    top = -(-max(1, biggest) // step) * step
    return list(range(0, top + 1, step))


def rival_terms(
    rows: Sequence[tuple[str, str | None, dict[str, tuple[int, int]]]],
    terms: Sequence[str],
    *,
    what: str,
) -> Chart:
    """Each outlet's uses of rival labels for one referent: two bars per outlet (rows of
    label, href, {term: (narrated, quoted)}), its own words (solid) above the words it
    quotes (pale), segments coloured by term in the order of `terms`, each with its count,
    each bar with its total and a shared count axis."""
    colors = dict(zip(terms, PALETTE, strict=False))
    per = 2 * RT_SUB_H + RT_GAP
    biggest = max((sum(v[k] for v in r[2].values()) for r in rows for k in (0, 1)), default=0)
    ticks = _ticks(biggest)
    unit = RT_BAR_W / ticks[-1]
    x0 = LABEL_W + RT_SUB_W
    chart = Chart(
        width=x0 + RT_BAR_W + 50,
        height=8 + len(rows) * per + 34,
        aria=what,
    )
    for i, (label, href, uses) in enumerate(rows):
        y = 8 + i * per
        chart.labels.append(Label(LABEL_W - 8, y + RT_SUB_H + 4, short(label), label, "end", href))
        for k, (voice, name) in enumerate((("narrated", "own words"), ("quoted", "in quotes"))):
            yk = y + k * RT_SUB_H
            title = f"{label}, {name}"
            chart.labels.append(Label(x0 - 6, yk + 13, name, title, "end", cls="lbl small-lbl"))
            x = float(x0)
            for term in terms:
                n = uses.get(term, (0, 0))[k]
                if not n:
                    continue
                w = n * unit
                chart.rects.append(
                    Rect(
                        x,
                        yk + 1,
                        w,
                        RT_SUB_H - 2,
                        colors[term],
                        f"{label} — “{term}” {voice}: {n}",
                        1.0 if voice == "narrated" else 0.4,
                        text=str(n) if w >= 14 else "",
                        text_cls="celltext" if voice == "narrated" else "celltext dark",
                    )
                )
                x += w
            total = sum(v[k] for v in uses.values())
            chart.labels.append(
                Label(x + 5, yk + 13, str(total), f"{title}: {total} in all", cls="lbl small-lbl")
            )
    axis_y = 8 + len(rows) * per + 4
    for t in ticks:
        chart.labels.append(Label(x0 + t * unit, axis_y, str(t), f"{t} uses", "middle", cls="axis"))
    chart.labels.append(
        Label(x0 + RT_BAR_W / 2, axis_y + 16, "uses", "number of uses", "middle", cls="axis")
    )
    chart.legend = [(colors[t], f"“{t}”") for t in terms]
    return chart
