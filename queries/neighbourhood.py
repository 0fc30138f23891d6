"""neighbourhood: the subgraph around a node, with hubs capped and paged.

Breadth-first to ``hops``. Each expanded node shows at most ``per_node_cap`` neighbours, the
strongest first (strength: papers behind a co-authorship, evidence papers behind an
affiliation, otherwise one per relationship; ties by id); the rest are reported in
``truncated`` as "N more", and ``offset`` pages through the centre node's neighbours. At most
``max_nodes`` nodes are returned. Filters: relationship types, a year window on papers, a
technology that papers must concern, a minimum tier for institutions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from collabgraph.graph.contract import Store, link_strength
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.risk import YearWindow, effective_tier
from collabgraph.graph.schema import SCHEMA
from collabgraph.graph.tiers import Tier

from .common import display_name, tiers_at_or_above

MAX_HOPS = 3


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


strength = link_strength  # how much one relationship counts when ranking neighbours


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
    view = store.view()
    centre = view.get_node(node)
    if centre is None:
        raise NodeNotFound(f"no node has id {node!r}")
    result = Neighbourhood()
    hop_of = {node: 0}
    labels_props = {node: (centre.label, centre.props)}
    seen_rels: set[tuple[str, ...]] = set()
    frontier = [node]
    for hop in range(1, hops + 1):
        pages = view.neighbour_pages(
            frontier,
            types=types,
            years=years,
            tiers=tiers,
            technology=technology,
            skip={node: offset},
            cap=per_node_cap,
        )
        following: list[str] = []
        for fid in frontier:
            found = pages.get(fid)
            total, page = (found.total, found.page) if found is not None else (0, ())
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
            for item in page:
                mid = item.node.id
                if mid not in hop_of:
                    if len(hop_of) >= max_nodes:
                        result.max_nodes_reached = True
                        continue
                    hop_of[mid] = hop
                    labels_props[mid] = (item.node.label, item.node.props)
                    following.append(mid)
                for rel in item.relationships:
                    if rel.key not in seen_rels:
                        seen_rels.add(rel.key)
                        result.relationships.append(
                            {
                                "type": rel.type,
                                "start": rel.start,
                                "end": rel.end,
                                "props": rel.props,
                            }
                        )
        frontier = sorted(following)
    institutions = [n for n, (label, _) in labels_props.items() if label == "Institution"]
    listings = view.listings(institutions)
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
