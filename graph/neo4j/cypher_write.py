"""Cypher for writes and schema set-up, derived from the schema.

Merge rules (replace, union, min, max) are the same as :func:`graph.records.merge_props`; the
store contract tests hold both implementations to the same results.

A row carries an element's non-null properties in parts (see :class:`Rows`): replace-rule
properties, union/min/max properties, and the provenance the batch shares. A new element takes
them as they are (that is what merging into nothing gives); an existing node takes the
replace-rule part with one ``+=`` and each other property through its own rule expression
(relationships name every property: see :func:`_on_match`). Keeping the per-property
expressions to the few rule properties matters: they run for every row of every batch.
Shared provenance is sent once per batch because packing every value of every row is the
writer's main cost on the Python side (pure-Python Bolt packing).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import orjson

from ..schema import SCHEMA, PropertySpec
from .cypher import render

# Provenance that most elements of a batch share (one dataset, one version): sent once per
# batch in ``$shared`` and referenced by index from each row. ``source_record`` differs per
# record, so it travels in the row.
SHARED = tuple(name for name in SCHEMA.provenance if name != "source_record")


def _source(spec: PropertySpec) -> str:
    """Where a row holds ``spec``'s new value (see :class:`Rows`)."""
    # `$shared[row.v]` is written out in each expression: binding it first with WITH made the
    # planner add an Eager (read/set conflict), which buffers every row of the batch.
    if spec.name in SHARED:
        return f"$shared[row.v].{spec.name}"
    return f"row.{'r' if spec.rule == 'replace' else 'u'}.{spec.name}"


def _assign(var: str, spec: PropertySpec) -> str:
    new = _source(spec)
    cur = f"{var}.{spec.name}"
    if spec.rule == "union":
        expr = (
            f"CASE WHEN {new} IS NULL THEN {cur} WHEN {cur} IS NULL THEN {new} "
            f"ELSE {cur} + [x IN {new} WHERE NOT x IN {cur}] END"
        )
    elif spec.rule in ("min", "max"):
        op = "<" if spec.rule == "min" else ">"
        expr = (
            f"CASE WHEN {new} IS NULL THEN {cur} WHEN {cur} IS NULL OR {new} {op} {cur} "
            f"THEN {new} ELSE {cur} END"
        )
    else:
        expr = f"coalesce({new}, {cur})"
    return f"{cur} = {expr}"


def _on_match(var: str, specs: dict[str, PropertySpec], *, by_map: bool) -> str:
    # With by_map, the replace-rule properties of the row are one `+=` and only the others
    # need an expression each. Relationships name every property instead: a `+=` on a
    # relationship makes the planner add an Eager (a read/set conflict with the endpoint
    # MATCHes), which buffers the whole batch.
    if by_map:
        parts = [f"{var} += row.r"]
        parts += [
            _assign(var, spec)
            for spec in specs.values()
            if spec.rule != "replace" or spec.name in SHARED
        ]
    else:
        parts = [_assign(var, spec) for spec in specs.values()]
    return "  ON MATCH SET " + ",\n    ".join(parts)


def _on_create(var: str, specs: dict[str, PropertySpec]) -> str:
    """Every property from the row as it is (merging into nothing); null sets nothing."""
    return "  ON CREATE SET " + ",\n    ".join(
        f"{var}.{spec.name} = {_source(spec)}" for spec in specs.values()
    )


@cache
def _rules(kind: str, is_node: bool) -> frozenset[str]:
    """Properties that travel in a row's ``u`` map: rule properties other than provenance."""
    specs = SCHEMA.node_properties(kind) if is_node else SCHEMA.rel_properties(kind)
    return frozenset(
        name for name, spec in specs.items() if spec.rule != "replace" and name not in SHARED
    )


