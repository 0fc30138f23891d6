"""Writing a snapshot of a store (or a subgraph) and importing one into a store."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from collabgraph.graph.contract import Store, Subgraph
from collabgraph.graph.embedded import legacy
from collabgraph.graph.erasures import ErasureRegister
from collabgraph.graph.errors import SchemaError
from collabgraph.graph.records import Node, Relationship

from . import cypher_script, gexf, graphml, neo4j_csv, nodelink, spreadsheet
from .archive import extract, is_archive
from .manifest import MANIFEST, SnapshotError, build_manifest, read_manifest, safe_member
from .replace import NOTE, Replacer, Restorer
from .source import Source, Tracker

FORMATS = ("graphml", "gexf", "json", "csv", "cypher")
# A store file of the previous release (gzip JSON lines), which import converts.
LEGACY_FORMAT = "embedded-v1"
"""Formats ``write_snapshot`` accepts; ``csv`` with ``for_spreadsheet`` gives flat tables."""

_ESCAPING_WRITERS = {"graphml": graphml.write, "gexf": gexf.write}
# These carry every text there is (JSON and Cypher escapes, Python's csv): nothing to replace.
_WRITERS = {
    "json": nodelink.write,
    "cypher": cypher_script.write,
    "csv-spreadsheet": spreadsheet.write,
}
_SINGLE_FILE = {
    ".graphml": "graphml",
    ".gexf": "gexf",
    ".json": "json",
    ".cypher": "cypher",
    ".cql": "cypher",
}
READS = (
    "a snapshot directory (with manifest.json, or nodes/ and relationships/ CSV files), "
    "a .graphml, .gexf, .json, .cypher or .cql file, or a .zip, .tar, .tar.gz or .tgz of one, "
    "or an embedded store file of the previous release (gzip JSON lines, converted)"
)
"""What ``import_snapshot`` reads, for the errors that refuse anything else."""


def _single_file_format(path: Path) -> str:
    """The format of a snapshot given as one file without a manifest, from its suffix."""
    fmt = _SINGLE_FILE.get(path.suffix.lower())
    if fmt is None:
        hint = ""
        if path.suffix.lower() == ".csv":
            hint = " (a table of records is loaded with collabgraph ingest table)"
        raise SnapshotError(f"{path}: not a snapshot; import reads {READS}{hint}")
    return fmt


def write_snapshot(
    store: Store,
    directory: str | Path,
    *,
    fmt: str = "json",
    subgraph: Subgraph | None = None,
    query: str | None = None,
    params: dict[str, Any] | None = None,
    for_spreadsheet: bool = False,
    replace_invalid: bool = False,
    quiet: bool = True,
) -> Path:
    """Export ``store`` (or just ``subgraph``) into ``directory`` and return its manifest path.

    ``directory`` must not exist or be empty. ``query`` and ``params`` describe how the subgraph
    was chosen, for the manifest. A progress bar goes to stderr unless ``quiet``.
    ``replace_invalid`` writes characters the format cannot carry as escapes (``\\u0001``)
    instead of refusing the graph, and lists every changed value in the manifest's
    ``replace_invalid`` field, from which :func:`import_snapshot` restores them (replace.py).

    >>> write_snapshot(store, "out/snap", fmt="graphml")  # doctest: +SKIP
    PosixPath('out/snap/manifest.json')
    """
    if fmt not in FORMATS:
        raise SnapshotError(f"unknown snapshot format {fmt!r}; use one of {', '.join(FORMATS)}")
    if for_spreadsheet and fmt != "csv":
        raise SnapshotError("--for spreadsheet only applies to --format csv")
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise SnapshotError(f"{target}: exists and is not an empty directory; choose a new path")
    target.mkdir(parents=True, exist_ok=True)
    name = "csv-spreadsheet" if for_spreadsheet else fmt
    source = Source(store.view(), subgraph)
    replacer = Replacer() if replace_invalid else None
    with Tracker(source.total(), quiet=quiet, label=f"exporting {name}") as tracker:
        files, extra = _write(name, target, source, tracker, replacer)
    if replacer is not None:
        extra[NOTE] = replacer.note()
    return build_manifest(
        target,
        fmt=name,
        files=files,
        tracker=tracker,
        store={"kind": store.kind, "location": store.location},
        query=query,
        params=params,
        extra=extra,
    )


def _write(
    name: str, target: Path, source: Source, tracker: Tracker, replacer: Replacer | None
) -> tuple[list[Path], dict[str, Any]]:
    """Run the format's writer: its files and any settings it adds to the manifest."""
    if name == "csv":
        return neo4j_csv.write(target, source, tracker, replacer)
    if name in _ESCAPING_WRITERS:
        return _ESCAPING_WRITERS[name](target, source, tracker, replacer), {}
    return _WRITERS[name](target, source, tracker), {}


@dataclass
class ImportResult:
    """What an import wrote, and the manifest it was checked against (if any)."""

    format: str
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    manifest: dict[str, Any] | None = None
    withheld: int = 0  # nodes and relationships about erased researchers (graph/erasures.py)
    restored: int = 0  # values a --replace-invalid export had escaped, put back (replace.py)

    def matches_manifest(self) -> bool | None:
        """Whether the counts read equal the manifest's (None without a manifest)."""
        if self.manifest is None:
            return None
        want = self.manifest.get("counts", {})
        nonzero = {k: v for k, v in want.get("nodes", {}).items() if v}
        nonzero_r = {k: v for k, v in want.get("relationships", {}).items() if v}
        return nonzero == self.nodes and nonzero_r == self.relationships


