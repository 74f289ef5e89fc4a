"""Ingest: input paths -> `RawArticle`s with metadata and its provenance, or `IngestFailure`s.

The pipeline calls, per run: `discover` (paths -> input files), then per input `read_bytes`,
`fingerprint` (skip unchanged inputs) and `parse_input`; `article_id` names each article.
Readers never raise for bad input: a bad file or record becomes an `IngestFailure` whose reason
says what to do. Metadata precedence: sidecar > the input itself (HTML, record, WARC headers)
> what the text says (`metadata.py`); for the outlet name: sidecar > the --outlets map (by the
article's URL) > the input itself > the text > the URL's domain, and a name found any of these
ways picks up the map's details (domain, country, type) when the map lists it by name.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from collections.abc import Iterator, Sequence

from claimgraph.errors import InputError, UsageError
from claimgraph.ingest.base import (
    META_FIELDS,
    IngestFailure,
    IngestOptions,
    Meta,
    RawArticle,
)
from claimgraph.ingest.decode import clean_text, decode, display
from claimgraph.ingest.html import read_html
from claimgraph.ingest.ident import article_id
from claimgraph.ingest.limits import check_text
from claimgraph.ingest.metadata import infer_metadata
from claimgraph.ingest.outlets import (
    OutletInfo,
    OutletMap,
    apply_outlets,
    load_outlets,
    normalize_domain,
)
from claimgraph.ingest.records import read_records
from claimgraph.ingest.sidecar import (
    apply_sidecar,
    is_sidecar,
    load_sidecar,
    read_sidecar_bytes,
)
from claimgraph.ingest.txt import read_txt
from claimgraph.ingest.warc import read_warc

__all__ = [
    "FORMATS",
    "IngestFailure",
    "IngestOptions",
    "Meta",
    "OutletInfo",
    "OutletMap",
    "RawArticle",
    "article_id",
    "clean_text",
    "detect_format",
    "discover",
    "fingerprint",
    "load_outlets",
    "parse_input",
    "read_bytes",
]

FORMATS = ("txt", "html", "jsonl", "json", "csv", "warc")
EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".warc": "warc",
}
_EXT_HINT = ".txt, .html, .htm, .jsonl, .ndjson, .json, .csv, .warc or .warc.gz"
Result = RawArticle | IngestFailure


def detect_format(path: str, forced: str | None = None) -> str | None:
    """The reader for a path: the forced one, else by extension; stdin ('-') is text."""
    if forced:
        if forced.lower() not in FORMATS:
            raise UsageError(f"unknown --format {forced!r}: use one of {', '.join(FORMATS)}")
        return forced.lower()
    if path == "-":
        return "txt"
    name = os.path.basename(path).lower()
    if name.endswith(".warc.gz"):
        return "warc"
    return EXTENSIONS.get(os.path.splitext(name)[1])


def _walk(folder: str) -> Iterator[str]:
    """Files under a folder, in sorted order, skipping hidden files and folders."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)


def discover(paths: Sequence[str], *, forced_fmt: str | None = None) -> list[str]:
    """Input files from command-line paths: folders expanded (sorted, recursive), '-' kept.

    Inside folders, hidden files, sidecars and files of unknown format are skipped silently
    (with ``forced_fmt`` every other file is read in that format). A path given explicitly
    must exist and have a known format (or ``forced_fmt``): else UsageError.
    """
    found: list[str] = []
    seen: set[str] = set()

    def add(path: str) -> None:
        key = path if path == "-" else os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            found.append(path)

    for path in paths:
        if path == "-":
            add(path)
        elif os.path.isdir(path):
            for file in _walk(path):
                if not is_sidecar(file) and detect_format(file, forced_fmt):
                    add(file)
        elif os.path.exists(path):
            if detect_format(path, forced_fmt) is None:
                raise UsageError(f"unknown format for {path}: use {_EXT_HINT}, or pass --format")
            add(path)
        else:
            raise UsageError(f"path not found: {path}; check the path")
    return found


