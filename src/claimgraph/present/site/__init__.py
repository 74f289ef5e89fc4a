"""Templates, stylesheet and script of the HTML report and the web UI, shipped as package data.

One Jinja environment with autoescape on for every template: article text, titles, outlets and
speaker names are untrusted and reach the page only through `{{ }}`, escaped. No template uses
`|safe` on data. Pages carry a Content-Security-Policy that allows scripts and styles only
from the site itself (no inline script, no inline event handlers, no remote loads)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2

# Scripts and styles from the site only; pictures are inline SVG. `connect-src 'self'` lets the
# search page call the JSON API; `form-action 'self'` keeps forms on the site.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'"
)
# Sent as a header by the web UI, where frame-ancestors is honoured (a meta tag ignores it).
CSP_HEADER = CSP + "; frame-ancestors 'none'"
STATIC_FILES = ("site.css", "app.js")


@cache
def environment() -> jinja2.Environment:
    """The one Jinja environment: autoescape everywhere, undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("claimgraph.present.site", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """Render a page; `context` must hold `root` ("" or "../") and `dynamic` (served or not)."""
    return environment().get_template(template).render(csp=CSP, **context)


def static_bytes(name: str) -> bytes:
    """One shipped asset (site.css, app.js)."""
    if name not in STATIC_FILES:
        raise KeyError(name)
    return files("claimgraph.present.site").joinpath("static", name).read_bytes()


def copy_static(out_dir: Path) -> None:
    """Write the shipped assets under out_dir/static/."""
    dest = out_dir / "static"
    dest.mkdir(parents=True, exist_ok=True)
    for name in STATIC_FILES:
        (dest / name).write_bytes(static_bytes(name))
