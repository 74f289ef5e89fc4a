"""claimgraph: who says what, which claims stand against which, and how each outlet frames it."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