class Rows:
    """Builds the rows of one batch for :func:`merge_nodes` / :func:`merge_relationships`.

    A row is ``{id, r, u, v}`` (``{s, e, r, u, v}`` for a relationship): ``r`` holds the
    non-null replace-rule properties, ``u`` the non-null union/min/max ones, and ``v`` is the
    index in :attr:`shared` of the row's provenance (``SHARED``). Pass ``shared`` as ``$shared``
    with every statement of the batch.
    """

    def __init__(self) -> None:
        self.shared: list[dict[str, Any]] = []
        self._index: dict[bytes, int] = {}

    def _parts(self, rules: frozenset[str], props: dict[str, Any]) -> tuple[Any, Any, int]:
        replace: dict[str, Any] = {}
        other: dict[str, Any] = {}
        prov: dict[str, Any] = {}
        for name, value in props.items():
            if value is None:
                continue
            if name in rules:
                other[name] = value
            elif name in SHARED:
                prov[name] = value
            else:
                replace[name] = value
        key = orjson.dumps(prov)
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self.shared)
            self.shared.append(prov)
        return replace, other, index

    def node(self, label: str, node_id: str, props: dict[str, Any]) -> dict[str, Any]:
        """The row for one node of ``label``."""
        replace, other, index = self._parts(_rules(label, True), props)
        return {"id": node_id, "r": replace, "u": other, "v": index}

    def relationship(
        self, rel_type: str, start: str, end: str, props: dict[str, Any]
    ) -> dict[str, Any]:
        """The row for one relationship of ``rel_type``."""
        replace, other, index = self._parts(_rules(rel_type, False), props)
        return {"s": start, "e": end, "r": replace, "u": other, "v": index}


@cache
def merge_nodes(label: str) -> str:
    """``UNWIND $rows`` upsert of ``label`` nodes; rows and ``$shared`` come from :class:`Rows`.

    A batch must hold each id at most once (the writer merges repeats first): MERGE sees the
    rows one by one, but the rules are applied once per row, so this only keeps work down.
    """
    return render(
        "merge_nodes",
        label=label,
        on_match=_on_match("n", SCHEMA.node_properties(label), by_map=True),
    )


@cache
def merge_relationships(rel_type: str) -> str:
    """``UNWIND $rows`` upsert of ``rel_type``; rows and ``$shared`` come from :class:`Rows`.

    Returns ``written``, the number of rows whose endpoints were found.
    """
    spec = SCHEMA.rel(rel_type)
    rules = _rules(rel_type, False)
    keys = ", ".join(f"{k}: row.{'u' if k in rules else 'r'}.{k}" for k in spec.key)
    return render(
        "merge_relationships",
        rel_type=rel_type,
        start=SCHEMA.node(spec.start).label,
        end=SCHEMA.node(spec.end).label,
        key=("{" + keys + "}") if keys else "",
        on_create=_on_create("r", SCHEMA.rel_properties(rel_type)),
        on_match=_on_match("r", SCHEMA.rel_properties(rel_type), by_map=False),
    )


@cache
def delete_relationships(rel_type: str) -> str:
    """``UNWIND $rows`` removal of ``rel_type`` relationships by key; rows ``{s, e, k}`` hold
    the ends and the key property values as :attr:`Relationship.key` spells them (text, ''
    when unset). Returns ``deleted``."""
    spec = SCHEMA.rel(rel_type)
    match = " AND ".join(
        f"coalesce(toString(r.{k}), '') = row.k[{i}]" for i, k in enumerate(spec.key)
    )
    return render(
        "delete_relationships",
        rel_type=rel_type,
        start=SCHEMA.node(spec.start).label,
        end=SCHEMA.node(spec.end).label,
        key=match or "true",
    )


def constraints() -> list[str]:
    """Uniqueness constraints (which also index ``id``) and name indexes, from the schema."""
    statements = []
    for target in (SCHEMA.base_label, *SCHEMA.nodes):
        statements.append(render("constraint_unique_id", name=target.lower(), target=target))
    for label, spec in SCHEMA.nodes.items():
        for prop in ("name", "year", "ror_id", "doi", "orcid", "openalex_id"):
            if prop in spec.properties:
                statements.append(
                    render(
                        "index_property", name=f"{label.lower()}_{prop}", target=label, prop=prop
                    )
                )
    return statements
