"""The weighted relationships exposure walks, as a Csr with each node's label.

The store supplies the relationships (``GraphView.weighted_edges``); the whole-graph Csr is
kept in the store's own cache (``GraphView.memo``) per weights, so it is built once per change
of the data, and a single node's paths read only the ball around it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from collabgraph.graph.contract import GraphView, WeightedEdges

from .propagation import Bools, Csr

WeightsKey = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class ExposureGraph:
    """A Csr and each of its nodes' label (codes into ``label_names``)."""

    csr: Csr
    label_names: tuple[str, ...]
    labels: npt.NDArray[np.int8]

    def having(self, wanted: set[str]) -> Bools:
        """A mask of the nodes whose label is one of ``wanted``."""
        codes = [i for i, name in enumerate(self.label_names) if name in wanted]
        return np.isin(self.labels, np.asarray(codes, dtype=np.int8))

    @property
    def nbytes(self) -> int:
        """Memory of the arrays, the id list and the id index: what the cache holds."""
        ints = max(len(self.csr.ids) - 257, 0) * sys.getsizeof(257)  # small ints are shared
        containers = sys.getsizeof(self.csr.index) + sys.getsizeof(self.csr.ids)
        return self.csr.nbytes + self.labels.nbytes + containers + ints


def _key(weights: Mapping[str, float]) -> WeightsKey:
    return tuple(sorted(weights.items()))


def exposure_graph(
    view: GraphView, weights: Mapping[str, float], *, around: str | None, hops: int
) -> ExposureGraph:
    """The weighted relationships: all of them (cached), or enough for one node's paths.

    A path from ``around`` never leaves the ball of ``hops`` around it, and positions follow
    id order in both, so the ball gives the same answer as the whole graph.
    """
    types = sorted(weights)
    if around is None:
        return view.memo(
            ("exposure_graph", _key(weights)),
            lambda: build(view.weighted_edges(types), weights),
        )
    return build(view.weighted_edges(types, around, hops), weights)


def build(edges: WeightedEdges, weights: Mapping[str, float]) -> ExposureGraph:
    """The Csr of ``edges`` with the weights of their types."""
    if edges.types != sorted(weights):
        raise ValueError(f"edges of types {edges.types} for weights of {sorted(weights)}")
    csr = Csr.from_arrays(
        edges.ids, edges.index, edges.starts, edges.ends, edges.kinds, dict(weights)
    )
    names = tuple(sorted(set(edges.labels)))
    code = {name: i for i, name in enumerate(names)}
    labels = np.fromiter((code[lb] for lb in edges.labels), dtype=np.int8, count=len(edges.ids))
    return ExposureGraph(csr, names, labels)
