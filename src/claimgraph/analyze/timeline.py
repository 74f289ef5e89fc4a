"""Timeline: statements per day and per week, by claim and outlet.

A statement is dated by the words around it, not only by its article: "Wang Wenbin said on
Wednesday" in a story published on Thursday 8 July 2021 was said on 7 July. The rules:

- `resolve_dates(text, published)` finds date expressions in a text and resolves them:
  absolute ones ("Oct. 19, 2019", "1 February 2021", "October 2019", "in 2019") on their own,
  relative ones ("today", "yesterday", "on Thursday", "last Thursday", "next Monday", "last
  week", "this month", "last year", "earlier this year", "three days ago", "on Feb. 1")
  from the published date. A bare weekday is the latest such day on or before publication
  ("on Thursday" in Thursday's paper is that day); "last <weekday>" the latest strictly
  before; "next <weekday>" the first after. A month and day without a year is taken in the
  publication year unless that puts it more than a week after publication (then the year
  before). Each date keeps its granularity: day, week (its Monday), month (its 1st) or year
  (1 January).
- `statement_date()` dates a statement by the expressions in its sentence (the sentence(s)
  holding its speaker, cue and content) that lie *outside* its content: "By October 2019,
  all trainees ... had graduated, said Anayat" is about 2019, it was not said then. Of those,
  the one nearest the cue wins. Failing that, the article's published date; failing that, the
  statement is undated. A narrated claim member (the outlet's own voice) is dated by any
  expression in its sentence: there, the date is the event's.

`timeline()` counts dated items per day (items known to the day) and per ISO week (items
known to the day or week), by outlet and claim (statements in no claim under None). Reads the
store only.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..ingest.outlets import outlet_of
from ..store import Store
from .corpus import Selection

DAY, WEEK, MONTH, YEAR = "day", "week", "month", "year"
FUTURE_SLACK_DAYS = 7

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_MONTH_RE = (
    r"(?P<month>jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|"
    r"july?|aug(?:ust|\.)?|sept?(?:ember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?)"
)
_WD_RE = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
# in priority order: longer, more specific forms first; matches may not overlap
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "month_day",
        re.compile(
            _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+" + _YEAR_RE + r")?",
            re.I,
        ),
    ),
    (
        "day_month",
        re.compile(
            r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_RE + r"(?:,?\s+" + _YEAR_RE + r")?",
            re.I,
        ),
    ),
    ("month_year", re.compile(r"\b" + _MONTH_RE + r",?\s+" + _YEAR_RE + r"\b", re.I)),
    ("ago", re.compile(r"\b(?P<n>\d+|[a-z]+)\s+(?P<unit>day|week|month|year)s?\s+ago\b", re.I)),
    (
        "rel_weekday",
        re.compile(r"\b(?P<rel>last|next|this|on|this\s+past|this\s+coming)?\s*\b" + _WD_RE, re.I),
    ),
    (
        "rel_period",
        re.compile(
            r"\b(?P<rel>last|next|this|earlier\s+this|later\s+this|past)\s+"
            r"(?P<unit>week|month|year)\b",
            re.I,
        ),
    ),
    ("deictic", re.compile(r"\b(?P<word>today|yesterday|tomorrow|tonight)\b", re.I)),
    ("in_year", re.compile(r"\b(?:in|since|by|during|until|of)\s+" + _YEAR_RE + r"\b", re.I)),
]


@dataclass(frozen=True)
class DateRef:
    """A date expression in a text, resolved: `date` is the start of the period."""

    text: str
    start: int
    end: int
    date: date
    granularity: str


def _month_day(month: int, day: int, year: int | None, published: date | None) -> date | None:
    if year is None:
        if published is None:
            return None
        year = published.year
        try:
            if date(year, month, day) - published > timedelta(days=FUTURE_SLACK_DAYS):
                year -= 1
        except ValueError:
            return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _shift_months(d: date, months: int) -> date:
    m = d.year * 12 + d.month - 1 + months
    return date(m // 12, m % 12 + 1, 1)


def _resolve(kind: str, m: re.Match[str], published: date | None) -> tuple[date, str] | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    if "month" in g and not g["month"][0].isupper():
        return None  # "they may 2…" is not May; news copy capitalises month names
    if kind in ("month_day", "day_month"):
        month = _MONTHS[g["month"].lower().rstrip(".")]
        year = int(g["year"]) if "year" in g else None
        d = _month_day(month, int(g["day"]), year, published)
        return (d, DAY) if d else None
    if kind == "month_year":
        return date(int(g["year"]), _MONTHS[g["month"].lower().rstrip(".")], 1), MONTH
    if kind == "in_year":
        return date(int(g["year"]), 1, 1), YEAR
    if published is None:
        return None
    if kind == "deictic":
        word = g["word"].lower()
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[word]
        return published + timedelta(days=offset), DAY
    if kind == "rel_weekday":
        target = _WEEKDAYS.index(g["wd"].lower())
        rel = " ".join(g.get("rel", "").lower().split())
        back = (published.weekday() - target) % 7
        if rel in ("next", "this coming"):
            return published + timedelta(days=(target - published.weekday()) % 7 or 7), DAY
        if rel in ("last", "this past"):
            return published - timedelta(days=back or 7), DAY
        return published - timedelta(days=back), DAY
    if kind == "rel_period":
        rel = " ".join(g["rel"].lower().split())
        step = {"last": -1, "past": -1, "next": 1}.get(rel, 0)
        unit = g["unit"].lower()
        if unit == "week":
            return _monday(published) + timedelta(weeks=step), WEEK
        if unit == "month":
            return _shift_months(published, step), MONTH
        return date(published.year + step, 1, 1), YEAR
    if kind == "ago":
        raw = g["n"].lower()
        n = int(raw) if raw.isdigit() else _NUMBERS.get(raw)
        if n is None:
            return None
        unit = g["unit"].lower()
        if unit == "day":
            return published - timedelta(days=n), DAY
        if unit == "week":
            return _monday(published - timedelta(weeks=n)), WEEK
        if unit == "month":
            return _shift_months(published, -n), MONTH
        return date(published.year - n, 1, 1), YEAR
    return None


def resolve_dates(text: str, published: date | None) -> list[DateRef]:
    """Date expressions in `text`, in text order, resolved (see the module doc). Relative
    ones are skipped when `published` is None."""
    taken: list[tuple[int, int]] = []
    out: list[DateRef] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            while s < e and text[s].isspace():
                s += 1
            if any(s < te and ts < e for ts, te in taken):
                continue
            resolved = _resolve(kind, m, published)
            if resolved is None:
                continue
            taken.append((s, e))
            out.append(DateRef(text[s:e], s, e, resolved[0], resolved[1]))
    return sorted(out, key=lambda r: r.start)


def parse_published(value: str | None) -> date | None:
    """The date part of a stored published value ("2021-07-08", "2021-07-08T10:00:00Z")."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# -- sentences ----------------------------------------------------------------------------

