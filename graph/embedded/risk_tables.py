"""The per-node facts the embedded risk primitives filter by, as arrays over ``nodes.idx``.

* The **tier table**: every institution's effective tier (:mod:`graph.risk`: the highest of
  its ``LISTED_ON`` tiers and its own ``tier``), int8.
* The **targets** of one floor: the institutions at or above it (indices and ids).
* **Paper years**: each paper's integer ``year`` (int32), for the year-window tests.
* **Relationship years** of the windowed types (affiliations' ``years``, co-authorships'
  ``first_year`` / ``last_year``), so that the relationships passing any window
  (:func:`passing_rels`, the tests of :func:`graph.risk.rel_passes`) are found in numpy.

Each is read once per store generation through the store's memo (keyed by the adjacency's
generation too, so arrays and adjacency always describe the same data).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ..risk import YearWindow, tier_of
from ..tiers import Tier
from .arrays import AdjacencyLike, Bools, Ints, Memo, json_list
from .db import LABEL_CODE, TYPE_CODE, ids_of

NO_YEAR = np.iinfo(np.int32).min

INSTITUTION = LABEL_CODE["Institution"]
PAPER = LABEL_CODE["Paper"]
LISTED_ON = TYPE_CODE["LISTED_ON"]
AFFILIATED_WITH = TYPE_CODE["AFFILIATED_WITH"]
CO_AUTHORED = TYPE_CODE["CO_AUTHORED"]


@dataclass(frozen=True)
class TierTable:
    """Each node's effective tier (0 for all but tiered or listed institutions), and which
    institutions have an own ``tier`` or a listing at all."""

    tier: npt.NDArray[np.int8]
    known: Bools


@dataclass(frozen=True)
class Targets:
    """The institutions at or above one floor: their indices (ascending) and ids."""

    idxs: Ints
    ids: frozenset[str]


# -- tiers ---------------------------------------------------------------------------------
def tier_table(conn: sqlite3.Connection, adj: AdjacencyLike) -> TierTable:
    """Read every institution's own tier and every listing's tier, once."""
    tier = np.zeros(adj.size, dtype=np.int8)
    known = np.zeros(adj.size, dtype=np.bool_)
    rows = conn.execute(
        "SELECT idx, json_extract(props, '$.tier') FROM nodes "
        "WHERE label = ? AND json_extract(props, '$.tier') IS NOT NULL",
        (INSTITUTION,),
    )
    for idx, own in rows:
        if idx < adj.size:
            tier[idx] = max(int(tier[idx]), int(tier_of(own)))
            known[idx] = True
    listed = adj.out(LISTED_ON)
    rows = conn.execute(
        "SELECT s, json_extract(props, '$.tier') FROM rels "
        "WHERE idx IN (SELECT value FROM json_each(?))",
        (json_list(listed.rel),),
    )
    for idx, value in rows:
        if idx < adj.size:
            tier[idx] = max(int(tier[idx]), int(tier_of(value)))
            known[idx] = True
    return TierTable(tier, known & (adj.label == INSTITUTION))


def tiers(conn: sqlite3.Connection, adj: AdjacencyLike, memo: Memo) -> TierTable:
    """The tier table of the current data (cached per store generation)."""
    return memo(("embedded.tier_table", adj.generation), lambda: tier_table(conn, adj))


def targets(conn: sqlite3.Connection, adj: AdjacencyLike, memo: Memo, floor: Tier) -> Targets:
    """Every institution whose effective tier is at or above ``floor`` (cached)."""

    def build() -> Targets:
        table = tiers(conn, adj, memo)
        chosen = np.flatnonzero((adj.label == INSTITUTION) & (table.tier >= int(floor)))
        return Targets(chosen.astype(np.int64), frozenset(ids_of(conn, chosen).values()))

    return memo(("embedded.risk_targets", adj.generation, int(floor)), build)


# -- year windows --------------------------------------------------------------------------
def paper_years(conn: sqlite3.Connection, adj: AdjacencyLike, memo: Memo) -> npt.NDArray[np.int32]:
    """Each paper's integer ``year`` (NO_YEAR for other nodes and undated papers), cached."""

    def build() -> npt.NDArray[np.int32]:
        years = np.full(adj.size, NO_YEAR, dtype=np.int32)
        rows = conn.execute(
            "SELECT idx, json_extract(props, '$.year') FROM nodes "
            "WHERE label = ? AND json_type(props, '$.year') = 'integer'",
            (PAPER,),
        ).fetchall()
        if rows:
            found = np.asarray(rows, dtype=np.int64)
            found = found[found[:, 0] < adj.size]
            years[found[:, 0]] = np.clip(found[:, 1], NO_YEAR + 1, np.iinfo(np.int32).max)
        return years

    return memo(("embedded.paper_years", adj.generation), build)


