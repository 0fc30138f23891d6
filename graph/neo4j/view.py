"""Reads of the Neo4j store: the elements, and every primitive of :class:`GraphView`.

Each primitive is one parameterised Cypher text of ``cypher/`` (or one per level, for the
searches), with labels and types filled in from the schema (:mod:`.texts`); the rules the
questions rely on (year windows, effective tiers, orderings) are those of graph/risk.py and
graph/contract.py. The path search prunes with the client-side index of :mod:`.risk_index`,
exposure reads its relationships through :mod:`.weighted`; both live in the store's cache.
Orderings are applied here in Python where a Cypher ``ORDER BY`` could order strings
differently from Python; a page of neighbours is ordered by the server, which has to choose
it.
"""

from __future__ import annotations

from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from ..contract import (
    NAME_PROPS,
    Counts,
    Direction,
    NameEntry,
    Neighbour,
    NeighbourPage,
    Pair,
    PaperInstitutions,
    Subgraph,
    WeightedEdges,
)
from ..errors import CollabgraphError, SchemaError
from ..records import Node, Relationship
from ..risk import (
    Listing,
    RiskyInstitution,
    YearWindow,
    effective_tier,
    listing_from,
)
from ..schema import SCHEMA
from ..tiers import Tier
from . import cypher, texts, weighted
from .memo import Version
from .nodes import node_from, rel_from
from .risk_index import LINK_LEVELS, RiskIndex

if TYPE_CHECKING:
    from .store import Neo4jStore

T = TypeVar("T")


def _by_key(rels: Iterable[Relationship]) -> list[Relationship]:
    return sorted(rels, key=lambda r: r.key)


