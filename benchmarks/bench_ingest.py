"""1. Embedded ingest of generated works, side by side with parsing the same file only."""

from __future__ import annotations

from .harness import Config, Row, check, corpus, info, timer, unavailable

MEASURE = "embedded ingest"


def run(config: Config) -> list[Row]:
    try:
        from collabgraph.graph.embedded import EmbeddedStore
        from collabgraph.ingest.derive import derive  # noqa: F401
        from collabgraph.ingest.openalex import ingest_openalex  # noqa: F401
        from collabgraph.ingest.sources import iter_json_records
    except ImportError as exc:
        return [unavailable(MEASURE, f"{exc.name} missing")]
    from .graph_setup import add_risk_lists, ingest_corpus, load_technologies, relationship_count

    works = config.sizes.ingest_works
    path = corpus(config, works)
    with timer() as parse:
        parsed = sum(1 for _ in iter_json_records(path))
    store = EmbeddedStore(config.workdir / "bench-graph.jsonl.gz")
    load_technologies(store, config.workdir)
    config.log(f"ingesting {works} works into the embedded store")
    with timer() as ingest:
        summary = ingest_corpus(store, path, config.workdir)
    with timer() as derived:
        listed = add_risk_lists(store)
    config.log("saving the embedded store")
    with timer() as saved:
        store.save()
    rels = relationship_count(store)
    config._cache["graph"] = store
    config._cache["graph_relationships"] = rels
    rate = works / ingest[0]
    short = rels < config.sizes.min_graph_relationships
    return [
        check(
            f"{MEASURE} ({works} works)",
            rate,
            "works/s",
            ">=",
            10_000,
            f"{summary.rejected} rejects; CPU {works / ingest[1]:.0f} works/s",
        ),
        info(
            "parse only (ingest.sources.iter_json_records)",
            parsed / parse[0],
            "works/s",
            f"CPU {parsed / parse[1]:.0f} works/s",
        ),
        check(
            "ingest / parse-only time",
            ingest[0] / parse[0],
            "x",
            "<=",
            3,
            f"CPU ratio {ingest[1] / parse[1]:.1f}x",
        ),
        info(f"risk lists + derive (CO_AUTHORED, tiers), {listed} LISTED_ON", derived[0], "s"),
        info("embedded save (gzip JSON lines)", saved[0], "s"),
        info(
            "graph relationships after ingest + derive",
            rels,
            "relationships",
            "below the 1M the issue asks for" if short else "",
        ),
    ]
