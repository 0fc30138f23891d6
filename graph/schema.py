"""The schema, loaded once from ``schema.toml``.

Everything that needs to know which labels, relationship types and properties exist asks this
module: validation here, Neo4j constraints and merge Cypher in ``queries/``, export headers in the
exporters. Nothing else spells out those lists.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, Literal

from .errors import SchemaError

MergeRule = Literal["replace", "union", "min", "max"]
SCALAR_TYPES = {"string": str, "int": int, "float": float, "bool": bool}


@dataclass(frozen=True)
class PropertySpec:
    """One property: its type (``string``, ``int[]`` …) and how upserts merge it."""

    name: str
    type: str
    rule: MergeRule = "replace"
    doc: str = ""
    # An index a store keeps for its own queries (``index = true`` in schema.toml), not a fact:
    # stores never return it as one of a node's properties.
    index: bool = False
    _item: Any = field(init=False, repr=False, compare=False)  # the scalar Python type
    _list: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Precomputed for check(), which runs for every property of every record ingested.
        object.__setattr__(self, "_item", SCALAR_TYPES.get(self.scalar, object))
        object.__setattr__(self, "_list", self.is_list)

    @property
    def is_list(self) -> bool:
        return self.type.endswith("[]")

    @property
    def scalar(self) -> str:
        return self.type.removesuffix("[]")

    def check(self, value: Any) -> str | None:
        """Return why ``value`` does not fit this property, or None if it does."""
        if value is None:
            return None
        # Fast path for the common cases, run for every property of every record ingested: an
        # exact str (ASCII, so surely valid Unicode), int or float of the declared type, or a list
        # of them. Anything else takes the full check below, which says what is wrong.
        kind = type(value)
        if kind is list:
            if self._list and all(_plain(item, self._item) for item in value):
                return None
        elif not self._list and _plain(value, self._item):
            return None
        expected = SCALAR_TYPES[self.scalar]
        items = value if self.is_list else [value]
        if self.is_list and not isinstance(value, list):
            return f"{self.name} must be a list of {self.scalar}, got {type(value).__name__}"
        for item in items:
            ok = isinstance(item, expected) and not (expected is int and isinstance(item, bool))
            if expected is float and isinstance(item, int) and not isinstance(item, bool):
                ok = True
            if not ok:
                return f"{self.name} must be {self.type}, got {type(item).__name__} {item!r:.60}"
            if isinstance(item, str) and not is_unicode(item):
                # A lone surrogate (JSON "\udcff") cannot be saved as UTF-8 nor sent to Neo4j.
                return f"{self.name} is not valid Unicode text (lone surrogate) {item!r:.60}"
            if isinstance(item, int) and not isinstance(item, bool) and item not in INT64:
                # Neo4j's integers are 64-bit, and so are the embedded file's (orjson).
                return f"{self.name} {item} exceeds 64-bit integers"
            if isinstance(item, float) and not math.isfinite(item):
                # The embedded file would keep NaN as null; exports refuse it.
                return f"{self.name} {item} is not a finite number"
        return None


INT64 = range(-(2**63), 2**63)


def _plain(value: Any, expected: type) -> bool:
    """A value that surely fits ``expected``: the exact type (an int for a float), ASCII text,
    a 64-bit integer, a finite float."""
    kind = type(value)
    if kind is str:
        return expected is str and value.isascii()
    if kind is int:
        return (expected is int or expected is float) and value in INT64
    if kind is float:
        return expected is float and math.isfinite(value)
    return kind is expected


def is_unicode(text: str) -> bool:
    """True if ``text`` can be encoded as UTF-8 (no lone surrogates)."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class NodeSpec:
    label: str
    doc: str
    required: tuple[str, ...]
    properties: dict[str, PropertySpec]


@dataclass(frozen=True)
class RelSpec:
    type: str
    doc: str
    start: str
    end: str
    key: tuple[str, ...]
    properties: dict[str, PropertySpec]


