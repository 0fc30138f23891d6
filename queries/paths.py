"""paths_to_risk: the shortest explained paths from a node to high-risk institutions.

A path runs, undirected, over the traversable relationship types (by default AUTHORED,
AFFILIATED_WITH, PART_OF and MILITARY_LINK; see :data:`common.DEFAULT_PATH_TYPES` for why) to
an institution whose effective tier is at or above ``min_tier``. For each such institution the
shortest paths (fewest hops, at most ``max_hops``) are found; ties are broken by the node ids
along the path, then the relationship keys, the same way on both stores, and ``k`` of them are
kept. The path then gains one last ``LISTED_ON`` relationship to the list that gives the
institution its tier, as evidence; ``length`` counts the hops before it.

Both stores run the same search (:func:`level_search`): level by level from the source,
keeping every shortest-path predecessor, stepping only where a target is still within the hops
left. The store supplies those pruned steps (``GraphView.risk_steps``, over its own cached index
of each node's distance to the nearest target) and the relationships along the chosen node
sequences (``GraphView.relationships_along``); the answers equal those of the plain search
kept as the reference in ``tests/queries/paths_reference.py``.

The hierarchy is read by direction. A step up ``PART_OF`` (a unit to its parent) carries the
parent's listing to the unit's people: a finding. A step down (a parent to one of its units)
does not: such a path is marked ``context`` ("a unit of the researcher's institution is
listed", or a sibling through a shared parent) and comes after every finding; a path with
more than one downward step is dropped.

>>> [p.length for p in paths_to_risk(store, "openalex:A1", max_hops=4)]   # doctest: +SKIP
[4, 4]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import product
from typing import Any

from collabgraph.graph.contract import GraphView, Pair, Store
from collabgraph.graph.errors import NodeNotFound
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.risk import Listing, YearWindow, effective_tier, first_listed
from collabgraph.graph.schema import SCHEMA
from collabgraph.graph.tiers import Tier

from .common import check_hops, check_rel_types, display_name, tiers_at_or_above

RelKey = tuple[str, str, str, str]
# A path may walk PART_OF down (parent to unit) once, and is then context; never twice.
MAX_DOWNWARD_STEPS = 1


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
    def downward_steps(self) -> int:
        """How many PART_OF relationships the path walks from a parent down to its unit."""
        order = {n.id: i for i, n in enumerate(self.nodes)}
        return sum(
            1
            for r in self.relationships
            if r.type == "PART_OF"
            and r.start in order
            and r.end in order
            and order[r.end] < order[r.start]
        )

    @property
    def is_context(self) -> bool:
        """A path with a downward step is context, not a finding: that a unit of the
        researcher's institution (or of a shared parent) is listed ties no one to it."""
        return self.downward_steps > 0

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
            "context": self.is_context,
        }


@dataclass(frozen=True)
class _RawPath:
    """A path as either store returns it: node (id, label, props) and relationship tuples."""

    nodes: tuple[tuple[str, str, dict[str, Any]], ...]
    rels: tuple[tuple[RelKey, dict[str, Any]], ...]

    def sort_key(self) -> tuple[int, tuple[str, ...], tuple[RelKey, ...]]:
        return (len(self.rels), tuple(n[0] for n in self.nodes), tuple(r[0] for r in self.rels))


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
    tiers_at_or_above(floor)  # refuses a floor of "none"
    view = store.view()
    if view.get_node(source) is None:
        raise NodeNotFound(f"no node has id {source!r}")
    raw = _search(view, source, max_hops, floor, types, years, k, limit)
    by_target: dict[str, list[_RawPath]] = {}
    for path in sorted(raw, key=_RawPath.sort_key):
        kept = by_target.setdefault(path.nodes[-1][0], [])
        if len(kept) < k:
            kept.append(path)
    chosen = sorted((p for ps in by_target.values() for p in ps), key=_RawPath.sort_key)[:limit]
    institutions = {n[0] for p in chosen for n in p.nodes if n[1] == "Institution"}
    listings = view.listings(institutions)
    explained = [_explain(p, listings, floor) for p in chosen]
    allowed = [p for p in explained if p.downward_steps <= MAX_DOWNWARD_STEPS]
    return sorted(allowed, key=lambda p: p.is_context)  # stable: findings first, in order


