"""Engines that run extraction: in this process, in a local process pool, or on Ray."""

from __future__ import annotations

from .engines import Engine, InlineEngine, ProcessEngine, make_engine

__all__ = ["Engine", "InlineEngine", "ProcessEngine", "make_engine"]
