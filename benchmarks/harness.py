"""What every benchmark shares: result rows, sizes, a cached corpus and a cached large graph.

A benchmark module exposes ``run(config) -> list[Row]``. A missing dependency (a module another
part of the project has not written yet) becomes a row with value None and pass False, so the
table shows what could not be measured instead of the run crashing.
"""

from __future__ import annotations

import os
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Row:
    """One measured figure; ``target`` is text such as ">= 10000" (None: printed, no bar)."""

    measure: str
    value: float | None
    unit: str
    target: str | None = None
    passed: bool | None = None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "value": self.value,
            "unit": self.unit,
            "target": self.target,
            "pass": self.passed,
        }


def check(measure: str, value: float, unit: str, op: str, bar: float, note: str = "") -> Row:
    """A row with a target: ``op`` is ">=" or "<=" and ``bar`` the figure the issue sets."""
    passed = value >= bar if op == ">=" else value <= bar
    return Row(measure, round(value, 4), unit, f"{op} {bar:g}", passed, note)


def info(measure: str, value: float, unit: str, note: str = "") -> Row:
    """A figure printed for context (no target of its own)."""
    return Row(measure, round(value, 4), unit, None, None, note)


def unavailable(measure: str, what: str) -> Row:
    return Row(measure, None, "", None, False, f"not available: {what}")


@dataclass
class Sizes:
    ingest_works: int  # also the large graph that paths, exposure and memory measure
    neo4j_works: int
    naive_works: int
    sources: int  # random researchers for paths_to_risk
    resolution_strings: int
    neighbourhood_nodes: int
    min_graph_relationships: int


FULL = Sizes(100_000, 20_000, 2_000, 200, 20_000, 500, 1_000_000)
QUICK = Sizes(400, 300, 60, 20, 500, 500, 0)


@dataclass
class Config:
    quick: bool
    workdir: Path
    neo4j_uri: str | None = None
    seed: int = 1
    shared: Path = field(
        default_factory=lambda: Path(
            os.environ.get("COLLABGRAPH_SHARED_DATA", REPO.parent / "shared" / "data")
        )
    )
    log: Callable[[str], None] = lambda _msg: None
    overrides: dict[str, int] = field(default_factory=dict)  # e.g. {"ingest_works": 10_000}
    _cache: dict[str, Any] = field(default_factory=dict)

    @property
    def sizes(self) -> Sizes:
        """The issue's sizes (or the quick ones), with any explicit overrides applied."""
        return replace(QUICK if self.quick else FULL, **self.overrides)


@contextmanager
def timer() -> Iterator[list[float]]:
    """``with timer() as t: ...`` then ``t[0]`` is the wall time and ``t[1]`` this process's
    CPU time, in seconds. Both are reported: on a shared machine the wall time also counts
    waiting for a core, the CPU time does not (but misses work done in the Neo4j JVM)."""
    out: list[float] = []
    started, cpu = time.perf_counter(), time.process_time()
    try:
        yield out
    finally:
        out += [time.perf_counter() - started, time.process_time() - cpu]


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def corpus(config: Config, works: int) -> Path:
    """A generated corpus of ``works`` works in the work directory (written once per size)."""
    from collabgraph.ingest.synthetic import write_corpus

    path = config.workdir / f"corpus-{works}-s{config.seed}.jsonl.gz"
    if not path.exists():
        config.log(f"generating {works} works")
        write_corpus(path, works, config.seed)
    return path


def tier_of_listing(aspi_category: str | None) -> tuple[str, str]:
    """(ASPI tier, Section 1286 tier) from ingest/tiers.toml, the project's own proxy table."""
    table = tomllib.loads((REPO / "ingest" / "tiers.toml").read_text(encoding="utf-8"))
    aspi = table["aspi"]
    aspi_tier = aspi["categories"].get(aspi_category or "", aspi["default"])
    return str(aspi_tier), str(table["dod1286"]["default"])
