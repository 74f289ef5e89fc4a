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
from .words import plural

FORMAT_CHOICES = ["txt", "html", "jsonl", "json", "csv", "warc"]
ENCODER_CHOICES = ["minilm", "static"]  # claimgraph.claims.encoders.NAMES (not imported: slow)


def _encoder_option(help_text: str) -> Callable[[Any], Any]:
    """``--encoder``: the sentence encoder of the link step (claimgraph.claims.encoders)."""
    return click.option(
        "--encoder",
        type=click.Choice(ENCODER_CHOICES),
        default=None,
        help=help_text,
    )


# ``--workers``: extraction processes (analyze, eval events)
_WORKERS_OPTION = click.option(
    "--workers",
    type=click.IntRange(min=1, max=256),
    default=1,
    show_default=True,
    help="Extraction processes.",
)

_ADDRESS_OPTION = click.option(
    "--address", default=None, help="Ray cluster address (default: start Ray locally)."
)


def _engine_option(help: str) -> Any:
    return click.option(
        "--engine",
        type=click.Choice(["local", "ray"]),
        default="local",
        show_default=True,
        help=help,
    )


LINK_ENCODER_HELP = (
    "Sentence encoder of the link step. static: a table distilled from MiniLM, ~80x cheaper "
    "to encode, same stance accuracy, claim clustering a few B-cubed points weaker (built on "
    "first use, ~25 s, cached in $CLAIMGRAPH_CACHE or ~/.cache/claimgraph). Default: the "
    "encoder the store's claims were made with, else minilm. A store's claims must all come "
    "from one encoder: switch with 'claimgraph link --full --encoder ...'."
)


DB_ENVVAR = "CLAIMGRAPH_DB"


def _db_option(help_text: str = "SQLite file, or postgresql://user@host:port/dbname.") -> Any:
    """``--db``: the store, for every command that reads or writes one; $CLAIMGRAPH_DB sets
    the default, so a session names its store once."""
    return click.option(
        "--db",
        default="claimgraph.db",
        show_default=True,
        envvar=DB_ENVVAR,
        show_envvar=True,
        help=help_text,
    )


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


def _read(db: str, fn: Callable[[Any], Any]) -> Any:
    """``fn(store)`` on the store at ``db`` opened read-only (closed afterwards); a
    claimgraph error becomes `error: ...` and exit 2."""

    def go() -> Any:
        from .store import open_store

        store = open_store(db, readonly=True)
        try:
            return fn(store)
        finally:
            store.close()

    return _run(go)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="claimgraph")
