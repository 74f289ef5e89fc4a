"""Extraction on Ray: a pool of actors, each loading the spaCy pipeline once. Results come
back to the caller, which stays the single writer to the store. The same actors run the link
step's heavy parts (`claimgraph.claims.distributed`): parsing, embedding, stance scoring."""

from __future__ import annotations

import os
import socket
import tempfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..extract.run import ExtractOptions
from .engines import Result, Ticket, chunked, extract_batch, parts

if TYPE_CHECKING:
    from ..claims.distributed import LinkWorkers, StanceJob
    from ..claims.stance import StanceResult


class _Extractor:
    """Body of the Ray actor (wrapped with ray.remote at run time)."""

    def __init__(self) -> None:
        from ..extract.run import load_pipeline
        from . import gcpolicy

        gcpolicy.relax()
        self.nlp = load_pipeline()

    def extract(self, texts: list[str], options: ExtractOptions | None = None) -> list[Result]:
        return extract_batch(self.nlp, texts, options=options)

    def embed(self, batches: list[list[str]], threads: int) -> list[Any]:
        from ..embedding.minilm import embed_batches

        return embed_batches(batches, threads)

    def parse(self, texts: list[str]) -> list[bytes]:
        from ..claims.distributed import parse_for_link

        return parse_for_link(self.nlp, texts)

    def score(self, job: StanceJob) -> list[StanceResult]:
        from ..claims.distributed import score_job

        return score_job(job, self.nlp)


REACH_TIMEOUT = 10.0  # seconds to wait for a Ray head's port to answer


def _reachable(address: str) -> None:
    """Refuse at once a Ray address ``HOST:PORT`` where nothing answers (`ray.init` would
    wait without end); other forms ("auto", "ray://…") are left to Ray."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit() or "/" in host or not host:
        return
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=REACH_TIMEOUT).close()
    except OSError as exc:
        raise UsageError(
            f"cannot reach Ray at {address}: {exc}; start the head there with 'ray start"
            " --head', or leave --address out to start Ray on this machine"
        ) from exc


class RayEngine:
    """`workers` actors on a Ray cluster; without `address`, Ray is started locally."""

    def __init__(
        self,
        workers: int,
        *,
        address: str | None = None,
        temp_dir: str | None = None,
        options: ExtractOptions | None = None,
    ) -> None:
        self.options = options
        try:
            import ray
        except ImportError as exc:
            raise UsageError("--engine ray needs Ray: pip install 'claimgraph[ray]'") from exc
        self.workers = workers
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            kwargs: dict[str, Any] = {
                "include_dashboard": False,
                "log_to_driver": False,
                "configure_logging": False,
            }
            if address:
                _reachable(address)
                kwargs["address"] = address
            else:
                kwargs["num_cpus"] = workers
                kwargs["_temp_dir"] = (
                    temp_dir
                    or os.environ.get("CLAIMGRAPH_RAY_TMPDIR")
                    or tempfile.mkdtemp(prefix="cg-ray-")
                )
            try:
                ray.init(**kwargs)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise UsageError(
                    f"cannot start or reach Ray{' at ' + address if address else ''}: {exc}"
                ) from exc
            self._started = True
        actor: Any = ray.remote(num_cpus=1)(_Extractor)
        self._actors: list[Any] = [actor.remote() for _ in range(workers)]

    def extract(self, texts: Sequence[str]) -> list[Result]:
        return self.submit(texts)()

    def submit(self, texts: Sequence[str]) -> Ticket:
        """Chunks go to the actors in turn; an actor runs its calls in order, so a batch
        submitted while the last one runs waits in the actors' queues, not in this process."""
        chunks = chunked(texts, len(self._actors))
        refs = [
            self._actors[i % len(self._actors)].extract.remote(c, self.options)
            for i, c in enumerate(chunks)
        ]
        ray = self._ray

        def wait() -> list[Result]:
            return [r for part in ray.get(refs) for r in part]

        return wait

    def embedder(self) -> Any:
        """The link step's embeddings on the same actors (one writer stays here)."""
        from ..embedding.minilm import DistributedEmbedder

        return DistributedEmbedder(self._embed, workers=len(self._actors))

    def _embed(self, batches: list[list[str]], threads: int) -> list[Any]:
        n = len(self._actors)
        refs = [self._actors[i].embed.remote(p, threads) for i, p in enumerate(parts(batches, n))]
        return [v for part in self._ray.get(refs) for v in part]

    def link_workers(self) -> LinkWorkers:
        """The link step's parsing and stance scoring on the same actors."""
        return self

    def parse_articles(self, texts: Sequence[str]) -> list[bytes]:
        chunks = chunked(texts, len(self._actors))
        n = len(self._actors)
        refs = [self._actors[i % n].parse.remote(c) for i, c in enumerate(chunks)]
        return [p for part in self._ray.get(refs) for p in part]

    def score_stances(self, jobs: Sequence[StanceJob]) -> list[list[StanceResult]]:
        n = len(self._actors)
        refs = [self._actors[i % n].score.remote(job) for i, job in enumerate(jobs)]
        return list(self._ray.get(refs))

    def close(self) -> None:
        for a in self._actors:
            self._ray.kill(a)
        self._actors = []
        if self._started:
            self._ray.shutdown()
