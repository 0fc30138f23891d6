"""1 and 4. Embedded ingest of generated works, side by side with parsing the same file only,
and the peak memory of the process that ingests.

The ingest runs in a child process (``python -m benchmarks.bench_ingest CORPUS STORE WORKDIR``)
that does what a user's ``collabgraph ingest`` runs do: the technologies, the works, then the
risk lists, each followed by the derive step around what it wrote. Its peak RSS is the
peak memory of ingesting and nothing else. The works/s target is the OpenAlex ingester alone
(parse, map, validate, write); the derive step after it is timed on its own row, and the sum
is printed as what ``collabgraph ingest openalex`` takes. The store file it leaves is the large
graph every later benchmark opens.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .harness import (
    ChildFailed,
    Config,
    Row,
    check,
    child,
    corpus,
    graph_path,
    info,
    move_store,
    peak_rss,
    remove_store,
    rss,
    store_bytes,
    timer,
    unavailable,
)

MEASURE = "embedded ingest"
MEMORY = "peak RSS while ingesting"
GB = 1e9


def _building(store_path: Path) -> Path:
    return store_path.with_name("partial-" + store_path.name)


def build(
    source: Path,
    store_path: Path,
    workdir: Path,
    stage: Callable[[dict[str, Any]], None] = lambda _figures: None,
) -> dict[str, Any]:
    """In this process: build the store at ``store_path`` from ``source``; figures as a dict.
    ``stage`` is given the figures so far after the OpenAlex ingest (before the derive)."""
    from collabgraph.graph.embedded import EmbeddedStore

    from .graph_setup import add_risk_lists, derive_after, ingest_corpus, load_technologies

    baseline = rss()
    # Built under another name and renamed when complete, so an interrupted build is never
    # taken for the benchmark graph by a later run.
    building = _building(store_path)
    remove_store(building)
    store = EmbeddedStore(building)
    load_technologies(store, workdir)
    with timer() as ingest:
        summary = ingest_corpus(store, source, workdir)
    ingest_peak = peak_rss()  # the high-water mark only grows: this is the ingester's own
    stage(
        {
            "stage": "ingested",
            "ingest_wall": ingest[0],
            "ingest_cpu": ingest[1],
            "written": summary.written,
            "rejected": summary.rejected,
            "ingest_peak_rss": ingest_peak,
            "baseline_rss": baseline,
        }
    )
    with timer() as derived:
        derive = derive_after(store, summary)
    with timer() as listed:
        listings = add_risk_lists(store)
    counts = store.view().counts()
    store.close()
    move_store(building, store_path)
    return {
        "stage": "done",
        "ingest_wall": ingest[0],
        "ingest_cpu": ingest[1],
        "written": summary.written,
        "rejected": summary.rejected,
        "derive_wall": derived[0],
        "co_authored": derive.co_authored,
        "lists_wall": listed[0],
        "listed_on": listings,
        "nodes": sum(counts.nodes.values()),
        "relationships": sum(counts.relationships.values()),
        "baseline_rss": baseline,
        "peak_rss": peak_rss(),
        "ingest_peak_rss": ingest_peak,
        "file_bytes": store_bytes(store_path),
    }


def ingest_in_child(config: Config, works: int, store_path: Path) -> dict[str, Any]:
    """Generate (once) and ingest ``works`` works into a new store in a fresh process."""
    path = corpus(config, works)
    config.log(f"ingesting {works} works into the embedded store (child process)")
    try:
        return child("bench_ingest", str(path), str(store_path), str(config.workdir))
    except ChildFailed:
        remove_store(_building(store_path))  # what the failed build left
        raise


def memory_row(works: int, m: dict[str, Any]) -> Row:
    note = (
        f"peak RSS (VmHWM) of the ingesting process (interpreter and imports "
        f"{m['baseline_rss'] / 1e6:.0f} MB; {m['ingest_peak_rss'] / 1e6:.0f} MB before the "
        f"derive step), {m['relationships']} relationships"
    )
    return check(f"{MEMORY} {works} works", m["peak_rss"] / 1e6, "MB", "<=", GB / 1e6, note)


def failed_rows(works: int, exc: ChildFailed) -> list[Row]:
    """Rows for an ingest whose process failed: the peak it reached, and the figures of the
    OpenAlex ingest if that stage finished (the derive step after it did not)."""
    where = "in the derive step" if exc.partial else "before the OpenAlex ingest finished"
    rows = [
        Row(
            f"{MEMORY} {works} works",
            round(exc.peak_rss / 1e6, 4),
            "MB",
            f"<= {GB / 1e6:g}",
            False,  # an ingest that did not complete misses the target whatever it reached
            f"did not complete: failed {where}; peak RSS when it stopped (wait4); {exc}",
        )
    ]
    if exc.partial:
        m = exc.partial
        rows.append(
            info(
                f"  {works} works: OpenAlex ingest before the failure",
                works / m["ingest_wall"],
                "works/s",
                f"{m['written']} written, {m['rejected']} rejects; CPU "
                f"{works / m['ingest_cpu']:.0f} works/s; peak RSS "
                f"{m['ingest_peak_rss'] / 1e6:.0f} MB before the derive step",
            )
        )
    return rows


def _speed_rows(works: int, m: dict[str, Any], parse: list[float], parsed: int) -> list[Row]:
    return [
        check(
            f"{MEASURE} ({works} works)",
            works / m["ingest_wall"],
            "works/s",
            ">=",
            10_000,
            f"{m['written']} written, {m['rejected']} rejects; "
            f"CPU {works / m['ingest_cpu']:.0f} works/s",
        ),
        info(
            "parse only (ingest.sources.iter_json_records)",
            parsed / parse[0],
            "works/s",
            f"CPU {parsed / parse[1]:.0f} works/s",
        ),
        check(
            "ingest / parse-only time",
            m["ingest_wall"] / parse[0],
            "x",
            "<=",
            3,
            f"CPU ratio {m['ingest_cpu'] / parse[1]:.1f}x",
        ),
    ]


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.graph.embedded import EmbeddedStore  # noqa: F401
        from collabgraph.ingest.derive import derive  # noqa: F401
        from collabgraph.ingest.openalex import ingest_openalex  # noqa: F401
        from collabgraph.ingest.sources import iter_json_records
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]

    works = config.sizes.ingest_works
    path = corpus(config, works)
    with timer() as parse:
        parsed = sum(1 for _ in iter_json_records(path))
    store_path = graph_path(config)
    try:
        m = ingest_in_child(config, works, store_path)
    except ChildFailed as exc:
        config._cache[f"ingest_failed_{works}"] = exc
        if not exc.partial:
            raise
        # The works went in but the derive step failed: the speed rows still hold.
        return [*_speed_rows(works, exc.partial, parse, parsed), *failed_rows(works, exc)]
    rels = int(m["relationships"])
    config._cache["graph_path"] = store_path
    config._cache["graph_relationships"] = rels
    config._cache["graph_nodes"] = int(m["nodes"])
    config._cache[f"ingest_{works}"] = m
    short = rels < config.sizes.min_graph_relationships
    with_derive = m["ingest_wall"] + m["derive_wall"]
    return [
        *_speed_rows(works, m, parse, parsed),
        info(
            "derive after the ingest (CO_AUTHORED, tiers, around the touched)",
            m["derive_wall"],
            "s",
            f"{m['co_authored']} CO_AUTHORED pairs",
        ),
        info(
            "ingest openalex + derive, as the CLI runs it",
            works / with_derive,
            "works/s",
            f"{with_derive:.1f} s",
        ),
        info(f"risk lists + derive around them, {m['listed_on']} LISTED_ON", m["lists_wall"], "s"),
        info(
            "graph relationships after ingest + derive",
            rels,
            "relationships",
            f"{m['nodes']} nodes"
            + ("; below the 1M the issue asks for" if short else "")
            + f"; store file {m['file_bytes'] / 1e6:.0f} MB",
        ),
        memory_row(works, m),
    ]


def _print(figures: dict[str, Any]) -> None:
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    _print(build(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), _print))
