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
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
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

# What each pattern cannot resolve a date without, in the lowercased text: every word of
# one of its tuples. Most sentences hold no date, and a few substring tests skip the
# patterns they cannot hold. A month must also be capitalised (`_resolve`). Exact for a
# text without the four non-ASCII letters that match an ASCII one case-insensitively
# (İ ı ſ K: i, s, k; İ is also the one letter that lowercases to two): a text with one of
# them is read by every pattern.
_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAY_WORDS = tuple(_WEEKDAYS)
_UNITS = ("day", "week", "month", "year")
_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "month_day": (_MONTH_WORDS,),
    "day_month": (_MONTH_WORDS,),
    "month_year": (_MONTH_WORDS,),
    "ago": (("ago",), _UNITS),
    "rel_weekday": (_WEEKDAY_WORDS,),
    "rel_period": (("week", "month", "year"),),
    "deictic": (("today", "yesterday", "tomorrow", "tonight"),),
    "in_year": (("19", "20"),),
}
_ALL_NEEDS = tuple(sorted({w for needs in _NEEDS.values() for ws in needs for w in ws}))
_ODD_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


def _capital_month(text: str, low: str) -> bool:
    """Whether a month's name starts with a capital in `text` (`low`: it lowercased)."""
    for w in _MONTH_WORDS:
        i = low.find(w)
        while i >= 0:
            if text[i].isupper():
                return True
            i = low.find(w, i + 1)
    return False


