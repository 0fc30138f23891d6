"""The weighted relationships exposure walks, as a Csr with each node's label.

On Neo4j they are read per query (exposure_edges.cypher / exposure_ball.cypher). On the
embedded store the whole-graph Csr is cached per networkx graph object (weakly) and per weights,
and rebuilt when :func:`risk_distance.version_of` changes: node count plus the identity, time
and size of the saved store file, which every write through the store API replaces (see the
note of queries/risk_distance.py for what that does and does not notice). A caller that changes
``store.graph`` directly, without saving, must call :func:`invalidate`.
"""

from __future__ import annotations

import sys
import time
import weakref
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from collabgraph.graph.contract import Store

from . import cypher
from .propagation import Bools, Csr
from .risk_distance import version_of

WeightsKey = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ExposureGraph:
    """A Csr, each of its nodes' label (codes into ``label_names``), and how it was made."""

    csr: Csr
    label_names: tuple[str, ...]
    labels: npt.NDArray[np.int8]
    version: tuple[int, ...] = ()
    seconds: float = 0.0

    def having(self, wanted: set[str]) -> Bools:
        """A mask of the nodes whose label is one of ``wanted``."""
        codes = [i for i, name in enumerate(self.label_names) if name in wanted]
        return np.isin(self.labels, np.asarray(codes, dtype=np.int8))

    @property
    def nbytes(self) -> int:
        """Memory of the arrays, the id list and the id index (the id strings themselves are
        the graph's own, shared): what the cache adds to the store."""
        ints = max(len(self.csr.ids) - 257, 0) * sys.getsizeof(257)  # small ints are shared
        containers = sys.getsizeof(self.csr.index) + sys.getsizeof(self.csr.ids)
        return self.csr.nbytes + self.labels.nbytes + containers + ints


_CACHE: weakref.WeakKeyDictionary[Any, dict[WeightsKey, ExposureGraph]] = (
    weakref.WeakKeyDictionary()
)


def _key(weights: Mapping[str, float]) -> WeightsKey:
    return tuple(sorted(weights.items()))


def embedded(store: Any, weights: Mapping[str, float]) -> ExposureGraph:
    """The cached whole-graph Csr of an embedded store for these weights, rebuilt after a write."""
    per_graph = _CACHE.setdefault(store.graph, {})
    version = version_of(store)
    found = per_graph.get(_key(weights))
    if found is None or found.version != version:
        found = build_embedded(store.graph, weights, version)
        per_graph[_key(weights)] = found
    return found


def cached(store: Any, weights: Mapping[str, float]) -> ExposureGraph | None:
    """The cached Csr if there is one and it is current; never builds one."""
    found = _CACHE.get(store.graph, {}).get(_key(weights))
    return found if found is not None and found.version == version_of(store) else None


def invalidate(graph: Any) -> None:
    """Forget every cached Csr of ``graph`` (after writes that the version key misses)."""
    _CACHE.pop(graph, None)


def build_embedded(
    graph: Any, weights: Mapping[str, float], version: tuple[int, ...] = ()
) -> ExposureGraph:
    """Every relationship of a weighted type, read once from networkx's adjacency dicts.

    Straight through ``_succ`` and ``_node`` (stable since networkx 1.x): the public views
    cost several times more per edge. Every node gets a position, in id order like
    :meth:`Csr.build`, so ties break the same way.
    """
    start = time.perf_counter()
    nodes = graph._node
    ids = sorted(nodes)
    index = dict(zip(ids, range(len(ids)), strict=True))
    label_names = tuple(sorted({data["label"] for data in nodes.values()}))
    code = {name: i for i, name in enumerate(label_names)}
    labels = np.fromiter((code[nodes[n]["label"]] for n in ids), dtype=np.int8, count=len(ids))
    tindex = {t: i for i, t in enumerate(sorted(weights))}
    starts, ends, kinds = array("q"), array("q"), array("q")
    for s, adjacency in graph._succ.items():
        si = index[s]
        for e, keyed in adjacency.items():
            if e == s:
                continue
            ei = index[e]
            for data in keyed.values():
                kind = tindex.get(data["type"])
                if kind is not None:
                    starts.append(si)
                    ends.append(ei)
                    kinds.append(kind)
    csr = Csr.from_arrays(
        ids,
        index,
        np.frombuffer(starts, dtype=np.int64),
        np.frombuffer(ends, dtype=np.int64),
        np.frombuffer(kinds, dtype=np.int64),
        dict(weights),
    )
    return ExposureGraph(csr, label_names, labels, version, time.perf_counter() - start)


def embedded_ball(
    store: Any, weights: Mapping[str, float], around: str, hops: int
) -> ExposureGraph:
    """The same ball as exposure_ball.cypher: relationships of nodes fewer than hops away."""
    graph = store.graph
    edges: list[tuple[str, str, str]] = []
    seen_nodes = {around}
    frontier = [around]
    for depth in range(hops):
        following = []
        for u in frontier:
            for s, e, d in [*graph.out_edges(u, data=True), *graph.in_edges(u, data=True)]:
                if d["type"] not in weights:
                    continue
                edges.append((s, e, d["type"]))
                other = e if s == u else s
                if other not in seen_nodes and depth < hops - 1:
                    seen_nodes.add(other)
                    following.append(other)
        frontier = following
    csr = Csr.build([around], edges, dict(weights))
    return _with_labels(csr, {n: graph._node[n]["label"] for n in csr.ids})


def neo4j(
    store: Store, weights: Mapping[str, float], around: str | None, hops: int
) -> ExposureGraph:
    """The weighted relationships of a Neo4j store (all, or those within reach of ``around``)."""
    types = sorted(weights)
    if around is None:
        rows = store.read(cypher.render("exposure_edges"), types=types)  # type: ignore[attr-defined]
    else:
        # Cypher rejects a {0,0} quantifier, so one hop reads a ball one hop too wide: a
        # superset changes nothing (paths only ever extend from nodes fewer than hops away).
        text = cypher.render("exposure_ball", inner=str(max(hops - 1, 1)))
        rows = store.read(text, id=around, types=types)  # type: ignore[attr-defined]
    labels: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    seen: set[tuple[str, str, str, str]] = set()
    for row in rows:
        key = (row["s"], row["type"], row["e"], row["kind"] or "")
        if key not in seen:
            seen.add(key)
            edges.append((row["s"], row["e"], row["type"]))
            labels[row["s"]], labels[row["e"]] = row["s_label"], row["e_label"]
    csr = Csr.build([around] if around else [], edges, dict(weights))
    if around is not None and around not in labels:
        labels[around] = ""  # an isolated node: it is only ever the source here
    return _with_labels(csr, labels)


def _with_labels(csr: Csr, labels: Mapping[str, str]) -> ExposureGraph:
    names = tuple(sorted(set(labels.values())))
    code = {name: i for i, name in enumerate(names)}
    array_ = np.fromiter((code[labels[n]] for n in csr.ids), dtype=np.int8, count=len(csr.ids))
    return ExposureGraph(csr, names, array_)