def main() -> None:
    """claimgraph: who says what, which claims stand against which, and how each outlet
    frames the story."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@_db_option()
@click.option("--text-field", default="text", show_default=True, help="Record field with the text.")
@click.option("--title-field", default="title", show_default=True)
@click.option("--url-field", default="url", show_default=True)
@click.option("--outlet-field", default="media_name", show_default=True)
@click.option("--date-field", default="publish_date", show_default=True)
@click.option(
    "--outlets",
    "outlets_csv",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="CSV: domain,name,country,type (- for standard input).",
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
    default=1_000_000,
    show_default=True,
    help="Per-article text limit.",
)
@click.option(
    "--max-quotes",
    type=click.IntRange(min=1),
    default=5_000,
    show_default=True,
    help="Per-article limit on quote marks (bounds extraction time).",
)
@click.option(
    "--file-timeout",
    type=click.FloatRange(min=0),
    default=300.0,
    show_default=True,
    help="Seconds to read one input file before it fails (0: no limit).",
)
@click.option("--batch-size", type=click.IntRange(min=1), default=32, show_default=True)
@_WORKERS_OPTION
@_engine_option(
    "Where extraction and the link step's parsing, embeddings and stance scoring run "
    "(with --workers)."
)
@_ADDRESS_OPTION
@click.option(
    "--propaganda",
    is_flag=True,
    help="Also tag propaganda techniques (SemEval-2020 Task 11 model; low precision, see "
    "docs/benchmarks.md). Applies to the articles analyzed in this run.",
)
@click.option(
    "--lexicon",
    "lexicon_path",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Your own lexicon (TOML: contested terms, loaded labels, hedges; - reads it from "
    "standard input) instead of the shipped one, or added to it when the file sets include_builtin = true; see "
    "src/claimgraph/data/lexicon.toml for the format. Applies to the articles analyzed in "
    "this run.",
)
@click.option(
    "--no-link",
    is_flag=True,
    help="Skip the link step (claims and stance over the new articles); run 'claimgraph link'"
    " later.",
)
@_encoder_option(LINK_ENCODER_HELP)
@click.option(
    "--force",
    is_flag=True,
    help="Read and extract every input again, even unchanged ones, then relink the whole "
    "store (after an upgrade, or with another --lexicon). Without it, unchanged inputs are "
    "skipped and a changed sidecar or --outlets table only corrects the stored metadata.",
)
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
    max_quotes: int,
    file_timeout: float,
    batch_size: int,
    workers: int,
    engine: str,
    address: str | None,
    propaganda: bool,
    lexicon_path: str | None,
    no_link: bool,
    encoder: str | None,
    force: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Read articles from PATHS (files, folders, or - for stdin) and store what they say,
    then link the new articles' statements into claims (unless --no-link).

    Exits 1 if any input failed (each failure is listed with its reason)."""
    from .pipeline import RunSummary, run_analyze
    from .present.progress import progress_bar

    if encoding:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            _fail(f"unknown encoding {encoding!r}; use a name like utf-8, latin-1 or cp1252")
    from .extract.run import ExtractOptions

    lexicon = None
    if lexicon_path:
        from .extract.terms import load_lexicon

        stdin = None
        if lexicon_path == "-":
            if "-" in paths or outlets_csv == "-":
                _fail(
                    "standard input can give one of the articles, the outlets table or the"
                    " lexicon: save the others to a file"
                )
            stdin = sys.stdin.buffer.read()
        lexicon = _run(lambda: load_lexicon(lexicon_path, stdin))
    extract_options = ExtractOptions(propaganda=propaganda, lexicon=lexicon)
    options = IngestOptions(
        text_field=text_field,
        title_field=title_field,
        url_field=url_field,
        outlet_field=outlet_field,
        date_field=date_field,
        encoding=encoding,
        max_bytes=max_bytes,
        max_chars=max_chars,
        max_quotes=max_quotes,
        file_timeout=file_timeout or None,
        fmt=fmt,
    )
    from .scale import gcpolicy

    gcpolicy.relax()

    def go() -> RunSummary:  # the bar is gone before an error is printed
        with progress_bar(enabled=not (quiet or as_json)) as progress:
            return run_analyze(
                paths,
                db=db,
                options=options,
                outlets_csv=outlets_csv,
                batch_size=batch_size,
                workers=workers,
                engine=engine,
                address=address,
                progress=progress,
                extract_options=extract_options,
                link=not no_link,
                encoder=encoder,
                force=force,
            )

    summary: RunSummary = _run(go)
    summary.db = _redact(summary.db)
    if as_json:
        click.echo(json.dumps(summary.to_dict(), ensure_ascii=False))
    else:
        for f in summary.failures:
            click.echo(f"failed: {f.source}: {f.reason}", err=True)
        again = f" ({summary.replaced:,} extracted again)" if summary.replaced else ""
        fixed = f"{summary.updated:,} updated (metadata), " if summary.updated else ""
        click.echo(
            f"{summary.stored:,} stored{again}, {fixed}{summary.unchanged:,} skipped as unchanged, "
            f"{plural(summary.duplicate, 'duplicate')}, {summary.failed:,} failed"
            f" ({summary.seconds:.1f}s) -> {summary.db}"
        )
        if summary.link is not None:
            click.echo(summary.link.line())
        if summary.failed:
            click.echo(
                f"{plural(summary.failed, 'input')} failed; see the lines above or the 'failures' table of {summary.db}",
                err=True,
            )
    sys.exit(1 if summary.failed else 0)


