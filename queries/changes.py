"""changes: what became high-risk between a baseline graph and the current one.

Both graphs are stores; the question reads each through the same primitives and compares.
Definitions (``home`` and ``partner`` countries, ``min_tier``, as in ``indicators``):

* a paper is **high-risk** as in :mod:`queries.indicators`: a ``partner`` institution on it,
  itself or through PART_OF (up to three levels up), is LISTED_ON a list at or above
  ``min_tier``; those listings are its **evidence**;
* a high-risk paper that was not a joint paper in the baseline is **new**;
* one that was joint but not high-risk in the baseline is **retroactive** when its year is
  earlier than every evidence listing absent from the baseline (an institution listed in a new
  fiscal year makes earlier co-authorships high-risk), else **reclassified** (a listing dated
  on or before the paper, or the paper newly tied to a listed partner);
* a paper high-risk in the baseline and no longer is **cleared**;
* a **new researcher with findings** is a ``home`` researcher (AFFILIATED_WITH a ``home``
  institution with the paper as evidence) who authors a high-risk paper now and authored none
  in the baseline;
* an institution's **tier changed** when its effective tier (graph/risk.py: listings and its
  own ``tier``) differs, ``none`` standing for an institution not at any tier;
* a **path** is a pair (home researcher, institution at or above ``min_tier``) connected within
  ``max_hops`` hops over the default path types (queries/common.py), never walking PART_OF
  down from a parent to its unit (the rule of paths_to_risk: such a path is context, not a
  finding); it **appeared** or **vanished** when it is in one graph only. To keep the cost
  bounded, the researchers tried are the home authors of joint papers (in either graph),
  searched together, level by level, with the store's pruned ``risk_steps``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from collabgraph.graph.contract import GraphView, Pair, Store
from collabgraph.graph.records import Node
from collabgraph.graph.risk import Listing, RiskyInstitution, tier_of
from collabgraph.graph.tiers import Tier

from .common import DEFAULT_PATH_TYPES, check_hops, display_name, tiers_at_or_above
from .indicators import JointPaper, joint_papers
from .on_paper import PART_OF_LEVELS, is_before_listing
from .sides import country_side

STATUSES = ("new", "retroactive", "reclassified", "cleared")


@dataclass(frozen=True)
class Evidence:
    """A listing that makes a paper high-risk: the partner on it, the listed institution."""

    partner: str
    partner_name: str
    listing: Listing
    new: bool  # absent from the baseline graph

    def as_dict(self) -> dict[str, Any]:
        return {
            "partner": self.partner,
            "partner_name": self.partner_name,
            "listed_institution": self.listing.institution,
            **self.listing.as_dict(),
            "year": self.listing.year,
            "new_listing": self.new,
        }


@dataclass(frozen=True)
class PaperChange:
    status: str  # one of STATUSES
    id: str
    doi: str | None
    year: int | None
    title: str
    evidence: tuple[Evidence, ...]  # now; for a cleared paper, in the baseline

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "id": self.id,
            "doi": self.doi,
            "year": self.year,
            "title": self.title,
            "evidence": [x.as_dict() for x in self.evidence],
        }


@dataclass(frozen=True)
class ResearcherChange:
    id: str
    name: str
    papers: tuple[str, ...]  # the high-risk papers they author now

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "papers": list(self.papers)}


@dataclass(frozen=True)
class TierChange:
    id: str
    name: str
    country: str | None
    before: str
    after: str
    listings: tuple[Listing, ...]  # now (strongest first)
    new_listings: tuple[str, ...]  # list ids not in the baseline

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "before": self.before,
            "after": self.after,
            "listings": [x.as_dict() for x in self.listings],
            "new_listings": list(self.new_listings),
        }


@dataclass(frozen=True)
class PathChange:
    change: str  # "appeared" or "vanished"
    researcher: str
    researcher_name: str
    institution: str
    institution_name: str
    tier: str  # in the graph where the path exists
    hops: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "change": self.change,
            "researcher": self.researcher,
            "researcher_name": self.researcher_name,
            "institution": self.institution,
            "institution_name": self.institution_name,
            "tier": self.tier,
            "hops": self.hops,
        }


@dataclass
class Changes:
    papers: list[PaperChange] = field(default_factory=list)
    researchers: list[ResearcherChange] = field(default_factory=list)
    tiers: list[TierChange] = field(default_factory=list)
    paths: list[PathChange] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def with_status(self, status: str) -> list[PaperChange]:
        return [p for p in self.papers if p.status == status]

    @property
    def changed(self) -> bool:
        return bool(self.papers or self.researchers or self.tiers or self.paths)

    def counts(self) -> dict[str, int]:
        out = {status: len(self.with_status(status)) for status in STATUSES}
        out["researchers"] = len(self.researchers)
        out["tiers"] = len(self.tiers)
        out["paths_appeared"] = sum(p.change == "appeared" for p in self.paths)
        out["paths_vanished"] = sum(p.change == "vanished" for p in self.paths)
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "counts": self.counts(),
            **{status: [p.as_dict() for p in self.with_status(status)] for status in STATUSES},
            "researchers": [r.as_dict() for r in self.researchers],
            "tiers": [t.as_dict() for t in self.tiers],
            "paths": [p.as_dict() for p in self.paths],
            "parameters": self.parameters,
        }


@dataclass
class _State:
    """One graph read the way the comparison needs it."""

    view: GraphView
    joint: dict[str, JointPaper]
    evidence: dict[str, list[tuple[str, str, Listing]]]  # high-risk papers only
    listed: set[tuple[str, str]]  # (institution, list) of every listing read


def changes(
    baseline: Store,
    current: Store,
    *,
    home: str = "BE",
    partner: str = "CN",
    min_tier: str | Tier = "high",
    max_hops: int = 3,
) -> Changes:
    """Papers, researchers, tiers and paths that changed from ``baseline`` to ``current``."""
    check_hops(max_hops)
    floor = Tier.parse(min_tier) if isinstance(min_tier, str) else min_tier
    tiers_at_or_above(floor)  # refuses "none"
    home, partner = home.strip().upper(), partner.strip().upper()
    before = _state(baseline.view(), home, partner, floor)
    now = _state(current.view(), home, partner, floor)
    result = Changes(
        papers=_papers(before, now),
        researchers=_researchers(before, now, home),
        tiers=_tiers(before, now),
        paths=_paths(before, now, home, floor, max_hops),
    )
    result.parameters = {
        "home": home,
        "partner": partner,
        "min_tier": floor.label,
        "max_hops": max_hops,
        "high_risk": f"a {partner} institution on the paper, or one it is part of (up to "
        f"{PART_OF_LEVELS} levels), is listed at tier {floor.label} or above",
        "retroactive": "joint in the baseline, dated before every listing that is new",
        "reclassified": "joint in the baseline, newly high-risk otherwise",
        "researchers": f"{home} authors of a high-risk paper now and of none in the baseline",
        "paths": f"{home} authors of joint papers to institutions at {floor.label} or above "
        f"within {max_hops} hops over {', '.join(DEFAULT_PATH_TYPES)}, never down PART_OF",
    }
    return result


def _state(view: GraphView, home: str, partner: str, floor: Tier) -> _State:
    sides = country_side(home), country_side(partner)
    joint = {p.id: p for p in joint_papers(view, *sides, None)}
    evidence: dict[str, list[tuple[str, str, Listing]]] = {}
    listed: set[tuple[str, str]] = set()
    for paper in joint.values():
        for p in paper.partners:
            for lst in p.listings:
                listed.add((lst.institution, lst.list_id))
                if tier_of(lst.tier) >= floor:
                    evidence.setdefault(paper.id, []).append((p.id, p.name, lst))
    return _State(view, joint, evidence, listed)


def _papers(before: _State, now: _State) -> list[PaperChange]:
    """New, retroactive and reclassified high-risk papers, then cleared ones."""
    found: list[tuple[str, str, list[Evidence]]] = []
    rising = sorted(set(now.evidence) - set(before.evidence))
    known = _baseline_listed(
        before, {lst.institution for p in rising for *_, lst in now.evidence[p]}
    )
    for pid in rising:
        items = [
            Evidence(p, n, lst, (lst.institution, lst.list_id) not in known)
            for p, n, lst in now.evidence[pid]
        ]
        if pid not in before.joint:
            status = "new"
        else:
            fresh = [x.listing for x in items if x.new]
            retro = is_before_listing(now.joint[pid].year, fresh)
            status = "retroactive" if retro else "reclassified"
        found.append((status, pid, items))
    for pid in sorted(set(before.evidence) - set(now.evidence)):
        found.append(
            ("cleared", pid, [Evidence(p, n, lst, False) for p, n, lst in before.evidence[pid]])
        )
    nodes = {
        **before.view.get_nodes(pid for status, pid, _ in found if status == "cleared"),
        **now.view.get_nodes(pid for status, pid, _ in found if status != "cleared"),
    }
    out = []
    for status, pid, items in found:
        props = nodes[pid].props if pid in nodes else {}
        state = before if status == "cleared" else now
        doi = props.get("doi")
        out.append(
            PaperChange(
                status,
                pid,
                doi if isinstance(doi, str) else None,
                state.joint[pid].year,
                display_name("Paper", props),
                tuple(sorted(items, key=_evidence_key)),
            )
        )
    return sorted(out, key=lambda p: (STATUSES.index(p.status), p.id))


def _baseline_listed(before: _State, institutions: Iterable[str]) -> set[tuple[str, str]]:
    """(institution, list) of the baseline's listings of ``institutions``, and those read."""
    # The baseline read only the listings of its joint papers' partners: ask about the rest.
    rest = sorted({i for i in institutions} - {i for i, _ in before.listed})
    extra = before.view.listings(rest) if rest else {}
    return before.listed | {(i, lst.list_id) for i, found in extra.items() for lst in found}


