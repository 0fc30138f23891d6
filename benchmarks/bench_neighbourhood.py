"""Neighbourhood HTML: query a 500-node neighbourhood and render the offline page.

Not one of the issue's targets; kept from the previous round (bar: 1 s), on the same graph.
The store is opened as a new store object, and one untimed question first builds its caches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .harness import Config, Row, check, info, large_graph, timer, unavailable

MEASURE = "neighbourhood HTML"


def busiest_researcher(graph: Any) -> str:
    """The researcher with the most relationships (ties: the smallest id): its 2-hop
    neighbourhood is large."""
    from collabgraph.graph.schema import SCHEMA

    edges = graph.view().weighted_edges(sorted(SCHEMA.relationships))
    degree = np.bincount(edges.starts, minlength=len(edges.ids))
    degree += np.bincount(edges.ends, minlength=len(edges.ids))
    best = min(
        (i for i, label in enumerate(edges.labels) if label == "Researcher"),
        key=lambda i: (-int(degree[i]), edges.ids[i]),
    )
    return str(edges.ids[best])


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.queries.neighbourhood import neighbourhood
        from collabgraph.ui.app.network import neighbourhood_html
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    from collabgraph.graph.embedded import EmbeddedStore

    path: Path | None = large_graph(config)
    if path is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    want = config.sizes.neighbourhood_nodes
    graph = EmbeddedStore(path)
    try:
        centre = busiest_researcher(graph)
        neighbourhood(graph, centre, hops=1, max_nodes=10, per_node_cap=10)  # builds caches
        with timer() as queried:
            hood = neighbourhood(graph, centre, hops=2, max_nodes=want, per_node_cap=want)
            ids = [n["id"] for n in hood.nodes]
            subgraph = graph.view().subgraph(ids)
        with timer() as rendered:
            page = neighbourhood_html(subgraph, center=centre)
    finally:
        graph.close()
    total = queried[0] + rendered[0]
    note = (
        f"{len(subgraph.nodes)} nodes, {len(subgraph.relationships)} relationships, "
        f"{len(page) // 1024} KiB page"
    )
    return [
        check(f"{MEASURE} ({len(subgraph.nodes)} nodes)", total, "s", "<=", 1, note),
        info("  of which neighbourhood query", queried[0], "s"),
        info("  of which HTML render", rendered[0], "s"),
    ]
