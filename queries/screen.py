"""screen: batch screening of prospective partner institutions.

For each name or ROR id: the institution it resolves to (an id, else the ingest resolver, else
the fuzzy node finder), its effective tier, every list assertion (its own and, marked ``via``,
those of institutions it is part of), its military links, and our researchers near it. The
listings of its units (PART_OF it, at any depth) are shown too, marked ``unit``, with their
highest tier as ``unit_tier``: a parent is not listed because a unit is, so they leave
``tier`` and ``inherited_tier`` alone.

"Our researchers" are those with an affiliation in ``home`` (default BE). *Members* of the
institution are researchers affiliated with it or with a unit PART_OF it (two levels down).
One of our researchers is one hop away when a member, two when a co-author of a member on a
shared paper. Shared papers dated before the institution's first listing (any tier; fiscal
year, else as-of year) are counted apart as ``before_listing``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.errors import NodeNotFound
from collabgraph.graph.records import Relationship
from collabgraph.graph.risk import Listing, effective_tier
from collabgraph.graph.tiers import Tier

from .find import find_node, id_candidates, named_exactly
from .sides import subtree

UNIT_LEVELS = 2
PARENT_LEVELS = 3
Side = Literal["out", "in"]


@dataclass
class Screening:
    input: str
    id: str | None = None
    name: str | None = None
    country: str | None = None
    method: str | None = None
    score: float | None = None
    explanation: str | None = None
    tier: str = Tier.NONE.label
    inherited_tier: str = Tier.NONE.label
    unit_tier: str = Tier.NONE.label
    first_listed: int | None = None
    assertions: list[dict[str, Any]] = field(default_factory=list)
    military_links: list[dict[str, Any]] = field(default_factory=list)
    members: int = 0
    our_members: int = 0
    our_coauthors: int = 0
    researchers_within_2_hops: int = 0
    shared_papers: int = 0
    before_listing: int = 0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def resolve(
    store: Store, texts: Iterable[str], countries: Iterable[str | None] | None = None
) -> list[tuple[str, Any]]:
    """Each text with ``(node_id, name, method, score, explanation)``, or why it failed.

    ``countries`` (ISO codes, one per text) narrows the resolver's candidates.
    """
    view = store.view()
    resolver: Any = None
    out: list[tuple[str, Any]] = []
    text_list = list(texts)
    country_list = list(countries) if countries is not None else [None] * len(text_list)
    for text, country in zip(text_list, country_list, strict=True):
        found: Any = None
        for candidate in id_candidates(text.strip()):
            node = view.get_node(candidate)
            if node is not None and node.label == "Institution":
                found = (node.id, node.props.get("name"), "id", 1.0, "the input is its id")
                break
        if found is None and text.strip():
            named = named_exactly(store, text.strip(), ["Institution"])
            if len(named) == 1:
                node = view.get_node(named[0])
                name = node.props.get("name") if node else None
                found = (named[0], name, "exact", 1.0, "the input is its name")
        if found is None and resolver is None and text.strip():
            # Built only when needed: indexing every institution takes seconds.
            resolver = _resolver(view)
        if found is None and resolver and text.strip():
            match = resolver.resolve(text, country=country or None)
            if match is not None:
                found = (match.node_id, match.name, match.method, match.score, match.explanation)
        if found is None and text.strip():
            try:
                node = find_node(store, text, labels=["Institution"])
                found = (node.id, node.props.get("name"), "name", None, "matched a node name")
            except NodeNotFound as exc:
                found = None
                out.append((text, str(exc)))
                continue
        out.append((text, found))
    return out


def _resolver(view: Any) -> Any:
    """The ingest resolver over the store's institutions, or False if it is not installed."""
    try:
        from collabgraph.ingest.resolution import Resolver
    except ImportError:  # optional here: the fuzzy finder below still works
        return False
    return Resolver.from_store(view)


def screen(
    store: Store,
    inputs: Iterable[str],
    *,
    home: str = "BE",
    countries: Iterable[str | None] | None = None,
) -> list[Screening]:
    """Screen each input (a name or a ROR id); unresolved inputs say why in ``explanation``.

    ``countries`` gives each input's country (ISO 2) when known, to tell apart namesakes.
    """
    home = home.strip().upper()
    resolved = resolve(store, list(inputs), countries)
    ids = sorted({r[0] for _, r in resolved if isinstance(r, tuple)})
    facts = _facts(store, ids, home)
    out = []
    for text, match in resolved:
        if not isinstance(match, tuple):  # the finder's message: the closest names
            out.append(Screening(text, explanation=match or "empty input"))
            continue
        node_id, name, method, score, explanation = match
        fact = facts[node_id]
        own = [lst for lst in fact["listings"] if lst.institution == node_id]
        item = Screening(
            text,
            id=node_id,
            name=name,
            country=fact["props"].get("country"),
            method=method,
            score=score,
            explanation=explanation,
            tier=effective_tier(own, fact["props"].get("tier")).label,
            inherited_tier=effective_tier(fact["listings"], fact["props"].get("tier")).label,
        )
        dated = [lst.year for lst in own if lst.year is not None]
        item.first_listed = min(dated) if dated else None
        item.unit_tier = effective_tier(fact["unit_listings"]).label
        item.assertions = [
            {
                **lst.as_dict(),
                "via": None if lst.institution == node_id else lst.institution,
                "unit": None,
            }
            for lst in fact["listings"]
        ] + [
            {**lst.as_dict(), "via": None, "unit": lst.institution} for lst in fact["unit_listings"]
        ]
        item.military_links = fact["military"]
        item.members = len(fact["members"])
        item.our_members = len(fact["our_members"])
        coauthors = {c[0] for c in fact["coauthorships"]}
        item.our_coauthors = len(coauthors - fact["our_members"])
        item.researchers_within_2_hops = len(coauthors | fact["our_members"])
        papers = {(c[1], c[2]) for c in fact["coauthorships"]}
        item.shared_papers = len(papers)
        if item.first_listed is not None:
            first = item.first_listed
            item.before_listing = sum(1 for _, y in papers if isinstance(y, int) and y < first)
        out.append(item)
    return out