def _waiting() -> None:
    click.echo("waiting for another run's link step on this database to finish", err=True)


@main.command()
@_db_option()
@click.option(
    "--full", is_flag=True, help="Forget every claim and relink all articles from scratch."
)
@_encoder_option(LINK_ENCODER_HELP)
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=256),
    default=1,
    show_default=True,
    help="Processes (or Ray actors) that parse the articles, embed the units and score stance.",
)
@_engine_option(
    "Where the workers run: local processes or Ray actors (with --workers). Clustering "
    "and writing stay in this process."
)
@_ADDRESS_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the link summary as JSON.")
def link(
    db: str,
    full: bool,
    encoder: str | None,
    workers: int,
    engine: str,
    address: str | None,
    as_json: bool,
) -> None:
    """Cluster the statements and the outlets' own assertions of the articles not linked yet
    into claims, with each member's stance (affirm, deny, report). Already linked articles
    keep their claims; a re-run with nothing new does nothing. `analyze` runs this step at
    its end unless --no-link. With --workers or --engine ray, the articles are parsed, the
    units embedded and the stances scored on the workers: the same claims."""
    from pathlib import Path

    from .pipeline import run_link
    from .store import is_postgres_url

    if not is_postgres_url(db) and not Path(db).is_file():
        _fail(f"database not found: {db}; run 'claimgraph analyze' first")

    from .scale import gcpolicy

    gcpolicy.relax()

    def go() -> Any:
        return run_link(
            db,
            full=full,
            encoder=encoder,
            workers=workers,
            engine=engine,
            address=address,
            on_wait=_waiting,
        )

    result = _run(go)
    click.echo(json.dumps(result.to_dict()) if as_json else result.line())


@main.command()
@click.argument(
    "what",
    type=click.Choice(
        ["articles", "statements", "cues", "terms", "claims", "topics"]
        + ["profiles", "matrix", "variants", "wire", "timeline", "talking_points", "graph"]
    ),
)
@_db_option()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "parquet", "gexf"]),
    default="jsonl",
    show_default=True,
    help="gexf is for the graph only.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default=None,
    help="Output file; - or none: standard output.",
)
def export(what: str, db: str, fmt: str, out: str | None) -> None:
    """Export stored records (one per line/row) as JSONL, CSV or Parquet; the analysis tables
    of `claimgraph compare` (profiles, matrix, variants, wire, timeline) as flat rows; or the
    actor-claim-outlet network (graph) as GEXF 1.3 for Gephi. Claims are one JSONL record per
    claim with its members nested; CSV and Parquet flatten them to one row per member. Topics
    (claims grouped by issue) are one record per topic with its claims' ids."""
    from .present.export import export as do_export

    if out == "-":
        out = None
    n = _read(db, lambda store: do_export(store, what, fmt, out))
    if out:
        noun = "nodes and edges" if what == "graph" else what
        click.echo(f"{plural(n, noun.removesuffix('s'), noun)} -> {out}", err=True)


@main.command()
@_db_option()
@click.option(
    "--outlets",
    default=None,
    help="Comma-separated outlet names to compare (default: all); an article without a named"
    " outlet goes by its own label ('unnamed source: FILE-OR-SITE').",
)
@click.option("--json", "as_json", is_flag=True, help="Print the comparison as JSON.")
@click.option(
    "--count-wire-copies", is_flag=True, help="Count wire copies in the outlets that ran them."
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Processes that compute the comparison's parts side by side (wire copies and quote"
    " variants, then profiles, talking points, and the matrix with the timeline); the same"
    " result with any number.",
)
def compare(
    db: str, outlets: str | None, as_json: bool, count_wire_copies: bool, workers: int
) -> None:
    """Compare outlets: voices, verbs, framing, terms, claims (matrix and blindspots), quote
    variants, wire copies and the timeline, as tables or JSON."""
    from .analyze.compare import compare as do_compare

    names = None
    if outlets is not None:
        names = [o.strip() for o in outlets.split(",") if o.strip()]
        if not names:
            _fail("--outlets is empty; pass names separated by commas")

    result = _read(
        db,
        lambda store: do_compare(
            store, outlets=names, count_wire_copies=count_wire_copies, workers=workers
        ),
    )
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    from rich.console import Console

    from .present.compare_view import render

    render(result, Console())


