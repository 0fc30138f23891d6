"""The distance-to-risk index of the embedded store, and the pruned steps of a path search.

For one (floor, traversable types, year window) the index holds each node's hop distance to
the nearest target institution (:mod:`.risk_tables`) over those relationships, undirected and
year-filtered (:func:`graph.risk.rel_passes`, :func:`graph.risk.node_passes`), up to
:data:`DISTANCE_LIMIT` hops: one multi-source breadth-first search from every target, each
level one vectorised expansion. A path search then only steps to a node ``v`` from depth
``d`` when ``d + 1 + distance[v] <= max_hops``: every node on a shortest path to a reachable
target passes that test, so pruning changes no answer.

The search walks a CSR of its own, built with the distances: each node's distinct neighbours
over passing relationships that reach a target within the limit, nearest first. A call reads
the rows of its frontier and keeps the entries close enough, so it costs what the frontier's
rows cost, plus the ids of the nodes it returns (read in SQL, through a small
:class:`.idcache.IdCache`).

Memory: one byte per node for the distances, 8 per node and 4 per walkable direction of a
relationship for the CSR.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..risk import YearWindow
from ..tiers import Tier
from .adjacency import give_back
from .arrays import (
    AdjacencyLike,
    Bools,
    Ints,
    Memo,
    as_index,
    distinct,
    distinct_inverse,
    expand,
    type_codes,
)
from .idcache import IdCache
from .risk_tables import Targets, node_mask, passing_rels, targets

# Paths are searched up to this many hops (queries.common.MAX_HOPS_LIMIT): the index need
# not look further.
DISTANCE_LIMIT = 6
UNREACHED = 127  # int8 distance of a node no target reaches within the limit


@dataclass(frozen=True)
class RiskIndex:
    """Distances to the nearest target, and each node's reaching neighbours, nearest first
    (``near[indptr[u]:indptr[u + 1]]``, by distance then ``nodes.idx``)."""

    targets: Targets
    distance: npt.NDArray[np.int8]
    indptr: Ints
    near: npt.NDArray[np.int32]


def walkable(
    conn: sqlite3.Connection,
    adj: AdjacencyLike,
    memo: Memo,
    types: Sequence[str],
    window: YearWindow | None,
) -> tuple[Ints, Ints]:
    """Every passing relationship of ``types`` in both directions, each pair of distinct
    nodes once, sorted by (start, end): the undirected graph a path walks (before the node
    test)."""
    keys: list[Ints] = []
    size = np.int64(max(adj.size, 1))
    for code in type_codes(types):
        csr = adj.out(code)
        starts = np.repeat(np.arange(adj.size, dtype=np.int64), np.diff(csr.indptr))
        ends = csr.nbr.astype(np.int64)
        if window is not None:
            passing = passing_rels(conn, adj, memo, code, window)
            if passing is not None:
                table = np.zeros(int(csr.rel.max(initial=-1)) + 1, dtype=np.bool_)
                table[passing] = True
                keep = table[csr.rel]
                starts, ends = starts[keep], ends[keep]
        apart = starts != ends
        starts, ends = starts[apart], ends[apart]
        keys += [starts * size + ends, ends * size + starts]
    if not keys:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    key = distinct(np.concatenate(keys))
    return key // size, key % size


def indptr_of(size: int, starts: Ints) -> Ints:
    """The indptr of a CSR over ``size`` nodes whose entries, sorted by start, are ``starts``."""
    indptr = np.zeros(size + 1, dtype=np.int64)
    if len(starts):
        np.cumsum(np.bincount(starts, minlength=size), out=indptr[1:])
    return indptr


def distances(
    size: int, indptr: Ints, ends: Ints, sources: Ints, can_step: Bools | None
) -> npt.NDArray[np.int8]:
    """Hop distance from the nearest of ``sources``, breadth first up to DISTANCE_LIMIT; a
    node ``can_step`` rules out is never entered."""
    distance = np.full(size, UNREACHED, dtype=np.int8)
    distance[sources] = 0
    frontier = sources
    for depth in range(1, DISTANCE_LIMIT + 1):
        pos, _ = expand(indptr, frontier)
        reached = distinct(ends[pos])
        reached = reached[distance[reached] == UNREACHED]
        if can_step is not None:
            reached = reached[can_step[reached]]
        if len(reached) == 0:
            break
        distance[reached] = depth
        frontier = reached
    return distance


def build_index(
    conn: sqlite3.Connection,
    adj: AdjacencyLike,
    memo: Memo,
    floor: Tier,
    types: Sequence[str],
    window: YearWindow | None,
) -> RiskIndex:
    """The index for these filters: the walkable graph, the search, the nearest-first rows."""
    goal = targets(conn, adj, memo, floor)
    starts, ends = walkable(conn, adj, memo, types, window)
    can_step = node_mask(conn, adj, memo, window) if window is not None else None
    distance = distances(adj.size, indptr_of(adj.size, starts), ends, goal.idxs, can_step)
    reach = distance[ends]
    keep = reach != UNREACHED
    starts, ends, reach = starts[keep], ends[keep], reach[keep]
    # Already in (start, end) order: a stable sort by (start, distance) gives each row
    # nearest first, then by idx.
    order = np.argsort(starts * np.int64(DISTANCE_LIMIT + 1) + reach, kind="stable")
    near = ends[order].astype(np.int32)
    found = RiskIndex(goal, distance, indptr_of(adj.size, starts[order]), near)
    del starts, ends, reach, keep, order
    give_back()  # the build's temporaries are several times the index: return them
    return found


def index(
    conn: sqlite3.Connection,
    adj: AdjacencyLike,
    memo: Memo,
    floor: Tier,
    types: Sequence[str],
    window: YearWindow | None,
) -> RiskIndex:
    """The distance index of the current data for these filters (cached)."""
    kinds = tuple(sorted(set(types)))
    key = ("embedded.risk_index", adj.generation, int(floor), kinds, window)
    return memo(key, lambda: build_index(conn, adj, memo, floor, kinds, window))


def id_cache(adj: AdjacencyLike, memo: Memo) -> IdCache:
    """The id ↔ idx cache of the current generation."""
    return memo(("embedded.id_cache", adj.generation), IdCache)


def steps(
    conn: sqlite3.Connection,
    found: RiskIndex,
    ids: IdCache,
    frontier: Sequence[str],
    depth: int,
    max_hops: int,
) -> list[tuple[str, str]]:
    """The pruned steps out of ``frontier`` (GraphView.risk_steps), in the contract's order:
    frontier order, then each node's steps by (distance, id)."""
    if max_hops > DISTANCE_LIMIT:
        raise ValueError(f"paths are searched up to {DISTANCE_LIMIT} hops, not {max_hops}")
    known = ids.idx_of(conn, frontier)
    order = [u for u in dict.fromkeys(frontier) if u in known]
    if not order:
        return []
    nodes = as_index([known[u] for u in order])
    pos, slot = expand(found.indptr, nodes)
    other = found.near[pos].astype(np.int64)
    reach = found.distance[other]
    keep = reach <= max_hops - depth - 1
    slot, other, reach = slot[keep], other[keep], reach[keep]
    if len(slot) == 0:
        return []
    ends, which = distinct_inverse(other)
    found_ids = ids.ids_of(conn, ends.tolist())
    names = [found_ids[v] for v in ends.tolist()]
    # Ranks in id order among these nodes only: the sort runs in numpy, per step.
    by_id = np.asarray(sorted(range(len(names)), key=names.__getitem__), dtype=np.int64)
    rank = np.empty(len(names), dtype=np.int64)
    rank[by_id] = np.arange(len(names), dtype=np.int64)
    chosen = np.lexsort((rank[which], reach, slot))
    starts = [order[s] for s in slot[chosen].tolist()]
    return list(zip(starts, [names[i] for i in which[chosen].tolist()], strict=True))
