"""Words for messages a user reads, shared by every part (the CLI, the link step's summary)."""

from __future__ import annotations


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``1 article``, ``2 articles``: the count with the noun that agrees with it."""
    return f"{n:,} {singular if n == 1 else (plural_form or singular + 's')}"
