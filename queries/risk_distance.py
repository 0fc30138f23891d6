"""Each node's hop distance to the nearest high-risk institution, for fast embedded paths_to_risk.

For one (minimum tier, traversable types, year window) the set of target institutions is
fixed, so one multi-source breadth-first search from all of them, over the same undirected,
year-filtered relationships paths_to_risk walks, gives every node its distance to the nearest
target (up to :data:`common.MAX_HOPS_LIMIT`). A query from a source then only needs to visit a
node at depth ``i`` when ``i + distance <= max_hops``: every node on a shortest path to a
reachable target passes that test, so pruning changes nothing in the answers.

The index is cached per networkx graph object (weakly, so a dropped store frees it) and per
filter, under a version key: the node count and the identity, time and size of the saved
store file. Every write through the store API (writers, delete_nodes, clear) saves the file
with an atomic replace, so loading, changing or dropping a risk list refreshes the index by
itself. (networkx counts relationships in time linear in the nodes, too slow to check per
query.) The file is saved when a writer closes, so a query run inside an open writer, between
its batches, sees the index of the last save (plus the node count). A caller that changes
``store.graph`` directly, without saving, must call :func:`invalidate`.
"""

from __future__ import annotations

import os
import time
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from collabgraph.graph.tiers import Tier

from .common import MAX_HOPS_LIMIT, YearWindow, effective_tier, embedded_listings, in_window

FilterKey = tuple[Tier, tuple[str, ...], YearWindow | None]


@dataclass(frozen=True)
class RiskDistance:
    """Distances to the nearest target (absent: none within the limit), and the targets."""

    version: tuple[int, ...]
    targets: frozenset[str]
    distance: dict[str, int]
    # Each indexed node's indexed neighbours over passing relationships, nearest first: a
    # query stops reading a list at the first neighbour too far from every target.
    near: dict[str, tuple[str, ...]]
    seconds: float


_CACHE: weakref.WeakKeyDictionary[Any, dict[FilterKey, RiskDistance]] = weakref.WeakKeyDictionary()


def rel_passes(rel_type: str, props: dict[str, Any], window: YearWindow | None) -> bool:
    """The year-window test on a relationship (see paths_to_risk.cypher: the same rules)."""
    if window is None:
        return True
    lo, hi = window
    if rel_type == "AFFILIATED_WITH":
        years = props.get("years") or []
        return not years or any(in_window(y, window) for y in years)
    if rel_type == "CO_AUTHORED":
        last, first = props.get("last_year"), props.get("first_year")
        return (lo is None or (isinstance(last, int) and last >= lo)) and (
            hi is None or (isinstance(first, int) and first <= hi)
        )
    return True


def node_passes(label: str, props: dict[str, Any], window: YearWindow | None) -> bool:
    """Papers outside the year window cannot be stepped on; every other node can."""
    return label != "Paper" or in_window(props.get("year"), window)


def version_of(store: Any) -> tuple[int, ...]:
    """The cheap change key of an embedded store (see the module note)."""
    try:
        stat = os.stat(store.path)
    except OSError:  # never saved yet
        return (len(store.graph), -1, -1, -1)
    return (len(store.graph), stat.st_ino, stat.st_mtime_ns, stat.st_size)


def risk_distance(
    store: Any, floor: Tier, types: Iterable[str], years: YearWindow | None
) -> RiskDistance:
    """The cached index of an embedded store for these filters, rebuilt after a write."""
    key: FilterKey = (floor, tuple(sorted(set(types))), years)
    graph = store.graph
    per_graph = _CACHE.setdefault(graph, {})
    found = per_graph.get(key)
    version = version_of(store)
    if found is None or found.version != version:
        found = build(graph, floor, key[1], years, version)
        per_graph[key] = found
    return found


def invalidate(graph: Any) -> None:
    """Forget every index of ``graph`` (after writes that change no counts)."""
    _CACHE.pop(graph, None)


def targets_of(graph: Any, floor: Tier) -> frozenset[str]:
    """Institutions whose effective tier (listings and own ``tier``) is at or above ``floor``."""
    return frozenset(
        node
        for node, data in graph.nodes(data=True)
        if data["label"] == "Institution"
        and effective_tier(embedded_listings(graph, node), data["props"].get("tier")) >= floor
    )


def build(
    graph: Any,
    floor: Tier,
    types: Iterable[str],
    years: YearWindow | None,
    version: tuple[int, ...] = (),
) -> RiskDistance:
    """One multi-source breadth-first search from every target, up to MAX_HOPS_LIMIT hops."""
    start = time.perf_counter()
    wanted = frozenset(types)
    targets = targets_of(graph, floor)
    nodes = graph.nodes
    distance = dict.fromkeys(targets, 0)
    frontier = sorted(targets)
    for depth in range(1, MAX_HOPS_LIMIT + 1):
        nxt: list[str] = []
        for v in frontier:
            # A step u -> v of a path is allowed when the relationship passes and v passes;
            # v was admitted already, so here only u (the earlier node) needs its own test.
            for adjacency in (graph._succ[v], graph._pred[v]):
                for u, by_key in adjacency.items():
                    if u in distance or u == v:
                        continue
                    if not _linked(by_key, wanted, years):
                        continue
                    udata = nodes[u]
                    if not node_passes(udata["label"], udata["props"], years):
                        continue
                    distance[u] = depth
                    nxt.append(u)
        frontier = nxt
        if not frontier:
            break
    near = {u: _near(graph, u, distance, wanted, years) for u in distance}
    seconds = time.perf_counter() - start
    return RiskDistance(version, targets, distance, near, seconds)


