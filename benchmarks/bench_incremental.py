"""2. Incremental ingest: new works into the large benchmark store, derive included, against
the same works into an empty store.

The new works come from the same generator and seed as the benchmark corpus, numbered after it
(new work ids and DOIs) with the benchmark corpus's author pools, so most of their authors and
every institution are already in the large store and the derive step updates existing
co-authorships. Each run opens a fresh ``EmbeddedStore`` object and does what
``collabgraph ingest openalex`` does (ui/commands/ingest.py): ``ingest_openalex``, then
``derive(store, summary.touched)``; the open is timed too. The large store is a copy of the
benchmark graph's file (the later benchmarks keep the original); the empty one holds the
technologies only, as the large one does, so both tag papers. Runs alternate (empty, large),
after one untimed warm-up, and the medians are compared.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from .harness import (
    Config,
    Row,
    check,
    copy_store,
    extra_corpus,
    info,
    large_graph,
    remove_store,
    timer,
    unavailable,
)

MEASURE = "incremental ingest"


def _empty(target: Path, workdir: Path) -> None:
    from collabgraph.graph.embedded import EmbeddedStore

    from .graph_setup import load_technologies

    remove_store(target)
    store = EmbeddedStore(target)
    load_technologies(store, workdir)
    store.close()


def _ingest(store_path: Path, works: Path, workdir: Path) -> tuple[list[float], dict[str, Any]]:
    """What ``collabgraph --store STORE ingest openalex WORKS`` does, on a fresh store object."""
    from collabgraph.graph.embedded import EmbeddedStore

    from .graph_setup import derive_after, ingest_corpus

    with timer() as t:
        store = EmbeddedStore(store_path)
        summary = ingest_corpus(store, works, workdir)
        derived = derive_after(store, summary)
    counts = store.view().counts()
    store.close()
    return t, {
        "written": summary.written,
        "rejected": summary.rejected,
        "co_authored": derived.co_authored,
        "relationships": sum(counts.relationships.values()),
    }


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.graph.embedded import EmbeddedStore  # noqa: F401
        from collabgraph.ingest.derive import derive  # noqa: F401
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    big: Path | None = large_graph(config)
    if big is None:
        return [unavailable(MEASURE, "no benchmark graph (embedded ingest did not run)")]
    base, extra = config.sizes.ingest_works, config.sizes.extra_works
    works = extra_corpus(config, base, extra)
    empty_path = config.workdir / "incremental-empty.db"
    large_path = config.workdir / "incremental-large.db"
    repeats = 1 if config.quick else 3
    config.log(f"incremental ingest: {extra} works, {repeats} runs per store")
    try:
        _empty(empty_path, config.workdir)
        _ingest(empty_path, works, config.workdir)  # warm-up: imports, the tagger's vocabulary
        into_empty: list[list[float]] = []
        into_large: list[list[float]] = []
        for _ in range(repeats):
            _empty(empty_path, config.workdir)
            timed, empty = _ingest(empty_path, works, config.workdir)
            into_empty.append(timed)
            copy_store(big, large_path)
            timed, large = _ingest(large_path, works, config.workdir)
            into_large.append(timed)
    finally:
        remove_store(empty_path)
        remove_store(large_path)
    t_empty = statistics.median(t[0] for t in into_empty)
    t_large = statistics.median(t[0] for t in into_large)
    c_empty = statistics.median(t[1] for t in into_empty)
    c_large = statistics.median(t[1] for t in into_large)
    before = int(config._cache["graph_relationships"])
    return [
        check(
            f"{MEASURE}: {extra} new works into the {base}-works store / into an empty store",
            t_large / t_empty,
            "x",
            "<=",
            2,
            f"derive included; median of {repeats}: {t_large:.2f} s vs {t_empty:.2f} s "
            f"(CPU {c_large:.2f} s vs {c_empty:.2f} s, {c_large / c_empty:.2f}x); "
            f"{large['co_authored']} vs {empty['co_authored']} CO_AUTHORED pairs derived; "
            f"{large['relationships'] - before} new relationships in the large store",
        ),
        info(
            f"  {extra} works into the {base}-works store, derive included",
            t_large,
            "s",
            f"{large['written']} written, {large['rejected']} rejects; runs "
            + ", ".join(f"{t[0]:.2f}" for t in into_large),
        ),
        info(
            f"  {extra} works into an empty store, derive included",
            t_empty,
            "s",
            "runs " + ", ".join(f"{t[0]:.2f}" for t in into_empty),
        ),
    ]
