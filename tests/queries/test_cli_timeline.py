"""``collabgraph timeline`` on an embedded store file: table, JSON, SVG file, errors."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.ui.cli import cli

from .graph import load_graph


def test_timeline_command(tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    load_graph(EmbeddedStore(path))
    runner = CliRunner()
    out = runner.invoke(cli, ["--store", str(path), "timeline", "Bob Maes"])
    assert out.exit_code == 0, out.output
    assert "Bob Maes (Researcher, r:bob)" in out.output
    assert "National University of Defense Technology" in out.output
    svg = tmp_path / "bob.svg"
    found = runner.invoke(
        cli, ["--store", str(path), "timeline", "r:bob", "--json", "--svg", str(svg)]
    )
    assert found.exit_code == 0, found.output
    data = json.loads(found.output)
    assert [r["before_listing"] for r in data["rows"]] == [1, 0]
    assert [m["year"] for m in data["listings"]] == [2019, 2022, 2024]
    assert ET.parse(svg).getroot().get("class") == "timeline"
    # the project's errors reach ui/cli.py main(), which prints them on one line
    bad = runner.invoke(cli, ["--store", str(path), "timeline", "r:bob", "--min-tier", "none"])
    assert isinstance(bad.exception, CollabgraphError), bad.output
    assert "minimum tier" in str(bad.exception)
    paper = runner.invoke(cli, ["--store", str(path), "timeline", "Gait analysis"])
    assert isinstance(paper.exception, NodeNotFound), paper.output
    nowhere = runner.invoke(
        cli, ["--store", str(path), "timeline", "r:bob", "--svg", str(tmp_path / "no/x.svg")]
    )
    assert nowhere.exit_code == 2 and "--svg" in nowhere.output, nowhere.output
