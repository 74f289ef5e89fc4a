"""HTML pages: main text and metadata by trafilatura, offline (it is never given a URL to fetch).

Metadata from the page (title, date, author, site name, canonical URL, ``<html lang>``) has
provenance ``given:html``. The date comes from markup and the URL only (htmldate without its
extensive free-text search), so a date quoted in the body is not taken for the publication date.
A site name that is only a domain is left out, so that a name the text gives can be found.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import trafilatura

from claimgraph.errors import InputError
from claimgraph.ingest.base import GIVEN_HTML, IngestFailure, IngestOptions, Meta, RawArticle
from claimgraph.ingest.decode import clean_text, decode, display

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.I
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:\-]{1,40})""")
_HTML_LANG = re.compile(r"""<html\b[^>]{0,500}?\blang\s*=\s*["']?([A-Za-z]{2,3})\b""", re.I)
_META_LANG = re.compile(
    r"""<meta[^>]{0,200}?http-equiv\s*=\s*["']?content-language["']?[^>]{0,100}?"""
    r"""content\s*=\s*["']?([A-Za-z]{2,3})\b""",
    re.I,
)
_SNIFF = 4096
# libxml2 (under lxml, under trafilatura) silently drops elements nested deeper than 255 levels
# and text nodes over 10,000,000 characters: a page past either would come out empty.
PARSER_MAX_DEPTH = 255
FLATTEN_DEPTH = 200  # a page nested deeper is re-read with the tags below this depth removed
PARSER_MAX_TEXT = 10_000_000
_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]{0,40})\b[^<>]{0,2000}?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in its first bytes, if any."""
    head = data[:_SNIFF]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii") if match else None


def declared_language(markup: str) -> str | None:
    head = markup[:_SNIFF]
    match = _HTML_LANG.search(head) or _META_LANG.search(head)
    return match.group(1).lower() if match else None


def _extract(markup: str) -> Any:
    today = dt.date.today().isoformat()
    return trafilatura.bare_extraction(
        markup,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": today,
        },
    )


def flatten(markup: str, keep: int = FLATTEN_DEPTH) -> tuple[str, int]:
    """(markup without the tags nested deeper than `keep`, the deepest nesting seen).

    Nesting is counted from start and end tags alone (void elements and ``<x/>`` do not
    nest), which over-counts sloppy pages with unclosed ``<p>``; so this is only used on a
    page from which nothing could be read. The text between removed tags is kept."""
    out: list[str] = []
    depth = deepest = pos = 0
    for m in _TAG.finditer(markup):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or selfclosing:
            continue
        out.append(markup[pos : m.start()])
        pos = m.end()
        if closing:
            if depth <= keep:
                out.append(m.group())
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
            if depth <= keep:
                out.append(m.group())
    out.append(markup[pos:])
    return "".join(out), deepest


def _longest_text_run(markup: str) -> int:
    """Length of the longest text between two tags."""
    first, *rest = markup.split("<")
    return max([len(first), *(len(part.partition(">")[2]) for part in rest)])


def _why_empty(source: str, markup: str) -> str:
    """Why no text came out of a page: the parser's limits, else not an article."""
    name = display(source)
    run = _longest_text_run(markup)
    if run > PARSER_MAX_TEXT:
        return (
            f"{name} has {run:,} characters without markup, more than the HTML parser reads "
            f"({PARSER_MAX_TEXT:,}); convert it to a .txt file"
        )
    return f"no article text found in {name} (empty or not an article page)"


def _one_line(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(clean_text(value).split()) or None


def _is_domain(name: str) -> bool:
    return " " not in name and "." in name


def read_html(
    source: str,
    data: bytes,
    options: IngestOptions,
    *,
    declared: str | None = None,
    fmt: str = "html",
) -> RawArticle | IngestFailure:
    """One article from an HTML page. `declared` is a charset from outside (an HTTP header)."""
    try:
        markup = decode(
            data, source, forced=options.encoding, declared=declared or declared_charset(data)
        )
    except InputError as err:
        return IngestFailure(source, str(err))
    no_text = f"no article text found in {display(source)} (empty or not an article page)"
    if not markup.strip():
        return IngestFailure(source, no_text)
    try:
        doc = _extract(markup)
        text = clean_text(doc.text or "") if doc is not None else ""
        if not text.strip():  # maybe past the parser's depth limit: re-read it flattened
            flat, deepest = flatten(markup)
            if deepest > PARSER_MAX_DEPTH:
                doc = _extract(flat)
                text = clean_text(doc.text or "") if doc is not None else ""
    except (ValueError, TypeError, LookupError, AttributeError, RecursionError) as err:
        return IngestFailure(source, f"cannot parse the HTML of {display(source)}: {err}")
    if not text.strip():
        return IngestFailure(source, _why_empty(source, markup))
    article = RawArticle(source=source, text=text, fmt=fmt)
    url = (
        doc.url
        if isinstance(doc.url, str) and doc.url.startswith(("http://", "https://"))
        else None
    )
    sitename = _one_line(doc.sitename)
    values = {
        "title": _one_line(doc.title),
        "published": _one_line(doc.date),
        "author": _one_line(doc.author),
        "url": url,
        "outlet": sitename if sitename and not _is_domain(sitename) else None,
        "language": _one_line(doc.language) or declared_language(markup),
    }
    for name, value in values.items():
        if value:
            article.meta[name] = Meta(value, GIVEN_HTML)
    return article