class Neo4jView:
    """Reads with read routing. Take one per question: it reads the database's version once,
    at its first :meth:`memo` call (see graph/neo4j/memo.py)."""

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store
        self._bookmark: str | None = None
        self._bookmark_read = False
        self._generation = 0  # the store's write count when the bookmark was read
        # Used instead of the store's cache when the server gives no bookmarks, or when the
        # store's cache has moved on to a newer version of the data than this view's.
        self._local: dict[Hashable, Any] = {}

    # -- elements --------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None:
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        ids = list(dict.fromkeys(node_ids))
        rows = self.store.read(cypher.render("get_nodes"), ids=ids)
        return {r["id"]: node_from(r["id"], r["labels"], r["props"]) for r in rows}

    def neighbours(
        self, node_id: str, *, types: Iterable[str] | None = None, direction: Direction = "both"
    ) -> list[tuple[Relationship, Node]]:
        type_list = [SCHEMA.rel(t).type for t in types] if types is not None else None
        rows = self.store.read(
            cypher.render("neighbours"), id=node_id, types=type_list, direction=direction
        )
        found: dict[tuple[str, ...], tuple[Relationship, Node]] = {}
        for r in rows:
            rel = rel_from(r)
            found.setdefault(
                rel.key, (rel, node_from(r["other_id"], r["other_labels"], r["other_props"]))
            )
        return sorted(found.values(), key=lambda pair: (pair[0].type, pair[0].start, pair[0].end))

    def relationships_between(self, node_ids: Iterable[str]) -> list[Relationship]:
        ids = list(dict.fromkeys(node_ids))
        rows = self.store.read(cypher.render("relationships_between"), ids=ids)
        return _by_key(rel_from(r) for r in rows)

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]:
        for one in [label] if label is not None else list(SCHEMA.nodes):
            for r in self.store.stream(cypher.render("iter_nodes", label=one)):
                yield node_from(r["id"], r["labels"], r["props"])

    def iter_relationships(self, rel_type: str | None = None) -> Iterator[Relationship]:
        for one in [rel_type] if rel_type is not None else list(SCHEMA.relationships):
            for r in self.store.stream(cypher.render("iter_relationships", rel_type=one)):
                yield rel_from(r)

    def counts(self) -> Counts:
        nodes = {
            label: self.store.read(cypher.render("count_label", label=label))[0]["count"]
            for label in SCHEMA.nodes
        }
        rels = {
            t: self.store.read(cypher.render("count_type", rel_type=t))[0]["count"]
            for t in SCHEMA.relationships
        }
        return Counts(nodes, rels)

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph:
        ids = list(dict.fromkeys(node_ids))
        found = self.get_nodes(ids)
        return Subgraph([found[n] for n in ids if n in found], self.relationships_between(ids))

    # -- batch adjacency -------------------------------------------------------------------
    def links(
        self, node_ids: Iterable[str], rel_type: str, direction: Literal["out", "in"]
    ) -> dict[str, list[Relationship]]:
        if direction not in ("out", "in"):
            raise CollabgraphError(f"links: direction must be 'out' or 'in', not {direction!r}")
        checked = SCHEMA.rel(rel_type).type
        ids = list(dict.fromkeys(node_ids))
        rows = self.store.read(cypher.render(f"links_{direction}", rel_type=checked), ids=ids)
        out: dict[str, list[Relationship]] = {}
        for r in rows:
            if direction == "out":
                rel = Relationship(checked, r["id"], r["e"], r["props"])
            else:
                rel = Relationship(checked, r["s"], r["id"], r["props"])
            out.setdefault(r["id"], []).append(rel)
        return {node: _by_key(rels) for node, rels in out.items()}

    # -- names -----------------------------------------------------------------------------
    def name_entries(self, labels: Collection[str]) -> Iterator[NameEntry]:
        """By node id (ids are unique across labels)."""
        rows: list[tuple[str, str, list[Any]]] = []
        for label in texts.labels_of(labels):
            found = self.store.stream(
                cypher.render("name_entries", label=label), keys=list(NAME_PROPS)
            )
            rows += [(r["id"], label, r["names"]) for r in found]
        rows.sort(key=lambda row: row[0])
        for node_id, label, values in rows:
            names: list[Any] = []
            for value in values:
                if isinstance(value, list):
                    names.extend(value)
                elif value:
                    names.append(value)
            for name in dict.fromkeys(names):
                yield NameEntry(node_id, label, str(name))

    def named_exactly(self, text: str, labels: Collection[str]) -> list[str]:
        wanted = tuple(texts.labels_of(labels))
        if not wanted:
            return []
        rows = self.store.read(texts.named_exactly(wanted), name=text)
        return sorted({r["id"] for r in rows})

    def with_property(self, label: str, prop: str, values: Collection[str]) -> dict[str, list[str]]:
        spec = SCHEMA.node(label)
        if prop not in spec.properties:
            raise SchemaError(f"{spec.label} has no property {prop!r} in the schema")
        wanted = sorted({v for v in values if isinstance(v, str)})
        if not wanted:
            return {}
        text = cypher.render("with_property", label=spec.label, prop=prop)
        out: dict[str, list[str]] = {}
        for r in self.store.read(text, values=wanted):
            out.setdefault(r["value"], []).append(r["id"])
        return {v: sorted(ids) for v, ids in out.items()}

    # -- risk ------------------------------------------------------------------------------
    def listings(self, institution_ids: Iterable[str]) -> dict[str, list[Listing]]:
        ids = list(dict.fromkeys(institution_ids))
        rows = self.store.read(cypher.render("listings"), ids=ids)
        out: dict[str, list[Listing]] = {}
        for r in rows:
            lst = listing_from(r["institution"], r["list_id"], r["list_props"], r["props"])
            out.setdefault(lst.institution, []).append(lst)
        return {i: sorted(items, key=Listing.sort_key) for i, items in out.items()}

    def _institutions(self, everyone: bool) -> dict[str, RiskyInstitution]:
        """Institutions with a listing or their own tier (every one with ``everyone``), with
        their effective tier and listings."""
        rows = self.store.read(cypher.render("risky_institutions"), all=everyone, **texts.KEYS)
        names: dict[str, tuple[str, Any]] = {}
        listed: dict[str, list[Listing]] = {}
        for r in rows:
            iid = r["institution"]
            names[iid] = (r["name"] or "", r["own_tier"])
            if r["list_id"] is not None:
                lst = listing_from(iid, r["list_id"], r["list_props"], r["props"])
                listed.setdefault(iid, []).append(lst)
        out = {}
        for iid, (name, own) in names.items():
            items = tuple(sorted(listed.get(iid, []), key=Listing.sort_key))
            out[iid] = RiskyInstitution(iid, name, effective_tier(items, own), items)
        return out

    def _tiered(self) -> dict[str, RiskyInstitution]:
        """The institutions with a listing or their own tier (cached until the next write)."""
        return self.memo(("neo4j.tiered",), lambda: self._institutions(False))

    def risky_institutions(self, floor: Tier) -> dict[str, RiskyInstitution]:
        """Only institutions with a listing or their own tier, even at floor NONE."""
        return {i: r for i, r in self._tiered().items() if r.tier >= floor}

    # -- paths -----------------------------------------------------------------------------
    def risk_targets(
        self, floor: Tier, types: Sequence[str], years: YearWindow | None
    ) -> frozenset[str]:
        # Institutions pass every year window, so neither the types nor the window matter.
        def build() -> frozenset[str]:
            if floor <= Tier.NONE:  # every institution, with a tier or not
                return frozenset(self._institutions(True))
            return frozenset(self.risky_institutions(floor))

        return self.memo(("neo4j.risk_targets", floor), build)

    def _risk_index(
        self, floor: Tier, types: tuple[str, ...], years: YearWindow | None
    ) -> RiskIndex:
        def build() -> RiskIndex:
            params = texts.window(years)
            store = self.store

            def links(frontier: list[str]) -> list[tuple[str, str, bool]]:
                text = texts.text("risk_distance_links", types, "u")
                rows = store.read(text, frontier=frontier, **params)
                return [(r["x"], r["u"], bool(r["passes"])) for r in rows]

            def step(frontier: list[str]) -> list[str]:
                text = texts.text("risk_distance_step", types, "u")
                return [r["u"] for r in store.read(text, frontier=frontier, **params)]

            return RiskIndex(self.risk_targets(floor, types, years), links, step)

        return self.memo(("neo4j.risk_index", floor, types, years), build)

    def risk_steps(
        self,
        frontier: Sequence[str],
        depth: int,
        max_hops: int,
        floor: Tier,
        types: Sequence[str],
        years: YearWindow | None,
    ) -> list[Pair]:
        left = max_hops - depth - 1
        chosen = texts.types_of(types)
        order = list(dict.fromkeys(frontier))
        if left < 0 or not chosen or not order:
            return []
        index = self._risk_index(floor, chosen, years)
        if left < LINK_LEVELS:  # only steps into the nodes nearest a target: the index has them
            index.ensure(left + 1)
            return [(u, v) for u in order for v in index.linked(u, left)]
        index.ensure(left)
        distance = index.distance
        found = {u: vs for u in order if (vs := index.hub_neighbours(u)) is not None}
        asked = [u for u in order if u not in found]
        if asked:
            near = index.near(left)
            rows = self.store.read(
                texts.text("risk_steps", chosen, "v"),
                frontier=asked,
                near=near,
                **texts.window(years),
            )
            for r in rows:
                found[r["u"]] = r["vs"]
                if near is None:  # every walkable neighbour: a hub's are worth keeping
                    index.met(r["u"], r["vs"])
        steps: list[Pair] = []
        for u in order:
            near_enough = [v for v in found.get(u, ()) if distance.get(v, left + 1) <= left]
            near_enough.sort(key=lambda v: (distance[v], v))
            steps += [(u, v) for v in near_enough]
        return steps

    def relationships_along(
        self, pairs: Iterable[Pair], types: Sequence[str], years: YearWindow | None
    ) -> dict[Pair, list[Relationship]]:
        wanted = list(dict.fromkeys((u, v) for u, v in pairs))
        chosen = texts.types_of(types)
        if not wanted or not chosen:
            return {}
        rows = self.store.read(
            texts.text("relationships_along", chosen),
            pairs=[list(p) for p in wanted],
            **texts.window(years),
        )
        found: dict[Pair, dict[tuple[str, ...], Relationship]] = {}
        for r in rows:
            rel = rel_from(r)
            found.setdefault((r["u"], r["v"]), {}).setdefault(rel.key, rel)
        return {p: _by_key(found[p].values()) for p in wanted if p in found}

    # -- exposure --------------------------------------------------------------------------
    def weighted_edges(
        self, types: Collection[str], around: str | None = None, hops: int = 0
    ) -> WeightedEdges:
        """Ids: every node of the graph (``around`` None), else the ends of the relationships
        and ``around``."""
        chosen = texts.types_of(types)
        key = ("neo4j.weighted_edges", chosen)
        if around is None:
            return self.memo(key, lambda: weighted.whole_graph(self.store, chosen))
        cached = self.peek(key)
        if isinstance(cached, WeightedEdges) and around in cached.index:
            return cached  # the whole graph, already at hand: a superset of the ball
        return weighted.ball(self.store, chosen, around, hops)

    # -- neighbourhood ---------------------------------------------------------------------
    def neighbour_pages(
        self,
        frontier: Sequence[str],
        *,
        types: Collection[str],
        years: YearWindow | None,
        tiers: Collection[str] | None,
        technology: str | None,
        skip: Mapping[str, int],
        cap: int,
    ) -> dict[str, NeighbourPage]:
        order = list(dict.fromkeys(frontier))
        chosen = texts.types_of(types)
        if not order:
            return {}
        if not chosen:
            return {node: NeighbourPage(0, ()) for node in self.get_nodes(order)}
        tier_ids: list[str] | None = None
        tier_in = True
        if tiers is not None:
            # The institutions whose effective tier is wanted, or (when NONE is wanted: most
            # of them) those whose tier is not; institutions outside _tiered() have NONE.
            wanted = set(tiers)
            tier_in = Tier.NONE.label not in wanted
            tier_ids = sorted(
                i for i, r in self._tiered().items() if (r.tier.label in wanted) == tier_in
            )
        rows = self.store.read(
            texts.text("neighbour_pages", chosen, "m"),
            frontier=order,
            technology=technology,
            tier_ids=tier_ids,
            tier_in=tier_in,
            skip={node: int(skip[node]) for node in order if node in skip},
            cap=max(int(cap), 0),
            **texts.window(years),
        )
        found: dict[str, NeighbourPage] = {}
        for r in rows:
            page = tuple(
                Neighbour(
                    node_from(item["id"], item["labels"], item["props"]),
                    int(item["strength"]),
                    tuple(_by_key(rel_from(x) for x in item["rels"])),
                )
                for item in r["page"]
            )
            found[r["id"]] = NeighbourPage(int(r["total"]), page)
        return {node: found[node] for node in order if node in found}

    # -- indicators ------------------------------------------------------------------------
    def paper_institutions(
        self, countries: Collection[str], years: YearWindow | None
    ) -> list[PaperInstitutions]:
        wanted = sorted(set(countries))
        if not wanted:
            return []
        rows = self.store.read(
            texts.text("paper_institutions", node="p"), countries=wanted, **texts.window(years)
        )
        out = [
            PaperInstitutions(
                r["id"], r["year"], tuple(sorted({(i, c) for i, c in r["institutions"]}))
            )
            for r in rows
        ]
        return sorted(out, key=lambda p: p.id)

    # -- the store's own cache -------------------------------------------------------------
    def memo(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        version = self._version()
        if version is None:
            # No way to tell another process's writes: keep values for this view only.
            local = (self.store.generation, *key)
            if local not in self._local:
                self._local[local] = build()
            return cast(T, self._local[local])
        return self.store.memo.get(version, key, build, self._local)

    def peek(self, key: tuple[Any, ...]) -> Any:
        """What :meth:`memo` holds for ``key`` now, without building it (None if nothing)."""
        version = self._version()
        if version is None:
            return self._local.get((self.store.generation, *key))
        return self.store.memo.peek(version, key, self._local)

    def _version(self) -> Version | None:
        """The version of the data this view reads (None: the server gives no bookmarks)."""
        store = self.store
        if not self._bookmark_read:
            self._generation = store.generation  # first: a write in between is seen below
            self._bookmark = store.database_version()
            self._bookmark_read = True
        if self._bookmark is None:
            return None
        if store.generation == self._generation:
            return ("db", self._bookmark)
        return store.local_version()  # this process wrote since: the state it left
