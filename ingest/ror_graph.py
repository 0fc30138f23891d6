"""ROR records → Institution nodes and PART_OF edges.

Reading (v1/v2 schema, JSON array or lines, gzip or not) is ingest/ror.py's job; this module
turns each :class:`~collabgraph.ingest.ror.RorRecord` into an Institution that keeps every name:
the display name, labels in other languages (Chinese ones also in ``names_zh``), aliases and
acronyms, plus country, types and status (withdrawn records stay, marked by ``status``).
Parent/child relationships become ``PART_OF`` (child → parent), written after all records so
that the order of records in the file does not matter; an edge whose other end is neither in
the file nor already in the store is counted in the summary, not invented.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from collabgraph.graph.contract import Store
from collabgraph.graph.records import Node, Relationship

from .pipeline import IngestRun, Provenance, RejectWriter, Summary, file_date
from .ror import RorRecord, iter_ror
from .sources import RawRecord

DATASET = "ror"


def institution_node(record: RorRecord, prov: Provenance) -> Node:
    """The Institution node of one ROR record."""
    return Node(
        "Institution",
        f"ror:{record.ror_id}",
        prov.stamp(
            {
                "name": record.name,
                "names": list(record.all_names),
                "acronyms": list(record.acronyms),
                "aliases": list(record.aliases),
                "names_zh": list(record.names_zh),
                "ror_id": record.ror_id,
                "country": record.country,
                "types": list(record.types),
                "status": record.status,
            },
            f"https://ror.org/{record.ror_id}",
        ),
    )


def part_of_edges(record: RorRecord, prov: Provenance) -> list[Relationship]:
    """PART_OF edges from this record's parents (this → parent) and children (child → this)."""
    me = f"ror:{record.ror_id}"
    pairs = [(me, f"ror:{p}") for p in record.parents]
    pairs += [(f"ror:{c}", me) for c in record.children]
    record_url = f"https://ror.org/{record.ror_id}"
    return [
        Relationship(
            "PART_OF", child, parent, prov.stamp({"method": "ror_relationship"}, record_url)
        )
        for child, parent in pairs
        if child != parent
    ]


def ingest_ror(
    store: Store,
    paths: Iterable[Path],
    *,
    rejects: RejectWriter,
    version: str | None = None,
    quiet: bool = True,
) -> Summary:
    """Ingest ROR files into ``store`` as Institutions and PART_OF edges."""
    seen: set[str] = set()
    pending: dict[tuple[str, str], Relationship] = {}
    with IngestRun(store, "ror", rejects=rejects, quiet=quiet) as run:
        for path in paths:
            default_version = version or file_date(path)

            def on_reject(position: int, reason: str, text: str, path: Path = path) -> None:
                run.summary.read += 1
                rejects.reject(str(path), f"{path.name}:{position}", reason, text)

            for record in iter_ror(path, on_reject=on_reject):
                run.summary.read += 1
                run.progress.tick()
                prov = Provenance(DATASET, version or record.version or default_version)
                node = institution_node(record, prov)
                # With a raw record, a node the schema refuses is rejected, not fatal.
                raw = RawRecord(f"{path.name}:{record.ror_id}", record.ror_id[:200])
                if run.write(path, raw, [node], []):
                    seen.add(node.id)
                for rel in part_of_edges(record, prov):
                    pending.setdefault((rel.start, rel.end), rel)
        run.flush()
        view = store.view()
        ends = {e for pair in pending for e in pair}
        present = seen | set(view.get_nodes(sorted(ends - seen)))
        missing = 0
        for (child, parent), rel in sorted(pending.items()):
            if child in present and parent in present:
                run.write(None, None, [], [rel], count=False)
            else:
                missing += 1
        if missing:
            run.summary.notes.append(
                f"{missing} PART_OF relationships skipped: the other institution is not in the "
                "input or the store (ingest its ROR record to add them)"
            )
    return run.summary
