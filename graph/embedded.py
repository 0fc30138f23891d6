"""The embedded store: a networkx MultiDiGraph in memory, persisted to one file.

File format (documented in ARCHITECTURE.md): gzip-compressed JSON lines. The first line is a
header ``{"format": "collabgraph-embedded", "format_version": 1, "schema_version": N}``; then one
line per node ``{"n": label, "id": id, "p": {props}}`` and one per relationship
``{"r": type, "s": start, "e": end, "p": {props}}``. Saving writes a temporary file beside the
target, fsyncs it, renames it over the target and fsyncs the directory, so the file is always
either the old or the new graph, never a torn one.

Several processes may write one file. A write (a writer from its ``__enter__``, or its first
flush, to the save in its ``__exit__``; ``delete_nodes``; ``clear``) holds an exclusive lock on
the sidecar ``.<name>.lock`` (graph/filelock.py), waiting up to
``COLLABGRAPH_STORE_LOCK_TIMEOUT`` seconds (default 600) for another process to finish. Having
taken it, the store reloads the file if it changed since this object last loaded or saved it,
so the write lands on the other process's result instead of overwriting it, and removes
temporary files that killed saves left behind. Readers take no lock: they load whole files.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import networkx as nx
import orjson

from .embedded_view import EmbeddedView
from .errors import SchemaError, StoreError
from .filelock import FileLock, LockTimeout
from .records import Node, Relationship, merge_props, validate_node, validate_relationship
from .schema import SCHEMA
from .settings import seconds_from_env

FORMAT = "collabgraph-embedded"
FORMAT_VERSION = 1
LOCK_TIMEOUT_ENV = "COLLABGRAPH_STORE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0

# (st_ino, st_mtime_ns, st_size): every save is a new file renamed into place, so one stat
# tells whether the file is still the one this object last read or wrote.
FileIdentity = tuple[int, int, int]


def _identity(stat: os.stat_result) -> FileIdentity:
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _lock_timeout() -> float:
    """Seconds a write waits for another process's lock (``COLLABGRAPH_STORE_LOCK_TIMEOUT``)."""
    wait = "the lock wait"
    return seconds_from_env(
        LOCK_TIMEOUT_ENV, DEFAULT_LOCK_TIMEOUT, what=wait, error=StoreError, allow_zero=True
    )


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable; skipped where directories cannot be fsynced."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


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
        # The file as this object last loaded or saved it; None: there was no file.
        self._identity: FileIdentity | None = None
        self._lock = FileLock(self.path.parent / f".{self.path.name}.lock")
        if self.path.exists():
            self.graph, self._identity = self._read()

    @property
    def location(self) -> str:
        return str(self.path)

    # -- persistence -------------------------------------------------------------------------
    def _read(self) -> tuple[nx.MultiDiGraph, FileIdentity]:
        """The graph in the file, and the identity of the file it was read from."""
        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        try:
            with open(self.path, "rb") as raw, gzip.GzipFile(fileobj=raw, mode="rb") as fh:
                # Of the open file, not the path: a save racing this load cannot mislabel it.
                identity = _identity(os.fstat(raw.fileno()))
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
        return graph, identity

    def _refresh(self) -> None:
        """Reload the file if someone else replaced (or removed) it since we last read or wrote
        it. Only called with the lock held, before a write changes anything: every change to
        ``self.graph`` is saved before the lock is released, so nothing unsaved is dropped."""
        try:
            now: FileIdentity | None = _identity(os.stat(self.path))
        except FileNotFoundError:
            now = None
        if now == self._identity:
            return
        graph, identity = self._read() if now is not None else (nx.MultiDiGraph(), None)
        # In place, so views and callers holding ``store.graph`` see the reloaded graph.
        self.graph.clear()
        self.graph.add_nodes_from(graph.nodes(data=True))
        self.graph.add_edges_from(graph.edges(keys=True, data=True))
        self._identity = identity

    def _sweep(self) -> None:
        """Remove temporary files of this store left by saves that were killed (with the lock
        held no live save owns one). Another store's are spared: theirs are named
        ``.<name>.<8 random characters>.tmp``, and for a name that begins with ours plus a dot
        the part between our prefix and ``.tmp`` contains a dot."""
        prefix = f".{self.path.name}."
        try:
            entries = list(os.scandir(self.path.parent))
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(".tmp")):
                continue
            middle = name[len(prefix) : -len(".tmp")]
            if middle and "." not in middle:
                try:
                    os.unlink(entry.path)
                except OSError:
                    pass  # someone else's file, or already gone: not ours to insist on

    def _acquire(self, *, refresh: bool = True) -> None:
        """Take the write lock (re-entrant); on the outermost hold reload a changed file
        (unless ``refresh`` is false) and sweep stale temporary files."""
        timeout = _lock_timeout()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            outermost = self._lock.acquire(timeout)
        except LockTimeout:
            raise StoreError(
                f"{self.path}: another collabgraph process is writing to this store; waited "
                f"{timeout:g} s for it to finish (set {LOCK_TIMEOUT_ENV} to wait longer)"
            ) from None
        if outermost:
            try:
                if refresh:
                    self._refresh()
                self._sweep()
            except BaseException:
                self._lock.release()
                raise

    def _release(self) -> None:
        self._lock.release()

    @contextmanager
    def _writing(self, *, refresh: bool = True) -> Iterator[None]:
        self._acquire(refresh=refresh)
        try:
            yield
        finally:
            self._release()

    def save(self) -> None:
        """Write the whole graph to a temporary file, then atomically replace the store file.

        Holds the write lock (re-entrant, so a writer's own save does not wait). Called on its
        own it saves the graph in memory as it is, without reloading the file first.
        """
        with self._writing(refresh=False):
            self._write_file()

    def _write_file(self) -> None:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
        )
        try:
            with os.fdopen(fd, "wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=3, mtime=0) as fh:
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
                            orjson.dumps(
                                {"r": data["type"], "s": start, "e": end, "p": data["props"]}
                            )
                            + b"\n"
                        )
                # After closing the gzip stream, which writes its last block and trailer: the
                # fsync must cover every byte the rename publishes.
                raw.flush()
                os.fsync(raw.fileno())
                identity = _identity(os.fstat(raw.fileno()))
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self._identity = identity
        _fsync_directory(self.path.parent)

    # -- contract ----------------------------------------------------------------------------
    def writer(self, *, batch_size: int = 5000) -> EmbeddedWriter:
        return EmbeddedWriter(self, batch_size=batch_size)

    def view(self) -> EmbeddedView:
        return EmbeddedView(self.graph)

    def delete_nodes(self, node_ids: Iterable[str]) -> int:
        with self._writing():
            present = [n for n in node_ids if n in self.graph]
            self.graph.remove_nodes_from(present)
            self._write_file()
        return len(present)

    def clear(self) -> None:
        with self._writing(refresh=False):  # everything goes: no need to read it first
            self.graph.clear()
            self._write_file()

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
        self._holding = False

    def _hold(self) -> None:
        """Take the store's write lock for the rest of this writer, once."""
        if not self._holding:
            self.store._acquire()
            self._holding = True

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
        # A writer used without ``with`` takes the lock here, before the graph changes.
        self._hold()
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
        self._hold()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._hold()
            if exc_type is None:
                self.flush()
            else:
                self._nodes, self._rels = [], []
            # Batches already flushed are committed, as they are on Neo4j.
            self.store.save()
        finally:
            if self._holding:
                self._holding = False
                self.store._release()
