"""What the workbench pages show, as plain functions of a store (no streamlit here).

Pages collect input, call these functions and draw the result; the functions call ``queries/``
and ``graph/``. Queries that another part of the project has not delivered yet are looked up at
call time (:func:`optional`), so a page can say "not available yet" instead of failing or
pretending.
"""

from __future__ import annotations

import csv
import importlib
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from collabgraph.graph.contract import Store, Subgraph
from collabgraph.graph.errors import NodeNotFound
from collabgraph.graph.ids import normalise_key
from collabgraph.graph.records import Node
from collabgraph.graph.tiers import Tier
from collabgraph.queries.common import Listing, display_name, effective_tier
from collabgraph.queries.find import NAME_PROPS, id_candidates
from collabgraph.queries.risk import listings_of

SEARCH_LABELS = ("Researcher", "Institution")
# Identifier properties shown on a profile, in this order.
IDENTIFIERS = ("id", "orcid", "openalex_id", "ror_id", "doi", "code")


class NotAvailable(Exception):
    """A query the page needs has not been delivered yet (its module or function is missing)."""


def optional(module: str, name: str) -> Callable[..., Any]:
    """``collabgraph.queries.<module>.<name>``, or :class:`NotAvailable` naming what is missing."""
    try:
        mod = importlib.import_module(f"collabgraph.queries.{module}")
    except ImportError:
        raise NotAvailable(f"collabgraph.queries.{module} is not available yet") from None
    found = getattr(mod, name, None)
    if not callable(found):
        raise NotAvailable(f"collabgraph.queries.{module}.{name} is not available yet")
    return found  # type: ignore[no-any-return]


@dataclass(frozen=True)
class SearchHit:
    """A researcher or institution matching a search, with its tier and counts."""

    id: str
    label: str
    name: str
    score: float
    tier: str
    tier_note: str
    counts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "name": self.name,
            "score": round(self.score, 1),
            "tier": self.tier,
            "tier_note": self.tier_note,
            **self.counts,
        }


@dataclass(frozen=True)
class NameIndex:
    """Every searchable name: (normalised name, node id, label, display name)."""

    keys: list[str]
    entries: list[tuple[str, str, str]]


def name_index(store: Store, labels: Iterable[str] = SEARCH_LABELS) -> NameIndex:
    """All names, aliases and variants of the nodes with ``labels`` (read through the contract)."""
    keys: list[str] = []
    entries: list[tuple[str, str, str]] = []
    view = store.view()
    for label in labels:
        for node in view.iter_nodes(label):
            shown = display_name(node.label, node.props) or node.id
            names: list[str] = []
            for prop in NAME_PROPS:
                value = node.props.get(prop)
                names.extend(value if isinstance(value, list) else [value] if value else [])
            for name in dict.fromkeys(str(n) for n in names):
                keys.append(normalise_key(name))
                entries.append((node.id, node.label, shown))
    return NameIndex(keys, entries)


def _counts(store: Store, node: Node) -> dict[str, int]:
    by_type = Counter(rel.type for rel, _ in store.view().neighbours(node.id))
    if node.label == "Researcher":
        return {
            "papers": by_type["AUTHORED"],
            "institutions": by_type["AFFILIATED_WITH"],
            "co_authors": by_type["CO_AUTHORED"],
        }
    return {
        "researchers": by_type["AFFILIATED_WITH"],
        "listings": by_type["LISTED_ON"],
        "military_links": by_type["MILITARY_LINK"],
    }


def tier_of_node(store: Store, node: Node) -> tuple[Tier, str]:
    """An institution's effective tier; a researcher's is the highest of their institutions."""
    if node.label == "Institution":
        listings = listings_of(store, [node.id]).get(node.id, [])
        tier = effective_tier(listings, node.props.get("tier"))
        note = f"{len(listings)} listing(s)" if listings else ""
        return tier, note
    if node.label == "Researcher":
        insts = [
            other
            for rel, other in store.view().neighbours(node.id, types=["AFFILIATED_WITH"])
            if other.label == "Institution"
        ]
        found = listings_of(store, [i.id for i in insts])
        best = Tier.NONE
        via = ""
        for inst in insts:
            tier = effective_tier(found.get(inst.id, []), inst.props.get("tier"))
            if tier > best:
                best, via = tier, display_name("Institution", inst.props)
        return best, (f"via affiliation: {via}" if via else "")
    return Tier.NONE, ""


