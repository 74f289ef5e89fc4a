"""The store: the only package that knows SQL. SQLite by default (one file)."""

from __future__ import annotations

from .sqlite import SQLiteStore, open_store

__all__ = ["SQLiteStore", "open_store"]
