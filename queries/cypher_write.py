"""Cypher for writes and schema set-up, derived from the schema.

Merge rules (replace, union, min, max) are the same as :func:`graph.records.merge_props`; the
store contract tests hold both implementations to the same results.
"""

from __future__ import annotations

from functools import cache

from collabgraph.graph.schema import SCHEMA, PropertySpec

from .cypher import render


def _assign(var: str, spec: PropertySpec) -> str:
    new = f"row.p.{spec.name}"
    cur = f"{var}.{spec.name}"
    if spec.rule == "union":
        expr = (
            f"CASE WHEN {new} IS NULL THEN {cur} ELSE coalesce({cur}, []) + "
            f"[v IN {new} WHERE NOT v IN coalesce({cur}, [])] END"
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


def _set_clause(var: str, specs: dict[str, PropertySpec]) -> str:
    return "SET " + ",\n    ".join(_assign(var, spec) for spec in specs.values())


@cache
def merge_nodes(label: str) -> str:
    """``UNWIND $rows`` upsert of ``label`` nodes; rows are ``{id, p}``."""
    return render("merge_nodes", label=label, set=_set_clause("n", SCHEMA.node_properties(label)))


@cache
def merge_relationships(rel_type: str) -> str:
    """``UNWIND $rows`` upsert of ``rel_type``; rows are ``{s, e, p}``. Returns ``written``."""
    spec = SCHEMA.rel(rel_type)
    keys = ", ".join(f"{k}: row.p.{k}" for k in spec.key)
    return render(
        "merge_relationships",
        rel_type=rel_type,
        start=SCHEMA.node(spec.start).label,
        end=SCHEMA.node(spec.end).label,
        key=("{" + keys + "}") if keys else "",
        set=_set_clause("r", SCHEMA.rel_properties(rel_type)),
    )


def constraints() -> list[str]:
    """Uniqueness constraints (which also index ``id``) and name indexes, from the schema."""
    statements = []
    for target in (SCHEMA.base_label, *SCHEMA.nodes):
        statements.append(render("constraint_unique_id", name=target.lower(), target=target))
    for label, spec in SCHEMA.nodes.items():
        for prop in ("name", "year", "ror_id", "doi"):
            if prop in spec.properties:
                statements.append(
                    render(
                        "index_property", name=f"{label.lower()}_{prop}", target=label, prop=prop
                    )
                )
    return statements
