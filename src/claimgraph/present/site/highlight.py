"""Highlights of an article's text: every statement, speaker mention, reporting verb, framing
cue, contested term and claim sentence as a span over the text, and the text split at the
spans' boundaries into plain-text pieces that the template escapes and links."""

from __future__ import annotations

import html
from typing import Any, NamedTuple

from markupsafe import Markup

from .urls import UNRESOLVED, page_key, record_anchor


class Span(NamedTuple):
    start: int
    end: int
    kind: str  # statement | speaker | cue-verb | cue | term | claim
    anchor: str  # the record it links to
    title: str


class Segment(NamedTuple):
    """A piece of article text and the spans covering it; links to the innermost span."""

    text: str
    kinds: tuple[str, ...] = ()
    anchor: str | None = None
    title: str = ""


def highlight(text: str, spans: list[Span]) -> list[Segment]:
    """Split `text` at every span boundary. Each piece carries the kinds of the spans over it
    and links to the shortest of them (the most specific record). Offsets outside the text are
    clamped; empty spans are dropped. The pieces are plain text: the template escapes them.

    One sweep over the boundaries with the spans open at each (a page has hundreds of
    pieces and a report tens of thousands of pages: no piece looks at every span)."""
    n = len(text)
    clean: list[tuple[int, Span]] = []
    for s in spans:
        start, end = max(0, min(n, s.start)), max(0, min(n, s.end))
        if start < end:
            clean.append((len(clean), Span(start, end, s.kind, s.anchor, s.title)))
    cuts = sorted({0, n, *(s.start for _, s in clean), *(s.end for _, s in clean)})
    pending = sorted(clean, key=lambda x: x[1].start)
    nxt = 0
    active: list[tuple[int, Span]] = []
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        while nxt < len(pending) and pending[nxt][1].start <= a:
            active.append(pending[nxt])
            nxt += 1
        active = [x for x in active if x[1].end > a]
        if not active:
            out.append(Segment(text[a:b]))
            continue
        # the shortest span, then by kind, then the first given (as min() over the input)
        _, inner = min(active, key=lambda x: (x[1].end - x[1].start, x[1].kind, x[0]))
        kinds = tuple(sorted({s.kind for _, s in active}))
        out.append(Segment(text[a:b], kinds, inner.anchor, inner.title))
    return out


def segments_html(segments: list[Segment]) -> Markup:
    """The highlighted text as HTML: every piece of text, anchor and title escaped here
    (the same markup the template would write, without a template loop per piece)."""
    esc = html.escape  # quotes too; a plain function, fast on many short pieces
    parts: list[str] = []
    for text, kinds, anchor, title in segments:
        if anchor is None:
            parts.append(esc(text))
            continue
        classes = "".join(" k-" + esc(k) for k in kinds)
        parts.append(
            f'<a class="hl{classes}" href="#{esc(anchor)}" title="{esc(title)}">{esc(text)}</a>'
        )
    return Markup("".join(parts))


def article_spans(
    statements: list[dict[str, Any]],
    cues: list[dict[str, Any]],
    terms: list[dict[str, Any]],
    members: list[dict[str, Any]],
) -> list[Span]:
    """The highlights of one article: statement content, speaker mention, reporting cue,
    framing cues, contested terms, and the outlet's own claim sentences."""
    spans: list[Span] = []
    for s in statements:
        a = record_anchor(s["id"])
        who = s["speaker"] or UNRESOLVED
        spans.append(
            Span(s["start_char"], s["end_char"], "statement", a, f"{s['kind']} statement by {who}")
        )
        if s.get("speaker_start") is not None and s.get("speaker_end") is not None:
            spans.append(
                Span(s["speaker_start"], s["speaker_end"], "speaker", a, f"speaker: {who}")
            )
        if s.get("cue_start") is not None and s.get("cue_end") is not None:
            spans.append(
                Span(
                    s["cue_start"],
                    s["cue_end"],
                    "cue-verb",
                    a,
                    f"reporting verb ({s['cue_class']})"
                    + (", negated" if s.get("negated") else ""),
                )
            )
    for c in cues:
        spans.append(
            Span(
                c["start_char"],
                c["end_char"],
                "cue",
                record_anchor(c["id"]),
                f"framing cue: {c['type']}",
            )
        )
    for t in terms:
        spans.append(
            Span(
                t["start_char"],
                t["end_char"],
                "term",
                record_anchor(t["id"]),
                f"contested term: {t['term']} ({t['voice']})",
            )
        )
    for m in members:
        if m["statement_id"] is None:
            anchor = f"m-{page_key(m['member_id'])}"
            spans.append(
                Span(
                    m["start"],
                    m["end"],
                    "claim",
                    anchor,
                    f"outlet's own voice, {m['stance']}: {m['claim_label']}",
                )
            )
    return spans
