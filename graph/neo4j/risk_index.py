"""The distance-to-risk index of the Neo4j store, held in the client.

For one (floor, traversable types, year window) the targets are fixed, so one multi-source
breadth-first search from all of them gives every node its hop distance to the nearest target
over the relationships a path may walk (graph/risk.py rel_passes, node_passes). It runs one
Cypher call per level (the frontier as a list parameter, in chunks) and only as deep as a
question has needed so far: a step of a path search at ``depth`` of ``max_hops`` needs the
distances up to ``max_hops - depth - 1``.

The first :data:`LINK_LEVELS` levels also keep their links (``risk_distance_links.cypher``):
which nodes at distance 0, 1 … each node is linked to by a walkable relationship. The last
levels of a path search, where only steps into such nodes count, are then answered here
without a query; they are the costly ones, since a target is often a hub with tens of
thousands of relationships. Deeper levels keep only the new nodes
(``risk_distance_step.cypher``). The walkable neighbours of other hubs a search meets (an
institution with thousands of researchers) are kept too, so that the next search through one
needs no query for it.

The index lives in the store's cache (:mod:`.memo`), so any write rebuilds it; nothing of it is
written to the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

# At most this many frontier ids travel in one Cypher call while the index is built.
BUILD_CHUNK = 20_000
# Links are kept into the nodes at distance 0 .. LINK_LEVELS - 1.
LINK_LEVELS = 2
# The path search sends the nodes near enough to a target with each step when there are at
# most this many (then only those cross the wire back); otherwise it filters on its own.
NEAR_LIMIT = 5_000
# A node with at least this many walkable neighbours is a hub: its neighbours are kept, up to
# HUB_IDS ids in all.
HUB_MIN = 500
HUB_IDS = 2_000_000

# (frontier) -> the new nodes' ids, or (frontier) -> (x, u, whether u may be stepped on).
Step = Callable[[list[str]], Iterable[str]]
Links = Callable[[list[str]], Iterable[tuple[str, str, bool]]]


class RiskIndex:
    """Hop distances to the nearest target (absent: farther than the levels built so far)."""

    def __init__(self, targets: frozenset[str], links: Links, step: Step) -> None:
        self.targets = targets
        self.distance: dict[str, int] = dict.fromkeys(targets, 0)
        self._links_of = links
        self._step = step
        self._levels: list[list[str]] = [sorted(targets)]
        # _links[d][u]: the nodes at distance d that u is linked to, sorted.
        self._links: list[dict[str, list[str]]] = []
        self._done = not targets
        self._near: dict[int, list[str] | None] = {}
        self._hubs: dict[str, list[str]] = {}
        self._hub_ids = 0
        self._lock = threading.Lock()

    @property
    def depth(self) -> int:
        """The distances up to this many hops are known (all of them once the search ran
        out of nodes)."""
        return len(self._levels) - 1

    def ensure(self, depth: int) -> None:
        """Extend the search, a level at a time, until distances up to ``depth`` are known."""
        with self._lock:
            while not self._done and self.depth < depth:
                self._extend()

    def _extend(self) -> None:
        frontier = self._levels[-1]
        level = len(self._levels)
        distance = self.distance
        keep_links = level - 1 < LINK_LEVELS
        links: dict[str, list[str]] = {}
        found: list[str] = []
        for at in range(0, len(frontier), BUILD_CHUNK):
            chunk = frontier[at : at + BUILD_CHUNK]
            if keep_links:
                for x, u, passes in self._links_of(chunk):
                    links.setdefault(u, []).append(x)
                    if passes and u not in distance:
                        distance[u] = level
                        found.append(u)
            else:
                for u in self._step(chunk):
                    if u not in distance:
                        distance[u] = level
                        found.append(u)
        if keep_links:
            for linked in links.values():
                linked.sort()
            self._links.append(links)
        if found:
            self._levels.append(sorted(found))
        else:
            self._done = True

    def linked(self, node: str, left: int) -> list[str]:
        """The nodes at most ``left`` hops from a target that ``node`` is linked to by a
        walkable relationship, by (distance, id): the steps out of ``node`` when ``left``
        hops remain. Needs ``left < LINK_LEVELS``; call ``ensure(left + 1)`` first."""
        out: list[str] = []
        for level in self._links[: left + 1]:
            out += level.get(node, ())
        return out

    def hub_neighbours(self, node: str) -> list[str] | None:
        """The walkable neighbours of ``node`` if it is a hub met before, else None."""
        return self._hubs.get(node)

    def met(self, node: str, neighbours: list[str]) -> None:
        """Note every walkable neighbour of ``node`` (kept if it is a hub and there is room)."""
        if len(neighbours) >= HUB_MIN and node not in self._hubs:
            with self._lock:
                if self._hub_ids + len(neighbours) <= HUB_IDS:
                    self._hubs[node] = neighbours
                    self._hub_ids += len(neighbours)

    def near(self, left: int) -> list[str] | None:
        """The nodes at most ``left`` hops from a target when there are few of them (at most
        :data:`NEAR_LIMIT`), sorted; None when there are more. Call :meth:`ensure` first."""
        with self._lock:
            if left not in self._near:
                levels = self._levels[: left + 1]
                count = sum(len(level) for level in levels)
                self._near[left] = (
                    sorted(n for level in levels for n in level) if count <= NEAR_LIMIT else None
                )
            return self._near[left]
