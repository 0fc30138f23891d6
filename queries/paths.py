"""paths_to_risk: the shortest explained paths from a node to high-risk institutions.

A path runs, undirected, over the traversable relationship types (by default AUTHORED,
AFFILIATED_WITH, PART_OF and MILITARY_LINK; see :data:`common.DEFAULT_PATH_TYPES` for why) to
an institution whose effective tier is at or above ``min_tier``. For each such institution the
shortest paths (fewest hops, at most ``max_hops``) are found; ties are broken by the node ids
along the path, then the relationship keys, the same way on both stores, and ``k`` of them are
kept. The path then gains one last ``LISTED_ON`` relationship to the list that gives the
institution its tier, as evidence; ``length`` counts the hops before it.

On the embedded store the search only visits nodes that can still reach a target in the hops
left, read from a cached index of each node's distance to the nearest target
(:mod:`risk_distance`, rebuilt after writes); the answers are those of the plain search
kept as the reference in ``tests/queries/paths_reference.py``. On Neo4j, without a year
window, the same pruned search runs one Cypher call per level against a client-side index of
the same distances (:mod:`risk_distance_neo4j`, rebuilt after any committed write); with a
year window the single ``paths_to_risk.cypher`` query runs as before.

>>> [p.length for p in paths_to_risk(store, "openalex:A1", max_hops=4)]   # doctest: +SKIP
[4, 4]
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.graph.errors import NodeNotFound
from collabgraph.graph.schema import SCHEMA
from collabgraph.graph.tiers import Tier

from . import cypher
from .common import (
    Listing,
    YearWindow,
    check_hops,
    check_rel_types,
    display_name,
    effective_tier,
    first_listed,
    tiers_at_or_above,
    window_params,
)
from .risk import listings_of
from .risk_distance import rel_passes, risk_distance, search
from .risk_distance_neo4j import first_trails, path_elements
from .risk_distance_neo4j import risk_distance as neo4j_risk_distance
from .risk_distance_neo4j import search as neo4j_search

RelKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class PathNode:
    id: str
    label: str
    name: str
    tier: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "name": self.name, "tier": self.tier}


@dataclass(frozen=True)
class PathRel:
    type: str
    start: str
    end: str
    evidence: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end, "evidence": self.evidence}


@dataclass(frozen=True)
class RiskPath:
    """One path; ``relationships`` ends with the LISTED_ON evidence of the last institution."""

    length: int
    nodes: tuple[PathNode, ...]
    relationships: tuple[PathRel, ...]
    first_listed: int | None
    latest_year: int | None

    @property
    def before_listing(self) -> bool | None:
        """True if the newest paper on the path predates the target's first listing."""
        if self.first_listed is None or self.latest_year is None:
            return None
        return self.latest_year < self.first_listed

    def as_dict(self) -> dict[str, Any]:
        return {
            "length": self.length,
            "nodes": [n.as_dict() for n in self.nodes],
            "relationships": [r.as_dict() for r in self.relationships],
            "before_listing": self.before_listing,
            "first_listed": self.first_listed,
        }


@dataclass(frozen=True)
class _RawPath:
    """A path as either store returns it: node (id, label, props) and relationship tuples."""

    nodes: tuple[tuple[str, str, dict[str, Any]], ...]
    rels: tuple[tuple[RelKey, dict[str, Any]], ...]

    def sort_key(self) -> tuple[int, tuple[str, ...], tuple[RelKey, ...]]:
        return (len(self.rels), tuple(n[0] for n in self.nodes), tuple(r[0] for r in self.rels))


def _label(labels: list[str]) -> str:
    """The schema label among a Neo4j node's labels (the other is the base label)."""
    return next(lb for lb in labels if lb in SCHEMA.nodes)


def rel_key(rel_type: str, start: str, end: str, props: dict[str, Any]) -> RelKey:
    """A relationship's identity in a path: type, ends and (for MILITARY_LINK) its kind."""
    key = "\x1f".join(str(props.get(k, "")) for k in SCHEMA.rel(rel_type).key)
    return (rel_type, start, end, key)


