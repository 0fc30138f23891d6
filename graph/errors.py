"""Exceptions raised by the graph layer. Each message names the record or setting at fault."""

from __future__ import annotations


class CollabgraphError(Exception):
    """Base class: anything the CLI may turn into a one-line message."""


class SchemaError(CollabgraphError):
    """A label, type, property or endpoint that the schema does not allow."""


class NodeNotFound(CollabgraphError):
    """No node has the given id (or name)."""


class StoreError(CollabgraphError):
    """The store cannot be opened, read or written."""


class NotReadOnly(CollabgraphError):
    """A user's query could change something, or reach outside the graph: it is not run."""


class BadInput(CollabgraphError):
    """A file, row or option the user gave that cannot be used; the CLI exits with status 2."""
