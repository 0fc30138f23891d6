"""GraphML and GEXF exports validate against the XML schemas the repo ships."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import xmlschema

from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node
from collabgraph.graph.snapshot import write_snapshot
from collabgraph.graph.snapshot.gexf import interval

from ..factories import load, prov
from .helpers import awkward_graph, tiered_graph

XSD = resources.files("collabgraph.graph.snapshot").joinpath("xsd")
FILES = {"graphml": "graph.graphml", "gexf": "graph.gexf"}


def schema(fmt: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD.joinpath(f"{fmt}.xsd")))


@pytest.mark.parametrize("fmt", sorted(FILES))
@pytest.mark.parametrize("graph", [tiered_graph, awkward_graph])
def test_export_is_schema_valid(fmt: str, graph: Any, embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt=fmt)
    schema(fmt).validate(str(manifest.parent / FILES[fmt]))


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_schema_rejects_a_dangling_edge(fmt: str, embedded_store: Any, tmp_path: Path) -> None:
    """The schemas are not vacuous: an edge to an undeclared node is caught."""
    load(embedded_store, *tiered_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt=fmt)
    path = manifest.parent / FILES[fmt]
    text = path.read_text(encoding="utf-8").replace('target="openalex:W1"', 'target="nowhere"')
    assert 'target="nowhere"' in text
    path.write_text(text, encoding="utf-8")
    assert not schema(fmt).is_valid(str(path))


def test_gexf_carries_year_intervals(embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *awkward_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt="gexf")
    text = (manifest.parent / "graph.gexf").read_text(encoding="utf-8")
    assert 'mode="dynamic" timeformat="integer"' in text
    assert 'start="2019" end="2021"' in text  # AFFILIATED_WITH years [2019, 2021]
    assert interval({"years": [2021, 2019], "year": 2020}) == (2019, 2021)
    assert interval({"name": "x"}) is None


@pytest.mark.parametrize("fmt", sorted(FILES))
def test_xml_refuses_control_characters(fmt: str, embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, [Node("Researcher", "r:1", prov(name="bell\x07"))], [])
    with pytest.raises(SchemaError, match="U\\+0007"):
        write_snapshot(embedded_store, tmp_path / "snap", fmt=fmt)