@main.command()
@_db_option()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="claimgraph-summary.html",
    show_default=True,
    help="HTML file; -: standard output.",
)
def summary(db: str, out: str) -> None:
    """Write a one-page HTML summary of the store."""
    if out == "-":
        from .present.summary import build_summary

        click.echo(_read(db, build_summary), nl=False)
        return
    from .present.summary import write_summary

    path = _read(db, lambda store: write_summary(store, out))
    click.echo(f"summary -> {path}")


@main.command()
@click.argument("query")
@_db_option()
@click.option(
    "--in",
    "kind",
    type=click.Choice(["articles", "statements"]),
    default="articles",
    show_default=True,
    help="Search whole articles, or statements (with their speakers).",
)
@click.option("--limit", type=click.IntRange(min=1, max=1000), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the hits as a JSON list.")
def search(query: str, db: str, kind: str, limit: int, as_json: bool) -> None:
    """Search the stored articles (or statements) the way Media Cloud reads a query: words
    are all required; OR, NOT (or -word), "exact phrases", prefix* and the filters
    outlet:NAME and speaker:NAME ("outlet:(A OR B)" for either), with parentheses.
    Spelling variants (Uyghur, Uighur) and plurals are found too. The same search as the
    web UI's and the API's /api/search.

    \b
    Examples:
      claimgraph search 'Hussain OR Anayat'
      claimgraph search '"training centers" NOT genocide'
      claimgraph search 'genoc* outlet:"Press TV"' --in statements"""
    from .store import SearchQuery

    q = _run(lambda: SearchQuery(q=query, kind=kind, limit=limit))
    result = _read(db, lambda store: store.faceted_search(q))
    hits = result["hits"]
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False))
    else:
        for h in hits:
            # an unnamed source's label repeats the file name the hit is already called by
            outlet = None if h["outlet"] == f"unnamed source: {h['label']}" else h["outlet"]
            where = ", ".join(x for x in (outlet, h["published"]) if x)
            who = f"{h['speaker']}: " if h["speaker"] else ""
            click.echo(f"{h['label']}" + (f"  ({where})" if where else ""))
            click.echo(f"    {who}{h['snippet']}")
        if hits:
            more = "" if result["total_exact"] else " or more"
            shown = f"; the first {len(hits)} shown" if result["total"] > len(hits) else ""
            verb = "matches" if result["total"] == 1 and not more else "match"
            click.echo(f"{plural(result['total'], kind[:-1], kind)}{more} {verb}{shown}", err=True)
    if not hits:
        click.echo(f"no {kind} match {result['searched'] or repr(query)}", err=True)
        if result["suggestion"]:
            click.echo(f"try a looser query: claimgraph search '{result['suggestion']}'", err=True)


@main.command()
@_db_option()
@click.option(
    "--out",
    type=click.Path(file_okay=False),
    default="claimgraph-report",
    show_default=True,
    help="Folder for the report (created; a previous report there is replaced).",
)
def report(db: str, out: str) -> None:
    """Write a static HTML report (opens from disk, no network): overview, outlets compared,
    claims, speakers and articles with every statement, cue and term highlighted."""
    from .present.report import build_report

    if out == "-":
        _fail("the report is a folder of pages, not one stream: pass --out FOLDER")
    result = _read(db, lambda store: build_report(store, out))
    click.echo(f"report -> {result.index}")