def search(
    store: Store, text: str, *, index: NameIndex | None = None, limit: int = 20
) -> list[SearchHit]:
    """Researchers and institutions whose names match ``text`` (ids too), best first."""
    query = text.strip()
    if not query:
        return []
    view = store.view()
    scored: dict[str, tuple[float, str, str]] = {}
    for candidate in id_candidates(query):
        node = view.get_node(candidate)
        if node is not None and node.label in SEARCH_LABELS:
            scored[node.id] = (100.0, node.label, display_name(node.label, node.props))
    index = index if index is not None else name_index(store)
    hits = process.extract(
        normalise_key(query), index.keys, scorer=fuzz.WRatio, limit=limit * 5, score_cutoff=60
    )
    for _, score, position in hits:
        node_id, label, shown = index.entries[position]
        if node_id not in scored or score > scored[node_id][0]:
            scored[node_id] = (float(score), label, shown)
    # Equal scores are common ("Harbin" is in many names): the better-connected node first.
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[1][2], item[0]))
    ranked = ranked[: limit * 2]
    nodes = view.get_nodes([node_id for node_id, _ in ranked])
    out = []
    for node_id, (score, label, shown) in ranked:
        node = nodes.get(node_id)
        if node is None:
            continue
        tier, note = tier_of_node(store, node)
        out.append(SearchHit(node_id, label, shown, score, tier.label, note, _counts(store, node)))
    out.sort(key=lambda h: (-h.score, -sum(h.counts.values()), h.name, h.id))
    return out[:limit]


@dataclass(frozen=True)
class Affiliation:
    institution: str
    name: str
    country: str
    years: list[int]
    method: str
    score: float | None
    tier: str
    evidence_papers: list[str]


