"""Per-run caches of the link step: every distinct text is parsed once (`DocCache`, NER off,
a unit's parse sliced out of its article's) and embedded once (`EmbedCache`) per link run, by
the unit filter, the clustering, the labels and the stance alike. The caches can also be
filled from outside (`DocCache.keep`, `EmbedCache.keep`): a worker that scores stance for the
link step (`claimgraph.claims.distributed`) reads the parses and vectors the driver computed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..extract.doctext import doc_text

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from ..embedding.minilm import Embedder
    from .run import ParseSource, Unit


class DocCache:
    """`Language.pipe` with memory: every distinct text is parsed once per link run (by the
    unit filter, the clustering, the labels and the stance alike). NER is skipped: nothing in
    linking reads entities, and it is the pipeline's costliest component."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.disable = [name for name in ("ner",) if name in nlp.pipe_names]
        self._docs: dict[str, Doc] = {}

    def pipe(self, texts: Iterable[str], batch_size: int = 64, **_: Any) -> list[Doc]:
        texts = list(texts)
        todo = list(dict.fromkeys(t for t in texts if t not in self._docs))
        if todo:
            parsed = self.nlp.pipe(todo, batch_size=batch_size, disable=self.disable)
            self._docs.update(zip(todo, parsed, strict=True))
        return [self._docs[t] for t in texts]

    def __call__(self, text: str) -> Doc:
        return self.pipe([text])[0]

    def articles(self, articles: Sequence[dict[str, Any]], parses: ParseSource | None) -> list[Doc]:
        """The parses of ``articles``: the kept ones (``parses``, by article id), the others
        parsed here in one pass."""
        from ..extract.parsebin import deserialize

        kept: list[Doc | None] = []
        for a in articles:
            raw = parses(a["id"]) if parses is not None else None
            doc = deserialize(raw, self.nlp.vocab) if raw is not None else None
            # a parse of another text than the stored one (never expected) is made again
            kept.append(doc if doc is not None and doc_text(doc) == a["text"] else None)
        todo = [a["text"] for a, k in zip(articles, kept, strict=True) if k is None]
        fresh = iter(self.parse_articles(todo))
        return [k if k is not None else next(fresh) for k in kept]

    def parse_articles(self, texts: Sequence[str]) -> list[Doc]:
        """Whole articles parsed in one pass (NER off), as the link step parses an article
        whose parse was not kept, here or on a worker (`claimgraph.claims.distributed`)."""
        return list(self.nlp.pipe(texts, batch_size=16, disable=self.disable)) if texts else []

    def keep(self, docs: dict[str, Doc]) -> None:
        """Take ``docs`` (parses by their text) as the parses of those texts."""
        self._docs.update(docs)

    def prefill(self, article: Doc, units: Iterable[Unit]) -> None:
        """Take the parses of ``units``' texts (the text clustered and the text read for
        stance too) from their article's parse: a unit is a stretch of its article, parsed
        with the words around it. A text not found as one stretch of tokens is parsed on its
        own when asked for."""
        text = doc_text(article)
        head = array = None  # the article as one array, computed once for all its slices
        # `Span.as_doc` gives each slice its span's mean word vector, which the link step
        # never reads (the pipeline has no word vectors: a zero vector per token, looked up)
        hooks = article.user_span_hooks
        saved: dict[str, Any] = {k: hooks[k] for k in ("vector", "vector_norm") if k in hooks}
        hooks["vector"], hooks["vector_norm"] = _no_vector, _no_norm
        try:
            for u in units:
                for t in (u.text, u.claim_text, u.stance_text):
                    if not t or t in self._docs:
                        continue
                    at = u.start if text.startswith(t, u.start) else text.find(t, u.start)
                    span = article.char_span(at, at + len(t)) if at >= 0 else None
                    if span is not None and len(span):
                        if array is None:
                            head = article._get_array_attrs()
                            array = article.to_array(list(head))
                        # spaCy's own speed-up for many slices of one doc (its stubs omit it)
                        self._docs[t] = span.as_doc(array_head=head, array=array)  # type: ignore[call-arg]
        finally:  # the slices share the hooks' dict: they lose the two hooks with it
            del hooks["vector"], hooks["vector_norm"]
            hooks.update(saved)  # a caller's own hooks, if the doc had any

    @property
    def pipe_names(self) -> list[str]:
        return [n for n in self.nlp.pipe_names if n not in self.disable]


def _no_vector(span: Span) -> np.ndarray:
    return np.zeros((span.doc.vocab.vectors_length,), dtype=np.float32)


def _no_norm(span: Span) -> float:
    return 0.0


class EmbedCache:
    """`Embedder.encode` with memory: a text is embedded once per link run."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}

    @property
    def dim(self) -> int:
        return self.embedder.dim

    def encode(self, texts: Sequence[str], batch_size: int = 8) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if todo:
            vectors = self.embedder.encode(todo, batch_size=batch_size)
            self._vectors.update(zip(todo, vectors, strict=True))
        out = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            out[i] = self._vectors[t]
        return out

    def keep(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Take ``vectors`` (one row per text) as the embeddings of ``texts``."""
        self._vectors.update(zip(texts, vectors, strict=True))
