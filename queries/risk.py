"""Which institutions are risky, and why: their listings, read the same way on both stores."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.graph.tiers import Tier

from . import cypher
from .common import Listing, effective_tier, embedded_listings, rows_to_listings


@dataclass(frozen=True)
class RiskyInstitution:
    """An institution with its effective tier and every listing behind it (strongest first)."""

    id: str
    name: str
    tier: Tier
    listings: tuple[Listing, ...]


def risky_institutions(store: Store, min_tier: Tier) -> dict[str, RiskyInstitution]:
    """Every institution whose effective tier is at or above ``min_tier``, by id."""
    found: dict[str, RiskyInstitution] = {}
    if store.kind == "neo4j":
        rows = store.read(cypher.render("risky_institutions"))  # type: ignore[attr-defined]
        meta: dict[str, tuple[str, Any]] = {}
        for row in rows:
            meta[row["institution"]] = (row["name"] or "", row["own_tier"])
        by_inst = rows_to_listings(r for r in rows if r["list_id"] is not None)
        for iid, (name, own) in meta.items():
            listings = by_inst.get(iid, [])
            tier = effective_tier(listings, own)
            if tier >= min_tier:
                found[iid] = RiskyInstitution(iid, name, tier, tuple(listings))
        return found
    graph = store.graph  # type: ignore[attr-defined]
    for node_id, data in graph.nodes(data=True):
        if data["label"] != "Institution":
            continue
        own = data["props"].get("tier")
        listings = embedded_listings(graph, node_id)
        if own is None and not listings:
            continue
        tier = effective_tier(listings, own)
        if tier >= min_tier:
            name = str(data["props"].get("name") or "")
            found[node_id] = RiskyInstitution(node_id, name, tier, tuple(listings))
    return found


def listings_of(store: Store, ids: Iterable[str]) -> dict[str, list[Listing]]:
    """The listings of the given institutions (strongest first); absent ids have none."""
    wanted = list(dict.fromkeys(ids))
    if store.kind == "neo4j":
        rows = store.read(cypher.render("listings"), ids=wanted)  # type: ignore[attr-defined]
        return rows_to_listings(rows)
    graph = store.graph  # type: ignore[attr-defined]
    out: dict[str, list[Listing]] = {}
    for iid in wanted:
        if iid in graph and graph.nodes[iid]["label"] == "Institution":
            items = embedded_listings(graph, iid)
            if items:
                out[iid] = items
    return out
