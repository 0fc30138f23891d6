"""The evidence behind one exposure path: each hop's relationship, papers, years and listing.

An exposure contribution names its nodes and relationship types only; a security officer
needs to see *why* each hop exists. This reads the relationships back from the store (through
the store contract, so it works on both stores) and keeps the properties that explain them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from collabgraph.graph.contract import GraphView
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import Tier
from collabgraph.queries.common import Listing, display_name, first_listed, tier_of
from collabgraph.queries.exposure import Contribution

# The relationship properties worth showing for each hop (the rest is bookkeeping).
_KEEP: dict[str, tuple[str, ...]] = {
    "AUTHORED": ("author_position", "year"),
    "AFFILIATED_WITH": ("years", "method", "score", "raw_affiliation"),
    "PART_OF": ("method",),
    "MILITARY_LINK": ("kind", "detail", "method"),
    "CO_AUTHORED": ("papers", "first_year", "last_year"),
}


def paper_ref(node: Node | None, node_id: str) -> dict[str, Any]:
    """A paper as evidence: id, title, year and DOI (title empty if the paper is not stored)."""
    props = node.props if node is not None else {}
    year = props.get("year")
    return {
        "id": node_id,
        "title": str(props.get("title") or ""),
        "year": year if isinstance(year, int) else None,
        "doi": props.get("doi"),
    }


def _find(rels: Iterable[Relationship], rel_type: str, a: str, b: str) -> Relationship | None:
    """The stored relationship of ``rel_type`` between ``a`` and ``b``, either direction."""
    found = [r for r in rels if r.type == rel_type and {r.start, r.end} == {a, b}]
    found.sort(key=lambda r: (r.start != a, str(sorted(r.props.items()))))
    return found[0] if found else None


def hop_evidence(
    rel_type: str,
    a: str,
    b: str,
    rels: list[Relationship],
    nodes: Mapping[str, Node],
) -> dict[str, Any]:
    """One hop of a path: its type, direction as stored, the two names and the evidence."""
    rel = _find(rels, rel_type, a, b)
    start, end = (rel.start, rel.end) if rel is not None else (a, b)
    props = rel.props if rel is not None else {}
    evidence: dict[str, Any] = {k: props[k] for k in _KEEP.get(rel_type, ()) if k in props}
    papers: list[dict[str, Any]] = []
    if rel_type == "AUTHORED":
        papers.append(paper_ref(nodes.get(end), end))
    elif rel_type == "AFFILIATED_WITH":
        papers = [paper_ref(nodes.get(p), p) for p in props.get("evidence_papers") or ()]
    evidence["papers"] = papers
    evidence["source"] = props.get("source")
    evidence["source_version"] = props.get("source_version")
    return {
        "type": rel_type,
        "start": start,
        "end": end,
        "start_name": _name(nodes, start),
        "end_name": _name(nodes, end),
        "found": rel is not None,
        "evidence": evidence,
    }


def _name(nodes: Mapping[str, Node], node_id: str) -> str:
    node = nodes.get(node_id)
    return display_name(node.label, node.props) if node is not None else ""


def path_years(hops: Iterable[Mapping[str, Any]]) -> list[int]:
    """Every dated fact on a path: paper years and affiliation years."""
    years: list[int] = []
    for hop in hops:
        ev = hop["evidence"]
        years += [p["year"] for p in ev.get("papers", []) if isinstance(p.get("year"), int)]
        years += [y for y in ev.get("years") or () if isinstance(y, int)]
    return years


def explain_contribution(
    view: GraphView,
    contribution: Contribution,
    listings: list[Listing],
    floor: Tier,
) -> dict[str, Any]:
    """An exposure path with every hop's evidence, the target's qualifying listings and whether
    the collaboration on it predates the first qualifying listing (``before_listing``)."""
    ids = list(contribution.nodes)
    rels = view.relationships_between(ids)
    wanted = set(ids)
    for rel in rels:
        if rel.type == "AFFILIATED_WITH":
            wanted.update(rel.props.get("evidence_papers") or ())
    nodes = view.get_nodes(wanted)
    hops = [
        hop_evidence(t, a, b, rels, nodes)
        for t, a, b in zip(contribution.types, ids[:-1], ids[1:], strict=True)
    ]
    qualifying = [lst for lst in listings if tier_of(lst.tier) >= floor]
    first = first_listed(qualifying, floor)
    years = path_years(hops)
    latest = max(years) if years else None
    before: bool | None = None
    if first is not None and latest is not None:
        before = latest < first
    return {
        "target": contribution.target,
        "target_name": contribution.target_name,
        "tier": contribution.tier,
        "contribution": round(contribution.contribution, 6),
        "length": len(contribution.types),
        "nodes": [
            {
                "id": n,
                "label": nodes[n].label if n in nodes else "",
                "name": _name(nodes, n),
            }
            for n in ids
        ],
        "hops": hops,
        "listings": [lst.as_dict() for lst in qualifying],
        "first_listed": first,
        "latest_year": latest,
        "before_listing": before,
    }
