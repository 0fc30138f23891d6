"""The scatter-max helpers of queries/propagation.py on inputs chosen to make them loop."""

from __future__ import annotations

import numpy as np
import pytest

from collabgraph.queries.propagation import _improve, _raise


@pytest.mark.parametrize("order", ["rising", "falling", "random"])
def test_raise_is_an_exact_scatter_max(order: str) -> None:
    rng = np.random.default_rng(7)
    dst = np.concatenate([np.zeros(500, dtype=np.int64), rng.integers(0, 50, 2000)])
    cand = rng.random(len(dst))
    if order != "random":  # one node's values in a chain: the case that needs the fallback
        cand[:500] = np.sort(cand[:500])[:: 1 if order == "rising" else -1]
    best = np.full(50, 0.3)
    want = best.copy()
    np.maximum.at(want, dst, cand)
    _raise(best, dst, cand)
    assert np.array_equal(best, want), (best - want)[best != want]


def test_improve_returns_each_improved_node_once() -> None:
    rng = np.random.default_rng(3)
    dst = rng.integers(0, 40, 3000)
    cand = rng.choice([0.25, 0.5, 0.125], len(dst))  # many equal values
    best = rng.choice([0.0, 0.25, 1.0], 40)
    start = best.copy()
    want = best.copy()
    np.maximum.at(want, dst, cand)
    nodes, values = _improve(best, np.zeros(40, dtype=np.int64), dst, cand)
    assert np.array_equal(best, want)
    assert sorted(nodes.tolist()) == sorted(set(nodes.tolist()))
    assert set(nodes.tolist()) == set(np.flatnonzero(want > start).tolist())
    assert np.array_equal(values, want[nodes])