def paths_to_risk(
    store: Store,
    source: str,
    *,
    max_hops: int = 4,
    min_tier: str | Tier = "high",
    rel_types: list[str] | None = None,
    years: YearWindow | None = None,
    limit: int = 20,
    k: int = 1,
) -> list[RiskPath]:
    """The shortest paths from node ``source`` (an id) to institutions at or above ``min_tier``.

    ``k`` paths per target institution, ``limit`` paths in all, shortest first. No path gives
    an empty list. Raises NodeNotFound if ``source`` is not a node id.
    """
    check_hops(max_hops)
    types = check_rel_types(rel_types)
    floor = Tier.parse(min_tier) if isinstance(min_tier, str) else min_tier
    tiers = tiers_at_or_above(floor)
    if store.view().get_node(source) is None:
        raise NodeNotFound(f"no node has id {source!r}")
    if store.kind == "neo4j":
        raw = _neo4j_pruned(store, source, max_hops, floor, types, years, k, limit)
        if raw is None:
            raw = _neo4j(store, source, max_hops, tiers, types, years)
    else:
        raw = _embedded(store, source, max_hops, floor, types, years, k, limit)
    by_target: dict[str, list[_RawPath]] = {}
    for path in sorted(raw, key=_RawPath.sort_key):
        kept = by_target.setdefault(path.nodes[-1][0], [])
        if len(kept) < k:
            kept.append(path)
    chosen = sorted((p for ps in by_target.values() for p in ps), key=_RawPath.sort_key)[:limit]
    institutions = {n[0] for p in chosen for n in p.nodes if n[1] == "Institution"}
    listings = listings_of(store, institutions)
    return [_explain(p, listings, floor) for p in chosen]


def _neo4j(
    store: Store,
    source: str,
    max_hops: int,
    tiers: list[str],
    types: list[str],
    years: YearWindow | None,
) -> list[_RawPath]:
    text = cypher.render("paths_to_risk", hops=str(max_hops))
    rows = store.read(  # type: ignore[attr-defined]
        text,
        source=source,
        types=types,
        tiers=tiers,
        first_year="first_year",
        last_year="last_year",
        **window_params(years),
    )
    out = []
    for row in rows:
        nodes = tuple(
            (
                n["id"],
                next(lb for lb in n["labels"] if lb in SCHEMA.nodes),
                SCHEMA.facts(n["props"]),
            )
            for n in row["nodes"]
        )
        rels = tuple(
            (rel_key(r["type"], r["s"], r["e"], r["props"]), r["props"]) for r in row["rels"]
        )
        out.append(_RawPath(nodes, rels))
    return out


def _neo4j_pruned(
    store: Store,
    source: str,
    max_hops: int,
    floor: Tier,
    types: list[str],
    years: YearWindow | None,
    k: int,
    limit: int,
) -> list[_RawPath] | None:
    """The Neo4j search pruned by distance to risk (risk_distance_neo4j); None: not usable."""
    if years is not None:
        return None
    if k < 1:  # no path kept per target
        return []
    index = neo4j_risk_distance(store, floor, types)
    if index is None:
        return None
    stop_after = limit if k >= 1 else None
    dist, preds = neo4j_search(store, source, max_hops, index, types, stop_after, k == 1)
    reached = [t for t in dist if t != source and t in index.targets]
    # Each target's first path beats every path of a target whose first path sorts after
    # it, so only the ``limit`` targets with the first first paths can appear in the answer,
    # and of each only its first k node sequences: their nodes and relationships alone are
    # fetched.
    trails = {t: first_trails(source, t, preds, k) for t in reached}
    targets = sorted(sorted(reached, key=lambda t: (dist[t], trails[t][0]))[:limit])
    if not targets:
        return []
    node_rows, rel_rows = path_elements(store, [tr for t in targets for tr in trails[t]], types)
    graph = _Nodes(
        {
            n["id"]: {
                "label": _label(n["labels"]),
                "props": SCHEMA.facts(n["props"]),
            }
            for n in node_rows
        }
    )
    rels: dict[tuple[str, str], list[tuple[RelKey, dict[str, Any]]]] = {}
    for r in rel_rows:
        key = rel_key(r["type"], r["s"], r["e"], r["props"])
        rels.setdefault((r["u"], r["v"]), []).append((key, r["props"]))

    def between(u: str, v: str) -> list[tuple[RelKey, dict[str, Any]]]:
        return rels.get((u, v), [])

    out: list[_RawPath] = []
    for target in targets:
        out.extend(_shortest_in_order(graph, source, target, preds, between, k))
    return out


@dataclass(frozen=True)
class _Nodes:
    """The ``graph.nodes[id]`` lookup :func:`_expand` reads, over nodes fetched from Neo4j."""

    nodes: dict[str, dict[str, Any]]


