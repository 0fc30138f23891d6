"""Running a user's own query (Cypher, on Neo4j) only when the store says it is read-only.

The store decides, not the text: the Neo4j store plans the query with ``EXPLAIN`` and runs it
only if the plan is a read without operators that reach outside the graph
(graph/neo4j/user_query.py). It runs in a read transaction that the server stops after
``COLLABGRAPH_CYPHER_TIMEOUT`` seconds (default 60), with values as parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from collabgraph.graph.contract import QueryResult, Store
from collabgraph.graph.errors import CollabgraphError, NotReadOnly
from collabgraph.graph.settings import seconds_from_env

__all__ = ["CypherResult", "NotReadOnly", "parse_params", "query_timeout", "run_read_only"]

CypherResult = QueryResult
DEFAULT_MAX_ROWS = 1000
TIMEOUT_ENV = "COLLABGRAPH_CYPHER_TIMEOUT"
DEFAULT_TIMEOUT = 60.0


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """``["name=Harbin", "n=3", 'ids=["a","b"]']`` → parameters; JSON values, else strings."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, raw = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise CollabgraphError(f"parameter {pair!r}: write it as NAME=VALUE")
        try:
            params[key] = orjson.loads(raw)
        except orjson.JSONDecodeError:
            params[key] = raw
    return params


def query_timeout() -> float:
    """Seconds a user's query may run (``COLLABGRAPH_CYPHER_TIMEOUT``, default 60)."""
    return seconds_from_env(TIMEOUT_ENV, DEFAULT_TIMEOUT, what="the time limit")


def run_read_only(
    store: Store,
    text: str,
    params: dict[str, Any] | None = None,
    *,
    max_rows: int = DEFAULT_MAX_ROWS,
    timeout: float | None = None,
) -> QueryResult:
    """Run ``text`` if the store says it only reads, stopped after ``timeout`` seconds
    (default: :func:`query_timeout`); raises :class:`NotReadOnly` otherwise."""
    seconds = query_timeout() if timeout is None else timeout
    return store.user_query(text, params or {}, max_rows=max_rows, timeout=seconds)
