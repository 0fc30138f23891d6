"""The store contract: what every back-end (embedded SQLite, Neo4j) provides.

A :class:`Store` hands out a :class:`GraphWriter` for bulk, idempotent upserts (a context manager
that commits on a clean exit and discards its pending batch on error) and a :class:`GraphView`
for reads. Every question in ``queries/`` is written once, over the typed primitives of
:class:`GraphView`; each store implements them with its own means (SQL and an in-memory CSR
adjacency for the embedded store, parameterised Cypher for Neo4j). The shared contract suite in
``tests/store/`` runs every primitive on both stores and requires the same answers.

Ordering rules that make the two stores agree are part of each primitive's contract: every
list a primitive returns is sorted as its docstring says.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Protocol, Self, TypeVar, runtime_checkable

import numpy as np
import numpy.typing as npt

from .records import Node, Relationship
from .risk import Listing, RiskyInstitution, YearWindow
from .tiers import Tier

Direction = Literal["out", "in", "both"]
Pair = tuple[str, str]
T = TypeVar("T")


@dataclass
class Counts:
    """Node counts by label and relationship counts by type (zero counts included)."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"nodes": dict(self.nodes), "relationships": dict(self.relationships)}


@dataclass
class Subgraph:
    """A set of nodes and the relationships among them."""

    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)


@dataclass(frozen=True)
class NameEntry:
    """One name a node goes by (its name or title, or one alias, acronym, variant…)."""

    id: str
    label: str
    name: str


# The properties a node is found by, in this order (find_node, name_entries).
NAME_PROPS = ("name", "title", "names", "aliases", "acronyms", "name_variants", "names_zh")


@dataclass(frozen=True)
class WeightedEdges:
    """Relationships of some types as position arrays over ``ids`` (sorted node ids).

    ``starts[i] -> ends[i]`` is a relationship of type ``types[kinds[i]]`` (``types`` sorted);
    loops are left out. ``labels[j]`` is the label of ``ids[j]``. ``index`` maps id → position.
    """

    ids: list[str]
    index: dict[str, int]
    labels: list[str]
    starts: npt.NDArray[np.int64]
    ends: npt.NDArray[np.int64]
    kinds: npt.NDArray[np.int64]
    types: list[str]


@dataclass(frozen=True)
class Neighbour:
    """One neighbour on a page: the node, its strength, and the relationships to it."""

    node: Node
    strength: int
    relationships: tuple[Relationship, ...]


@dataclass(frozen=True)
class NeighbourPage:
    """The neighbours of one node that pass the filters: how many in all, and one page."""

    total: int
    page: tuple[Neighbour, ...]


@dataclass(frozen=True)
class PaperInstitutions:
    """A paper with its year and the institutions on it (id, country), sorted by id."""

    id: str
    year: int | None
    institutions: tuple[tuple[str, str | None], ...]


@dataclass
class QueryResult:
    """What a user's own query returned: its columns, at most ``max_rows`` rows, and whether
    more were left out."""

    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"columns": self.columns, "rows": self.rows, "truncated": self.truncated}


def link_strength(rel_type: str, props: Mapping[str, Any]) -> int:
    """How much one relationship weighs when neighbours are ranked: the papers behind a
    co-authorship, the evidence papers behind an affiliation, otherwise 1."""
    if rel_type == "CO_AUTHORED":
        papers = props.get("papers")
        return papers if isinstance(papers, int) else 1
    if rel_type == "AFFILIATED_WITH":
        return max(1, len(props.get("evidence_papers") or []))
    return 1


