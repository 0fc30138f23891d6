"""3. Resident memory of the embedded store: bytes per relationship after opening the benchmark
graph and answering one paths query, in a fresh process.

A child process (``python -m benchmarks.bench_memory measure STORE ID…``) opens the store and
asks ``paths_to_risk`` for the given researchers in turn until one has a path (the first query
builds the adjacency and the distance-to-risk index), then reports its RSS, its peak RSS
(VmHWM, see harness.peak_rss) and every module it imported. A second child
(``baseline MODULES_FILE``) imports exactly those modules and reports its RSS: the bare
interpreter with the same imports. The difference, divided by the relationship count, is the
figure; node memory is included in it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from .harness import (
    Config,
    Row,
    check,
    child,
    info,
    large_graph,
    peak_rss,
    rss,
    sample_researchers,
    unavailable,
)

MEASURE = "resident memory per relationship"
MAX_HOPS = 4
TRIES = 20  # researchers tried for one with a path


def measure(path: Path, researchers: list[str]) -> dict[str, Any]:
    """In this process: open ``path``, answer paths queries, report RSS and imports."""
    from collabgraph.graph.embedded import EmbeddedStore
    from collabgraph.queries.paths import paths_to_risk

    before = rss()
    store = EmbeddedStore(path)
    asked, found = "", 0
    for researcher in researchers[:TRIES]:
        asked = researcher
        found = len(paths_to_risk(store, researcher, max_hops=MAX_HOPS))
        if found:
            break
    after = rss()
    counts = store.view().counts()
    return {
        "before": before,
        "after": after,
        "peak": peak_rss(),
        "researcher": asked,
        "paths": found,
        "relationships": sum(counts.relationships.values()),
        "nodes": sum(counts.nodes.values()),
        "modules": sorted(sys.modules),
    }


def baseline(modules_file: Path) -> dict[str, Any]:
    """In this process: import every module named in ``modules_file``; report RSS."""
    import importlib

    names = json.loads(modules_file.read_text(encoding="utf-8"))
    failed = 0
    for name in names:
        if name in sys.modules or name == "__main__":
            continue
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that imports only as a side effect
            failed += 1
    return {"rss": rss(), "modules": len(sys.modules), "failed": failed}


def run(config: Config) -> list[Row]:
    path: Path | None = large_graph(config)
    if path is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    m = child("bench_memory", "measure", str(path), *sample_researchers(config)[:TRIES])
    modules_file = config.workdir / "memory-modules.json"
    modules_file.write_text(json.dumps(m["modules"]), encoding="utf-8")
    b = child("bench_memory", "baseline", str(modules_file))
    config._cache["cold_researcher"] = m["researcher"]
    rels = int(m["relationships"])
    steady = (m["after"] - b["rss"]) / rels
    peak = (m["peak"] - b["rss"]) / rels
    note = (
        f"{rels} relationships, {int(m['nodes'])} nodes (node memory included); RSS "
        f"{m['after'] / 1e6:.0f} MB after, bare interpreter with the same "
        f"{len(m['modules'])} modules {b['rss'] / 1e6:.0f} MB; {m['paths']} paths for "
        f"{m['researcher']}"
    )
    return [
        check(MEASURE + " (after one paths query)", steady, "B", "<=", 100, note),
        info(
            "  peak RSS per relationship (open + first query)",
            peak,
            "B",
            f"peak RSS {m['peak'] / 1e6:.0f} MB",
        ),
    ]


if __name__ == "__main__":
    if sys.argv[1] == "measure":
        print(json.dumps(measure(Path(sys.argv[2]), sys.argv[3:])))
    else:
        print(json.dumps(baseline(Path(sys.argv[2]))))