def _evidence_key(x: Evidence) -> tuple[str, int, int, str, str]:
    tier, year, list_id = x.listing.sort_key()
    return (x.partner, tier, year, list_id, x.listing.institution)


def _researchers(before: _State, now: _State, home: str) -> list[ResearcherChange]:
    had = _home_authors(before.view, before.evidence, home)
    has = _home_authors(now.view, now.evidence, home)
    fresh = sorted(set(has) - set(had))
    names = now.view.get_nodes(fresh)
    return [ResearcherChange(r, _name(names.get(r)), tuple(sorted(has[r]))) for r in fresh]


def _home_authors(view: GraphView, papers: Iterable[str], home: str) -> dict[str, set[str]]:
    """Each ``home`` author of ``papers`` with the papers among them they author."""
    wanted = sorted(set(papers))
    authors = view.links(wanted, "AUTHORED", "in")
    people = sorted({r.start for rels in authors.values() for r in rels})
    affiliations = view.links(people, "AFFILIATED_WITH", "out")
    institutions = view.get_nodes({r.end for rels in affiliations.values() for r in rels})
    ours = {i for i, n in institutions.items() if n.props.get("country") == home}
    out: dict[str, set[str]] = {}
    for paper in wanted:
        for rel in authors.get(paper, []):
            if any(
                a.end in ours and paper in (a.props.get("evidence_papers") or [])
                for a in affiliations.get(rel.start, [])
            ):
                out.setdefault(rel.start, set()).add(paper)
    return out


