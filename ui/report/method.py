"""The report's method section: sources and versions, tier mapping, resolution, caveats.

Everything here is read from the graph (provenance on nodes and relationships, the tiers on
LISTED_ON) or from the configuration files the pipeline used, never typed in by hand, so the
method shown is the method that produced these numbers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from collabgraph.graph.contract import GraphView
from collabgraph.ingest.resolution import Resolver
from collabgraph.ingest.watchlists import TierMap
from collabgraph.queries.common import norm_tier
from collabgraph.queries.exposure import DEFAULT_DECAY, DEFAULT_WEIGHTS, TIER_RISK


def sources(view: GraphView) -> list[dict[str, Any]]:
    """Every provenance ``source`` in the graph with its versions and what it contributed."""
    versions: dict[str, set[str]] = defaultdict(set)
    nodes: Counter[str] = Counter()
    rels: Counter[str] = Counter()
    for node in view.iter_nodes():
        for name in _names(node.props):
            nodes[name] += 1
            if node.props.get("source_version"):
                versions[name].add(str(node.props["source_version"]))
    for rel in view.iter_relationships():
        for name in _names(rel.props):
            rels[name] += 1
            if rel.props.get("source_version"):
                versions[name].add(str(rel.props["source_version"]))
    return [
        {
            "source": name,
            "versions": sorted(versions[name]),
            "nodes": nodes[name],
            "relationships": rels[name],
        }
        for name in sorted(set(nodes) | set(rels))
    ]


def _names(props: dict[str, Any]) -> list[str]:
    found = [str(s) for s in props.get("sources") or () if s]
    if props.get("source") and str(props["source"]) not in found:
        found.append(str(props["source"]))
    return found


def tier_mapping(view: GraphView) -> dict[str, Any]:
    """The tier mapping file in use and the (list, category, tier) triples the graph holds."""
    applied: Counter[tuple[str, str, str, str]] = Counter()
    list_names = {n.id: str(n.props.get("name") or n.id) for n in view.iter_nodes("RiskList")}
    for rel in view.iter_relationships("LISTED_ON"):
        applied[
            (
                list_names.get(rel.end, rel.end),
                str(rel.props.get("category") or ""),
                norm_tier(rel.props.get("tier")),
                str(rel.props.get("as_of") or ""),
            )
        ] += 1
    try:
        configured: dict[str, Any] = TierMap.load().data
    except Exception as exc:  # the report still shows what the graph holds
        configured = {"error": f"cannot read ingest/tiers.toml: {exc}"}
    return {
        "configured": configured,
        "applied": [
            {"list": k[0], "category": k[1], "tier": k[2], "as_of": k[3], "institutions": n}
            for k, n in sorted(applied.items())
        ],
        "proxy_note": "The ASPI export has no ASPI risk ratings and the Section 1286 list "
        "grades nothing: their tiers are a proxy chosen in ingest/tiers.toml, not the "
        "publishers' own ratings.",
    }


def resolution(view: GraphView) -> dict[str, Any]:
    """How affiliations were resolved: methods used, their counts and the lowest score."""
    methods: Counter[str] = Counter()
    lowest: dict[str, float] = {}
    for rel in view.iter_relationships("AFFILIATED_WITH"):
        method = str(rel.props.get("method") or "unknown")
        methods[method] += 1
        score = rel.props.get("score")
        if isinstance(score, int | float):
            lowest[method] = min(lowest.get(method, 1.0), float(score))
    return {
        "fuzzy_threshold": Resolver.threshold,
        "methods": [
            {"method": m, "affiliations": n, "lowest_score": lowest.get(m)}
            for m, n in sorted(methods.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def exposure_settings() -> dict[str, Any]:
    """The exposure score's weights, decay and tier risks (the query's defaults)."""
    return {
        "weights": dict(DEFAULT_WEIGHTS),
        "decay": DEFAULT_DECAY,
        "tier_risk": {tier.label: risk for tier, risk in TIER_RISK.items()},
    }


def caveats(partner: str) -> list[str]:
    """What a reader must keep in mind; each is true of every report this tool writes.

    ``partner`` says what a partner institution is ("a CN institution").
    """
    return [
        "A sample is not a census: the counts are of the papers in this graph, not of every "
        "paper the two countries published together.",
        "Tiers are a proxy where a source gives none: the ASPI export carries categories, not "
        "ASPI's ratings, and the Section 1286 list is ungraded; see the tier mapping below.",
        f"A paper is high-risk because {partner} on it (or one it is part of) is on a list;"
        " this says nothing about the paper's content or the people on it.",
        "Collaborations dated before the institution's first qualifying listing are counted "
        "but shown separately ('before listing'): they were not flagged when they happened.",
        "Affiliations come from automatic name resolution; a wrong match puts a paper on the "
        "wrong institution. The resolution methods and thresholds are listed below.",
        "Exposure paths are graph connections, not accusations: read the evidence on each hop.",
    ]
