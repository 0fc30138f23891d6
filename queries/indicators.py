"""indicators: the yearly table of joint, high-risk and critical-technology papers.

Definitions (the same on both stores; the method is part of the output):

* an institution is **on** a paper when an author of the paper is AFFILIATED_WITH it and that
  affiliation lists the paper in its ``evidence_papers`` (a researcher's other affiliations
  do not count for this paper);
* a *side* (``home``, ``partner``) is a country or an institution with every unit PART_OF it
  at any depth (queries/sides.py); a paper is **joint** when an institution of the home side
  and one of the partner side (not also of the home side) are on it;
* it is **high risk** when at least one partner institution on it is LISTED_ON a list at or
  above ``min_tier``, itself or through PART_OF (up to three levels up, e.g. a lab of a listed
  university). Only list assertions count here, so every count names its list and tier, the
  institution holding the listing and the partner unit on the paper (``by_list``), and for an
  institution side the home and partner units behind each count (``by_unit``);
* it is **high risk, critical** when it is also tagged (CONCERNS) with a critical technology;
* it is **before listing** when its year is earlier than every qualifying listing of its
  partner institutions (fiscal year, else the as-of year): counted, but shown apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from collabgraph.graph.contract import GraphView, Store
from collabgraph.graph.records import Node
from collabgraph.graph.risk import Listing, YearWindow, tier_of
from collabgraph.graph.tiers import Tier

from .on_paper import PART_OF_LEVELS, inherited_listings, is_before_listing
from .sides import Side, parse_side


@dataclass(frozen=True)
class PartnerOnPaper:
    id: str
    name: str
    listings: tuple[Listing, ...]  # its own and its PART_OF ancestors', any tier


@dataclass(frozen=True)
class JointPaper:
    id: str
    year: int | None
    partners: tuple[PartnerOnPaper, ...]
    technologies: tuple[tuple[str, str, str | None], ...]  # id, name, code
    home: tuple[tuple[str, str], ...] = ()  # home units on it (id, name), institution sides only


@dataclass
class Indicators:
    rows: list[dict[str, Any]] = field(default_factory=list)
    by_technology: list[dict[str, Any]] = field(default_factory=list)
    by_partner: list[dict[str, Any]] = field(default_factory=list)
    by_list: list[dict[str, Any]] = field(default_factory=list)
    by_unit: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "by_technology": self.by_technology,
            "by_partner": self.by_partner,
            "by_list": self.by_list,
            "by_unit": self.by_unit,
            "parameters": self.parameters,
        }


def indicators(
    store: Store,
    home: str | Side = "BE",
    partner: str | Side = "CN",
    *,
    years: YearWindow | None = None,
    min_tier: str | Tier = "high",
) -> Indicators:
    """Per year: joint papers, high-risk ones, high-risk in critical technology; breakdowns.

    ``home`` and ``partner`` are sides or option values naming one (a country code or name,
    an institution id or name); an unknown value raises :class:`~.sides.UnknownSide`.
    """
    floor = Tier.parse(min_tier) if isinstance(min_tier, str) else min_tier
    ours, theirs = parse_side(store, home), parse_side(store, partner)
    papers = joint_papers(store.view(), ours, theirs, years)
    result = _aggregate(papers, floor, partner_units=theirs.is_institution)
    result.parameters = {
        "country": ours.key,
        "partner": theirs.key,
        "home_side": ours.as_dict(),
        "partner_side": theirs.as_dict(),
        "years": list(years) if years else None,
        "min_tier": floor.label,
        "joint": "authors of the paper are affiliated, with the paper as evidence, with an "
        f"institution of {_phrase(ours)} and with another of {_phrase(theirs)}",
        "high_risk": f"an institution of {_phrase(theirs)} on the paper, or an institution it is "
        f"part of (up to {PART_OF_LEVELS} levels), is listed at tier {floor.label} or above",
        "high_risk_critical": "high risk and tagged with a critical technology",
        "before_listing": "high-risk papers dated before every qualifying listing",
    }
    return result


def _phrase(side: Side) -> str:
    """The side in a definition: ``CN``, or the institution and how many units it holds."""
    if not side.is_institution:
        return side.key
    return f"{side.label} or a unit PART_OF it at any depth ({len(side.units)} institutions)"


def _aggregate(
    papers: Iterable[JointPaper], floor: Tier, partner_units: bool = False
) -> Indicators:
    """The yearly rows and the breakdowns; ``partner_units`` adds partner rows to ``by_unit``."""
    rows: dict[int | None, dict[str, Any]] = {}
    techs: dict[str, dict[str, Any]] = {}
    partners: dict[str, dict[str, Any]] = {}
    lists: dict[tuple[str, str], dict[str, Any]] = {}
    units: dict[tuple[str, str], dict[str, Any]] = {}
    for paper in sorted(papers, key=lambda p: p.id):
        row = rows.setdefault(paper.year, {"year": paper.year, **_zero(ALL)})
        qualifying = [
            (p.id, lst) for p in paper.partners for lst in p.listings if tier_of(lst.tier) >= floor
        ]
        high = bool(qualifying)
        critical = high and bool(paper.technologies)
        before = is_before_listing(paper.year, [lst for _, lst in qualifying])
        _add(row, high, critical, before)
        for tid, name, code in paper.technologies:
            keys = ("joint", "high_risk", "before_listing")
            t = techs.setdefault(tid, {"id": tid, "name": name, "code": code, **_zero(keys)})
            _add(t, high, critical, before)
        for p in paper.partners:
            own = [lst for lst in p.listings if tier_of(lst.tier) >= floor]
            labels = sorted({_list_label(lst, p.id) for lst in own})
            flags = (bool(own), bool(own) and critical, bool(own) and before)
            entry = partners.setdefault(
                p.id,
                {
                    "id": p.id,
                    "name": p.name,
                    "tier": _tier(p.listings).label,
                    "lists": labels,
                    **_zero(ALL),
                },
            )
            _add(entry, *flags)
            if partner_units:
                unit = units.setdefault(("partner", p.id), _unit("partner", p.id, p.name))
                _add(unit, *flags)
                unit["lists"].update(labels)
                unit["held_by"].update(lst.institution for lst in own)
        for uid, name in paper.home:
            unit = units.setdefault(("home", uid), _unit("home", uid, name))
            _add(unit, high, critical, before)
            unit["lists"].update(f"{lst.list_name} ({lst.tier})" for _, lst in qualifying)
            unit["held_by"].update(lst.institution for _, lst in qualifying)
        for key in sorted({(lst.list_id, lst.tier) for _, lst in qualifying}):
            found = [(pid, lst) for pid, lst in qualifying if (lst.list_id, lst.tier) == key]
            item = lists.setdefault(
                key,
                {
                    "list": key[0],
                    "list_name": found[0][1].list_name,
                    "tier": key[1],
                    **_zero(ALL[1:]),
                    "held_by": set(),
                    "units": set(),
                },
            )
            _add(item, True, critical, before)
            item["held_by"].update(lst.institution for _, lst in found)
            item["units"].update(pid for pid, _ in found)
    return Indicators(
        rows=sorted(rows.values(), key=lambda r: (r["year"] is None, r["year"] or 0)),
        by_technology=sorted(techs.values(), key=lambda t: (-t["high_risk"], -t["joint"], t["id"])),
        by_partner=sorted(partners.values(), key=lambda p: (-p["high_risk"], -p["joint"], p["id"])),
        by_list=sorted(
            (_sorted_sets(x) for x in lists.values()),
            key=lambda x: (-x["high_risk"], x["list"], x["tier"]),
        ),
        by_unit=sorted(
            (_sorted_sets(u) for u in units.values()),
            key=lambda u: (u["side"], -u["high_risk"], -u["joint"], u["id"]),
        ),
    )


ALL = ("joint", "high_risk", "high_risk_critical", "before_listing")


def _zero(keys: Iterable[str]) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


def _add(entry: dict[str, Any], high: bool, critical: bool, before: bool) -> None:
    """One more paper (joint) with these flags, on the counters ``entry`` has."""
    for key, value in zip(ALL, (True, high, critical, before), strict=True):
        if key in entry:
            entry[key] += value


def _unit(side: str, uid: str, name: str) -> dict[str, Any]:
    """An empty ``by_unit`` row: a unit of an institution side, the lists behind its high-risk
    papers and the institutions holding those listings."""
    return {"side": side, "id": uid, "name": name, **_zero(ALL), "lists": set(), "held_by": set()}


def _sorted_sets(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if isinstance(v, set) else v for k, v in entry.items()}


def _tier(listings: Iterable[Listing]) -> Tier:
    return max((tier_of(lst.tier) for lst in listings), default=Tier.NONE)


def _list_label(lst: Listing, partner: str) -> str:
    """``LIST (tier)``, with ``via HOLDER`` when another institution than ``partner`` holds it."""
    via = f" via {lst.institution}" if lst.institution != partner else ""
    return f"{lst.list_name} ({lst.tier}){via}"


def joint_papers(
    view: GraphView, home: Side, partner: Side, years: YearWindow | None
) -> list[JointPaper]:
    """The joint papers in the window, each with its partner institutions and technologies.

    Only the sides' countries are read (an institution side's are its units' countries).
    """
    papers = []
    for found in view.paper_institutions(sorted(home.countries | partner.countries), years):
        ours = [i for i, c in found.institutions if home.holds(i, c)]
        theirs = [i for i, c in found.institutions if partner.holds(i, c) and i not in ours]
        if ours and theirs:
            papers.append((found, ours, theirs))
    partner_ids = sorted({i for _, _, theirs in papers for i in theirs})
    home_ids = {i for _, ours, _ in papers for i in ours} if home.is_institution else set()
    inherited = inherited_listings(view, partner_ids)
    names = view.get_nodes({*partner_ids, *home_ids})
    concerns = view.links([p.id for p, _, _ in papers], "CONCERNS", "out")
    tech_nodes = view.get_nodes({r.end for rels in concerns.values() for r in rels})
    out = []
    for paper, ours, theirs in papers:
        partners = tuple(PartnerOnPaper(i, _name(names.get(i)), inherited[i]) for i in theirs)
        techs = sorted(
            (r.end, _name(tech_nodes.get(r.end)), _code(tech_nodes.get(r.end)))
            for r in concerns.get(paper.id, [])
        )
        units = tuple((i, _name(names.get(i))) for i in ours if i in home_ids)
        out.append(JointPaper(paper.id, paper.year, partners, tuple(techs), units))
    return out


def _name(node: Node | None) -> str:
    return str(node.props.get("name") or "") if node is not None else ""


def _code(node: Node | None) -> str | None:
    code = node.props.get("code") if node is not None else None
    return code if isinstance(code, str) else None
