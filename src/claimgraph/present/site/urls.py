"""The site's URLs, relative to its root, shared by the report, the web UI and the API.

Keys are ids that are safe in a file name, else a slug plus a hash of the id; links to the
outside are kept only when they are http(s) URLs."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urlsplit

UNRESOLVED = "(unresolved)"
_SAFE_KEY = re.compile(r"[a-z0-9_-]{1,64}")  # lower case: safe on case-blind disks too


def page_key(key: str) -> str:
    """A file-name-safe key for an id or a name: the id itself when it is safe, else a slug
    and a hash (so two names never share a page)."""
    if _SAFE_KEY.fullmatch(key):
        return key
    slug = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:40]
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}" if slug else digest


def record_anchor(record_id: str) -> str:
    """'<article>:s3' -> 's3': the anchor of a statement, cue or term on its article page."""
    return record_id.rsplit(":", 1)[-1]


def article_href(article_id: str, record_id: str | None = None) -> str:
    """The article page (relative to the site root), at a record when given."""
    href = f"article/{page_key(article_id)}.html"
    return href + f"#{record_anchor(record_id)}" if record_id else href


def speaker_href(name: str) -> str:
    return f"speaker/{page_key(name)}.html"


def claim_href(claim_id: str) -> str:
    return f"claim/{page_key(claim_id)}.html"


def safe_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL, else None: a `javascript:` or `data:` URL
    from article metadata must never become a link."""
    if not url:
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if any(ord(ch) < 33 for ch in url):
        return None
    return url