def _embedded(
    store: Store,
    source: str,
    max_hops: int,
    floor: Tier,
    types: list[str],
    years: YearWindow | None,
    k: int,
    limit: int,
) -> list[_RawPath]:
    """The search pruned by each node's distance to the nearest target (risk_distance)."""
    graph = store.graph  # type: ignore[attr-defined]
    wanted = set(types)
    index = risk_distance(store, floor, types, years)
    stop_after = limit if k >= 1 else None
    dist, preds = search(graph, source, max_hops, index, types, years, stop_after, k == 1)

    def between(u: str, v: str) -> list[tuple[RelKey, dict[str, Any]]]:
        found = []
        for data in graph._succ[u].get(v, {}).values():
            if data["type"] in wanted and rel_passes(data["type"], data["props"], years):
                found.append((rel_key(data["type"], u, v, data["props"]), data["props"]))
        if u != v:
            for data in graph._pred[u].get(v, {}).values():
                if data["type"] in wanted and rel_passes(data["type"], data["props"], years):
                    found.append((rel_key(data["type"], v, u, data["props"]), data["props"]))
        return found

    targets = sorted(t for t in dist if t != source and t in index.targets)
    out: list[_RawPath] = []
    for target in targets:
        out.extend(_shortest_in_order(graph, source, target, preds, between, k))
    return out


def _shortest_in_order(
    graph: Any,
    source: str,
    target: str,
    preds: dict[str, set[str]],
    between: Any,
    k: int,
) -> list[_RawPath]:
    """The first ``k`` shortest paths to ``target`` in (node ids, relationship keys) order."""
    on_path = {target}
    stack = [target]
    while stack:
        for p in preds.get(stack.pop(), ()):
            if p not in on_path:
                on_path.add(p)
                stack.append(p)
    children: dict[str, list[str]] = {}
    for v in on_path:
        for p in preds.get(v, ()):
            children.setdefault(p, []).append(v)
    found: list[_RawPath] = []

    def walk(trail: list[str]) -> None:
        if len(found) >= k:
            return
        u = trail[-1]
        if u == target:
            found.extend(_expand(graph, trail, between, k - len(found)))
            return
        for v in sorted(children.get(u, ())):
            trail.append(v)
            walk(trail)
            trail.pop()

    walk([source])
    return found


def _expand(graph: Any, trail: list[str], between: Any, k: int) -> list[_RawPath]:
    """Each choice of parallel relationships along one node sequence, in key order."""
    hops = []
    for u, v in zip(trail, trail[1:], strict=False):
        options = sorted(between(u, v))
        hops.append(options)
    nodes = tuple((n, graph.nodes[n]["label"], graph.nodes[n]["props"]) for n in trail)
    out = []
    for combo in product(*hops):
        out.append(_RawPath(nodes, tuple(combo)))
        if len(out) >= k:
            break
    return out


def _evidence(rel: tuple[RelKey, dict[str, Any]], props_of: dict[str, dict[str, Any]]) -> PathRel:
    (rel_type, start, end, _), props = rel
    keep: tuple[str, ...] = ()
    evidence: dict[str, Any] = {}
    if rel_type == "AUTHORED":
        paper = props_of.get(end, {})
        evidence = {
            "paper": end,
            "title": paper.get("title"),
            "doi": paper.get("doi"),
            "year": paper.get("year"),
        }
        keep = ("author_position",)
    elif rel_type == "AFFILIATED_WITH":
        keep = ("years", "evidence_papers", "method", "score", "raw_affiliation")
    elif rel_type == "PART_OF":
        keep = ("method",)
    elif rel_type == "MILITARY_LINK":
        keep = ("kind", "detail", "method")
    elif rel_type == "CO_AUTHORED":
        keep = ("papers", "first_year", "last_year")
    evidence.update({key: props[key] for key in keep if props.get(key) is not None})
    evidence["source"] = props.get("source")
    return PathRel(rel_type, start, end, evidence)


def _explain(raw: _RawPath, listings: dict[str, list[Listing]], floor: Tier) -> RiskPath:
    props_of = {n[0]: n[2] for n in raw.nodes}
    nodes = []
    for node_id, label, props in raw.nodes:
        tier = None
        if label == "Institution":
            tier = effective_tier(listings.get(node_id, []), props.get("tier")).label
        nodes.append(PathNode(node_id, label, display_name(label, props), tier))
    rels = [_evidence(r, props_of) for r in raw.rels]
    target = raw.nodes[-1][0]
    target_listings = listings.get(target, [])
    if target_listings:
        top = target_listings[0]
        rels.append(PathRel("LISTED_ON", target, top.list_id, top.as_dict()))
        nodes.append(PathNode(top.list_id, "RiskList", top.list_name, None))
    paper_years: list[int] = [
        p["year"]
        for _, label, p in raw.nodes
        if label == "Paper" and isinstance(p.get("year"), int)
    ]
    return RiskPath(
        length=len(raw.rels),
        nodes=tuple(nodes),
        relationships=tuple(rels),
        first_listed=first_listed(target_listings, floor),
        latest_year=max(paper_years) if paper_years else None,
    )
