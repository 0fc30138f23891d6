"""A neighbourhood ready to draw: ``queries.neighbourhood`` plus full properties and evidence.

Used by the workbench's Neighbourhood page and by ``collabgraph neighbourhood --html``, so both
draw the same page (:func:`neighbourhood_page`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabgraph.graph.contract import Store, Subgraph
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.records import Relationship
from collabgraph.queries.common import YearWindow, display_name
from collabgraph.queries.risk import listings_of

from .data import optional
from .network import neighbourhood_html


@dataclass
class Hood:
    """A drawn neighbourhood: the subgraph, tiers, evidence notes and capped hubs."""

    center: str
    subgraph: Subgraph
    tiers: dict[str, str] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)
    more: dict[str, int] = field(default_factory=dict)
    truncated: list[dict[str, Any]] = field(default_factory=list)
    max_nodes_reached: bool = False
    hops: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        for node in self.subgraph.nodes:
            if node.id == self.center:
                return f"Neighbourhood of {display_name(node.label, node.props) or node.id}"
        return f"Neighbourhood of {self.center}"


def load_hood(
    store: Store,
    node_id: str,
    *,
    hops: int = 1,
    years: YearWindow | None = None,
    min_tier: str | None = None,
    technology: str | None = None,
    rel_types: list[str] | None = None,
    max_nodes: int = 200,
    per_node_cap: int = 50,
    offset: int = 0,
) -> Hood:
    """Run ``queries.neighbourhood`` and gather what the drawing needs (properties, listings)."""
    query = optional("neighbourhood", "neighbourhood")
    found = query(
        store,
        node_id,
        hops=hops,
        years=years,
        min_tier=min_tier,
        technology=technology,
        rel_types=rel_types,
        max_nodes=max_nodes,
        per_node_cap=per_node_cap,
        offset=offset,
    )
    return hood_from(store, node_id, found)


def hood_from(store: Store, node_id: str, found: Any) -> Hood:
    """A :class:`Hood` from a ``queries.neighbourhood`` result around ``node_id``."""
    ids = [n["id"] for n in found.nodes]
    full = store.view().get_nodes(ids)
    nodes = [full[i] for i in ids if i in full]
    rels = [
        Relationship(r["type"], r["start"], r["end"], dict(r.get("props") or {}))
        for r in found.relationships
    ]
    tiers = {n["id"]: n["tier"] for n in found.nodes if n.get("tier")}
    institutions = [n.id for n in nodes if n.label == "Institution"]
    notes: dict[str, list[str]] = {}
    for iid, listings in listings_of(store, institutions).items():
        notes[iid] = [
            "listed on "
            + ", ".join(
                str(part)
                for part in (lst.list_name, lst.tier, lst.category, lst.as_of or lst.fiscal_year)
                if part
            )
            for lst in listings
        ]
    more = {t["node"]: int(t["more"]) for t in found.truncated if t.get("more")}
    return Hood(
        center=node_id,
        subgraph=Subgraph(nodes, rels),
        tiers=tiers,
        notes=notes,
        more=more,
        truncated=list(found.truncated),
        max_nodes_reached=bool(found.max_nodes_reached),
        hops={n["id"]: int(n.get("hop", 0)) for n in found.nodes},
    )


def neighbourhood_page(
    hood: Hood, *, profile_link: str | None = None, height: str = "720px"
) -> str:
    """The standalone offline HTML page of ``hood``."""
    return neighbourhood_html(
        hood.subgraph,
        center=hood.center,
        tiers=hood.tiers,
        notes=hood.notes,
        more=hood.more,
        title=hood.title,
        profile_link=profile_link,
        height=height,
    )


def write_neighbourhood_html(store: Store, node_id: str, found: Any, path: str | Path) -> Path:
    """Write the offline drawing of a ``queries.neighbourhood`` result (for the CLI's --html)."""
    target = Path(path)
    try:
        target.write_text(neighbourhood_page(hood_from(store, node_id, found)), encoding="utf-8")
    except OSError as exc:
        raise CollabgraphError(f"cannot write {target}: {exc.strerror}") from None
    return target
