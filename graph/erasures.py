"""The erasure register: people deleted with ``collabgraph forget``, kept out of later writes.

Deleting a researcher from the store is not enough while the sources still hold them: the
next ingest, or the import of a snapshot made before the deletion, would bring them back. So
``forget`` first appends the researcher's id to this register, and every ingest and snapshot
import withholds a registered id's records: the node, and every relationship that touches it.
The rest of the source record (the paper, the other authors, the institutions) is written.

The register holds SHA-256 digests of ids and the time, never a name. It recognises the same
id only: the same person under another id (a name-keyed row of a table where an OpenAlex id
was erased) is not recognised, so check with ``collabgraph paths NAME`` after ingesting such a
source.

It is a JSON-lines file, created readable by its owner only and only ever appended to:
``$COLLABGRAPH_ERASURES``, else ``collabgraph.erasures.jsonl`` beside an embedded store, else
(Neo4j) the user's state directory, as the audit log. Everyone who writes to one Neo4j database
must share one register: set ``COLLABGRAPH_ERASURES`` to the same file.

A register that cannot be read stops the write with the file and line at fault: guessing would
let an erased person back in.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import orjson

from .errors import CollabgraphError
from .records import Node, Relationship
from .sidecar import append_line, sidecar_path

__all__ = ["ERASURES_ENV", "ErasureError", "ErasureRegister", "erasures_path", "id_digest"]

ERASURES_ENV = "COLLABGRAPH_ERASURES"
ERASURES_FILE = "collabgraph.erasures.jsonl"


class ErasureError(CollabgraphError):
    """The register cannot be read or written (the message names the file and line)."""


def erasures_path(store_location: str) -> Path:
    """Where the register of the store at ``store_location`` lives (see the module note)."""
    if os.environ.get(ERASURES_ENV):
        return Path(os.environ[ERASURES_ENV])
    return sidecar_path(store_location, ERASURES_FILE)


@lru_cache(maxsize=200_000)
def id_digest(node_id: str) -> str:
    """The register's form of an id: the SHA-256 hex digest of its UTF-8 bytes."""
    return hashlib.sha256(node_id.encode("utf-8", "surrogatepass")).hexdigest()


class ErasureRegister:
    """The ids erased from one store, read once when made (see :meth:`refresh`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.digests: frozenset[str] = frozenset()
        self.refresh()

    @classmethod
    def for_store(cls, store_location: str) -> ErasureRegister:
        return cls(erasures_path(store_location))

    def __bool__(self) -> bool:
        return bool(self.digests)

    def refresh(self) -> None:
        """Read the file again (absent: nothing erased)."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self.digests = frozenset()
            return
        except OSError as exc:
            raise ErasureError(f"cannot read the erasure register {self.path} ({exc})") from None
        found: set[str] = set()
        for number, line in enumerate(data.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                digest = orjson.loads(line)["id_sha256"]
            except (orjson.JSONDecodeError, TypeError, KeyError):
                digest = None
            if not (isinstance(digest, str) and len(digest) == 64):
                raise ErasureError(
                    f"{self.path} line {number}: not an erasure record (field id_sha256 must "
                    "hold a SHA-256 hex digest); fix or remove the line, nothing was written"
                )
            found.add(digest)
        self.digests = frozenset(found)

    def erased(self, node_id: str) -> bool:
        return bool(self.digests) and id_digest(node_id) in self.digests

    def touches(self, record: Node | Relationship) -> bool:
        """Whether the record is an erased node or a relationship with an erased end."""
        if isinstance(record, Node):
            return self.erased(record.id)
        return self.erased(record.start) or self.erased(record.end)

    def add(self, node_id: str, when: str) -> None:
        """Append ``node_id`` (as its digest) and make it durable before returning."""
        line = orjson.dumps({"id_sha256": id_digest(node_id), "when": when}) + b"\n"
        try:
            append_line(self.path, line)
        except OSError as exc:
            raise ErasureError(f"cannot write the erasure register {self.path} ({exc})") from None
        self.digests = self.digests | {id_digest(node_id)}

    def withhold(
        self, nodes: Iterable[Node], rels: Iterable[Relationship]
    ) -> tuple[list[Node], list[Relationship], int]:
        """The nodes and relationships not about an erased id, and how many were dropped."""
        nodes, rels = list(nodes), list(rels)
        if not self.digests:
            return nodes, rels, 0
        kept_nodes = [n for n in nodes if not self.touches(n)]
        kept_rels = [r for r in rels if not self.touches(r)]
        return kept_nodes, kept_rels, len(nodes) - len(kept_nodes) + len(rels) - len(kept_rels)
