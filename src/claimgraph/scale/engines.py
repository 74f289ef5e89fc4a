"""Extraction engines. Each turns a list of texts into a list of `Extraction` records (or the
exception that one article raised), in order. Workers only compute; the caller is the single
writer to the store. The engines of workers also run the link step's heavy parts
(`claimgraph.claims.distributed`): parsing articles, embedding units, scoring stance."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ..errors import UsageError
from ..extract.records import Extraction
from ..extract.run import ExtractOptions, extract_doc, load_pipeline
from . import gcpolicy

if TYPE_CHECKING:
    from spacy.language import Language

    from ..claims.distributed import LinkWorkers, StanceJob
    from ..claims.stance import StanceResult

Result = Extraction | Exception
T = TypeVar("T")


# A submitted batch: calling it waits for the batch and returns its results, in order.
Ticket = Callable[[], list[Result]]


class Engine(Protocol):
    workers: int

    def extract(self, texts: Sequence[str]) -> list[Result]: ...

    def submit(self, texts: Sequence[str]) -> Ticket:
        """Start extracting ``texts`` and return at once where the engine computes elsewhere
        (workers, Ray actors), so the caller can read and write while they work."""
        ...

    def embedder(self) -> Any:
        """A MiniLM embedder whose batches run on the engine's workers (the link step's
        embeddings, `claimgraph.embedding.minilm.DistributedEmbedder`), or None where they
        run in this process."""
        ...

    def link_workers(self) -> LinkWorkers | None:
        """The engine's workers as the link step's parsers and stance scorers
        (`claimgraph.claims.distributed`), or None where those run in this process."""
        ...

    def close(self) -> None: ...


def parts(items: Sequence[T], n: int) -> list[list[T]]:
    """``items`` in at most ``n`` contiguous parts of near-equal size, in order."""
    size = max(1, -(-len(items) // max(1, n)))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def chunked(texts: Sequence[str], workers: int) -> list[list[str]]:
    """``texts`` in about two chunks per worker: a worker that draws short articles takes the
    next chunk instead of waiting for the one that drew long ones."""
    size = max(1, -(-len(texts) // (2 * workers)))
    return [list(texts[i : i + size]) for i in range(0, len(texts), size)]


def _done(results: list[Result]) -> Ticket:
    return lambda: results


def extract_batch(
    nlp: Language,
    texts: Sequence[str],
    batch_size: int = 16,
    *,
    options: ExtractOptions | None = None,
) -> list[Result]:
    """Parse and extract a batch; an article that raises becomes its own failure."""
    try:
        return [_safe(doc, options) for doc in nlp.pipe(texts, batch_size=batch_size)]
    except Exception:  # one text broke the batch: redo one by one to isolate it
        out: list[Result] = []
        for text in texts:
            try:
                out.append(extract_doc(nlp(text), options))
            except Exception as exc:  # recorded by the caller as this article's failure
                out.append(exc)
        return out


def _safe(doc: object, options: ExtractOptions | None = None) -> Result:
    try:
        return extract_doc(doc, options=options)  # type: ignore[arg-type]
    except Exception as exc:  # recorded by the caller as this article's failure
        return exc


class InlineEngine:
    """Extraction in this process; the spaCy pipeline is loaded on first use."""

    workers = 1

    def __init__(
        self, nlp: Language | None = None, *, options: ExtractOptions | None = None
    ) -> None:
        self._nlp = nlp
        self.options = options

    def extract(self, texts: Sequence[str]) -> list[Result]:
        if self._nlp is None:
            self._nlp = load_pipeline()
        return extract_batch(self._nlp, texts, options=self.options)

    def submit(self, texts: Sequence[str]) -> Ticket:
        return _done(self.extract(texts))  # one process: nothing to overlap

    def embedder(self) -> Any:
        return None  # one process: the link step embeds here

    def link_workers(self) -> LinkWorkers | None:
        return None  # one process: the link step parses and scores here

    def close(self) -> None:
        pass


_WORKER_NLP: Language | None = None


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, so that workers of a killed
    `analyze` (SIGKILL, OOM killer) do not linger holding a spaCy pipeline each. A no-op
    where prctl is not available."""
    import ctypes
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return


def _init_worker() -> None:
    global _WORKER_NLP
    die_with_parent()
    gcpolicy.relax()
    _WORKER_NLP = load_pipeline()


def _worker_nlp() -> Language:
    if _WORKER_NLP is None:
        _init_worker()
    assert _WORKER_NLP is not None
    return _WORKER_NLP


def _worker_extract(texts: list[str], options: ExtractOptions | None = None) -> list[Result]:
    return extract_batch(_worker_nlp(), texts, options=options)


def _worker_parse(texts: list[str]) -> list[bytes]:
    from ..claims.distributed import parse_for_link

    return parse_for_link(_worker_nlp(), texts)


def _worker_score(job: StanceJob) -> list[StanceResult]:
    from ..claims.distributed import score_job

    return score_job(job, _worker_nlp())


class ProcessEngine:
    """A local pool of worker processes, each loading the spaCy pipeline once."""

    def __init__(self, workers: int, *, options: ExtractOptions | None = None) -> None:
        self.workers = workers
        self.options = options
        self._pool: ProcessPoolExecutor | None = None

    def extract(self, texts: Sequence[str]) -> list[Result]:
        return self.submit(texts)()

    def _started(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_init_worker)
        return self._pool

    def submit(self, texts: Sequence[str]) -> Ticket:
        pool = self._started()
        futures = [
            pool.submit(_worker_extract, c, self.options) for c in chunked(texts, self.workers)
        ]

        def wait() -> list[Result]:
            return [r for f in futures for r in f.result()]

        return wait

    def embedder(self) -> Any:
        from ..embedding.minilm import DistributedEmbedder

        return DistributedEmbedder(self._embed, workers=self.workers)

    def _embed(self, batches: list[list[str]], threads: int) -> list[Any]:
        from ..embedding.minilm import embed_batches

        pool = self._started()
        futures = [pool.submit(embed_batches, p, threads) for p in parts(batches, self.workers)]
        return [v for f in futures for v in f.result()]

    def link_workers(self) -> LinkWorkers:
        return self

    def parse_articles(self, texts: Sequence[str]) -> list[bytes]:
        pool = self._started()
        futures = [pool.submit(_worker_parse, c) for c in chunked(texts, self.workers)]
        return [p for f in futures for p in f.result()]

    def score_stances(self, jobs: Sequence[StanceJob]) -> list[list[StanceResult]]:
        pool = self._started()
        futures = [pool.submit(_worker_score, job) for job in jobs]
        return [f.result() for f in futures]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def make_engine(
    engine: str = "local",
    *,
    workers: int = 1,
    nlp: Language | None = None,
    address: str | None = None,
    options: ExtractOptions | None = None,
) -> Engine:
    """`local`: in this process (workers=1) or a process pool; `ray`: Ray actors."""
    if engine == "local":
        if workers <= 1:
            return InlineEngine(nlp, options=options)
        return ProcessEngine(workers, options=options)
    if engine == "ray":
        from .ray_engine import RayEngine

        return RayEngine(workers, address=address, options=options)
    raise UsageError(f"unknown engine {engine!r}; use 'local' or 'ray'")
