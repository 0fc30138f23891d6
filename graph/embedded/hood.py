"""One level of a neighbourhood on the embedded store (GraphView.neighbour_pages).

Every relationship of the chosen types at each frontier node is gathered from the CSR
adjacency at once; the filters on the node at the other end (a paper's year and technology,
an institution's effective tier) are array lookups. Strength needs properties only for
co-authorships and affiliations (:func:`graph.contract.link_strength`), read in SQL for those
relationships alone; ids are read only for the neighbours that may make a page (ties at the
page's last strength are broken by id), and nodes and relationships only for the page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..contract import Neighbour, NeighbourPage
from ..risk import YearWindow
from ..tiers import Tier
from .arrays import (
    AdjacencyLike,
    Bools,
    Ints,
    Memo,
    as_index,
    distinct_inverse,
    expand,
    json_list,
    member,
    type_codes,
)
from .db import TYPE_CODE, ids_of, idx_of, nodes_at, rels_at
from .risk_tables import INSTITUTION, PAPER, in_window, paper_years, tiers

CONCERNS = TYPE_CODE["CONCERNS"]
STRENGTH_SQL = {
    TYPE_CODE["CO_AUTHORED"]: (
        "CASE WHEN json_type(props, '$.papers') = 'integer' "
        "THEN json_extract(props, '$.papers') ELSE 1 END"
    ),
    TYPE_CODE["AFFILIATED_WITH"]: (
        "max(1, coalesce(json_array_length(props, '$.evidence_papers'), 0))"
    ),
}


@dataclass(frozen=True)
class Filters:
    """What a neighbour must pass (see GraphView.neighbour_pages)."""

    years: YearWindow | None
    tiers: Collection[str] | None
    technology: str | None


@dataclass(frozen=True)
class Entries:
    """Relationships at frontier nodes: the node's slot, the other end, rels.idx, type."""

    slot: Ints
    other: Ints
    rel: Ints
    kind: Ints

    def where(self, keep: Bools) -> Entries:
        return Entries(self.slot[keep], self.other[keep], self.rel[keep], self.kind[keep])


def gather(adj: AdjacencyLike, nodes: Ints, types: Collection[str]) -> Entries:
    """Every relationship of ``types`` touching ``nodes``, each once (a loop from its start)."""
    parts: list[Entries] = []
    for code in type_codes(types):
        for way, csr in (("out", adj.out(code)), ("in", adj.into(code))):
            pos, slot = expand(csr.indptr, nodes)
            other = csr.nbr[pos].astype(np.int64)
            entries = Entries(slot, other, csr.rel[pos], np.full(len(pos), code, dtype=np.int64))
            parts.append(entries.where(other != nodes[slot]) if way == "in" else entries)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Entries(empty, empty, empty, empty)
    return Entries(
        np.concatenate([p.slot for p in parts]),
        np.concatenate([p.other for p in parts]),
        np.concatenate([p.rel for p in parts]),
        np.concatenate([p.kind for p in parts]),
    )


def passing(
    conn: sqlite3.Connection, adj: AdjacencyLike, memo: Memo, nodes: Ints, filters: Filters
) -> Bools:
    """Which of ``nodes`` pass the filters on papers and institutions."""
    label = adj.label[nodes]
    ok = np.ones(len(nodes), dtype=np.bool_)
    papers = label == PAPER
    if filters.years is not None and papers.any():
        ok[papers] &= in_window(paper_years(conn, adj, memo)[nodes[papers]], filters.years)
    if filters.technology is not None and papers.any():
        ok[papers] &= member(nodes[papers], concerning(conn, adj, filters.technology))
    institutions = label == INSTITUTION
    if filters.tiers is not None and institutions.any():
        allowed = np.asarray([t.label in filters.tiers for t in Tier], dtype=np.bool_)
        ok[institutions] &= allowed[tiers(conn, adj, memo).tier[nodes[institutions]]]
    return ok


def concerning(conn: sqlite3.Connection, adj: AdjacencyLike, technology: str) -> Ints:
    """The papers that CONCERN ``technology`` (none if it is not a node)."""
    found = idx_of(conn, [technology])
    if technology not in found:
        return np.zeros(0, dtype=np.int64)
    csr = adj.into(CONCERNS)
    at = found[technology]
    return csr.nbr[csr.indptr[at] : csr.indptr[at + 1]].astype(np.int64)


