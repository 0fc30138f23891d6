"""team: a proposal team's look-back, as a security office reviews key personnel.

For each person of the team (an ORCID, an OpenAlex author id, or a name with an institution;
see :mod:`queries.team_people` for how a row becomes a researcher), over the calendar years
of the look-back window:

* **co-authorship** findings: a paper of the person, in the window, with a co-author who was
  affiliated *on that paper* (the affiliation lists it in ``evidence_papers``) with a listed
  institution, or with a unit of one (PART_OF upwards only, up to
  :data:`~queries.on_paper.PART_OF_LEVELS` levels as in indicators: a unit of a listed parent
  is linked to the parent, a parent is not linked to its listed units);
* **affiliation** findings: the person's own affiliations in the window with such an
  institution;
* **context**: the shortest indirect paths to listed institutions within ``max_hops``
  (:func:`queries.paths.paths_to_risk`) that end at an institution no finding names and never
  walk PART_OF downwards (from an academy to one of its institutes). They are leads for a
  reader, not findings;
* the person's papers per year in the window.

A listing counts when its tier is at or above ``min_tier`` and its list is among ``lists``
(all lists by default). Each finding says whether its paper predates the listing: the paper's
year is earlier than the listing's year (fiscal year, else as-of year).

The window: ``--years N`` counted back from ``as_of`` takes every calendar year that overlaps
those N years, so five years back from 2026-12-03 is 2021–2026. Papers carry a year, not a
date, and a window that cut off the first year would miss a collaboration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.errors import BadInput, CollabgraphError
from collabgraph.graph.records import Node
from collabgraph.graph.risk import Listing, tier_of
from collabgraph.graph.tiers import Tier

from .on_paper import PART_OF_LEVELS, holders
from .paths import RiskPath, paths_to_risk
from .risk_lists import RiskListInfo, select_lists
from .team_people import Member, Resolution, resolve_members

CONTEXT_PATHS = 5
DEFAULT_MAX_HOPS = 4

Basis = Literal["co-authorship", "affiliation"]


@dataclass(frozen=True)
class Window:
    """The calendar years a look-back of ``years`` from ``as_of`` overlaps."""

    first: int
    last: int
    years: int
    as_of: date

    def __contains__(self, year: object) -> bool:
        return isinstance(year, int) and self.first <= year <= self.last

    def as_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "last": self.last,
            "years": self.years,
            "as_of": self.as_of.isoformat(),
        }


def look_back(years: int, as_of: date) -> Window:
    """The window of ``years`` back from ``as_of``; fewer than one year is refused."""
    if years < 1:
        raise BadInput(f"--years {years}: the look-back must be at least 1 year")
    return Window(as_of.year - years, as_of.year, years, as_of)


@dataclass(frozen=True)
class PaperRef:
    id: str
    title: str | None
    doi: str | None
    year: int | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "doi": self.doi, "year": self.year}


@dataclass(frozen=True)
class ListedVia:
    """A listing that makes an institution count: its own, or that of an institution above it."""

    institution: tuple[str, str]  # (id, name) of the listed institution
    listing: Listing

    def as_dict(self) -> dict[str, Any]:
        return {
            "listed_institution": _pair(self.institution),
            **self.listing.as_dict(),
            "year": self.listing.year,
        }


@dataclass(frozen=True)
class Finding:
    """One reason the person falls under the review, with the evidence behind it: a paper
    shared with co-authors at a listed institution, or the person's own affiliation."""

    basis: Basis
    papers: tuple[PaperRef, ...]  # the shared paper, or the affiliation's papers in the window
    institution: tuple[str, str]  # (id, name) the affiliation names
    listings: tuple[ListedVia, ...]  # strongest first
    coauthors: tuple[tuple[str, str], ...] = ()  # (id, name), for a co-authorship

    @property
    def first_listed(self) -> int | None:
        years = [x.listing.year for x in self.listings if x.listing.year is not None]
        return min(years) if years else None

    @property
    def predates_listing(self) -> bool | None:
        """Every paper behind the finding is older than every listing (None: undated)."""
        listed = self.first_listed
        years = [p.year for p in self.papers]
        if listed is None or not years or any(y is None for y in years):
            return None
        return all(y is not None and y < listed for y in years)

    @property
    def top(self) -> ListedVia:
        return self.listings[0]

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.basis,
            "papers": [p.as_dict() for p in self.papers],
            "coauthors": [_pair(c) for c in self.coauthors],
            "institution": _pair(self.institution),
            "listings": [x.as_dict() for x in self.listings],
            "first_listed": self.first_listed,
            "predates_listing": self.predates_listing,
        }


