"""The schema, loaded once from ``schema.toml``.

Everything that needs to know which labels, relationship types and properties exist asks this
module: validation here, Neo4j constraints and merge Cypher in ``queries/``, export headers in the
exporters. Nothing else spells out those lists.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
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
        return None


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
        """Every property a node of ``label`` may carry, provenance included (``id`` excluded)."""
        return {**self.provenance, **self.node(label).properties}

    def rel_properties(self, rel_type: str) -> dict[str, PropertySpec]:
        """Every property a relationship of ``rel_type`` may carry, provenance included."""
        return {**self.provenance, **self.rel(rel_type).properties}


def _props(table: dict[str, Any]) -> dict[str, PropertySpec]:
    out: dict[str, PropertySpec] = {}
    for name, spec in table.items():
        prop = PropertySpec(
            name=name, type=spec["type"], rule=spec.get("rule", "replace"), doc=spec.get("doc", "")
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
