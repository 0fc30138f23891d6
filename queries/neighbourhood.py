"""neighbourhood: the subgraph around a node, with hubs capped and paged.

Breadth-first to ``hops``. Each expanded node shows at most ``per_node_cap`` neighbours, the
strongest first (strength: papers behind a co-authorship, evidence papers behind an
affiliation, otherwise one per relationship; ties by id); the rest are reported in
``truncated`` as "N more", and ``offset`` pages through the centre node's neighbours. At most
``max_nodes`` nodes are returned. Filters: relationship types, a year window on papers, a
technology that papers must concern, a minimum tier for institutions.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.schema import SCHEMA
from collabgraph.graph.tiers import Tier

from . import cypher
from .common import (
    YearWindow,
    display_name,
    effective_tier,
    embedded_listings,
    in_window,
    tiers_at_or_above,
    window_params,
)
from .risk import listings_of

MAX_HOPS = 3

# One neighbour on a page: id, label, props, strength, relationships (type, start, end, props).
Found = tuple[str, str, dict[str, Any], int, list[tuple[str, str, str, dict[str, Any]]]]


@dataclass
class Neighbourhood:
    nodes: list[dict[str, Any]] = field(default_factory=list)
    relationships: list[dict[str, Any]] = field(default_factory=list)
    truncated: list[dict[str, Any]] = field(default_factory=list)
    max_nodes_reached: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "nodes": self.nodes,
            "relationships": self.relationships,
            "truncated": self.truncated,
            "max_nodes_reached": self.max_nodes_reached,
        }


def strength(rel_type: str, props: dict[str, Any]) -> int:
    """How much one relationship counts when ranking a node's neighbours."""
    if rel_type == "CO_AUTHORED":
        papers = props.get("papers")
        return papers if isinstance(papers, int) else 1
    if rel_type == "AFFILIATED_WITH":
        return max(1, len(props.get("evidence_papers") or []))
    return 1


def neighbourhood(
    store: Store,
    node: str,
    *,
    hops: int = 1,
    years: YearWindow | None = None,
    min_tier: str | Tier | None = None,
    technology: str | None = None,
    rel_types: list[str] | None = None,
    max_nodes: int = 200,
    per_node_cap: int = 50,
    offset: int = 0,
) -> Neighbourhood:
    """The nodes and relationships within ``hops`` of ``node`` (an id), capped and paged."""
    if not 1 <= hops <= MAX_HOPS:
        raise CollabgraphError(f"hops must be between 1 and {MAX_HOPS}, not {hops}")
    if per_node_cap < 1 or max_nodes < 1 or offset < 0:
        raise CollabgraphError("per-node cap and max nodes must be positive, offset not negative")
    types = sorted({SCHEMA.rel(t.strip().upper()).type for t in rel_types or SCHEMA.relationships})
    tiers = tiers_at_or_above(min_tier) if min_tier else None
    centre = store.view().get_node(node)
    if centre is None:
        raise NodeNotFound(f"no node has id {node!r}")
    params = {
        "types": types,
        "tiers": tiers,
        "technology": technology,
        "centre": node,
        "offset": offset,
        "cap": per_node_cap,
        **window_params(years),
    }
    result = Neighbourhood()
    hop_of = {node: 0}
    labels_props = {node: (centre.label, centre.props)}
    seen_rels: set[tuple[str, str, str, str]] = set()
    frontier = [node]
    for hop in range(1, hops + 1):
        pages = _step(store, frontier, params, years)
        following: list[str] = []
        for fid in frontier:
            total, page = pages.get(fid, (0, []))
            skip = offset if fid == node else 0
            if total > skip + len(page) or skip:
                result.truncated.append(
                    {
                        "node": fid,
                        "total": total,
                        "offset": skip,
                        "shown": len(page),
                        "more": max(0, total - skip - len(page)),
                    }
                )
            for mid, label, props, _, rels in page:
                if mid not in hop_of:
                    if len(hop_of) >= max_nodes:
                        result.max_nodes_reached = True
                        continue
                    hop_of[mid] = hop
                    labels_props[mid] = (label, props)
                    following.append(mid)
                for rel_type, start, end, rprops in rels:
                    key = (
                        rel_type,
                        start,
                        end,
                        "\x1f".join(str(rprops.get(k, "")) for k in SCHEMA.rel(rel_type).key),
                    )
                    if key not in seen_rels:
                        seen_rels.add(key)
                        result.relationships.append(
                            {"type": rel_type, "start": start, "end": end, "props": rprops}
                        )
        frontier = sorted(following)
    institutions = [n for n, (label, _) in labels_props.items() if label == "Institution"]
    listings = listings_of(store, institutions)
    for nid, h in hop_of.items():
        label, props = labels_props[nid]
        tier = None
        if label == "Institution":
            tier = effective_tier(listings.get(nid, []), props.get("tier")).label
        result.nodes.append(
            {"id": nid, "label": label, "name": display_name(label, props), "tier": tier, "hop": h}
        )
    result.relationships.sort(key=lambda r: (r["type"], r["start"], r["end"]))
    return result


