"""A Cypher script that rebuilds the graph in an empty Neo4j (``cypher-shell -f graph.cypher``).

The script starts with the schema's uniqueness constraints, then has one statement per batch of
up to 500 nodes of a label or relationships of a type: the statements in
``graph/neo4j/cypher/snapshot_nodes.cypher`` and ``snapshot_relationships.cypher`` with their
``$rows`` parameter written out as a Cypher list literal (see :mod:`.cypher_literal` for the
escaping). Labels and types come only from the schema. Every statement is one line ending in
``;`` (string literals escape newlines), which is also how import reads the script back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from collabgraph.graph.neo4j import cypher, cypher_write
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import SCHEMA

from .checks import checked
from .cypher_literal import literal, parse_literal
from .manifest import SnapshotError
from .source import Source, Tracker
from .textio import utf8_lines

FILE = "graph.cypher"
BATCH = 500


def _one_line(text: str) -> str:
    lines = (line.strip() for line in text.splitlines())
    return " ".join(line for line in lines if line and not line.startswith("//"))


@cache
def node_statement(label: str) -> str:
    return _one_line(cypher.render("snapshot_nodes", label=label))


@cache
def rel_statement(rel_type: str) -> str:
    spec = SCHEMA.rel(rel_type)
    keys = ", ".join(f"{k}: row.p.{k}" for k in spec.key)
    return _one_line(
        cypher.render(
            "snapshot_relationships",
            rel_type=rel_type,
            start=SCHEMA.node(spec.start).label,
            end=SCHEMA.node(spec.end).label,
            key=("{" + keys + "}") if keys else "",
        )
    )


def _inline(statement: str, rows: list[dict[str, Any]]) -> str:
    head, sep, tail = statement.partition("$rows")
    if not sep or "$rows" in tail:
        raise SnapshotError("snapshot statement template must use $rows exactly once")
    return head + literal(rows) + tail + ";\n"


def _batches(items: Iterable[Any]) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _props(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if v is not None}


def write(directory: Path, source: Source, tracker: Tracker) -> list[Path]:
    """Stream the script to ``directory/graph.cypher``."""
    path = directory / FILE
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        fh.write(
            "// collabgraph snapshot: run into an empty Neo4j 5 database with\n"
            "//   cypher-shell -a bolt://HOST:7687 -u USER -f graph.cypher\n"
        )
        for statement in cypher_write.constraints():
            fh.write(_one_line(statement) + ";\n")
        for label in SCHEMA.nodes:
            nodes = tracker.track_nodes(source.nodes(label))
            for batch in _batches(nodes):
                rows = [{"id": n.id, "p": _props(n.props)} for n in batch]
                fh.write(_inline(node_statement(label), rows))
        for rel_type in SCHEMA.relationships:
            rels = tracker.track_relationships(source.relationships(rel_type))
            for batch in _batches(rels):
                rows = [{"s": r.start, "e": r.end, "p": _props(r.props)} for r in batch]
                fh.write(_inline(rel_statement(rel_type), rows))
    return [path]


def numbered_statements(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, statement without the final ``;``) of the script, one per line."""
    for number, line in utf8_lines(path):
        text = line.strip()
        if text and not text.startswith("//"):
            yield number, text.removesuffix(";")


def statements(path: Path) -> Iterator[str]:
    """The script's statements (without the final ``;``), one per line."""
    for _, text in numbered_statements(path):
        yield text


# Schema statements are skipped on import (the store makes its own); any other statement is
# refused, so a script that would do more in cypher-shell than the import does is not loaded.
_SCHEMA_STMT = re.compile(
    r"CREATE (CONSTRAINT|INDEX) \w+ IF NOT EXISTS FOR \(n:\w+\) "
    r"(REQUIRE n\.\w+ IS UNIQUE|ON \(n\.\w+\))"
)


@cache
def _tails() -> dict[str, tuple[bool, str]]:
    """What follows the ``$rows`` literal in each accepted statement → (is node, label/type)."""
    out: dict[str, tuple[bool, str]] = {}
    for label in SCHEMA.nodes:
        out[" ".join(node_statement(label).partition("$rows")[2].split())] = (True, label)
    for rel_type in SCHEMA.relationships:
        out[" ".join(rel_statement(rel_type).partition("$rows")[2].split())] = (False, rel_type)
    return out


def _text(row: dict[str, Any], key: str, where: str) -> str:
    value = row.get(key)
    if not isinstance(value, str):
        raise SnapshotError(f"{where}: {key!r} is {value!r:.60}, not a string")
    return value


def read(path: Path) -> Iterator[Node | Relationship]:
    """The nodes and relationships in a script's UNWIND literals, statement by statement.

    Only the statements the exporter writes are accepted: schema statements (skipped) and
    ``UNWIND <literal>`` followed by exactly one of the snapshot statement templates.
    """
    for line, text in numbered_statements(path):
        where = f"{path}:{line}"
        if _SCHEMA_STMT.fullmatch(text):
            continue
        if not text.startswith("UNWIND "):
            raise SnapshotError(f"{where}: not a statement of a collabgraph snapshot script")
        rows, end = parse_literal(text[len("UNWIND ") :], where)
        tail = " ".join(text[len("UNWIND ") + end :].split())
        if not isinstance(rows, list) or tail not in _tails():
            raise SnapshotError(f"{where}: not a statement of a collabgraph snapshot script")
        is_node, name = _tails()[tail]
        for index, row in enumerate(rows):
            at = f"{where}: row {index}"
            if not isinstance(row, dict):
                raise SnapshotError(f"{at}: not a map")
            props = row.get("p") or {}
            if not isinstance(props, dict):
                raise SnapshotError(f"{at}: 'p' is {props!r:.60}, not a map")
            if is_node:
                yield checked(Node(name, _text(row, "id", at), props), at)
            else:
                rel = Relationship(name, _text(row, "s", at), _text(row, "e", at), props)
                yield checked(rel, at)
