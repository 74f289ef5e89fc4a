"""`analyze`: ingest -> extract -> store, for a batch of input paths.

One writer: this process applies every record to the store, one article per transaction, so a
run killed at any moment leaves every article either fully stored or absent. Unchanged input
files (same path, same bytes, same sidecar) are skipped before parsing and before the spaCy
pipeline is even loaded.

Metadata can be corrected without re-analysis: an input whose bytes are unchanged but whose
sidecar changed, or that is read with a new or edited --outlets table, is read again and its
stored articles get the new metadata (`Store.update_metadata`); nothing is extracted again.
A run without --outlets leaves what an earlier table gave alone. ``force`` reads every
input again, re-extracts every article and relinks the whole store."""

from __future__ import annotations

import hashlib
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .errors import InputError, UsageError
from .extract.run import EXTRACTOR_VERSION, ExtractOptions
from .ingest import (
    article_id,
    discover,
    fingerprint,
    load_outlets,
    read_bytes,
)
from .ingest.base import IngestFailure, IngestOptions, RawArticle
from .ingest.outlets import OutletMap
from .ingest.sandbox import Parser, make_parser
from .scale import Engine, make_engine
from .scale.engines import Result, Ticket
from .store import Store, open_store

if TYPE_CHECKING:
    from spacy.language import Language

    from .claims.run import LinkSummary
    from .link.parses import ParseSpill

ProgressFn = Callable[[str, int], None]  # (event, n): "files" total, "file" done (read,
# skipped or failed, and every article of it stored), "stored" n,
# "link" (the link step starts), "link-wait" (it waits for another process's link step)


@dataclass
class RunSummary:
    db: str
    run_id: int = 0
    files: int = 0
    stored: int = 0
    updated: int = 0  # stored articles whose metadata a re-read input corrected
    replaced: int = 0  # stored articles extracted again (--force); also counted in stored
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    failures: list[IngestFailure] = field(default_factory=list)
    seconds: float = 0.0
    link: LinkSummary | None = None  # the link step's, unless run with link=False

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "run_id": self.run_id,
            "files": self.files,
            "stored": self.stored,
            "updated": self.updated,
            "replaced": self.replaced,
            "unchanged": self.unchanged,
            "duplicate": self.duplicate,
            "failed": self.failed,
            "failures": [{"source": f.source, "reason": f.reason} for f in self.failures],
            "seconds": round(self.seconds, 3),
            "link": self.link.to_dict() if self.link is not None else None,
        }


@dataclass
class _Pending:
    key: str  # article id
    raw: RawArticle
    path: str
    replace: bool = False  # stored already: extract again and replace (--force)


@dataclass
class _FileState:
    """An input file whose articles are not all stored yet. Recorded as processed only when
    every article is stored and nothing in it failed, so a re-run retries what failed."""

    fingerprint: str
    n_articles: int = 0
    remaining: int = 0
    ok: bool = True


