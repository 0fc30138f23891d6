"""The neo4j-admin CSV is accepted by Neo4j 5.26's own import tool and gives the same graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from collabgraph.graph.snapshot import write_snapshot

from ..factories import load
from .helpers import awkward_graph, naughty_graph, state, tiered_graph
from .neo4j_import_tool import run_import


def _dump_state(records: list[dict[str, Any]]) -> dict[str, Any]:
    def props(raw: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
        return tuple(
            sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in raw.items() if k != "id")
        )

    nodes, rels = [], []
    for rec in records:
        if "node" in rec:
            labels = [label for label in rec["labels"] if label != "Entity"]
            assert "Entity" in rec["labels"] and len(labels) == 1, rec
            nodes.append((rec["node"], labels[0], props(rec["props"])))
        else:
            rels.append((rec["rel"], rec["start"], rec["end"], props(rec["props"])))
    return {"nodes": sorted(nodes), "relationships": sorted(rels)}


@pytest.mark.slow
@pytest.mark.parametrize("graph", [tiered_graph, awkward_graph])
def test_neo4j_admin_import_accepts_the_csv(
    graph: Any, embedded_store: Any, tmp_path: Path
) -> None:
    load(embedded_store, *graph())
    manifest_path = write_snapshot(embedded_store, tmp_path / "csv", fmt="csv")
    manifest = orjson.loads(manifest_path.read_bytes())
    command = manifest["neo4j_admin"]["command"]
    assert command[:4] == ["neo4j-admin", "database", "import", "full"] and command[-1] == "neo4j"
    home = tmp_path / "neo4j-home"
    home.mkdir()
    records = run_import(manifest_path.parent, command[4:-1], home)
    want = state(embedded_store)
    assert _dump_state(records) == {"nodes": want["nodes"], "relationships": want["relationships"]}
    if graph is awkward_graph:
        # List elements hold ';' and '|', so the export fell back to U+001F, which the
        # importer received as --array-delimiter=\u001F.
        assert manifest["neo4j_admin"]["array_delimiter"] == "\x1f", manifest["neo4j_admin"]
        assert "--array-delimiter=\\u001F" in command, command
    else:
        assert manifest["neo4j_admin"]["array_delimiter"] == ";", manifest["neo4j_admin"]


@pytest.mark.slow
def test_neo4j_admin_import_accepts_the_escaped_csv(embedded_store: Any, tmp_path: Path) -> None:
    """With --replace-invalid (every delimiter occurs in some element) neo4j-admin loads the
    graph as written: the escaped elements, everything else unchanged."""
    from collabgraph.graph.embedded import EmbeddedStore
    from collabgraph.graph.snapshot import import_snapshot

    load(embedded_store, *naughty_graph())
    manifest_path = write_snapshot(
        embedded_store, tmp_path / "csv", fmt="csv", replace_invalid=True
    )
    manifest = orjson.loads(manifest_path.read_bytes())
    assert manifest["replace_invalid"]["values"], "the naughty graph needs escapes in CSV"
    home = tmp_path / "neo4j-home"
    home.mkdir()
    records = run_import(manifest_path.parent, manifest["neo4j_admin"]["command"][4:-1], home)
    # The graph as written: the same snapshot imported without the note that restores it.
    del manifest["replace_invalid"]
    manifest_path.write_bytes(orjson.dumps(manifest))
    written = EmbeddedStore(tmp_path / "written.jsonl.gz")
    import_snapshot(written, manifest_path.parent)
    want = state(written)
    # neo4j-admin reads the field "" of a string[] column as no property, so a list holding one
    # empty string (BLNS's first string as a keyword) arrives missing, like an empty list.
    nodes = [
        (i, label, tuple(p for p in props if p[1] != ("",))) for i, label, props in want["nodes"]
    ]
    assert _dump_state(records) == {"nodes": nodes, "relationships": want["relationships"]}
