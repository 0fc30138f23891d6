"""A precomputed, deterministic layout for neighbourhood drawings (no physics in the browser).

A neighbourhood is an ego network, so it is laid out as a radial tree: the centre node in the
middle, each hop on its own ring, and every node inside the angular sector of the node that
reached it first (breadth-first). Each sector is as wide as the number of leaves beneath it, so
a hub's neighbours stay together and rings never overlap. The ring radius grows with the number
of nodes on it, so labels keep roughly ``spacing`` pixels between them. It costs O(n + m): a
500-node neighbourhood is laid out in milliseconds, where a force simulation in the page would
keep 500 nodes moving for seconds.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Iterable, Sequence

Position = tuple[float, float]

RING_GAP = 220.0
SPACING = 56.0


def radial_layout(
    node_ids: Sequence[str],
    edges: Iterable[tuple[str, str]],
    *,
    center: str | None = None,
    ring_gap: float = RING_GAP,
    spacing: float = SPACING,
) -> dict[str, Position]:
    """Positions (x, y) in pixels for ``node_ids``, keyed by id.

    ``center`` defaults to the node with the most edges. Nodes that the centre cannot reach
    form their own trees, laid out on the ring after the last reachable one, so every node
    gets a position.
    """
    ids = list(dict.fromkeys(node_ids))
    if not ids:
        return {}
    known = set(ids)
    adjacency: dict[str, list[str]] = {n: [] for n in ids}
    for start, end in edges:
        if start in known and end in known and start != end:
            adjacency[start].append(end)
            adjacency[end].append(start)
    for neighbours in adjacency.values():
        neighbours.sort()
    root = center if center in known else max(ids, key=lambda n: (len(adjacency[n]), n))
    assert root is not None
    parent: dict[str, str | None] = {}
    depth: dict[str, int] = {}
    order: list[str] = []
    roots: list[str] = []
    for start in [root, *sorted(ids)]:
        if start in depth:
            continue
        roots.append(start)
        parent[start] = None
        # A tree that the centre cannot reach starts one ring further out than the deepest
        # node so far; its own root sits on that ring.
        depth[start] = 0 if start == root else max(depth.values()) + 1
        queue = deque([start])
        while queue:
            node = queue.popleft()
            order.append(node)
            for nxt in adjacency[node]:
                if nxt not in depth:
                    depth[nxt] = depth[node] + 1
                    parent[nxt] = node
                    queue.append(nxt)
    children: dict[str, list[str]] = {n: [] for n in ids}
    for node in order:
        up = parent[node]
        if up is not None:
            children[up].append(node)
    leaves: dict[str, int] = {}
    for node in reversed(order):
        leaves[node] = max(1, sum(leaves[c] for c in children[node]))
    ring_sizes: dict[int, int] = {}
    for node in ids:
        ring_sizes[depth[node]] = ring_sizes.get(depth[node], 0) + 1
    radius: dict[int, float] = {}
    previous = 0.0
    for ring in sorted(ring_sizes):
        needed = ring_sizes[ring] * spacing / (2 * math.pi)
        radius[ring] = 0.0 if ring == 0 else max(previous + ring_gap, needed)
        previous = radius[ring]
    # Angular sectors: the trees share the full circle by their leaf counts.
    total = sum(leaves[r] for r in roots)
    sector: dict[str, tuple[float, float]] = {}
    begin = 0.0
    for r in roots:
        width = 2 * math.pi * leaves[r] / total
        sector[r] = (begin, begin + width)
        begin += width
    positions: dict[str, Position] = {}
    for node in order:
        lo, hi = sector[node]
        angle = (lo + hi) / 2
        rad = radius[depth[node]]
        positions[node] = (round(rad * math.cos(angle), 1), round(rad * math.sin(angle), 1))
        cursor = lo
        for child in children[node]:
            width = (hi - lo) * leaves[child] / leaves[node]
            sector[child] = (cursor, cursor + width)
            cursor += width
    return positions
