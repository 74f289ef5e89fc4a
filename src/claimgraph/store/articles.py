"""Reading articles in parts: their rows without the text, and their texts by id. What the
analyses that must run in bounded memory read (`claimgraph.analyze.wire`, `compare`): a list
of every article's row is small without the texts, and the texts are read one at a time as
they stream by, or a few again by id."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from .rows import ARTICLE_COLUMNS

# A flag per article in stored order (a list, or a numpy array of bools): what to skip.
Flags = Sequence[bool] | np.ndarray

# What `article_rows` can read: an article's stored columns but its text, its sources
# ('; '-joined, first seen first) and its outlet's country and type.
ARTICLE_ROW_COLUMNS = (
    *(c for c in ARTICLE_COLUMNS if c != "text"),
    "sources",
    "outlet_country",
    "outlet_type",
)
_IDS_PER_QUERY = 500


class ArticleReads:
    """`article_rows` and `article_texts`, over a backend's `_stream` (see `base.SqlStore`)."""

    def _stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        raise NotImplementedError

    def _stream_tuples(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        raise NotImplementedError

    def _sources_sql(self) -> str:
        raise NotImplementedError

    def _by_article(self) -> str:
        raise NotImplementedError

    def _ids_sql(self) -> str:
        raise NotImplementedError

    def _ids_param(self, ids: Sequence[str]) -> Any:
        raise NotImplementedError

    def article_rows(
        self, columns: Sequence[str] | None = None, ids: Sequence[str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every article as `articles` yields it, in the same order, without its text: the
        named `ARTICLE_ROW_COLUMNS` only (``id`` always), all of them when None. With
        ``ids``, the rows of those articles only, in any order (an unknown id is left out)."""
        wanted = ARTICLE_ROW_COLUMNS if columns is None else ("id", *columns)
        unknown = [c for c in wanted if c not in ARTICLE_ROW_COLUMNS]
        if unknown:
            raise ValueError(f"not an article row column: {', '.join(unknown)}")
        select = []
        for c in dict.fromkeys(wanted):
            if c == "sources":
                select.append(f"{self._sources_sql()} AS sources")
            elif c in ("outlet_country", "outlet_type"):
                select.append(f"o.{c.removeprefix('outlet_')} AS {c}")
            else:
                select.append(f"a.{c}")
        joined = any(c in ("outlet_country", "outlet_type") for c in wanted)
        sql = f"SELECT {', '.join(select)} FROM articles a"
        if joined:
            sql += " LEFT JOIN outlets o ON o.name=a.outlet"
        if ids is not None:
            return self._rows_of(f"{sql} WHERE a.id IN {self._ids_sql()}", ids)
        return self._stream(f"{sql} ORDER BY {self._by_article()}")

    def _rows_of(self, sql: str, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        for lo in range(0, len(ids), _IDS_PER_QUERY):
            yield from self._stream(sql, (self._ids_param(ids[lo : lo + _IDS_PER_QUERY]),))

    def article_texts(self, ids: Sequence[str] | None = None) -> Iterator[tuple[str, str]]:
        """(id, text) of every article in stored order (the order of `articles`); or of the
        articles `ids` names, in any order (an unknown id is left out)."""
        if ids is None:
            rows = self._stream(
                f"SELECT a.id, a.text FROM articles a ORDER BY {self._by_article()}"
            )
            return ((r["id"], r["text"]) for r in rows)
        return self._texts_of(ids)

    def article_items(
        self, columns: Sequence[str], skip: Flags | None = None
    ) -> Iterator[tuple[str, dict[str, Any] | None]]:
        """(id, row) of every article in stored order, the row holding ``columns``: any of
        `ARTICLE_COLUMNS` (the text too), and ``sources`` for an article without an outlet
        only (all `claimgraph.ingest.outlets.outlet_of` reads of them; None where the
        article has one). Where ``skip`` flags an article (one flag per article, in stored
        order) its row is None: read past as a plain tuple, no dict built."""
        unknown = [c for c in columns if c not in ARTICLE_COLUMNS and c != "sources"]
        if unknown:
            raise ValueError(f"not an article column: {', '.join(unknown)}")
        select = ["a.id"]
        for c in dict.fromkeys(columns):
            if c == "sources":
                select.append(
                    f"CASE WHEN a.outlet IS NULL OR a.outlet = '' THEN {self._sources_sql()}"
                    " END AS sources"
                )
            elif c != "id":
                select.append(f"a.{c}")
        rows = self._stream_tuples(
            f"SELECT {', '.join(select)} FROM articles a ORDER BY {self._by_article()}"
        )
        names = next(rows)
        for pos, row in enumerate(rows):
            if skip is not None and skip[pos]:
                yield row[0], None
            else:
                yield row[0], dict(zip(names, row, strict=True))

    def _texts_of(self, ids: Sequence[str]) -> Iterator[tuple[str, str]]:
        for lo in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[lo : lo + _IDS_PER_QUERY]
            sql = f"SELECT a.id, a.text FROM articles a WHERE a.id IN {self._ids_sql()}"
            for r in self._stream(sql, (self._ids_param(chunk),)):
                yield r["id"], r["text"]
