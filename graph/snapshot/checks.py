"""The schema check every snapshot reader runs on each record it yields.

Readers know where a record sits in its file (line, row, element); the import does not. So
each reader checks its records here, and the import checks nothing twice.
"""

from __future__ import annotations

from typing import TypeVar

from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node, Relationship, validate_node, validate_relationship

from .manifest import SnapshotError

Record = TypeVar("Record", bound=Node | Relationship)


def checked(record: Record, where: str) -> Record:
    """``record`` once it passed the schema check; a breach is one line naming ``where``."""
    try:
        if isinstance(record, Node):
            validate_node(record)
        else:
            validate_relationship(record)
    except SchemaError as exc:
        raise SnapshotError(f"{where}: {exc}") from None
    return record
