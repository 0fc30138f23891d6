"""The home of every Cypher text of the Neo4j store: named ``.cypher`` files in ``cypher/``.

A file may hold placeholders such as ``{label}``, ``{type}`` or ``{base}``. :func:`render`
fills them only with labels and relationship types that exist in the schema, with Cypher pieces
this package derives from the schema (:mod:`.cypher_write`), or with other files of ``cypher/``
(:func:`fragment`); values always travel as ``$parameters``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import LiteralString

from ..schema import SCHEMA


@cache
def load(name: str) -> str:
    """The text of ``cypher/<name>.cypher``."""
    path = resources.files(__package__).joinpath("cypher", f"{name}.cypher")
    return path.read_text(encoding="utf-8")


@cache
def fragment(name: str, **subs: str) -> str:
    """``cypher/<name>.cypher`` as a piece of an expression: comment lines dropped (so that the
    text around the placeholder it fills is not commented out), lines joined by spaces, and
    ``{key}`` placeholders filled from ``subs`` (variable names chosen by this package)."""
    lines = (line.strip() for line in load(name).splitlines())
    text = " ".join(line for line in lines if line and not line.startswith("//"))
    for key, value in subs.items():
        text = text.replace("{" + key + "}", value)
    return f"({text})"


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


def q(text: str) -> LiteralString:
    """A text of this package for the driver: every one comes from ``cypher/`` and the
    schema-derived clauses (a user's own query goes through :mod:`.user_query`)."""
    return text
