"""The graph model (schema, records, ids, tiers) and the stores that hold it."""

from .contract import Counts, GraphView, GraphWriter, Store, Subgraph
from .errors import CollabgraphError, NodeNotFound, SchemaError, StoreError
from .records import Node, Relationship
from .schema import SCHEMA
from .tiers import Tier

__all__ = [
    "SCHEMA",
    "CollabgraphError",
    "Counts",
    "GraphView",
    "GraphWriter",
    "Node",
    "NodeNotFound",
    "Relationship",
    "SchemaError",
    "Store",
    "StoreError",
    "Subgraph",
    "Tier",
]
