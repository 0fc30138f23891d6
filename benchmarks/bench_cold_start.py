"""5. Cold start: a fresh process opens the benchmark store and answers ``collabgraph paths``.

Runs the real CLI (``python -m collabgraph --store STORE paths ID --json``) in a subprocess
and times it from start to exit: interpreter, imports, opening the store, building what the
first query needs, the answer. The researcher is the one the memory benchmark found a path
for (else the first sampled). Three runs (one in ``--quick``); the median is the figure. The
store file is in the operating system's page cache (it was just written), as it is for a user
who works with it; a start after a reboot also reads it from disk. ``collabgraph --version``
in a fresh process is timed too, as the floor every command pays.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
from pathlib import Path

from .harness import Config, Row, check, info, large_graph, sample_researchers, timer, unavailable

MEASURE = "cold start: collabgraph paths"
RUNS = 3


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli(*args: str, cwd: Path) -> tuple[float, subprocess.CompletedProcess[str], float]:
    """Wall seconds, the finished process and its CPU seconds (user + system)."""
    cpu = _children_cpu()
    with timer() as t:
        done = subprocess.run(
            [sys.executable, "-m", "collabgraph", *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    return t[0], done, _children_cpu() - cpu


def run(config: Config) -> list[Row]:
    path: Path | None = large_graph(config)
    if path is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    researcher = config._cache.get("cold_researcher") or sample_researchers(config)[0]
    args = ("--quiet", "--store", str(path), "paths", researcher, "--max-hops", "4", "--json")
    runs = 1 if config.quick else RUNS
    walls: list[float] = []
    cpus: list[float] = []
    found = 0
    for _ in range(runs):
        seconds, done, cpu = _cli(*args, cwd=config.workdir)
        if done.returncode != 0:
            return [unavailable(MEASURE, f"paths failed: {done.stderr.strip()[-200:]}")]
        walls.append(seconds)
        cpus.append(cpu)
        found = len(json.loads(done.stdout))
    floor = statistics.median(_cli("--version", cwd=config.workdir)[0] for _ in range(runs))
    return [
        check(
            MEASURE,
            statistics.median(walls),
            "s",
            "<=",
            3,
            f"median of {runs} fresh processes ({', '.join(f'{w:.2f}' for w in walls)} s; "
            f"CPU {', '.join(f'{c:.2f}' for c in cpus)} s); {found} paths for {researcher}",
        ),
        info("  collabgraph --version in a fresh process (the floor)", floor, "s"),
    ]
