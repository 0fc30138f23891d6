"""The embedded store: a networkx MultiDiGraph in memory, persisted to one file.

File format (documented in ARCHITECTURE.md): gzip-compressed JSON lines. The first line is a
header ``{"format": "collabgraph-embedded", "format_version": 1, "schema_version": N}``; then one
line per node ``{"n": label, "id": id, "p": {props}}`` and one per relationship
``{"r": type, "s": start, "e": end, "p": {props}}``. Saving writes a temporary file beside the
target, fsyncs it and renames it over the target, so the file is always either the old or the
new graph, never a torn one.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import networkx as nx
import orjson

from .contract import Counts, Direction, Subgraph
from .errors import SchemaError, StoreError
from .records import Node, Relationship, merge_props, validate_node, validate_relationship
from .schema import SCHEMA

FORMAT = "collabgraph-embedded"
FORMAT_VERSION = 1


def _edge_key(rel: Relationship) -> str:
    """The networkx key of a relationship: its type, plus its key properties if it has any."""
    key_props = SCHEMA.rel(rel.type).key
    if not key_props:
        return rel.type
    return "\x1f".join((rel.type, *(str(rel.props.get(k, "")) for k in key_props)))


class _Sharer:
    """Makes equal strings read from the file one object, for the time of one load.

    The parser returns a new string object for every value, yet most values repeat: property
    names, types, dataset names, dates, methods, the same raw affiliation on many authorships.
    Sharing them cuts the loaded graph's memory by about a third (BENCHMARKS.md, memory).
    Strings only: lists and dicts stay per element, because a merge replaces them and a reader
    may change the copy it was given.
    """

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def one(self, text: str) -> str:
        return self._seen.setdefault(text, text)

    def props(self, props: dict[str, Any]) -> dict[str, Any]:
        seen = self._seen
        out: dict[str, Any] = {}
        for name, value in props.items():
            if isinstance(value, str):
                value = seen.setdefault(value, value)
            elif isinstance(value, list):
                value = [seen.setdefault(v, v) if isinstance(v, str) else v for v in value]
            out[seen.setdefault(name, name)] = value
        return out


class EmbeddedStore:
    """A graph kept in memory and saved atomically to ``path`` (created on first save)."""

    kind = "embedded"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.graph: nx.MultiDiGraph = nx.MultiDiGraph()
        if self.path.exists():
            self._load()

    @property
    def location(self) -> str:
        return str(self.path)

    # -- persistence -------------------------------------------------------------------------
    def _load(self) -> None:
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        try:
            with gzip.open(self.path, "rb") as fh:
                header = orjson.loads(fh.readline())
                if header.get("format") != FORMAT:
                    raise StoreError(f"{self.path}: not a collabgraph embedded store")
                if header.get("format_version") != FORMAT_VERSION:
                    raise StoreError(
                        f"{self.path}: store format version "
                        f"{header.get('format_version')} is not {FORMAT_VERSION}"
                    )
                share = _Sharer()
                for line_no, line in enumerate(fh, start=2):
                    rec = orjson.loads(line)
                    if "n" in rec:
                        graph.add_node(
                            rec["id"], label=share.one(rec["n"]), props=share.props(rec["p"])
                        )
                    elif "r" in rec:
                        rel = Relationship(
                            share.one(rec["r"]), rec["s"], rec["e"], share.props(rec["p"])
                        )
                        graph.add_edge(
                            rel.start,
                            rel.end,
                            key=share.one(_edge_key(rel)),
                            type=rel.type,
                            props=rel.props,
                        )
                    else:
                        raise StoreError(f"{self.path}:{line_no}: neither node nor relationship")
        except (OSError, EOFError, orjson.JSONDecodeError) as exc:
            raise StoreError(f"{self.path}: cannot read the store file ({exc})") from exc
        self.graph = graph

    def save(self) -> None:
        """Write the whole graph to a temporary file, then atomically replace the store file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with (
                os.fdopen(fd, "wb") as raw,
                gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as fh,
            ):
                fh.write(
                    orjson.dumps(
                        {
                            "format": FORMAT,
                            "format_version": FORMAT_VERSION,
                            "schema_version": SCHEMA.version,
                        }
                    )
                    + b"\n"
                )
                for node_id, data in self.graph.nodes(data=True):
                    fh.write(
                        orjson.dumps({"n": data["label"], "id": node_id, "p": data["props"]})
                        + b"\n"
                    )
                for start, end, data in self.graph.edges(data=True):
                    fh.write(
                        orjson.dumps({"r": data["type"], "s": start, "e": end, "p": data["props"]})
                        + b"\n"
                    )
                fh.flush()
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    # -- contract ----------------------------------------------------------------------------
    def writer(self, *, batch_size: int = 5000) -> EmbeddedWriter:
        return EmbeddedWriter(self, batch_size=batch_size)

    def view(self) -> EmbeddedView:
        return EmbeddedView(self.graph)

    def delete_nodes(self, node_ids: Iterable[str]) -> int:
        present = [n for n in node_ids if n in self.graph]
        self.graph.remove_nodes_from(present)
        self.save()
        return len(present)

    def clear(self) -> None:
        self.graph.clear()
        self.save()

    def close(self) -> None:
        """Nothing to release: every writer saves on exit."""

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"


