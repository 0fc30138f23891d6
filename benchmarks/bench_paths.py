"""3. paths_to_risk latency on the large graph: embedded and Neo4j, 200 random researchers."""

from __future__ import annotations

import random
from typing import Any

from .harness import Config, Row, check, info, percentile, timer, unavailable

MEASURE = "paths_to_risk"
MAX_HOPS = 4


def sources(graph_store: Any, config: Config) -> list[str]:
    researchers = sorted(n.id for n in graph_store.view().iter_nodes("Researcher"))
    count = min(config.sizes.sources, len(researchers))
    return random.Random(config.seed).sample(researchers, count)


def latencies(target: Any, chosen: list[str]) -> tuple[list[float], int]:
    from collabgraph.queries.paths import paths_to_risk

    times: list[float] = []
    found = 0
    for source in chosen:
        with timer() as t:
            paths = paths_to_risk(target, source, max_hops=MAX_HOPS)
        times.append(t[0] * 1000)
        found += bool(paths)
    return times, found


def precompute(graph_store: Any) -> Row:
    """Build the embedded distance-to-risk index the way a list change would refresh it."""
    from collabgraph.graph.tiers import Tier
    from collabgraph.queries.common import check_rel_types
    from collabgraph.queries.risk_distance import invalidate, risk_distance

    invalidate(graph_store.graph)
    with timer() as t:
        index = risk_distance(graph_store, Tier.HIGH, check_rel_types(None), None)
    note = (
        f"refresh after a list change: {len(index.targets)} targets, "
        f"{len(index.distance)} nodes within 6 hops; CPU {t[1]:.2f} s"
    )
    return info(f"{MEASURE} embedded precompute (risk distance)", t[0], "s", note)


def neo4j_precompute(neo: Any) -> Row:
    """Build the Neo4j distance-to-risk index (and store risk_hops) as a list change would."""
    from collabgraph.graph.tiers import Tier
    from collabgraph.queries.common import check_rel_types
    from collabgraph.queries.risk_distance_neo4j import invalidate, risk_distance

    invalidate()
    with timer() as t:
        index = risk_distance(neo, Tier.HIGH, check_rel_types(None))
    if index is None:
        return unavailable(f"{MEASURE} Neo4j precompute (risk distance)", "no bookmarks")
    note = (
        f"refresh after a list change: {len(index.targets)} targets, "
        f"{len(index.distance)} nodes within 5 hops, risk_hops stored: {index.stored}; "
        f"client CPU {t[1]:.2f} s"
    )
    return info(f"{MEASURE} Neo4j precompute (risk distance)", t[0], "s", note)


def copy_graph(source: Any, target: Any) -> int:
    """Replace ``target``'s graph with ``source``'s; returns the relationships copied."""
    target.clear()
    view = source.view()
    with target.writer() as writer:
        writer.upsert_nodes(view.iter_nodes())
    with target.writer() as writer:
        writer.upsert_relationships(view.iter_relationships())
    return int(sum(target.view().counts().relationships.values()))


def _rows(kind: str, times: list[float], found: int, bar: float, rels: int) -> list[Row]:
    note = f"{len(times)} researchers, {found} with a path, graph {rels} relationships"
    return [
        info(f"{MEASURE} {kind} p50", percentile(times, 50), "ms", note),
        check(f"{MEASURE} {kind} p95", percentile(times, 95), "ms", "<=", bar, note),
    ]


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.queries.paths import paths_to_risk  # noqa: F401
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    graph = config._cache.get("graph")
    if graph is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    rels = int(config._cache["graph_relationships"])
    chosen = sources(graph, config)
    config.log(f"paths_to_risk: {len(chosen)} researchers on the embedded store")
    refresh = precompute(graph)
    times, found = latencies(graph, chosen)
    rows = [refresh, *_rows("embedded", times, found, 20, rels)]
    neo = config._cache.get("neo4j_graph")
    if neo is None:
        return [*rows, unavailable(f"{MEASURE} Neo4j", "no Neo4j graph (bench_neo4j did not run)")]
    neo_rels = int(config._cache["neo4j_relationships"])
    if neo_rels < config.sizes.min_graph_relationships <= rels:
        # The Neo4j ingest benchmark's graph is smaller than the 1M relationships:
        # measure Neo4j on the embedded benchmark graph instead, copied in with the batched
        # writer (so both stores answer on the same graph, from the same researchers).
        config.log(f"paths_to_risk: copying the {rels}-relationship graph into Neo4j")
        with timer() as copied:
            neo_rels = copy_graph(graph, neo)
        rows.append(
            info(
                f"{MEASURE} Neo4j: copy of the embedded graph",
                copied[0],
                "s",
                f"{neo_rels} relationships through the batched writer; not a target",
            )
        )
    rows.append(neo4j_precompute(neo))
    neo_chosen = sources(neo, config)
    latencies(neo, neo_chosen[:5])  # warm the page cache and query plans once
    times, found = latencies(neo, neo_chosen)
    rows += _rows("Neo4j", times, found, 100, neo_rels)
    try:
        neo.clear()  # the server is shared with nothing else: a failure here loses no figure
    except Exception as exc:  # noqa: BLE001 - reported, never hides the rows above
        config.log(f"paths_to_risk: clearing the Neo4j graph failed: {exc}")
    return rows
