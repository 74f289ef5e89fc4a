"""WARC files (``.warc``, ``.warc.gz``): each 2xx ``response`` (or ``resource``) record with an
HTML content type is one article read by the HTML reader; ``text/plain`` ones by the text
reader. Other records (requests, redirects, images, warcinfo) are skipped.

The article's URL is the record's ``WARC-Target-URI`` (``given:warc``), also its source; the
``WARC-Date`` (the capture date) is the published date only when the page gives none. A
truncated or unparsable record is one failure and ends the file; the articles before it stay.
"""

from __future__ import annotations

import contextlib
import io
import zlib
from typing import Any

from warcio.archiveiterator import WARCIterator
from warcio.exceptions import ArchiveLoadFailed

from claimgraph.errors import InputError
from claimgraph.ingest.base import GIVEN_WARC, IngestFailure, IngestOptions, Meta, RawArticle
from claimgraph.ingest.decode import clean_text, decode, display
from claimgraph.ingest.html import read_html
from claimgraph.ingest.metadata import normalize_date
from claimgraph.ingest.txt import read_txt

Result = RawArticle | IngestFailure
HTML_TYPES = ("text/html", "application/xhtml+xml")
# What warcio raises on damaged input (it has no single error type for it).
_WARC_ERRORS = (
    ArchiveLoadFailed,
    ValueError,
    AttributeError,
    IndexError,
    KeyError,
    TypeError,
    EOFError,
    OSError,
    zlib.error,
)
_CHUNK = 1 << 20


class _Broken(Exception):
    """A record whose framing is damaged: nothing after it can be trusted."""


class _NotWarc(_Broken):
    """Data that warcio reads as some other archive format."""


def gzip_break(data: bytes) -> int | None:
    """Offset of the first truncated or corrupt gzip member, or None (also for plain data)."""
    pos = 0
    while pos < len(data) and data[pos : pos + 2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(31)
        chunk = data[pos:]
        try:
            while not inflater.eof:
                out = inflater.decompress(chunk, _CHUNK)
                chunk = inflater.unconsumed_tail
                if not out and not chunk and not inflater.eof:
                    return pos
        except zlib.error:
            return pos
        pos = len(data) - len(inflater.unused_data)
    if pos and pos < len(data) and data[pos:].strip(b"\r\n\x00"):
        return pos
    return None


def _drain(record: Any) -> None:
    """Read a record to its end; raise _Broken if the file ends before it does."""
    stream = record.raw_stream
    while stream.read(_CHUNK):
        pass
    missing = getattr(stream, "limit", 0) or 0
    if missing > 0:
        raise _Broken(f"truncated, {missing:,} bytes missing")


def _content_type(record: Any) -> tuple[str, str | None]:
    """(media type, charset) of the record's payload."""
    headers = record.http_headers if record.rec_type == "response" else record.rec_headers
    value = (headers.get_header("Content-Type") if headers else None) or ""
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'")
    return media.strip().lower(), charset


def _is_article(record: Any) -> bool:
    if record.rec_type == "resource":
        return True
    if record.rec_type != "response" or record.http_headers is None:
        return False
    status = record.http_headers.get_statuscode() or ""
    return status.startswith("2")


def _read_record(record: Any, source: str, options: IngestOptions) -> Result | None:
    """The article of one record, None if it holds none (read to its end either way)."""
    media, charset = _content_type(record) if _is_article(record) else ("", None)
    if media not in (*HTML_TYPES, "text/plain"):
        _drain(record)
        return None
    try:
        payload = record.content_stream().read()
    except _WARC_ERRORS as err:
        _drain(record)
        return IngestFailure(source, f"cannot decode the payload of {source}: {err}")
    _drain(record)
    if media in HTML_TYPES:
        result = read_html(source, payload, options, declared=charset, fmt="warc")
    else:
        try:
            text = clean_text(decode(payload, source, forced=options.encoding, declared=charset))
        except InputError as err:
            return IngestFailure(source, str(err))
        result = read_txt(source, text)
        if isinstance(result, RawArticle):
            result.fmt = "warc"
    if isinstance(result, RawArticle):
        _warc_meta(result, record)
    return result


def _warc_meta(article: RawArticle, record: Any) -> None:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if uri:
        article.meta["url"] = Meta(uri, GIVEN_WARC)
    date = record.rec_headers.get_header("WARC-Date")
    if date and "published" not in article.meta:
        article.meta["published"] = Meta(normalize_date(date), GIVEN_WARC)


def _check_end(iterator: WARCIterator) -> None:
    """Finish the current record; warcio only prints (to stderr) when its Content-Length is
    wrong, so the warning is captured and turned into a failure of this record."""
    errors = iterator.err_count
    with contextlib.redirect_stderr(io.StringIO()):
        iterator.read_to_end()
    if iterator.err_count > errors:
        raise _Broken("its Content-Length does not match its content")


def read_warc(path: str, data: bytes, options: IngestOptions) -> list[Result]:
    """All articles of a WARC file, then at most one failure for a damaged record."""
    broken_at = gzip_break(data)
    results: list[Result] = []
    iterator = WARCIterator(io.BytesIO(data))
    n, current = 0, None
    try:
        for record in iterator:
            n += 1
            uri = record.rec_headers.get_header("WARC-Target-URI")
            current = uri or f"{path}#{n}"
            if record.format != "warc":
                raise _NotWarc(f"found an {record.format.upper()} record")
            # iterator.offset: where this record starts (get_record_offset() would consume it)
            if broken_at is not None and iterator.offset >= broken_at:
                raise _Broken("truncated or corrupt gzip data")
            result = _read_record(record, current, options)
            _check_end(iterator)
            if result is not None:
                results.append(result)
            current = None
    except (_Broken, *_WARC_ERRORS) as err:
        return [*results, _broken(path, n if current else n + 1, current, err)]
    if broken_at is not None:
        return [*results, _broken(path, n + 1, None, "truncated or corrupt gzip data")]
    if not results:
        return [IngestFailure(path, f"{display(path)} has no HTML or text response records")]
    return results


def _broken(path: str, n: int, source: str | None, err: object) -> IngestFailure:
    if n == 1 and isinstance(err, ArchiveLoadFailed | _NotWarc):
        return IngestFailure(path, f"{display(path)} is not a WARC file ({err})")
    return IngestFailure(
        source or f"{path}#{n}",
        f"record {n}: broken WARC record ({err}); the records before it were read",
    )