def _tiers(before: _State, now: _State) -> list[TierChange]:
    was = before.view.risky_institutions(Tier.LOW)
    is_ = now.view.risky_institutions(Tier.LOW)

    def tier(found: Mapping[str, RiskyInstitution], iid: str) -> Tier:
        return found[iid].tier if iid in found else Tier.NONE

    moved = [i for i in sorted(set(was) | set(is_)) if tier(was, i) != tier(is_, i)]
    nodes = {
        **before.view.get_nodes(i for i in moved if i not in is_),
        **now.view.get_nodes(i for i in moved if i in is_),
    }
    out = []
    for iid in moved:
        country = nodes[iid].props.get("country") if iid in nodes else None
        listings = is_[iid].listings if iid in is_ else ()
        old_lists = {lst.list_id for lst in (was[iid].listings if iid in was else ())}
        out.append(
            TierChange(
                iid,
                (is_.get(iid) or was[iid]).name,
                country if isinstance(country, str) else None,
                tier(was, iid).label,
                tier(is_, iid).label,
                listings,
                tuple(sorted({lst.list_id for lst in listings} - old_lists)),
            )
        )
    return out


def _paths(before: _State, now: _State, home: str, floor: Tier, max_hops: int) -> list[PathChange]:
    sources = sorted(
        set(_home_authors(before.view, before.joint, home))
        | set(_home_authors(now.view, now.joint, home))
    )
    was = _reach(before.view, sources, floor, max_hops)
    is_ = _reach(now.view, sources, floor, max_hops)
    appeared = sorted(set(is_) - set(was))
    vanished = sorted(set(was) - set(is_))
    out = _path_changes("appeared", appeared, is_, now.view, floor)
    out += _path_changes("vanished", vanished, was, before.view, floor)
    return out