def _detect(directory: Path) -> tuple[str, list[Path], dict[str, Any] | None]:
    if (directory / MANIFEST).exists():
        manifest = read_manifest(directory)
        files = [
            safe_member(directory, str(f["path"]), where=str(directory / MANIFEST))
            for f in manifest.get("files", [])
        ]
        return str(manifest.get("format")), files, manifest
    if (directory / "nodes").is_dir():
        files = sorted((directory / "nodes").glob("*.csv"))
        files += sorted((directory / "relationships").glob("*.csv"))
        return "csv", files, None
    for suffix, fmt in _SINGLE_FILE.items():
        found = sorted(directory.glob(f"*{suffix}"))
        if len(found) == 1:
            return fmt, found, None
    raise SnapshotError(
        f"{directory}: no manifest.json and no snapshot file recognised; import reads {READS}"
    )


def _records(
    fmt: str, files: list[Path], directory: Path, manifest: dict[str, Any] | None
) -> Iterator[Node | Relationship]:
    if fmt == "csv":
        settings = (manifest or {}).get("neo4j_admin") or {}
        delimiter = settings.get("array_delimiter", ";") if isinstance(settings, dict) else None
        if not (isinstance(delimiter, str) and len(delimiter) == 1):
            # neo4j-admin takes one character; "" or "ab" would split every list wrongly.
            raise SnapshotError(
                f"{directory / MANIFEST}: neo4j_admin.array_delimiter {delimiter!r:.40} "
                "is not a single character"
            )
        return neo4j_csv.read(files, delimiter)
    if fmt == "csv-spreadsheet":
        raise SnapshotError(
            f"{directory}: spreadsheet tables are for reading, not an import format; "
            "export with --format csv (neo4j-admin) to re-import"
        )
    readers = {
        "graphml": graphml.read,
        "gexf": gexf.read,
        "json": nodelink.read,
        "cypher": cypher_script.read,
    }
    if fmt not in readers:
        raise SnapshotError(
            f"{directory}: unknown snapshot format {fmt!r:.40}; import reads "
            f"{', '.join(readers)} and csv snapshots"
        )
    if len(files) != 1:
        raise SnapshotError(f"{directory}: a {fmt} snapshot has one data file, not {len(files)}")
    return readers[fmt](files[0])


def import_snapshot(store: Store, path: str | Path, *, quiet: bool = True) -> ImportResult:
    """Read a snapshot (directory, single file or zip/tar archive) into ``store``.

    A manifest, when present, is checked first (format version, every sha256); an archive
    member that would land outside the unpack directory is refused before anything is written.
    """
    source = Path(path)
    if not source.exists():
        raise SnapshotError(f"{source}: no such file or directory")
    if is_archive(source):
        with tempfile.TemporaryDirectory(prefix="collabgraph-import-") as tmp:
            extract(source, Path(tmp))
            inner = Path(tmp)
            entries = list(inner.iterdir())
            if len(entries) == 1 and entries[0].is_dir():
                inner = entries[0]
            return import_snapshot(store, inner, quiet=quiet)
    checked = True  # the snapshot readers check every record against the schema
    if source.is_dir():
        fmt, files, manifest = _detect(source)
        directory = source
        records = _records(fmt, files, directory, manifest)
    elif legacy.is_v1(source):
        # A store file of the previous release: its records are converted, and checked by
        # the writer like any caller's.
        fmt, manifest, checked = LEGACY_FORMAT, None, False
        directory = source.parent
        records = legacy.read_v1(source)
    else:
        directory = source.parent
        manifest = read_manifest(directory) if (directory / MANIFEST).exists() else None
        fmt = str(manifest["format"]) if manifest else _single_file_format(source)
        records = _records(fmt, [source], directory, manifest)
    restorer = None
    if manifest is not None and NOTE in manifest:
        restorer = Restorer(manifest[NOTE], str(directory / MANIFEST))
        records = restorer.restore_all(records)
    erasures = ErasureRegister.for_store(store.location)
    withheld = 0
    counts = (manifest or {}).get("counts", {})
    total = sum(counts.get("nodes", {}).values()) + sum(counts.get("relationships", {}).values())
    try:
        with Tracker(total, quiet=quiet, label=f"importing {fmt}") as tracker:
            with store.writer() as writer:
                # Records stream in file order (nodes first); the writer batches them and writes a
                # batch's nodes before its relationships, so endpoints always exist.
                # Each reader has checked its records against the schema (checks.py), so the
                # writer is told so; an error names the file and where in it.
                # A record about an erased researcher is read (and counted) but not written.
                for record in records:
                    if isinstance(record, Node):
                        tracker.node(record)
                    else:
                        tracker.relationship(record)
                    if erasures and erasures.touches(record):
                        withheld += 1
                    elif isinstance(record, Node):
                        writer.upsert_nodes([record], validated=checked)
                    else:
                        writer.upsert_relationships([record], validated=checked)
    except (SchemaError, SnapshotError) as exc:
        # Name the snapshot: a record's own message does not say which file it came from.
        if str(source) in str(exc):
            raise
        raise SnapshotError(f"{source}: {exc}") from None
    restored = restorer.restored if restorer else 0
    nodes, rels = dict(tracker.nodes), dict(tracker.relationships)
    return ImportResult(fmt, nodes, rels, manifest, withheld, restored)
