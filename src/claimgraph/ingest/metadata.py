"""Metadata read from the article text itself (provenance ``inferred:text``).

Only fields that no input gave are inferred, and only from patterns that news copy uses for
exactly that purpose; when nothing matches the field stays None. Rules:

- **dateline and agency**: a paragraph among the first lines that opens with a wire dateline,
  ``BEIJING, Feb. 1 (Xinhua) --``, ``Beijing [China], July 8 (ANI):``, ``WASHINGTON (Reuters) -``,
  ``(AP) —``, or an all-caps place and a dash (``KABUL —``); else a trailing ``(ANI)`` credit
  at the very end gives the agency only.
- **published**: a full date with a year on a date line at the top (``date 2021-07-08``,
  ``Published: July 8, 2021``, a line that is only a date). A dateline's ``Feb. 1`` is not one.
- **outlet**: the site named by the text: the caps first item of a breadcrumb (``TIANSHANNET ›
  News``), a self-reference (``Press TV's website``, ``told Press TV``, a ``(Global Times)``
  masthead) whose name looks like a medium's (ends in TV, News, Times, Daily, ...); else the
  agency credited by the dateline.
- **language**: ``en`` when at least 20 words, 90% of them ASCII and 20% of them among a short
  list of English function words (English news runs at 35-50%, other Latin-script languages at
  under 10%); else None. A cheap guard, not a language identifier.
"""

from __future__ import annotations

import datetime as dt
import re

from claimgraph.ingest.base import INFERRED_TEXT, Meta, RawArticle

