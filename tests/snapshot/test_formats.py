"""Format details: networkx reads the JSON, files without a manifest import, damage is named."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.snapshot import SnapshotError, import_snapshot, write_snapshot
from collabgraph.graph.snapshot.cypher_literal import literal, parse_literal
from collabgraph.graph.snapshot.graphml import token, untoken

from ..factories import load
from .helpers import AWKWARD, awkward_graph, state, tiered_graph


def test_networkx_reads_node_link_json(embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *tiered_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt="json")
    data = json.loads((manifest.parent / "graph.json").read_text(encoding="utf-8"))
    graph = nx.node_link_graph(data, edges="links")
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 8
    assert graph.nodes["ror:01yqg2h08"]["label"] == "Institution"
    assert graph.nodes["ror:01yqg2h08"]["props"]["tier"] == "very high"
    # networkx's own writer gives a file import understands too.
    foreign = tmp_path / "foreign" / "graph.json"
    foreign.parent.mkdir()
    foreign.write_text(json.dumps(nx.node_link_data(graph, edges="links")), encoding="utf-8")
    target = EmbeddedStore(tmp_path / "t.jsonl.gz")
    import_snapshot(target, foreign)
    assert state(target) == state(embedded_store)


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "cypher"])
def test_import_without_manifest(fmt: str, embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *tiered_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt=fmt)
    manifest.unlink()
    target = EmbeddedStore(tmp_path / "t.jsonl.gz")
    result = import_snapshot(target, manifest.parent)
    assert result.manifest is None and result.format == fmt
    assert state(target) == state(embedded_store)


def test_truncated_json_is_named(embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *tiered_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt="json")
    manifest.unlink()
    path = manifest.parent / "graph.json"
    path.write_bytes(path.read_bytes()[:-4])
    with pytest.raises(SnapshotError, match="graph.json: the file ends before"):
        import_snapshot(EmbeddedStore(tmp_path / "t.jsonl.gz"), manifest.parent)


def test_bad_csv_value_names_file_and_line(embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *tiered_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt="csv")
    manifest.unlink()
    path = manifest.parent / "nodes" / "Paper.csv"
    path.write_text(path.read_text(encoding="utf-8").replace('"2021"', '"MMXXI"'), "utf-8")
    with pytest.raises(Exception, match=r"Paper.csv:2: year: 'MMXXI' is not a valid int"):
        import_snapshot(EmbeddedStore(tmp_path / "t.jsonl.gz"), manifest.parent)


def test_single_file_import_checks_its_manifest(embedded_store: Any, tmp_path: Path) -> None:
    load(embedded_store, *awkward_graph())
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt="gexf")
    target = EmbeddedStore(tmp_path / "t.jsonl.gz")
    import_snapshot(target, manifest.parent / "graph.gexf")
    assert state(target) == state(embedded_store)
    copy = tmp_path / "copy"
    shutil.copytree(manifest.parent, copy)
    with (copy / "graph.gexf").open("a", encoding="utf-8") as fh:
        fh.write("<!-- edited -->\n")
    with pytest.raises(SnapshotError, match="does not match the manifest"):
        import_snapshot(target, copy / "graph.gexf")


@pytest.mark.parametrize("text", [*AWKWARD, "doi:10.1/x", "_x_", "a b\u00e9"])
def test_graphml_id_tokens_reverse(text: str) -> None:
    assert untoken(token(text)) == text
    assert all(c.isalnum() and c.isascii() or c in ".:-_" for c in token(text)), token(text)


@pytest.mark.parametrize(
    "value", [*AWKWARD, "\x00\x07\u2028", -3, 0.1 + 0.2, 1e300, [], {"a": [1]}]
)
def test_cypher_literals_reverse(value: Any) -> None:
    text = literal(value)
    assert "\n" not in text and "\r" not in text
    assert parse_literal(text) == (value, len(text))


def test_csv_reader_keeps_quoted_empties_and_multiline_fields(tmp_path: Path) -> None:
    from collabgraph.graph.snapshot.csvtext import read_rows

    path = tmp_path / "x.csv"
    path.write_text('a,b,c\n"",,"x ""y"",\nz"\n"1\r\n2",3,\n', encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(read_rows(fh, str(path)))
    assert rows == [
        (1, ["a", "b", "c"]),
        (2, ["", None, 'x "y",\nz']),
        (4, ["1\r\n2", "3", None]),
    ], rows
    path.write_text('a,b\n"x"y,1\n', encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as fh, pytest.raises(SnapshotError, match=":2:"):
        list(read_rows(fh, str(path)))


def test_networkx_reads_graphml_and_gexf_typed(embedded_store: Any, tmp_path: Path) -> None:
    """A third-party reader (networkx) opens both XML formats and sees the declared types."""
    load(embedded_store, *tiered_graph())
    graphml = write_snapshot(embedded_store, tmp_path / "gm", fmt="graphml").parent
    graph = nx.read_graphml(graphml / "graph.graphml")
    assert graph.number_of_nodes() == 8 and graph.number_of_edges() == 8
    paper = graph.nodes["openalex:W1"]
    assert paper["year"] == 2021 and paper["cg_label"] == "Paper", paper
    assert json.loads(paper["sources"]) == ["test"], paper
    score = graph.edges["openalex:A2", "cg:institution:lab1"]["score"]
    assert isinstance(score, float) and score == 0.93
    gexf = write_snapshot(embedded_store, tmp_path / "gx", fmt="gexf").parent
    graph = nx.read_gexf(gexf / "graph.gexf", version="1.3")
    paper = graph.nodes["openalex:W1"]
    assert (paper["start"], paper["end"], paper["year"]) == (2021, 2021, 2021), paper
    assert paper["label"] == 'Swarm control of "drones"', paper


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "cypher"])
def test_empty_lists(fmt: str, embedded_store: Any, tmp_path: Path) -> None:
    """Empty lists survive every format but neo4j-admin CSV, which cannot express them."""
    from collabgraph.graph.records import Node

    from ..factories import prov

    load(embedded_store, [Node("Researcher", "r:1", prov(name="x", name_variants=[]))], [])
    manifest = write_snapshot(embedded_store, tmp_path / "snap", fmt=fmt)
    target = EmbeddedStore(tmp_path / "t.jsonl.gz")
    import_snapshot(target, manifest.parent)
    node = target.view().get_node("r:1")
    assert node is not None
    if fmt == "csv":
        assert "name_variants" not in node.props, node
    else:
        assert node.props["name_variants"] == [], node
