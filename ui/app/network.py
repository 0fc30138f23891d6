"""Standalone, offline pyvis pages of a neighbourhood: used by the workbench and the CLI.

:func:`neighbourhood_html` turns a :class:`~collabgraph.graph.contract.Subgraph` into one HTML
page: colour by risk tier, shape by label, a legend, edges labelled and sized by type and
weight, tooltips with the evidence, and "N more" markers on capped hubs. Physics is off: node
positions come from :func:`~collabgraph.ui.app.layout.radial_layout`, so 500 nodes appear at
once and stay put.

Two things differ from ``pyvis.Network.generate_html`` on purpose:

* the page is rendered with our own template (``network_template.html``) that inlines
  vis-network's script and stylesheet from the pyvis package, because pyvis' template always
  links Bootstrap from a CDN, and every page here must work offline;
* every piece of data text (names, titles, ids, evidence) is HTML-escaped before it reaches a
  tooltip, because tooltips are set with ``innerHTML`` and the names come from outside; the
  data is embedded as JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes so no value can
  close the ``<script>`` element that holds it.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyvis
from pyvis.network import Network

from collabgraph.graph.contract import Subgraph
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import Tier
from collabgraph.queries.common import display_name, tier_of

from .layout import radial_layout

__all__ = ["TIER_COLOURS", "LABEL_SHAPES", "REL_COLOURS", "neighbourhood_html", "edge_weight"]

TIER_COLOURS: dict[Tier, str] = {
    Tier.NONE: "#9fb3c8",
    Tier.LOW: "#f5d76e",
    Tier.MEDIUM: "#f39c12",
    Tier.HIGH: "#e74c3c",
    Tier.VERY_HIGH: "#7b0d1e",
}
LABEL_SHAPES: dict[str, str] = {
    "Researcher": "dot",
    "Institution": "square",
    "Paper": "triangle",
    "Technology": "diamond",
    "RiskList": "star",
}
REL_COLOURS: dict[str, str] = {
    "AUTHORED": "#7f8c8d",
    "AFFILIATED_WITH": "#2980b9",
    "PART_OF": "#8e44ad",
    "CONCERNS": "#16a085",
    "MILITARY_LINK": "#c0392b",
    "LISTED_ON": "#d35400",
    "CO_AUTHORED": "#27ae60",
}
# Properties shown in a node's tooltip, per label, in this order (provenance comes last).
NODE_FIELDS: dict[str, tuple[str, ...]] = {
    "Researcher": ("orcid", "openalex_id", "name_variants"),
    "Institution": ("country", "ror_id", "types", "acronyms", "names_zh", "status"),
    "Paper": ("year", "doi", "openalex_id", "topics"),
    "Technology": ("code", "area", "level"),
    "RiskList": ("publisher", "as_of", "url"),
}
PROVENANCE = ("sources", "source_record", "first_seen", "last_seen")
MAX_LABEL = 38
MAX_LIST_ITEMS = 6
_TEMPLATE = Path(__file__).with_name("network_template.html")
_PLACEHOLDER = re.compile(r"@@[A-Z_]+@@")


def _text(value: Any) -> str:
    """A property value as escaped text; lists are joined and cut to a few items."""
    if isinstance(value, list):
        shown = ", ".join(str(v) for v in value[:MAX_LIST_ITEMS])
        if len(value) > MAX_LIST_ITEMS:
            shown += f" … (+{len(value) - MAX_LIST_ITEMS})"
        return html.escape(shown)
    return html.escape(str(value))


def _rows(pairs: Sequence[tuple[str, Any]]) -> str:
    return "".join(
        f"<div><b>{html.escape(k)}</b>: {_text(v)}</div>"
        for k, v in pairs
        if v not in (None, "", [])
    )


def edge_weight(rel: Relationship) -> float:
    """How strong a relationship is: shared papers, years of affiliation, or a match score."""
    props = rel.props
    if rel.type == "CO_AUTHORED" and isinstance(props.get("papers"), int):
        return float(props["papers"])
    if rel.type == "AFFILIATED_WITH" and isinstance(props.get("years"), list):
        return float(max(1, len(props["years"])))
    return 1.0


def _node_tier(node: Node, tiers: Mapping[str, str]) -> Tier:
    return tier_of(tiers.get(node.id) or node.props.get("tier"))


def _node_tooltip(node: Node, tier: Tier, notes: Sequence[str]) -> str:
    name = display_name(node.label, node.props) or node.id
    head = f"<div class='cg-h'>{html.escape(name)}</div>"
    pairs: list[tuple[str, Any]] = [("label", node.label), ("id", node.id)]
    if node.label == "Institution" or tier > Tier.NONE:
        pairs.append(("tier", tier.label))
    pairs += [(k, node.props.get(k)) for k in NODE_FIELDS.get(node.label, ())]
    pairs += [(k, node.props.get(k)) for k in PROVENANCE]
    evidence = "".join(f"<div class='cg-ev'>{html.escape(n)}</div>" for n in notes)
    return head + _rows(pairs) + evidence


def _edge_tooltip(rel: Relationship, names: Mapping[str, str]) -> str:
    head = (
        f"<div class='cg-h'>{html.escape(rel.type)}</div>"
        f"<div>{html.escape(names.get(rel.start, rel.start))} → "
        f"{html.escape(names.get(rel.end, rel.end))}</div>"
    )
    skip = {"source", *PROVENANCE, "source_version"}
    pairs = [(k, v) for k, v in sorted(rel.props.items()) if k not in skip]
    pairs += [(k, rel.props.get(k)) for k in PROVENANCE]
    return head + _rows(pairs)


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever strings it carries."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str, str]:
    lib = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    script = (lib / "vis-network.min.js").read_text(encoding="utf-8")
    style = (lib / "vis-network.css").read_text(encoding="utf-8")
    # A stray "</script" or "</style" inside the bundled code would end its element early.
    if "</script" in script.lower() or "</style" in style.lower():
        raise RuntimeError("the bundled vis-network assets cannot be inlined safely")
    return script, style, _TEMPLATE.read_text(encoding="utf-8")


def _legend(labels: Sequence[str], rel_types: Sequence[str]) -> str:
    """The legend (fixed vocabulary only: no data text reaches it)."""
    tiers = "".join(
        f"<span class='cg-sw' style='background:{TIER_COLOURS[t]}'></span>{t.label}" for t in Tier
    )
    shapes = " · ".join(f"{lab}: {LABEL_SHAPES.get(lab, 'dot')}" for lab in labels)
    rels = "".join(
        f"<span class='cg-line' style='background:{REL_COLOURS.get(t, '#999')}'></span>{t}"
        for t in rel_types
    )
    return (
        f"<div><b>tier</b> {tiers}</div><div><b>shape</b> {shapes}</div>"
        f"<div><b>relationships</b> {rels}</div>"
    )


def neighbourhood_html(
    subgraph: Subgraph,
    *,
    center: str | None = None,
    tiers: Mapping[str, str] | None = None,
    notes: Mapping[str, Sequence[str]] | None = None,
    more: Mapping[str, int] | None = None,
    title: str = "",
    profile_link: str | None = None,
    height: str = "720px",
) -> str:
    """One offline HTML page drawing ``subgraph`` with pyvis' vis-network.

    ``tiers`` gives effective tiers by node id (else a node's own ``tier`` property counts);
    ``notes`` adds evidence lines to a node's tooltip (e.g. its listings); ``more`` maps a capped
    hub to how many of its neighbours are not drawn; ``profile_link`` (e.g. ``"/profile?node="``)
    makes a clicked node offer a link to its profile. All data text is escaped.
    """
    tiers = tiers or {}
    notes = notes or {}
    more = more or {}
    names = {n.id: display_name(n.label, n.props) or n.id for n in subgraph.nodes}
    node_ids = [n.id for n in subgraph.nodes]
    edges = [(r.start, r.end) for r in subgraph.relationships]
    hidden = {hub: count for hub, count in more.items() if count > 0 and hub in names}
    edges += [(hub, f"more:{hub}") for hub in hidden]
    positions = radial_layout(node_ids + [f"more:{hub}" for hub in hidden], edges, center=center)
    net = Network(height=height, width="100%", directed=True, cdn_resources="in_line")
    for node in subgraph.nodes:
        tier = _node_tier(node, tiers)
        x, y = positions[node.id]
        is_center = node.id == center
        net.add_node(
            node.id,
            label=_short(names[node.id]),
            shape=LABEL_SHAPES.get(node.label, "dot"),
            color=TIER_COLOURS[tier],
            title=_node_tooltip(node, tier, notes.get(node.id, ())),
            x=x,
            y=y,
            size=26 if is_center else 14,
            borderWidth=4 if is_center else 1,
        )
    for hub, count in hidden.items():
        x, y = positions[f"more:{hub}"]
        net.add_node(
            f"more:{hub}",
            label=f"+{count} more",
            shape="box",
            color="#ecf0f1",
            title=(
                f"<div class='cg-h'>{count} more neighbours</div><div>of "
                f"{html.escape(names[hub])} are not drawn: page through them with the "
                "offset control.</div>"
            ),
            x=x,
            y=y,
        )
        net.add_edge(hub, f"more:{hub}", dashes=True, color="#bdc3c7", width=1)
    present = set(names)
    for rel in subgraph.relationships:
        if rel.start not in present or rel.end not in present:
            continue
        weight = edge_weight(rel)
        label = rel.type if weight <= 1 else f"{rel.type} ×{weight:g}"
        net.add_edge(
            rel.start,
            rel.end,
            label=label,
            title=_edge_tooltip(rel, names),
            color=REL_COLOURS.get(rel.type, "#999999"),
            width=round(1 + 1.5 * math.log2(weight), 2),
            dashes=rel.type in ("MILITARY_LINK", "LISTED_ON"),
        )
    net.set_options(
        json.dumps(
            {
                "physics": {"enabled": False},
                "layout": {"improvedLayout": False},
                "interaction": {"hover": True, "tooltipDelay": 100, "hideEdgesOnDrag": True},
                "edges": {
                    "arrows": {"to": {"enabled": True, "scaleFactor": 0.4}},
                    "font": {"size": 9, "align": "middle", "color": "#555555"},
                    "smooth": False,
                },
                "nodes": {"font": {"size": 12}},
            }
        )
    )
    nodes_data, edges_data, _heading, _height, _width, options = net.get_network_data()
    script, style, template = _assets()
    labels = sorted({n.label for n in subgraph.nodes})
    rel_types = sorted({r.type for r in subgraph.relationships})
    replacements = {
        "@@TITLE@@": html.escape(title or "collabgraph neighbourhood"),
        "@@HEIGHT@@": html.escape(height),
        "@@VIS_CSS@@": style,
        "@@VIS_JS@@": script,
        "@@LEGEND@@": _legend(labels, rel_types),
        "@@NODES@@": _script_json(nodes_data),
        "@@EDGES@@": _script_json(edges_data),
        "@@OPTIONS@@": _script_json(json.loads(options)),
        "@@PROFILE_LINK@@": _script_json(profile_link),
        "@@COUNTS@@": html.escape(
            f"{len(subgraph.nodes)} nodes, {len(subgraph.relationships)} relationships"
            + (f", {sum(hidden.values())} more not drawn" if hidden else "")
        ),
    }
    # One pass over the template: text that was substituted in is never searched again, so a
    # name that happens to spell a placeholder stays a name.
    return _PLACEHOLDER.sub(lambda m: replacements[m.group(0)], template)