def strengths(conn: sqlite3.Connection, entries: Entries) -> Ints:
    """Each relationship's :func:`graph.contract.link_strength` (1 unless read in SQL)."""
    out = np.ones(len(entries.rel), dtype=np.int64)
    for code, expression in STRENGTH_SQL.items():
        at = np.flatnonzero(entries.kind == code)
        if len(at) == 0:
            continue
        rows = conn.execute(
            f"SELECT idx, {expression} FROM rels WHERE idx IN (SELECT value FROM json_each(?))",
            (json_list(entries.rel[at]),),
        ).fetchall()
        found = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
        order = np.argsort(found[:, 0])
        rels, values = found[order, 0], found[order, 1]
        out[at] = values[np.searchsorted(rels, entries.rel[at])]
    return out


def neighbour_pages(
    conn: sqlite3.Connection,
    adj: AdjacencyLike,
    memo: Memo,
    frontier: Sequence[str],
    types: Collection[str],
    filters: Filters,
    skip: Mapping[str, int],
    cap: int,
) -> dict[str, NeighbourPage]:
    """GraphView.neighbour_pages: each frontier node's passing neighbours, counted and paged."""
    known = idx_of(conn, frontier)
    order = [u for u in dict.fromkeys(frontier) if u in known]
    nodes = as_index([known[u] for u in order])
    entries = gather(adj, nodes, types)
    entries = entries.where(passing(conn, adj, memo, entries.other, filters))
    weight = strengths(conn, entries)
    # One group per (frontier slot, neighbour): its strength is the sum over its entries.
    group_key = entries.slot * np.int64(max(adj.size, 1)) + entries.other
    groups, group_of = distinct_inverse(group_key)
    total_weight = np.zeros(len(groups), dtype=np.int64)
    np.add.at(total_weight, group_of, weight)
    group_slot = groups // max(adj.size, 1)
    group_node = groups % max(adj.size, 1)
    chosen = choose_pages(conn, order, group_slot, group_node, total_weight, skip, cap)
    return assemble(conn, order, entries, group_of, chosen, group_slot, group_node, total_weight)


def choose_pages(
    conn: sqlite3.Connection,
    order: Sequence[str],
    group_slot: Ints,
    group_node: Ints,
    weight: Ints,
    skip: Mapping[str, int],
    cap: int,
) -> list[list[int]]:
    """For each frontier slot, the groups on its page: strongest first, ties by id. Only the
    groups at or above the page's last strength have their ids read."""
    bounds = np.searchsorted(group_slot, np.arange(len(order) + 1))
    wanted: list[Ints] = []
    for s, node_id in enumerate(order):
        lo, hi = int(bounds[s]), int(bounds[s + 1])
        room = skip.get(node_id, 0) + cap
        if room <= 0:
            wanted.append(np.zeros(0, dtype=np.int64))
        elif hi - lo > room:
            # The room-th strongest weight: every group above it is on the page or before.
            last = np.partition(weight[lo:hi], hi - lo - room)[hi - lo - room]
            wanted.append(lo + np.flatnonzero(weight[lo:hi] >= last))
        else:
            wanted.append(np.arange(lo, hi, dtype=np.int64))
    every = np.concatenate(wanted) if wanted else np.zeros(0, dtype=np.int64)
    names = ids_of(conn, group_node[every].tolist())
    pages: list[list[int]] = []
    for s, groups in enumerate(wanted):
        ranked = sorted(groups.tolist(), key=lambda g: (-int(weight[g]), names[int(group_node[g])]))
        start = skip.get(order[s], 0)
        pages.append(ranked[start : start + cap])
    return pages


def assemble(
    conn: sqlite3.Connection,
    order: Sequence[str],
    entries: Entries,
    group_of: Ints,
    pages: list[list[int]],
    group_slot: Ints,
    group_node: Ints,
    weight: Ints,
) -> dict[str, NeighbourPage]:
    """The pages as contract objects: nodes, strengths, relationships sorted by key."""
    shown = np.asarray([g for page in pages for g in page], dtype=np.int64)
    chosen = np.zeros(len(group_slot), dtype=np.bool_)
    chosen[shown] = True
    on_page = chosen[group_of]
    rels = rels_at(conn, entries.rel[on_page].tolist())
    by_group: dict[int, list[int]] = {}
    for g, r in zip(group_of[on_page].tolist(), entries.rel[on_page].tolist(), strict=True):
        by_group.setdefault(g, []).append(r)
    nodes = nodes_at(conn, group_node[shown].tolist())
    totals = np.bincount(group_slot, minlength=len(order))
    out: dict[str, NeighbourPage] = {}
    for s, page in enumerate(pages):
        items = tuple(
            Neighbour(
                nodes[int(group_node[g])],
                int(weight[g]),
                tuple(sorted((rels[r] for r in by_group[g]), key=lambda x: x.key)),
            )
            for g in page
        )
        out[order[s]] = NeighbourPage(int(totals[s]), items)
    return out
