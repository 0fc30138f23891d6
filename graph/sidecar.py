"""Files a store keeps beside it (the audit log, the erasure register): where they live, and
how a line is appended to them so that it survives a crash.

A file belongs beside an embedded store's file; a Neo4j server has no folder of ours, so its
files go to the user's state directory (``$XDG_STATE_HOME/collabgraph``, by default
``~/.local/state/collabgraph``), not the working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

from .open import is_neo4j


def state_directory() -> Path:
    """Where files of a Neo4j store live: ``$XDG_STATE_HOME/collabgraph``."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "collabgraph"


def sidecar_path(store_spec: str, filename: str) -> Path:
    """``filename`` beside the embedded store ``store_spec``, or in the state directory when
    ``store_spec`` is a Neo4j URI (or location)."""
    if is_neo4j(store_spec):
        return state_directory() / filename
    return Path(store_spec).parent / filename


def append_line(path: Path, line: bytes) -> None:
    """Append ``line`` with one ``write`` on an ``O_APPEND`` descriptor, creating the file
    (and its folder) readable by its owner only, and fsync it before returning. A short write
    (a full disk) raises ``OSError`` like any other failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        written = os.write(fd, line)
        if written != len(line):
            raise OSError(28, f"only {written} of {len(line)} bytes written")
        os.fsync(fd)
    finally:
        os.close(fd)
