"""What every ingester shares: provenance, the reject file, progress, batched writes, a summary.

An ingester turns each raw record into nodes and relationships and hands them to an
:class:`IngestRun`. The run validates each record's output on its own (so one bad record is
rejected, never a whole batch), stamps provenance on everything, writes through
``store.writer()`` and counts what it did.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self, TypeVar

from collabgraph.graph.contract import GraphWriter, Store
from collabgraph.graph.erasures import ErasureRegister
from collabgraph.graph.errors import CollabgraphError, SchemaError, StoreError
from collabgraph.graph.records import Node, Relationship, validate_node, validate_relationship

from .derive import Touched
from .sources import RawRecord, not_utf8

T = TypeVar("T")


class RejectedRecord(CollabgraphError):
    """Raised by an ingester for a record that must go to the reject file (message = reason)."""


@dataclass(frozen=True)
class Provenance:
    """Which dataset, which version of it: stamped on every node and relationship written.

    ``version`` is an ISO date (the dataset's own version date, else the file's date). It is
    both ``source_version`` and first/last seen, so re-ingesting the same version changes
    nothing and a newer version moves ``last_seen`` forward.
    """

    source: str
    version: str

    def stamp(self, props: dict[str, Any], record: str) -> dict[str, Any]:
        out = {k: v for k, v in props.items() if v is not None and v != [] and v != ""}
        out.update(
            source=self.source,
            sources=[self.source],
            source_version=self.version,
            source_record=record,
            first_seen=self.version,
            last_seen=self.version,
        )
        return out


def file_date(path: Path) -> str:
    """The file's modification date (UTC, ISO): the version of a file with no version inside."""
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return datetime.now(UTC).date().isoformat()
    return datetime.fromtimestamp(stamp, UTC).date().isoformat()


