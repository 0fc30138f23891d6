"""The shared pieces of the Neo4j view's queries: checked types and labels, the year-window
parameters, and the rendered texts (cached: one text per template and type set)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from ..risk import YearWindow
from ..schema import SCHEMA
from . import cypher

# Property names the Cypher reads by parameter, so that Neo4j does not warn about keys a
# database does not hold yet.
KEYS = {
    "years": "years",
    "first_year": "first_year",
    "last_year": "last_year",
    "tier": "tier",
    "papers": "papers",
    "evidence": "evidence_papers",
}


def types_of(types: Iterable[str]) -> tuple[str, ...]:
    """Relationship types checked against the schema, sorted, each once."""
    return tuple(sorted({SCHEMA.rel(t).type for t in types}))


def labels_of(labels: Iterable[str]) -> list[str]:
    """Node labels checked against the schema, sorted, each once."""
    return sorted({SCHEMA.node(label).label for label in labels})


def window(years: YearWindow | None) -> dict[str, Any]:
    """The year-window parameters of window_rel.cypher and window_node.cypher."""
    lo, hi = years if years is not None else (None, None)
    return {"windowed": years is not None, "ymin": lo, "ymax": hi, **KEYS}


@cache
def text(template: str, types: tuple[str, ...] = (), node: str = "v") -> str:
    """``template`` with ``{types}`` (schema-checked, never empty here), the year-window
    fragments (relationship ``r``, node ``node``) and the schema labels filled in."""
    return cypher.render(
        template,
        types="|".join(types),
        rel_window=cypher.fragment("window_rel", r="r"),
        node_window=cypher.fragment("window_node", n=node),
    )


@cache
def named_exactly(labels: tuple[str, ...]) -> str:
    """named_exactly.cypher once per label (its name property: title for a paper), joined with
    UNION: one round trip, each branch served by its label's index."""
    parts = [
        cypher.render("named_exactly", label=label, prop="title" if label == "Paper" else "name")
        for label in labels
    ]
    return "\nUNION\n".join(parts)
