"""A small cache of ``nodes.id`` ↔ ``nodes.idx`` for the path search's repeated look-ups.

A level search hands the ids one call returned back as the next call's frontier, and
searches from different sources meet at the same hubs, so the same few thousand ids are
mapped again and again. The cache keeps at most :data:`LIMIT` pairs (it starts afresh when
full), so it never grows towards the whole id column; the store keeps one per generation
(through its memo), so a write that deletes or adds nodes never leaves a stale pair behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from .db import ids_of, idx_of

LIMIT = 50_000


class IdCache:
    """Recently mapped ids and indices of one store generation."""

    def __init__(self) -> None:
        self._idx: dict[str, int] = {}
        self._id: dict[int, str] = {}

    def _keep(self, pairs: dict[str, int]) -> None:
        if len(self._idx) + len(pairs) > LIMIT:
            self._idx, self._id = {}, {}
        self._idx.update(pairs)
        self._id.update((idx, node_id) for node_id, idx in pairs.items())

    def idx_of(self, conn: sqlite3.Connection, ids: Iterable[str]) -> dict[str, int]:
        """``nodes.idx`` of each id that names a node (:func:`db.idx_of`, cached)."""
        known = self._idx
        wanted = list(dict.fromkeys(ids))
        missing = [n for n in wanted if n not in known]
        found = idx_of(conn, missing) if missing else {}
        out = {n: known[n] for n in wanted if n in known}
        out.update(found)
        if found:
            self._keep(found)
        return out

    def ids_of(self, conn: sqlite3.Connection, idxs: Iterable[int]) -> dict[int, str]:
        """The id of each ``nodes.idx`` that exists (:func:`db.ids_of`, cached)."""
        known = self._id
        wanted = list(dict.fromkeys(idxs))
        missing = [i for i in wanted if i not in known]
        found = ids_of(conn, missing) if missing else {}
        out = {i: known[i] for i in wanted if i in known}
        out.update(found)
        if found:
            self._keep({node_id: idx for idx, node_id in found.items()})
        return out