def _search(
    view: GraphView,
    source: str,
    max_hops: int,
    floor: Tier,
    types: list[str],
    years: YearWindow | None,
    k: int,
    limit: int,
) -> list[_RawPath]:
    """The pruned level search, then the first ``k`` paths of the targets that can be kept."""
    if k < 1:  # no path kept per target
        return []
    targets = view.risk_targets(floor, types, years)

    def steps(frontier: list[str], depth: int) -> list[Pair]:
        return view.risk_steps(frontier, depth, max_hops, floor, types, years)

    dist, preds = level_search(source, max_hops, targets, limit, steps, k == 1)
    reached = [t for t in dist if t != source and t in targets]
    # Each target's first path beats every path of a target whose first path sorts after
    # it, so only the ``limit`` targets with the first first paths can appear in the answer,
    # and of each only its first k node sequences: their nodes and relationships alone are
    # read from the store.
    trails = {t: first_trails(source, t, preds, k) for t in reached}
    chosen = sorted(sorted(reached, key=lambda t: (dist[t], trails[t][0]))[:limit])
    if not chosen:
        return []
    sequences = [trail for t in chosen for trail in trails[t]]
    nodes = view.get_nodes({n for trail in sequences for n in trail})
    pairs = {(u, v) for trail in sequences for u, v in zip(trail, trail[1:], strict=False)}
    along = view.relationships_along(pairs, types, years)
    out: list[_RawPath] = []
    for trail in sequences:
        out.extend(_expand(nodes, trail, along, k))
    return out


def first_trails(
    source: str, target: str, preds: dict[str, set[str]], k: int
) -> list[tuple[str, ...]]:
    """The node ids of the first ``k`` shortest paths to ``target``, in node-id order.

    Each of these node sequences gives at least one path, so the first ``k`` paths to the
    target use no other sequence.
    """
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
    found: list[tuple[str, ...]] = []

    def walk(trail: list[str]) -> None:
        if len(found) >= k:
            return
        if trail[-1] == target:
            found.append(tuple(trail))
            return
        for v in sorted(children.get(trail[-1], ())):
            trail.append(v)
            walk(trail)
            trail.pop()

    walk([source])
    return found


def _expand(
    nodes: dict[str, Node], trail: tuple[str, ...], along: dict[Pair, list[Relationship]], k: int
) -> list[_RawPath]:
    """Each choice of parallel relationships along one node sequence, in key order."""
    hops = []
    for u, v in zip(trail, trail[1:], strict=False):
        options = [
            (rel_key(r.type, r.start, r.end, r.props), r.props) for r in along.get((u, v), [])
        ]
        hops.append(sorted(options, key=lambda option: option[0]))
    steps = tuple((n, nodes[n].label, nodes[n].props) for n in trail)
    out = []
    for combo in product(*hops):
        out.append(_RawPath(steps, tuple(combo)))
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


def level_search(
    source: str,
    max_hops: int,
    targets: Collection[str],
    stop_after: int | None,
    steps: Callable[[list[str], int], Iterable[Pair]],
    first_only: bool = False,
) -> tuple[dict[str, int], dict[str, set[str]]]:
    """The level-by-level search: distances and shortest-path predecessors from ``source``.

    ``steps(frontier, depth)`` gives the steps ``(u, v)`` out of the frontier at ``depth``
    that can still reach a target in the hops left (the store prunes them). A node first
    reached at a level joins the next frontier; one reached again at the same level gains
    another predecessor. With ``stop_after`` set, the search ends after the first level by
    which that many targets were reached: every longer path sorts after at least that many
    shorter ones.

    ``first_only`` (the caller keeps one path per target, the first in node-id order) lets
    the search stop inside that last level. Its frontier is taken in order of each node's
    first trail (the smallest node-id sequence from the source), in growing chunks. A target
    first met in a chunk has its first trail through that chunk; one not met yet sorts after
    every target met so far. So once enough targets are met, the rest of the level cannot
    change the answer, though it may hold thousands of nodes next to a big institution.
    """
    dist = {source: 0}
    preds: dict[str, set[str]] = {}
    trail: dict[str, tuple[str, ...]] = {source: (source,)}
    frontier = [source]
    reached = 0
    depth = 0
    ordered = first_only and stop_after is not None
    while frontier and depth < max_hops:
        nxt: list[str] = []
        for part in _chunks(sorted(frontier, key=trail.__getitem__)) if ordered else [frontier]:
            added = len(nxt)
            for u, v in steps(part, depth):
                seen = dist.get(v)
                if seen is None:
                    dist[v] = depth + 1
                    nxt.append(v)
                elif seen != depth + 1:
                    continue
                preds.setdefault(v, set()).add(u)
            reached += sum(1 for v in nxt[added:] if v in targets)
            if stop_after is not None and reached >= stop_after:
                return dist, preds
        if ordered:
            for v in nxt:
                trail[v] = (*min(trail[u] for u in preds[v]), v)
        depth += 1
        frontier = nxt
    return dist, preds


def _chunks(nodes: list[str], first: int = 64) -> Iterator[list[str]]:
    """``nodes`` in chunks that double in size: few round trips, yet an early stop is cheap."""
    at, size = 0, first
    while at < len(nodes):
        yield nodes[at : at + size]
        at += size
        size *= 2
