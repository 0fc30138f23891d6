"""Helpers shared by the ingest tests: test data paths, a reject writer, graph snapshots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.ingest.pipeline import RejectWriter

DATA = Path(__file__).resolve().parent / "data"


def data(name: str) -> Path:
    return DATA / name


def rejects(tmp_path: Path, name: str = "rejects.jsonl") -> RejectWriter:
    return RejectWriter(tmp_path / name)


def snapshot(store: Store) -> tuple[dict[str, Any], dict[tuple[str, ...], Any]]:
    """Every node's and relationship's properties, keyed by identity (for idempotence checks)."""
    view = store.view()
    nodes = {n.id: (n.label, n.props) for n in view.iter_nodes()}
    rels = {r.key: r.props for r in view.iter_relationships()}
    return nodes, rels


def counts(store: Store) -> dict[str, int]:
    """Non-zero node and relationship counts in one dict."""
    c = store.view().counts()
    return {k: v for k, v in {**c.nodes, **c.relationships}.items() if v}
