"""Snapshots for download: the snapshot exporters of ``graph/snapshot`` packed into one zip."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from collabgraph.graph.contract import Store, Subgraph

DESCRIPTIONS = {
    "graphml": "GraphML (yEd, Cytoscape, networkx)",
    "gexf": "GEXF (Gephi, with timeline)",
    "json": "node-link JSON (networkx)",
    "csv": "CSV for neo4j-admin import",
    "csv-spreadsheet": "CSV for spreadsheets (formula-safe)",
    "cypher": "Cypher MERGE script",
}


def formats() -> list[str]:
    """The export formats on offer (the snapshot exporters' list plus spreadsheet CSV)."""
    from collabgraph.graph.snapshot import FORMATS

    return [*FORMATS, "csv-spreadsheet"]


def describe(fmt: str) -> str:
    return DESCRIPTIONS.get(fmt, fmt)


def snapshot_zip(
    store: Store,
    fmt: str,
    *,
    subgraph: Subgraph | None = None,
    query: str | None = None,
    params: dict[str, Any] | None = None,
    name: str = "graph",
) -> tuple[bytes, str]:
    """A zip of the snapshot (files plus manifest.json) and a file name (``name`` in it)."""
    from collabgraph.graph.snapshot import write_snapshot
    from collabgraph.graph.snapshot.archive import make_zip

    spreadsheet = fmt == "csv-spreadsheet"
    with tempfile.TemporaryDirectory(prefix="collabgraph-export-") as tmp:
        target = Path(tmp) / "snapshot"
        write_snapshot(
            store,
            target,
            fmt="csv" if spreadsheet else fmt,
            subgraph=subgraph,
            query=query,
            params=params,
            for_spreadsheet=spreadsheet,
        )
        archive = make_zip(target, Path(tmp) / "snapshot.zip")
        return archive.read_bytes(), f"collabgraph-{name}-{fmt}.zip"
