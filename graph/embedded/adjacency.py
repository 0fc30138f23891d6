"""The in-memory adjacency of the embedded store: CSR arrays per relationship type, built from
the database in one pass.

:func:`build` reads ``type, s, e, idx`` of every relationship in one read transaction (one
snapshot, together with the generation it belongs to). The rows come out of SQLite as a few
``group_concat`` strings per chunk that numpy parses in C, so no Python object is made per
row; one stable sort over a composite ``(type, s, e)`` key (the rows arrive nearly in that
order, from the ``UNIQUE(s, type, e, key)`` index) then orders every relationship by start
node. From those arrays :meth:`Adjacency.out` slices a type's CSR by start node (views, no
copy) and :meth:`Adjacency.into` sorts one by end node; each is made on first use and kept.

Memory: 16 bytes per relationship for the shared arrays, 12 more per relationship for an
``into`` CSR in use, and ``8 * (size + 1)`` bytes per CSR made for its ``indptr``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sqlite3
import sys
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .db import LABELS, TYPES, generation

Ints = npt.NDArray[np.int64]
Int32s = npt.NDArray[np.int32]
# Relationships per chunk read from SQLite: bounds the text buffers while building.
CHUNK_ROWS = 250_000


@dataclass(frozen=True)
class Csr:
    """One type's relationships in one direction: node ``i``'s entries are
    ``nbr[indptr[i]:indptr[i + 1]]`` (the other end's idx) and ``rel`` (each ``rels.idx``),
    sorted by (nbr, rel)."""

    indptr: npt.NDArray[np.int64]
    nbr: npt.NDArray[np.int32]
    rel: npt.NDArray[np.int64]

    @property
    def nbytes(self) -> int:
        return int(self.indptr.nbytes + self.nbr.nbytes + self.rel.nbytes)


class Adjacency:
    """Every relationship of the store at one generation, as CSR arrays over ``nodes.idx``."""

    def __init__(
        self,
        generation: int,
        size: int,
        label: npt.NDArray[np.int8],
        starts: npt.NDArray[np.int32],
        ends: npt.NDArray[np.int32],
        rels: Ints,
        bounds: Ints,
    ) -> None:
        """``starts``, ``ends``, ``rels``: every relationship sorted by (type, start, end,
        idx); type ``t``'s are at ``bounds[t]:bounds[t + 1]``."""
        self.generation = generation
        self.size = size
        self.label = label
        self._starts = starts
        self._ends = ends
        self._rels = rels
        self._bounds = bounds
        self._out: dict[int, Csr] = {}
        self._into: dict[int, Csr] = {}

    @property
    def relationships(self) -> int:
        return len(self._rels)

    def count(self, type_code: int) -> int:
        """How many relationships of that type there are."""
        return int(self._bounds[type_code + 1] - self._bounds[type_code])

    def _segment(self, type_code: int) -> slice:
        if not 0 <= type_code < len(TYPES):
            raise ValueError(f"no relationship type has code {type_code}")
        return slice(int(self._bounds[type_code]), int(self._bounds[type_code + 1]))

    def _indptr(self, keys: npt.NDArray[np.int32]) -> Ints:
        indptr = np.zeros(self.size + 1, dtype=np.int64)
        if len(keys):
            np.cumsum(np.bincount(keys, minlength=self.size), out=indptr[1:])
        return indptr

    def out(self, type_code: int) -> Csr:
        """Relationships of that type by start node."""
        found = self._out.get(type_code)
        if found is None:
            part = self._segment(type_code)
            found = Csr(self._indptr(self._starts[part]), self._ends[part], self._rels[part])
            self._out[type_code] = found
        return found

    def into(self, type_code: int) -> Csr:
        """Relationships of that type by end node."""
        found = self._into.get(type_code)
        if found is None:
            part = self._segment(type_code)
            ends = self._ends[part]
            # The segment is in (start, end, idx) order; a stable sort by end keeps (start, idx)
            # order among equal ends.
            order = np.argsort(ends, kind="stable")
            found = Csr(self._indptr(ends), self._starts[part][order], self._rels[part][order])
            self._into[type_code] = found
        return found

    @property
    def nbytes(self) -> int:
        """Bytes held by the arrays (shared arrays, labels, and every CSR made so far)."""
        total = self.label.nbytes + self._starts.nbytes + self._ends.nbytes + self._rels.nbytes
        total += self._bounds.nbytes
        total += sum(c.indptr.nbytes for c in self._out.values())  # nbr, rel: views
        total += sum(c.nbytes for c in self._into.values())
        return int(total)

    def __repr__(self) -> str:
        return (
            f"Adjacency(generation={self.generation}, size={self.size}, "
            f"relationships={self.relationships}, nbytes={self.nbytes})"
        )


def _columns(conn: sqlite3.Connection, sql: str, params: tuple[int, ...], count: int) -> list[Ints]:
    """The columns of an aggregate query ``SELECT group_concat(a), group_concat(b) …``.

    The aggregates of one statement see the rows in the same order, so the arrays line up.
    """
    row = conn.execute(sql, params).fetchone()
    if row is None or row[0] is None:
        return [np.zeros(0, dtype=np.int64) for _ in range(count)]
    return [np.fromstring(text, dtype=np.int64, sep=",") for text in row]


def _order(
    types: npt.NDArray[np.int8], starts: Int32s, ends: Int32s, rels: Ints, size: int
) -> Ints:
    """The permutation that sorts relationships by (type, start, end, idx)."""
    if len(TYPES) * size * size < 2**62:
        key = (types.astype(np.int64) * size + starts) * size + ends
        order = np.argsort(key, kind="stable")  # nearly sorted already: fast
        sorted_key = key[order]
        same = sorted_key[1:] == sorted_key[:-1]
        if same.any():
            # Relationships with the same (type, start, end) and different key properties come
            # in key order; put them in idx order.
            tied = np.zeros(len(order), dtype=bool)
            tied[1:] |= same
            tied[:-1] |= same
            where = np.flatnonzero(tied)
            members = order[where]
            order[where] = members[np.lexsort((rels[members], sorted_key[where]))]
        return order
    return np.lexsort((rels, ends, starts, types))


def build(conn: sqlite3.Connection) -> Adjacency:
    """The adjacency of the database as it is now (one snapshot)."""
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")  # deferred: a read transaction, one snapshot for every query
    try:
        gen = generation(conn)
        top = conn.execute("SELECT max(idx) FROM nodes").fetchone()[0]
        size = 0 if top is None else int(top) + 1
        if len(LABELS) > 127:
            raise ValueError("more than 127 labels do not fit the int8 label codes")
        label = np.full(size, -1, dtype=np.int8)
        node_idx, node_label = _columns(
            conn, "SELECT group_concat(idx), group_concat(label) FROM nodes", (), 2
        )
        label[node_idx] = node_label
        del node_idx, node_label
        total = int(conn.execute("SELECT count(*) FROM rels").fetchone()[0])
        # Chunks by ranges of start idx (the rows come in start order, from the unique index),
        # each parsed into compact arrays at once so that the text never piles up.
        step = max(1, size * CHUNK_ROWS // total) if total > CHUNK_ROWS else max(size, 1)
        sql = (
            "SELECT group_concat(type), group_concat(s), group_concat(e), group_concat(idx) "
            "FROM rels WHERE s >= ? AND s < ?"
        )
        parts: list[tuple[npt.NDArray[np.int8], Int32s, Int32s, Ints]] = []
        for low in range(0, max(size, 1), step):
            t, s, e, i = _columns(conn, sql, (low, low + step), 4)
            parts.append((t.astype(np.int8), s.astype(np.int32), e.astype(np.int32), i))
    finally:
        if began and conn.in_transaction:
            conn.execute("COMMIT")
    types = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, dtype=np.int8)
    starts = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    ends = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, dtype=np.int32)
    rels = np.concatenate([p[3] for p in parts]) if parts else np.zeros(0, dtype=np.int64)
    del parts
    order = _order(types, starts, ends, rels, size)
    types = types[order]
    bounds = np.searchsorted(types, np.arange(len(TYPES) + 1), side="left").astype(np.int64)
    del types
    adjacency = Adjacency(
        generation=gen,
        size=size,
        label=label,
        starts=starts[order],
        ends=ends[order],
        rels=rels[order],
        bounds=bounds,
    )
    del order, starts, ends, rels
    give_back()
    return adjacency


def give_back() -> None:
    """Return the heap the build freed (text buffers, temporary arrays) to the system.

    glibc keeps freed blocks of that size in the process heap; without this the process
    would stay at its peak (several times the adjacency) for its whole life.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only: absent under musl
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()
