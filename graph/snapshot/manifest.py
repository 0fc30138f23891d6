"""``manifest.json``: what a snapshot is, where it came from, and the checksum of every file.

Import reads the manifest first: an unknown ``format_version`` or a file whose sha256 differs
is refused, so a snapshot that was edited or truncated is never loaded half-right.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import orjson

import collabgraph
from collabgraph.graph.errors import CollabgraphError
from collabgraph.graph.schema import SCHEMA

from .source import Tracker

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)


class SnapshotError(CollabgraphError):
    """A snapshot that cannot be read or trusted; the message names the file."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


MAX_INLINE = 64 * 1024


def tier_mapping() -> dict[str, Any]:
    """The tier mapping files under ingest/ (path, sha256 and, if small, the text itself), or
    a note that there are none. A mapping passed to an ingest run as its own file is not seen
    here; the tiers themselves travel on LISTED_ON and Institution.tier in every format."""
    ingest = Path(collabgraph.__file__).resolve().parent / "ingest"
    found = sorted(
        p
        for p in ingest.rglob("*tier*")
        if p.is_file() and p.suffix in (".toml", ".json", ".yaml", ".yml", ".csv")
    )
    if not found:
        return {
            "files": [],
            "note": "no tier mapping file in ingest/; tiers are the values stored on the "
            "LISTED_ON relationships and Institution.tier",
        }
    files = []
    for path in found:
        entry: dict[str, Any] = {"path": f"ingest/{path.relative_to(ingest).as_posix()}"}
        entry["sha256"] = sha256_file(path)
        if path.stat().st_size <= MAX_INLINE:
            entry["content"] = path.read_text(encoding="utf-8")
        files.append(entry)
    return {"files": files}


def build_manifest(
    directory: Path,
    *,
    fmt: str,
    files: list[Path],
    tracker: Tracker,
    store: dict[str, str],
    query: str | None,
    params: dict[str, Any] | None,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Write ``manifest.json`` into ``directory`` and return its path."""
    manifest = {
        "format": fmt,
        "format_version": FORMAT_VERSION,
        "collabgraph_version": collabgraph.__version__,
        "schema_version": SCHEMA.version,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "store": store,
        "query": query,
        "parameters": params or {},
        "sources": [
            {"dataset": name, "versions": sorted(versions)}
            for name, versions in sorted(tracker.datasets.items())
        ],
        "tier_mapping": tier_mapping(),
        "counts": {
            "nodes": {label: tracker.nodes.get(label, 0) for label in SCHEMA.nodes},
            "relationships": {t: tracker.relationships.get(t, 0) for t in SCHEMA.relationships},
        },
        "files": [
            {
                "path": f.relative_to(directory).as_posix(),
                "bytes": f.stat().st_size,
                "sha256": sha256_file(f),
            }
            for f in files
        ],
        **(extra or {}),
    }
    path = directory / MANIFEST
    path.write_bytes(orjson.dumps(manifest, option=orjson.OPT_INDENT_2) + b"\n")
    return path


def read_manifest(directory: Path) -> dict[str, Any]:
    """Load and check a manifest: known version, safe paths, every checksum matching."""
    path = directory / MANIFEST
    try:
        manifest = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise SnapshotError(f"{path}: cannot read the manifest ({exc})") from None
    if not isinstance(manifest, dict):
        raise SnapshotError(f"{path}: the manifest is not a JSON object")
    version = manifest.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        raise SnapshotError(
            f"{path}: snapshot format version {version!r} is not supported "
            f"(this collabgraph reads {', '.join(map(str, SUPPORTED_VERSIONS))}); "
            "upgrade collabgraph or re-export the snapshot"
        )
    for entry in manifest.get("files", []):
        member = safe_member(directory, str(entry.get("path", "")), where=str(path))
        if not member.is_file():
            raise SnapshotError(f"{path}: listed file {entry.get('path')!r} is missing")
        actual = sha256_file(member)
        if actual != entry.get("sha256"):
            raise SnapshotError(
                f"{member}: sha256 {actual} does not match the manifest "
                f"({entry.get('sha256')}); the snapshot was changed or damaged"
            )
    return manifest


def safe_member(directory: Path, name: str, *, where: str) -> Path:
    """``directory / name``, refusing absolute names and any that escape ``directory``."""
    posix = PurePosixPath(name.replace("\\", "/"))
    root = directory.resolve()
    target = (root / posix).resolve()
    if not name or posix.is_absolute() or ".." in posix.parts or not target.is_relative_to(root):
        raise SnapshotError(f"{where}: path {name!r} escapes the snapshot directory; refused")
    return target
