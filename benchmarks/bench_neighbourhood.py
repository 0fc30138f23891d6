"""6. Neighbourhood HTML: query a 500-node neighbourhood and render the offline page."""

from __future__ import annotations

from typing import Any

from .harness import Config, Row, check, info, timer, unavailable

MEASURE = "neighbourhood HTML"


def busiest_researcher(graph: Any) -> str:
    """The researcher with the most relationships: its 2-hop neighbourhood is large."""
    nx_graph = graph.graph
    best = max(
        (n for n, d in nx_graph.nodes(data=True) if d["label"] == "Researcher"),
        key=lambda n: (nx_graph.degree(n), n),
    )
    return str(best)


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.queries.neighbourhood import neighbourhood
        from collabgraph.ui.app.network import neighbourhood_html
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    graph = config._cache.get("graph")
    if graph is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    want = config.sizes.neighbourhood_nodes
    centre = busiest_researcher(graph)
    with timer() as queried:
        hood = neighbourhood(graph, centre, hops=2, max_nodes=want, per_node_cap=want)
        ids = [n["id"] for n in hood.nodes]
        subgraph = graph.view().subgraph(ids)
    with timer() as rendered:
        page = neighbourhood_html(subgraph, center=centre)
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
