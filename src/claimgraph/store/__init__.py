"""The store: the only package that knows SQL. SQLite by default (one file); PostgreSQL when
`db` is a postgresql:// (or postgres://) URL. Both backends have the same methods, return
shapes, row order and numbered migrations; code outside this package types them as `Store`."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .articles import Flags
from .postgres import PostgresStore, is_postgres_url
from .rows import negated, speaks
from .search import SearchQuery
from .sqlite import SQLiteStore

if TYPE_CHECKING:
    from ..extract.records import Extraction
    from ..ingest.base import RawArticle

__all__ = [
    "PostgresStore",
    "SQLiteStore",
    "SearchQuery",
    "Store",
    "negated",
    "open_store",
    "speaks",
]


class Store(Protocol):
    """What the pipeline, exports and summary use of a store, whichever the backend."""

    def schema_versions(self) -> list[int]: ...
    def transaction(self) -> AbstractContextManager[Any]: ...
    def close(self) -> None: ...
    def link_lock(
        self, on_wait: Callable[[], None] | None = None
    ) -> AbstractContextManager[None]: ...
    def begin_run(self, args: dict[str, Any]) -> int: ...
    def finish_run(self, run_id: int, counts: dict[str, int]) -> None: ...
    def record_failure(self, run_id: int, source: str, reason: str) -> None: ...
    def failures(self, run_id: int | None = None) -> list[dict[str, Any]]: ...
    def file_unchanged(self, path: str, fingerprint: str) -> int | None: ...
    def record_file(self, path: str, fingerprint: str, n_articles: int) -> None: ...
    def file_fingerprint(self, path: str) -> str | None: ...
    def update_metadata(self, article_id: str, raw: RawArticle) -> bool: ...
    def replace_article(
        self,
        article_id: str,
        raw: RawArticle,
        extraction: Extraction,
        *,
        n_words: int,
        extractor_version: str,
    ) -> None: ...
    def has_article(self, article_id: str) -> bool: ...
    def add_source(self, article_id: str, source: str, fmt: str) -> bool: ...
    def write_article(
        self,
        article_id: str,
        raw: RawArticle,
        extraction: Extraction,
        *,
        n_words: int,
        extractor_version: str,
    ) -> None: ...
    def count(self, table: str) -> int: ...
    def articles(self) -> Iterator[dict[str, Any]]: ...
    def article_rows(
        self, columns: Sequence[str] | None = None, ids: Sequence[str] | None = None
    ) -> Iterator[dict[str, Any]]: ...
    def article_texts(self, ids: Sequence[str] | None = None) -> Iterator[tuple[str, str]]: ...
    def statements(self, article_id: str | None = None) -> Iterator[dict[str, Any]]: ...
    def statement_speakers(self) -> Iterator[dict[str, Any]]: ...
    def article_items(
        self, columns: Sequence[str], skip: Flags | None = None
    ) -> Iterator[tuple[str, dict[str, Any] | None]]: ...
    def article_records(
        self,
        *,
        skip: Flags | None = None,
        columns: Mapping[str, Sequence[str]] | None = None,
        cue_types: Sequence[str] | None = None,
    ) -> Iterator[tuple[str, list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]]: ...
    def cues(self) -> Iterator[dict[str, Any]]: ...
    def term_uses(self) -> Iterator[dict[str, Any]]: ...
    def search_articles(self, query: str, *, limit: int = 20) -> list[dict[str, Any]]: ...
    def integrity_check(self) -> str: ...
    # Faceted search and paged reads for the JSON API (store/search.py, migration 3).
    def faceted_search(self, query: SearchQuery) -> dict[str, Any]: ...
    def article_page(
        self,
        *,
        outlet: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> dict[str, Any]: ...
    def article_detail(self, article_id: str) -> dict[str, Any] | None: ...
    def statement_page(
        self,
        *,
        speaker: str | None = None,
        outlet: str | None = None,
        article_id: str | None = None,
        speaking: bool = False,
        limit: int = 20,
        offset: int = 0,
    ) -> dict[str, Any]: ...
    def outlet_summary(self) -> list[dict[str, Any]]: ...
    def speaker_summary(self, *, limit: int = 100, offset: int = 0) -> dict[str, Any]: ...
    def speaker_counts(self) -> list[tuple[str, str | None, int]]: ...
    def actor_map(self) -> dict[str, str]: ...
    def write_actors(self, actors: dict[str, str]) -> None: ...
    # Claims (migration 2), filled by the link step (claimgraph.claims.run).
    def claims(self) -> Iterator[dict[str, Any]]: ...
    def claim_members(
        self, claim_id: str | None = None, *, context: int = 0
    ) -> Iterator[dict[str, Any]]: ...
    def dated_records(
        self,
    ) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]]: ...
    def member_words(self) -> Iterator[dict[str, Any]]: ...
    def member_stances(self) -> Iterator[dict[str, Any]]: ...
    def articles_to_link(self, *, all_articles: bool = False) -> Iterator[dict[str, Any]]: ...
    def claim_centroids(
        self, articles: Sequence[str] | None = None
    ) -> Iterator[dict[str, Any]]: ...
    def claim_candidates(self) -> Iterator[dict[str, Any]]: ...
    def write_links(
        self,
        *,
        claims: Sequence[dict[str, Any]],
        members: Sequence[dict[str, Any]],
        candidates: Sequence[dict[str, Any]],
        drop_candidates: Sequence[str],
        linked: Sequence[tuple[str, int]],
        replace: bool = False,
    ) -> None: ...
    # Topics (migration 6), claims grouped by issue (claimgraph.claims.topics).
    def topics(self) -> Iterator[dict[str, Any]]: ...
    def write_topics(self, topics: Sequence[dict[str, Any]]) -> None: ...


def open_store(db: str | Path, *, readonly: bool = False) -> Store:
    """Open (and, unless readonly, migrate) the store at `db`: a SQLite file path, or a
    postgresql://user[:password]@host[:port]/dbname URL."""
    if is_postgres_url(db):
        return PostgresStore(str(db), readonly=readonly)
    return SQLiteStore(db, readonly=readonly)


if TYPE_CHECKING:
    # Checked by mypy: both backends satisfy the protocol.
    def _both_are_stores(a: SQLiteStore, b: PostgresStore) -> tuple[Store, Store]:
        return a, b