def _reach(
    view: GraphView, sources: list[str], floor: Tier, max_hops: int
) -> dict[tuple[str, str], int]:
    """(source, target) → hops, for every target within ``max_hops`` of a source.

    One level search for all sources together: a node reached at a level carries the sources
    that reached it there for the first time, and only those travel on from it.
    """
    types = list(DEFAULT_PATH_TYPES)
    targets = view.risk_targets(floor, types, None)
    seen: dict[str, set[str]] = {s: {s} for s in sources}
    frontier: dict[str, set[str]] = {s: {s} for s in sources}
    found: dict[tuple[str, str], int] = {}
    for depth in range(max_hops):
        if not frontier:
            break
        nxt: dict[str, set[str]] = {}
        steps = view.risk_steps(sorted(frontier), depth, max_hops, floor, types, None)
        down = _downward(view, frontier, steps, types)
        for u, v in steps:
            if (u, v) in down:
                continue
            fresh = frontier[u] - seen.setdefault(v, set())
            if fresh:
                nxt.setdefault(v, set()).update(fresh)
        for v, arrived in nxt.items():
            seen[v] |= arrived
            if v in targets:
                for s in arrived:
                    found[(s, v)] = depth + 1
        frontier = nxt
    return found


def _downward(
    view: GraphView, frontier: Mapping[str, object], steps: list[Pair], types: list[str]
) -> set[Pair]:
    """The steps that only walk PART_OF down, from a parent to its unit: as in paths_to_risk,
    a listed unit of someone's institution ties no one to it, so no path pair goes that way
    (the distance pruning stays safe: it is a lower bound of the distance without them)."""
    units = view.links(frontier, "PART_OF", "in")
    below = {(u, r.start) for u, rels in units.items() for r in rels}
    candidates = [step for step in steps if step in below]
    if not candidates:
        return set()
    other = [t for t in types if t != "PART_OF"]
    along = view.relationships_along(candidates, other, None) if other else {}
    return {step for step in candidates if step not in along}


def _path_changes(
    change: str,
    pairs: list[tuple[str, str]],
    hops: Mapping[tuple[str, str], int],
    view: GraphView,
    floor: Tier,
) -> list[PathChange]:
    nodes = view.get_nodes({n for pair in pairs for n in pair})
    risky = view.risky_institutions(floor) if pairs else {}
    return [
        PathChange(
            change,
            r,
            _name(nodes.get(r)),
            i,
            _name(nodes.get(i)),
            risky[i].tier.label if i in risky else floor.label,
            hops[(r, i)],
        )
        for r, i in pairs
    ]


def _name(node: Node | None) -> str:
    return display_name(node.label, node.props) if node is not None else ""