@dataclass
class PersonReview:
    member: Member
    resolution: Resolution
    findings: list[Finding] = field(default_factory=list)
    context: list[dict[str, Any]] = field(default_factory=list)
    papers_per_year: list[dict[str, int]] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.resolution.status != "found":
            return self.resolution.status
        return "finding" if self.findings else "no finding in the window"

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": self.member.as_dict(),
            "status": self.status,
            "resolution": self.resolution.as_dict(),
            "findings": [f.as_dict() for f in self.findings],
            "context": self.context,
            "papers_per_year": self.papers_per_year,
        }


@dataclass
class TeamReview:
    people: list[PersonReview]
    window: Window
    lists: list[RiskListInfo]
    parameters: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "parameters": self.parameters,
            "window": self.window.as_dict(),
            "lists": [x.as_dict() for x in self.lists],
            "people": [p.as_dict() for p in self.people],
        }


def review_team(
    store: Store,
    members: Sequence[Member],
    *,
    years: int = 5,
    as_of: date | None = None,
    lists: Sequence[str] | None = None,
    min_tier: str | Tier = "high",
    max_hops: int = DEFAULT_MAX_HOPS,
) -> TeamReview:
    """Review each member over the look-back window; see the module docstring."""
    floor = Tier.parse(min_tier) if isinstance(min_tier, str) else min_tier
    if floor == Tier.NONE:
        raise BadInput("--min-tier none would make every institution a finding; use low or above")
    window = look_back(years, as_of or date.today())
    view = store.view()
    chosen = select_lists(view, lists)
    if not chosen:
        raise CollabgraphError(
            f"{store.location}: the store holds no risk list, so a review would find nothing; "
            "ingest the lists first (see collabgraph ingest --help)"
        )
    list_ids = {x.id for x in chosen}
    people = []
    for member, resolution in zip(members, resolve_members(view, members), strict=True):
        person = PersonReview(member, resolution)
        if resolution.researcher is not None:
            rid = resolution.researcher
            papers = _papers_in_window(view, rid, window)
            person.findings = _findings(view, rid, papers, window, floor, list_ids)
            person.papers_per_year = _per_year(papers, person.findings, window)
            person.context = _context(
                store, rid, person.findings, window, floor, max_hops, list_ids
            )
        people.append(person)
    parameters = {
        "years": years,
        "as_of": window.as_of.isoformat(),
        "window": f"{window.first}–{window.last}",
        "lists": [x.name for x in chosen],
        "min_tier": floor.label,
        "max_hops": max_hops,
        "part_of_levels": PART_OF_LEVELS,
    }
    return TeamReview(people, window, chosen, parameters)


def _papers_in_window(view: GraphView, researcher: str, window: Window) -> dict[str, PaperRef]:
    authored = view.links([researcher], "AUTHORED", "out").get(researcher, [])
    nodes = view.get_nodes({r.end for r in authored})
    refs = (_paper_ref(node) for node in nodes.values() if node.props.get("year") in window)
    return {ref.id: ref for ref in sorted(refs, key=lambda p: p.id)}


def _per_year(
    papers: dict[str, PaperRef], findings: list[Finding], window: Window
) -> list[dict[str, int]]:
    """Per year of the window: papers, those behind a finding, and of those the ones that
    predate every listing of every finding they are behind."""
    behind: dict[str, list[bool | None]] = {}
    for f in findings:
        for p in f.papers:
            behind.setdefault(p.id, []).append(f.predates_listing)
    rows = {
        y: {"year": y, "papers": 0, "with_finding": 0, "before_listing": 0}
        for y in range(window.first, window.last + 1)
    }
    for paper in papers.values():
        if isinstance(paper.year, int) and paper.year in rows:
            row = rows[paper.year]
            row["papers"] += 1
            if paper.id in behind:
                row["with_finding"] += 1
                row["before_listing"] += all(x is True for x in behind[paper.id])
    return list(rows.values())