class _Batch:
    """Articles waiting for extraction, and the files whose articles are not all stored yet.

    Batches are pipelined: `flush` hands the gathered articles to the engine and then writes
    the batch handed over before, so with workers (or Ray) the parent reads files and writes
    the store while the workers parse, instead of leaving them idle in between. One batch is
    in flight at most; `drain` writes it. Its articles stay in ``queued`` until written, so a
    copy read meanwhile is still a duplicate, and writes keep the order of the input."""

    def __init__(
        self,
        store: Store,
        summary: RunSummary,
        engine: Engine,
        parses: ParseSpill | None = None,
        *,
        force: bool = False,
        progress: ProgressFn | None = None,
    ):
        self.force = force
        self.progress = progress
        self.store = store
        self.summary = summary
        self.engine = engine
        self.parses = parses  # the stored articles' parses, for the link step
        self.items: list[_Pending] = []
        self.queued: set[str] = set()
        self.deferred_sources: list[tuple[str, str, str]] = []
        self.open_files: dict[str, _FileState] = {}
        self.inflight: tuple[list[_Pending], Ticket] | None = None

    def fail(self, source: str, reason: str) -> None:
        self.summary.failed += 1
        self.summary.failures.append(IngestFailure(source, reason))
        self.store.record_failure(self.summary.run_id, source, reason)

    def add_file(self, path: str, fp: str, items: list[RawArticle | IngestFailure]) -> None:
        state = _FileState(fp)
        self.open_files[path] = state
        for item in items:
            if isinstance(item, IngestFailure):
                self.fail(item.source, item.reason)
                state.ok = False
                continue
            state.n_articles += 1
            key = article_id(item.text)
            if key in self.queued:
                self.deferred_sources.append((key, item.source, item.fmt))
                self.summary.duplicate += 1
            elif self.store.has_article(key) and not self.force:
                if self.store.add_source(key, item.source, item.fmt):
                    self.summary.duplicate += 1
                elif self.store.update_metadata(key, item):  # a sidecar or --outlets changed
                    self.summary.updated += 1
                else:  # this very source was stored before (a file re-read for its failures)
                    self.summary.unchanged += 1
            else:
                replace = self.force and self.store.has_article(key)
                self.items.append(_Pending(key, item, path, replace))
                self.queued.add(key)
                state.remaining += 1

    def flush(self) -> None:
        """Submit the gathered articles, then write the batch submitted before."""
        previous, self.inflight = self.inflight, None
        if self.items:
            self.inflight = (self.items, self.engine.submit([p.raw.text for p in self.items]))
            self.items = []
        if previous is not None:
            self._write(*previous)

    def drain(self) -> None:
        """Write what is in flight and settle the sources of duplicates."""
        self.flush()
        self.flush()
        for key, source, fmt in self.deferred_sources:
            if self.store.has_article(key):
                self.store.add_source(key, source, fmt)
        self.deferred_sources = []
        self._close_finished_files()

    def _write(self, items: list[_Pending], ticket: Ticket) -> None:
        results = ticket()
        self.queued.difference_update(p.key for p in items)
        self._write_results(items, results)
        still = [d for d in self.deferred_sources if d[0] in self.queued]
        for key, source, fmt in self.deferred_sources:
            if key not in self.queued and self.store.has_article(key):
                self.store.add_source(key, source, fmt)
        self.deferred_sources = still
        self._close_finished_files()

    def _write_results(self, items: list[_Pending], results: list[Result]) -> None:
        for p, res in zip(items, results, strict=True):
            if isinstance(res, Exception):
                self.fail(p.raw.source, f"extraction failed: {type(res).__name__}: {res}")
                self.open_files[p.path].ok = False
            else:
                write = self.store.replace_article if p.replace else self.store.write_article
                write(
                    p.key,
                    p.raw,
                    res,
                    n_words=len(p.raw.text.split()),
                    extractor_version=EXTRACTOR_VERSION,
                )
                self.summary.replaced += p.replace
                if self.parses is not None and res.parse is not None:
                    self.parses.put(p.key, res.parse)
                self.summary.stored += 1
            self.open_files[p.path].remaining -= 1

    def _close_finished_files(self) -> None:
        for path, state in list(self.open_files.items()):
            if state.remaining == 0:
                if state.ok and path != "-":
                    self.store.record_file(path, state.fingerprint, state.n_articles)
                del self.open_files[path]
                self.file_done()

    def file_done(self) -> None:
        """One input is finished: the bar counts files whose articles are all stored, so it
        reaches its end when the extraction does, not when the last file was read."""
        if self.progress:
            self.progress("file", 1)