class EmbeddedWriter:
    """Buffers records; a flush changes the graph only once the whole batch has passed its checks.

    Each record's properties are checked against the schema as it arrives (skipped with
    ``validated=True``, for callers such as the ingest pipeline that checked every record
    already); the checks that need the graph (label clashes, endpoints and their labels) run
    at flush, for the whole batch, before anything is changed.
    """

    def __init__(self, store: EmbeddedStore, *, batch_size: int) -> None:
        self.store = store
        self.batch_size = batch_size
        self._nodes: list[Node] = []
        self._rels: list[Relationship] = []

    def upsert_nodes(self, nodes: Iterable[Node], *, validated: bool = False) -> None:
        for node in nodes:
            if not validated:
                validate_node(node)
            self._nodes.append(node)
            if len(self._nodes) >= self.batch_size:
                self.flush()

    def upsert_relationships(
        self, relationships: Iterable[Relationship], *, validated: bool = False
    ) -> None:
        for rel in relationships:
            if not validated:
                validate_relationship(rel)
            self._rels.append(rel)
            if len(self._rels) >= self.batch_size:
                self.flush()

    def flush(self) -> None:
        nodes, rels = self._nodes, self._rels
        self._nodes, self._rels = [], []
        graph = self.store.graph
        known = graph.nodes
        labels: dict[str, str] = {}
        for node in nodes:
            existing = known[node.id]["label"] if node.id in known else labels.get(node.id)
            if existing is not None and existing != node.label:
                raise SchemaError(f"{node.describe()}: id already used by a {existing} node")
            labels[node.id] = node.label
        for rel in rels:
            spec = SCHEMA.rel(rel.type)
            for side, node_id, want in (
                ("start", rel.start, spec.start),
                ("end", rel.end, spec.end),
            ):
                label = labels.get(node_id) or known.get(node_id, {}).get("label")
                if label is None:
                    raise SchemaError(f"{rel.describe()}: endpoint {node_id!r} does not exist")
                if label != want:
                    raise SchemaError(f"{rel.describe()}: {side} must be a {want}, not a {label}")
        # Every check passed for the whole batch: from here on nothing can fail half-way.
        for node in nodes:
            specs = SCHEMA.node_properties(node.label)
            if node.id in known:
                data = known[node.id]
                data["props"] = merge_props(data["props"], node.props, specs)
            else:
                graph.add_node(node.id, label=node.label, props=merge_props({}, node.props, specs))
        for rel in rels:
            key = _edge_key(rel)
            specs = SCHEMA.rel_properties(rel.type)
            edge = graph.get_edge_data(rel.start, rel.end, key)
            if edge is not None:
                edge["props"] = merge_props(edge["props"], rel.props, specs)
            else:
                graph.add_edge(
                    rel.start,
                    rel.end,
                    key=key,
                    type=rel.type,
                    props=merge_props({}, rel.props, specs),
                )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.flush()
        else:
            self._nodes, self._rels = [], []
        # Batches already flushed are committed, as they are on Neo4j.
        self.store.save()


class EmbeddedView:
    """Reads straight from the in-memory graph."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph

    def _node(self, node_id: str) -> Node:
        data = self.graph.nodes[node_id]
        return Node(data["label"], node_id, dict(data["props"]))

    def get_node(self, node_id: str) -> Node | None:
        return self._node(node_id) if node_id in self.graph else None

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        return {n: self._node(n) for n in node_ids if n in self.graph}

    def neighbours(
        self, node_id: str, *, types: Iterable[str] | None = None, direction: Direction = "both"
    ) -> list[tuple[Relationship, Node]]:
        if node_id not in self.graph:
            return []
        wanted = set(types) if types is not None else None
        found: list[tuple[Relationship, Node]] = []
        edges: list[tuple[str, str, dict[str, Any]]] = []
        if direction in ("out", "both"):
            edges += list(self.graph.out_edges(node_id, data=True))
        if direction in ("in", "both"):
            edges += [
                e
                for e in self.graph.in_edges(node_id, data=True)
                if not (direction == "both" and e[0] == e[1])
            ]
        for start, end, data in edges:
            if wanted is not None and data["type"] not in wanted:
                continue
            other = end if start == node_id else start
            found.append(
                (Relationship(data["type"], start, end, dict(data["props"])), self._node(other))
            )
        found.sort(key=lambda pair: (pair[0].type, pair[0].start, pair[0].end))
        return found

    def relationships_between(self, node_ids: Iterable[str]) -> list[Relationship]:
        sub = self.graph.subgraph(set(node_ids))
        rels = [Relationship(d["type"], s, e, dict(d["props"])) for s, e, d in sub.edges(data=True)]
        return sorted(rels, key=lambda r: r.key)

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]:
        if label is not None:
            SCHEMA.node(label)
        for node_id, data in self.graph.nodes(data=True):
            if label is None or data["label"] == label:
                yield Node(data["label"], node_id, dict(data["props"]))

    def iter_relationships(self, rel_type: str | None = None) -> Iterator[Relationship]:
        if rel_type is not None:
            SCHEMA.rel(rel_type)
        for start, end, data in self.graph.edges(data=True):
            if rel_type is None or data["type"] == rel_type:
                yield Relationship(data["type"], start, end, dict(data["props"]))

    def counts(self) -> Counts:
        counts = Counts({label: 0 for label in SCHEMA.nodes}, {t: 0 for t in SCHEMA.relationships})
        for _, label in self.graph.nodes(data="label"):
            counts.nodes[label] += 1
        for _, _, rel_type in self.graph.edges(data="type"):
            counts.relationships[rel_type] += 1
        return counts

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        ids = [n for n in dict.fromkeys(node_ids) if n in self.graph]
        return Subgraph([self._node(n) for n in ids], self.relationships_between(ids))