def _facts(store: Store, ids: list[str], home: str) -> dict[str, dict[str, Any]]:
    view = store.view()
    return {iid: _institution_facts(view, iid, home) for iid in ids}


def _link(start: str, end: str, props: dict[str, Any], me: str, other_name: Any) -> dict[str, Any]:
    other = end if start == me else start
    return {
        "kind": props.get("kind"),
        "direction": "out" if start == me else "in",
        "other": other,
        "other_name": other_name,
        "detail": props.get("detail"),
        "source": props.get("source"),
    }


def _link_key(link: dict[str, Any]) -> tuple[str, str, str]:
    return (str(link["kind"]), link["direction"], link["other"])


def _reach(view: GraphView, start: str, rel_type: str, direction: Side, levels: int) -> set[str]:
    """``start`` and the nodes up to ``levels`` steps of ``rel_type`` away in ``direction``."""
    seen, frontier = {start}, {start}
    for _ in range(levels):
        found = view.links(frontier, rel_type, direction)
        frontier = {_other(r, direction) for rels in found.values() for r in rels} - seen
        seen |= frontier
    return seen


def _other(rel: Relationship, direction: Side) -> str:
    return rel.end if direction == "out" else rel.start


def _institution_facts(view: GraphView, iid: str, home: str) -> dict[str, Any]:
    """Listings (own, inherited, units'), military links, members and our co-authorships."""
    holders = _reach(view, iid, "PART_OF", "out", PARENT_LEVELS)
    below = subtree(view, [iid]) - holders
    listed = view.listings(holders | below)
    listings = [lst for h in holders for lst in listed.get(h, [])]
    unit_listings = [lst for u in below for lst in listed.get(u, [])]
    links = [
        *view.links([iid], "MILITARY_LINK", "out").get(iid, []),
        *view.links([iid], "MILITARY_LINK", "in").get(iid, []),
    ]
    others = view.get_nodes({r.end if r.start == iid else r.start for r in links} | {iid})
    military = []
    for rel in links:
        linked = others.get(rel.end if rel.start == iid else rel.start)
        name = linked.props.get("name") if linked is not None else None
        military.append(_link(rel.start, rel.end, rel.props, iid, name))
    units = _reach(view, iid, "PART_OF", "in", UNIT_LEVELS)
    members = {
        r.start for rels in view.links(units, "AFFILIATED_WITH", "in").values() for r in rels
    }
    authored = view.links(members, "AUTHORED", "out")
    # Each paper once (big collaborations have thousands of authors): ours among its authors,
    # unless the only member on it is that same researcher.
    papers = {r.end for rels in authored.values() for r in rels}
    authors = view.links(papers, "AUTHORED", "in")
    everyone = {r.start for rels in authors.values() for r in rels} | members
    affiliations = view.links(everyone, "AFFILIATED_WITH", "out")
    places = view.get_nodes({r.end for rels in affiliations.values() for r in rels})

    def ours(researcher: str) -> bool:
        return any(
            (place := places.get(r.end)) is not None and place.props.get("country") == home
            for r in affiliations.get(researcher, [])
        )

    paper_nodes = view.get_nodes(papers)
    coauthorships = set()
    for paper in papers:
        on_paper = [r.start for r in authors.get(paper, [])]
        on_it = [a for a in on_paper if a in members]
        found = paper_nodes.get(paper)
        year = found.props.get("year") if found is not None else None
        for author in on_paper:
            if ours(author) and any(m != author for m in on_it):
                coauthorships.add((author, paper, year))
    own = others.get(iid)
    return {
        "props": own.props if own is not None else {},
        "listings": sorted(listings, key=Listing.sort_key),
        "unit_listings": sorted(unit_listings, key=lambda x: (x.institution, *x.sort_key())),
        "military": sorted(military, key=_link_key),
        "members": members,
        "our_members": {m for m in members if ours(m)},
        "coauthorships": coauthorships,
    }
