"""Builds the benchmark graph the way a user would: technologies, works, risk lists, derive.

Each step does what ``collabgraph ingest`` does (ui/commands/ingest.py): the ingester, then
``derive(store, summary.touched)`` around what it wrote. Risk lists are written from the flags
in the generator's bundled institution list (ROR ids picked offline by name matching against
the ASPI tracker and the Section 1286 list), with the tiers the project's own tiers.toml
gives, so every synthetic listed partner is connected.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from collabgraph.graph.contract import Store
from collabgraph.graph.records import Node, Relationship

from .harness import REPO, tier_of_listing

if TYPE_CHECKING:
    from collabgraph.ingest.derive import DeriveSummary
    from collabgraph.ingest.pipeline import Summary

ASPI_LIST = "cg:risklist:synthetic-aspi"
DOD_LIST = "cg:risklist:synthetic-dod1286"
_PROV = {"source": "synthetic", "sources": ["synthetic"], "source_version": "2026-01-01"}


def load_technologies(store: Store, workdir: Path) -> None:
    """The EC critical-technology areas from the bundled sample (so ingest tags papers)."""
    from collabgraph.ingest.derive import derive
    from collabgraph.ingest.pipeline import RejectWriter
    from collabgraph.ingest.technologies import ingest_technologies

    areas = REPO / "ingest" / "sample" / "ec_critical_technology_areas.json"
    rejects = RejectWriter(workdir / "tech.rejects.jsonl")
    derive(store, ingest_technologies(store, [areas], rejects=rejects).touched)


def ingest_corpus(store: Store, corpus: Path, workdir: Path) -> Summary:
    """Run the project's OpenAlex ingester (without the derive step); returns its Summary."""
    from collabgraph.ingest.openalex import ingest_openalex
    from collabgraph.ingest.pipeline import RejectWriter

    rejects = RejectWriter(workdir / f"{corpus.stem}.{store.kind}.rejects.jsonl")
    return ingest_openalex(store, [corpus], rejects=rejects)


def derive_after(store: Store, summary: Summary) -> DeriveSummary:
    """The derive step ``collabgraph ingest`` runs after an ingester: around what it touched."""
    from collabgraph.ingest.derive import derive

    return derive(store, summary.touched)


def risk_list_records(institution_ids: set[str]) -> tuple[list[Node], list[Relationship]]:
    """RiskList nodes and LISTED_ON edges for the bundled listed institutions in the graph."""
    from collabgraph.ingest.synthetic import load

    nodes = [
        Node("RiskList", ASPI_LIST, {"name": "ASPI tracker (synthetic benchmark copy)", **_PROV}),
        Node("RiskList", DOD_LIST, {"name": "Section 1286 (synthetic benchmark copy)", **_PROV}),
    ]
    rels = []
    for inst in load():
        node_id = f"ror:{inst.ror}"
        if not inst.listed or node_id not in institution_ids:
            continue
        aspi_tier, dod_tier = tier_of_listing(inst.aspi)
        if inst.aspi:
            props = {"tier": aspi_tier, "category": inst.aspi, "method": "ror_id", **_PROV}
            rels.append(Relationship("LISTED_ON", node_id, ASPI_LIST, props))
        if inst.dod1286:
            props = {"tier": dod_tier, "method": "ror_id", **_PROV}
            rels.append(Relationship("LISTED_ON", node_id, DOD_LIST, props))
    return nodes, rels


def add_risk_lists(store: Store) -> int:
    """Write the risk lists and derive the tiers of the listed institutions (as a watchlist
    ingest does: around what it wrote); returns the LISTED_ON count."""
    from collabgraph.ingest.derive import Touched, derive

    present = {n.id for n in store.view().iter_nodes("Institution")}
    nodes, rels = risk_list_records(present)
    with store.writer() as writer:
        writer.upsert_nodes(nodes)
        writer.upsert_relationships(rels)
    touched = Touched()
    touched.note(nodes, rels)
    derive(store, touched)
    return len(rels)


def relationship_count(store: Store) -> int:
    return sum(store.view().counts().relationships.values())
