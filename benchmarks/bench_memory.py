"""7. Memory: bytes per relationship of the embedded store, loaded in a fresh process.

The benchmark graph is saved by the ingest benchmark; a child process records its RSS, loads
the file with EmbeddedStore and reports the peak RSS (ru_maxrss) minus the RSS before loading,
so the measurement holds nothing but the interpreter and the loaded graph.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from .harness import REPO, Config, Row, check, info, unavailable

MEASURE = "memory per relationship"


def measure(path: Path) -> dict[str, float]:
    """In this process: RSS before, peak RSS after loading ``path``, and the counts."""
    import psutil  # type: ignore[import-untyped]

    from collabgraph.graph.embedded import EmbeddedStore

    before = psutil.Process().memory_info().rss
    store = EmbeddedStore(path)
    counts = store.view().counts()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    after = psutil.Process().memory_info().rss
    return {
        "before": before,
        "peak": peak,
        "after": after,
        "relationships": sum(counts.relationships.values()),
        "nodes": sum(counts.nodes.values()),
    }


def run(config: Config) -> list[Row]:
    try:
        import psutil  # noqa: F401
    except ImportError:
        return [unavailable(MEASURE, "psutil missing (pip install psutil)")]
    path = config.workdir / "bench-graph.jsonl.gz"
    if "graph" not in config._cache or not path.exists():
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_memory", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return [unavailable(MEASURE, f"child failed: {done.stderr.strip()[-200:]}")]
    m = json.loads(done.stdout)
    rels = m["relationships"]
    per_rel = (m["peak"] - m["before"]) / rels
    steady = (m["after"] - m["before"]) / rels
    note = f"{int(rels)} relationships, {int(m['nodes'])} nodes (node memory included)"
    return [
        check(MEASURE + " (peak RSS delta)", per_rel, "B", "<=", 400, note),
        info("memory per relationship after load (RSS delta)", steady, "B"),
    ]


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
