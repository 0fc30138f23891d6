"""What indicators and timelines share: listings inherited through PART_OF, and whether a
paper is high-risk or before listing given the listings of the partner institutions on it.

* An institution inherits the listings of what it is PART_OF, up to :data:`PART_OF_LEVELS`
  levels up (a lab of a listed university is high-risk through it).
* A paper is **high risk** when some listing of a partner institution on it is at or above
  the floor; it is **before listing** when it is high risk, dated, and earlier than every
  qualifying listing's year (all of them dated).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from collabgraph.graph.contract import GraphView
from collabgraph.graph.risk import Listing, tier_of
from collabgraph.graph.tiers import Tier

PART_OF_LEVELS = 3


def holders(view: GraphView, institutions: Iterable[str]) -> dict[str, set[str]]:
    """Each institution with those it is PART_OF, up to :data:`PART_OF_LEVELS` levels up."""
    found = {inst: {inst} for inst in institutions}
    frontier = {inst: {inst} for inst in found}
    for _ in range(PART_OF_LEVELS):
        parents = view.links({n for f in frontier.values() for n in f}, "PART_OF", "out")
        for inst, level in frontier.items():
            up = {r.end for n in level for r in parents.get(n, [])} - found[inst]
            found[inst] |= up
            frontier[inst] = up
    return found


def inherited_listings(
    view: GraphView, institutions: Iterable[str]
) -> dict[str, tuple[Listing, ...]]:
    """Each institution's listings with those of what it is part of, strongest first."""
    up = holders(view, institutions)
    listed = view.listings({h for found in up.values() for h in found})
    return {
        inst: tuple(sorted((lst for h in found for lst in listed.get(h, [])), key=Listing.sort_key))
        for inst, found in up.items()
    }


def qualifying(listings: Iterable[Listing], floor: Tier) -> list[Listing]:
    """The listings at or above ``floor``."""
    return [lst for lst in listings if tier_of(lst.tier) >= floor]


def is_before_listing(year: int | None, listings: Sequence[Listing]) -> bool:
    """Whether a paper of ``year`` is high-risk through ``listings`` (already the qualifying
    ones) and earlier than every one of them; an undated paper or listing says no."""
    dated = [lst.year for lst in listings if lst.year is not None]
    return (
        bool(listings)
        and year is not None
        and len(dated) == len(listings)
        and all(year < y for y in dated)
    )


def institutions_on(view: GraphView, papers: Iterable[str]) -> dict[str, set[str]]:
    """The institutions on each paper: those an author of it (AUTHORED) is AFFILIATED_WITH
    with the paper among the affiliation's ``evidence_papers`` (the rule of
    :meth:`GraphView.paper_institutions`, read here for given papers). Papers with none are
    absent."""
    authored = view.links(papers, "AUTHORED", "in")
    affiliations = view.links(
        {r.start for rels in authored.values() for r in rels}, "AFFILIATED_WITH", "out"
    )
    found: dict[str, set[str]] = {}
    for paper, rels in authored.items():
        for author in rels:
            for aff in affiliations.get(author.start, []):
                if paper in (aff.props.get("evidence_papers") or []):
                    found.setdefault(paper, set()).add(aff.end)
    return found
