"""The relationships exposure weighs (GraphView.weighted_edges), read from Neo4j.

The whole graph is read one type at a time, a row per start node with the list of its ends
(``weighted_edges.cypher``: several times faster to read than a row per relationship); the
endpoint labels come from the schema, which fixes them per type. Around one node the ball is
walked one level per Cypher call (``weighted_level.cypher``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..contract import WeightedEdges
from ..schema import SCHEMA
from . import cypher, texts
from .nodes import schema_label

if TYPE_CHECKING:
    from .store import Neo4jStore

# (start, end, type position, elementId for types with key properties)
Edge = tuple[str, str, int, str | None]


def whole_graph(store: Neo4jStore, types: tuple[str, ...]) -> WeightedEdges:
    """Every relationship of ``types`` (checked, sorted) over every node of the graph."""
    labels: dict[str, str] = {}
    for label in SCHEMA.nodes:
        found = store.stream(cypher.render("node_ids", label=label))
        labels.update(dict.fromkeys((r["id"] for r in found), label))
    starts: list[str] = []
    ends: list[str] = []
    kinds: list[int] = []
    for kind, rel_type in enumerate(types):
        spec = SCHEMA.rel(rel_type)
        text = cypher.render("weighted_edges", rel_type=rel_type, start=spec.start, end=spec.end)
        for r in store.stream(text):
            s, es = r["s"], r["es"]
            starts += [s] * len(es)
            ends += es
            kinds += [kind] * len(es)
    return edges_of(labels, starts, ends, kinds, types)


def ball(store: Neo4jStore, types: tuple[str, ...], around: str, hops: int) -> WeightedEdges:
    """The relationships of ``types`` touching the nodes fewer than ``hops`` undirected steps
    from ``around``, each once; ``around`` is among the ids even when it has none."""
    kind_of = {t: i for i, t in enumerate(types)}
    keyed = [t for t in types if SCHEMA.rel(t).key]
    labels: dict[str, str] = {}
    edges: dict[Edge, None] = {}
    seen = {around}
    frontier = [around]
    text = texts.text("weighted_level", types) if types else ""
    for depth in range(hops):
        if not frontier or not types:
            break
        following: list[str] = []
        for row in store.read(text, frontier=frontier, keyed=keyed):
            node = row["id"]
            for rel_type, outgoing, other, element in row["rels"]:
                s, e = (node, other) if outgoing else (other, node)
                if s != e:
                    edges[(s, e, kind_of[rel_type], element)] = None
                    spec = SCHEMA.rel(rel_type)
                    labels[s], labels[e] = spec.start, spec.end
                if depth < hops - 1 and other not in seen:
                    seen.add(other)
                    following.append(other)
        frontier = following
    if around not in labels:
        found = store.read(cypher.render("get_nodes"), ids=[around])
        labels[around] = schema_label(found[0]["labels"]) if found else ""
    listed = list(edges)
    starts = [s for s, _, _, _ in listed]
    ends = [e for _, e, _, _ in listed]
    return edges_of(labels, starts, ends, [k for _, _, k, _ in listed], types)


def edges_of(
    labels: Mapping[str, str],
    starts: Sequence[str],
    ends: Sequence[str],
    kinds: Sequence[int],
    types: tuple[str, ...],
) -> WeightedEdges:
    """:class:`WeightedEdges` over the nodes of ``labels``, relationships sorted by (start,
    end, kind) positions."""
    ids = sorted(labels)
    index = {n: i for i, n in enumerate(ids)}
    s = np.fromiter((index[n] for n in starts), dtype=np.int64, count=len(starts))
    e = np.fromiter((index[n] for n in ends), dtype=np.int64, count=len(ends))
    k = np.asarray(kinds, dtype=np.int64)
    order = np.lexsort((k, e, s))
    return WeightedEdges(
        ids=ids,
        index=index,
        labels=[labels[n] for n in ids],
        starts=s[order],
        ends=e[order],
        kinds=k[order],
        types=list(types),
    )