@dataclass(frozen=True)
class Schema:
    """Labels, relationship types and provenance properties, as declared in schema.toml."""

    version: int
    base_label: str
    provenance: dict[str, PropertySpec]
    nodes: dict[str, NodeSpec]
    relationships: dict[str, RelSpec]
    _node_props: dict[str, dict[str, PropertySpec]] = field(init=False, repr=False, compare=False)
    _rel_props: dict[str, dict[str, PropertySpec]] = field(init=False, repr=False, compare=False)
    _index_names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Property tables merged with provenance once, not on every record validated or merged.
        node_props = {label: {**self.provenance, **n.properties} for label, n in self.nodes.items()}
        rel_props = {t: {**self.provenance, **r.properties} for t, r in self.relationships.items()}
        object.__setattr__(self, "_node_props", node_props)
        hidden = frozenset(n for t in node_props.values() for n, spec in t.items() if spec.index)
        object.__setattr__(self, "_index_names", hidden)
        object.__setattr__(self, "_rel_props", rel_props)

    @property
    def index_properties(self) -> frozenset[str]:
        """Names of the properties that are a store's index, not facts (see PropertySpec)."""
        return self._index_names

    def facts(self, props: dict[str, Any]) -> dict[str, Any]:
        """``props`` without the index properties: what a reader is shown of a node."""
        hidden = self._index_names
        if not hidden or hidden.isdisjoint(props):
            return props
        return {k: v for k, v in props.items() if k not in hidden}

    def node(self, label: str) -> NodeSpec:
        try:
            return self.nodes[label]
        except KeyError:
            raise SchemaError(
                f"unknown node label {label!r}; known: {sorted(self.nodes)}"
            ) from None

    def rel(self, rel_type: str) -> RelSpec:
        try:
            return self.relationships[rel_type]
        except KeyError:
            known = sorted(self.relationships)
            raise SchemaError(f"unknown relationship type {rel_type!r}; known: {known}") from None

    def node_properties(self, label: str) -> dict[str, PropertySpec]:
        """Every property a node of ``label`` may carry, provenance included (``id`` excluded).

        The same dict is returned on every call: read it, never change it.
        """
        if label not in self._node_props:
            self.node(label)  # raises, naming the known labels
        return self._node_props[label]

    def rel_properties(self, rel_type: str) -> dict[str, PropertySpec]:
        """Every property a relationship of ``rel_type`` may carry, provenance included.

        The same dict is returned on every call: read it, never change it.
        """
        if rel_type not in self._rel_props:
            self.rel(rel_type)  # raises, naming the known types
        return self._rel_props[rel_type]


def _props(table: dict[str, Any]) -> dict[str, PropertySpec]:
    out: dict[str, PropertySpec] = {}
    for name, spec in table.items():
        prop = PropertySpec(
            name=name,
            type=spec["type"],
            rule=spec.get("rule", "replace"),
            doc=spec.get("doc", ""),
            index=bool(spec.get("index", False)),
        )
        if prop.scalar not in SCALAR_TYPES:
            raise SchemaError(f"schema.toml: property {name!r} has unknown type {prop.type!r}")
        out[name] = prop
    return out


def parse_schema(text: str) -> Schema:
    """Build a :class:`Schema` from TOML text (see schema.toml for the format)."""
    raw = tomllib.loads(text)
    nodes = {
        label: NodeSpec(
            label=label,
            doc=spec.get("doc", ""),
            required=tuple(spec.get("required", ())),
            properties=_props(spec.get("properties", {})),
        )
        for label, spec in raw["nodes"].items()
    }
    rels = {}
    for rel_type, spec in raw["relationships"].items():
        for end in ("start", "end"):
            if spec[end] not in nodes:
                raise SchemaError(
                    f"schema.toml: {rel_type}.{end} names unknown label {spec[end]!r}"
                )
        rels[rel_type] = RelSpec(
            type=rel_type,
            doc=spec.get("doc", ""),
            start=spec["start"],
            end=spec["end"],
            key=tuple(spec.get("key", ())),
            properties=_props(spec.get("properties", {})),
        )
    return Schema(
        version=int(raw["version"]),
        base_label=raw["base_label"],
        provenance=_props(raw["provenance"]),
        nodes=nodes,
        relationships=rels,
    )


@cache
def load_schema() -> Schema:
    """The packaged schema (cached: it is immutable)."""
    text = resources.files(__package__).joinpath("schema.toml").read_text(encoding="utf-8")
    return parse_schema(text)


SCHEMA = load_schema()