_ABBREV = set(
    "jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr st gen gov sen rep "
    "prof lt col sgt no vs u.s u.n u.k e.g i.e a.m p.m".split()
)
_END = re.compile(r"[.!?][\"”’')]*\s+|\n")


_WORD_CHAR = re.compile(r"[\w.]")
_LONGEST_ABBREV = max(len(a) for a in _ABBREV)


def _is_boundary(text: str, m: re.Match[str]) -> bool:
    if m.group(0) == "\n":
        return True
    if text[m.start()] != ".":
        return True
    # the run of word characters and dots that ends at the full stop, read backwards (a
    # search over the text before it would read the whole text at every full stop); only a
    # run short enough to be an abbreviation matters
    start = m.start()
    while start > 0 and m.start() - start <= _LONGEST_ABBREV and _WORD_CHAR.match(text, start - 1):
        start -= 1
    w = text[start : m.start()].lower()
    if not w:
        return True
    return not (w in _ABBREV or (len(w) == 1 and w.isalpha()))


def sentence_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The start and end of the sentence(s) that hold text[lo:hi]."""
    start = 0
    for m in _END.finditer(text, 0, max(lo, 0)):
        if m.end() <= lo and _is_boundary(text, m):
            start = m.end()
    end = len(text)
    for m in _END.finditer(text, max(hi, 0)):
        if _is_boundary(text, m):
            end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
            break
    return start, end


def _span(*pairs: tuple[int | None, int | None]) -> tuple[int, int]:
    starts = [s for s, e in pairs if s is not None and e is not None]
    ends = [e for s, e in pairs if s is not None and e is not None]
    return min(starts), max(ends)


def statement_date(
    text: str,
    content: tuple[int, int],
    published: date | None,
    *,
    cue: tuple[int | None, int | None] = (None, None),
    speaker: tuple[int | None, int | None] = (None, None),
    narrated: bool = False,
) -> dict[str, Any]:
    """When a statement was made: {"date", "granularity", "date_source", "date_text"}.

    `content`, `cue`, `speaker`: character spans in the article `text`. `narrated`: the
    span is the outlet's own narration, so a date inside it counts."""
    lo, hi = _span(content, cue, speaker)
    s, e = sentence_bounds(text, lo, hi)
    refs = resolve_dates(text[s:e], published)
    anchor = cue if cue[0] is not None else speaker if speaker[0] is not None else content
    a0, a1 = anchor[0] or 0, anchor[1] or 0
    best: tuple[int, DateRef] | None = None
    for r in refs:
        rs, re_ = r.start + s, r.end + s
        if not narrated and rs < content[1] and content[0] < re_:
            continue  # inside the quoted content: what is said, not when
        dist = max(a0 - re_, rs - a1, 0)
        if best is None or dist < best[0]:
            best = (dist, r)
    if best is not None:
        r = best[1]
        return {
            "date": r.date.isoformat(),
            "granularity": r.granularity,
            "date_source": "sentence",
            "date_text": r.text,
        }
    if published is not None:
        return {
            "date": published.isoformat(),
            "granularity": DAY,
            "date_source": "published",
            "date_text": None,
        }
    return {"date": None, "granularity": None, "date_source": "unknown", "date_text": None}


