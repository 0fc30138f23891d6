"""The question primitives of the embedded store's view (graph.contract.GraphView).

:class:`Primitives` is a mixin of :class:`~.view.EmbeddedView`, which supplies the SQLite
connection (``_conn``) and the store (``_store``: its adjacency and its memo). Each method
reads what its question needs: ids are mapped to ``nodes.idx`` in SQL, relationships are
found in the CSR adjacency (:mod:`.arrays`), and properties are read in SQL for the rows that
are returned or tested. The risk primitives live in :mod:`.risk_index`, the neighbourhood
step in :mod:`.hood`, and the SQL-only answers in :mod:`.lookups`; this module holds the
batch adjacency reads (links, relationships along pairs, weighted edges).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol, TypeVar

import numpy as np

from ..contract import (
    NameEntry,
    NeighbourPage,
    Pair,
    PaperInstitutions,
    WeightedEdges,
)
from ..records import Relationship
from ..risk import Listing, RiskyInstitution, YearWindow, rel_passes
from ..tiers import Tier
from . import hood, lookups, risk_index, risk_tables
from .arrays import (
    AdjacencyLike,
    Ints,
    as_index,
    distinct,
    entries_to,
    expand,
    first_of_each,
    member,
    type_codes,
)
from .db import LABELS, TYPE_CODE, chunks, ids_of, idx_of, marks, rels_at

T = TypeVar("T")


class _Backing(Protocol):
    """What the primitives need of the store: its adjacency and its cache."""

    def adjacency(self) -> AdjacencyLike: ...

    def memo(self, key: tuple[Any, ...], build: Callable[[], T]) -> T: ...


@dataclass(frozen=True)
class SortedNodes:
    """Every node in id order: ids, id → position, labels, and each ``nodes.idx``'s position
    (-1 where there is no node)."""

    ids: list[str]
    index: dict[str, int]
    labels: list[str]
    position: Ints


class Primitives:
    """GraphView's primitives beyond element reads, over SQL and the CSR adjacency."""

    _conn: sqlite3.Connection
    _store: _Backing

    # -- batch adjacency -----------------------------------------------------------------
    def links(
        self, node_ids: Iterable[str], rel_type: str, direction: Literal["out", "in"]
    ) -> dict[str, list[Relationship]]:
        """Each id's relationships of ``rel_type`` leaving (``out``) or arriving (``in``),
        sorted by key; ids with none are absent.

        Read in SQL through the relationship indexes, not the adjacency: derive calls this
        right after every ingest, and the adjacency would be rebuilt whole for it.
        """
        (code,) = type_codes([rel_type])
        known = idx_of(self._conn, node_ids)
        if not known:
            return {}
        side = "s" if direction == "out" else "e"
        owner: dict[int, str] = {idx: nid for nid, idx in known.items()}
        found: list[tuple[int, int]] = []
        for part in chunks(list(owner)):
            sql = f"SELECT idx, {side} FROM rels WHERE {side} IN ({marks(len(part))}) AND type = ?"
            found += self._conn.execute(sql, (*part, code)).fetchall()
        rels = rels_at(self._conn, [r for r, _ in found])
        out: dict[str, list[Relationship]] = {}
        for rel_idx, node_idx in found:
            rel = rels.get(rel_idx)
            if rel is not None:  # removed between the two reads: not there any more
                out.setdefault(owner[node_idx], []).append(rel)
        for items in out.values():
            items.sort(key=lambda rel: rel.key)
        return out

    # -- names ---------------------------------------------------------------------------
    def name_entries(self, labels: Collection[str]) -> Iterator[NameEntry]:
        """Every name of every node with one of ``labels`` (nodes in id order)."""
        return lookups.name_entries(self._conn, labels)

    def named_exactly(self, text: str, labels: Collection[str]) -> list[str]:
        """Sorted ids of nodes whose ``name`` (a paper's ``title``) is exactly ``text``."""
        return lookups.named_exactly(self._conn, text, labels)

    def with_property(self, label: str, prop: str, values: Collection[str]) -> dict[str, list[str]]:
        """For each value, the sorted ids of ``label`` nodes whose ``prop`` equals it."""
        return lookups.with_property(self._conn, label, prop, values)

    # -- risk ----------------------------------------------------------------------------
    def listings(self, institution_ids: Iterable[str]) -> dict[str, list[Listing]]:
        """The LISTED_ON listings of each institution, strongest first."""
        return lookups.listings(self._conn, institution_ids)

    def risky_institutions(self, floor: Tier) -> dict[str, RiskyInstitution]:
        """Every institution whose effective tier is at or above ``floor``, by id."""
        adj = self._store.adjacency()
        return lookups.risky_institutions(self._conn, adj, self._store.memo, floor)

    # -- paths ---------------------------------------------------------------------------
    def risk_targets(
        self, floor: Tier, types: Sequence[str], years: YearWindow | None
    ) -> frozenset[str]:
        """The institutions a path may end at: effective tier at or above ``floor``."""
        adj = self._store.adjacency()
        return risk_tables.targets(self._conn, adj, self._store.memo, floor).ids

    def risk_steps(
        self,
        frontier: Sequence[str],
        depth: int,
        max_hops: int,
        floor: Tier,
        types: Sequence[str],
        years: YearWindow | None,
    ) -> list[Pair]:
        """The steps out of ``frontier`` that can still reach a target (see the contract)."""
        adj = self._store.adjacency()
        memo = self._store.memo
        found = risk_index.index(self._conn, adj, memo, floor, types, years)
        ids = risk_index.id_cache(adj, memo)
        return risk_index.steps(self._conn, found, ids, frontier, depth, max_hops)

    def relationships_along(
        self, pairs: Iterable[Pair], types: Sequence[str], years: YearWindow | None
    ) -> dict[Pair, list[Relationship]]:
        """For each (u, v), the relationships of ``types`` between them, either direction,
        that pass the year window, sorted by key; pairs without any are absent."""
        wanted = list(dict.fromkeys(pairs))
        known = idx_of(self._conn, {n for pair in wanted for n in pair})
        present = [p for p in wanted if p[0] in known and p[1] in known]
        if not present:
            return {}
        us = as_index([known[u] for u, _ in present])
        vs = as_index([known[v] for _, v in present])
        adj = self._store.adjacency()
        found: set[tuple[int, int]] = set()
        # u -> v is in u's row of the out CSR, v -> u in v's row: no ``into`` CSR needed.
        starts, ends = np.concatenate([us, vs]), np.concatenate([vs, us])
        for code in type_codes(types):
            csr = adj.out(code)
            pos, which = entries_to(csr, starts, ends)
            found.update(zip((which % len(us)).tolist(), csr.rel[pos].tolist(), strict=True))
        rels = rels_at(self._conn, [r for _, r in found])
        out: dict[Pair, list[Relationship]] = {}
        for which_pair, r in found:
            rel = rels[r]
            if rel_passes(rel.type, rel.props, years):
                out.setdefault(present[which_pair], []).append(rel)
        for items in out.values():
            items.sort(key=lambda rel: rel.key)
        return out

    # -- exposure ------------------------------------------------------------------------
    def weighted_edges(
        self, types: Collection[str], around: str | None = None, hops: int = 0
    ) -> WeightedEdges:
        """Every relationship of ``types`` (``around`` None), or those touching a node fewer
        than ``hops`` undirected steps from ``around``; loops left out."""
        names = sorted(set(types))
        type_codes(names)  # refuses unknown types
        adj = self._store.adjacency()
        if around is None:
            return self._all_edges(adj, names)
        return self._ball(adj, names, around, hops)

    def _sorted_nodes(self, adj: AdjacencyLike) -> SortedNodes:
        """Every node in id order (cached per generation: exposure's whole-graph cost)."""

        def build() -> SortedNodes:
            # A scan of the id index alone (it holds idx too); labels come from the adjacency.
            rows = self._conn.execute("SELECT idx, id FROM nodes ORDER BY id").fetchall()
            idxs = as_index([r[0] for r in rows])
            ids = [r[1] for r in rows]
            position = np.full(adj.size, -1, dtype=np.int64)
            position[idxs] = np.arange(len(idxs), dtype=np.int64)
            index = dict(zip(ids, range(len(ids)), strict=True))
            return SortedNodes(ids, index, _labels(adj, idxs), position)

        return self._store.memo(("embedded.sorted_nodes", adj.generation), build)

    def _all_edges(self, adj: AdjacencyLike, names: list[str]) -> WeightedEdges:
        """Every relationship of the types ``names`` (sorted), as positions in id order."""
        nodes = self._sorted_nodes(adj)
        starts: list[Ints] = []
        ends: list[Ints] = []
        kinds: list[Ints] = []
        for kind, name in enumerate(names):
            csr = adj.out(TYPE_CODE[name])
            s = np.repeat(np.arange(adj.size, dtype=np.int64), np.diff(csr.indptr))
            e = csr.nbr.astype(np.int64)
            keep = s != e
            starts.append(nodes.position[s[keep]])
            ends.append(nodes.position[e[keep]])
            kinds.append(np.full(int(keep.sum()), kind, dtype=np.int64))
        return WeightedEdges(
            nodes.ids, nodes.index, nodes.labels, *_joined(starts, ends, kinds), names
        )

    def _ball(self, adj: AdjacencyLike, names: list[str], around: str, hops: int) -> WeightedEdges:
        """The relationships of nodes fewer than ``hops`` steps from ``around``."""
        found = idx_of(self._conn, [around])
        if around not in found:
            return WeightedEdges([around], {around: 0}, [""], *_joined([], [], []), names)
        codes = [TYPE_CODE[n] for n in names]
        inner = _within(adj, codes, found[around], hops - 1) if hops > 0 else as_index([])
        rel_parts: list[Ints] = []
        ends_parts: list[tuple[Ints, Ints]] = []
        kind_parts: list[Ints] = []
        for kind, code in enumerate(codes):
            for way, csr in (("out", adj.out(code)), ("in", adj.into(code))):
                pos, slot = expand(csr.indptr, inner)
                here, there = inner[slot], csr.nbr[pos].astype(np.int64)
                rel_parts.append(csr.rel[pos])
                ends_parts.append((here, there) if way == "out" else (there, here))
                kind_parts.append(np.full(len(pos), kind, dtype=np.int64))
        rel = np.concatenate(rel_parts) if rel_parts else as_index([])
        s = np.concatenate([p[0] for p in ends_parts]) if ends_parts else as_index([])
        e = np.concatenate([p[1] for p in ends_parts]) if ends_parts else as_index([])
        kind_all = np.concatenate(kind_parts) if kind_parts else as_index([])
        first = first_of_each(rel)  # each relationship once
        first = first[s[first] != e[first]]
        s, e, kind_all = s[first], e[first], kind_all[first]
        members = distinct(np.concatenate([s, e, as_index([found[around]])]))
        id_of = ids_of(self._conn, members.tolist())
        names_of = [id_of[i] for i in members.tolist()]
        ordered = sorted(range(len(members)), key=names_of.__getitem__)
        ids = [names_of[i] for i in ordered]
        position = np.empty(len(members), dtype=np.int64)
        position[as_index(ordered)] = np.arange(len(members), dtype=np.int64)
        labels = _labels(adj, members[as_index(ordered)])
        return WeightedEdges(
            ids,
            dict(zip(ids, range(len(ids)), strict=True)),
            labels,
            position[np.searchsorted(members, s)],
            position[np.searchsorted(members, e)],
            kind_all,
            names,
        )

    # -- neighbourhood -------------------------------------------------------------------
    def neighbour_pages(
        self,
        frontier: Sequence[str],
        *,
        types: Collection[str],
        years: YearWindow | None,
        tiers: Collection[str] | None,
        technology: str | None,
        skip: Mapping[str, int],
        cap: int,
    ) -> dict[str, NeighbourPage]:
        """Each frontier node's neighbours that pass the filters: how many, and one page."""
        adj = self._store.adjacency()
        filters = hood.Filters(years, tiers, technology)
        return hood.neighbour_pages(
            self._conn, adj, self._store.memo, frontier, types, filters, skip, cap
        )

    # -- indicators ----------------------------------------------------------------------
    def paper_institutions(
        self, countries: Collection[str], years: YearWindow | None
    ) -> list[PaperInstitutions]:
        """Papers in the year window with the institutions of ``countries`` on them."""
        adj = self._store.adjacency()
        return lookups.paper_institutions(self._conn, adj, self._store.memo, countries, years)


