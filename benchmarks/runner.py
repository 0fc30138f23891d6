"""Runs every benchmark in order and collects their rows (used by ``collabgraph bench``).

The ingest benchmark builds the graph file that the incremental ingest, memory, cold start,
exposure, neighbourhood and paths benchmarks open, so it runs first. The larger ingests of
``bench_scale`` (300k works; 1M with ``--million``) run last but one, so that the issue's
other rows print first. A benchmark that raises becomes an error row; the others still run.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from types import ModuleType

from . import (
    bench_cold_start,
    bench_demo,
    bench_exposure,
    bench_incremental,
    bench_ingest,
    bench_memory,
    bench_neighbourhood,
    bench_neo4j,
    bench_paths,
    bench_resolution,
    bench_scale,
)
from .harness import Config, Row
from .neo4j_env import stop

# Order matters: bench_ingest builds the embedded graph, bench_memory finds the researcher
# bench_cold_start asks for, bench_neo4j leaves its graph loaded for the Neo4j side of
# bench_paths.
MODULES: list[ModuleType] = [
    bench_ingest,
    bench_incremental,
    bench_memory,
    bench_cold_start,
    bench_exposure,
    bench_neighbourhood,
    bench_resolution,
    bench_neo4j,
    bench_paths,
    bench_scale,
    bench_demo,
]


def run_all(config: Config, only: Callable[[str], bool] = lambda _name: True) -> list[Row]:
    """Every benchmark's rows, in order; ``only`` filters by module name (e.g. "bench_paths")."""
    rows: list[Row] = []
    try:
        for module in MODULES:
            name = module.__name__.rsplit(".", 1)[-1]
            if not only(name):
                continue
            config.log(f"-- {name}")
            try:
                rows += module.run(config)
            except Exception as exc:  # one broken benchmark must not hide the others
                config.log(traceback.format_exc())
                rows.append(
                    Row(
                        getattr(module, "MEASURE", name),
                        None,
                        "",
                        None,
                        False,
                        f"error: {type(exc).__name__}: {str(exc)[:160]}",
                    )
                )
    finally:
        stop(config)
    return rows
