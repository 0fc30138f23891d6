"""2. Neo4j ingest (batched UNWIND writer) and, on the same works, a naive per-record loader.

The naive loader is the way many users write it: the same node and relationship records, but
one transaction per work and one MERGE statement per node and per relationship. It uses the
project's own merge Cypher (with a one-row list), so the only difference is the batching.
"""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path
from typing import Any

import orjson

from .harness import Config, Row, check, corpus, info, timer, unavailable
from .neo4j_env import Neo4jUnavailable, store

MEASURE = "Neo4j ingest"


def _head(path: Path, works: int, target: Path) -> Path:
    """The first ``works`` lines of a corpus, as their own file (so both loaders read a file)."""
    if not target.exists():
        with gzip.open(path, "rb") as src, gzip.open(target, "wb", compresslevel=1) as out:
            for line in itertools.islice(src, works):
                out.write(line)
    return target


def naive_load(neo: Any, path: Path) -> int:
    """One transaction per work, one MERGE per node and relationship. Returns works loaded."""
    from collabgraph.graph.neo4j import cypher_write
    from collabgraph.ingest.openalex import DATASET, work_records
    from collabgraph.ingest.pipeline import Provenance

    prov = Provenance(DATASET, "2026-01-01")
    count = 0

    def write(tx: Any, nodes: list[Any], rels: list[Any]) -> None:
        for node in nodes:
            one = cypher_write.Rows()
            row = one.node(node.label, node.id, node.props)
            tx.run(cypher_write.merge_nodes(node.label), rows=[row], shared=one.shared).consume()
        for rel in rels:
            one = cypher_write.Rows()
            row = one.relationship(rel.type, rel.start, rel.end, rel.props)
            query = cypher_write.merge_relationships(rel.type)
            tx.run(query, rows=[row], shared=one.shared).consume()

    with gzip.open(path, "rb") as handle, neo.driver.session() as session:
        for number, line in enumerate(handle, 1):
            paper, nodes, rels = work_records(orjson.loads(line), prov, f"{path.name}:{number}")
            session.execute_write(write, [paper, *nodes], rels)
            count += 1
    return count


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.graph.neo4j import Neo4jStore  # noqa: F401
        from collabgraph.ingest.openalex import work_records  # noqa: F401
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    from .graph_setup import add_risk_lists, derive_after, ingest_corpus

    try:
        neo = store(config)
    except Neo4jUnavailable as exc:
        return [unavailable(MEASURE, f"Neo4j server: {exc}")]
    sizes = config.sizes
    full = corpus(config, sizes.neo4j_works)
    n_small = min(sizes.naive_works, sizes.neo4j_works)
    small = _head(full, n_small, config.workdir / f"head-{n_small}-of-{sizes.neo4j_works}.jsonl.gz")
    # Warm the server (JIT, query plans, constraints, store files grown to the graph's size)
    # so neither loader pays for it: the batched loader once on the whole slice (it is cheap),
    # the naive one on a tenth of it. With a 20-work warm-up, the first timed batched run was
    # 2.5-5x slower than the same batched load run after the naive one, so the ratio measured
    # a cold server rather than the loaders.
    n_warm = min(n_small, max(20, n_small // 10))
    ingest_corpus(neo, small, config.workdir)
    neo.clear()
    naive_load(neo, _head(small, n_warm, config.workdir / f"head-warmup-{n_warm}.jsonl.gz"))
    neo.clear()
    config.log(f"Neo4j: batched vs naive on {n_small} works")
    with timer() as batched_small:
        ingest_corpus(neo, small, config.workdir)
    neo.clear()
    with timer() as naive:
        naive_load(neo, small)
    neo.clear()
    config.log(f"Neo4j: batched ingest of {sizes.neo4j_works} works")
    with timer() as batched:
        summary = ingest_corpus(neo, full, config.workdir)
    ingest_rels = sum(neo.view().counts().relationships.values())
    # Leave the graph loaded, with risk lists and derived facts: paths_to_risk runs on it.
    with timer() as derived:
        derive_after(neo, summary)
        add_risk_lists(neo)
    config._cache["neo4j_graph"] = neo
    config._cache["neo4j_relationships"] = sum(neo.view().counts().relationships.values())
    return [
        check(
            f"{MEASURE} ({sizes.neo4j_works} works)",
            sizes.neo4j_works / batched[0],
            "works/s",
            ">=",
            2_000,
            f"{summary.rejected} rejects, {ingest_rels} relationships; "
            f"Python CPU {batched[1]:.1f} s of {batched[0]:.1f} s wall",
        ),
        info(f"Neo4j batched ingest ({n_small} works)", n_small / batched_small[0], "works/s"),
        info(f"Neo4j naive loader ({n_small} works, tx per record)", n_small / naive[0], "works/s"),
        check("naive / batched time (same works)", naive[0] / batched_small[0], "x", ">=", 20),
        info("Neo4j derive after the ingest + risk lists (CO_AUTHORED, tiers)", derived[0], "s"),
    ]