@runtime_checkable
class GraphWriter(Protocol):
    """Bulk writer. Upserts merge properties by the schema's rules, so re-writing is harmless.

    Records are validated before anything is written; a batch that fails leaves nothing of
    itself behind. Relationships whose endpoints do not exist are an error, never dropped.
    ``validated=True`` says the caller has already run ``validate_node`` /
    ``validate_relationship`` on every record (the ingest pipeline does, record by record), so
    the writer skips those property checks; the checks that need the graph (endpoints exist and
    carry the schema's labels, one id never names two labels) always run.
    """

    def upsert_nodes(self, nodes: Iterable[Node], *, validated: bool = False) -> None: ...

    def upsert_relationships(
        self, relationships: Iterable[Relationship], *, validated: bool = False
    ) -> None: ...

    def delete_relationships(self, keys: Iterable[tuple[str, ...]]) -> int:
        """Remove the relationships with these keys (:attr:`Relationship.key`); how many went."""

    def flush(self) -> None:
        """Write what is buffered now (one transaction per batch)."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


@runtime_checkable
class GraphView(Protocol):
    """Read-only access: elements, and the primitives the questions are written with."""

    # -- elements ------------------------------------------------------------------------------
    def get_node(self, node_id: str) -> Node | None: ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]: ...

    def neighbours(
        self, node_id: str, *, types: Iterable[str] | None = None, direction: Direction = "both"
    ) -> list[tuple[Relationship, Node]]:
        """Relationships touching ``node_id`` with the node at their other end, sorted by
        (type, start, end); a loop is listed once."""

    def relationships_between(self, node_ids: Iterable[str]) -> list[Relationship]:
        """Every relationship whose both ends are in ``node_ids``, sorted by key."""

    def iter_nodes(self, label: str | None = None) -> Iterator[Node]: ...

    def iter_relationships(self, rel_type: str | None = None) -> Iterator[Relationship]: ...

    def counts(self) -> Counts: ...

    def subgraph(self, node_ids: Iterable[str]) -> Subgraph: ...

    # -- batch adjacency -------------------------------------------------------------------
    def links(
        self, node_ids: Iterable[str], rel_type: str, direction: Literal["out", "in"]
    ) -> dict[str, list[Relationship]]:
        """For each id, its relationships of ``rel_type`` leaving it (``out``: the id is the
        start) or arriving (``in``: the id is the end), sorted by key. Ids with none (or that
        are not nodes) are absent."""

    # -- names -----------------------------------------------------------------------------
    def name_entries(self, labels: Collection[str]) -> Iterator[NameEntry]:
        """Every name of every node with one of ``labels``, nodes in id order: the values of
        :data:`NAME_PROPS` (lists flattened), each distinct name of a node once, in that
        order."""

    def named_exactly(self, text: str, labels: Collection[str]) -> list[str]:
        """Sorted ids of nodes with one of ``labels`` whose ``name`` (``title`` for a paper)
        is exactly ``text``."""

    def with_property(self, label: str, prop: str, values: Collection[str]) -> dict[str, list[str]]:
        """For each of ``values``, the sorted ids of ``label`` nodes whose ``prop`` equals it
        (e.g. researchers by ``orcid``); values no node has are absent. ``label`` and ``prop``
        must be in the schema (else :class:`errors.SchemaError`)."""

    # -- risk ------------------------------------------------------------------------------
    def listings(self, institution_ids: Iterable[str]) -> dict[str, list[Listing]]:
        """The ``LISTED_ON`` listings of each institution, strongest first
        (:meth:`Listing.sort_key`); institutions without any are absent."""

    def risky_institutions(self, floor: Tier) -> dict[str, RiskyInstitution]:
        """Every institution whose effective tier (listings and own ``tier``) is at or above
        ``floor``, by id."""

    # -- paths: a level-by-level search pruned by distance to risk ---------------------------
    def risk_targets(
        self, floor: Tier, types: Sequence[str], years: YearWindow | None
    ) -> frozenset[str]:
        """The institutions a path may end at: effective tier at or above ``floor``."""

    def risk_steps(
        self,
        frontier: Sequence[str],
        depth: int,
        max_hops: int,
        floor: Tier,
        types: Sequence[str],
        years: YearWindow | None,
    ) -> list[Pair]:
        """Steps ``(u, v)`` out of ``frontier`` (nodes at ``depth`` from the source) over the
        traversable ``types``, undirected, that can still reach a target within ``max_hops``:
        ``depth + 1 + distance(v) <= max_hops``, where ``distance`` is the hop distance from
        ``v`` to the nearest target over the same relationships (a store-owned cache, rebuilt
        after writes). A step passes when a relationship between u and v passes the year
        window (:func:`graph.risk.rel_passes`) and ``v`` does (:func:`graph.risk.node_passes`).
        Each (u, v) once; no loops. Order: frontier order, then each u's steps by
        (distance(v), v)."""

    def relationships_along(
        self, pairs: Iterable[Pair], types: Sequence[str], years: YearWindow | None
    ) -> dict[Pair, list[Relationship]]:
        """For each (u, v), the relationships of ``types`` between them, either direction,
        that pass the year window, sorted by key; pairs without any are absent."""

    # -- exposure --------------------------------------------------------------------------
    def weighted_edges(
        self, types: Collection[str], around: str | None = None, hops: int = 0
    ) -> WeightedEdges:
        """Every relationship of ``types`` (``around`` None), or those touching a node fewer
        than ``hops`` undirected steps from ``around`` over these types (a superset is
        allowed: the caller's search is bounded by ``hops`` itself). ``around`` is always
        among ``ids``. Whole-graph results may be cached by the store until its next write."""

    # -- neighbourhood ---------------------------------------------------------------------
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
        """For each frontier node, its neighbours over ``types`` (either direction) that pass
        the filters: a paper must be in the year window and, with ``technology``, CONCERN it;
        an institution's effective tier label must be in ``tiers`` when given. ``total`` counts
        them; ``page`` holds, after ``skip[node]`` (default 0), at most ``cap`` of them,
        strongest first (sum of :func:`link_strength` over the relationships to it), ties by
        id; each neighbour's relationships sorted by key."""

    # -- indicators ------------------------------------------------------------------------
    def paper_institutions(
        self, countries: Collection[str], years: YearWindow | None
    ) -> list[PaperInstitutions]:
        """Papers in the year window with the institutions of ``countries`` on them, by paper
        id. An institution is on a paper when an author of the paper (AUTHORED) is
        AFFILIATED_WITH it and that affiliation lists the paper in ``evidence_papers``. Papers
        with none of those institutions are absent."""

    # -- the store's own cache -------------------------------------------------------------
    def memo(self, key: tuple[Any, ...], build: Callable[[], T]) -> T:
        """``build()``'s result, kept by the store until its data changes (a write through any
        writer or process), so that derived structures cost one build per change."""


@runtime_checkable
class Store(Protocol):
    """A graph store: where it lives, a writer, a view, and maintenance operations."""

    kind: str

    @property
    def location(self) -> str:
        """Where the data lives, safe to print (no credentials)."""

    def writer(self, *, batch_size: int = 5000) -> GraphWriter: ...

    def view(self) -> GraphView: ...

    def delete_nodes(self, node_ids: Iterable[str]) -> int:
        """Remove nodes and every relationship touching them; returns how many were removed."""

    def clear(self) -> None:
        """Remove every node and relationship (the schema stays)."""

    def user_query(
        self, text: str, params: Mapping[str, Any], *, max_rows: int, timeout: float
    ) -> QueryResult:
        """Run a user's query in the store's own language (Cypher on Neo4j) only if the store
        says it is read-only (else :class:`errors.NotReadOnly`), stopped after ``timeout``
        seconds, at most ``max_rows`` rows; a store without a query language raises
        :class:`errors.CollabgraphError` saying so."""

    def close(self) -> None: ...
