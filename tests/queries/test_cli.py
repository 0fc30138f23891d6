"""The query commands end to end on an embedded store file: JSON shapes, tables, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.errors import CollabgraphError, NodeNotFound
from collabgraph.ui.cli import cli, main

from .graph import load_graph


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "g.db"
    load_graph(EmbeddedStore(path))
    return path


def run(graph_file: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, ["--store", str(graph_file), *args])
    return result


def test_paths_json_shape(graph_file: Path) -> None:
    result = run(graph_file, "paths", "Bob Maes", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert [p["length"] for p in found] == [3, 4]
    assert set(found[0]) == {
        "length",
        "nodes",
        "relationships",
        "before_listing",
        "first_listed",
        "context",
    }
    assert set(found[0]["nodes"][0]) == {"id", "label", "name", "tier"}
    assert set(found[0]["relationships"][0]) == {"type", "start", "end", "evidence"}
    text = run(graph_file, "paths", "r:bob", "--years", "2020-2023", "--max-hops", "3")
    assert "3 hops to National University of Defense Technology (high)" in text.output
    assert "Swarm planning" in text.output and "Gait analysis" not in text.output
    before = run(graph_file, "paths", "r:bob")
    assert "before listing (first listed 2022)" in before.output
    none = run(graph_file, "paths", "Eve Claes")
    assert none.exit_code == 0 and "no path" in none.output


def test_unknown_and_ambiguous_names(graph_file: Path) -> None:
    result = run(graph_file, "paths", "Nobody Atall")
    assert isinstance(result.exception, NodeNotFound)
    assert "no match for 'Nobody Atall'" in str(result.exception)
    bad = run(graph_file, "paths", "r:bob", "--years", "2023-2020")
    assert isinstance(bad.exception, CollabgraphError)


def test_exposure_neighbourhood_indicators_json(graph_file: Path) -> None:
    exposure = json.loads(run(graph_file, "exposure", "--top", "2", "--json").output)
    assert [e["id"] for e in exposure] == ["r:dai", "r:chen"]
    assert set(exposure[0]) == {"id", "label", "name", "score", "top_paths"}
    one = json.loads(run(graph_file, "exposure", "Chen Wei", "--json").output)
    assert one[0]["score"] == 0.585
    table = run(graph_file, "exposure", "--label", "Institution", "--top", "1")
    assert "i:hitlab" in table.output
    hood = json.loads(run(graph_file, "neighbourhood", "Ghent University", "--json").output)
    assert set(hood) >= {"nodes", "relationships", "truncated"}
    assert hood["truncated"][0]["more"] == 7
    paged = run(graph_file, "neighbourhood", "i:ugent", "--offset", "50")
    assert "showing 7 of 57 neighbours from 50; 0 more" in paged.output
    ind = json.loads(
        run(graph_file, "indicators", "--country", "BE", "--partner", "CN", "--json").output
    )
    assert set(ind) >= {"rows", "by_technology", "by_partner", "parameters"}
    assert set(ind["rows"][0]) >= {"year", "joint", "high_risk", "high_risk_critical"}
    assert [r["joint"] for r in ind["rows"]] == [1, 1, 1, 3]
    text = run(graph_file, "indicators", "--years", "2023")
    assert "2023  3      2" in text.output


def test_indicators_home_and_partner_sides(
    graph_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def rows(*args: str) -> list[tuple[int, int, int]]:
        result = run(graph_file, "indicators", *args, "--json")
        assert result.exit_code == 0, result.output
        return [(r["year"], r["joint"], r["high_risk"]) for r in json.loads(result.output)["rows"]]

    # KU Leuven: Alice's W1 (2021, HIT's lab: high) and W3 (2023, Tsinghua: medium only).
    assert rows("--home", "KU Leuven") == [(2021, 1, 1), (2023, 1, 0)]
    everyone = [(2016, 1, 1), (2021, 1, 1), (2022, 1, 0), (2023, 3, 2)]
    assert rows("--home", "BE") == rows("--country", "Belgium") == rows() == everyone
    # HIT's subtree holds its lab: W1 and W4.
    assert rows("--partner", "Harbin Institute of Technology") == [(2021, 1, 1), (2023, 1, 1)]
    text = run(graph_file, "indicators", "--home", "i:kul", "--partner", "i:hit")
    assert "by unit of an institution side" in text.output and "i:hitlab" in text.output
    found = json.loads(
        run(graph_file, "indicators", "--home", "i:kul", "--partner", "i:hit", "--json").output
    )
    lab = next(u for u in found["by_unit"] if u["id"] == "i:hitlab")
    assert lab["side"] == "partner" and lab["held_by"] == ["i:hit"], lab
    assert "US DoD Section 1286 list (high) via i:hit" in lab["lists"], lab
    for flag in ("--home", "--partner"):
        with pytest.raises(SystemExit) as stop:
            main(["--store", str(graph_file), "indicators", flag, "Nowhere Polytechnic Zzyzx"])
        err = capsys.readouterr().err
        errors = [line for line in err.splitlines() if "error" in line.lower()]
        assert stop.value.code == 2 and len(errors) == 1, err
        assert f"'{flag}'" in errors[0] and "is neither a country nor an institution" in errors[0]
        assert "Invalid value" in errors[0]
        assert "Traceback" not in err


def test_screen_csv(graph_file: Path, tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("org,cc\nHarbin Institute of Technology,CN\nNowhere,\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run(graph_file, "screen", str(source), "--column", "org", "-o", str(out))
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == ["i:hit", ""]
    assert rows[0]["tier"] == "very high" and rows[0]["researchers_within_2_hops"] == "2"
    assert "Seven sons of national defence|2019-11-25" in rows[0]["assertions"]
    missing = run(graph_file, "screen", str(source), "--column", "name", "-o", str(out))
    assert isinstance(missing.exception, CollabgraphError)
    assert "no column 'name' (columns: org, cc)" in str(missing.exception)


def test_cypher_needs_neo4j(graph_file: Path) -> None:
    result = run(graph_file, "cypher", "MATCH (n) RETURN n")
    assert isinstance(result.exception, CollabgraphError)
    assert "Cypher needs Neo4j" in str(result.exception)


def test_cypher_on_neo4j(neo4j_store: Any, neo4j_uri: str) -> None:
    load_graph(neo4j_store)
    query = "MATCH (i:Institution {id: $id}) RETURN i.name AS name"
    ok = CliRunner().invoke(
        cli, ["--store", neo4j_uri, "cypher", query, "--param", "id=i:hit", "--json"]
    )
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["rows"] == [{"name": "Harbin Institute of Technology"}]
    refused = CliRunner().invoke(cli, ["--store", neo4j_uri, "cypher", "MATCH (n) DETACH DELETE n"])
    assert isinstance(refused.exception, CollabgraphError)
    assert "refused" in str(refused.exception)
    assert neo4j_store.view().counts().nodes["Institution"] == 7


def test_every_query_command_has_help() -> None:
    for name in ("paths", "exposure", "neighbourhood", "indicators", "screen", "cypher"):
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and len(result.output) > 200, name
