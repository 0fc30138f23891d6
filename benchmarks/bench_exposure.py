"""4. Whole-graph exposure ranking on the large graph (embedded store).

The embedded store caches the weighted graph exposure walks (queries/exposure_graph.py) and
rebuilds it after any write, as paths_to_risk does its distance index. The refresh is timed on
its own row; the checked figure is the query on a current cache, as every query but the first
after a write runs.
"""

from __future__ import annotations

from typing import Any

from .harness import Config, Row, check, info, timer, unavailable

MEASURE = "exposure, whole graph"


def precompute(graph_store: Any) -> Row:
    """Rebuild the cached weighted graph the way a write (e.g. a list change) would."""
    from collabgraph.queries import exposure_graph
    from collabgraph.queries.exposure import DEFAULT_DECAY, check_weights

    exposure_graph.invalidate(graph_store.graph)
    with timer() as t:
        built = exposure_graph.embedded(graph_store, check_weights(None, DEFAULT_DECAY))
    note = (
        f"refresh after a write: {len(built.csr.ids)} nodes, {len(built.csr.nbr) // 2} weighted "
        f"relationships, cache {built.nbytes / 1e6:.0f} MB; CPU {t[1]:.2f} s"
    )
    return info(f"{MEASURE} embedded precompute (weighted graph)", t[0], "s", note)


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.queries.exposure import exposure
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    graph = config._cache.get("graph")
    if graph is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    rels = config._cache["graph_relationships"]
    refresh = precompute(graph)
    with timer() as t:
        ranked = exposure(graph)
    note = (
        f"{rels} relationships, cache current (refresh: row above), top {len(ranked)} "
        f"with their paths; CPU {t[1]:.2f} s"
    )
    return [refresh, check(f"{MEASURE} (embedded)", t[0], "s", "<=", 1, note)]
