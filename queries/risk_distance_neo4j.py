"""The distance-to-risk index of a Neo4j store, and the pruned paths_to_risk search over it.

The Neo4j form of :mod:`risk_distance`: for one (minimum tier, traversable types) the targets
are fixed, so one multi-source breadth-first search from all of them, run level by level
(``risk_distance_step.cypher``), gives every node its hop distance to the nearest target, up
to :data:`common.MAX_HOPS_LIMIT` - 1 (a kept neighbour is at depth 1 or more). A query then
walks from its source one level per Cypher call (``paths_to_risk_step.cypher``) and keeps a
neighbour at depth ``i`` only when ``i + distance <= max_hops``, the same test and the same
answers as the embedded search.

The index lives in the client, cached per server location and filter, under the bookmark the
server returns with a trivial read (``database_version.cypher``): it names the last committed
transaction, so any write (a new list, a changed tier, a new paper) makes the next query
rebuild the index. A write committed while a query runs is seen by the next query.

For the default filter (tier high, the default path types) the distances are also stored on
the nodes as ``risk_hops`` (only the values that changed are written), so that the server
returns only the neighbours near enough to a target instead of every neighbour of a hub. That
write is itself a transaction, so the index is then built once more and kept under the
bookmark read before that second build (normally nothing changed in between, and nothing is
written). Where the account may not write, or the graph keeps changing, the client filters
the neighbours itself: slower, same answers.

Only queries without a year window use the index; with one, paths_to_risk runs the single
``paths_to_risk.cypher`` query as before.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from neo4j.exceptions import Neo4jError

from collabgraph.graph.tiers import Tier

from . import cypher
from .common import DEFAULT_PATH_TYPES, MAX_HOPS_LIMIT
from .risk import risky_institutions
from .risk_distance import level_search

log = logging.getLogger(__name__)

# The node property holding the distances of the default filter (graph/schema.toml).
HOPS_KEY = "risk_hops"
# Rows per write transaction when storing the distances.
WRITE_CHUNK = 10_000

# At most this many frontier ids travel in one Cypher call while the index is built.
BUILD_CHUNK = 20_000


@dataclass(frozen=True)
class Neo4jRiskDistance:
    """Distances to the nearest target (absent: none within the limit), and the targets."""

    version: str
    floor: Tier
    types: tuple[str, ...]
    targets: frozenset[str]
    distance: dict[str, int]
    seconds: float
    # Whether the nodes carry these distances as risk_hops, for the server to filter on.
    stored: bool = False


_CACHE: dict[tuple[str, Tier, tuple[str, ...]], Neo4jRiskDistance] = {}


def database_version(store: Any) -> str | None:
    """The bookmark of a trivial read: it changes with every committed write (None if absent)."""
    with store.driver.session(database=store.database, default_access_mode="READ") as session:
        session.run(cypher.render("database_version")).consume()
        values = session.last_bookmarks().raw_values
    return "|".join(sorted(values)) if values else None


def risk_distance(store: Any, floor: Tier, types: list[str]) -> Neo4jRiskDistance | None:
    """The cached index for these filters, rebuilt after any write; None if not versioned."""
    version = database_version(store)
    if version is None:  # a server that gives no bookmarks: no way to tell a stale index
        return None
    key = (store.location, floor, tuple(sorted(set(types))))
    found = _CACHE.get(key)
    if found is None or found.version != version:
        # The version read before the build: a write during it makes the next query rebuild.
        found = build(store, floor, key[2], version)
        if floor == Tier.HIGH and set(key[2]) == set(DEFAULT_PATH_TYPES):
            found = _store_hops(store, found)
        _CACHE[key] = found
    return found


def _store_hops(store: Any, index: Neo4jRiskDistance) -> Neo4jRiskDistance:
    """Write the changed distances to the nodes; the index to keep (see the module note)."""
    spent = index.seconds
    for _ in range(2):
        start = time.perf_counter()
        try:
            written = write_hops(store, index.distance)
        except Neo4jError as exc:  # e.g. a read-only account: the client filters instead
            log.info("risk_hops not stored (%s); paths_to_risk filters in the client", exc.code)
            return index
        spent += time.perf_counter() - start
        if not written:
            return replace(index, seconds=spent, stored=True)
        version = database_version(store)
        if version is None:
            return index
        index = build(store, index.floor, index.types, version)
        spent += index.seconds
    return replace(index, seconds=spent)


def write_hops(store: Any, distance: dict[str, int]) -> int:
    """Make the nodes' ``risk_hops`` equal ``distance``; the number of nodes changed."""
    current = {
        row["id"]: row["hops"]
        for row in store.stream(cypher.render("risk_hops_read"), hops_key=HOPS_KEY)
    }
    rows = [{"id": n, "hops": d} for n, d in sorted(distance.items()) if current.get(n) != d]
    gone = sorted(n for n in current if n not in distance)
    for text, key, items in (("risk_hops_set", "rows", rows), ("risk_hops_remove", "ids", gone)):
        for at in range(0, len(items), WRITE_CHUNK):
            store.driver.execute_query(
                cypher.render(text), {key: items[at : at + WRITE_CHUNK]}, database_=store.database
            )
    return len(rows) + len(gone)


