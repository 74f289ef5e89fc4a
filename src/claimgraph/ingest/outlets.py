"""The user's outlet table (``--outlets outlets.csv``): domain or name -> outlet details.

The CSV has a header with columns ``domain,name`` and optionally ``country``, ``type`` (one of
state, public, private) and ``labels`` (free text, e.g. ``"state media; CCP"``). Lookups go by the
article URL's host (``www.`` stripped, subdomains fall back to their parent domain) or by the
outlet name (case-insensitive).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from claimgraph.errors import UsageError
from claimgraph.ingest.base import (
    GIVEN_OUTLETS,
    GIVEN_SIDECAR,
    UNNAMED_PREFIX,
    UNNAMED_SOURCE,
    UNNAMED_URL,
    Meta,
    RawArticle,
    source_name,
)

OUTLET_TYPES = ("state", "public", "private")
_COLUMNS = "domain,name[,country][,type][,labels]"


@dataclass(frozen=True)
class OutletInfo:
    name: str
    domain: str | None = None
    country: str | None = None
    type: str | None = None
    labels: str | None = None

    def details(self) -> dict[str, str]:
        """The `RawArticle.outlet_info` entries this outlet gives (only those set)."""
        items = {
            "domain": self.domain,
            "country": self.country,
            "type": self.type,
            "labels": self.labels,
        }
        return {k: v for k, v in items.items() if v}


@dataclass
class OutletMap:
    by_domain: dict[str, OutletInfo] = field(default_factory=dict)
    by_name: dict[str, OutletInfo] = field(default_factory=dict)

    def add(self, info: OutletInfo) -> None:
        if info.domain:
            self.by_domain[info.domain] = info
        self.by_name.setdefault(info.name.casefold(), info)

    def for_url(self, url: str | None) -> OutletInfo | None:
        """The outlet of a URL's host, trying parent domains (news.example.co.uk -> ...)."""
        host = normalize_domain(url) if url else None
        while host:
            if host in self.by_domain:
                return self.by_domain[host]
            _, _, host = host.partition(".")
            if "." not in host:
                return None
        return None

    def for_name(self, name: str | None) -> OutletInfo | None:
        if not name:
            return None
        return self.by_name.get(name.strip().casefold()) or self.by_domain.get(
            normalize_domain(name) or ""
        )


def normalize_domain(value: str) -> str | None:
    """Host of a URL or bare domain, lowercased, port and leading ``www.`` removed."""
    value = value.strip()
    if not value:
        return None
    try:
        host = urlsplit(value if "//" in value else "//" + value).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def unnamed_outlet(source: str, url: str | None) -> Meta:
    """The outlet label of an article no input names the outlet of: "unnamed source:
    cnsnews.com" (its URL's site) or "unnamed source: 004_b7eb.txt" (its file, or record of a
    file). Each such site or file is a row of its own in every view, so articles of
    different unknown outlets are never pooled; the user names them with a sidecar or
    --outlets (docs/input-formats.md)."""
    domain = normalize_domain(url) if url else None
    if domain:
        return Meta(UNNAMED_PREFIX + domain, UNNAMED_URL)
    return Meta(UNNAMED_PREFIX + source_name(source), UNNAMED_SOURCE)


def is_unnamed(provenance: str | None) -> bool:
    """Is an outlet value with this provenance a stand-in label (`unnamed_outlet`)?"""
    return bool(provenance) and str(provenance).startswith("unnamed:")


def load_outlets(csv_path: str, data: bytes | None = None) -> OutletMap:
    """Read the outlets CSV (from ``data`` when given: the bytes of standard input, whose
    path is '-'). Raises UsageError saying what is wrong and where."""
    try:
        if data is not None:
            text = data.decode("utf-8-sig")
        else:
            with open(csv_path, encoding="utf-8-sig", newline="") as fh:
                text = fh.read()
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [h.strip().lower() for h in reader.fieldnames or [] if h]
        rows = list(reader)
    except FileNotFoundError:
        raise UsageError(f"outlets file not found: {csv_path}; check the path") from None
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        raise UsageError(
            f"cannot read outlets file {csv_path}: {err}; it must be a UTF-8 CSV "
            f"with columns {_COLUMNS}"
        ) from None
    missing = [c for c in ("domain", "name") if c not in header]
    if missing:
        raise UsageError(
            f"outlets file {csv_path} has no {missing[0]!r} column; expected columns {_COLUMNS}"
        )
    outlets = OutletMap()
    for line, row in enumerate(rows, start=2):
        outlets.add(_row(csv_path, line, {(k or "").strip().lower(): v for k, v in row.items()}))
    return outlets


def _row(csv_path: str, line: int, row: dict[str, str | None]) -> OutletInfo:
    def cell(key: str) -> str | None:
        value = row.get(key)
        return value.strip() or None if isinstance(value, str) else None

    name, raw_domain = cell("name"), cell("domain")
    if not name:
        raise UsageError(f"outlets file {csv_path} line {line}: empty name; every row needs one")
    domain = normalize_domain(raw_domain) if raw_domain else None
    if raw_domain and not domain:
        raise UsageError(
            f"outlets file {csv_path} line {line}: {raw_domain!r} is not a domain (e.g. presstv.ir)"
        )
    kind = (cell("type") or "").lower() or None
    if kind and kind not in OUTLET_TYPES:
        raise UsageError(
            f"outlets file {csv_path} line {line}: type {kind!r} is not one of "
            f"{', '.join(OUTLET_TYPES)}"
        )
    return OutletInfo(name, domain, cell("country"), kind, cell("labels"))


def apply_outlets(article: RawArticle, outlets: OutletMap) -> None:
    """Name the article's outlet from the map (by URL, else by the name it already has) and
    attach the outlet's details. A sidecar's outlet name is kept; its details win."""
    current = article.meta.get("outlet")
    from_sidecar = current is not None and current.provenance == GIVEN_SIDECAR
    info = None if from_sidecar else outlets.for_url(article.get("url"))
    if info is not None:
        article.meta["outlet"] = Meta(info.name, GIVEN_OUTLETS)
    else:
        info = outlets.for_name(article.get("outlet"))
    if info is not None:
        article.outlet_info = {**info.details(), **article.outlet_info}


def outlet_of(row: Mapping[str, Any]) -> str:
    """The outlet a stored row (an article, or a statement, cue, term use or claim member
    with its article's ``outlet`` and first ``source``) is shown and grouped under: its
    outlet, else the `unnamed_outlet` label. Stores labelled unnamed articles from migration
    10 on; this covers rows read from an older store opened read-only."""
    name = row.get("outlet")
    if name:
        return str(name)
    source = row.get("source") or (row.get("sources") or "").split("; ")[0]
    source = source or row.get("article_id") or row.get("id") or "?"
    return str(unnamed_outlet(str(source), row.get("url")).value)
