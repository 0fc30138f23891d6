"""Hop-bounded max-product propagation on a weighted undirected graph, in numpy.

The exposure score (queries/exposure.py) needs, for a source node, the best path strength to
every node within ``hops``: the product of the relationship weights along the path, times
``decay`` for each hop after the first. Weights and decay are at most 1, so the best walk is
always a simple path and a hop-bounded Bellman-Ford (Jacobi rounds: each round extends only
the paths improved in the previous one) finds it exactly. Each round is a handful of vectorised
operations over the frontier's relationships, so a source costs what its neighbourhood costs.

A candidate's value is always computed as ``value × weight`` (then ``× decay`` after the first
hop), in that order, so every way of taking the maximum gives the same floating-point number:
:func:`scores` and :meth:`Csr.best_paths` agree to the last bit.

Ties (equal strength) keep the path found in an earlier round (fewer hops), then the smaller
predecessor, then the smaller relationship type, by index; nodes are indexed in id order, so
the choice is the same on every store that supplies the same relationships.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Csr:
    """Undirected adjacency: node ``i``'s steps are ``nbr[indptr[i]:indptr[i + 1]]``."""

    ids: list[str]
    index: dict[str, int]
    indptr: Ints
    nbr: Ints
    weight: Floats
    rtype: Ints
    types: list[str]

    @classmethod
    def build(
        cls,
        node_ids: Iterable[str],
        edges: Iterable[tuple[str, str, str]],
        weights: dict[str, float],
    ) -> Csr:
        """From (start, end, type) relationships; types without a weight are left out."""
        types = sorted(weights)
        tindex = {t: i for i, t in enumerate(types)}
        starts: list[str] = []
        ends: list[str] = []
        kinds: list[int] = []
        for s, e, t in edges:
            if t in tindex and s != e:
                starts.append(s)
                ends.append(e)
                kinds.append(tindex[t])
        ids = sorted(set(node_ids).union(starts, ends))
        index = {n: i for i, n in enumerate(ids)}
        a = np.fromiter((index[s] for s in starts), dtype=np.int64, count=len(starts))
        b = np.fromiter((index[e] for e in ends), dtype=np.int64, count=len(ends))
        return cls.from_arrays(ids, index, a, b, np.asarray(kinds, dtype=np.int64), weights)

    @classmethod
    def from_arrays(
        cls,
        ids: list[str],
        index: dict[str, int],
        starts: Ints,
        ends: Ints,
        kinds: Ints,
        weights: dict[str, float],
    ) -> Csr:
        """From relationships given as node positions in ``ids`` (which must be sorted) and
        type positions in ``sorted(weights)``; no relationship may be a loop."""
        types = sorted(weights)
        src = np.concatenate([starts, ends])
        dst = np.concatenate([ends, starts])
        kind = np.concatenate([kinds, kinds])
        # One int64 key sorts like lexsort((kind, dst, src)) in a single, faster pass.
        key = (src * len(ids) + dst) * max(len(types), 1) + kind
        order = np.argsort(key, kind="stable")
        src, dst, kind = src[order], dst[order], kind[order]
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=len(ids)), out=indptr[1:])
        wvec = np.asarray([weights[t] for t in types], dtype=np.float64)
        return cls(ids, index, indptr, dst, wvec[kind], kind, types)

    @property
    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (the id list and index are shared strings)."""
        return sum(a.nbytes for a in (self.indptr, self.nbr, self.weight, self.rtype))

    def into(self, keep: Bools) -> Csr:
        """The same nodes with only the steps that end at a node where ``keep`` is true."""
        passing = keep[self.nbr]
        before = np.zeros(len(passing) + 1, dtype=np.int64)
        np.cumsum(passing, out=before[1:])
        return Csr(
            self.ids,
            self.index,
            before[self.indptr],
            self.nbr[passing],
            self.weight[passing],
            self.rtype[passing],
            self.types,
        )

    def _expand(self, frontier: Ints) -> tuple[Ints, Ints]:
        """The relationship positions leaving ``frontier`` and, for each, its frontier slot."""
        starts = self.indptr[frontier]
        counts = self.indptr[frontier + 1] - starts
        total = int(counts.sum())
        slot = np.repeat(np.arange(len(frontier)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return starts[slot] + offsets, slot

    def _candidates(self, frontier: Ints, values: Floats, factor: float) -> tuple[Ints, Floats]:
        """Every step leaving ``frontier``: the node it reaches and the value it carries."""
        starts = self.indptr[frontier]
        counts = self.indptr[frontier + 1] - starts
        some = counts > 0
        starts, counts, values = starts[some], counts[some], values[some]
        if len(counts) == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        # Positions are runs starts[i], starts[i] + 1, ...: a cumulative sum of ones with a
        # jump at the start of each run.
        ends = np.cumsum(counts)
        step = np.ones(int(ends[-1]), dtype=np.int64)
        step[0] = starts[0]
        step[ends[:-1]] = starts[1:] - (starts[:-1] + counts[:-1] - 1)
        pos = np.cumsum(step)
        cand = np.repeat(values, counts) * self.weight[pos]
        if factor != 1.0:
            cand *= factor
        return self.nbr[pos], cand

    def _round(
        self, frontier: Ints, values: Floats, factor: float, into: Bools | None = None
    ) -> tuple[Ints, Floats, Ints, Ints]:
        """Best candidate per reached node (only nodes where ``into`` is true, if given), in
        node order: node, value, predecessor, relationship type."""
        pos, slot = self._expand(frontier)
        if into is not None:
            passing = into[self.nbr[pos]]
            pos, slot = pos[passing], slot[passing]
        cand = values[slot] * self.weight[pos]
        if factor != 1.0:
            cand *= factor
        dst = self.nbr[pos]
        top = np.zeros(len(self.ids))
        _raise(top, dst, cand)
        tied = np.flatnonzero(cand == top[dst])  # usually one candidate per node
        dst, cand = dst[tied], cand[tied]
        pred, kind = frontier[slot[tied]], self.rtype[pos[tied]]
        # Among equal values the smaller predecessor, then the smaller type, wins.
        span = len(self.ids) * max(len(self.types), 1)
        order = np.argsort((dst * span + pred * len(self.types)) + kind)
        dst, cand, pred, kind = dst[order], cand[order], pred[order], kind[order]
        win = np.ones(len(dst), dtype=bool)
        win[1:] = dst[1:] != dst[:-1]
        return dst[win], cand[win], pred[win], kind[win]

    def best_paths(
        self, source: int, hops: int, decay: float, targets: Sequence[int]
    ) -> dict[int, tuple[float, list[int], list[str]]]:
        """The best path from ``source`` to each reachable target: strength, nodes, types."""
        best = np.zeros(len(self.ids))
        best[source] = 1.0
        is_target = np.zeros(len(self.ids), dtype=bool)
        is_target[np.asarray(targets, dtype=np.int64)] = True
        # Per round, the nodes it improved (ascending) with their predecessor and type.
        steps: list[tuple[Ints, Ints, Ints]] = []
        frontier = np.asarray([source], dtype=np.int64)
        values = np.asarray([1.0])
        for hop in range(1, hops + 1):
            if len(frontier) == 0:
                break
            # The last round only matters where it reaches a target.
            into = is_target if hop == hops else None
            dst, cand, pred, kind = self._round(frontier, values, 1.0 if hop == 1 else decay, into)
            better = cand > best[dst]
            frontier, values = dst[better], cand[better]
            best[frontier] = values
            steps.append((frontier, pred[better], kind[better]))
        out: dict[int, tuple[float, list[int], list[str]]] = {}
        for target in targets:
            if target == source or best[target] == 0:
                continue
            nodes, types = self._walk_back(source, target, steps)
            out[target] = (float(best[target]), nodes, types)
        return out

    def _walk_back(
        self, source: int, target: int, steps: list[tuple[Ints, Ints, Ints]]
    ) -> tuple[list[int], list[str]]:
        # A node set last in round ``r`` got its value from a predecessor holding the value
        # it had at the end of round ``r - 1``: look for that predecessor from there down.
        nodes = [target]
        types: list[str] = []
        node, hop = target, len(steps)
        while node != source:
            while True:
                hop -= 1
                improved, preds, kinds = steps[hop]
                at = int(np.searchsorted(improved, node))
                if at < len(improved) and improved[at] == node:
                    break
            nodes.append(int(preds[at]))
            types.append(self.types[int(kinds[at])])
            node = nodes[-1]
        return nodes[::-1], types[::-1]


def scores(
    csr: Csr,
    sources: Sequence[tuple[int, float]],
    hops: int,
    decay: float,
    wanted: Bools,
) -> Floats:
    """Σ ``risk × best strength`` over the (source, risk) pairs, at every ``wanted`` node.

    Sources are added in the order given; a source's own strength (1) is not counted, and
    nodes that are not wanted score 0. The last round of each propagation only follows steps
    into wanted nodes: nothing it reaches is ever extended further.
    """
    size = len(csr.ids)
    last = csr.into(wanted)
    total = np.zeros(size)
    best = np.zeros(size)
    owner = np.zeros(size, dtype=np.int64)
    for source, risk in sources:
        best[source] = 1.0
        frontier = np.asarray([source], dtype=np.int64)
        values = np.asarray([1.0])
        for hop in range(1, hops + 1):
            if len(frontier) == 0:
                break
            factor = 1.0 if hop == 1 else decay
            if hop == hops:
                _raise(best, *last._candidates(frontier, values, factor))
            else:
                frontier, values = _improve(best, owner, *csr._candidates(frontier, values, factor))
        best[source] = 0.0  # an institution's own listing is not its exposure
        total += risk * best
        best[:] = 0.0
    total[~wanted] = 0.0
    return total


def _raise(best: Floats, dst: Ints, cand: Floats) -> None:
    """``best[d] = max(best[d], c)`` for every pair; repeated nodes keep their largest value.

    np.maximum.at does this, but is many times slower than plain assignment on these inputs.
    An assignment with repeated indices stores one of the values; the loop re-assigns those
    that lost to a smaller one, which usually settles in a round or two; whatever is left
    after a few rounds (long chains of a node's rising values) goes to np.maximum.at.
    """
    sel = np.flatnonzero(cand > best[dst])
    for _ in range(3):
        if len(sel) == 0:
            return
        best[dst[sel]] = cand[sel]
        sel = sel[cand[sel] > best[dst[sel]]]
    if len(sel):
        np.maximum.at(best, dst[sel], cand[sel])


def _improve(best: Floats, owner: Ints, dst: Ints, cand: Floats) -> tuple[Ints, Floats]:
    """Raise ``best`` like :func:`_raise`; returns each improved node once, with its value."""
    before = best[dst]
    _raise(best, dst, cand)
    hit = np.flatnonzero((cand > before) & (cand == best[dst]))
    nodes = dst[hit]
    # One entry per node (equal values: any will do; ``owner`` is scratch space).
    slots = np.arange(len(nodes))
    owner[nodes] = slots
    nodes = nodes[owner[nodes] == slots]
    return nodes, best[nodes]
