"""The link step's heavy parts on workers: the processes of a pool or the Ray actors that
extract (`claimgraph.scale`), with this process the one writer. `claimgraph.claims.run`
links a store `LINK_BATCH` articles at a time; with workers, each batch goes:

* **parse** (workers): the articles whose parse was not kept (every article for
  `claimgraph link`, which reads the store only) are parsed on the workers as
  `DocCache.parse_articles` parses them here (NER off), and come back as
  `claimgraph.extract.parsebin` bytes, the form the extraction workers hand their parses over
  in for `analyze`'s link step;
* **embed** (workers): the clustering's vectors, `claimgraph.embedding.minilm.DistributedEmbedder`;
* **cluster** (here): against the claims and candidates that earlier batches stored;
* **score** (workers): each planned member's stance (`score_stances`);
* **write** (here), one transaction per batch.

Stance scoring is shipped in `StanceJob` chunks of `STANCE_CHUNK` members: a chunk carries the
members' texts, their claims' representative sentences and the cross-encoder flags, the parses
of those texts (as this process holds them: slices of the articles' parses) and the vectors of
their propositions (as this process embedded them for the clustering). The worker runs
`StanceAnalyzer.predict` on them, the parse rules, the regression and the cross-encoder, and
sends the results back. The chunks do not depend on the number of workers, and this process
scores the very same chunks when it scores alone, so a member's stance is the same whoever
computed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from .caches import DocCache, EmbedCache
from .text import headline_case

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .run import ParseSource
    from .stance import StanceAnalyzer, StanceResult

# Members scored in one call of a worker: a batch of `LINK_BATCH` PolNeAR articles plans about
# 3,000 members, so about a dozen calls per batch (work per call stays coarse), each with the
# parses and vectors of its members and claims (under 0.75 MB pickled on PolNeAR).
STANCE_CHUNK = 256


@dataclass(frozen=True)
class StanceJob:
    """The members of one chunk with what their stance reads (picklable: it travels to a
    worker process or a Ray actor)."""

    encoder: str | None  # the store's encoder (`claimgraph.claims.encoders`), for its stance model
    texts: list[str]  # what each member's stance is read from
    claims: list[str]  # each member's claim's representative sentence
    cross_rows: list[bool]  # whether the cross-encoder reads the member too (outlet's voice)
    parses: dict[str, bytes]  # the parse of each text and claim, by its headline-cased text
    propositions: list[str]  # their propositions ...
    vectors: np.ndarray  # ... and the vectors the clustering gave them, one row each


class LinkWorkers(Protocol):
    """Workers that parse articles and score stance for the link step (an engine of
    `claimgraph.scale`: `Engine.link_workers`)."""

    workers: int

    def parse_articles(self, texts: Sequence[str]) -> list[bytes]:
        """``texts`` parsed as `parse_for_link` parses them, in order."""
        ...

    def score_stances(self, jobs: Sequence[StanceJob]) -> list[list[StanceResult]]:
        """Each job scored with `score_job`, in order."""
        ...


# ---------------------------------------------------------------- on the workers


def parse_for_link(nlp: Language, texts: Sequence[str]) -> list[bytes]:
    """Articles parsed for the link step (`DocCache.parse_articles`), as parsebin bytes."""
    from ..extract.parsebin import serialize

    return [serialize(d) for d in DocCache(nlp).parse_articles(texts)]


def score_job(job: StanceJob, nlp: Language) -> list[StanceResult]:
    """The stances of one chunk, read from the parses and vectors it carries. A text whose
    parse or proposition vector it lacks (never expected) is parsed or embedded here."""
    from ..extract.parsebin import deserialize
    from . import encoders
    from .stance import StanceAnalyzer, shipped_model

    docs = DocCache(nlp)
    docs.keep({t: deserialize(raw, nlp.vocab) for t, raw in job.parses.items()})
    vectors = EmbedCache(encoders.get(job.encoder).embedder())
    vectors.keep(job.propositions, job.vectors)
    analyzer = StanceAnalyzer(
        nlp=_as_language(docs),
        embedder=vectors,  # type: ignore[arg-type]
        model=shipped_model(job.encoder) or False,
    )
    text_docs = docs.pipe([headline_case(t) for t in job.texts])
    return analyzer.predict(job.texts, job.claims, docs=text_docs, cross_rows=job.cross_rows)


def _as_language(docs: DocCache) -> Any:
    return docs  # a DocCache stands in for the pipeline: `StanceAnalyzer` only pipes texts


# ---------------------------------------------------------------- in the driver


def parses_from_workers(
    articles: Sequence[dict[str, Any]], parses: ParseSource | None, workers: LinkWorkers
) -> ParseSource:
    """The parses of ``articles``: the kept ones (``parses``), the others made on ``workers``."""
    kept = {a["id"]: parses(a["id"]) if parses is not None else None for a in articles}
    todo = [a for a in articles if kept[a["id"]] is None]
    if todo:
        made = workers.parse_articles([a["text"] for a in todo])
        kept.update(zip([a["id"] for a in todo], made, strict=True))
    return kept.get


def score_stances(
    analyzer: StanceAnalyzer,
    texts: Sequence[str],
    claims: Sequence[str],
    cross_rows: Sequence[bool],
    *,
    encoder: str | None = None,
    workers: LinkWorkers | None = None,
) -> list[StanceResult]:
    """Each text's stance toward its claim (`StanceAnalyzer.predict`), ``cross_rows`` saying
    which ones the cross-encoder reads, in chunks of `STANCE_CHUNK`: here, or on ``workers``.

    First the parses and vectors of the texts and claims are made here, as one `predict` of
    all of them would make them (the texts parsed, then the claims; the texts' propositions
    embedded, then the claims'), through ``analyzer``'s caches; the chunks read them, here or
    shipped with each chunk (`StanceJob`)."""
    n = len(texts)
    if not (len(claims) == len(cross_rows) == n):
        raise ValueError("texts, claims and cross_rows must have the same length")
    if not n:
        return []
    text_docs = analyzer.parse(texts)
    uniq = sorted(set(claims))
    claim_docs = dict(zip(uniq, analyzer.parse(uniq), strict=True))
    model = analyzer.model
    if model is not None:
        model.check_dim(analyzer.embedder.dim)
        analyzer.vectors(text_docs)
        analyzer.vectors(list(claim_docs.values()))
    spans = [(lo, min(lo + STANCE_CHUNK, n)) for lo in range(0, n, STANCE_CHUNK)]
    if workers is None:
        return [
            r
            for lo, hi in spans
            for r in analyzer.predict(
                texts[lo:hi], claims[lo:hi], docs=text_docs[lo:hi], cross_rows=cross_rows[lo:hi]
            )
        ]
    jobs = [
        _job(
            analyzer,
            encoder,
            list(texts[lo:hi]),
            list(claims[lo:hi]),
            list(cross_rows[lo:hi]),
            text_docs[lo:hi],
            claim_docs,
            embed=model is not None,
        )
        for lo, hi in spans
    ]
    return [r for part in workers.score_stances(jobs) for r in part]


def _job(
    analyzer: StanceAnalyzer,
    encoder: str | None,
    texts: list[str],
    claims: list[str],
    cross_rows: list[bool],
    text_docs: Sequence[Doc],
    claim_docs: dict[str, Doc],
    *,
    embed: bool,
) -> StanceJob:
    from ..extract.parsebin import serialize
    from .clusters import proposition

    docs: dict[str, Doc] = {}
    for t, d in zip(texts, text_docs, strict=True):
        docs.setdefault(headline_case(t), d)
    for c in sorted(set(claims)):
        docs.setdefault(headline_case(c), claim_docs[c])
    props = list(dict.fromkeys(proposition(d) for d in docs.values())) if embed else []
    return StanceJob(
        encoder=encoder,
        texts=texts,
        claims=claims,
        cross_rows=cross_rows,
        parses={t: serialize(d) for t, d in docs.items()},
        propositions=props,
        vectors=analyzer.embedder.encode(props) if props else np.zeros((0, 0), np.float32),
    )
