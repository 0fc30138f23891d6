"""Hop-bounded max-product propagation on a weighted undirected graph, in numpy.

The exposure score (queries/exposure.py) needs, for a source node, the best path strength to
every node within ``hops``: the product of the relationship weights along the path, times
``decay`` for each hop after the first. Weights and decay are at most 1, so the best walk is
always a simple path and a hop-bounded Bellman-Ford (Jacobi rounds: each round extends only
the paths improved in the previous one) finds it exactly. Each round is a handful of vectorised
operations over the frontier's relationships, so a source costs what its neighbourhood costs.

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
        k = np.asarray(kinds, dtype=np.int64)
        src = np.concatenate([a, b])
        dst = np.concatenate([b, a])
        kind = np.concatenate([k, k])
        order = np.lexsort((kind, dst, src))
        src, dst, kind = src[order], dst[order], kind[order]
        indptr = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=len(ids)), out=indptr[1:])
        wvec = np.asarray([weights[t] for t in types], dtype=np.float64)
        return cls(ids, index, indptr, dst, wvec[kind], kind, types)

    def _expand(self, frontier: Ints) -> tuple[Ints, Ints]:
        """The relationship positions leaving ``frontier`` and, for each, its frontier slot."""
        starts = self.indptr[frontier]
        counts = self.indptr[frontier + 1] - starts
        total = int(counts.sum())
        slot = np.repeat(np.arange(len(frontier)), counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return starts[slot] + offsets, slot

    def _round(
        self, frontier: Ints, values: Floats, factor: float
    ) -> tuple[Ints, Floats, Ints, Ints]:
        """Best candidate per reached node: node, value, predecessor, relationship type."""
        pos, slot = self._expand(frontier)
        cand = values[slot] * self.weight[pos] * factor
        dst = self.nbr[pos]
        pred = frontier[slot]
        kind = self.rtype[pos]
        order = np.lexsort((kind, pred, -cand, dst))
        dst, cand, pred, kind = dst[order], cand[order], pred[order], kind[order]
        first = np.ones(len(dst), dtype=bool)
        first[1:] = dst[1:] != dst[:-1]
        return dst[first], cand[first], pred[first], kind[first]

    def strengths(
        self, source: int, hops: int, decay: float, work: Floats | None = None
    ) -> tuple[Ints, Floats]:
        """Nodes within ``hops`` of ``source`` (itself included) and their best strengths.

        ``work`` is a zeroed array of one float per node, reused across calls (it is zeroed
        again before returning), so a call costs what the neighbourhood costs.
        """
        best = np.zeros(len(self.ids)) if work is None else work
        best[source] = 1.0
        touched = [np.asarray([source], dtype=np.int64)]
        frontier = touched[0]
        values = np.asarray([1.0])
        for hop in range(1, hops + 1):
            if len(frontier) == 0:
                break
            dst, cand, _, _ = self._round(frontier, values, 1.0 if hop == 1 else decay)
            better = cand > best[dst]
            frontier, values = dst[better], cand[better]
            best[frontier] = values
            touched.append(frontier)
        nodes = np.unique(np.concatenate(touched))
        found = best[nodes].copy()
        best[nodes] = 0.0
        return nodes, found

    def best_paths(
        self, source: int, hops: int, decay: float, targets: Sequence[int]
    ) -> dict[int, tuple[float, list[int], list[str]]]:
        """The best path from ``source`` to each reachable target: strength, nodes, types."""
        best: dict[int, tuple[float, int]] = {source: (1.0, 0)}  # value, round it was set
        steps: list[dict[int, tuple[int, int]]] = [{}]  # per round: node -> (pred, type)
        frontier = np.asarray([source], dtype=np.int64)
        values = np.asarray([1.0])
        for hop in range(1, hops + 1):
            chosen: dict[int, tuple[int, int]] = {}
            if len(frontier):
                dst, cand, pred, kind = self._round(frontier, values, 1.0 if hop == 1 else decay)
                current = np.fromiter(
                    (best.get(int(d), (0.0, 0))[0] for d in dst), np.float64, len(dst)
                )
                better = cand > current
                frontier, values = dst[better], cand[better]
                for d, v, p, k in zip(
                    frontier.tolist(),
                    values.tolist(),
                    pred[better].tolist(),
                    kind[better].tolist(),
                    strict=True,
                ):
                    best[d] = (v, hop)
                    chosen[d] = (p, k)
            steps.append(chosen)
        out: dict[int, tuple[float, list[int], list[str]]] = {}
        for target in targets:
            if target == source or target not in best:
                continue
            value, hop = best[target]
            nodes: list[int] = [target]
            types: list[str] = []
            node = target
            # Walk back: the node was set in round ``hop`` from a predecessor whose value was
            # the one it held at the end of round ``hop - 1``.
            while node != source:
                while node not in steps[hop]:
                    hop -= 1
                before, kind_index = steps[hop][node]
                nodes.append(before)
                types.append(self.types[kind_index])
                node, hop = before, hop - 1
            out[target] = (value, nodes[::-1], types[::-1])
        return out
