"""timeline: one researcher's or institution's papers per year, beside the listings' dates.

* A **researcher**'s papers are those they AUTHORED; an **institution**'s are those it, or a
  unit PART_OF it (any depth), is on (the rule of indicators: an author of the paper is
  AFFILIATED_WITH it with the paper in the affiliation's ``evidence_papers``).
* Each paper is counted as indicators counts it: **joint** when institutions of ``home`` and
  ``partner`` are on it; **high risk** when a ``partner`` institution on it is listed at or
  above ``min_tier``, itself or through PART_OF (up to three levels up); **before listing**
  when it is also dated before every such qualifying listing.
* The **listing marks** are the qualifying listings that bear on the node: those behind its
  high-risk papers (of the partner institutions on them, or what they are part of) and, for
  an institution, its own, its ancestors' (up to three levels) and its units' listings, each
  once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.graph.records import Node
from collabgraph.graph.risk import Listing, YearWindow, in_window
from collabgraph.graph.tiers import Tier

from .common import display_name, tiers_at_or_above
from .on_paper import (
    PART_OF_LEVELS,
    holders,
    inherited_listings,
    institutions_on,
    is_before_listing,
    qualifying,
)
from .sides import Side, parse_side, subtree

COUNTS = ("papers", "joint", "high_risk", "before_listing")


@dataclass
class Timeline:
    """Rows per year (papers, joint, high-risk, before listing) and the listing marks."""

    node: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)
    listings: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "node": dict(self.node),
            "rows": self.rows,
            "listings": self.listings,
            "parameters": self.parameters,
        }


def timeline(
    store: Store,
    node_id: str,
    *,
    home: str | Side = "BE",
    partner: str | Side = "CN",
    min_tier: str | Tier = "high",
    years: YearWindow | None = None,
) -> Timeline:
    """The per-year timeline of a researcher or an institution (see the module docstring)."""
    tiers_at_or_above(min_tier)  # one clear error for a floor of "none"
    floor = Tier.parse(min_tier) if isinstance(min_tier, str) else min_tier
    ours, theirs = parse_side(store, home), parse_side(store, partner)
    view = store.view()
    node = view.get_node(node_id)
    if node is None:
        raise NodeNotFound(f"no node has id {node_id!r}")
    if node.label == "Researcher":
        units: set[str] = set()
        found = view.links([node_id], "AUTHORED", "out").get(node_id, [])
        candidates = {r.end for r in found}
    elif node.label == "Institution":
        units = subtree(view, [node_id])
        candidates = _evidence_papers(view, units)
    else:
        raise CollabgraphError(
            f"a timeline is drawn for a researcher or an institution; {node_id!r} is a {node.label}"
        )
    papers = {
        p.id: p.props.get("year")
        for p in view.get_nodes(candidates).values()
        if p.label == "Paper" and in_window(p.props.get("year"), years)
    }
    on = institutions_on(view, papers)
    if units:  # an institution's papers are those it (or a unit) is really on
        papers = {p: y for p, y in papers.items() if on.get(p, set()) & units}
    institutions = view.get_nodes({i for found in on.values() for i in found})
    country = {i: n.props.get("country") for i, n in institutions.items()}
    side = {
        i: "home" if ours.holds(i, c) else "partner" if theirs.holds(i, c) else None
        for i, c in country.items()
    }
    inherited = inherited_listings(view, sorted(i for i, kind in side.items() if kind == "partner"))
    rows: dict[int | None, dict[str, Any]] = {}
    behind: list[Listing] = []
    for paper, year in sorted(papers.items()):
        year = year if isinstance(year, int) else None
        row = rows.setdefault(year, {"year": year, **dict.fromkeys(COUNTS, 0)})
        row["papers"] += 1
        present = {side[i] for i in on.get(paper, set())}
        if not {"home", "partner"} <= present:
            continue
        listed = qualifying(
            (lst for i in on[paper] if side[i] == "partner" for lst in inherited[i]), floor
        )
        row["joint"] += 1
        row["high_risk"] += bool(listed)
        row["before_listing"] += is_before_listing(year, listed)
        behind.extend(listed)
    marks = behind
    if units:
        own = view.listings(units | holders(view, [node_id])[node_id])
        marks += qualifying((lst for found in own.values() for lst in found), floor)
    return Timeline(
        node={"id": node.id, "label": node.label, "name": display_name(node.label, node.props)},
        rows=sorted(rows.values(), key=lambda r: (r["year"] is None, r["year"] or 0)),
        listings=_marks(view, marks),
        parameters={
            "home": ours.label,
            "partner": theirs.label,
            "min_tier": floor.label,
            "years": list(years) if years else None,
            "units": sorted(units - {node_id}),
            "high_risk": f"joint, and a {theirs.label} institution on the paper, or one it is part "
            f"of (up to {PART_OF_LEVELS} levels), is listed at tier {floor.label} or above",
            "before_listing": "high-risk papers dated before every qualifying listing",
        },
    )


def _evidence_papers(view: GraphView, institutions: Iterable[str]) -> set[str]:
    """The papers the affiliations with these institutions cite as evidence."""
    affiliations = view.links(institutions, "AFFILIATED_WITH", "in")
    return {
        str(p)
        for rels in affiliations.values()
        for r in rels
        for p in r.props.get("evidence_papers") or []
    }


def _marks(view: GraphView, listings: Iterable[Listing]) -> list[dict[str, Any]]:
    """Each distinct listing once, by year (undated last), list and institution."""
    distinct = {(lst.institution, lst.list_id, lst.tier, lst.year): lst for lst in listings}
    names = view.get_nodes({lst.institution for lst in distinct.values()})
    out = [
        {
            "year": lst.year,
            "list": lst.list_id,
            "list_name": lst.list_name,
            "tier": lst.tier,
            "institution": lst.institution,
            "institution_name": _name(names.get(lst.institution)),
        }
        for lst in distinct.values()
    ]
    return sorted(
        out, key=lambda m: (m["year"] is None, m["year"] or 0, m["list"], m["institution"])
    )


def _name(node: Node | None) -> str:
    return display_name(node.label, node.props) if node is not None else ""
