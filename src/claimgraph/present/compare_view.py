"""`claimgraph compare` on a terminal: the result of `claimgraph.analyze.compare.compare()`
as rich tables. Every value that comes from an article is passed as `Text`, never as markup.

Shares are shown as percentages with their 95% bootstrap interval, "62% (45–80)"; rates as
"9.9 (7.5–13.5)" per 1,000 words."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..words import plural

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
    t = Table(
        title="Outlets",
        caption="articles, statements: all the store holds (as the report and the API count"
        " them); profiled: without wire copies; voices: the statements counted as the"
        " outlet's voices (the outermost, less questions put and negated reports)",
    )
    for col in (
        "outlet",
        "articles",
        "statements",
        "profiled articles",
        "voices",
        "words",
        "quoted words",
    ):
        t.add_column(col, justify="left" if col == "outlet" else "right")
    for p in outlets:
        stored = p.get("stored") or {}
        t.add_row(
            _t(p["label"]),
            str(stored.get("n_articles", p["n_articles"])),
            str(stored.get("n_statements", p["n_statements"])),
            str(p["n_articles"]),
            str(p["n_voices"]),
            str(p["n_words"]),
            str(p["n_quoted_words"]),
        )
    return t


def _voices_table(outlets: list[dict[str, Any]], what: str, title: str) -> Table:
    columns = [
        ("share of voices", f"voices_by_{what}"),
        ("share of quoted words", f"quoted_words_by_{what}"),
    ]
    return _shares_table(outlets, what, columns, title)


def _speakers_table(outlets: list[dict[str, Any]]) -> Table:
    columns = [
        ("share of speakers", "speakers_by_country"),
        ("share of official speakers", "official_speakers_by_country"),
    ]
    return _shares_table(
        outlets, "country", columns, "Speakers by country (each speaker once per article)"
    )


def _shares_table(
    outlets: list[dict[str, Any]],
    what: str,
    columns: list[tuple[str, str]],
    title: str,
    *,
    percent: bool = True,
) -> Table:
    """Per outlet, its first `TOP` keys of the first column's measure, with every column's
    share of each."""
    t = Table(title=title)
    t.add_column("outlet")
    t.add_column(what)
    for header, _ in columns:
        t.add_column(header, justify="right")
    for p in outlets:
        first = p[columns[0][1]]
        keys = list(first)[:TOP]
        for i, key in enumerate(keys):
            t.add_row(
                _t(p["label"] if i == 0 else ""),
                _t(key),
                *(fmt_share(p[field].get(key), percent=percent) for _, field in columns),
            )
        if len(first) > TOP:
            more = Text(f"… {len(first) - TOP} more", style="dim")
            t.add_row("", more, *("" for _ in columns))
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
    for col in (
        "group",
        "role",
        "article",
        "outlet",
        "agency",
        "published",
        "Jaccard",
        "contained",
    ):
        t.add_column(col, justify="right" if col in ("Jaccard", "contained") else "left")
    for n, g in enumerate(groups, 1):
        for m in g["members"]:
            t.add_row(
                str(n),
                "copy" if m["is_wire_copy"] else "original",
                _t(m.get("label") or m["source"]),
                _t(m["outlet"]),
                _t(m["agency"]),
                _t(m["published"]),
                f"{m['jaccard_to_original']:.2f}",
                f"{m['containment_to_original']:.2f}",
            )
        more = int(g.get("n_members") or 0) - len(g["members"])
        if more > 0:
            t.add_row(str(n), "copies", f"and {more} more ('claimgraph export wire')", *[""] * 5)
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
                _t(m["outlet"]),
                _t(m["speaker"]),
                _t(m["cue"]),
                _t(m["cue_class"]),
                diff,
                _t(_short(m["quote"])),
            )
        t.add_section()
    return t


STANCE_STYLE = {"affirm": "green", "deny": "red", "report": "", "absent": "dim"}
LABEL_CHARS = 60


def _cell_text(cell: dict[str, Any]) -> Text:
    """'deny (own 2−/0+)', 'report · carries deny 3−/1+', 'absent'."""
    stance = cell["stance"]
    text = Text(stance, style=STANCE_STYLE.get(stance, ""))
    own, sp = cell["outlet_voice"], cell["speakers"]
    if cell["source"] == "outlet":
        text.append(f" (own {own['affirm']}+/{own['deny']}−/{own['report']}=)")
    if cell["carried"]:
        text.append(
            f" · carries {cell['carried']} {sp['affirm']}+/{sp['deny']}−/{sp['report']}=",
            style="dim" if cell["source"] == "outlet" else "",
        )
    return text


def _claims_table(matrix: dict[str, Any]) -> Table:
    """The matrix, its claims grouped under their topic (a topic's row names it and its
    claims follow, indented); claims without a topic, where topics are not assigned yet,
    come last without a heading."""
    t = Table(title="Claims × outlets (own voice; + affirm, − deny, = report by carried speakers)")
    t.add_column("topic / claim")
    for col in matrix["columns"]:
        t.add_column(_t(col))
    rows = {r["claim_id"]: r for r in matrix["rows"]}
    groups = matrix.get("topics") or [{"topic_id": None, "claim_ids": list(rows)}]
    for g in groups:
        if g["topic_id"] is not None:
            heading = Text(g.get("topic") or "", style="bold")
            n = len(g["claim_ids"])
            heading.append(f" ({n} claim{'s' if n > 1 else ''}, {g['n_members']} members)", "dim")
            t.add_row(heading, *("" for _ in matrix["columns"]))
        indent = "  " if g["topic_id"] is not None else ""
        for claim_id in g["claim_ids"]:
            row = rows[claim_id]
            t.add_row(
                _t(indent + _short(row["label"], LABEL_CHARS)),
                *(_cell_text(row["cells"][col]) for col in matrix["columns"]),
            )
        t.add_section()
    return t


def _blindspots_table(matrix: dict[str, Any]) -> Table:
    labels = {r["claim_id"]: r["label"] for r in matrix["rows"]}
    t = Table(title="Blindspots (claims an outlet never carries)")
    t.add_column("outlet")
    t.add_column("claims omitted", justify="right")
    t.add_column("examples")
    for col in matrix["columns"]:
        missing = matrix["blindspots"].get(col, [])
        t.add_row(
            _t(col),
            str(len(missing)),
            _t("; ".join(_short(labels[c], 40) for c in missing[:3]) or "—"),
        )
    return t


def _timeline_table(timeline: dict[str, Any]) -> Table:
    t = Table(title="Timeline: statements per week, by outlet")
    t.add_column("week")
    t.add_column("outlet")
    t.add_column("statements", justify="right")
    t.add_column("in claims", justify="right")
    weeks: dict[tuple[str, str], list[int]] = {}
    for b in timeline["by_week"]:
        key = (b["period"], str(b["outlet"]))
        cell = weeks.setdefault(key, [0, 0])
        cell[0] += b["n"]
        cell[1] += b["n"] if b["claim_id"] else 0
    for (week, outlet), (n, in_claims) in sorted(weeks.items()):
        t.add_row(_t(week), _t(outlet), str(n), str(in_claims))
    return t


def _render_claims(result: dict[str, Any], console: Console) -> None:
    matrix = result.get("matrix")
    if matrix and matrix["rows"]:
        console.print(_claims_table(matrix))
        rebuttals = sum(
            cell.get("rebuttals", 0) for row in matrix["rows"] for cell in row["cells"].values()
        )
        if rebuttals:
            console.print(
                Text(
                    f"Claims: {rebuttals} of the denials counted are rebuttals: a generic denial"
                    " ('lies', 'claims of …') counted against each accusation the other side"
                    " makes in the same article.",
                    style="dim",
                )
            )
        console.print(_blindspots_table(matrix))
    else:
        console.print(Text("No claims in the store (run 'claimgraph link').", style="dim"))
    timeline = result.get("timeline")
    if timeline and timeline["by_week"]:
        console.print(_timeline_table(timeline))
        extra = []
        if timeline["n_coarse"]:
            extra.append(f"{timeline['n_coarse']} dated only to the month or year")
        if timeline["n_undated"]:
            extra.append(f"{timeline['n_undated']} undated")
        if extra:
            console.print(Text("Timeline: " + ", ".join(extra) + ".", style="dim"))
    else:
        console.print(Text("No dated statements for a timeline.", style="dim"))


def first_use_text(use: dict[str, Any]) -> str:
    """'2021-07-08, ANI, Wang Wenbin' (who first used a talking point, and where)."""
    who = use.get("speaker") if use.get("voice") == "speaker" else "(narration)"
    return ", ".join(str(x) for x in (use.get("published") or "undated", use.get("outlet"), who))


def _talking_points_table(points: list[dict[str, Any]]) -> Table:
    t = Table(title="Talking points: phrases one side's speakers repeat, and who carries them")
    for col in (
        "side",
        "phrase",
        "occasions",
        "first use",
        "uses by voice",
        "carried by",
        "in the outlet's own narration",
    ):
        t.add_column(col, justify="right" if col == "occasions" else "left")
    for tp in points:
        t.add_row(
            _t(tp["camp"]),
            _t(tp["phrase"]),
            str(tp["n_occasions"]),
            _t(first_use_text(tp["first_use"])),
            _t(f"{tp['n_speaker_uses']} speaker, {tp['n_outlet_uses']} outlet"),
            _t(", ".join(tp["outlets_carrying"])),
            _t(", ".join(tp["outlets_adopting"]) or "—"),
        )
    return t


def render(result: dict[str, Any], console: Console) -> None:
    """Print a `compare()` result as tables."""
    outlets = result["outlets"]
    console.print(_outlets_table(outlets))
    unnamed = [o["label"] for o in outlets if o.get("unnamed")]
    if unnamed:
        console.print(
            Text(
                f"{plural(len(unnamed), 'source names', 'sources name')} no outlet and"
                " each stands apart: "
                + ", ".join(unnamed)
                + ". Name them with a sidecar (NAME.txt.meta.json holding"
                ' {"outlet": "..."}) or --outlets outlets.csv, then run analyze again'
                " (docs/input-formats.md).",
                style="yellow",
            )
        )
    console.print(_voices_table(outlets, "affiliation", "Voices by speaker affiliation"))
    console.print(_voices_table(outlets, "country", "Voices by country of affiliation"))
    console.print(_speakers_table(outlets))
    console.print(_voices_table(outlets, "role", "Voices by speaker role"))
    console.print(
        _matrix_table(
            outlets, "verb_classes", "Reporting-verb classes (share of voices)", percent=True
        )
    )
    console.print(
        _matrix_table(
            outlets,
            "cues_per_1k_words",
            "Framing cues per 1,000 words, the outlet's own voice (narration, headline)",
            percent=False,
        )
    )
    console.print(
        _matrix_table(
            outlets,
            "speaker_cues_per_1k_words",
            "Framing cues per 1,000 words inside the statements it carries (speakers' voice)",
            percent=False,
        )
    )
    console.print(
        _shares_table(
            outlets,
            "affiliation",
            [("speakers' cues per 1,000 words", "speaker_cues_by_affiliation")],
            "Whose framing it carries: speakers' cues by speaker affiliation",
            percent=False,
        )
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
    if result.get("talking_points"):
        console.print(_talking_points_table(result["talking_points"]))
    else:
        console.print(Text("No talking points found.", style="dim"))
    _render_claims(result, console)
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