def _linked(by_key: dict[Any, Any], wanted: frozenset[str], years: YearWindow | None) -> bool:
    """Whether any of the parallel relationships between two nodes may be walked."""
    return any(
        d["type"] in wanted and rel_passes(d["type"], d["props"], years) for d in by_key.values()
    )


def _near(
    graph: Any,
    u: str,
    distance: dict[str, int],
    wanted: frozenset[str],
    years: YearWindow | None,
) -> tuple[str, ...]:
    found: set[str] = set()
    for adjacency in (graph._succ[u], graph._pred[u]):
        for v, by_key in adjacency.items():
            if v in distance and v != u and v not in found and _linked(by_key, wanted, years):
                found.add(v)
    return tuple(sorted(found, key=lambda v: (distance[v], v)))


def search(
    graph: Any,
    source: str,
    max_hops: int,
    index: RiskDistance,
    types: Iterable[str],
    years: YearWindow | None,
    stop_after: int | None,
    first_only: bool = False,
) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Breadth-first search from ``source`` keeping every shortest-path predecessor.

    A node is kept only if it can still reach a target within ``max_hops``. With
    ``stop_after`` set, the search ends after the first level by which that many targets
    were reached: every longer path sorts after at least that many shorter ones.
    """
    wanted = frozenset(types)
    distance = index.distance
    near = index.near

    def steps(frontier: list[str], depth: int) -> Iterator[tuple[str, str]]:
        for u in frontier:
            # Only a source outside the index (too far, or out of the window) has no list.
            for v in near[u] if u in near else _near(graph, u, distance, wanted, years):
                if depth + 1 + distance[v] > max_hops:
                    break  # the list is nearest first: the rest are farther still
                yield u, v

    return level_search(source, max_hops, index.targets, stop_after, steps, first_only)


def level_search(
    source: str,
    max_hops: int,
    targets: Collection[str],
    stop_after: int | None,
    steps: Callable[[list[str], int], Iterable[tuple[str, str]]],
    first_only: bool = False,
) -> tuple[dict[str, int], dict[str, set[str]]]:
    """The level-by-level search both stores run: distances and shortest-path predecessors.

    ``steps(frontier, depth)`` gives the steps ``(u, v)`` out of the frontier at ``depth``
    that can still reach a target in the hops left (each store prunes its own way). A node
    first reached at a level joins the next frontier; one reached again at the same level
    gains another predecessor. With ``stop_after`` set, the search ends after the first level
    by which that many targets were reached.

    ``first_only`` (the caller keeps one path per target, the first in node-id order) lets
    the search stop inside that last level. Its frontier is taken in order of each node's
    first trail (the smallest node-id sequence from the source), in growing chunks. A target
    first met in a chunk has its first trail through that chunk; one not met yet sorts after
    every target met so far. So once enough targets are met, the rest of the level cannot
    change the answer, though it may hold thousands of nodes next to a big institution.
    The targets' predecessors are then only those in the chunks taken, which is all their
    first trail needs.
    """
    dist = {source: 0}
    preds: dict[str, set[str]] = {}
    trail: dict[str, tuple[str, ...]] = {source: (source,)}
    frontier = [source]
    reached = 0
    depth = 0
    ordered = first_only and stop_after is not None
    while frontier and depth < max_hops:
        nxt: list[str] = []
        for part in _chunks(sorted(frontier, key=trail.__getitem__)) if ordered else [frontier]:
            added = len(nxt)
            for u, v in steps(part, depth):
                seen = dist.get(v)
                if seen is None:
                    dist[v] = depth + 1
                    nxt.append(v)
                elif seen != depth + 1:
                    continue
                preds.setdefault(v, set()).add(u)
            reached += sum(1 for v in nxt[added:] if v in targets)
            if stop_after is not None and reached >= stop_after:
                return dist, preds
        if ordered:
            for v in nxt:
                trail[v] = (*min(trail[u] for u in preds[v]), v)
        depth += 1
        frontier = nxt
    return dist, preds


def _chunks(nodes: list[str], first: int = 64) -> Iterator[list[str]]:
    """``nodes`` in chunks that double in size: few round trips, yet an early stop is cheap."""
    at, size = 0, first
    while at < len(nodes):
        yield nodes[at : at + size]
        at += size
        size *= 2
