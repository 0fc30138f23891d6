"""4 and 8. Ingests larger than the benchmark graph: peak memory at 300k works (it should stay
as flat as at 100k) and, only when asked (``--million``), a 1M-works country-scale corpus.

Each runs in its own child process, the same one ``bench_ingest`` uses, into its own store file
(removed afterwards: they are measured, not queried). Neither runs in ``--quick``. With
``--works 1000000`` the benchmark graph itself is the 1M corpus, and its figures are reused.
"""

from __future__ import annotations

from typing import Any

from . import bench_ingest
from .harness import MILLION, ChildFailed, Config, Row, info, remove_store

MEASURE = "peak RSS while ingesting"


def _sizes(config: Config) -> list[int]:
    if config.quick:
        return []
    wanted = [config.sizes.scale_works] if config.sizes.scale_works else []
    if config.million or config.sizes.ingest_works >= MILLION:
        wanted.append(max(MILLION, config.sizes.ingest_works))
    return sorted(set(wanted))


def _measured(config: Config, works: int) -> dict[str, Any]:
    cached = config._cache.get(f"ingest_{works}")
    if cached is not None:
        return dict(cached)
    store_path = config.workdir / f"scale-{works}-s{config.seed}.db"
    try:
        return bench_ingest.ingest_in_child(config, works, store_path)
    finally:
        remove_store(store_path)


def run(config: Config) -> list[Row]:
    sizes = _sizes(config)
    if not sizes:
        return [Row(MEASURE + " (larger corpora)", None, "MB", None, False, "skipped: --quick")]
    base = config._cache.get(f"ingest_{config.sizes.ingest_works}")
    rows: list[Row] = []
    for works in sizes:
        if f"ingest_failed_{works}" in config._cache:
            continue  # the benchmark graph itself failed at this size: bench_ingest said so
        try:
            m = _measured(config, works)
        except ChildFailed as exc:
            rows += bench_ingest.failed_rows(works, exc)
            continue
        if works != config.sizes.ingest_works:
            rows.append(bench_ingest.memory_row(works, m))
        if base is not None and works != config.sizes.ingest_works:
            rows.append(
                info(
                    f"  peak RSS {works} / {config.sizes.ingest_works} works",
                    m["peak_rss"] / base["peak_rss"],
                    "x",
                    f"corpus {works / config.sizes.ingest_works:.1f}x; relationships "
                    f"{m['relationships'] / base['relationships']:.2f}x; before the derive step "
                    f"{m['ingest_peak_rss'] / base['ingest_peak_rss']:.2f}x",
                )
            )
        if works >= MILLION:
            total = m["ingest_wall"] + m["derive_wall"] + m["lists_wall"]
            rows += [
                info(
                    f"{works}-works corpus into the embedded store",
                    works / m["ingest_wall"],
                    "works/s",
                    f"{m['rejected']} rejects; {m['relationships']} relationships, "
                    f"{m['nodes']} nodes; store file {m['file_bytes'] / 1e9:.1f} GB; "
                    f"CPU {works / m['ingest_cpu']:.0f} works/s",
                ),
                info(
                    f"  {works} works: ingest + derive + risk lists",
                    total,
                    "s",
                    f"derive {m['derive_wall']:.0f} s; completed",
                ),
                info(f"  {works} works: peak RSS", m["peak_rss"] / 1e6, "MB"),
            ]
    return rows