def _step(
    store: Store, frontier: list[str], params: dict[str, Any], years: YearWindow | None
) -> dict[str, tuple[int, list[Found]]]:
    if store.kind == "neo4j":
        rows = store.read(  # type: ignore[attr-defined]
            cypher.render("neighbourhood_step"),
            frontier=frontier,
            tier="tier",
            papers="papers",
            evidence="evidence_papers",
            **params,
        )
        out: dict[str, tuple[int, list[Found]]] = {}
        for row in rows:
            page: list[Found] = []
            for item in row["page"]:
                label = next(lb for lb in item["labels"] if lb in SCHEMA.nodes)
                rels = [(r["type"], r["s"], r["e"], r["props"]) for r in item["rels"]]
                props = SCHEMA.facts(item["props"])
                page.append((item["id"], label, props, item["strength"], rels))
            out[row["id"]] = (row["total"], page)
        return out
    graph = store.graph  # type: ignore[attr-defined]
    types = set(params["types"])
    tiers = set(params["tiers"]) if params["tiers"] is not None else None
    tech = params["technology"]
    result: dict[str, tuple[int, list[Found]]] = {}
    # networkx's adjacency dicts are read directly (not through edge views): a hub such as an
    # institution has tens of thousands of relationships and this loop visits every one.
    succ, pred, node_data = graph._succ, graph._pred, graph._node
    for fid in frontier:
        grouped: dict[str, list[tuple[str, str, str, dict[str, Any]]]] = {}
        edges = [(fid, e, d) for e, keyed in succ[fid].items() for d in keyed.values()]
        edges += [(s, fid, d) for s, keyed in pred[fid].items() if s != fid for d in keyed.values()]
        for s, e, d in edges:
            if d["type"] not in types:
                continue
            other = e if s == fid else s
            if not _passes(graph, other, years, tiers, tech):
                continue
            grouped.setdefault(other, []).append((d["type"], s, e, d["props"]))
        weight = {mid: sum(strength(t, p) for t, _, _, p in rels) for mid, rels in grouped.items()}
        skip = params["offset"] if fid == params["centre"] else 0
        # Only the page is ordered: the strongest skip + cap, ties by id (ids are unique).
        best = heapq.nsmallest(skip + params["cap"], grouped, key=lambda m: (-weight[m], m))
        page = [
            (
                mid,
                node_data[mid]["label"],
                node_data[mid]["props"],
                weight[mid],
                grouped[mid],
            )
            for mid in best[skip:]
        ]
        result[fid] = (len(grouped), page)
    return result


def _passes(
    graph: Any, node: str, years: YearWindow | None, tiers: set[str] | None, tech: str | None
) -> bool:
    data = graph._node[node]
    label, props = data["label"], data["props"]
    if label == "Paper":
        if not in_window(props.get("year"), years):
            return False
        if tech is not None and not any(
            d["type"] == "CONCERNS" and e == tech for _, e, d in graph.out_edges(node, data=True)
        ):
            return False
    if label == "Institution" and tiers is not None:
        tier = effective_tier(embedded_listings(graph, node), props.get("tier"))
        return tier.label in tiers
    return True