def run_analyze(
    paths: Sequence[str],
    *,
    db: str,
    options: IngestOptions | None = None,
    outlets_csv: str | None = None,
    nlp: Language | None = None,
    batch_size: int = 32,
    workers: int = 1,
    engine: str = "local",
    address: str | None = None,
    progress: ProgressFn | None = None,
    extract_options: ExtractOptions | None = None,
    link: bool = True,
    encoder: str | None = None,
    force: bool = False,
) -> RunSummary:
    """Read `paths`, extract every new article and store it in `db`, and apply corrected
    metadata to the stored ones (a changed sidecar, a new or edited ``outlets_csv``).
    ``force``: read and extract every input again, then relink the whole store. Never
    raises for bad input: failures are recorded in the summary and the store. Raises
    UsageError for user mistakes (missing path, unknown format, bad outlets file, an
    ``encoder`` other than the one the stored claims were made with) before touching the
    store."""
    t0 = time.perf_counter()
    options = options or IngestOptions()
    files = discover(paths, forced_fmt=options.fmt)
    outlets, table = _outlet_table(outlets_csv, paths)
    with ExitStack() as held:  # whatever was opened is closed, whichever step fails
        store = open_store(db)
        held.callback(store.close)
        if link:
            _check_encoder(store, encoder)
        parses = None
        if link:  # the link step reads its units from the parses extraction makes
            from .link.parses import ParseSpill

            extract_options = replace(extract_options or ExtractOptions(), keep_parse=True)
            parses = ParseSpill()
            held.callback(parses.close)
        runner = make_engine(
            engine, workers=workers, nlp=nlp, address=address, options=extract_options
        )
        held.callback(runner.close)
        parser = make_parser(options, outlets)  # with --file-timeout, in a killable child process
        held.callback(parser.close)
        # the run is recorded once everything it needs is up (an engine that cannot start,
        # e.g. a Ray address that does not answer, leaves no unfinished run in the store)
        summary = RunSummary(db=db, files=len(files))
        summary.run_id = store.begin_run({"paths": list(paths), "options": options.__dict__})
        batch = _Batch(store, summary, runner, parses, force=force, progress=progress)
        flush_at = batch_size * runner.workers
        if progress:
            progress("files", len(files))
        try:
            for path in files:
                _ingest_file(path, options, parser, store, batch, summary, table)
                if len(batch.items) >= flush_at:
                    batch.flush()
            batch.drain()
            if link:  # claims and stance over the articles not linked yet (the new ones)
                if progress:
                    progress("link", 0)
                waiting = (lambda: progress("link-wait", 0)) if progress else None
                full = force and summary.replaced > 0  # stale claims: relink everything
                summary.link = _link(store, nlp, encoder, parses, waiting, full=full, engine=runner)
        finally:
            summary.seconds = time.perf_counter() - t0
            store.finish_run(summary.run_id, summary.to_dict())
    return summary


def _check_encoder(store: Store, encoder: str | None) -> None:
    """Refuse, before anything is stored, an ``encoder`` named other than the stored claims'
    (the link step at the end would have to refuse it, with the new articles stored
    unlinked). None: the stored claims' encoder, else the default (`encoders.for_store`)."""
    from .claims import encoders

    try:
        enc = encoders.for_store(store, encoder)
        encoders.check_store(
            store,
            enc,
            fix="analyze with --encoder {other}, or with --no-link and then relink the whole"
            " store with 'claimgraph link --full --encoder {name}'",
        )
    except BaseException:
        store.close()
        raise


def _link(
    store: Store,
    nlp: Language | None,
    encoder: str | None = None,
    parses: ParseSpill | None = None,
    on_wait: Callable[[], None] | None = None,
    *,
    full: bool = False,
    engine: Engine | None = None,
) -> LinkSummary:
    """The link step at the end of `run_analyze` (`link_with`); an error says that the
    articles are stored."""
    from .errors import ClaimgraphError

    try:
        return link_with(store, nlp, encoder, parses, on_wait, full=full, engine=engine)
    except ClaimgraphError as exc:
        raise type(exc)(
            f"{exc} (the articles are stored: link them with 'claimgraph link', or analyze"
            " with --no-link)"
        ) from exc


