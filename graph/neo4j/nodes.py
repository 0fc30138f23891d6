"""Records from what Neo4j returns: the schema label among a node's labels, and its facts.

A node carries the schema's base label besides its own; only properties the schema gives its
label are shown (a property some older release wrote for its own use, such as ``risk_hops``,
is not a fact of the node).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..errors import SchemaError
from ..records import Node, Relationship
from ..schema import SCHEMA


def schema_label(labels: Iterable[str]) -> str:
    """The schema label among ``labels`` (the other one is the base label)."""
    for label in labels:
        if label in SCHEMA.nodes:
            return label
    raise SchemaError(f"node with labels {list(labels)} has no schema label")


def node_from(node_id: str, labels: Iterable[str], props: Mapping[str, Any]) -> Node:
    """A :class:`Node` from its id, Neo4j labels and properties (``id`` and non-schema
    properties left out)."""
    label = schema_label(labels)
    specs = SCHEMA.node_properties(label)
    return Node(label, node_id, {k: v for k, v in props.items() if k in specs})


def rel_from(row: Mapping[str, Any]) -> Relationship:
    """A :class:`Relationship` from a row or map ``{type, s, e, props}``."""
    return Relationship(row["type"], row["s"], row["e"], row["props"])
