"""Vectorised reads of the CSR adjacency that the embedded primitives share.

The adjacency holds, per relationship type and direction, a CSR over ``nodes.idx``: node
``i``'s entries are ``nbr[indptr[i]:indptr[i + 1]]`` (the node at the other end) and ``rel``
(the ``rels.idx`` of each relationship), sorted by (nbr, rel). These helpers gather the
entries of many nodes at once, so that a primitive costs what its nodes' entries cost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt
import orjson

from .db import TYPE_CODE

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
T = TypeVar("T")
FEW = 64  # up to this many runs, binary searches run one by one (numpy's own, per run)


class Memo(Protocol):
    """The store's cache: ``build()``'s result, kept until the data changes."""

    def __call__(self, key: tuple[Any, ...], build: Callable[[], T]) -> T: ...


class CsrLike(Protocol):
    """One type's adjacency in one direction (see the module note)."""

    @property
    def indptr(self) -> npt.NDArray[np.int64]: ...

    @property
    def nbr(self) -> npt.NDArray[np.int32]: ...

    @property
    def rel(self) -> npt.NDArray[np.int64]: ...


class AdjacencyLike(Protocol):
    """The store's in-memory adjacency: its generation, node count, label codes, and a CSR
    per type and direction."""

    @property
    def generation(self) -> int: ...

    @property
    def size(self) -> int: ...

    @property
    def label(self) -> npt.NDArray[np.int8]: ...

    def out(self, type_code: int) -> CsrLike: ...

    def into(self, type_code: int) -> CsrLike: ...


def type_codes(types: Iterable[str]) -> list[int]:
    """The codes of relationship types, sorted and distinct; an unknown type is an error."""
    try:
        return sorted({TYPE_CODE[t] for t in types})
    except KeyError as exc:
        raise ValueError(f"unknown relationship type {exc.args[0]!r}") from None


def as_index(values: Sequence[int] | Ints) -> Ints:
    """Node indices as an int64 array."""
    return np.asarray(values, dtype=np.int64)


def json_list(values: Ints | Sequence[int]) -> str:
    """Integers as one JSON array (text, never a blob: SQLite reads blobs as JSONB): a single
    SQL parameter for ``IN (SELECT value FROM json_each(?))``, however many there are."""
    array = np.asarray(values, dtype=np.int64)
    return orjson.dumps(array, option=orjson.OPT_SERIALIZE_NUMPY).decode()


# numpy's own np.unique and np.isin hash or sort their whole input in ways that cost up to
# 100x a plain sort on large int arrays (numpy 2.4), so the primitives use these instead.
def distinct(values: Ints) -> Ints:
    """The distinct values, ascending."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    first = np.empty(len(ordered), dtype=np.bool_)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return ordered[first]


def distinct_inverse(values: Ints) -> tuple[Ints, Ints]:
    """The distinct values (ascending) and, for each value, its position among them."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.ones(len(ordered), dtype=np.bool_)
    if len(ordered) > 1:
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def first_of_each(values: Ints) -> Ints:
    """The position of the first occurrence of each distinct value, in value order."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    first = np.ones(len(ordered), dtype=np.bool_)
    if len(ordered) > 1:
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return order[first]


def member(values: Ints, members: Ints) -> Bools:
    """Which of ``values`` are among ``members`` (sorted ascending)."""
    if len(members) == 0:
        return np.zeros(len(values), dtype=np.bool_)
    at = np.minimum(np.searchsorted(members, values), len(members) - 1)
    found: Bools = members[at] == values
    return found


def expand(indptr: Ints, nodes: Ints) -> tuple[Ints, Ints]:
    """The entry positions of ``nodes`` in a CSR and, for each, the position in ``nodes`` of
    the node it belongs to (entries of one node stay together, in CSR order)."""
    starts = indptr[nodes]
    counts = indptr[nodes + 1] - starts
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    slot = np.repeat(np.arange(len(nodes), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    offsets = np.arange(total, dtype=np.int64) - np.repeat(first, counts)
    return starts[slot] + offsets, slot


def entries_to(csr: CsrLike, us: Ints, vs: Ints) -> tuple[Ints, Ints]:
    """The entry positions of ``us[i]`` whose other end is ``vs[i]``, for every i, and for
    each position its i: a binary search inside each node's slice (sorted by nbr)."""
    lo, hi = csr.indptr[us], csr.indptr[us + 1]
    if len(us) <= FEW:
        start, stop = _search_each(csr.nbr, lo, hi, vs)
    else:
        start = _bisect(csr.nbr, lo, hi, vs, upper=False)
        stop = _bisect(csr.nbr, start, hi, vs, upper=True)
    counts = stop - start
    total = int(counts.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    which = np.repeat(np.arange(len(us), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    offsets = np.arange(total, dtype=np.int64) - np.repeat(first, counts)
    return start[which] + offsets, which


def _search_each(
    values: npt.NDArray[np.int32], lo: Ints, hi: Ints, keys: Ints
) -> tuple[Ints, Ints]:
    """:func:`_bisect`'s two bounds, one run at a time (faster for a few runs)."""
    start = np.empty(len(keys), dtype=np.int64)
    stop = np.empty(len(keys), dtype=np.int64)
    for i, (a, b, key) in enumerate(zip(lo.tolist(), hi.tolist(), keys.tolist(), strict=True)):
        found = values[a:b].searchsorted((key, key + 1))
        start[i], stop[i] = a + int(found[0]), a + int(found[1])
    return start, stop


def _bisect(values: npt.NDArray[np.int32], lo: Ints, hi: Ints, keys: Ints, *, upper: bool) -> Ints:
    """Per i, the first position in the sorted run ``values[lo[i]:hi[i]]`` whose value is at
    least ``keys[i]`` (``upper``: above it), every run searched at once."""
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        probe = values[np.minimum(mid, len(values) - 1)]  # clamped: only inactive runs overrun
        below = (probe <= keys) if upper else (probe < keys)
        go_right = active & below
        go_left = active & ~below
        lo = np.where(go_right, mid + 1, lo)
        hi = np.where(go_left, mid, hi)