@main.command()
@_db_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True)
def serve(db: str, host: str, port: int) -> None:
    """Serve the report's pages, search and the JSON API (/openapi.json) from the database,
    read-only. Listens on 127.0.0.1 only unless --host says otherwise."""
    from .present.web import check_db
    from .present.web import serve as do_serve

    _run(lambda: check_db(db))
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host}: others on the network can read the database", err=True
        )
    click.echo(f"serving {_redact(db)} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    _run(lambda: do_serve(db, host=host, port=port))


@main.group(name="eval")
def eval_group() -> None:
    """Score claimgraph on public gold data (../shared/evaldata)."""


@eval_group.command(name="polnear")
@click.option("--data", "data_dir", default="../shared/evaldata/polnear", show_default=True)
@click.option("--split", default="dev", show_default=True)
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="Score the first N articles only."
)
@click.option(
    "--agreement",
    is_flag=True,
    help="Score the articles several annotators annotated instead: annotators against one "
    "another (the human ceiling) and claimgraph against each of them.",
)
@click.option(
    "--errors",
    is_flag=True,
    help="Also count the wrong speakers by class (no speaker, a name inside the quote, a "
    "medium or relaying source as speaker, carried from another paragraph, …).",
)
@click.option("--json", "as_json", is_flag=True)
def eval_polnear(
    data_dir: str, split: str, limit: int | None, agreement: bool, errors: bool, as_json: bool
) -> None:
    """Quote attribution on PolNeAR: content spans at overlap 0.3/0.8 and speaker accuracy."""
    from pathlib import Path

    from .eval import polnear

    if not (Path(data_dir) / "data" / split / "text").is_dir():
        _fail(
            f"no PolNeAR split {split!r} under {data_dir}: expected {data_dir}/data/{split}/text/"
        )
    if agreement:
        result = _run(lambda: polnear.agreement(data_dir, split))
        click.echo(json.dumps(result) if as_json else polnear.format_agreement(result))
        return
    metrics = _run(lambda: polnear.evaluate(data_dir, split, limit=limit))
    if as_json:
        click.echo(json.dumps(metrics))
        return
    click.echo(polnear.format_report(metrics))
    if errors:
        click.echo("\n" + polnear.format_errors(metrics))


@eval_group.command(name="ptc")
@click.option("--data", "data_dir", default="../shared/evaldata/ptc", show_default=True)
@click.option("--split", default="train", show_default=True, help="PTC split name (files SPLIT-*).")
@click.option(
    "--heldout/--all",
    default=True,
    show_default=True,
    help="Score only the held-out 20%% of the split that training never saw (the only public "
    "split is 'train'; see scripts/train_ptc.py).",
)
@click.option(
    "--default-cues",
    is_flag=True,
    help="Score the cues of the default analyze (loaded language, name-calling) instead of "
    "the opt-in propaganda tagger.",
)
@click.option("--json", "as_json", is_flag=True)
def eval_ptc(data_dir: str, split: str, heldout: bool, default_cues: bool, as_json: bool) -> None:
    """Propaganda techniques on PTC (SemEval-2020 Task 11): span identification (partial-overlap
    P/R/F1) and technique classification (micro-F1, per technique)."""
    from .eval.ptc import evaluate, evaluate_default, format_default_report, format_report
    from .extract.propaganda import heldout_ids

    ids = heldout_ids() if heldout else None
    if default_cues:
        result = _run(lambda: evaluate_default(data_dir, split, ids=ids))
        result["heldout"] = heldout
        click.echo(json.dumps(result) if as_json else format_default_report(result))
        return
    result = _run(lambda: evaluate(data_dir, split, ids=ids))
    result["heldout"] = heldout
    click.echo(json.dumps(result) if as_json else format_report(result))


