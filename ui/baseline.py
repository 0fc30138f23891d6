"""The baseline of ``review changes``: a snapshot or a date, loaded into a temporary store.

* A **snapshot** (a directory written by ``collabgraph export``, or anything ``import``
  reads) is imported into a temporary embedded store with the snapshot API, which checks its
  manifest and every file's sha256 first; people erased since (``forget``) are left out.
* A **date** ``YYYY-MM-DD`` is the graph as it stood on that date, read from the current
  store's provenance: the nodes and relationships first seen on or before the date (an
  element without ``first_seen`` counts as always there), a relationship only with both ends;
  a LISTED_ON only if its listing year (fiscal year, else as-of year, else the list's) is at
  most the date's year. CO_AUTHORED and institutions' derived ``tier`` are computed again
  from what is kept (ingest/derive.py), so tiers are those of the listings in force then.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from collabgraph.graph.contract import Store
from collabgraph.graph.embedded import EmbeddedStore
from collabgraph.graph.erasures import ErasureRegister
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.records import Node, Relationship
from collabgraph.graph.risk import listing_from
from collabgraph.graph.snapshot import import_snapshot
from collabgraph.ingest.derive import derive

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HELP = (
    "a snapshot directory written by 'collabgraph export' (its checksums are verified), or a "
    "date YYYY-MM-DD: the graph as it stood then (elements first seen on or before it, "
    "listings whose year is at most its year)"
)


@contextmanager
def open_baseline(spec: str, current: Store) -> Iterator[tuple[Store, dict[str, Any]]]:
    """The baseline named by ``spec`` as a temporary store, with a description of it."""
    path = Path(spec)
    if not path.exists() and not DATE.fullmatch(spec):
        raise CollabgraphError(f"--since {spec!r}: no such snapshot; give {HELP}")
    with tempfile.TemporaryDirectory(prefix="collabgraph-baseline-") as tmp:
        store = EmbeddedStore(Path(tmp) / "baseline.db")
        try:
            if path.exists():
                about = _from_snapshot(store, path, current)
            else:
                about = _as_of(store, spec, current)
            yield store, about
        finally:
            store.close()


def _from_snapshot(store: Store, path: Path, current: Store) -> dict[str, Any]:
    result = import_snapshot(store, path)
    register = ErasureRegister.for_store(current.location)
    if register:
        gone = [n.id for n in store.view().iter_nodes("Researcher") if register.erased(n.id)]
        store.delete_nodes(gone)
    manifest = result.manifest or {}
    return {
        "kind": "snapshot",
        "path": str(path),
        "format": result.format,
        "created_at": manifest.get("created_at"),
        "sources": manifest.get("sources"),
        "counts": manifest.get("counts"),
    }


def _as_of(store: Store, day: str, current: Store) -> dict[str, Any]:
    if not _valid_date(day):
        raise CollabgraphError(f"--since {day!r}: not a valid date (YYYY-MM-DD)")
    year = int(day[:4])
    view = current.view()
    kept: set[str] = set()
    lists: dict[str, dict[str, Any]] = {}
    with store.writer() as writer:
        for node in view.iter_nodes():
            if not _seen_by(node.props, day):
                continue
            kept.add(node.id)
            if node.label == "RiskList":
                lists[node.id] = node.props
            props = node.props
            if node.label == "Institution" and "tier" in props:
                props = {k: v for k, v in props.items() if k != "tier"}
            writer.upsert_nodes([Node(node.label, node.id, props)], validated=True)
        writer.flush()
        for rel in view.iter_relationships():
            if _keeps(rel, day, year, kept, lists):
                writer.upsert_relationships([rel], validated=True)
    derive(store)
    return {"kind": "date", "date": day, "counts": store.view().counts().as_dict()}


def _valid_date(day: str) -> bool:
    try:
        date.fromisoformat(day)
    except ValueError:
        return False
    return True


def _seen_by(props: dict[str, Any], day: str) -> bool:
    first = props.get("first_seen")
    return not first or str(first)[:10] <= day


def _keeps(
    rel: Relationship, day: str, year: int, kept: set[str], lists: dict[str, dict[str, Any]]
) -> bool:
    if rel.type == "CO_AUTHORED" or rel.start not in kept or rel.end not in kept:
        return False
    if not _seen_by(rel.props, day):
        return False
    if rel.type == "LISTED_ON":
        listed = listing_from(rel.start, rel.end, lists.get(rel.end, {}), rel.props).year
        return listed is None or listed <= year
    return True
