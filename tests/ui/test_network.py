"""The standalone neighbourhood page: offline, escaped, coloured, laid out, capped hubs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from collabgraph.graph.contract import Subgraph
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.tiers import Tier
from collabgraph.ui.app.layout import radial_layout
from collabgraph.ui.app.network import LABEL_SHAPES, TIER_COLOURS, neighbourhood_html

from .graphs import XSS_ID, XSS_NAME, workbench_graph

REMOTE = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I
)


def _data(page: str, name: str) -> Any:
    found = re.search(rf"var {name} = (.*?);\n", page)
    assert found, f"no {name} in the page"
    return json.loads(found.group(1))


def _page(**options: Any) -> str:
    nodes, rels = workbench_graph()
    return neighbourhood_html(Subgraph(nodes, rels), center="openalex:A1", **options)


def test_page_is_offline() -> None:
    page = _page(title="t")
    assert not REMOTE.search(page), REMOTE.search(page)
    assert "@import" not in page
    assert "<link" not in page.lower()
    assert "vis.Network" in page and len(page) > 400_000  # vis-network is inlined


def test_every_data_string_is_escaped() -> None:
    nodes, rels = workbench_graph()
    nodes.append(Node("Paper", "w:evil", {"title": "</script><script>alert(2)</script>"}))
    nodes.append(Node("Researcher", "w:placeholder", {"name": "@@VIS_JS@@ & @@NODES@@"}))
    rels.append(Relationship("AUTHORED", "w:placeholder", "w:evil", {"raw_affiliations": ["<b>x"]}))
    page = neighbourhood_html(Subgraph(nodes, rels), center="openalex:A1", title=XSS_NAME)
    assert XSS_NAME not in page
    assert "<script>alert(2)" not in page and "</script><script>" not in page
    assert "<b>x" not in page
    node_data = {n["id"]: n for n in _data(page, "nodeData")}
    # The tooltip (set with innerHTML in the page) holds the name HTML-escaped ...
    assert "&lt;img src=x onerror=alert(1)&gt;" in node_data[XSS_ID]["title"]
    assert "<img" not in node_data[XSS_ID]["title"]
    # ... while the label, drawn on the canvas as text, keeps the name as it is.
    assert node_data[XSS_ID]["label"] == XSS_NAME
    assert node_data["w:placeholder"]["label"] == "@@VIS_JS@@ & @@NODES@@"
    assert "&lt;b&gt;x" in " ".join(e["title"] for e in _data(page, "edgeData"))
    assert page.count("<title>") == 1 and "<title>&lt;img" in page


def test_colour_by_tier_shape_by_label_and_legend() -> None:
    page = _page(tiers={"ror:00cv9y106": "very high"})
    node_data = {n["id"]: n for n in _data(page, "nodeData")}
    assert node_data["ror:00cv9y106"]["color"] == TIER_COLOURS[Tier.VERY_HIGH]
    assert node_data["ror:00cv9y106"]["shape"] == LABEL_SHAPES["Institution"]
    assert node_data["openalex:A1"]["shape"] == LABEL_SHAPES["Researcher"]
    assert node_data["openalex:W1"]["color"] == TIER_COLOURS[Tier.NONE]
    assert node_data["openalex:A1"]["size"] > node_data[XSS_ID]["size"]  # the centre stands out
    for tier in Tier:
        assert f">{tier.label}</div>" in page or f"</span>{tier.label}" in page
    assert "Institution: square" in page


def test_edges_carry_type_and_weight_and_evidence() -> None:
    nodes, rels = workbench_graph()
    rels.append(
        Relationship("CO_AUTHORED", "openalex:A1", "openalex:A2", {"papers": 4, "first_year": 2019})
    )
    page = neighbourhood_html(Subgraph(nodes, rels), center="openalex:A1")
    edges = _data(page, "edgeData")
    strong = next(e for e in edges if e["to"] == "openalex:A2" and e["from"] == "openalex:A1")
    weak = next(e for e in edges if e["to"] == XSS_ID)
    assert strong["label"] == "CO_AUTHORED ×4" and weak["label"] == "CO_AUTHORED"
    assert strong["width"] > weak["width"]
    assert "first_year</b>: 2019" in strong["title"]


def test_physics_off_and_positions_precomputed() -> None:
    page = _page()
    options = _data(page, "options")
    assert options["physics"]["enabled"] is False
    node_data = _data(page, "nodeData")
    positions = {(n["x"], n["y"]) for n in node_data}
    assert len(positions) == len(node_data), "two nodes share a position"
    centre = next(n for n in node_data if n["id"] == "openalex:A1")
    assert (centre["x"], centre["y"]) == (0.0, 0.0)


def test_capped_hub_shows_n_more() -> None:
    page = _page(more={"openalex:A1": 37, "nowhere": 5})
    node_data = {n["id"]: n for n in _data(page, "nodeData")}
    assert node_data["more:openalex:A1"]["label"] == "+37 more"
    assert "more:nowhere" not in node_data
    assert "37 more not drawn" in page


def test_profile_link_only_when_asked() -> None:
    assert 'var profileLink = "/profile?node=";' in _page(profile_link="/profile?node=")
    assert "var profileLink = null;" in _page()


def test_radial_layout_rings_and_determinism() -> None:
    ids = ["c"] + [f"a{i}" for i in range(5)] + [f"b{i}" for i in range(20)] + ["lonely"]
    edges = [("c", f"a{i}") for i in range(5)] + [(f"a{i % 5}", f"b{i}") for i in range(20)]
    first = radial_layout(ids, edges, center="c")
    assert first == radial_layout(list(reversed(ids)), list(reversed(edges)), center="c")
    assert set(first) == set(ids)
    radius = {k: round((x * x + y * y) ** 0.5) for k, (x, y) in first.items()}
    assert radius["c"] == 0
    assert len({radius[f"a{i}"] for i in range(5)}) == 1
    assert min(radius[f"b{i}"] for i in range(20)) > radius["a0"]
    assert radius["lonely"] > radius["b0"]  # unreachable nodes go outside
    assert radial_layout([], []) == {}


@pytest.mark.parametrize("count", [1, 2, 500])
def test_large_drawings_have_every_node(count: int) -> None:
    nodes = [Node("Researcher", f"r{i}", {"name": f"R {i}"}) for i in range(count)]
    rels = [Relationship("CO_AUTHORED", "r0", f"r{i}", {"papers": 1}) for i in range(1, count)]
    page = neighbourhood_html(Subgraph(nodes, rels), center="r0")
    assert len(_data(page, "nodeData")) == count
    assert len(_data(page, "edgeData")) == count - 1