def _findings(
    view: GraphView,
    researcher: str,
    papers: dict[str, PaperRef],
    window: Window,
    floor: Tier,
    list_ids: set[str],
) -> list[Finding]:
    # (co-author or None for the person, paper or None, institution) the person is tied to.
    ties: list[tuple[str | None, str | None, str]] = []
    authors = view.links(list(papers), "AUTHORED", "in")
    coauthors = {r.start for rels in authors.values() for r in rels} - {researcher}
    affiliations = view.links(sorted(coauthors | {researcher}), "AFFILIATED_WITH", "out")
    for paper_id in papers:
        for rel in authors.get(paper_id, []):
            if rel.start == researcher:
                continue
            for aff in affiliations.get(rel.start, []):
                if paper_id in (aff.props.get("evidence_papers") or []):
                    ties.append((rel.start, paper_id, aff.end))
    own: dict[str, tuple[PaperRef, ...]] = {}
    for aff in affiliations.get(researcher, []):
        evidence = tuple(papers[p] for p in aff.props.get("evidence_papers") or [] if p in papers)
        if evidence or any(y in window for y in aff.props.get("years") or []):
            own[aff.end] = evidence
            ties.append((None, None, aff.end))
    institutions = {inst for _, _, inst in ties}
    ancestors = holders(view, institutions)
    listed = view.listings({a for found in ancestors.values() for a in found})
    names = view.get_nodes(institutions | coauthors | set(listed))
    grouped: dict[tuple[str | None, str], set[str]] = {}
    for coauthor, shared, inst in ties:
        people = grouped.setdefault((shared, inst), set())
        if coauthor is not None:
            people.add(coauthor)
    found = []
    for (shared, inst), people in grouped.items():
        qualifying = sorted(
            (
                (listing, holder)
                for holder in ancestors[inst]
                for listing in listed.get(holder, [])
                if tier_of(listing.tier) >= floor and listing.list_id in list_ids
            ),
            key=lambda pair: (*pair[0].sort_key(), pair[1]),
        )
        if not qualifying:
            continue
        found.append(
            Finding(
                basis="affiliation" if shared is None else "co-authorship",
                papers=own[inst] if shared is None else (papers[shared],),
                institution=(inst, _name(names.get(inst))),
                listings=tuple(ListedVia((h, _name(names.get(h))), x) for x, h in qualifying),
                coauthors=tuple((c, _name(names.get(c))) for c in sorted(people)),
            )
        )
    return sorted(found, key=_finding_key)


def _finding_key(f: Finding) -> tuple[Any, ...]:
    first = f.papers[0] if f.papers else None
    return (
        f.basis != "affiliation",
        -(first.year or 0) if first else 0,
        first.id if first else "",
        f.institution[0],
    )


def _context(
    store: Store,
    researcher: str,
    findings: list[Finding],
    window: Window,
    floor: Tier,
    max_hops: int,
    list_ids: set[str],
) -> list[dict[str, Any]]:
    """Indirect paths to listed institutions no finding names: leads, not findings."""
    if max_hops < 1:
        return []
    named = {x.institution[0] for f in findings for x in f.listings}
    named |= {f.institution[0] for f in findings}
    paths = paths_to_risk(
        store,
        researcher,
        max_hops=max_hops,
        min_tier=floor,
        years=(window.first, window.last),
        limit=CONTEXT_PATHS * 4,
    )
    ends = {_end(path): path for path in paths}
    listed = store.view().listings(ends)
    wanted = {
        inst
        for inst, found in listed.items()
        if any(x.list_id in list_ids and tier_of(x.tier) >= floor for x in found)
    }
    kept = [p for p in paths if _end(p) in wanted and _end(p) not in named and not p.is_context]
    return [p.as_dict() | {"context": True} for p in kept[:CONTEXT_PATHS]]


def _end(path: RiskPath) -> str:
    """The institution a path reaches (the node before its closing RiskList)."""
    last = path.nodes[-1]
    return path.nodes[-2].id if last.label == "RiskList" and len(path.nodes) > 1 else last.id


def _paper_ref(node: Node) -> PaperRef:
    year = node.props.get("year")
    return PaperRef(
        node.id,
        _text(node.props.get("title")),
        _text(node.props.get("doi")),
        year if isinstance(year, int) else None,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _name(node: Node | None) -> str:
    return str(node.props.get("name") or node.id) if node is not None else ""


def _pair(pair: tuple[str, str] | None) -> dict[str, str] | None:
    return None if pair is None else {"id": pair[0], "name": pair[1]}
