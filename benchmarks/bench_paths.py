"""6. paths_to_risk latency on the large graph: embedded and Neo4j, 200 random researchers.

Each store is opened as a new store object, so its first question builds what the search
needs (the embedded store: its adjacency and the distance-to-risk index; Neo4j: the distance
index in the client's cache). That first question is timed on its own row; the p50 and p95 are
over the researchers asked after it, as every question but the first after a write runs.
"""

from __future__ import annotations

import random
from typing import Any

from .harness import (
    Config,
    Row,
    check,
    info,
    large_graph,
    percentile,
    sample_researchers,
    timer,
    unavailable,
)
from .neo4j_env import reopen

MEASURE = "paths_to_risk"
MAX_HOPS = 4


def sources(graph_store: Any, config: Config) -> list[str]:
    """The run's sample of researchers of ``graph_store`` (for a graph other than the
    embedded benchmark graph)."""
    researchers = sorted(n.id for n in graph_store.view().iter_nodes("Researcher"))
    count = min(config.sizes.sources, len(researchers))
    return random.Random(config.seed).sample(researchers, count)


def latencies(target: Any, chosen: list[str]) -> tuple[list[float], int, list[float]]:
    """Wall milliseconds per question, how many found a path, and this process's CPU
    milliseconds per question (on a busy machine the wall time also counts waiting)."""
    from collabgraph.queries.paths import paths_to_risk

    times: list[float] = []
    cpu: list[float] = []
    found = 0
    for source in chosen:
        with timer() as t:
            paths = paths_to_risk(target, source, max_hops=MAX_HOPS)
        times.append(t[0] * 1000)
        cpu.append(t[1] * 1000)
        found += bool(paths)
    return times, found, cpu


def first_question(kind: str, target: Any, source: str) -> Row:
    """Time the first question on a new store object: it builds the store's caches."""
    times, found, cpu = latencies(target, [source])
    note = (
        f"a new store object: builds what the search needs; {source}: {found} with a path; "
        f"CPU {cpu[0] / 1000:.2f} s"
    )
    return info(f"{MEASURE} {kind} first question (cold caches)", times[0] / 1000, "s", note)


def copy_graph(source: Any, target: Any) -> int:
    """Replace ``target``'s graph with ``source``'s; returns the relationships copied."""
    target.clear()
    view = source.view()
    with target.writer() as writer:
        writer.upsert_nodes(view.iter_nodes())
    with target.writer() as writer:
        writer.upsert_relationships(view.iter_relationships())
    return int(sum(target.view().counts().relationships.values()))


def _rows(
    kind: str, measured: tuple[list[float], int, list[float]], bar: float, rels: int
) -> list[Row]:
    times, found, cpu = measured
    note = f"{len(times)} researchers, {found} with a path, graph {rels} relationships"
    return [
        info(
            f"{MEASURE} {kind} p50",
            percentile(times, 50),
            "ms",
            f"{note}; CPU p50 {percentile(cpu, 50):.3g} ms",
        ),
        check(
            f"{MEASURE} {kind} p95",
            percentile(times, 95),
            "ms",
            "<=",
            bar,
            f"{note}; CPU p95 {percentile(cpu, 95):.3g} ms (client only for Neo4j)",
        ),
    ]


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.graph.embedded import EmbeddedStore
        from collabgraph.queries.paths import paths_to_risk  # noqa: F401
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    path = large_graph(config)
    if path is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    rels = int(config._cache["graph_relationships"])
    chosen = sample_researchers(config)
    config.log(f"paths_to_risk: {len(chosen)} researchers on the embedded store")
    graph = EmbeddedStore(path)
    try:
        rows = [first_question("embedded", graph, chosen[0])]
        rows += _rows("embedded", latencies(graph, chosen), 10, rels)
        rows += _neo4j(config, graph, rels)
    finally:
        graph.close()
    return rows


def _neo4j(config: Config, graph: Any, rels: int) -> list[Row]:
    neo = config._cache.get("neo4j_graph")
    if neo is None:
        return [unavailable(f"{MEASURE} Neo4j", "no Neo4j graph (bench_neo4j did not run)")]
    rows: list[Row] = []
    neo_rels = int(config._cache["neo4j_relationships"])
    same_graph = False
    if neo_rels < config.sizes.min_graph_relationships <= rels:
        # The Neo4j ingest benchmark's graph is smaller than the 1M relationships:
        # measure Neo4j on the embedded benchmark graph instead, copied in with the batched
        # writer (so both stores answer on the same graph, from the same researchers).
        config.log(f"paths_to_risk: copying the {rels}-relationship graph into Neo4j")
        with timer() as copied:
            neo_rels = copy_graph(graph, neo)
        same_graph = True
        rows.append(
            info(
                f"{MEASURE} Neo4j: copy of the embedded graph",
                copied[0],
                "s",
                f"{neo_rels} relationships through the batched writer; not a target",
            )
        )
    fresh = reopen(config)
    neo_chosen = sample_researchers(config) if same_graph else sources(fresh, config)
    rows.append(first_question("Neo4j", fresh, neo_chosen[0]))
    latencies(fresh, neo_chosen[:5])  # warm the page cache and query plans once
    rows += _rows("Neo4j", latencies(fresh, neo_chosen), 100, neo_rels)
    try:
        neo.clear()  # the server is shared with nothing else: a failure here loses no figure
    except Exception as exc:  # noqa: BLE001 - reported, never hides the rows above
        config.log(f"paths_to_risk: clearing the Neo4j graph failed: {exc}")
    return rows
