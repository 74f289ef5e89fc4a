"""Plain-text articles. The stored text is the whole cleaned file, title line included.

The title is the first non-empty line only when it looks like a headline (see `looks_like_title`);
a breadcrumb first line (``News / China / Editor's Choice``) is skipped and the next non-empty
line gets the same test. Otherwise the article has no title: no guessing.
"""

from __future__ import annotations

import re

from claimgraph.ingest.base import INFERRED_TEXT, IngestFailure, Meta, RawArticle
from claimgraph.ingest.decode import display
from claimgraph.ingest.metadata import is_breadcrumb, is_date_line

MAX_TITLE_WORDS = 25
MAX_TITLE_CHARS = 200
_CLOSERS = "\"'”’»)]*"
_DATELINE_START = re.compile(
    r"[A-Z][A-Za-z.'\- ]{1,40}(?:\[[^\]]*\])?,\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b|"
    r"[A-Z][A-Za-z.'\- ]{1,40}\s*\(\s*[A-Za-z][\w ./-]{0,30}\)\s*(?:--|—|–|-|:)"
)
_DATE_LINE = re.compile(r"(?i)(?:date[d]?|published|posted|updated)\b\s*[:\-]?\s*\d")
_BYLINE = re.compile(r"(?i)by\s+\S+(?:\s+\S+){0,4}$")


def looks_like_title(line: str) -> bool:
    """A headline: short, not a sentence, not a dateline, a date line or a byline."""
    line = line.strip()
    words = line.split()
    if not 3 <= len(words) <= MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS:
        return False
    if line[0].islower() or not any(c.isalpha() for c in line):
        return False
    end = line.rstrip(_CLOSERS)[-1:]
    if end in ".,;:" or (end and not end.isalnum() and end not in "?!%…"):
        return False
    return not (
        _DATELINE_START.match(line)
        or _DATE_LINE.match(line)
        or is_date_line(line)
        or _BYLINE.match(line)
        or is_breadcrumb(line)
    )


def find_title(text: str) -> str | None:
    """The headline line of a plain-text article, or None."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 2:
        return None
    candidate, rest = lines[0], lines[1:]
    if is_breadcrumb(candidate):
        candidate, rest = lines[1], lines[2:]
    return candidate if rest and looks_like_title(candidate) else None


def read_txt(source: str, text: str) -> RawArticle | IngestFailure:
    """One article from cleaned text."""
    if not text.strip():
        return IngestFailure(source, f"{display(source)} contains only whitespace")
    article = RawArticle(source=source, text=text, fmt="txt")
    title = find_title(text)
    if title:
        article.meta["title"] = Meta(title, INFERRED_TEXT)
    return article