@eval_group.command(name="emergent")
@click.option("--data", "data_dir", default="../shared/evaldata/emergent", show_default=True)
@click.option(
    "--split",
    type=click.Choice(["test", "train"]),
    default="test",
    show_default=True,
    help="The paper's split (split.DERIVED.csv); the shipped model was trained on train.",
)
@_encoder_option(
    "Sentence encoder, with the stance model shipped for it (see 'analyze'); default minilm."
)
@click.option("--json", "as_json", is_flag=True)
def eval_emergent(data_dir: str, split: str, encoder: str | None, as_json: bool) -> None:
    """Claim stance on Emergent (Ferreira & Vlachos 2016): accuracy and per-class F1 of
    affirm / deny / report (for / against / observing) on headlines toward their claim."""
    from .eval.emergent import evaluate, format_report

    result = _run(lambda: evaluate(data_dir, split=split, encoder=encoder))
    click.echo(json.dumps(result) if as_json else format_report(result))


@eval_group.command(name="claims")
@click.option("--data", "data_dir", default="../shared/evaldata/emergent", show_default=True)
@click.option(
    "--split",
    type=click.Choice(["test", "train", "all"]),
    default="test",
    show_default=True,
    help="The paper's split of Emergent's claims (split.DERIVED.csv).",
)
@click.option(
    "--threshold",
    "thresholds",
    type=click.FloatRange(0.0, 1.0),
    multiple=True,
    help="Similarity threshold to score (repeat for several); default: the link step's for "
    "the encoder.",
)
@_encoder_option("Sentence encoder, with its threshold (see 'analyze'); default minilm.")
@click.option(
    "--batches",
    type=click.IntRange(1, 1000),
    default=1,
    show_default=True,
    help="Link the headlines in this many batches, each into the claims of the ones before "
    "(as a store grows with 'claimgraph link'), instead of all at once.",
)
@click.option("--json", "as_json", is_flag=True)
def eval_claims(
    data_dir: str,
    split: str,
    thresholds: tuple[float, ...],
    encoder: str | None,
    batches: int,
    as_json: bool,
) -> None:
    """Claim clustering on Emergent: the link step clusters each split's article headlines and
    the clusters are scored against Emergent's claims (B-cubed and pairwise P/R/F1)."""
    from .eval.clusters import evaluate, format_report

    result = _run(
        lambda: evaluate(
            data_dir, split, thresholds=thresholds or None, encoder=encoder, batches=batches
        )
    )
    click.echo(json.dumps(result) if as_json else format_report(result))


@eval_group.command(name="events")
@click.option("--data", "data_dir", default="../shared/evaldata/fnc1", show_default=True)
@click.option(
    "--events",
    type=click.IntRange(min=1),
    default=None,
    help="Analyze the bodies of N events drawn with --seed (default: all 191, ~9 minutes on "
    "2 CPUs; 40 events ~1.5 minutes).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    help="Stop at N bodies (events in the drawn order, the last one cut).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the event draw.")
@click.option(
    "--db",
    default=None,
    help="Keep the store in this new SQLite file (the bodies beside it, DB.bodies.jsonl) "
    "instead of a temporary one.",
)
@_encoder_option("Sentence encoder of the link step (see 'analyze'); default minilm.")
@_WORKERS_OPTION
@click.option(
    "--examples",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="Show this many impure claims (most members outside their main event first).",
)
@click.option("--json", "as_json", is_flag=True)
def eval_events(
    data_dir: str,
    events: int | None,
    limit: int | None,
    seed: int,
    db: str | None,
    encoder: str | None,
    workers: int,
    examples: int,
    as_json: bool,
) -> None:
    """Multi-event precision of the claims on FNC-1 train bodies, grouped into events by the
    related headlines they share: analyze the bodies, then the share of each claim's members
    from its main event (purity) and of events with >= 2 bodies that a claim joins (coverage).
    """
    from .eval.events import evaluate, format_report
    from .scale import gcpolicy

    gcpolicy.relax()
    result = _run(
        lambda: evaluate(
            data_dir,
            events=events,
            limit=limit,
            seed=seed,
            db=db,
            encoder=encoder,
            workers=workers,
            examples=examples,
        )
    )
    click.echo(json.dumps(result, ensure_ascii=False) if as_json else format_report(result))


if __name__ == "__main__":
    main()