def invalidate() -> None:
    """Forget every cached index (tests; a rebuild also happens by itself after writes)."""
    _CACHE.clear()


def build(store: Any, floor: Tier, types: tuple[str, ...], version: str) -> Neo4jRiskDistance:
    """One multi-source breadth-first search from every target, one Cypher call per level."""
    start = time.perf_counter()
    targets = frozenset(risky_institutions(store, floor))
    text = cypher.render("risk_distance_step")
    distance = dict.fromkeys(targets, 0)
    frontier = sorted(targets)
    # A kept neighbour is at depth 1 or more, so no query needs distances above limit - 1.
    for depth in range(1, MAX_HOPS_LIMIT):
        nxt: list[str] = []
        for at in range(0, len(frontier), BUILD_CHUNK):
            chunk = frontier[at : at + BUILD_CHUNK]
            for row in store.stream(text, frontier=chunk, types=list(types)):
                v = row["v"]
                if v not in distance:
                    distance[v] = depth
                    nxt.append(v)
        frontier = nxt
        if not frontier:
            break
    seconds = time.perf_counter() - start
    return Neo4jRiskDistance(version, floor, types, targets, distance, seconds)


def search(
    store: Any,
    source: str,
    max_hops: int,
    index: Neo4jRiskDistance,
    types: list[str],
    stop_after: int | None,
    first_only: bool = False,
) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Breadth-first search from ``source`` keeping every shortest-path predecessor.

    The embedded :func:`risk_distance.search` with one Cypher call per level: a node is kept
    only if it can still reach a target within ``max_hops``, and with ``stop_after`` set the
    search ends after the first level by which that many targets were reached.
    """
    text = cypher.render("paths_to_risk_step")
    distance = index.distance

    def steps(frontier: list[str], depth: int) -> Iterator[tuple[str, str]]:
        left = max_hops - depth - 1
        rows = store.read(
            text,
            frontier=frontier,
            types=types,
            left=left if index.stored else None,
            hops_key=HOPS_KEY,
        )
        for row in rows:
            u = row["u"]
            for v in row["vs"]:
                far = distance.get(v)
                if far is not None and far <= left:
                    yield u, v

    return level_search(source, max_hops, index.targets, stop_after, steps, first_only)


def on_paths(targets: list[str], preds: dict[str, set[str]]) -> set[str]:
    """Every node on a shortest path from the source to one of ``targets``."""
    seen = set(targets)
    stack = list(targets)
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in seen:
                seen.add(p)
                stack.append(p)
    return seen


def first_trails(
    source: str, target: str, preds: dict[str, set[str]], k: int
) -> list[tuple[str, ...]]:
    """The node ids of the first ``k`` shortest paths to ``target``, in node id order.

    The walk of ``paths._shortest_in_order`` over ids alone: each of these node sequences
    gives at least one path, so the first ``k`` paths use no other sequence.
    """
    on_path = on_paths([target], preds)
    children: dict[str, list[str]] = {}
    for v in on_path:
        for p in preds.get(v, ()):
            children.setdefault(p, []).append(v)
    found: list[tuple[str, ...]] = []

    def walk(trail: list[str]) -> None:
        if len(found) >= k:
            return
        if trail[-1] == target:
            found.append(tuple(trail))
            return
        for v in sorted(children.get(trail[-1], ())):
            trail.append(v)
            walk(trail)
            trail.pop()

    walk([source])
    return found


def path_elements(
    store: Any, trails: list[tuple[str, ...]], types: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The nodes (id, labels, props) on ``trails`` and the relationships between their steps."""
    ids = sorted({n for trail in trails for n in trail})
    pairs = sorted({(u, v) for trail in trails for u, v in zip(trail, trail[1:], strict=False)})
    rows = store.read(
        cypher.render("paths_to_risk_edges"), ids=ids, pairs=[list(p) for p in pairs], types=types
    )
    return rows[0]["nodes"], rows[0]["rels"]
