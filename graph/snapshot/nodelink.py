"""Node-link JSON, the networkx convention (``networkx.node_link_graph(data, edges="links")``).

Layout: ``{"directed": true, "multigraph": true, "graph": {...}, "nodes": [...], "links": [...]}``.
A node is ``{"id", "label", "props"}`` and a link ``{"source", "target", "key", "type",
"props"}``: properties stay in their own object because the provenance property ``source``
would otherwise collide with the link's ``source`` end. Lists are plain JSON lists.
Loaded with networkx, the graph has the same node and edge attributes as the embedded store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.schema import SCHEMA

from .manifest import SnapshotError
from .source import Source, Tracker

FILE = "graph.json"


def _link_key(rel: Relationship) -> str:
    return "|".join([rel.type, *(str(rel.props.get(k, "")) for k in SCHEMA.rel(rel.type).key)])


def write(directory: Path, source: Source, tracker: Tracker) -> list[Path]:
    """Stream the graph to ``directory/graph.json``, one element per line."""
    path = directory / FILE
    with path.open("wb") as fh:
        fh.write(b'{"directed": true, "multigraph": true, ')
        fh.write(b'"graph": {"generator": "collabgraph"},\n"nodes": [')
        sep = b"\n"
        for node in tracker.track_nodes(source.nodes()):
            fh.write(sep + orjson.dumps({"id": node.id, "label": node.label, "props": node.props}))
            sep = b",\n"
        fh.write(b'\n],\n"links": [')
        sep = b"\n"
        for rel in tracker.track_relationships(source.relationships()):
            row = {
                "source": rel.start,
                "target": rel.end,
                "key": _link_key(rel),
                "type": rel.type,
                "props": rel.props,
            }
            fh.write(sep + orjson.dumps(row))
            sep = b",\n"
        fh.write(b"\n]}\n")
    return [path]


def _dict(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SnapshotError(f"{where}: expected an object, got {type(value).__name__}")
    return value


def read(path: Path) -> tuple[Iterator[Node], Iterator[Relationship]]:
    """Nodes and relationships of a node-link file (the whole file is parsed at once)."""
    try:
        data = _dict(orjson.loads(path.read_bytes()), str(path))
    except orjson.JSONDecodeError as exc:
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from None
    links_name = "links" if "links" in data else "edges"

    def nodes() -> Iterator[Node]:
        for index, raw in enumerate(data.get("nodes", [])):
            row = _dict(raw, f"{path}: nodes[{index}]")
            yield Node(str(row.get("label")), str(row.get("id")), dict(row.get("props") or {}))

    def rels() -> Iterator[Relationship]:
        for index, raw in enumerate(data.get(links_name, [])):
            row = _dict(raw, f"{path}: {links_name}[{index}]")
            yield Relationship(
                str(row.get("type")),
                str(row.get("source")),
                str(row.get("target")),
                dict(row.get("props") or {}),
            )

    return nodes(), rels()
