"""The question primitives of GraphView, on every store, against a plain reference.

Each primitive runs on small hand-made graphs with known answers, and on random graphs
(loops, parallel relationships, papers without years, tiers spelt several ways, evidence
papers the researcher did not author…) where its answer must equal a plain reference computed
here from ``iter_nodes`` / ``iter_relationships`` with the rules of graph/risk.py.
"""

from __future__ import annotations

import random
from collections import Counter, deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

import pytest

from collabgraph.graph.contract import (
    NAME_PROPS,
    GraphView,
    Neighbour,
    NeighbourPage,
    PaperInstitutions,
    link_strength,
)
from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.risk import (
    Listing,
    RiskyInstitution,
    YearWindow,
    effective_tier,
    in_window,
    listing_from,
    node_passes,
    rel_passes,
)
from collabgraph.graph.tiers import Tier

from ..factories import load, prov, tiny_graph
from ..queries.graph import build as known_graph

DEFAULT_TYPES = ("AFFILIATED_WITH", "AUTHORED", "MILITARY_LINK", "PART_OF")
TYPE_SETS: list[tuple[str, ...]] = [
    DEFAULT_TYPES,
    (*DEFAULT_TYPES, "CO_AUTHORED"),
    ("AUTHORED",),
    ("AFFILIATED_WITH", "CO_AUTHORED"),
]
WINDOWS: list[YearWindow | None] = [None, (2015, 2020), (None, 2017), (2019, None), (2040, None)]
FLOORS = [Tier.LOW, Tier.MEDIUM, Tier.HIGH, Tier.VERY_HIGH]
SEEDS = [3, 17]


# -- graphs ------------------------------------------------------------------------------------
def random_graph(seed: int) -> tuple[list[Node], list[Relationship]]:
    """A random graph with every type, and the awkward cases each primitive must handle."""
    rng = random.Random(seed)
    researchers = [f"r:{i:02d}" for i in range(28)]
    papers = [f"p:{i:02d}" for i in range(36)]
    institutions = [f"i:{i:02d}" for i in range(14)]
    lists = ["list:a", "list:b", "list:c"]
    techs = ["tech:1", "tech:2"]
    nodes: list[Node] = []
    for r in researchers:
        extra = {"name_variants": [r.upper(), f"R {r}", r.upper()]} if rng.random() < 0.3 else {}
        nodes.append(Node("Researcher", r, prov(name=rng.choice(["Li Wei", "Ann", r]), **extra)))
    years: dict[str, int | None] = {}
    for p in papers:
        years[p] = rng.choice([None, *range(2010, 2025)]) if rng.random() < 0.9 else None
        extra = {"year": years[p]} if years[p] is not None else {}
        nodes.append(Node("Paper", p, prov(title=rng.choice(["Swarms", f"On {p}"]), **extra)))
    spellings = ["VERY_HIGH", "very high", "High", "medium", "low", "bogus", ""]
    for i in institutions:
        extra: dict[str, Any] = {}
        if rng.random() < 0.3:
            extra["tier"] = rng.choice(spellings)
        if rng.random() < 0.4:
            extra["names"] = [f"{i} Univ", i, f"{i} Univ"]
            extra["acronyms"] = [i[-2:]]
        country = rng.choice(["BE", "CN", "CN", "US", None])
        if country is not None:
            extra["country"] = country
        nodes.append(Node("Institution", i, prov(name=rng.choice(["Tech U", i]), **extra)))
    for n, lst in enumerate(lists):
        nodes.append(Node("RiskList", lst, prov(name=f"List {n}", as_of=f"20{15 + n}-06-01")))
    nodes += [Node("Technology", t, prov(name=f"Tech {t}", code=t[-1])) for t in techs]
    rels: list[Relationship] = []
    authored: dict[str, list[str]] = {r: [] for r in researchers}
    for p in papers:
        for r in rng.sample(researchers, rng.randint(1, 4)):
            authored[r].append(p)
            rels.append(Relationship("AUTHORED", r, p, prov(author_position="middle")))
        for t in rng.sample(techs, rng.randint(0, 2)):
            rels.append(Relationship("CONCERNS", p, t, prov(score=0.5)))
    for r in researchers:
        for i in rng.sample(institutions, rng.randint(0, 2)):
            evidence = rng.sample(authored[r], min(len(authored[r]), rng.randint(0, 3)))
            if rng.random() < 0.2:
                evidence.append(rng.choice(papers))  # maybe a paper r did not author
            if rng.random() < 0.1:
                evidence.append("p:missing")
            aff_years = sorted(rng.sample(range(2010, 2025), rng.randint(0, 3)))
            rels.append(
                Relationship(
                    "AFFILIATED_WITH",
                    r,
                    i,
                    prov(years=aff_years, evidence_papers=list(dict.fromkeys(evidence))),
                )
            )
    for _ in range(6):
        a, b = rng.choice(institutions), rng.choice(institutions)  # a loop now and then
        rels.append(Relationship("PART_OF", a, b, prov(method="ror")))
    for _ in range(8):
        a, b = rng.sample(institutions, 2)
        kind = rng.choice(["defence_lab", "supervised_by"])
        rels.append(Relationship("MILITARY_LINK", a, b, prov(kind=kind)))
    for i in rng.sample(institutions, 6):
        for lst in rng.sample(lists, rng.randint(1, 2)):
            extra = {"fiscal_year": rng.randint(2018, 2024)} if rng.random() < 0.5 else {}
            tier = rng.choice(spellings[:-1])
            rels.append(Relationship("LISTED_ON", i, lst, prov(tier=tier, **extra)))
    for _ in range(20):
        a, b = sorted(rng.sample(researchers, 2))
        first = rng.randint(2010, 2024)
        extra = {"first_year": first, "last_year": first + rng.randint(0, 5)}
        if rng.random() < 0.2:
            extra = {}
        rels.append(Relationship("CO_AUTHORED", a, b, prov(papers=rng.randint(0, 4), **extra)))
    return nodes, rels


