"""The `claimgraph` command line. Each command validates its options and calls a library
function; user mistakes are one-line errors with a non-zero exit, never a traceback."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .errors import ClaimgraphError
from .ingest.base import IngestOptions

FORMAT_CHOICES = ["txt", "html", "jsonl", "json", "csv", "warc"]


def _redact(db: str) -> str:
    """A database URL as it may be shown: the password replaced by ***."""
    from urllib.parse import urlsplit, urlunsplit

    if "://" not in db:
        return db
    parts = urlsplit(db)
    if parts.password is None:
        return db
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def _fail(message: str, code: int = 2) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _run(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except ClaimgraphError as exc:
        _fail(str(exc))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimgraph")
def main() -> None:
    """claimgraph: who says what, which claims stand against which, and how each outlet
    frames the story."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--db",
    default="claimgraph.db",
    show_default=True,
    help="SQLite file, or postgresql://user@host:port/dbname.",
)
@click.option("--text-field", default="text", show_default=True, help="Record field with the text.")
@click.option("--title-field", default="title", show_default=True)
@click.option("--url-field", default="url", show_default=True)
@click.option("--outlet-field", default="media_name", show_default=True)
@click.option("--date-field", default="publish_date", show_default=True)
@click.option(
    "--outlets",
    "outlets_csv",
    type=click.Path(dir_okay=False),
    help="CSV: domain,name,country,type.",
)
@click.option(
    "--encoding", default=None, help="Force a text encoding (default: declared, then detected)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMAT_CHOICES),
    default=None,
    help="Force an input format.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=20 * 1024 * 1024,
    show_default=True,
    help="Per-file size limit.",
)
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=2_000_000,
    show_default=True,
    help="Per-article text limit.",
)
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=256),
    default=1,
    show_default=True,
    help="Extraction processes.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where extraction runs.",
)
@click.option("--address", default=None, help="Ray cluster address (default: start Ray locally).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
def analyze(
    paths: tuple[str, ...],
    db: str,
    text_field: str,
    title_field: str,
    url_field: str,
    outlet_field: str,
    date_field: str,
    outlets_csv: str | None,
    encoding: str | None,
    fmt: str | None,
    max_bytes: int,
    max_chars: int,
    batch_size: int,
    workers: int,
    engine: str,
    address: str | None,
    quiet: bool,
    as_json: bool,
) -> None:
    """Read articles from PATHS (files, folders, or - for stdin) and store what they say.

    Exits 1 if any input failed (each failure is listed with its reason)."""
    from .pipeline import run_analyze
    from .present.progress import progress_bar

    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            _fail(f"unknown encoding {encoding!r}; use a name like utf-8, latin-1 or cp1252")
    options = IngestOptions(
        text_field=text_field,
        title_field=title_field,
        url_field=url_field,
        outlet_field=outlet_field,
        date_field=date_field,
        encoding=encoding,
        max_bytes=max_bytes,
        max_chars=max_chars,
        fmt=fmt,
    )
    with progress_bar(enabled=not (quiet or as_json)) as progress:
        summary = _run(
            lambda: run_analyze(
                paths,
                db=db,
                options=options,
                outlets_csv=outlets_csv,
                batch_size=batch_size,
                workers=workers,
                engine=engine,
                address=address,
                progress=progress,
            )
        )
    summary.db = _redact(summary.db)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        for f in summary.failures:
            click.echo(f"failed: {f.source}: {f.reason}", err=True)
        click.echo(
            f"{summary.stored} stored, {summary.unchanged} skipped as unchanged, "
            f"{summary.duplicate} duplicates, {summary.failed} failed ({summary.seconds:.1f}s) -> {summary.db}"
        )
        if summary.failed:
            click.echo(
                f"{summary.failed} input(s) failed; see the lines above or the 'failures' table of {summary.db}",
                err=True,
            )
    sys.exit(1 if summary.failed else 0)


@main.command()
@click.argument("what", type=click.Choice(["articles", "statements", "cues", "terms"]))
@click.option("--db", default="claimgraph.db", show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet"]),
    default="jsonl",
    show_default=True,
)
@click.option(
    "--out", type=click.Path(dir_okay=False), default=None, help="Output file (default: stdout)."
)
def export(what: str, db: str, fmt: str, out: str | None) -> None:
    """Export stored records (one per line/row) as JSONL, CSV or Parquet."""
    from .present.export import export as do_export
    from .store import open_store

    def go() -> int:
        store = open_store(db, readonly=True)
        try:
            return do_export(store, what, fmt, out)
        finally:
            store.close()

    n = _run(go)
    if out:
        click.echo(f"{n} {what} -> {out}", err=True)


@main.command()
@click.option("--db", default="claimgraph.db", show_default=True)
@click.option(
    "--out", type=click.Path(dir_okay=False), default="claimgraph-summary.html", show_default=True
)
def summary(db: str, out: str) -> None:
    """Write a one-page HTML summary of the store."""
    from .present.summary import write_summary
    from .store import open_store

    def go() -> Any:
        store = open_store(db, readonly=True)
        try:
            return write_summary(store, out)
        finally:
            store.close()

    path = _run(go)
    click.echo(f"summary -> {path}")


@main.command()
@click.argument("query")
@click.option("--db", default="claimgraph.db", show_default=True)
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def search(query: str, db: str, limit: int, as_json: bool) -> None:
    """Full-text search over stored articles."""
    from .store import open_store

    def go() -> list[dict[str, Any]]:
        store = open_store(db, readonly=True)
        try:
            return store.search_articles(query, limit=limit)
        finally:
            store.close()

    hits = _run(go)
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False))
        return
    for h in hits:
        click.echo(f"{h['article_id']}  {h['title'] or ''}\n    {h['snippet']}")


@main.group(name="eval")
def eval_group() -> None:
    """Score claimgraph on public gold data (../shared/evaldata)."""


@eval_group.command(name="polnear")
@click.option("--data", "data_dir", default="../shared/evaldata/polnear", show_default=True)
@click.option("--split", default="dev", show_default=True)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score the first N articles only."
)
@click.option("--json", "as_json", is_flag=True)
def eval_polnear(data_dir: str, split: str, limit: int | None, as_json: bool) -> None:
    """Quote attribution on PolNeAR: content spans at overlap 0.3/0.8 and speaker accuracy."""
    from pathlib import Path

    from .eval.polnear import evaluate, format_report

    if not (Path(data_dir) / "data" / split / "text").is_dir():
        _fail(
            f"no PolNeAR split {split!r} under {data_dir}: expected {data_dir}/data/{split}/text/"
        )
    metrics = _run(lambda: evaluate(data_dir, split, limit=limit))
    click.echo(json.dumps(metrics) if as_json else format_report(metrics))


if __name__ == "__main__":
    main()
