"""`claimgraph report`: the whole site written to a folder, to open from disk with no network.

Every page of the web UI except search, as static files with relative links, the stylesheet
and script copied next to them; each page carries its Content-Security-Policy in a meta tag.
Reads the store only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from ..store import Store
from . import siteviews as sv
from .site import copy_static, render


@dataclass(frozen=True)
class ReportResult:
    out_dir: Path
    pages: int

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"


def render_page(template: str, view: dict[str, Any], *, depth: int, dynamic: bool = False) -> str:
    """One page; `depth` is how many folders below the site root it lives (0 or 1)."""
    return render(template, v=view, root="../" * depth, dynamic=dynamic)


def _write(path: Path, html: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


def _prepare_out(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder for the report")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").exists():
        raise UsageError(
            f"--out {out} is a folder with other files in it; give an empty or new folder"
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create report folder {out}: {exc.strerror}") from exc
    return out


def build_report(
    store: Store, out_dir: str | Path, *, n_boot: int = 1000, data: sv.SiteData | None = None
) -> ReportResult:
    """Write the report for `store` into `out_dir` (created; an existing report there is
    overwritten, a folder holding anything else is refused)."""
    out = _prepare_out(out_dir)
    data = data or sv.SiteData.load(store, n_boot=n_boot)
    copy_static(out)
    pages: list[tuple[str, str, Callable[[], dict[str, Any] | None], int]] = [
        ("index.html", "index.html", lambda: sv.overview(data), 0),
        ("outlets.html", "outlets.html", lambda: sv.outlets_view(data), 0),
        ("claims.html", "claims.html", lambda: sv.claims_index(data), 0),
        ("speakers.html", "speakers.html", lambda: sv.speakers_index(data), 0),
        ("articles.html", "articles.html", lambda: sv.articles_index(data), 0),
    ]
    for key in data.article_by_key:
        pages.append((f"article/{key}.html", "article.html", _bind(sv.article_view, data, key), 1))
    for key in data.speaker_by_key:
        pages.append((f"speaker/{key}.html", "speaker.html", _bind(sv.speaker_view, data, key), 1))
    for key in data.claim_by_key:
        pages.append((f"claim/{key}.html", "claim.html", _bind(sv.claim_view, data, key), 1))
    for rel, template, view, depth in pages:
        v = view()
        if v is not None:
            _write(out / rel, render_page(template, v, depth=depth))
    return ReportResult(out, len(pages))


def _bind(
    fn: Callable[[sv.SiteData, str], dict[str, Any] | None], data: sv.SiteData, key: str
) -> Callable[[], dict[str, Any] | None]:
    return lambda: fn(data, key)
