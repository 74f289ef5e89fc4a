"""`claimgraph compare` on a terminal: the result of `claimgraph.analyze.compare.compare()`
as rich tables. Every value that comes from an article is passed as `Text`, never as markup.

Shares are shown as percentages with their 95% bootstrap interval, "62% (45–80)"; rates as
"9.9 (7.5–13.5)" per 1,000 words."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

TOP = 8  # rows per outlet in the voices tables
QUOTE_CHARS = 90


def _t(value: Any, style: str = "") -> Text:
    return Text("—" if value is None else str(value), style=style)


def fmt_share(s: dict[str, Any] | None, *, percent: bool = True) -> str:
    """'62% (45–80)' for a share, '9.9 (7.5–13.5)' for a rate; '—' when undefined."""
    if not s or s.get("value") is None:
        return "—"
    if percent:
        v, lo, hi = (None if x is None else 100 * x for x in (s["value"], s["lo"], s["hi"]))
        spec = ".0f"
        unit = "%"
    else:
        v, lo, hi, spec, unit = s["value"], s["lo"], s["hi"], ".1f", ""
    text = f"{v:{spec}}{unit}"
    if lo is not None and hi is not None:
        text += f" ({lo:{spec}}–{hi:{spec}})"
    return text


def _outlets_table(outlets: list[dict[str, Any]]) -> Table:
    t = Table(title="Outlets")
    for col in ("outlet", "articles", "words", "statements", "quoted words"):
        t.add_column(col, justify="left" if col == "outlet" else "right")
    for p in outlets:
        t.add_row(
            _t(p["label"]),
            str(p["n_articles"]),
            str(p["n_words"]),
            str(p["n_statements"]),
            str(p["n_quoted_words"]),
        )
    return t


def _voices_table(outlets: list[dict[str, Any]], what: str, title: str) -> Table:
    t = Table(title=title)
    t.add_column("outlet")
    t.add_column(what)
    t.add_column("share of statements", justify="right")
    t.add_column("share of quoted words", justify="right")
    for p in outlets:
        by_st = p[f"voices_by_{what}"]
        by_q = p[f"quoted_words_by_{what}"]
        keys = list(by_st)[:TOP]
        for i, key in enumerate(keys):
            t.add_row(
                _t(p["label"] if i == 0 else ""),
                _t(key),
                fmt_share(by_st.get(key)),
                fmt_share(by_q.get(key)),
            )
        if len(by_st) > TOP:
            t.add_row("", Text(f"… {len(by_st) - TOP} more", style="dim"), "", "")
        if keys:
            t.add_section()
    return t


def _matrix_table(outlets: list[dict[str, Any]], field: str, title: str, *, percent: bool) -> Table:
    keys: list[str] = []
    for p in outlets:
        keys += [k for k in p[field] if k not in keys]
    t = Table(title=title)
    t.add_column("outlet")
    for k in keys:
        t.add_column(_t(k), justify="right")
    for p in outlets:
        t.add_row(_t(p["label"]), *(fmt_share(p[field].get(k), percent=percent) for k in keys))
    return t


def _terms_table(outlets: list[dict[str, Any]]) -> Table:
    t = Table(title="Contested terms: narrated (outlet's voice) / quoted")
    for col in ("outlet", "term", "narrated", "quoted", "narrated share"):
        t.add_column(col, justify="right" if col in ("narrated", "quoted") else "left")
    for p in outlets:
        for i, (term, v) in enumerate(p["terms"].items()):
            t.add_row(
                _t(p["label"] if i == 0 else ""),
                _t(term),
                str(v["narrated"]),
                str(v["quoted"]),
                fmt_share(v["narrated_share"]),
            )
        if p["terms"]:
            t.add_section()
    return t


def _wire_table(groups: list[dict[str, Any]]) -> Table:
    t = Table(title="Wire copies (near-duplicate articles)")
    for col in ("group", "role", "outlet", "agency", "published", "source", "Jaccard", "contained"):
        t.add_column(col, justify="right" if col in ("Jaccard", "contained") else "left")
    for n, g in enumerate(groups, 1):
        for m in g["members"]:
            t.add_row(
                str(n),
                "copy" if m["is_wire_copy"] else "original",
                _t(m["outlet"]),
                _t(m["agency"]),
                _t(m["published"]),
                _t(m["source"]),
                f"{m['jaccard_to_original']:.2f}",
                f"{m['containment_to_original']:.2f}",
            )
        t.add_section()
    return t


def _short(text: str, n: int = QUOTE_CHARS) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _variants_table(groups: list[dict[str, Any]]) -> Table:
    t = Table(title="Quote variants (the same quote across articles)")
    for col in ("group", "outlet", "speaker", "cue", "class", "difference", "quote"):
        t.add_column(col)
    for n, g in enumerate(groups, 1):
        for i, m in enumerate(g["members"]):
            diff = Text("reference" if i == g["reference"] else m["difference"])
            if m["different_verb_class"]:
                diff.append(" · other verb class", style="yellow")
            if m["different_speaker"]:
                diff.append(" · other speaker", style="red")
            if m.get("is_wire_copy"):
                diff.append(" · wire copy", style="dim")
            t.add_row(
                str(n),
                _t(m["outlet"] or "(no outlet)"),
                _t(m["speaker"]),
                _t(m["cue"]),
                _t(m["cue_class"]),
                diff,
                _t(_short(m["quote"])),
            )
        t.add_section()
    return t


def render(result: dict[str, Any], console: Console) -> None:
    """Print a `compare()` result as tables."""
    outlets = result["outlets"]
    console.print(_outlets_table(outlets))
    console.print(_voices_table(outlets, "affiliation", "Voices by speaker affiliation"))
    console.print(_voices_table(outlets, "country", "Voices by country of affiliation"))
    console.print(_voices_table(outlets, "role", "Voices by speaker role"))
    console.print(
        _matrix_table(
            outlets, "verb_classes", "Reporting-verb classes (share of statements)", percent=True
        )
    )
    console.print(
        _matrix_table(outlets, "cues_per_1k_words", "Framing cues per 1,000 words", percent=False)
    )
    console.print(_terms_table(outlets))
    if result["wire_groups"]:
        console.print(_wire_table(result["wire_groups"]))
    else:
        console.print(Text("No wire copies found.", style="dim"))
    if result["quote_variants"]:
        console.print(_variants_table(result["quote_variants"]))
    else:
        console.print(Text("No quote carried by more than one article.", style="dim"))
    opts = result.get("options", {})
    console.print(
        Text(
            f"Intervals: {opts.get('interval', '95% bootstrap over articles')}, "
            f"{opts.get('n_boot', '?')} resamples, seed {opts.get('seed', '?')}; "
            + (
                "wire copies counted."
                if opts.get("count_wire_copies")
                else "wire copies left out of the profiles."
            ),
            style="dim",
        )
    )