# -- the timeline over a store --------------------------------------------------------------


def _item(
    kind: str,
    article: dict[str, Any],
    text: str,
    row: Mapping[str, Any],
    claim_ids: list[str],
) -> dict[str, Any]:
    """One timeline item: a statement (``row`` as stored) or a narrated claim member."""
    published = parse_published(article.get("published"))
    if kind == "statement":
        when = statement_date(
            text,
            (row["start_char"], row["end_char"]),
            published,
            cue=(row.get("cue_start"), row.get("cue_end")),
            speaker=(row.get("speaker_start"), row.get("speaker_end")),
        )
    else:
        when = statement_date(text, (row["start"], row["end"]), published, narrated=True)
    return {
        "kind": kind,
        "article_id": article["id"],
        "outlet": outlet_of(article),
        "statement_id": row["id"] if kind == "statement" else None,
        "member_id": row["member_id"] if kind == "narration" else None,
        "speaker": row.get("speaker") if kind == "statement" else None,
        "claim_ids": claim_ids,
        **when,
    }


def _items(
    store: Store, articles: Sequence[dict[str, Any]] | Selection
) -> Iterator[tuple[dict[str, Any], tuple[str, str, int, str] | None]]:
    """One item per statement and per narrated claim member of the given articles (as
    `Store.articles()` yields them, their texts not read from there; or their `Selection`,
    each under its column), article by article
    in stored order (`Store.dated_records`): the statements in their order, then the narrated
    members, each with its place in `Store.claim_members` order (claim, article, start,
    member id)."""
    by_id = {} if isinstance(articles, Selection) else {a["id"]: a for a in articles}
    for pos, (art, statements, members) in enumerate(store.dated_records()):
        if isinstance(articles, Selection):
            column = articles.at(pos, art["id"])
            a = None if column is None else {**art, "outlet": column}
        else:
            a = by_id.get(art["id"])
        if a is None:
            continue
        claims_of: dict[str, list[str]] = defaultdict(list)
        narrated = []
        for m in members:
            if m.get("statement_id"):
                claims_of[m["statement_id"]].append(m["claim_id"])
            elif m["voice"] == "outlet":
                narrated.append(m)
        text = art["text"]
        for st in statements:
            claims = sorted(set(claims_of.get(st["id"], [])))
            yield _item("statement", a, text, st, claims), None
        for m in narrated:
            key = (m["claim_id"], m["article_id"], int(m["start"]), m["member_id"])
            yield _item("narration", a, text, m, [m["claim_id"]]), key