_LABEL_NAMES = np.asarray([*LABELS, ""], dtype=object)  # code -1 (no node): ""


def _labels(adj: AdjacencyLike, idxs: Ints) -> list[str]:
    """The label of each node (at ``nodes.idx``), as names."""
    names: list[str] = _LABEL_NAMES[adj.label[idxs]].tolist()
    return names


def _joined(starts: list[Ints], ends: list[Ints], kinds: list[Ints]) -> tuple[Ints, Ints, Ints]:
    """Concatenated edge arrays (empty int64 arrays when there are none)."""

    def cat(parts: list[Ints]) -> Ints:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    return cat(starts), cat(ends), cat(kinds)


def _within(adj: AdjacencyLike, codes: list[int], source: int, depth: int) -> Ints:
    """The nodes at most ``depth`` undirected steps from ``source`` over ``codes``."""
    seen = as_index([source])
    frontier = seen
    for _ in range(depth):
        reached: list[Ints] = []
        for code in codes:
            for csr in (adj.out(code), adj.into(code)):
                pos, _ = expand(csr.indptr, frontier)
                reached.append(csr.nbr[pos].astype(np.int64))
        if not reached:
            break
        fresh = distinct(np.concatenate(reached))
        frontier = fresh[~member(fresh, seen)]
        if len(frontier) == 0:
            break
        seen = np.sort(np.concatenate([seen, frontier]))
    return seen