def _too_big(name: str, size: int | None, max_bytes: int) -> InputError:
    size_text = f" {size:,} bytes," if size is not None else ""
    return InputError(
        f"{name} is{size_text} over the {max_bytes:,}-byte limit; pass --max-bytes to raise it"
    )


def read_bytes(path: str, *, max_bytes: int) -> bytes:
    """An input's bytes ('-' is stdin), at most max_bytes. Raises InputError saying why not."""
    if path == "-":
        data = sys.stdin.buffer.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise _too_big("stdin", None, max_bytes)
        return data
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise InputError(
                f"{path} is a directory, not a file; pass the folder to read its files"
            )
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device could block or never end
            raise InputError(
                f"{path} is not a regular file (a pipe, socket or device); save it to a file, "
                "or pipe it to stdin and pass -"
            )
        if info.st_size > max_bytes:
            raise _too_big(path, info.st_size, max_bytes)
        with open(path, "rb") as fh:
            data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path} not found; check the path") from None
    except PermissionError:
        raise InputError(f"cannot read {path}: permission denied; check its permissions") from None
    except OSError as err:
        raise InputError(f"cannot read {path}: {err.strerror or err}") from None
    if len(data) > max_bytes:
        raise _too_big(path, None, max_bytes)
    return data


def fingerprint(path: str, data: bytes) -> str:
    """SHA-256 of the input's bytes and of its sidecar's, so a changed sidecar re-ingests."""
    digest = hashlib.sha256(data)
    sidecar = read_sidecar_bytes(path)
    if sidecar is not None:
        digest.update(b"\x00sidecar\x00")
        digest.update(sidecar)
    return digest.hexdigest()


def _read(path: str, data: bytes, options: IngestOptions, fmt: str) -> list[Result]:
    if fmt == "txt":
        try:
            text = clean_text(decode(data, path, forced=options.encoding))
        except InputError as err:
            return [IngestFailure(path, str(err))]
        return [read_txt(path, text)]
    if fmt == "html":
        return [read_html(path, data, options)]
    if fmt == "warc":
        return read_warc(path, data, options)
    return read_records(path, data, options, fmt)


def _finish(
    article: RawArticle,
    sidecar: dict[str, str | None],
    options: IngestOptions,
    outlets: OutletMap | None,
) -> Result:
    """Limits (length, quote marks, symbol runs: `limits.py`), then metadata: sidecar, text
    inference, domain, outlets map."""
    over = check_text(article.source, article.text, options)
    if over is not None:
        return over
    apply_sidecar(article, sidecar)
    infer_metadata(article)
    url = article.meta.get("url")
    if "outlet" not in article.meta and url and url.value:
        domain = normalize_domain(url.value)
        if domain:
            article.meta["outlet"] = Meta(domain, url.provenance)
    if outlets is not None:
        apply_outlets(article, outlets)
    for name in META_FIELDS:
        article.meta.setdefault(name, Meta())
    return article


def parse_input(
    path: str, data: bytes, options: IngestOptions, *, outlets: OutletMap | None = None
) -> list[Result]:
    """The articles of one input, and a failure for each part that could not be read.

    Never raises for bad input. Sources are the path, or ``path#N`` / a URL for records.
    """
    try:
        fmt = detect_format(path, options.fmt)
        sidecar = load_sidecar(path)
    except (UsageError, InputError) as err:
        return [IngestFailure(path, str(err))]
    if fmt is None:
        return [
            IngestFailure(path, f"unknown format for {path}: use {_EXT_HINT}, or pass --format")
        ]
    if not data:
        return [IngestFailure(path, f"{display(path)} is empty")]
    if not data.strip():
        return [IngestFailure(path, f"{display(path)} contains only whitespace")]
    return [
        _finish(r, sidecar, options, outlets) if isinstance(r, RawArticle) else r
        for r in _read(path, data, options, fmt)
    ]