@lru_cache(maxsize=4096)
def _patterns_with(words: frozenset[str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The patterns of `_PATTERNS` (in their order) whose `_NEEDS` the words found meet."""
    return tuple(
        (kind, p)
        for kind, p in _PATTERNS
        if all(not words.isdisjoint(needs) for needs in _NEEDS[kind])
    )


def _patterns_for(text: str) -> Sequence[tuple[str, re.Pattern[str]]]:
    """The patterns of `_PATTERNS` (in their order) that may resolve a date in `text`."""
    if _ODD_FOLDS.search(text):
        return _PATTERNS
    low = text.lower()
    present = {w for w in _ALL_NEEDS if w in low}
    if not present:
        return ()
    if not present.isdisjoint(_MONTH_WORDS) and not _capital_month(text, low):
        present.difference_update(_MONTH_WORDS)
    return _patterns_with(frozenset(present))


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


# Letters a case-blind pattern matches for i, s and k ("Tueſday", "tonıght", the Kelvin
# sign): read as those letters, so that the words are looked up as the patterns found them.
_FOLD = str.maketrans({"ſ": "s", "ı": "i", "İ": "i", "\u212a": "k"})


def _resolve(kind: str, m: re.Match[str], published: date | None) -> tuple[date, str] | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    if "month" in g and not g["month"][0].isupper():
        return None  # "they may 2…" is not May; news copy capitalises month names
    g = {k: v.translate(_FOLD) for k, v in g.items()}
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
    return _resolve_with(_patterns_for(text), text, published)


def _resolve_with(
    patterns: Iterable[tuple[str, re.Pattern[str]]], text: str, published: date | None
) -> list[DateRef]:
    """`resolve_dates` by the given patterns (of `_PATTERNS`, in its order)."""
    taken: list[tuple[int, int]] = []
    out: list[DateRef] = []
    for kind, pattern in patterns:
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


class Sentences:
    """Where the sentences of one text end, found once: the `_END` matches of the whole
    text, each told a boundary or not (`_is_boundary`, when first asked), so that the
    sentence of each of many spans of it (`bounds`) costs a bisection, not a scan of the
    text before it."""

    __slots__ = ("_bound", "ends", "matches", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.matches = list(_END.finditer(text))
        self.starts = [m.start() for m in self.matches]
        self.ends = [m.end() for m in self.matches]
        self._bound: list[bool | None] = [None] * len(self.matches)

    def bound(self, i: int) -> bool:
        """Whether match ``i`` ends a sentence."""
        b = self._bound[i]
        if b is None:
            b = self._bound[i] = _is_boundary(self.text, self.matches[i])
        return b

    def bounds(self, lo: int, hi: int) -> tuple[int, int]:
        """The start and end of the sentence(s) that hold text[lo:hi]: the end of the last
        boundary in text[:lo] (a match that runs past ``lo`` is seen there cut short, if
        what is left of it still matches), and the first boundary from ``hi`` on (where a
        match runs across ``hi``, only a line break in its rest)."""
        text, starts, ends, bound = self.text, self.starts, self.ends, self.bound
        lo, hi = max(lo, 0), max(hi, 0)
        start = 0
        i = bisect_left(starts, lo) - 1  # the last match that starts before lo
        if i >= 0 and ends[i] > lo:
            cut = _END.match(text, starts[i], lo) if bound(i) else None
            if cut is not None:
                start, i = cut.end(), -1
            else:
                i -= 1
        while i >= 0:
            if bound(i):
                start = ends[i]
                break
            i -= 1
        k = bisect_left(starts, hi)  # the first match that starts at or after hi
        if k and ends[k - 1] > hi:
            nl = text.find("\n", hi, ends[k - 1])
            if nl >= 0:
                return start, nl
        for j in range(k, len(starts)):
            if bound(j):
                s = starts[j]
                return start, s + 1 if text[s] in ".!?" else s
        return start, len(text)


def sentence_bounds(text: str, lo: int, hi: int) -> tuple[int, int]:
    """The start and end of the sentence(s) that hold text[lo:hi] (`Sentences.bounds`)."""
    return Sentences(text).bounds(lo, hi)


def _span(*pairs: tuple[int | None, int | None]) -> tuple[int, int]:
    starts = [s for s, e in pairs if s is not None and e is not None]
    ends = [e for s, e in pairs if s is not None and e is not None]
    return min(starts), max(ends)


# (date, granularity, date_source, date_text): when a statement was made
When = tuple[str | None, str | None, str, str | None]
_WHEN_KEYS = ("date", "granularity", "date_source", "date_text")
_UNKNOWN: When = (None, None, "unknown", None)


class DatedText:
    """One article's text and published date, dating many spans of it (`when`): its
    sentences found once (`Sentences`), each sentence's date expressions resolved once."""

    __slots__ = ("_refs", "_sentences", "published", "text")

    def __init__(self, text: str, published: date | None) -> None:
        self.text = text
        self.published = published
        self._sentences: Sentences | None = None
        self._refs: dict[tuple[int, int], list[DateRef]] = {}

    def when(
        self,
        content: tuple[int, int],
        *,
        cue: tuple[int | None, int | None] = (None, None),
        speaker: tuple[int | None, int | None] = (None, None),
        narrated: bool = False,
    ) -> When:
        """`statement_date` of a span of this text, as a `When` tuple."""
        lo, hi = _span(content, cue, speaker)
        if self._sentences is None:
            self._sentences = Sentences(self.text)
        s, e = self._sentences.bounds(lo, hi)
        refs = self._refs.get((s, e))
        if refs is None:
            refs = self._refs[(s, e)] = resolve_dates(self.text[s:e], self.published)
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
            return r.date.isoformat(), r.granularity, "sentence", r.text
        if self.published is not None:
            return self.published.isoformat(), DAY, "published", None
        return _UNKNOWN


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
    span is the outlet's own narration, so a date inside it counts. Many spans of one text:
    `DatedText`."""
    when = DatedText(text, published).when(content, cue=cue, speaker=speaker, narrated=narrated)
    return dict(zip(_WHEN_KEYS, when, strict=True))


# -- the timeline over a store --------------------------------------------------------------

# One timeline item before it is listed: (kind, article id, outlet, statement id, member id,
# speaker, claim ids, when); `_item` makes the dict of the few that are listed.
_Row = tuple[str, str, str | None, str | None, str | None, str | None, list[str], When]


def _item(row: _Row) -> dict[str, Any]:
    """One timeline item: a statement or a narrated claim member."""
    kind, article_id, outlet, statement_id, member_id, speaker, claim_ids, when = row
    return {
        "kind": kind,
        "article_id": article_id,
        "outlet": outlet,
        "statement_id": statement_id,
        "member_id": member_id,
        "speaker": speaker,
        "claim_ids": claim_ids,
        **dict(zip(_WHEN_KEYS, when, strict=True)),
    }


def _items(
    store: Store, articles: Sequence[dict[str, Any]] | Selection
) -> Iterator[tuple[_Row, tuple[str, str, int, str] | None]]:
    """One item per statement and per narrated claim member of the given articles (as
    `Store.articles()` yields them, their texts not read from there; or their `Selection`,
    each under its column), article by article in stored order (`Store.dated_records`): the
    statements in their order, then the narrated members, each with its place in
    `Store.claim_members` order (claim, article, start, member id)."""
    selection: Selection | None = None
    by_id: dict[str, dict[str, Any]] = {}
    if isinstance(articles, Selection):
        selection = articles
    else:
        by_id = {a["id"]: a for a in articles}
    for pos, ((aid, text, published), statements, members) in enumerate(store.dated_records()):
        if selection is not None:
            outlet = selection.at(pos, aid)
            if outlet is None:
                continue
        else:
            a = by_id.get(aid)
            if a is None:
                continue
            outlet = outlet_of(a)
            published = a.get("published")
        dated = DatedText(text, parse_published(published))
        claims_of: dict[str, list[str]] = defaultdict(list)
        narrated = []
        for m in members:
            _aid, _mid, claim_id, sid, voice, _start, _end = m
            if sid:
                claims_of[sid].append(claim_id)
            elif voice == "outlet":
                narrated.append(m)
        for _aid, sid, speaker, start, end, cue_start, cue_end, sp_start, sp_end in statements:
            when = dated.when((start, end), cue=(cue_start, cue_end), speaker=(sp_start, sp_end))
            claims = sorted(set(claims_of[sid])) if sid in claims_of else []
            yield ("statement", aid, outlet, sid, None, speaker, claims, when), None
        for _aid, member_id, claim_id, _sid, _voice, start, end in narrated:
            when = dated.when((start, end), narrated=True)
            key = (claim_id, aid, int(start), member_id)
            yield ("narration", aid, outlet, None, member_id, None, [claim_id], when), key


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
        self.dated: Counter[tuple[str, str | None]] = Counter()
        self.n = self.undated = self.coarse = 0
        # each (date, granularity)'s counters and their keys, worked out once
        self._periods: dict[tuple[str, str], list[tuple[Counter[Any], str]]] = {}

    def add(
        self, outlet: str | None, claim_ids: Sequence[str], day: str | None, gran: str | None
    ) -> None:
        """Count one item: its outlet, claims, date and the date's granularity."""
        self.n += 1
        if day is None:
            self.undated += 1
        if gran in (MONTH, YEAR):
            self.coarse += 1
        if day is None or gran not in (DAY, WEEK):
            return
        self.dated[(day, outlet)] += 1
        periods = self._periods.get((day, gran))
        if periods is None:
            d = date.fromisoformat(day)
            week = (self.by[WEEK], week_of(d))
            periods = self._periods[(day, gran)] = (
                [(self.by[DAY], d.isoformat()), week] if gran == DAY else [week]
            )
        for counter, key in periods:
            for cid in claim_ids or (None,):
                counter[(key, outlet, cid)] += 1

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
        counts.add(it["outlet"], it["claim_ids"], it["date"], it["granularity"])
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
    statements: list[_Row] = []
    narrated: list[tuple[tuple[str, str, int, str], _Row]] = []
    for row, key in _items(store, articles):
        counts.add(row[2], row[6], row[7][0], row[7][1])
        if key is None:
            if limit is None or len(statements) < limit:
                statements.append(row)
            continue
        if limit is not None and len(statements) >= limit:
            continue  # the statements fill the list: no narrated member is listed
        narrated.append((key, row))
        if limit is not None and len(narrated) > 2 * limit:
            narrated.sort(key=lambda kv: kv[0])
            del narrated[limit:]
    narrated.sort(key=lambda kv: kv[0])
    items = [_item(r) for r in statements] + [_item(r) for _, r in narrated]
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
