"""5. Resolution throughput: affiliation strings per second against the ROR union.

Uses benchmarks/resolution.py (the resolution benchmark) for its data locations, and the same
method: a fresh Resolver over a prebuilt index, so every string is resolved from scratch, with
the garbage collector paused as `collabgraph resolve` pauses it. The strings are the distinct
gold affiliation strings, topped up with distinct raw affiliation strings from the synthetic
corpus. --quick indexes the ROR Belgium/China files only.
"""

from __future__ import annotations

import gc
import gzip
import itertools
from typing import Any

import orjson

from .harness import Config, Row, check, corpus, info, timer, unavailable

MEASURE = "resolution"


def strings(config: Config, wanted: int) -> list[str]:
    from .resolution import GOLD, SETS, _read_csv

    texts: dict[str, None] = {}
    for gold_file, _peers in SETS.values():
        path = config.shared / GOLD / gold_file
        if path.exists():
            texts.update((r["affiliation"], None) for r in _read_csv(path))
    with gzip.open(corpus(config, config.sizes.ingest_works), "rb") as handle:
        for line in handle:
            if len(texts) >= wanted:
                break
            work: Any = orjson.loads(line)
            for authorship in work["authorships"]:
                texts.update((s, None) for s in authorship["raw_affiliation_strings"])
    return list(itertools.islice(texts, wanted))


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.ingest.resolution import Resolver
        from collabgraph.ingest.ror import iter_ror

        from .resolution import UNION
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    if config.quick:
        sources = [config.shared / "ror" / f for f in ("ror_be_cn_v2.jsonl", "ror_be_cn_v1.jsonl")]
    else:
        sources = [config.shared / UNION]
    if not all(p.exists() for p in sources):
        return [unavailable(MEASURE, f"ROR data missing under {config.shared}")]
    with timer() as built:
        resolver = Resolver.from_ror(itertools.chain.from_iterable(iter_ror(p) for p in sources))
    texts = strings(config, config.sizes.resolution_strings)
    fresh = Resolver(resolver.index)
    gc.disable()  # as `collabgraph resolve` does: a collection would walk the whole index
    try:
        with timer() as t:
            matched = sum(fresh.resolve(text) is not None for text in texts)
    finally:
        gc.enable()
    candidates = len(resolver.index.candidates)
    note = (
        f"{len(texts)} distinct strings, {matched} matched, {candidates} index entries; "
        f"CPU {len(texts) / t[1]:.0f} strings/s"
    )
    return [
        check(f"{MEASURE} strings/s", len(texts) / t[0], "strings/s", ">=", 5_000, note),
        info("resolution index build", built[0], "s"),
    ]