@dataclass
class Profile:
    """Everything the profile page shows about one researcher or institution."""

    node: Node
    name: str
    identifiers: dict[str, str]
    tier: str
    tier_note: str
    listings: list[Listing] = field(default_factory=list)
    listing_links: dict[str, str] = field(default_factory=dict)
    affiliations: list[Affiliation] = field(default_factory=list)
    members: list[tuple[str, str, list[int]]] = field(default_factory=list)
    military_links: list[tuple[str, str, str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def get_node(store: Store, node_id: str) -> Node:
    node = store.view().get_node(node_id)
    if node is None:
        raise NodeNotFound(f"no node has id {node_id!r}: search for it by name instead")
    return node


def profile(store: Store, node_id: str) -> Profile:
    """Identifiers, tier with every listing, affiliations over time and military links."""
    node = get_node(store, node_id)
    view = store.view()
    ids = {"id": node.id}
    ids.update({k: str(node.props[k]) for k in IDENTIFIERS[1:] if node.props.get(k)})
    tier, note = tier_of_node(store, node)
    result = Profile(node, display_name(node.label, node.props) or node.id, ids, tier.label, note)
    result.counts = _counts(store, node) if node.label in SEARCH_LABELS else {}
    neighbours = view.neighbours(node.id)
    if node.label == "Institution":
        result.listings = listings_of(store, [node.id]).get(node.id, [])
        result.listing_links = _listing_links(neighbours, node.id)
        for rel, other in neighbours:
            if rel.type == "AFFILIATED_WITH" and other.label == "Researcher":
                years = sorted(rel.props.get("years") or [])
                result.members.append((other.id, display_name(other.label, other.props), years))
            elif rel.type in ("MILITARY_LINK", "PART_OF") and other.label == "Institution":
                direction = "to" if rel.start == node.id else "from"
                kind = str(rel.props.get("kind") or rel.type.lower())
                other_name = display_name(other.label, other.props)
                result.military_links.append((kind, direction, other.id, other_name))
        result.members.sort(key=lambda m: (-(m[2][-1] if m[2] else 0), m[1]))
    if node.label == "Researcher":
        insts = [(rel, other) for rel, other in neighbours if rel.type == "AFFILIATED_WITH"]
        found = listings_of(store, [other.id for _, other in insts])
        for rel, other in insts:
            t = effective_tier(found.get(other.id, []), other.props.get("tier"))
            score = rel.props.get("score")
            result.affiliations.append(
                Affiliation(
                    institution=other.id,
                    name=display_name(other.label, other.props),
                    country=str(other.props.get("country") or ""),
                    years=sorted(rel.props.get("years") or []),
                    method=str(rel.props.get("method") or ""),
                    score=float(score) if isinstance(score, int | float) else None,
                    tier=t.label,
                    evidence_papers=list(rel.props.get("evidence_papers") or []),
                )
            )
        result.affiliations.sort(key=lambda a: (a.years[:1] or [9999], a.name))
    return result


def safe_url(value: Any) -> str:
    """``value`` if it is an http(s) URL, else "" (a ``javascript:`` link must never be shown)."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def _listing_links(neighbours: list[tuple[Any, Node]], node_id: str) -> dict[str, str]:
    """Risk list id → the link to the listing (the listing's own URL, else the list's)."""
    links: dict[str, str] = {}
    for rel, other in neighbours:
        if rel.type == "LISTED_ON" and rel.start == node_id:
            url = safe_url(rel.props.get("source_url")) or safe_url(other.props.get("url"))
            if url:
                links[other.id] = url
    return links


def risk_paths(store: Store, node_id: str, **options: Any) -> list[Any]:
    """``queries.paths.paths_to_risk`` for the profile page (NotAvailable until it lands)."""
    paths_to_risk = optional("paths", "paths_to_risk")
    return list(paths_to_risk(store, node_id, **options))


def exposure_of(store: Store, node_id: str, **options: Any) -> Any:
    """``queries.exposure.exposure`` for one node (NotAvailable until it lands)."""
    exposure = optional("exposure", "exposure")
    return exposure(store, node_id, **options)


def subgraph_dict(subgraph: Subgraph) -> dict[str, Any]:
    """Node-link JSON (networkx's convention) of a subgraph, with labels, types and properties."""
    return {
        "directed": True,
        "multigraph": True,
        "graph": {},
        "nodes": [{"id": n.id, "label": n.label, **n.props} for n in subgraph.nodes],
        "links": [
            {"source": r.start, "target": r.end, "type": r.type, **r.props}
            for r in subgraph.relationships
        ],
    }


def flat_cell(value: Any) -> Any:
    """A cell for a table: scalars stay, lists and mappings become readable text."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return "; ".join(
            f"{k}: {flat_cell(v)}" for k, v in value.items() if v not in (None, "", [])
        )
    if isinstance(value, list | tuple):
        return " | ".join(str(flat_cell(v)) for v in value)
    return str(value)


def flat_rows(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Result objects (with ``as_dict()``) or dicts as flat table rows."""
    rows = []
    for item in items:
        record = item.as_dict() if hasattr(item, "as_dict") else dict(item)
        rows.append({k: flat_cell(v) for k, v in record.items()})
    return rows


def screen_rows(store: Store, names: list[str], *, home: str = "BE") -> list[dict[str, Any]]:
    """``queries.screen.screen`` over ``names``: one flat row per name, in input order."""
    screen = optional("screen", "screen")
    return flat_rows(screen(store, names, home=home))


# Cells that a spreadsheet would read as a formula are prefixed with an apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(rows: list[dict[str, Any]]) -> str:
    """CSV of ``rows`` (columns in first-seen order), neutralised against formula injection."""
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        safe = {}
        for key, value in row.items():
            text = "" if value is None else str(value)
            safe[key] = "'" + text if text.startswith(_FORMULA_START) else text
        writer.writerow(safe)
    return out.getvalue()


def indicators(store: Store, home: str, partner: str, years: str, min_tier: str) -> dict[str, Any]:
    """``queries.indicators.indicators`` in its JSON shape (the same as the CLI's ``--json``);
    ``home`` and ``partner`` name a country or an institution, as the CLI's options do."""
    from collabgraph.queries.common import parse_years

    compute = optional("indicators", "indicators")
    result = compute(store, home, partner, years=parse_years(years), min_tier=min_tier)
    return dict(result.as_dict())


def timeline(
    store: Store, node_id: str, *, home: str = "BE", partner: str = "CN", min_tier: str = "high"
) -> tuple[dict[str, Any], str]:
    """A researcher's or an institution's timeline in its JSON shape, with its inline SVG
    (built here from escaped text only, so a page may show it as HTML)."""
    from collabgraph.queries.timeline import timeline as compute
    from collabgraph.ui.report.timeline_svg import timeline_svg

    found = compute(store, node_id, home=home, partner=partner, min_tier=min_tier).as_dict()
    name = found["node"]["name"] or node_id
    title = f"{name}: papers per year and the listings behind them"
    return found, timeline_svg(found["rows"], found["listings"], title=title)


def parse_params(lines: Iterable[str]) -> dict[str, Any]:
    """``name=value`` lines as parameters, read exactly as ``collabgraph cypher --param``."""
    parse = optional("user_cypher", "parse_params")
    return dict(parse([line for line in lines if line.strip()]))


def run_cypher(
    store: Store, text: str, params: dict[str, Any], *, limit: int
) -> tuple[list[str], list[dict[str, Any]], bool]:
    """A user's query through the same read-only check as ``collabgraph cypher``.

    Returns the columns, the rows and whether rows were cut at ``limit``.
    """
    run = optional("user_cypher", "run_read_only")
    result = run(store, text, params, max_rows=limit)
    return list(result.columns), list(result.rows), bool(result.truncated)
