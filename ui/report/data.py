"""Assembling a report's content from a store: indicators, partners, exposure, method.

The result is plain data (JSON-ready dicts and lists); the HTML is rendered from exactly this,
so report.json and report.html never disagree. Every count comes from the graph.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import collabgraph
from collabgraph.graph.contract import Store
from collabgraph.graph.tiers import Tier
from collabgraph.queries.common import YearWindow
from collabgraph.queries.exposure import exposure
from collabgraph.queries.indicators import indicators
from collabgraph.queries.risk import listings_of
from collabgraph.queries.sides import Side, parse_side, side_phrase, side_researchers
from collabgraph.queries.timeline import timeline

from . import method
from .evidence import explain_contribution

REPORT_FORMAT_VERSION = 1
# Timelines are drawn for this many of the most exposed researchers and of the partners.
TIMELINES = 5

# Published figures of the Belgian Royal Military Academy study, shown only for scale next to
# the graph's own counts (never used in a calculation).
STUDY: dict[str, Any] = {
    "title": "Belgian Royal Military Academy study of Belgium–China research collaboration",
    "country": "BE",
    "partner": "CN",
    "figures": [
        {
            "year": 2023,
            "what": "BE–CN joint papers with Chinese institutions rated high or very high risk",
            "value": 1664,
        },
        {
            "year": 2016,
            "what": "BE–CN joint papers with Chinese institutions rated high or very high risk",
            "value": 812,
        },
        {
            "year": 2023,
            "what": "of those, papers in EU critical-technology areas",
            "value": 373,
        },
    ],
}

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    """No progress output."""


def build_report(
    store: Store,
    *,
    home: str | Side = "BE",
    partner: str | Side = "CN",
    years: YearWindow | None = None,
    min_tier: str = "high",
    top: int = 10,
    paths_per_researcher: int = 3,
    max_hops: int = 4,
    notes: list[str] | None = None,
    progress: Progress = _quiet,
) -> dict[str, Any]:
    """The whole report as data. ``notes`` are shown at the top (e.g. what the sample is).

    ``home`` and ``partner`` are sides (queries/sides.py) or values naming one.
    """
    ours, theirs = parse_side(store, home), parse_side(store, partner)
    floor = Tier.parse(min_tier)
    view = store.view()
    counts = view.counts()
    progress("indicators: counting joint, high-risk and critical papers per year")
    found = indicators(store, ours, theirs, years=years, min_tier=floor).as_dict()
    totals = {
        key: sum(int(r[key]) for r in found["rows"])
        for key in ("joint", "high_risk", "high_risk_critical", "before_listing")
    }
    progress("partners: reading the listings behind each institution's tier")
    partner_rows = _partners(store, found["by_partner"])
    progress(f"exposure: ranking {ours.label} researchers by the listed risk they reach")
    unavailable: list[str] = []
    researchers = _exposure(
        store, ours, floor, top, paths_per_researcher, max_hops, unavailable, progress
    )
    progress(f"timelines: per year for {TIMELINES} researchers and {TIMELINES} partners")
    ids = [r["id"] for r in researchers[:TIMELINES]] + [p["id"] for p in partner_rows[:TIMELINES]]
    timelines = [
        timeline(store, i, home=ours, partner=theirs, min_tier=floor, years=years).as_dict()
        for i in ids
    ]
    progress("method: sources, versions, tier mapping and resolution from the graph")
    return {
        "format": "collabgraph-report",
        "format_version": REPORT_FORMAT_VERSION,
        "collabgraph_version": collabgraph.__version__,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "parameters": {
            "country": ours.label,
            "partner": theirs.label,
            "home_side": ours.as_dict(),
            "partner_side": theirs.as_dict(),
            "years": list(years) if years else None,
            "min_tier": floor.label,
            "top": top,
            "max_hops": max_hops,
        },
        "notes": list(notes or []),
        "store": {
            "kind": store.kind,
            "location": store.location,
            "nodes": dict(counts.nodes),
            "relationships": dict(counts.relationships),
        },
        "study": STUDY if (ours.key, theirs.key) == (STUDY["country"], STUDY["partner"]) else None,
        "indicators": found,
        "totals": totals,
        "partners": partner_rows,
        "exposure": researchers,
        "timelines": timelines,
        "method": {
            "indicator_definitions": {
                k: v for k, v in found["parameters"].items() if isinstance(v, str)
            },
            "sources": method.sources(view),
            "tier_mapping": method.tier_mapping(view),
            "resolution": method.resolution(view),
            "exposure": {
                **method.exposure_settings(),
                "max_hops": max_hops,
                "population": f"researchers affiliated with {side_phrase(ours)}",
                "years_note": "the exposure ranking uses the whole graph; the years window "
                "applies to the indicators",
            },
            "caveats": method.caveats(side_phrase(theirs)),
        },
        "unavailable": unavailable,
    }


def _partners(store: Store, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The partner-institution breakdown with every listing behind each tier."""
    listings = listings_of(store, [r["id"] for r in rows])
    out = []
    for row in rows:
        out.append({**row, "listings": [lst.as_dict() for lst in listings.get(row["id"], [])]})
    return out


def _exposure(
    store: Store,
    side: Side,
    floor: Tier,
    top: int,
    per: int,
    max_hops: int,
    unavailable: list[str],
    progress: Progress,
) -> list[dict[str, Any]]:
    """The ``top`` home researchers by exposure, each with explained paths."""
    home = side_researchers(store, side)
    if not home:
        unavailable.append(
            f"exposure: no researcher is affiliated with {side_phrase(side)} in this graph"
        )
        return []
    # Scores first (cheap), then paths for one researcher per score: large collaborations
    # tie hundreds of co-authors on exactly the same score, and ten copies of one paper's
    # paths would hide everyone else.
    scored = exposure(
        store,
        min_tier=floor,
        top=len(home),
        paths_per_node=0,
        max_hops=max_hops,
        labels=("Researcher",),
        among=home,
    )
    groups: dict[float, list[Any]] = {}
    for found in scored:
        key = round(found.score, 6)
        if key in groups or len(groups) < top:
            groups.setdefault(key, []).append(found)
    view = store.view()
    out = []
    for i, (score, members) in enumerate(groups.items(), start=1):
        progress(f"exposure: paths and evidence for researcher {i} of {len(groups)}")
        lead = members[0]
        detail = exposure(store, lead.id, min_tier=floor, paths_per_node=per, max_hops=max_hops)[0]
        listings = listings_of(store, [c.target for c in detail.top_paths])
        out.append(
            {
                "id": lead.id,
                "name": lead.name,
                "score": score,
                "affiliations": _affiliations(store, lead.id, side),
                "tied": [{"id": m.id, "name": m.name} for m in members[1:]],
                "paths": [
                    explain_contribution(view, c, listings.get(c.target, []), floor)
                    for c in detail.top_paths
                ],
            }
        )
    return out


def _affiliations(store: Store, researcher: str, side: Side) -> list[dict[str, Any]]:
    """A researcher's institutions (id, name, country), the home side's first."""
    out = [
        {
            "id": node.id,
            "name": str(node.props.get("name") or ""),
            "country": node.props.get("country"),
            "years": rel.props.get("years") or [],
        }
        for rel, node in store.view().neighbours(
            researcher, types=["AFFILIATED_WITH"], direction="out"
        )
    ]
    return sorted(out, key=lambda a: (not side.holds(a["id"], a["country"]), a["name"], a["id"]))