def in_window(years: npt.NDArray[np.int32], window: YearWindow) -> Bools:
    """Which of ``years`` fall in ``window`` (:func:`graph.risk.in_window`; NO_YEAR never)."""
    lo, hi = window
    ok: Bools = years != NO_YEAR
    if lo is not None:
        ok &= years >= lo
    if hi is not None:
        ok &= years <= hi
    return ok


def node_mask(
    conn: sqlite3.Connection, adj: AdjacencyLike, memo: Memo, window: YearWindow
) -> Bools:
    """The nodes a path may step on in ``window``: every node but papers outside it."""
    papers: Bools = adj.label == PAPER
    return ~papers | in_window(paper_years(conn, adj, memo), window)


@dataclass(frozen=True)
class RelYears:
    """The years of every relationship of one windowed type, as arrays.

    ``rels`` holds their ``rels.idx`` (ascending). An affiliation passes a window when it has
    no years (``dated`` false) or one of them (``year[i]`` of ``owner[i]``) is inside; a
    co-authorship when its ``last`` year is not before the window and its ``first`` not after
    it (NO_YEAR: not an integer, which fails a bound).
    """

    rels: Ints
    dated: Bools | None = None
    owner: Ints | None = None
    year: Ints | None = None
    first: Ints | None = None
    last: Ints | None = None


AFFILIATION_YEARS_SQL = (
    "SELECT r.idx, y.value, y.type FROM rels AS r LEFT JOIN json_each(r.props, '$.years') AS y "
    "WHERE r.idx IN (SELECT value FROM json_each(?))"
)
CO_AUTHORSHIP_YEARS_SQL = (
    "SELECT idx, props ->> '$.first_year', props ->> '$.last_year' FROM rels "
    "WHERE idx IN (SELECT value FROM json_each(?))"
)


def _years(values: list[Any]) -> Ints:
    """Integer years, NO_YEAR for anything else (missing, or not an integer)."""
    return np.asarray([v if isinstance(v, int) else NO_YEAR for v in values], dtype=np.int64)


def read_rel_years(conn: sqlite3.Connection, adj: AdjacencyLike, code: int) -> RelYears:
    """Read the years of every relationship of ``code`` (a windowed type) once."""
    rels = np.sort(adj.out(code).rel)
    ids = json_list(rels)
    if code == AFFILIATED_WITH:
        rows = conn.execute(AFFILIATION_YEARS_SQL, (ids,)).fetchall()
        owners = np.asarray([r[0] for r in rows], dtype=np.int64)
        has_value = np.asarray([r[2] is not None for r in rows], dtype=np.bool_)
        integer = np.asarray([r[2] == "integer" for r in rows], dtype=np.bool_)
        dated = np.zeros(len(rels), dtype=np.bool_)
        dated[np.searchsorted(rels, owners[has_value])] = True
        year = _years([r[1] for r, ok in zip(rows, integer.tolist(), strict=True) if ok])
        return RelYears(rels, dated=dated, owner=np.searchsorted(rels, owners[integer]), year=year)
    rows = conn.execute(CO_AUTHORSHIP_YEARS_SQL, (ids,)).fetchall()
    order = np.argsort(np.asarray([r[0] for r in rows], dtype=np.int64))
    first = _years([r[1] for r in rows])[order]
    last = _years([r[2] for r in rows])[order]
    return RelYears(rels, first=first, last=last)


def passing_rels(
    conn: sqlite3.Connection, adj: AdjacencyLike, memo: Memo, code: int, window: YearWindow
) -> Ints | None:
    """The ``rels.idx`` (ascending) of type ``code`` that pass ``window``
    (:func:`graph.risk.rel_passes`); None: every one of them (a type without years)."""
    if code not in (AFFILIATED_WITH, CO_AUTHORED):
        return None
    found = memo(
        ("embedded.rel_years", adj.generation, code), lambda: read_rel_years(conn, adj, code)
    )
    lo, hi = window
    if found.dated is not None and found.owner is not None and found.year is not None:
        inside = np.ones(len(found.year), dtype=np.bool_)
        if lo is not None:
            inside &= found.year >= lo
        if hi is not None:
            inside &= found.year <= hi
        ok = ~found.dated
        ok[found.owner[inside & (found.year != NO_YEAR)]] = True
    else:
        assert found.first is not None and found.last is not None
        ok = np.ones(len(found.rels), dtype=np.bool_)
        if lo is not None:
            ok &= (found.last != NO_YEAR) & (found.last >= lo)
        if hi is not None:
            ok &= (found.first != NO_YEAR) & (found.first <= hi)
    passing: Ints = found.rels[ok]
    return passing
