"""`claimgraph report`: the whole site written to a folder, to open from disk with no network.

Every page of the web UI except search, as static files with relative links, the stylesheet
and script copied next to them; each page carries its Content-Security-Policy in a meta tag.
Reads the store only.

Built to scale to hundreds of thousands of articles in bounded time and memory:

1. claims and their members, one pass (`SiteModel.read_claims`);
2. the articles with their statements, cues and terms, one ordered pass: each article page is
   rendered as its records stream by, and each statement's row of its speaker's page is
   spilled to a temporary file, one of SPILL_BUCKETS by speaker;
3. claim pages, from a second pass over the members (one claim in memory at a time);
4. speaker pages, one spill file at a time;
5. the overview, the outlets page, a page per talking point and the lists (PAGE_SIZE rows to
   a page).

Pages can be rendered in worker processes (`workers`), which write their files themselves;
the main process reads the store, keeps the counts and prepares what each page shows."""

from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import zlib
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from ..analyze.matrix import has_claims
from ..errors import UsageError
from ..store import Store
from . import siteviews as sv
from .site import copy_static, render

SPILL_BUCKETS = 64
BATCH = 200  # articles per task of a worker process
# the report's own files in a folder it wrote before (removed before it is written again)
OWN_DIRS = ("article", "speaker", "claim", "talking-point", "static")
OWN_PAGES = ("index", "outlets", "claims", "speakers", "articles")


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
    with open(path, "w", encoding="utf-8") as f:
        f.write(html)