GRAPHS = {"tiny": tiny_graph, "known": known_graph} | {
    f"random{seed}": (lambda seed=seed: random_graph(seed)) for seed in SEEDS
}


@pytest.fixture(params=sorted(GRAPHS))
def loaded(request: pytest.FixtureRequest, store: Any) -> tuple[GraphView, Plain]:
    """A store holding one of the graphs, its view and the plain reference over it."""
    load(store, *GRAPHS[request.param]())
    view = store.view()
    return view, Plain(view)


# -- the plain reference ---------------------------------------------------------------------
class Plain:
    """Every primitive, computed the obvious way from the view's element iterators."""

    def __init__(self, view: GraphView) -> None:
        self.nodes = {n.id: n for n in view.iter_nodes()}
        self.rels = list(view.iter_relationships())
        assert self.nodes and self.rels

    def of_type(self, types: Collection[str]) -> list[Relationship]:
        return [r for r in self.rels if r.type in types]

    def label(self, node_id: str) -> str:
        return self.nodes[node_id].label

    def links(self, ids: Iterable[str], rel_type: str, way: str) -> dict[str, list[Relationship]]:
        out: dict[str, list[Relationship]] = {}
        wanted = set(ids)
        for r in self.of_type([rel_type]):
            at = r.start if way == "out" else r.end
            if at in wanted:
                out.setdefault(at, []).append(r)
        return {k: sorted(v, key=lambda r: r.key) for k, v in out.items()}

    def names(self, labels: Collection[str]) -> dict[str, tuple[str, list[str]]]:
        out: dict[str, tuple[str, list[str]]] = {}
        for node in self.nodes.values():
            if node.label not in labels:
                continue
            names: list[Any] = []
            for key in NAME_PROPS:
                value = node.props.get(key)
                names.extend(value if isinstance(value, list) else [value] if value else [])
            if names:
                out[node.id] = (node.label, [str(n) for n in dict.fromkeys(names)])
        return out

    def named(self, text: str, labels: Collection[str]) -> list[str]:
        return sorted(
            n.id
            for n in self.nodes.values()
            if n.label in labels and n.props.get("title" if n.label == "Paper" else "name") == text
        )

    def listings(self, ids: Iterable[str]) -> dict[str, list[Listing]]:
        out: dict[str, list[Listing]] = {}
        wanted = {i for i in ids if i in self.nodes and self.label(i) == "Institution"}
        for r in self.of_type(["LISTED_ON"]):
            if r.start in wanted:
                lst = listing_from(r.start, r.end, self.nodes[r.end].props, r.props)
                out.setdefault(r.start, []).append(lst)
        return {k: sorted(v, key=Listing.sort_key) for k, v in out.items()}

    def tier(self, inst: str, listings: Mapping[str, list[Listing]]) -> Tier:
        return effective_tier(listings.get(inst, []), self.nodes[inst].props.get("tier"))

    def risky(self, floor: Tier) -> dict[str, RiskyInstitution]:
        institutions = [n for n in self.nodes.values() if n.label == "Institution"]
        listed = self.listings(n.id for n in institutions)
        out = {}
        for n in institutions:
            if n.props.get("tier") is None and n.id not in listed:
                continue
            tier = self.tier(n.id, listed)
            if tier >= floor:
                name = str(n.props.get("name") or "")
                out[n.id] = RiskyInstitution(n.id, name, tier, tuple(listed.get(n.id, [])))
        return out

    def targets(self, floor: Tier) -> frozenset[str]:
        institutions = [n.id for n in self.nodes.values() if n.label == "Institution"]
        listed = self.listings(institutions)
        return frozenset(i for i in institutions if self.tier(i, listed) >= floor)

    def walkable(self, types: Collection[str], years: YearWindow | None) -> dict[str, set[str]]:
        """Undirected adjacency over the relationships that pass the window (no loops)."""
        adj: dict[str, set[str]] = {n: set() for n in self.nodes}
        for r in self.of_type(types):
            if r.start != r.end and rel_passes(r.type, r.props, years):
                adj[r.start].add(r.end)
                adj[r.end].add(r.start)
        return adj

    def distance(
        self, floor: Tier, types: Collection[str], years: YearWindow | None
    ) -> dict[str, int]:
        adj = self.walkable(types, years)
        dist = dict.fromkeys(self.targets(floor), 0)
        queue = deque(dist)
        while queue:
            v = queue.popleft()
            if dist[v] == 6:
                continue
            for u in adj[v]:
                node = self.nodes[u]
                if u not in dist and node_passes(node.label, node.props, years):
                    dist[u] = dist[v] + 1
                    queue.append(u)
        return dist

    def steps(
        self,
        frontier: Sequence[str],
        depth: int,
        max_hops: int,
        dist: Mapping[str, int],
        adj: Mapping[str, set[str]],
    ) -> list[tuple[str, str]]:
        out = []
        for u in dict.fromkeys(frontier):
            if u not in self.nodes:
                continue
            vs = [v for v in adj[u] if v in dist and depth + 1 + dist[v] <= max_hops]
            out += [(u, v) for v in sorted(vs, key=lambda v: (dist[v], v))]
        return out

    def along(
        self, pairs: Iterable[tuple[str, str]], types: Collection[str], years: YearWindow | None
    ) -> dict[tuple[str, str], list[Relationship]]:
        out = {}
        for u, v in set(pairs):
            found = [
                r
                for r in self.of_type(types)
                if {r.start, r.end} == {u, v} and rel_passes(r.type, r.props, years)
            ]
            if found:
                out[(u, v)] = sorted(found, key=lambda r: r.key)
        return out

    def ball_edges(
        self, types: Collection[str], around: str, hops: int
    ) -> Counter[tuple[str, ...]]:
        adj = self.walkable(types, None)
        for r in self.of_type(types):  # loops do not matter to reach; keep every node
            adj.setdefault(r.start, set())
        seen = {around: 0}
        queue = deque([around])
        while queue:
            u = queue.popleft()
            if seen[u] + 1 < hops:
                for v in adj.get(u, ()):
                    if v not in seen:
                        seen[v] = seen[u] + 1
                        queue.append(v)
        inner = set(seen) if hops > 0 else set()
        return Counter(
            (r.start, r.end, r.type)
            for r in self.of_type(types)
            if r.start != r.end and (r.start in inner or r.end in inner)
        )

    def pages(
        self,
        frontier: Sequence[str],
        types: Collection[str],
        years: YearWindow | None,
        tiers: Collection[str] | None,
        technology: str | None,
        skip: Mapping[str, int],
        cap: int,
    ) -> dict[str, NeighbourPage]:
        listed = self.listings(n for n in self.nodes if self.label(n) == "Institution")
        concerning = {r.start for r in self.of_type(["CONCERNS"]) if r.end == technology}

        def passes(m: str) -> bool:
            node = self.nodes[m]
            if node.label == "Paper":
                if not in_window(node.props.get("year"), years):
                    return False
                if technology is not None and m not in concerning:
                    return False
            if node.label == "Institution" and tiers is not None:
                return self.tier(m, listed).label in tiers
            return True

        out = {}
        for f in dict.fromkeys(frontier):
            if f not in self.nodes:
                continue
            grouped: dict[str, list[Relationship]] = {}
            for r in self.of_type(types):
                if f in (r.start, r.end):
                    other = r.end if r.start == f else r.start
                    if passes(other):
                        grouped.setdefault(other, []).append(r)
            weight = {
                m: sum(link_strength(r.type, r.props) for r in rs) for m, rs in grouped.items()
            }
            ranked = sorted(grouped, key=lambda m: (-weight[m], m))
            start = skip.get(f, 0)
            page = tuple(
                Neighbour(self.nodes[m], weight[m], tuple(sorted(grouped[m], key=lambda r: r.key)))
                for m in ranked[start : start + cap]
            )
            out[f] = NeighbourPage(len(grouped), page)
        return out

    def paper_institutions(
        self, countries: Collection[str], years: YearWindow | None
    ) -> list[PaperInstitutions]:
        authored = {(r.start, r.end) for r in self.of_type(["AUTHORED"])}
        on_paper: dict[str, dict[str, str | None]] = {}
        for r in self.of_type(["AFFILIATED_WITH"]):
            country = self.nodes[r.end].props.get("country")
            if country not in countries:
                continue
            for p in r.props.get("evidence_papers") or ():
                if p in self.nodes and (r.start, p) in authored:
                    on_paper.setdefault(p, {})[r.end] = country
        out = []
        for p in sorted(on_paper):
            year = self.nodes[p].props.get("year")
            if self.label(p) == "Paper" and in_window(year, years):
                year = year if isinstance(year, int) else None
                out.append(PaperInstitutions(p, year, tuple(sorted(on_paper[p].items()))))
        return out


