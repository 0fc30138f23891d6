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

from .checks import checked
from .manifest import SnapshotError
from .source import Source, Tracker

FILE = "graph.json"
HEADER = b'{"directed": true, "multigraph": true, "graph": {"generator": "collabgraph"},'


def _link_key(rel: Relationship) -> str:
    return "|".join([rel.type, *(str(rel.props.get(k, "")) for k in SCHEMA.rel(rel.type).key)])


def write(directory: Path, source: Source, tracker: Tracker) -> list[Path]:
    """Stream the graph to ``directory/graph.json``, one element per line."""
    path = directory / FILE
    with path.open("wb") as fh:
        fh.write(HEADER + b'\n"nodes": [')
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


def _props(row: dict[str, Any]) -> dict[str, Any]:
    props = row.get("props") or {}
    if not isinstance(props, dict):
        raise SnapshotError(f"element {str(row.get('id'))[:80]!r}: props is not an object")
    return dict(props)


def _node(row: dict[str, Any]) -> Node:
    return Node(str(row.get("label")), str(row.get("id")), _props(row))


def _rel(row: dict[str, Any]) -> Relationship:
    props = _props(row)
    return Relationship(str(row.get("type")), str(row.get("source")), str(row.get("target")), props)


def _streamed(path: Path) -> Iterator[Node | Relationship]:
    """Our own layout, one element per line: read line by line (bounded memory)."""
    section = ""
    finished = False
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            text = line.strip()
            if text in (b'"nodes": [', b'"links": ['):
                section = text[1:6].decode()
            elif text == b"]}":
                finished = True
            elif text.startswith(b"{") and number > 1:
                try:
                    row = _dict(orjson.loads(text.removesuffix(b",")), f"{path}:{number}")
                except orjson.JSONDecodeError as exc:
                    raise SnapshotError(f"{path}:{number}: not valid JSON ({exc})") from None
                record = _node(row) if section == "nodes" else _rel(row)
                yield checked(record, f"{path}:{number}")
    if not finished:
        raise SnapshotError(f"{path}: the file ends before the closing ]}} (truncated?)")


def read(path: Path) -> Iterator[Node | Relationship]:
    """The nodes, then the relationships, of a node-link file.

    Files in this module's layout are streamed line by line; any other node-link JSON (e.g.
    from ``networkx.node_link_data``, with ``props`` objects) is parsed whole.
    """
    with path.open("rb") as fh:
        first = fh.readline()
    if first.rstrip(b"\r\n") == HEADER:
        yield from _streamed(path)
        return
    try:
        data = _dict(orjson.loads(path.read_bytes()), str(path))
    except orjson.JSONDecodeError as exc:
        raise SnapshotError(f"{path}: not valid JSON ({exc})") from None
    links_name = "links" if "links" in data else "edges"
    if "nodes" not in data:
        raise SnapshotError(f'{path}: not a node-link graph (no "nodes" list at the top)')
    for key in ("nodes", links_name):
        if not isinstance(data.get(key, []), list):
            raise SnapshotError(f"{path}: {key!r} is not a list")
    for index, raw in enumerate(data.get("nodes", [])):
        where = f"{path}: nodes[{index}]"
        yield checked(_node(_dict(raw, where)), where)
    for index, raw in enumerate(data.get(links_name, [])):
        where = f"{path}: {links_name}[{index}]"
        yield checked(_rel(_dict(raw, where)), where)
