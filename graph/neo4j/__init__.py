"""The Neo4j store: a graph in a Neo4j database, read and written with parameterised Cypher.

Every Cypher text lives in ``cypher/`` (rendered by :mod:`.cypher` with schema-checked labels
and types) or is derived from the schema (:mod:`.cypher_write`). :class:`Neo4jStore` opens it,
:class:`Neo4jWriter` writes batches, :class:`Neo4jView` answers the primitives of
graph/contract.py.
"""

from .store import Neo4jStore
from .view import Neo4jView
from .writer import Neo4jWriter

__all__ = ["Neo4jStore", "Neo4jView", "Neo4jWriter"]
