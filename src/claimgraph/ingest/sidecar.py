"""Sidecar metadata: ``dir/NAME.meta.json`` or ``dir/NAME.ext.meta.json`` next to an input.

A sidecar is a JSON object whose keys are any of the metadata fields (title, outlet, published,
dateline, agency, language, author, url) plus ``outlet_country`` and ``outlet_type``. Its values
are strings, or null to say "known to be empty" (which stops inference of that field). They win
over every other source. For a JSONL/JSON/CSV/WARC file they apply to each of its articles.
"""

from __future__ import annotations

import json
import os

from claimgraph.errors import InputError
from claimgraph.ingest.base import GIVEN_SIDECAR, META_FIELDS, Meta, RawArticle

SUFFIX = ".meta.json"
OUTLET_KEYS = {"outlet_country": "country", "outlet_type": "type"}
ALLOWED = (*META_FIELDS, *OUTLET_KEYS)


def is_sidecar(path: str) -> bool:
    return path.lower().endswith(SUFFIX)


def sidecar_path(path: str) -> str | None:
    """The sidecar of an input path, if one exists (``NAME.ext.meta.json`` first)."""
    if path == "-" or is_sidecar(path):
        return None
    stem, ext = os.path.splitext(path)
    if ext.lower() == ".gz":  # NAME.warc.gz -> NAME.meta.json
        stem = os.path.splitext(stem)[0]
    for candidate in (path + SUFFIX, stem + SUFFIX):
        if os.path.isfile(candidate):
            return candidate
    return None


def read_sidecar_bytes(path: str) -> bytes | None:
    """The sidecar's bytes (for fingerprints), None if there is none or it cannot be read."""
    found = sidecar_path(path)
    if found is None:
        return None
    try:
        with open(found, "rb") as fh:
            return fh.read()
    except OSError:
        return None


def load_sidecar(path: str) -> dict[str, str | None]:
    """The sidecar's values for an input; {} when it has none. Raises InputError if broken."""
    found = sidecar_path(path)
    if found is None:
        return {}
    try:
        with open(found, "rb") as fh:
            value = json.loads(fh.read().decode("utf-8-sig"))
    except OSError as err:
        raise InputError(f"cannot read sidecar {found}: {err.strerror}; check it") from None
    except UnicodeDecodeError:
        raise InputError(f"sidecar {found} is not UTF-8; convert it to UTF-8") from None
    except json.JSONDecodeError as err:
        raise InputError(
            f"sidecar {found} is not valid JSON ({err.msg} at line {err.lineno} column "
            f"{err.colno}); fix it or remove it"
        ) from None
    if not isinstance(value, dict):
        raise InputError(f"sidecar {found} must be a JSON object, not {type(value).__name__}")
    unknown = sorted(k for k in value if k not in ALLOWED)
    if unknown:
        raise InputError(
            f"sidecar {found} has unknown key {unknown[0]!r}; use any of {', '.join(ALLOWED)}"
        )
    bad = sorted(k for k, v in value.items() if v is not None and not isinstance(v, str))
    if bad:
        raise InputError(f"sidecar {found}: {bad[0]!r} must be a string or null")
    return {k: (v.strip() or None if isinstance(v, str) else None) for k, v in value.items()}


def apply_sidecar(article: RawArticle, values: dict[str, str | None]) -> None:
    """Set the sidecar's values on an article, overriding what the reader found."""
    for key, value in values.items():
        if key in OUTLET_KEYS:
            if value:
                article.outlet_info[OUTLET_KEYS[key]] = value
            else:
                article.outlet_info.pop(OUTLET_KEYS[key], None)
        else:
            article.meta[key] = Meta(value, GIVEN_SIDECAR)
