"""indicators: the yearly table of joint, high-risk and critical-technology papers.

Definitions (the same on both stores; the method is part of the output):

* an institution is **on** a paper when an author of the paper is AFFILIATED_WITH it and that
  affiliation lists the paper in its ``evidence_papers`` (a researcher's other affiliations
  do not count for this paper);
* a paper is **joint** when institutions of ``country`` and of ``partner`` are both on it;
* it is **high risk** when at least one ``partner`` institution on it is LISTED_ON a list at or
  above ``min_tier``, itself or through PART_OF (up to three levels up, e.g. a lab of a listed
  university). Only list assertions count here, so every count names its list and tier;
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

from .on_paper import PART_OF_LEVELS, inherited_listings, is_before_listing, qualifying


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


@dataclass
class Indicators:
    rows: list[dict[str, Any]] = field(default_factory=list)
    by_technology: list[dict[str, Any]] = field(default_factory=list)
    by_partner: list[dict[str, Any]] = field(default_factory=list)
    by_list: list[dict[str, Any]] = field(default_factory=list)
    parameters: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "by_technology": self.by_technology,
            "by_partner": self.by_partner,
            "by_list": self.by_list,
            "parameters": self.parameters,
        }


def indicators(
    store: Store,
    country: str = "BE",
    partner: str = "CN",
    *,
    years: YearWindow | None = None,
    min_tier: str | Tier = "high",
) -> Indicators:
    """Per year: joint papers, high-risk ones, high-risk in critical technology; breakdowns."""
    floor = Tier.parse(min_tier) if isinstance(min_tier, str) else min_tier
    country, partner = country.strip().upper(), partner.strip().upper()
    result = _aggregate(_joint_papers(store.view(), country, partner, years), floor)
    result.parameters = {
        "country": country,
        "partner": partner,
        "years": list(years) if years else None,
        "min_tier": floor.label,
        "joint": "an author of the paper is affiliated, with the paper as evidence, with an "
        "institution of each country",
        "high_risk": f"a {partner} institution on the paper, or an institution it is part of "
        f"(up to {PART_OF_LEVELS} levels), is listed at tier {floor.label} or above",
        "high_risk_critical": "high risk and tagged with a critical technology",
        "before_listing": "high-risk papers dated before every qualifying listing",
    }
    return result


def _aggregate(papers: Iterable[JointPaper], floor: Tier) -> Indicators:
    rows: dict[int | None, dict[str, Any]] = {}
    techs: dict[str, dict[str, Any]] = {}
    partners: dict[str, dict[str, Any]] = {}
    lists: dict[tuple[str, str], dict[str, Any]] = {}
    for paper in sorted(papers, key=lambda p: p.id):
        row = rows.setdefault(
            paper.year,
            {
                "year": paper.year,
                "joint": 0,
                "high_risk": 0,
                "high_risk_critical": 0,
                "before_listing": 0,
            },
        )
        listed = qualifying((lst for p in paper.partners for lst in p.listings), floor)
        high = bool(listed)
        critical = high and bool(paper.technologies)
        before = is_before_listing(paper.year, listed)
        row["joint"] += 1
        row["high_risk"] += high
        row["high_risk_critical"] += critical
        row["before_listing"] += before
        for tid, name, code in paper.technologies:
            t = techs.setdefault(
                tid,
                {
                    "id": tid,
                    "name": name,
                    "code": code,
                    "joint": 0,
                    "high_risk": 0,
                    "before_listing": 0,
                },
            )
            t["joint"] += 1
            t["high_risk"] += high
            t["before_listing"] += before
        for p in paper.partners:
            own = qualifying(p.listings, floor)
            entry = partners.setdefault(
                p.id,
                {
                    "id": p.id,
                    "name": p.name,
                    "tier": _tier(p.listings).label,
                    "lists": sorted({_list_label(lst, p.id) for lst in own}),
                    "joint": 0,
                    "high_risk": 0,
                    "high_risk_critical": 0,
                    "before_listing": 0,
                },
            )
            entry["joint"] += 1
            entry["high_risk"] += bool(own)
            entry["high_risk_critical"] += bool(own) and critical
            entry["before_listing"] += bool(own) and before
        for key in sorted({(lst.list_id, lst.tier) for lst in listed}):
            name = next(lst.list_name for lst in listed if (lst.list_id, lst.tier) == key)
            item = lists.setdefault(
                key,
                {
                    "list": key[0],
                    "list_name": name,
                    "tier": key[1],
                    "high_risk": 0,
                    "high_risk_critical": 0,
                    "before_listing": 0,
                },
            )
            item["high_risk"] += 1
            item["high_risk_critical"] += critical
            item["before_listing"] += before
    return Indicators(
        rows=sorted(rows.values(), key=lambda r: (r["year"] is None, r["year"] or 0)),
        by_technology=sorted(techs.values(), key=lambda t: (-t["high_risk"], -t["joint"], t["id"])),
        by_partner=sorted(partners.values(), key=lambda p: (-p["high_risk"], -p["joint"], p["id"])),
        by_list=sorted(lists.values(), key=lambda x: (-x["high_risk"], x["list"], x["tier"])),
    )


def _tier(listings: Iterable[Listing]) -> Tier:
    return max((tier_of(lst.tier) for lst in listings), default=Tier.NONE)


def _list_label(lst: Listing, partner: str) -> str:
    via = f" via {lst.institution}" if lst.institution != partner else ""
    return f"{lst.list_name} ({lst.tier}){via}"


def _joint_papers(
    view: GraphView, country: str, partner: str, years: YearWindow | None
) -> list[JointPaper]:
    """The joint papers in the window, each with its partner institutions and technologies."""
    papers = [
        p
        for p in view.paper_institutions(sorted({country, partner}), years)
        if {country, partner} <= {c for _, c in p.institutions}
    ]
    partner_ids = sorted({i for p in papers for i, c in p.institutions if c == partner})
    inherited = inherited_listings(view, partner_ids)
    names = view.get_nodes(partner_ids)
    concerns = view.links([p.id for p in papers], "CONCERNS", "out")
    tech_nodes = view.get_nodes({r.end for rels in concerns.values() for r in rels})
    out = []
    for paper in papers:
        partners = tuple(
            PartnerOnPaper(i, _name(names.get(i)), inherited[i])
            for i, c in paper.institutions
            if c == partner
        )
        techs = sorted(
            (r.end, _name(tech_nodes.get(r.end)), _code(tech_nodes.get(r.end)))
            for r in concerns.get(paper.id, [])
        )
        out.append(JointPaper(paper.id, paper.year, partners, tuple(techs)))
    return out


def _name(node: Node | None) -> str:
    return str(node.props.get("name") or "") if node is not None else ""


def _code(node: Node | None) -> str | None:
    code = node.props.get("code") if node is not None else None
    return code if isinstance(code, str) else None