def some_ids(plain: Plain, rng: random.Random, k: int = 12) -> list[str]:
    """A random frontier: node ids (some twice) and an id that names no node."""
    ids = rng.sample(sorted(plain.nodes), min(k, len(plain.nodes)))
    return [*ids, ids[0], "x:missing"]


# -- batch adjacency -------------------------------------------------------------------------
def test_links(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    ids = [*plain.nodes, "x:missing"]
    for rel_type in sorted({r.type for r in plain.rels}):
        for way in ("out", "in"):
            got = view.links(ids, rel_type, way)  # type: ignore[arg-type]
            assert got == plain.links(ids, rel_type, way), (rel_type, way)
    assert view.links([], "AUTHORED", "out") == {}


# -- names -----------------------------------------------------------------------------------
def test_name_entries(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    for labels in (
        ["Institution"],
        ["Researcher", "Paper"],
        sorted({n.label for n in plain.nodes.values()}),
    ):
        got: dict[str, tuple[str, list[str]]] = {}
        for entry in view.name_entries(labels):
            got.setdefault(entry.id, (entry.label, []))[1].append(entry.name)
        assert got == plain.names(labels), labels
    assert list(view.name_entries([])) == []


def test_named_exactly(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    texts = {str(n.props.get("name") or n.props.get("title")) for n in plain.nodes.values()}
    labels_sets = [["Institution"], ["Paper"], ["Researcher", "Paper", "Institution"]]
    for text in sorted(texts) + ["", "no such name"]:
        for labels in labels_sets:
            assert view.named_exactly(text, labels) == plain.named(text, labels), (text, labels)


# -- risk ------------------------------------------------------------------------------------
def test_listings(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    ids = [*plain.nodes, "x:missing"]
    assert view.listings(ids) == plain.listings(ids)
    assert view.listings([]) == {}


def test_risky_institutions(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    for floor in [Tier.NONE, *FLOORS]:
        assert view.risky_institutions(floor) == plain.risky(floor), floor


def test_risk_targets(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    for floor in [Tier.NONE, *FLOORS]:
        assert view.risk_targets(floor, list(DEFAULT_TYPES), None) == plain.targets(floor)


@pytest.mark.parametrize("types", TYPE_SETS, ids="+".join)
def test_risk_steps(loaded: tuple[GraphView, Plain], types: tuple[str, ...]) -> None:
    view, plain = loaded
    rng = random.Random(len(plain.rels))
    for floor in (Tier.MEDIUM, Tier.HIGH):
        for years in WINDOWS:
            dist = plain.distance(floor, types, years)
            adj = plain.walkable(types, years)
            for max_hops in (1, 3, 6):
                for depth in range(max_hops):
                    frontier = some_ids(plain, rng)
                    got = view.risk_steps(frontier, depth, max_hops, floor, list(types), years)
                    want = plain.steps(frontier, depth, max_hops, dist, adj)
                    assert got == want, (floor, years, max_hops, depth, frontier)


def test_risk_steps_walk_whole_levels(loaded: tuple[GraphView, Plain]) -> None:
    """The steps of a real level search from every node agree level by level."""
    view, plain = loaded
    types = list(DEFAULT_TYPES)
    for years in (None, (2016, 2022)):
        dist = plain.distance(Tier.HIGH, types, years)
        adj = plain.walkable(types, years)
        for source in sorted(plain.nodes)[:40]:
            seen = {source}
            frontier = [source]
            for depth in range(4):
                got = view.risk_steps(frontier, depth, 4, Tier.HIGH, types, years)
                assert got == plain.steps(frontier, depth, 4, dist, adj), (source, depth)
                frontier = [v for v in dict.fromkeys(v for _, v in got) if v not in seen]
                seen.update(frontier)


def test_relationships_along(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    ids = sorted(plain.nodes)
    rng = random.Random(7)
    pairs = [(r.start, r.end) for r in plain.rels] + [(r.end, r.start) for r in plain.rels]
    pairs += [tuple(rng.sample(ids, 2)) for _ in range(50)]  # type: ignore[misc]
    pairs += [(ids[0], ids[0]), (ids[0], "x:missing")]
    for types in TYPE_SETS:
        for years in WINDOWS:
            got = view.relationships_along(pairs, list(types), years)
            assert got == plain.along(pairs, types, years), (types, years)
    for at in range(0, len(pairs), 7):  # a few pairs at a time, as a path search asks
        few = pairs[at : at + 7]
        got = view.relationships_along(few, list(TYPE_SETS[1]), None)
        assert got == plain.along(few, TYPE_SETS[1], None), few


# -- exposure --------------------------------------------------------------------------------
def edge_multiset(
    view: GraphView, types: Collection[str], around: str | None = None, hops: int = 0
) -> Counter[tuple[str, ...]]:
    edges = view.weighted_edges(types, around, hops)
    assert edges.ids == sorted(edges.ids) and len(set(edges.ids)) == len(edges.ids)
    assert edges.index == {n: i for i, n in enumerate(edges.ids)}
    assert edges.types == sorted(set(types))
    assert len(edges.labels) == len(edges.ids)
    assert len(edges.starts) == len(edges.ends) == len(edges.kinds)
    if around is not None:
        assert around in edges.index
    return Counter(
        (edges.ids[s], edges.ids[e], edges.types[k])
        for s, e, k in zip(
            edges.starts.tolist(), edges.ends.tolist(), edges.kinds.tolist(), strict=True
        )
    )


def test_weighted_edges_whole_graph(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    for types in [*TYPE_SETS, ("LISTED_ON", "CO_AUTHORED", "PART_OF")]:
        got = edge_multiset(view, types)
        want = Counter((r.start, r.end, r.type) for r in plain.of_type(types) if r.start != r.end)
        assert got == want, types
        edges = view.weighted_edges(types)
        assert edges.ids == sorted(plain.nodes)
        assert edges.labels == [plain.label(n) for n in edges.ids]


def test_weighted_edges_ball(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    every = Counter((r.start, r.end, r.type) for r in plain.rels if r.start != r.end)
    for types in TYPE_SETS[:2]:
        for around in sorted(plain.nodes)[::5]:
            for hops in (0, 1, 2, 3):
                got = edge_multiset(view, types, around, hops)
                need = plain.ball_edges(types, around, hops)
                assert not need - got, (around, hops, need - got)  # every edge needed
                assert not got - every, (around, hops)  # only real ones, each once
                edges = view.weighted_edges(types, around, hops)
                assert edges.labels == [plain.label(n) for n in edges.ids]
    lonely = view.weighted_edges(list(DEFAULT_TYPES), "x:missing", 3)
    assert lonely.ids == ["x:missing"] and len(lonely.starts) == 0


# -- neighbourhood ---------------------------------------------------------------------------
def test_neighbour_pages(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    rng = random.Random(11)
    techs = sorted(n for n in plain.nodes if plain.label(n) == "Technology")
    all_types = sorted({r.type for r in plain.rels})
    for types in [all_types, ["AUTHORED", "AFFILIATED_WITH"], ["CO_AUTHORED", "PART_OF"]]:
        for years in WINDOWS[:2]:
            for tiers in (None, ["high", "very high"], ["none"]):
                for technology in (None, *techs[:1], "x:missing"):
                    frontier = some_ids(plain, rng)
                    skip = {frontier[0]: 1, frontier[1]: 5}
                    for cap in (1, 3, 50):
                        args = (frontier, types, years, tiers, technology, skip, cap)
                        got = view.neighbour_pages(
                            frontier,
                            types=types,
                            years=years,
                            tiers=tiers,
                            technology=technology,
                            skip=skip,
                            cap=cap,
                        )
                        assert got == plain.pages(*args), args


# -- indicators ------------------------------------------------------------------------------
def test_paper_institutions(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    for countries in (["BE", "CN"], ["CN"], ["US", "BE"], []):
        for years in WINDOWS:
            got = view.paper_institutions(countries, years)
            assert got == plain.paper_institutions(countries, years), (countries, years)


# -- exact answers on the tiny graph ---------------------------------------------------------
@pytest.fixture
def tiny(store: Any) -> GraphView:
    load(store, *tiny_graph())
    view: GraphView = store.view()
    return view


def test_tiny_exact_answers(tiny: GraphView) -> None:
    hit, lab, ghent = "ror:01yqg2h08", "cg:institution:lab1", "ror:00cv9y106"
    assert tiny.risk_targets(Tier.HIGH, list(DEFAULT_TYPES), None) == {hit}
    types = list(DEFAULT_TYPES)
    # A2 is affiliated with the lab (PART_OF HIT: 1 hop to risk) and wrote W1 (3 hops).
    assert tiny.risk_steps(["openalex:A2"], 0, 4, Tier.HIGH, types, None) == [
        ("openalex:A2", lab),
        ("openalex:A2", "openalex:W1"),
    ]
    assert tiny.risk_steps(["openalex:A2"], 0, 3, Tier.HIGH, types, None) == [("openalex:A2", lab)]
    assert tiny.risk_steps(["openalex:A2"], 0, 4, Tier.HIGH, types, (2021, None)) == [
        ("openalex:A2", lab),
        ("openalex:A2", "openalex:W1"),
    ]
    # From 2022 on, neither W1 (2021) nor the affiliation (years [2021]) can be walked.
    assert tiny.risk_steps(["openalex:A2"], 0, 4, Tier.HIGH, types, (2022, None)) == []
    [listing] = tiny.listings([hit, ghent])[hit]
    assert (listing.list_id, listing.tier, listing.year) == ("risklist:aspi", "very high", 2019)
    assert tiny.named_exactly("Ghent University", ["Institution"]) == [ghent]
    assert tiny.named_exactly("Ghent University", ["Researcher"]) == []
    assert tiny.named_exactly('Swarm control of "drones"', ["Paper"]) == ["openalex:W1"]
    names = [e.name for e in tiny.name_entries(["Institution"]) if e.id == hit]
    assert names == ["Harbin Institute of Technology", "HIT", "哈尔滨工业大学"]
    assert tiny.paper_institutions(["BE", "CN"], None) == [
        PaperInstitutions("openalex:W1", 2021, ((lab, "CN"), (ghent, "BE")))
    ]
    assert tiny.paper_institutions(["BE", "CN"], (2022, 2024)) == []
    along = tiny.relationships_along([(lab, hit), (hit, ghent)], ["PART_OF", "MILITARY_LINK"], None)
    assert list(along) == [(lab, hit)]
    assert [(r.type, r.start) for r in along[(lab, hit)]] == [
        ("PART_OF", lab),
        ("MILITARY_LINK", hit),
    ]
    risky = tiny.risky_institutions(Tier.HIGH)
    assert list(risky) == [hit] and risky[hit].tier == Tier.VERY_HIGH
    page = tiny.neighbour_pages(
        [hit],
        types=["MILITARY_LINK", "PART_OF", "LISTED_ON"],
        years=None,
        tiers=None,
        technology=None,
        skip={},
        cap=1,
    )[hit]
    assert page.total == 2 and [n.node.id for n in page.page] == [lab]
    assert page.page[0].strength == 2  # PART_OF and MILITARY_LINK


def test_answers_follow_writes(store: Any) -> None:
    """The store's caches (distance index, tiers, years) are rebuilt after a write."""
    nodes, rels = tiny_graph()
    load(store, nodes, rels)
    view = store.view()
    types = list(DEFAULT_TYPES)
    assert view.risk_targets(Tier.HIGH, types, None) == {"ror:01yqg2h08"}
    before = view.risk_steps(["openalex:A1"], 0, 2, Tier.HIGH, types, None)
    assert before == []
    ghent = Node("Institution", "ror:00cv9y106", prov(name="Ghent University", tier="high"))
    load(store, [ghent], [])
    assert view.risk_targets(Tier.HIGH, types, None) == {"ror:01yqg2h08", "ror:00cv9y106"}
    assert view.risk_steps(["openalex:A1"], 0, 2, Tier.HIGH, types, None) == [
        ("openalex:A1", "ror:00cv9y106")
    ]
    assert "ror:00cv9y106" in view.risky_institutions(Tier.HIGH)


def test_with_property(loaded: tuple[GraphView, Plain]) -> None:
    view, plain = loaded
    for label, prop in (("Researcher", "orcid"), ("Researcher", "name"), ("Paper", "doi")):
        values = {
            str(n.props[prop])
            for n in plain.nodes.values()
            if n.label == label and isinstance(n.props.get(prop), str)
        }
        want: dict[str, list[str]] = {}
        for n in sorted(plain.nodes.values(), key=lambda n: n.id):
            if n.label == label and n.props.get(prop) in values:
                want.setdefault(str(n.props[prop]), []).append(n.id)
        assert view.with_property(label, prop, [*values, "no such value"]) == want, prop
    assert view.with_property("Researcher", "orcid", []) == {}
    with pytest.raises(SchemaError):
        view.with_property("Researcher", "no_such_prop", ["x"])


def test_with_property_finds_researchers_by_orcid(store: Any) -> None:
    orcid, other = "0000-0002-1825-0097", "0000-0001-5109-3700"
    load(
        store,
        [
            Node("Researcher", "openalex:A9", prov(name="Ann", orcid=orcid)),
            Node("Researcher", "openalex:A7", prov(name="Ann P.", orcid=orcid)),
            Node("Researcher", "openalex:A8", prov(name="Bo", orcid=other)),
            Node("Researcher", "openalex:A6", prov(name="Cy")),
            Node("Institution", "ror:x", prov(name=orcid)),
        ],
        [],
    )
    view = store.view()
    assert view.with_property("Researcher", "orcid", [orcid, "0000-0000-0000-0000"]) == {
        orcid: ["openalex:A7", "openalex:A9"]
    }
    assert view.with_property("Researcher", "orcid", [orcid, other]) == {
        orcid: ["openalex:A7", "openalex:A9"],
        other: ["openalex:A8"],
    }
    assert view.with_property("Institution", "name", [orcid]) == {orcid: ["ror:x"]}
