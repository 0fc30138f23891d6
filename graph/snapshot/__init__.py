"""Graph snapshots: export a store or subgraph to GraphML, GEXF, node-link JSON, neo4j-admin
CSV or a Cypher script, each with a ``manifest.json``, and import them back into any store."""

from __future__ import annotations

from .api import FORMATS, ImportResult, import_snapshot, write_snapshot
from .manifest import SnapshotError

__all__ = ["FORMATS", "ImportResult", "SnapshotError", "import_snapshot", "write_snapshot"]
