"""Record files: JSONL (one object a line), JSON (a list of objects, one object, or an object
holding one list of objects, as in ``{"stories": [...]}``) and CSV (with a header).

Field names come from `IngestOptions` (defaults: a Media Cloud story export). Each record is one
article with source ``path#N``, N the 1-based line (JSONL) or record (JSON, CSV) number. A bad
record fails alone; the others still come out.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from claimgraph.errors import InputError
from claimgraph.ingest.base import GIVEN_RECORD, IngestFailure, IngestOptions, Meta, RawArticle
from claimgraph.ingest.decode import clean_text, decode, display
from claimgraph.ingest.metadata import normalize_date

Result = RawArticle | IngestFailure
# Known extra fields read when present, beyond those named by the options.
EXTRA_FIELDS = {"language": "language", "author": "author"}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def _field_map(options: IngestOptions) -> dict[str, str]:
    """Metadata name -> record field name."""
    return {
        "title": options.title_field,
        "url": options.url_field,
        "outlet": options.outlet_field,
        "published": options.date_field,
        **EXTRA_FIELDS,
    }


def _scalar(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        return " ".join(clean_text(str(value)).split()) or None
    return None


def record_article(
    source: str, n: int, record: Mapping[str, Any], options: IngestOptions, fmt: str
) -> Result:
    """One article from one record (a dict of field -> value)."""
    field = options.text_field
    if field not in record or record[field] is None:
        return IngestFailure(source, f'record {n} has no "{field}" field; pass --text-field')
    raw = record[field]
    if not isinstance(raw, str):
        return IngestFailure(
            source, f'record {n}: "{field}" is {type(raw).__name__}, not text; pass --text-field'
        )
    text = clean_text(raw)
    if not text.strip():
        return IngestFailure(source, f'record {n} has an empty "{field}" field')
    article = RawArticle(source=source, text=text, fmt=fmt)
    for name, key in _field_map(options).items():
        value = _scalar(record.get(key))
        if value is not None:
            if name == "published":
                value = normalize_date(value)
            article.meta[name] = Meta(value, GIVEN_RECORD)
    return article


def read_jsonl(path: str, text: str, options: IngestOptions) -> list[Result]:
    results: list[Result] = []
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{path}#{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            results.append(
                IngestFailure(source, f"line {n}: invalid JSON: {err.msg} (column {err.colno})")
            )
            continue
        if not isinstance(record, dict):
            results.append(
                IngestFailure(source, f"line {n}: expected a JSON object, got {_kind(record)}")
            )
            continue
        results.append(record_article(source, n, record, options, "jsonl"))
    if not results:
        return [IngestFailure(path, f"{display(path)} has no records")]
    return results


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    return names.get(type(value), "a number" if isinstance(value, int | float) else "null")


def _json_records(value: Any, text_field: str) -> list[Any] | None:
    """The records of a JSON document, None if it has none we can recognize."""
    if isinstance(value, list):
        return value
    if not isinstance(value, dict):
        return None
    if text_field in value:
        return [value]
    lists = [
        v for v in value.values() if isinstance(v, list) and any(isinstance(x, dict) for x in v)
    ]
    return lists[0] if len(lists) == 1 else None


def read_json(path: str, text: str, options: IngestOptions) -> list[Result]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        reason = (
            f"{display(path)} is not valid JSON: {err.msg} (line {err.lineno} column {err.colno})"
        )
        return [IngestFailure(path, reason)]
    records = _json_records(value, options.text_field)
    if records is None:
        return [
            IngestFailure(
                path,
                f'{display(path)} holds {_kind(value)} without a "{options.text_field}" field '
                "or a list of records; pass --text-field or give a list of objects",
            )
        ]
    if not records:
        return [IngestFailure(path, f"{display(path)} has no records")]
    results: list[Result] = []
    for n, record in enumerate(records, start=1):
        source = f"{path}#{n}"
        if isinstance(record, dict):
            results.append(record_article(source, n, record, options, "json"))
        else:
            results.append(IngestFailure(source, f"record {n} is {_kind(record)}, not an object"))
    return results


def read_csv(path: str, text: str, options: IngestOptions) -> list[Result]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = reader.fieldnames or []
    except csv.Error as err:
        return [IngestFailure(path, f"{display(path)} is not valid CSV: {err}")]
    if options.text_field not in header:
        columns = ", ".join(h for h in header if h) or "none"
        return [
            IngestFailure(
                path,
                f'{display(path)} has no "{options.text_field}" column (columns: {columns}); '
                "pass --text-field",
            )
        ]
    return _csv_records(path, reader, options)


def _csv_records(path: str, rows: Iterable[dict[str, Any]], options: IngestOptions) -> list[Result]:
    results: list[Result] = []
    iterator = iter(rows)
    n = 0
    while True:
        n += 1
        source = f"{path}#{n}"
        try:
            row = next(iterator)
        except StopIteration:
            break
        except csv.Error as err:
            results.append(IngestFailure(source, f"record {n}: malformed CSV ({err})"))
            break
        results.append(record_article(source, n, row, options, "csv"))
    if not results:
        return [IngestFailure(path, f"{display(path)} has no records")]
    return results


READERS = {"jsonl": read_jsonl, "json": read_json, "csv": read_csv}


def read_records(path: str, data: bytes, options: IngestOptions, fmt: str) -> list[Result]:
    """All records of a JSONL/JSON/CSV file."""
    try:
        text = decode(data, path, forced=options.encoding)
    except InputError as err:
        return [IngestFailure(path, str(err))]
    return READERS[fmt](path, text, options)