def _prepare_out(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; give a folder for the report")
    if out.is_dir() and any(out.iterdir()):
        if not (out / "index.html").exists():
            raise UsageError(
                f"--out {out} is a folder with other files in it; give an empty or new folder"
            )
        _remove_previous(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for sub in ("article", "speaker", "claim", "talking-point"):
            (out / sub).mkdir(exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create report folder {out}: {exc.strerror}") from exc
    return out


def _remove_previous(out: Path) -> None:
    """Remove the pages of the report written there before (and nothing else): pages of a
    list that has since become shorter must not linger."""
    for sub in OWN_DIRS:
        if (out / sub).is_dir() and not (out / sub).is_symlink():
            shutil.rmtree(out / sub)
    for page in out.glob("*.html"):
        stem = page.name.split(".", 1)[0]
        if stem in OWN_PAGES and page.is_file():
            page.unlink()


class _SpeakerSpill:
    """Statement rows of the speaker pages, spilled by speaker into SPILL_BUCKETS files, so
    that a speaker's rows can be read back together without holding every statement."""

    FIELDS = (
        "actor",  # the speaker's page (claimgraph.link.actors)
        "article_id",
        "idx",
        "id",
        "kind",
        "text",
        "cue",
        "cue_class",
        "cue_lead",  # tells a negated cue (claimgraph.extract.verbs.negated_lead)
        "outlet",
        "claim_refs",
    )

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files: dict[int, IO[bytes]] = {}

    def add(self, statements: list[dict[str, Any]]) -> None:
        by_bucket: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        for s in statements:
            if s.get("actor"):
                b = zlib.crc32(s["actor"].encode("utf-8")) % SPILL_BUCKETS
                refs = tuple((m["claim_index"], m["stance"]) for m in s.get("claims", ()))
                by_bucket[b].append((*(s.get(k) for k in self.FIELDS[:-1]), refs))
        for b, rows in by_bucket.items():
            f = self.files.get(b)
            if f is None:
                f = self.files[b] = open(self.folder / f"{b}.bin", "wb")  # noqa: SIM115
            pickle.dump(rows, f, protocol=pickle.HIGHEST_PROTOCOL)

    def speakers(self) -> Iterator[tuple[str, list[dict[str, Any]]]]:
        """(speaker, their statement rows by article id and position), bucket by bucket."""
        for f in self.files.values():
            f.close()
        for b in sorted(self.files):
            rows: list[tuple[Any, ...]] = []
            with open(self.folder / f"{b}.bin", "rb") as f:
                while True:
                    try:
                        rows.extend(pickle.load(f))
                    except EOFError:
                        break
            rows.sort(key=lambda r: (r[0], r[1], r[2]))
            for name, group in groupby(rows, key=lambda r: r[0]):
                yield name, [dict(zip(self.FIELDS, r, strict=True)) for r in group]
            (self.folder / f"{b}.bin").unlink()


# -- pages, rendered in this process or in workers -------------------------------------------

_WORKER: dict[str, Any] = {}
PAGE_WEIGHT = 40  # a list page of PAGE_SIZE rows costs about as much as this many articles


def _init_worker(out: str) -> None:
    _WORKER["out"] = Path(out)


def _render(out: Path, job: tuple[Any, ...]) -> None:
    """One page: ("article", art, members, statements, cues, terms) or
    ("page", rel, template, view, depth)."""
    if job[0] == "article":
        _, art, members, sts, cues, terms = job
        view = sv.article_view(sv.ArticleMembers(**members), art, sts, cues, terms)
        _write(out / f"article/{art['key']}.html", render_page("article.html", view, depth=1))
    else:
        _, rel, template, view, depth = job
        _write(out / rel, render_page(template, view, depth=depth))


def _render_jobs(jobs: list[tuple[Any, ...]]) -> int:
    """Render and write a batch of pages (in a worker); each job carries all its page shows."""
    out: Path = _WORKER["out"]
    for job in jobs:
        _render(out, job)
    return len(jobs)


class _Pages:
    """Pages as the passes yield them: rendered and written here, or sent in batches to
    `workers` processes (which write them). Counts the pages."""

    def __init__(self, out: Path, workers: int) -> None:
        self.out = out
        self.n = 0
        self.pool = (
            ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(str(out),))
            if workers > 1
            else None
        )
        self.batch: list[tuple[Any, ...]] = []
        self.weight = 0
        self.pending: list[Future[int]] = []
        self.workers = workers

    def article(
        self,
        model: sv.SiteModel,
        art: dict[str, Any],
        sts: list[dict[str, Any]],
        cues: list[dict[str, Any]],
        terms: list[dict[str, Any]],
    ) -> None:
        members = sv.ArticleMembers.of(model, art["id"]).as_dict()
        self._add(("article", art, members, sts, cues, terms), 1)

    def write(self, rel: str, template: str, view: dict[str, Any] | None, depth: int) -> None:
        if view is not None:
            self._add(("page", rel, template, view, depth), PAGE_WEIGHT)

    def _add(self, job: tuple[Any, ...], weight: int) -> None:
        if self.pool is None:
            _render(self.out, job)
            self.n += 1
            return
        self.batch.append(job)
        self.weight += weight
        if self.weight >= BATCH:
            self._flush()

    def _flush(self) -> None:
        assert self.pool is not None
        if self.batch:
            self.pending.append(self.pool.submit(_render_jobs, self.batch))
            self.batch, self.weight = [], 0
        # bounded memory: never more than two batches queued per worker
        while len(self.pending) > 2 * self.workers:
            self.n += self.pending.pop(0).result()

    def close(self) -> None:
        if self.pool is None:
            return
        try:
            self._flush()
            for f in self.pending:
                self.n += f.result()
            self.pending = []
        finally:
            self.pool.shutdown(cancel_futures=True)


POOL_FROM = 2000  # articles: below this, worker processes cost more than they save


def default_workers(n_articles: int | None = None) -> int:
    """Worker processes for article pages: one per CPU, at most 4 (the main process mostly
    waits on the store); 1 for a small store."""
    if n_articles is not None and n_articles < POOL_FROM:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def build_report(
    store: Store,
    out_dir: str | Path,
    *,
    n_boot: int = 1000,
    compare: bool = True,
    workers: int | None = None,
) -> ReportResult:
    """Write the report for `store` into `out_dir` (created; an existing report there is
    replaced, a folder holding anything else is refused). `compare`: include the outlet
    comparison and the claim network.
    `workers`: processes rendering article pages (1: all in this process; None: by the
    store's size and the CPUs, `default_workers`)."""
    out = _prepare_out(out_dir)
    if workers is None:
        workers = default_workers(store.count("articles"))
    copy_static(out)
    pages = _Pages(out, workers)
    try:
        with tempfile.TemporaryDirectory(prefix="claimgraph-report-") as tmp:
            spill = _SpeakerSpill(Path(tmp))

            def on_article(
                model: sv.SiteModel, art: dict[str, Any], sts: Any, cues: Any, terms: Any
            ) -> None:
                pages.article(model, art, sts, cues, terms)
                spill.add(sts)

            model = sv.SiteModel.build(store, compare=compare, n_boot=n_boot, on_article=on_article)
            _claims(pages, model, store)
            # speakers, one spill file at a time
            for name, rows in spill.speakers():
                key = sv.page_key(name)
                statements = [sv.speaker_statement(model, s) for s in rows]
                for p in range(1, sv.n_pages(len(statements)) + 1):
                    chunk = statements[(p - 1) * sv.PAGE_SIZE : p * sv.PAGE_SIZE]
                    view = sv.speaker_view(model, key, chunk, p)
                    pages.write(sv.page_href(f"speaker/{key}", p), "speaker.html", view, 1)
        pages.write("index.html", "index.html", sv.overview(model), 0)
        pages.write("outlets.html", "outlets.html", sv.outlets_view(model), 0)
        for tp in sv.talking_points(model):
            view = sv.talking_point_view(model, sv.page_key(tp["id"]))
            pages.write(tp["href"], "talking_point.html", view, 1)
        pages.write("claims.html", "claims.html", sv.claims_index(model), 0)
        for base, view_of, n in (
            ("speakers", sv.speakers_index, len(model.speakers)),
            ("articles", sv.articles_index, len(model.articles)),
        ):
            for p in range(1, sv.n_pages(n) + 1):
                pages.write(sv.page_href(base, p), f"{base}.html", view_of(model, p), 0)
    finally:
        pages.close()
    return ReportResult(out, pages.n)


def _claims(pages: _Pages, model: sv.SiteModel, store: Store) -> None:
    """Claim pages from a second pass over the members, one claim in memory at a time."""
    if not has_claims(store):
        return
    done = set()
    members = store.claim_members(context=sv.CONTEXT_CHARS)
    for claim_id, group in groupby(members, key=lambda m: m["claim_id"]):
        if claim_id in model.claim_index:
            _claim_pages(pages, model, model.claims[model.claim_index[claim_id]], list(group))
            done.add(claim_id)
    for claim in model.claims:  # claims without members still get a page
        if claim["claim_id"] not in done:
            _claim_pages(pages, model, claim, [])


def _claim_pages(
    pages: _Pages, model: sv.SiteModel, claim: dict[str, Any], members: list[dict[str, Any]]
) -> None:
    cp = sv.ClaimPages(model, claim, members)
    for p in range(1, cp.pages + 1):
        pages.write(sv.page_href(cp.base, p), "claim.html", cp.view(p), 1)