AGENCIES = {
    "ANI": ("ANI", "Asian News International"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "Reuters": ("Reuters",),
    "AP": ("AP", "Associated Press", "The Associated Press"),
    "AFP": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "PTI": ("PTI", "Press Trust of India"),
    "IANS": ("IANS",),
    "TASS": ("TASS", "ITAR-TASS"),
    "Anadolu": ("Anadolu", "Anadolu Agency", "AA"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap", "Yonhap News Agency"),
    "UPI": ("UPI", "United Press International"),
    "dpa": ("dpa", "DPA"),
    "EFE": ("EFE",),
    "ANSA": ("ANSA",),
    "Bernama": ("Bernama",),
    "CNA": ("CNA",),
    "Sputnik": ("Sputnik",),
    "RIA Novosti": ("RIA Novosti", "RIA"),
}
_ALIAS = {alias.casefold(): name for name, aliases in AGENCIES.items() for alias in aliases}
_AGENCY_ALT = "|".join(
    re.escape(a) for a in sorted({a for v in AGENCIES.values() for a in v}, key=len, reverse=True)
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_WORD = r"[A-Z][A-Za-z.'’\-]*"
_PLACE = rf"(?P<place>{_WORD}(?:\s+{_WORD}){{0,3}})(?:\s*\[(?P<country>[^\]\n]{{2,40}})\])?"
_REGION = rf"(?:\s*,\s*{_WORD}(?:\s+{_WORD})?)?"
_SHORT_DATE = rf"(?:{_MONTH}\s+\d{{1,2}}|\d{{1,2}}\s+{_MONTH})(?:\s*,?\s*\d{{4}})?"
_DATELINE = re.compile(
    rf"(?:{_PLACE}{_REGION}\s*(?:,\s*{_SHORT_DATE}\s*)?)?"
    rf"[(/]\s*(?P<agency>(?i:{_AGENCY_ALT}))(?:\s*/\s*[A-Za-z .]{{1,30}})?\s*[)/]"
    r"\s*(?:--|—|–|-|:)"
)
_CAPS_DATELINE = re.compile(
    rf"(?P<place>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){{0,3}})(?:\s*,\s*{_SHORT_DATE})?"
    r"\s*(?:--|—|–)\s"
)
# "KORVA, March 12 (VNA) --": an agency we don't list, credited in the canonical wire form
# (capitalised place, comma, date, the credit in parentheses, a dash). All parts are required.
_WIRE_DATELINE = re.compile(
    rf"(?P<place>[A-Z][A-Z.'’\-]+(?:\s+[A-Z][A-Z.'’\-]+){{0,3}}),\s*{_SHORT_DATE}\s*"
    r"\((?P<agency>[A-Z][A-Za-z&.\-]*(?:\s+[A-Z][A-Za-z&.\-]*){0,2})\)\s*(?:--|—|–|-)\s"
)
_TRAILING_CREDIT = re.compile(rf"\(\s*(?P<agency>{_AGENCY_ALT})\s*\)\s*$")

_FULL_DATE = (
    r"(?:(?P<iso>\d{4}-\d{2}-\d{2}|\d{4}/\d{2}/\d{2})"
    r"(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    rf"|(?P<mdy_m>{_MONTH})\s+(?P<mdy_d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>\d{{4}})"
    rf"|(?P<dmy_d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<dmy_m>{_MONTH}),?\s+(?P<dmy_y>\d{{4}}))"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_LABEL = (
    r"(?i:date[d]?|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?|"
    r"last\s+updated|publication\s+date)"
)
_LABELLED_DATE = re.compile(rf"\s*{_LABEL}\s*[:\-–—]?\s*{_WEEKDAY}{_FULL_DATE}")
_BARE_DATE = re.compile(rf"\s*{_WEEKDAY}{_FULL_DATE}\s*(?=$|[|·•,\-–—]|\d{{1,2}}:\d{{2}})")
_DATE_PREFIX = re.compile(rf"\s*(?:{_LABEL}\s*[:\-–—]?\s*)?{_WEEKDAY}{_FULL_DATE}\s*[|·•\-–—]?\s*")

_SEPARATOR = re.compile(r"\s(?:/|›|»|\||>)\s")
_MEDIA_SUFFIX = (
    r"(?:TV|News|Times|Post|Daily|Herald|Tribune|Journal|Radio|Network|Agency|Telegraph"
    r"|Gazette|Observer|Online|Today|Channel|Broadcasting|Media|Net|NET|\.com)"
)
_MEDIA = rf"(?:[A-Z](?:[\w&.\-]*[\w&\-])?[ \t]+){{0,3}}(?=[A-Z])[\w&\-]*?{_MEDIA_SUFFIX}\b"
_SELF_SITE = re.compile(
    rf"(?<![\w.])(?P<name>{_MEDIA})[’']s\s+(?:official\s+)?(?:website|web\s+site|site|app)\b"
)
_MASTHEAD = re.compile(rf"(?:^|\n)\s*\((?P<name>{_MEDIA})\)|\((?P<tail>{_MEDIA})\)\s*(?:$|\n)")
_TOLD = re.compile(rf"\btold\s+(?:the\s+)?(?P<name>{_MEDIA})")
_CAPS_SITE = re.compile(r"[A-Z][A-Z0-9&.\-]{2,}(?:\s+[A-Z][A-Z0-9&.\-]+){0,2}")
_GENERIC = {"HOME", "NEWS", "MENU", "WORLD", "INDEX", "MAIN", "TOP", "BACK", "SECTIONS"}
_EN_STOP = frozenset(
    "the a an of to in and or but is are was were be been has have had it its this that these "
    "those on for with as at by from not he she they we you his her their our said will would "
    "which who there than also after".split()
)
_LEADS = frozenset(
    "visit follow read watch see subscribe download check also on at in from".split()
)
_TOP_LINES = 6


def top_lines(text: str, n: int = _TOP_LINES) -> list[str]:
    """The first n non-empty lines."""
    lines = []
    for line in text.split("\n"):
        if line.strip():
            lines.append(line.strip())
            if len(lines) == n:
                break
    return lines


def is_breadcrumb(line: str) -> bool:
    """A navigation trail: two or more spaced separators (/ › » | >)."""
    return len(_SEPARATOR.findall(line)) >= 2


def _iso(match: re.Match[str]) -> str | None:
    g = match.groupdict()
    try:
        if g["iso"]:
            return dt.date.fromisoformat(g["iso"].replace("/", "-")).isoformat()
        month, day, year = (
            (g["mdy_m"], g["mdy_d"], g["mdy_y"])
            if g["mdy_m"]
            else (g["dmy_m"], g["dmy_d"], g["dmy_y"])
        )
        number = _MONTHS[month.rstrip(".").lower()]
        return dt.date(int(year), number, int(day)).isoformat()
    except (ValueError, KeyError):
        return None


def normalize_date(value: str) -> str:
    """A given date as YYYY-MM-DD when it starts with a full date, else as given (stripped)."""
    value = value.strip()
    match = re.match(rf"\s*{_WEEKDAY}{_FULL_DATE}", value)
    return (_iso(match) if match else None) or value


def is_date_line(line: str) -> bool:
    """A line that opens with a full date, labelled ("Published: ...") or alone."""
    return bool(_LABELLED_DATE.match(line) or _BARE_DATE.match(line))


def published_date(text: str) -> str | None:
    """A full date on a date line among the first lines, as YYYY-MM-DD."""
    for line in top_lines(text):
        match = _LABELLED_DATE.match(line) or _BARE_DATE.match(line)
        if match and (iso := _iso(match)):
            return iso
    return None


def _place(raw: str) -> str:
    return raw.title() if raw.isupper() else raw


def dateline(text: str) -> tuple[str | None, str | None]:
    """(place, agency) from a wire dateline in the first lines, or a trailing credit."""
    for line in top_lines(text):
        prefix = _DATE_PREFIX.match(line)
        body = line[prefix.end() :] if prefix else line
        match = _DATELINE.match(body)
        if match:
            place = match.group("place")
            return (_place(place) if place else None), _ALIAS[match.group("agency").casefold()]
        wire = _WIRE_DATELINE.match(body)
        if wire:
            return _place(wire.group("place")), wire.group("agency")
        caps = _CAPS_DATELINE.match(body)
        if caps and caps.group("place").upper() not in _GENERIC:
            return _place(caps.group("place")), None
    credit = _TRAILING_CREDIT.search(text.rstrip()[-200:])
    return None, (_ALIAS[credit.group("agency").casefold()] if credit else None)


def _site_name(raw: str) -> str:
    words = raw.split()
    return " ".join(w if len(w) <= 4 else w.capitalize() for w in words)


def outlet_named(text: str) -> str | None:
    """The outlet the text names as its own, or None (never a guess)."""
    first = top_lines(text, 1)
    if first and is_breadcrumb(first[0]):
        head = _SEPARATOR.split(first[0])[0].strip()
        if _CAPS_SITE.fullmatch(head) and head not in _GENERIC:
            return _site_name(head)
    for pattern in (_SELF_SITE, _MASTHEAD, _TOLD):
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            return _drop_lead((groups.get("name") or groups.get("tail") or "").strip())
    return None


def _drop_lead(name: str) -> str | None:
    """'Visit Press TV' -> 'Press TV': words that open a call to action are not the name."""
    words = name.split()
    while len(words) > 1 and words[0].casefold() in _LEADS:
        words.pop(0)
    return " ".join(words) or None


def language(text: str) -> str | None:
    words = re.findall(r"[^\W\d_]+", text[:20_000].casefold())
    if len(words) < 20:
        return None
    ascii_share = sum(w.isascii() for w in words) / len(words)
    stop_share = sum(w in _EN_STOP for w in words) / len(words)
    return "en" if ascii_share >= 0.9 and stop_share >= 0.2 else None


def _given(article: RawArticle, name: str) -> bool:
    meta = article.meta.get(name)
    return meta is not None and (meta.given or meta.value is not None)


def infer_metadata(article: RawArticle) -> None:
    """Fill the fields no input gave from the text (provenance inferred:text)."""
    text = article.text

    def put(name: str, value: str | None) -> None:
        if value is not None and not _given(article, name):
            article.meta[name] = Meta(value, INFERRED_TEXT)

    place, agency = dateline(text)
    put("dateline", place)
    put("agency", agency)
    put("published", published_date(text))
    put("language", language(text))
    put("outlet", outlet_named(text) or article.get("agency"))
