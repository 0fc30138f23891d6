"""4. Whole-graph exposure ranking on the large graph (embedded store)."""

from __future__ import annotations

from .harness import Config, Row, check, timer, unavailable

MEASURE = "exposure, whole graph"


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.queries.exposure import exposure
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    graph = config._cache.get("graph")
    if graph is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    rels = config._cache["graph_relationships"]
    with timer() as t:
        ranked = exposure(graph)
    note = f"{rels} relationships, top {len(ranked)} returned; CPU {t[1]:.2f} s"
    return [check(f"{MEASURE} (embedded)", t[0], "s", "<=", 1, note)]
