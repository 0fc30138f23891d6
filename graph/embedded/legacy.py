"""Reading a store file of the previous format (format_version 1), for migration.

That format is gzip-compressed JSON lines: a header
``{"format": "collabgraph-embedded", "format_version": 1, "schema_version": N}``, then one line
per node ``{"n": label, "id": id, "p": {props}}`` and one per relationship
``{"r": type, "s": start, "e": end, "p": {props}}``. :func:`read_v1` streams its records (nodes
come before the relationships that use them, as they were saved); ``collabgraph import`` writes
them into a new store. Every error names the file and the line.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from ..errors import StoreError
from ..records import Node, Relationship
from .db import FORMAT

V1 = 1


def is_v1(path: str | os.PathLike[str]) -> bool:
    """True if ``path`` starts like a store file of the previous format."""
    try:
        with gzip.open(path, "rb") as fh:
            header = orjson.loads(fh.readline(1 << 16))
    except (OSError, EOFError, zlib.error, orjson.JSONDecodeError):
        return False
    return isinstance(header, dict) and header.get("format") == FORMAT


def read_v1(path: str | os.PathLike[str]) -> Iterator[Node | Relationship]:
    """The nodes and relationships of a format-1 store file, in file order.

    Raises :class:`StoreError` naming the file (and the line) when it is not such a file or a
    line cannot be read. Properties are handed on as they were stored; the writer that receives
    them validates them against the schema.
    """
    where = Path(path)
    line_no = 0
    try:
        with gzip.open(where, "rb") as fh:
            line_no = 1
            header = _json(fh.readline(), where, line_no)
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise StoreError(f"{where}:1: not a collabgraph embedded store file")
            if header.get("format_version") != V1:
                raise StoreError(
                    f"{where}:1: store format version {header.get('format_version')!r} is not {V1}"
                )
            for line_no, line in enumerate(fh, start=2):
                if not line.strip():
                    continue
                yield _record(_json(line, where, line_no), where, line_no)
    except (OSError, EOFError, zlib.error) as exc:
        at = f":{line_no}" if line_no else ""
        raise StoreError(f"{where}{at}: cannot read the store file ({exc})") from None


def _json(line: bytes, where: Path, line_no: int) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        raise StoreError(f"{where}:{line_no}: not a JSON line ({exc})") from None


def _record(rec: Any, where: Path, line_no: int) -> Node | Relationship:
    if not isinstance(rec, dict):
        raise StoreError(f"{where}:{line_no}: neither node nor relationship")
    props = rec.get("p", {})
    if not isinstance(props, dict):
        raise StoreError(f"{where}:{line_no}: properties ('p') are not an object")
    if "n" in rec:
        label, node_id = rec["n"], rec.get("id")
        if not isinstance(label, str) or not isinstance(node_id, str):
            raise StoreError(f"{where}:{line_no}: a node needs a label 'n' and an 'id' (text)")
        return Node(label, node_id, props)
    if "r" in rec:
        rel_type, start, end = rec["r"], rec.get("s"), rec.get("e")
        if not (isinstance(rel_type, str) and isinstance(start, str) and isinstance(end, str)):
            raise StoreError(
                f"{where}:{line_no}: a relationship needs a type 'r' and endpoints 's', 'e' (text)"
            )
        return Relationship(rel_type, start, end, props)
    raise StoreError(f"{where}:{line_no}: neither node nor relationship")
