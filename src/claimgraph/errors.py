"""The named errors of claimgraph. Each message says what to do next."""

from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class: a problem the user can act on. The CLI prints it as one line."""


class UsageError(ClaimgraphError):
    """A user mistake: missing path, unknown format, bad option."""


class InputError(ClaimgraphError):
    """One input (file or record) cannot be read. Recorded as failed; the batch goes on."""


class StoreError(ClaimgraphError):
    """The store cannot be opened or migrated."""


class ModelError(ClaimgraphError):
    """The spaCy pipeline (or another packaged model) cannot be loaded."""
