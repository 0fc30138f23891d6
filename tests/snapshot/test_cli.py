"""`collabgraph export` and `collabgraph import` from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner

from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.ui.cli import cli

from ..factories import load
from .helpers import state, tiered_graph


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "source.jsonl.gz"
    load(EmbeddedStore(path), *tiered_graph())
    return path


def run(*args: str) -> Any:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "csv", "cypher"])
def test_export_then_import(fmt: str, source: Path, tmp_path: Path) -> None:
    out, target = tmp_path / "snap.zip", tmp_path / "target.jsonl.gz"
    run("--store", str(source), "-q", "export", "--format", fmt, "-o", str(out))
    result = run("--store", str(target), "-q", "import", str(out), "--json")
    data = orjson.loads(result.stdout)
    assert data["format"] == fmt and data["matches_manifest"] is True, data
    assert state(EmbeddedStore(target)) == state(EmbeddedStore(source))


def test_export_neighbourhood(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub"
    run(
        "--store",
        str(source),
        "-q",
        "export",
        "--format",
        "json",
        "--node",
        "openalex:A1",
        "--hops",
        "1",
        "-o",
        str(out),
    )
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    assert manifest["query"] == "neighbourhood", manifest
    params = manifest["parameters"]
    assert (params["node"], params["id"], params["hops"]) == ("openalex:A1", "openalex:A1", 1)
    assert params["max_nodes_reached"] is False, params
    # A1, its paper W1 and its institution Ghent University; A2 is two hops away.
    assert manifest["counts"]["nodes"] == {
        "Researcher": 1,
        "Institution": 1,
        "Paper": 1,
        "Technology": 0,
        "RiskList": 0,
    }, manifest["counts"]


def test_progress_bar_on_stderr_unless_quiet(source: Path, tmp_path: Path) -> None:
    loud = CliRunner().invoke(
        cli, ["--store", str(source), "export", "--format", "json", "-o", str(tmp_path / "a")]
    )
    assert "exporting json" in loud.stderr and loud.stdout == "", loud.output
    quiet = CliRunner().invoke(
        cli, ["--store", str(source), "-q", "export", "--format", "json", "-o", str(tmp_path / "b")]
    )
    assert quiet.stderr == "" and quiet.stdout == ""


def test_spreadsheet_needs_csv(source: Path, tmp_path: Path) -> None:
    from collabgraph.ui.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "--store",
                str(source),
                "export",
                "--format",
                "json",
                "--for",
                "spreadsheet",
                "-o",
                str(tmp_path / "x"),
            ]
        )
    assert exit_info.value.code == 1


def test_export_paths_to_risk(source: Path, tmp_path: Path) -> None:
    """Li Wei reaches the very-high-tier HIT through the lab (AFFILIATED_WITH, PART_OF)."""
    out = tmp_path / "paths"
    run(
        "--store",
        str(source),
        "-q",
        "export",
        "--format",
        "json",
        "--paths",
        "openalex:A2",
        "--hops",
        "4",
        "-o",
        str(out),
    )
    data = orjson.loads((out / "graph.json").read_bytes())
    ids = {n["id"] for n in data["nodes"]}
    assert {"openalex:A2", "cg:institution:lab1", "ror:01yqg2h08"} <= ids, ids
    assert "openalex:A1" not in ids, ids


def test_export_neighbourhood_honours_type_filter(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub"
    run(
        "--store",
        str(source),
        "-q",
        "export",
        "--format",
        "json",
        "--node",
        "openalex:A1",
        "--hops",
        "2",
        "--types",
        "AUTHORED",
        "-o",
        str(out),
    )
    manifest = orjson.loads((out / "manifest.json").read_bytes())
    rels = {k: v for k, v in manifest["counts"]["relationships"].items() if v}
    nodes = {k: v for k, v in manifest["counts"]["nodes"].items() if v}
    # A1 -AUTHORED-> W1 <-AUTHORED- A2; no affiliations, no institutions.
    assert rels == {"AUTHORED": 2} and nodes == {"Researcher": 2, "Paper": 1}, manifest["counts"]


def test_import_of_a_non_snapshot_file_names_it_and_the_formats(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import partners.csv` said `.: unknown snapshot format ''` (issue 18)."""
    from collabgraph.ui.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "partners.csv").write_text("name,country\nGhent University,BE\n", "utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["--store", str(tmp_path / "t.jsonl.gz"), "import", "partners.csv"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 1, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("collabgraph: error: partners.csv: not a snapshot"), err
    for accepted in ("manifest.json", ".graphml", ".gexf", ".json", ".cypher", ".zip"):
        assert accepted in err, (accepted, err)
    assert "ingest table" in err and "format ''" not in err, err
