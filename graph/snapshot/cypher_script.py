"""A Cypher script that rebuilds the graph in an empty Neo4j (``cypher-shell -f graph.cypher``).

The script starts with the schema's uniqueness constraints, then has one statement per batch of
up to 500 nodes of a label or relationships of a type: the statements in
``queries/cypher/snapshot_nodes.cypher`` and ``snapshot_relationships.cypher`` with their
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

from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import SCHEMA
from collabgraph.queries import cypher, cypher_write

from .cypher_literal import literal, parse_literal
from .manifest import SnapshotError
from .source import Source, Tracker

FILE = "graph.cypher"
BATCH = 500
_NODE_STMT = re.compile(r"\s*AS row MERGE \(n:(\w+) ")
_REL_STMT = re.compile(r"\s*AS row MATCH .*MERGE \(a\)-\[r:(\w+)")


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


def statements(path: Path) -> Iterator[str]:
    """The script's statements (without the final ``;``), one per line."""
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            text = line.strip()
            if text and not text.startswith("//"):
                yield text.removesuffix(";")


def read(path: Path) -> Iterator[Node | Relationship]:
    """The nodes and relationships in a script's UNWIND literals, statement by statement."""
    for number, text in enumerate(statements(path), start=1):
        if not text.startswith("UNWIND "):
            continue  # constraints
        where = f"{path}: statement {number}"
        rows, end = parse_literal(text[len("UNWIND ") :], where)
        tail = text[len("UNWIND ") + end :]
        node_match, rel_match = _NODE_STMT.match(tail), _REL_STMT.match(tail)
        if not isinstance(rows, list) or not (node_match or rel_match):
            raise SnapshotError(f"{where}: not a statement of a collabgraph snapshot script")
        for row in rows:
            if not isinstance(row, dict):
                raise SnapshotError(f"{where}: a row that is not a map")
            if node_match:
                yield Node(node_match.group(1), str(row.get("id")), row.get("p") or {})
            elif rel_match:
                yield Relationship(
                    rel_match.group(1), str(row.get("s")), str(row.get("e")), row.get("p") or {}
                )