def week_of(d: date) -> str:
    iso = d.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


class _Counts:
    """The timeline's counts, kept as the items stream by (see `timeline`)."""

    def __init__(self) -> None:
        self.by: dict[str, Counter[tuple[str, str | None, str | None]]] = {
            DAY: Counter(),
            WEEK: Counter(),
        }
        self.dated: Counter[tuple[str, str]] = Counter()
        self.n = self.undated = self.coarse = 0

    def add(self, it: Mapping[str, Any]) -> None:
        self.n += 1
        gran = it["granularity"]
        if it["date"] is None:
            self.undated += 1
        if gran in (MONTH, YEAR):
            self.coarse += 1
        if it["date"] is None or gran not in (DAY, WEEK):
            return
        self.dated[(it["date"], it["outlet"])] += 1
        d = date.fromisoformat(it["date"])
        periods = (
            [(DAY, d.isoformat()), (WEEK, week_of(d))] if gran == DAY else [(WEEK, week_of(d))]
        )
        for period, key in periods:
            for cid in it["claim_ids"] or [None]:
                self.by[period][(key, it["outlet"], cid)] += 1

    def buckets(self, period: str) -> list[dict[str, Any]]:
        return [
            {"period": p, "outlet": o, "claim_id": c, "n": n}
            for (p, o, c), n in sorted(
                self.by[period].items(), key=lambda kv: (kv[0][0], str(kv[0][1]), str(kv[0][2]))
            )
        ]


def bucket(items: Iterable[dict[str, Any]], period: str) -> list[dict[str, Any]]:
    """Counts per (period, outlet, claim): `period` "day" (items dated to the day) or "week"
    (to the day or the week). An item in several claims counts once in each."""
    counts = _Counts()
    for it in items:
        counts.add(it)
    return counts.buckets(period)


def timeline(
    store: Store, articles: Sequence[dict[str, Any]] | Selection, *, limit: int | None = None
) -> dict[str, Any]:
    """{"items": [...], "n_items": int, "by_day": [...], "by_week": [...], "by_date": [...],
    "n_undated": int, "n_coarse": int} over the given articles, read one article at a time.

    ``items``: every statement's item in stored order, then every narrated claim member's in
    claim order; with ``limit``, the first ``limit`` of them (the counts are of all:
    ``n_items``), so that the result does not grow with the corpus. ``by_date``: items dated
    to the day or the week, per date and outlet (the report's chart)."""
    counts = _Counts()
    statements: list[dict[str, Any]] = []
    narrated: list[tuple[tuple[str, str, int, str], dict[str, Any]]] = []
    for it, key in _items(store, articles):
        counts.add(it)
        if key is None:
            if limit is None or len(statements) < limit:
                statements.append(it)
            continue
        if limit is not None and len(statements) >= limit:
            continue  # the statements fill the list: no narrated member is listed
        narrated.append((key, it))
        if limit is not None and len(narrated) > 2 * limit:
            narrated.sort(key=lambda kv: kv[0])
            del narrated[limit:]
    narrated.sort(key=lambda kv: kv[0])
    items = statements + [it for _, it in narrated]
    if limit is not None:
        items = items[:limit]
    return {
        "items": items,
        "n_items": counts.n,
        "by_day": counts.buckets(DAY),
        "by_week": counts.buckets(WEEK),
        "by_date": [{"date": d, "outlet": o, "n": n} for (d, o), n in sorted(counts.dated.items())],
        "n_undated": counts.undated,
        "n_coarse": counts.coarse,
    }