class RejectWriter:
    """Writes rejected records as JSON lines; the file is created only if something is rejected."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._fh: IO[str] | None = None

    def reject(self, source_file: str, locator: str, reason: str, text: str) -> None:
        if self._fh is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # backslashreplace: a lone surrogate in hostile input is kept as a JSON \u escape
            # instead of making the reject file itself fail.
            self._fh = self.path.open("w", encoding="utf-8", errors="backslashreplace")
        row = {"source_file": source_file, "locator": locator, "reason": reason, "text": text}
        self._fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


@dataclass
class Summary:
    """What an ingest did: records read/written/rejected, elements written by type."""

    kind: str
    read: int = 0
    written: int = 0
    rejected: int = 0
    withheld: int = 0  # nodes and relationships about erased researchers, not written
    nodes: Counter[str] = field(default_factory=Counter)
    relationships: Counter[str] = field(default_factory=Counter)
    rejects_path: str | None = None
    notes: list[str] = field(default_factory=list)
    # What was written that the derived facts depend on (ingest/derive.py); not reported.
    touched: Touched = field(default_factory=Touched)

    def add(self, other: Summary) -> None:
        self.read += other.read
        self.written += other.written
        self.rejected += other.rejected
        self.withheld += other.withheld
        self.nodes.update(other.nodes)
        self.relationships.update(other.relationships)
        self.notes.extend(other.notes)
        self.touched.update(other.touched)
        if other.rejected:
            self.rejects_path = other.rejects_path
            self.notes.append(f"{other.kind}: {other.rejected} rejected in {other.rejects_path}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "read": self.read,
            "written": self.written,
            "rejected": self.rejected,
            "withheld": self.withheld,
            "nodes": dict(sorted(self.nodes.items())),
            "relationships": dict(sorted(self.relationships.items())),
            "rejects_path": self.rejects_path,
            "notes": list(self.notes),
        }

    def lines(self) -> list[str]:
        """A short human summary (printed on stderr by the CLI)."""
        out = [f"{self.kind}: read {self.read}, written {self.written}, rejected {self.rejected}"]
        if self.nodes:
            out.append(
                "  nodes written (repeats included): "
                + ", ".join(f"{k} {v}" for k, v in sorted(self.nodes.items()))
            )
        if self.relationships:
            rels = ", ".join(f"{k} {v}" for k, v in sorted(self.relationships.items()))
            out.append("  relationships written: " + rels)
        out.extend(f"  {note}" for note in self.notes)
        if self.withheld:
            out.append(
                f"  {self.withheld} nodes and relationships about erased researchers withheld "
                "(the erasure register, see `collabgraph forget`)"
            )
        if self.rejected and self.kind != "sample":
            out.append(f"  warning: {self.rejected} rejected records in {self.rejects_path}")
        return out


class Progress:
    """A record counter on stderr, shown only on a terminal and never with --quiet."""

    def __init__(self, label: str, *, quiet: bool) -> None:
        self.label = label
        self.enabled = not quiet and sys.stderr.isatty()
        self.count = 0

    def tick(self) -> None:
        self.count += 1
        if self.enabled and self.count % 500 == 0:
            sys.stderr.write(f"\r{self.label}: {self.count} records")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.count >= 500:
            sys.stderr.write(f"\r{self.label}: {self.count} records\n")
            sys.stderr.flush()


class IngestRun:
    """One ingest: a writer, a reject file, provenance and counts. Use as a context manager."""

    def __init__(
        self,
        store: Store,
        kind: str,
        *,
        rejects: RejectWriter,
        quiet: bool = True,
        batch_size: int = 2000,
    ) -> None:
        self.store = store
        self.summary = Summary(kind, rejects_path=str(rejects.path))
        self.rejects = rejects
        self.progress = Progress(f"ingest {kind}", quiet=quiet)
        # Read before anything is written: an unreadable register stops the ingest.
        self.erasures = ErasureRegister.for_store(store.location)
        self._writer: GraphWriter = store.writer(batch_size=batch_size)
        self._known: set[str] = set()

    def __enter__(self) -> Self:
        self._writer.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self._writer.__exit__(exc_type, exc, tb)
        except StoreError as error:
            raise self._stopped(error) from None
        self.progress.done()
        self.rejects.close()
        self.summary.rejected = self.rejects.count

    def _stopped(self, exc: StoreError) -> StoreError:
        """The store failed mid-ingest: say how far the ingest got and how to finish it."""
        self.rejects.close()
        return StoreError(
            f"{exc}. The {self.summary.kind} ingest stopped after reading {self.summary.read} "
            f"records ({self.summary.written} written, {self.rejects.count} rejected); batches "
            "before this one are committed. Rerun the same command to complete it (ingests are "
            "idempotent)."
        )

    def read(self, source_file: Path, raw: RawRecord) -> bool:
        """Count a raw record; reject it (returning False) when it did not even parse."""
        self.summary.read += 1
        self.progress.tick()
        error = raw.error
        if error is None and not_utf8(raw.text):
            error = "invalid UTF-8 in the record"
        if error is not None:
            self.rejects.reject(str(source_file), raw.locator, error, raw.text)
            return False
        return True

    def reject(self, source_file: Path, raw: RawRecord, reason: str) -> None:
        self.rejects.reject(str(source_file), raw.locator, reason, raw.text)

    def build(
        self, source_file: Path, raw: RawRecord, make: Callable[..., T], *args: Any
    ) -> T | None:
        """``make(*args)``: the record mapped to graph records; None once the record is rejected.

        Besides :class:`RejectedRecord`, a field of an unexpected type deep inside a record
        (a number where text belongs, a lone surrogate that cannot be hashed into an id) rejects
        that record with the reason rather than ending the run.
        """
        try:
            return make(*args)
        except RejectedRecord as exc:
            self.reject(source_file, raw, str(exc))
        except (TypeError, AttributeError, ValueError, KeyError) as exc:
            self.reject(source_file, raw, f"unexpected structure ({type(exc).__name__}: {exc})")
        return None

    def write(
        self,
        source_file: Path | None,
        raw: RawRecord | None,
        nodes: Iterable[Node],
        rels: Iterable[Relationship],
        *,
        count: bool = True,
    ) -> bool:
        """Validate one record's output and write it; on a schema problem reject the record.

        ``count=False`` writes elements that are not an input record of their own (the summary's
        "written" counts records).
        """
        nodes, rels = _unique(nodes), _unique(rels)
        if self.erasures:
            nodes, rels, withheld = self.erasures.withhold(nodes, rels)
            self.summary.withheld += withheld
        try:
            for node in nodes:
                validate_node(node)
            for rel in rels:
                validate_relationship(rel)
        except SchemaError as exc:
            if raw is None or source_file is None:
                raise
            self.reject(source_file, raw, str(exc))
            return False
        try:
            # Every record was validated just above, on its own: the writer need not repeat it.
            self._writer.upsert_nodes(nodes, validated=True)
            self._writer.upsert_relationships(rels, validated=True)
        except StoreError as exc:
            raise self._stopped(exc) from None
        self.summary.touched.note(nodes, rels)
        self.summary.written += int(count)
        self.summary.nodes.update(n.label for n in nodes)
        self.summary.relationships.update(r.type for r in rels)
        return True

    def flush(self) -> None:
        self._writer.flush()


def _unique(items: Iterable[Any]) -> list[Any]:
    """Drop exact repeats (a paper's 300 authors name the same institution 300 times)."""
    seen: dict[Any, list[dict[str, Any]]] = {}
    out = []
    for item in items:
        key = item.id if isinstance(item, Node) else item.key
        earlier = seen.setdefault(key, [])
        if item.props not in earlier:
            earlier.append(item.props)
            out.append(item)
    return out


def default_rejects_path(store: Store, kind: str) -> Path:
    """Beside the embedded store file, else in the current directory."""
    base = Path(store.location).parent if store.kind == "embedded" else Path.cwd()
    return base / f"ingest-{kind}.rejects.jsonl"
