"""The home of every Cypher text: named ``.cypher`` files in ``queries/cypher/``.

A file may hold ``{label}``, ``{type}`` or ``{set}`` placeholders. :func:`render` fills them only
with labels and relationship types that exist in the schema (and with SET clauses that
:mod:`queries.cypher_write` derives from it); values always travel as ``$parameters``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from collabgraph.graph.schema import SCHEMA


@cache
def load(name: str) -> str:
    """The text of ``queries/cypher/<name>.cypher``."""
    path = resources.files(__package__).joinpath("cypher", f"{name}.cypher")
    return path.read_text(encoding="utf-8")


def render(
    template: str, *, label: str | None = None, rel_type: str | None = None, **fragments: str
) -> str:
    """``load(template)`` with schema-checked placeholders filled in.

    ``label`` and ``rel_type`` are checked against the schema (an unknown one raises
    SchemaError); ``fragments`` are Cypher pieces built from the schema by this package.
    """
    text = load(template)
    subs: dict[str, str] = dict(fragments)
    if label is not None:
        subs["label"] = SCHEMA.node(label).label
    if rel_type is not None:
        subs["type"] = SCHEMA.rel(rel_type).type
    subs["base"] = SCHEMA.base_label
    for key, value in subs.items():
        text = text.replace("{" + key + "}", value)
    return text
