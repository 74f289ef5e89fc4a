"""A scratch database on disk for corpus-wide pairings that must not be held in memory.

`SharedGrams` keeps one row per unit (a quoted text, with the fields its caller needs back) and
its grams (one JSON list a unit, which SQLite's `json_each` expands: a row per gram would cost
a Python call each to write); it then finds the pairs of units from different articles that
share at least a given number of their grams, by sorting and joining in SQLite. It lives in a
private temporary SQLite file (``sqlite3.connect("")``: pages beyond a small cache go to a
temporary file, removed when it is closed), separate from the store it was read from, so a
read-only SQLite or PostgreSQL store is never written to. Memory stays at the cache size
whatever the number of units; the disk holds the units' texts and grams.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from json.encoder import encode_basestring
from types import TracebackType
from typing import Any

BATCH = 20_000  # units buffered before they are written
CACHE_KIB = 64 * 1024  # SQLite's page cache, the bound on the memory it takes


class SharedGrams:
    """Units and their word grams, on disk; `pairs` finds those that share enough grams.
    Each unit carries ``fields`` values of its caller's (its payload), kept as columns."""

    def __init__(self, fields: int = 1) -> None:
        self.con = sqlite3.connect("", isolation_level=None)
        for pragma in (
            f"cache_size=-{CACHE_KIB}",
            "temp_store=FILE",
            "journal_mode=OFF",
            "synchronous=OFF",
        ):
            self.con.execute(f"PRAGMA {pragma}")
        payload = "".join(f", p{k}" for k in range(fields))
        self.con.execute(
            f"CREATE TABLE unit (u INTEGER PRIMARY KEY, article_id TEXT, norm TEXT{payload})"
        )
        self._insert_unit = f"INSERT INTO unit VALUES ({', '.join('?' * (3 + fields))})"
        self.con.execute("CREATE TABLE post (u INTEGER PRIMARY KEY, grams TEXT)")
        self.n = 0
        self._units: list[tuple[Any, ...]] = []
        self._posts: list[tuple[int, str]] = []

    def __enter__(self) -> SharedGrams:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.con.close()

    def add(self, article_id: str, norm: str, payload: Sequence[Any], grams: Iterable[str]) -> int:
        """Keep a unit (its article, its normalised text, its ``fields`` payload values:
        strings, numbers or None) and its distinct ``grams``; returns its number (0, 1, … in
        the order added)."""
        u = self.n
        self.n += 1
        self._units.append((u, article_id, norm, *payload))
        self._posts.append((u, "[" + ",".join(map(encode_basestring, grams)) + "]"))
        if len(self._units) >= BATCH:
            self._flush()
        return u

    def _flush(self) -> None:
        self.con.execute("BEGIN")
        self.con.executemany(self._insert_unit, self._units)
        self.con.executemany("INSERT INTO post VALUES (?, ?)", self._posts)
        self.con.execute("COMMIT")
        self._units.clear()
        self._posts.clear()

    def pairs(
        self, *, common: int, need: Callable[[int], int]
    ) -> Iterator[tuple[int, int, str, str]]:
        """(i, j, norm of i, norm of j), i < j, for the pairs of units from different articles
        whose grams held by at most ``common`` units (the *counted* ones) share at least
        ``need(n)`` of them, n being the number counted of the unit with fewer (of the two,
        the earlier when they hold as many); a unit that needs none pairs with nothing.

        Prefix filter (Bayardo et al.): with each unit's counted grams ordered rarest first, a
        unit of n that shares k with one holding at least as many shares one of its first
        n - k + 1, so only those are joined with the others' grams, and the pairs found are
        then counted exactly. Call once, after the last `add`."""
        self._flush()
        self.con.create_function("need", 1, need, deterministic=True)
        for sql in (
            # the counted grams, with how many units hold each (grouping, then looking each
            # unit's grams up, costs half a window count partitioned by gram)
            "CREATE TABLE gn (gram TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID",
            "INSERT INTO gn SELECT g.value, count(*) FROM post p, json_each(p.grams) g"
            " GROUP BY g.value HAVING count(*) <= ?",
            # the counted grams of each unit
            "CREATE TABLE cp AS SELECT p.u, g.value AS gram, c.n FROM post p,"
            " json_each(p.grams) g JOIN gn c ON c.gram = g.value",
            "DROP TABLE post",
            "DROP TABLE gn",
            "CREATE TABLE sz (u INTEGER PRIMARY KEY, size INTEGER, need INTEGER)",
            "INSERT INTO sz SELECT u, count(*), need(count(*)) FROM cp GROUP BY u",
            "DELETE FROM sz WHERE need <= 0",
            "CREATE INDEX cp_gram ON cp (gram, u)",
            "CREATE INDEX cp_u ON cp (u, gram)",
            # each unit's prefix: its first size - need + 1 counted grams, rarest first
            "CREATE TABLE pre AS SELECT r.u, r.gram FROM (SELECT u, gram, row_number()"
            " OVER (PARTITION BY u ORDER BY n, gram) AS k FROM cp) r JOIN sz s ON s.u = r.u"
            " WHERE r.k <= s.size - s.need + 1",
            # looked up from the unit with fewer grams (then the earlier one)
            "CREATE TABLE cand AS SELECT DISTINCT p.u AS i, c.u AS j FROM pre p"
            " JOIN cp c ON c.gram = p.gram JOIN sz a ON a.u = p.u JOIN sz b ON b.u = c.u"
            " WHERE b.size > a.size OR (b.size = a.size AND c.u > p.u)",
            "DROP TABLE pre",
        ):
            self.con.execute(sql, (common,) if "?" in sql else ())
        self.con.execute(
            "CREATE TABLE pair (i INTEGER, j INTEGER, PRIMARY KEY (i, j)) WITHOUT ROWID"
        )
        self.con.execute(
            "INSERT INTO pair SELECT DISTINCT min(v.i, v.j), max(v.i, v.j) FROM (SELECT k.i, k.j"
            " FROM cand k JOIN sz a ON a.u = k.i JOIN cp x ON x.u = k.i"
            " JOIN cp y ON y.u = k.j AND y.gram = x.gram"
            " GROUP BY k.i, k.j HAVING count(*) >= min(a.need)) v"
            " JOIN unit ui ON ui.u = v.i JOIN unit uj ON uj.u = v.j"
            " WHERE ui.article_id != uj.article_id"
        )
        yield from self.con.execute(
            "SELECT p.i, p.j, ui.norm, uj.norm FROM pair p"
            " JOIN unit ui ON ui.u = p.i JOIN unit uj ON uj.u = p.j ORDER BY p.i, p.j"
        )

    def paired(self, pairs: Iterable[tuple[int, int]]) -> set[tuple[int, int]]:
        """Those of ``pairs`` (i < j) that `pairs` found."""
        found: set[tuple[int, int]] = set()
        todo = list(pairs)
        for k in range(0, len(todo), 400):
            chunk = todo[k : k + 400]
            marks = ", ".join(["(?, ?)"] * len(chunk))
            found.update(
                self.con.execute(
                    f"SELECT i, j FROM pair WHERE (i, j) IN (VALUES {marks})",
                    [x for ij in chunk for x in ij],
                )
            )
        return found

    def units(self, ids: Iterable[int]) -> Iterator[tuple[int, str, str, tuple[Any, ...]]]:
        """(u, article_id, norm, payload values) of the units ``ids``, by number."""
        wanted = sorted(set(ids))
        for k in range(0, len(wanted), 500):
            chunk = wanted[k : k + 500]
            marks = ", ".join("?" * len(chunk))
            for row in self.con.execute(
                f"SELECT * FROM unit WHERE u IN ({marks}) ORDER BY u", chunk
            ):
                yield row[0], row[1], row[2], row[3:]
