"""The two record kinds every store reads and writes: :class:`Node` and :class:`Relationship`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import SchemaError
from .schema import SCHEMA, PropertySpec, is_unicode

Props = dict[str, Any]


@dataclass(frozen=True)
class Node:
    """A node: its schema label, its globally unique ``id`` and its properties."""

    label: str
    id: str
    props: Props = field(default_factory=dict)

    def describe(self) -> str:
        return f"{self.label} {self.id!r}"


@dataclass(frozen=True)
class Relationship:
    """A typed, directed relationship between two node ids, with properties."""

    type: str
    start: str
    end: str
    props: Props = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, ...]:
        """Identity within the graph: endpoints, type and the type's key properties."""
        spec = SCHEMA.rel(self.type)
        return (self.start, self.type, self.end, *(str(self.props.get(k, "")) for k in spec.key))

    def describe(self) -> str:
        return f"{self.type} {self.start!r} -> {self.end!r}"


def _check_props(record: Node | Relationship, props: Props, specs: dict[str, PropertySpec]) -> None:
    # The record is described only when something is wrong: this runs for every record ingested.
    for name, value in props.items():
        spec = specs.get(name)
        if spec is None:
            raise SchemaError(f"{record.describe()}: property {name!r} is not in the schema")
        problem = spec.check(value)
        if problem:
            raise SchemaError(f"{record.describe()}: {problem}")


def validate_node(node: Node) -> None:
    """Raise :class:`SchemaError` naming the record if ``node`` breaks the schema."""
    spec = SCHEMA.node(node.label)
    if not isinstance(node.id, str) or not node.id:
        raise SchemaError(f"{node.label} node without its key 'id': {node.props!r:.200}")
    if not is_unicode(node.id):
        raise SchemaError(f"{node.describe()}: id is not valid Unicode (lone surrogate)")
    for name in spec.required:
        if node.props.get(name) in (None, ""):
            raise SchemaError(f"{node.describe()}: required property {name!r} is missing")
    _check_props(node, node.props, SCHEMA.node_properties(node.label))


def validate_relationship(
    rel: Relationship, start_label: str | None = None, end_label: str | None = None
) -> None:
    """Raise :class:`SchemaError` if ``rel`` breaks the schema.

    When the endpoint labels are known, they must be the ones the schema fixes for the type.
    """
    spec = SCHEMA.rel(rel.type)
    if not rel.start or not rel.end:
        raise SchemaError(f"{rel.describe()}: both endpoints need an id")
    if not all(isinstance(end, str) and is_unicode(end) for end in (rel.start, rel.end)):
        raise SchemaError(f"{rel.describe()}: id is not valid Unicode (lone surrogate)")
    for side, label, want in (("start", start_label, spec.start), ("end", end_label, spec.end)):
        if label is not None and label != want:
            raise SchemaError(f"{rel.describe()}: {side} must be a {want}, not a {label}")
    for name in spec.key:
        if rel.props.get(name) in (None, ""):
            raise SchemaError(f"{rel.describe()}: key property {name!r} is missing")
    _check_props(rel, rel.props, SCHEMA.rel_properties(rel.type))


def merge_props(old: Props, new: Props, specs: dict[str, PropertySpec]) -> Props:
    """Merge ``new`` into ``old`` following each property's rule; returns a new dict.

    Neo4j's merge Cypher (graph/neo4j/cypher_write.py) implements the same rules; the contract
    tests hold the two to the same result.
    """
    if not old:
        # A new element (the common case in a bulk ingest): copy, with lists copied too.
        return {
            name: list(value) if type(value) is list else value
            for name, value in new.items()
            if value is not None
        }
    out = dict(old)
    for name, value in new.items():
        if value is None:
            continue
        current = out.get(name)
        rule = specs[name].rule
        if current is None:
            out[name] = list(value) if isinstance(value, list) else value
        elif rule == "union":
            out[name] = list(current) + [v for v in value if v not in current]
        elif rule == "min":
            out[name] = min(current, value)
        elif rule == "max":
            out[name] = max(current, value)
        else:
            out[name] = value
    return out