def link_with(
    store: Store,
    nlp: Language | None = None,
    encoder: str | None = None,
    parses: ParseSpill | None = None,
    on_wait: Callable[[], None] | None = None,
    *,
    full: bool = False,
    engine: Engine | None = None,
) -> LinkSummary:
    """`claimgraph.claims.run.link_store` with the heavy parts on ``engine``'s workers, where
    it has some: the articles without a kept parse are parsed there, the members' stance is
    scored there (`claimgraph.claims.distributed`) and, with MiniLM (the default encoder),
    the units are embedded there in the batches this process would run
    (`claimgraph.embedding.minilm.DistributedEmbedder`). The clustering and the writes stay
    here: the same claims as linking in this process."""
    from .claims import encoders
    from .claims.run import link_store
    from .embedding.minilm import Embedder

    embedder = None
    if engine is not None and isinstance(encoders.for_store(store, encoder).embedder(), Embedder):
        embedder = engine.embedder()
    return link_store(
        store,
        nlp=nlp,
        embedder=embedder,
        encoder=encoder,
        parses=parses.get if parses is not None else None,
        on_wait=on_wait,
        full=full,
        workers=engine.link_workers() if engine is not None else None,
    )


def run_link(
    db: str,
    *,
    full: bool = False,
    encoder: str | None = None,
    workers: int = 1,
    engine: str = "local",
    address: str | None = None,
    on_wait: Callable[[], None] | None = None,
) -> LinkSummary:
    """`claimgraph link`: link the articles of ``db`` not linked yet (all of them, from
    scratch, with ``full``), the heavy parts on ``engine`` (`claimgraph.scale.make_engine`:
    ``workers`` processes, or Ray actors) when it has workers (`link_with`). The engine
    starts only when there is something to link."""
    from .claims import encoders

    with ExitStack() as held:
        store = open_store(db)
        held.callback(store.close)
        runner = None
        if full or next(iter(store.articles_to_link()), None) is not None:
            if not full:  # refused before an engine (Ray: seconds) is started for nothing
                encoders.check_store(store, encoders.for_store(store, encoder))
            runner = make_engine(engine, workers=workers, address=address)
            held.callback(runner.close)
        return link_with(store, None, encoder, None, on_wait, full=full, engine=runner)


def _ingest_file(
    path: str,
    options: IngestOptions,
    parser: Parser,
    store: Store,
    batch: _Batch,
    summary: RunSummary,
    table: str | None = None,
) -> None:
    """Read one input, unless it is unchanged since it was last stored: same bytes, same
    sidecar and, when this run has an --outlets table, the same table (``table``: its
    digest). Its recorded fingerprint is ``CONTENT`` or ``CONTENT+TABLE``."""
    try:
        data = read_bytes(path, max_bytes=options.max_bytes)
    except InputError as exc:
        batch.fail(path, str(exc))
        batch.file_done()
        return
    content = fingerprint(path, data)
    fp = content if table is None else f"{content}+{table}"
    if path != "-" and not batch.force:
        before = store.file_fingerprint(path)
        if before is not None:
            was_content, _, was_table = before.partition("+")
            if was_content == content and table in (None, was_table):
                summary.unchanged += store.file_unchanged(path, before) or 0
                batch.file_done()
                return
    batch.add_file(path, fp, parser.parse(path, data))


def _outlet_table(path: str | None, inputs: Sequence[str]) -> tuple[OutletMap | None, str | None]:
    """The --outlets table ('-': standard input) and a short digest of its bytes."""
    if not path:
        return None, None
    if path == "-":
        if "-" in inputs:
            raise UsageError(
                "standard input can give the articles or the outlets table, not both: "
                "save one of them to a file"
            )
        data = sys.stdin.buffer.read()
    else:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            raise UsageError(f"outlets file not found: {path}; check the path") from None
        except OSError as err:
            raise UsageError(f"cannot read outlets file {path}: {err.strerror}") from None
    return load_outlets(path, data), hashlib.sha256(data).hexdigest()[:16]
